//! Local delivery by the store's own courier: which parcels may join a run. The rule lives
//! here once; the counter asks it as each label is scanned and the configuration's
//! `serves` answers the same question for a postal code alone.

use thiserror::Error;

use super::custody::ParcelStatus;

/// Why a parcel cannot go out on a local delivery run.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NotForLocalDelivery {
    #[error("it is {}, not held for a customer", .0.label())]
    NotHeldForCustomer(ParcelStatus),
    #[error("it has no delivery postal code on record, so the service area cannot be checked")]
    NoPostalCode,
    #[error("it goes to {postal_code}, outside the service area ({})", .service_area.join(", "))]
    OutsideServiceArea {
        postal_code: String,
        service_area: Vec<String>,
    },
}

/// The postal code as the service area lists it (trimmed, upper case).
pub fn normalise_postal_code(postal_code: &str) -> String {
    postal_code.trim().to_ascii_uppercase()
}

/// Whether a local delivery to this postal code is within the store's service area (a list of
/// postal codes, upper case, as the configuration holds it).
pub fn serves(service_area: &[String], postal_code: &str) -> bool {
    let wanted = normalise_postal_code(postal_code);
    !wanted.is_empty() && service_area.contains(&wanted)
}

/// The service-area rule: a parcel may join a local delivery run only while it is held for its
/// customer and its postal code is one the store's courier serves.
pub fn check_local_delivery(
    status: ParcelStatus,
    postal_code: &str,
    service_area: &[String],
) -> Result<(), NotForLocalDelivery> {
    match status {
        ParcelStatus::HeldForCustomer => {}
        ParcelStatus::AwaitingDriver
        | ParcelStatus::OutForDelivery
        | ParcelStatus::Collected
        | ParcelStatus::WithDriver
        | ParcelStatus::Delivered
        | ParcelStatus::RefusedAtReceipt
        | ParcelStatus::RecordedInError => {
            return Err(NotForLocalDelivery::NotHeldForCustomer(status));
        }
    }
    if postal_code.trim().is_empty() {
        return Err(NotForLocalDelivery::NoPostalCode);
    }
    if !serves(service_area, postal_code) {
        return Err(NotForLocalDelivery::OutsideServiceArea {
            postal_code: postal_code.to_owned(),
            service_area: service_area.to_vec(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area() -> Vec<String> {
        vec!["59401".to_owned(), "K1A 0B1".to_owned()]
    }

    /// What a case wants: allowed, or refused for a reason the function recognises.
    type Wanted = Result<(), fn(&NotForLocalDelivery) -> bool>;

    #[test]
    fn the_service_area_rule_decides_each_case() {
        use NotForLocalDelivery as No;
        use ParcelStatus as S;
        let table: [(S, &str, Wanted); 7] = [
            (S::HeldForCustomer, "59401", Ok(())),
            (S::HeldForCustomer, " k1a 0b1 ", Ok(())),
            (S::HeldForCustomer, "", Err(|e| *e == No::NoPostalCode)),
            (S::HeldForCustomer, "   ", Err(|e| *e == No::NoPostalCode)),
            (
                S::HeldForCustomer,
                "90210",
                Err(
                    |e| matches!(e, No::OutsideServiceArea { postal_code, .. } if postal_code == "90210"),
                ),
            ),
            (
                S::AwaitingDriver,
                "59401",
                Err(|e| *e == No::NotHeldForCustomer(S::AwaitingDriver)),
            ),
            (
                S::OutForDelivery,
                "59401",
                Err(|e| *e == No::NotHeldForCustomer(S::OutForDelivery)),
            ),
        ];
        for (status, postal, wanted) in table {
            let got = check_local_delivery(status, postal, &area());
            match (&got, wanted) {
                (Ok(()), Ok(())) => {}
                (Err(error), Err(is_expected)) => assert!(is_expected(error), "{error}"),
                _ => panic!("{status} {postal:?}: got {got:?}"),
            }
        }
    }

    #[test]
    fn an_empty_service_area_serves_nowhere() {
        assert!(!serves(&[], "59401"));
        assert!(!serves(&area(), ""));
        assert!(serves(&area(), "59401"));
    }

    #[test]
    fn the_refusal_names_the_area() {
        let error = check_local_delivery(ParcelStatus::HeldForCustomer, "90210", &area())
            .expect_err("outside");
        assert_eq!(
            error.to_string(),
            "it goes to 90210, outside the service area (59401, K1A 0B1)"
        );
    }
}
