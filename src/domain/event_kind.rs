//! Every kind of ledger event, and which side of the books each is on.

use super::ledger_codes::ledger_codes;

ledger_codes! {
    /// Every kind of ledger event. The custody kinds move parcels; the staff and import kinds
    /// record administrative acts so the chain is the complete audit trail.
    pub enum EventKind {
        /// A driver hands parcels to the store; the store holds them for customers.
        DriverDelivery => "driver_delivery", "driver delivery";
        /// A parcel the driver offered was refused as damaged; custody never passed to the store.
        DeliveryRefusedDamaged => "delivery_refused_damaged", "refused at delivery";
        /// A customer collects parcels with a pickup code.
        CustomerPickup => "customer_pickup", "customer pickup";
        /// A customer drops off a parcel to send.
        CustomerDropOff => "customer_drop_off", "customer drop-off";
        /// A customer brings back a parcel as a return.
        CustomerReturn => "customer_return", "customer return";
        /// The shop registers one of its own packed orders for same-day driver pickup.
        OutgoingOrder => "outgoing_order", "outgoing order";
        /// A driver takes parcels from the store: expired holds, drop-offs, returns, orders.
        DriverPickup => "driver_pickup", "driver pickup";
        /// A rural store's courier takes held parcels out for local delivery.
        LocalDeliveryOut => "local_delivery_out", "out for local delivery";
        /// The courier delivered the parcel.
        LocalDeliveryDelivered => "local_delivery_delivered", "delivered locally";
        /// The courier brought the parcel back; it returns to the shelf.
        LocalDeliveryReturned => "local_delivery_returned", "back from local delivery";
        /// The parcel should be at the store but cannot be found.
        UnableToFind => "unable_to_find", "unable to find";
        /// The customer refused the parcel at the counter; it goes back to the carrier.
        CustomerRefused => "customer_refused", "customer refused";
        /// A customer's drop-off or return was refused (damaged, over the store's limits); the
        /// customer keeps it. Recorded so the refusal and its reason are on file.
        DropOffRefused => "drop_off_refused", "drop-off refused";
        /// The parcel was found damaged while in the store; it goes back to the carrier.
        Damaged => "damaged", "damaged";
        StaffEnrolled => "staff_enrolled", "staff enrolled";
        StaffDisabled => "staff_disabled", "staff disabled";
        StaffPinReset => "staff_pin_reset", "PIN reset";
        StaffUnlocked => "staff_unlocked", "staff unlocked";
        ExpectedParcelsImported => "expected_parcels_imported", "expected parcels imported";
        /// The derived tables as they stood when a ledger from before event format 2 was
        /// upgraded: replay (`kiosk verify`) starts from it. Split over several events when large.
        StateSealed => "state_sealed", "state sealed (upgrade)";
        /// `kiosk seed` marked the ledger as demo data (exports say so).
        DemoDataMarked => "demo_data_marked", "marked as demo data";
        /// A manager undoes a mistaken custody record of one parcel (see `domain::correction`):
        /// nothing is edited; the parcel returns to the state it had before that record.
        Correction => "correction", "correction";
        /// A pickup code matched no parcel held here. Recorded (under the signed-in clerk, never
        /// the code) so that code guessing shows in the ledger and its wait survives a restart.
        PickupCodeRefused => "pickup_code_refused", "pickup code refused";
        /// A slip of an earlier record was printed again (marked REPRINT). Its facts name the
        /// record (`reprints_seq`) and the slip; it moves nothing and counts as no handoff.
        SlipReprinted => "slip_reprinted", "slip reprinted";
    }
}

impl EventKind {
    /// Whether this kind moves parcels (and so needs a PIN proof and at least one parcel).
    pub fn is_custody(self) -> bool {
        match self {
            EventKind::DriverDelivery
            | EventKind::DeliveryRefusedDamaged
            | EventKind::CustomerPickup
            | EventKind::CustomerDropOff
            | EventKind::CustomerReturn
            | EventKind::OutgoingOrder
            | EventKind::DriverPickup
            | EventKind::LocalDeliveryOut
            | EventKind::LocalDeliveryDelivered
            | EventKind::LocalDeliveryReturned
            | EventKind::UnableToFind
            | EventKind::CustomerRefused
            | EventKind::DropOffRefused
            | EventKind::Damaged
            | EventKind::Correction => true,
            EventKind::StaffEnrolled
            | EventKind::StaffDisabled
            | EventKind::StaffPinReset
            | EventKind::StaffUnlocked
            | EventKind::ExpectedParcelsImported
            | EventKind::StateSealed
            | EventKind::DemoDataMarked
            | EventKind::PickupCodeRefused
            | EventKind::SlipReprinted => false,
        }
    }

    /// Which side of the books a custody event is on: the one definition the end-of-day
    /// report, the custody totals and the home screen's counts share.
    pub fn custody_movement(self) -> Movement {
        match self {
            EventKind::DriverDelivery
            | EventKind::CustomerDropOff
            | EventKind::CustomerReturn
            | EventKind::OutgoingOrder => Movement::In,
            EventKind::CustomerPickup
            | EventKind::DriverPickup
            | EventKind::LocalDeliveryDelivered => Movement::Out,
            EventKind::DeliveryRefusedDamaged
            | EventKind::DropOffRefused
            | EventKind::UnableToFind
            | EventKind::CustomerRefused
            | EventKind::Damaged => Movement::Exception,
            // A correction's side of the books is the opposite of the record it undoes, which
            // its facts name: see `correction::movement_of`, which every count goes through.
            EventKind::Correction
            | EventKind::LocalDeliveryOut
            | EventKind::LocalDeliveryReturned
            | EventKind::StaffEnrolled
            | EventKind::StaffDisabled
            | EventKind::StaffPinReset
            | EventKind::StaffUnlocked
            | EventKind::ExpectedParcelsImported
            | EventKind::StateSealed
            | EventKind::DemoDataMarked
            | EventKind::PickupCodeRefused
            | EventKind::SlipReprinted => Movement::None,
        }
    }
}

/// Which side of the books a custody event is on (see [`EventKind::custody_movement`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    /// Parcels come into the store's custody (counted as received).
    In,
    /// Parcels leave the store's custody (counted as handed over).
    Out,
    Exception,
    /// Internal (out for local delivery and back) or administrative.
    None,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn movements_put_each_custody_kind_on_one_side_of_the_books() {
        use EventKind as K;
        let table = [
            (K::DriverDelivery, Movement::In),
            (K::CustomerDropOff, Movement::In),
            (K::CustomerReturn, Movement::In),
            (K::OutgoingOrder, Movement::In),
            (K::CustomerPickup, Movement::Out),
            (K::DriverPickup, Movement::Out),
            (K::LocalDeliveryDelivered, Movement::Out),
            (K::Damaged, Movement::Exception),
            (K::LocalDeliveryOut, Movement::None),
            (K::StaffEnrolled, Movement::None),
        ];
        for (kind, movement) in table {
            assert_eq!(kind.custody_movement(), movement, "{kind}");
        }
        // Only custody kinds move parcels on the books (a correction through its facts).
        for kind in EventKind::ALL {
            if !kind.is_custody() || kind == K::Correction {
                assert_eq!(kind.custody_movement(), Movement::None, "{kind}");
            }
        }
    }

    /// `ALL` is made by the same list as the enum; this holds it against an exhaustive match,
    /// so a new kind also has to be placed here, and a hand-made `ALL` would fail.
    #[test]
    fn every_kind_is_in_all_once() {
        fn kind_index(kind: EventKind) -> usize {
            match kind {
                EventKind::DriverDelivery
                | EventKind::DeliveryRefusedDamaged
                | EventKind::CustomerPickup
                | EventKind::CustomerDropOff
                | EventKind::CustomerReturn
                | EventKind::OutgoingOrder
                | EventKind::DriverPickup
                | EventKind::LocalDeliveryOut
                | EventKind::LocalDeliveryDelivered
                | EventKind::LocalDeliveryReturned
                | EventKind::UnableToFind
                | EventKind::CustomerRefused
                | EventKind::DropOffRefused
                | EventKind::Damaged
                | EventKind::StaffEnrolled
                | EventKind::StaffDisabled
                | EventKind::StaffPinReset
                | EventKind::StaffUnlocked
                | EventKind::ExpectedParcelsImported
                | EventKind::StateSealed
                | EventKind::DemoDataMarked
                | EventKind::Correction
                | EventKind::PickupCodeRefused
                | EventKind::SlipReprinted => kind as usize,
            }
        }
        for (position, kind) in EventKind::ALL.into_iter().enumerate() {
            assert_eq!(kind_index(kind), position, "{kind}");
        }
        assert_eq!(EventKind::ALL.len(), EventKind::SlipReprinted as usize + 1);
        let codes: std::collections::HashSet<_> =
            EventKind::ALL.iter().map(|kind| kind.code()).collect();
        assert_eq!(codes.len(), EventKind::ALL.len());
    }
}
