//! The custody status sets as SQL, each written once. SQL needs them as literal text (the
//! partial index `parcels_on_shelf` is used only when a query names its statuses the way the
//! index does), so they are constants here, and the tests build each from the domain's
//! `ParcelStatus` rules and require the same text: a status added to a rule without its set
//! here fails them.

/// `status IN ON_SHELF`: on a shelf of this store ([`ParcelStatus::on_shelf`], which is also
/// what counts against capacity).
///
/// [`ParcelStatus::on_shelf`]: crate::domain::custody::ParcelStatus::on_shelf
pub(crate) const ON_SHELF: &str = "('held_for_customer', 'awaiting_driver')";

/// `status IN IN_CUSTODY`: the store is the custodian, on its shelves or with its courier
/// ([`ParcelStatus::in_store_custody`]).
///
/// [`ParcelStatus::in_store_custody`]: crate::domain::custody::ParcelStatus::in_store_custody
pub(crate) const IN_CUSTODY: &str = "('held_for_customer', 'awaiting_driver', 'out_for_delivery')";

/// `status = HELD_FOR_CUSTOMER`: waiting for its customer (a pickup code opens it).
pub(crate) const HELD_FOR_CUSTOMER: &str = "'held_for_customer'";

/// `status = AWAITING_DRIVER`: waiting for a driver to take it.
pub(crate) const AWAITING_DRIVER: &str = "'awaiting_driver'";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::custody::ParcelStatus;

    /// The SQL list of the statuses `rule` holds for, in declaration order.
    fn sql_list(rule: impl Fn(ParcelStatus) -> bool) -> String {
        let codes: Vec<String> = ParcelStatus::ALL
            .into_iter()
            .filter(|status| rule(*status))
            .map(|status| format!("'{}'", status.code()))
            .collect();
        format!("({})", codes.join(", "))
    }

    #[test]
    fn each_set_is_the_domains() {
        assert_eq!(ON_SHELF, sql_list(ParcelStatus::on_shelf));
        assert_eq!(ON_SHELF, sql_list(ParcelStatus::counts_on_hand));
        assert_eq!(IN_CUSTODY, sql_list(ParcelStatus::in_store_custody));
        assert_eq!(
            HELD_FOR_CUSTOMER,
            format!("'{}'", ParcelStatus::HeldForCustomer.code())
        );
        assert_eq!(
            AWAITING_DRIVER,
            format!("'{}'", ParcelStatus::AwaitingDriver.code())
        );
    }

    /// Queries over shelves use the partial index only if they spell its condition.
    #[test]
    fn the_shelf_index_names_the_same_set() {
        let indexed = format!("WHERE status IN {ON_SHELF}");
        assert!(
            crate::store::schema::MIGRATIONS
                .iter()
                .any(|migration| migration.contains(&indexed)),
            "no migration indexes {indexed}"
        );
    }
}
