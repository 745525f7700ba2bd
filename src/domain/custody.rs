//! Parcels and custody: which handoffs exist, what state each leaves a parcel in, and which
//! handoffs are allowed from which state. The one place these rules live.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use thiserror::Error;

use super::ids::TrackingId;

/// Every kind of ledger event. The custody kinds move parcels; the staff and import kinds record
/// administrative acts so the chain is the complete audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A driver hands parcels to the store; the store holds them for customers.
    DriverDelivery,
    /// A parcel the driver offered was refused as damaged; custody never passed to the store.
    DeliveryRefusedDamaged,
    /// A customer collects parcels with a pickup code.
    CustomerPickup,
    /// A customer drops off a parcel to send.
    CustomerDropOff,
    /// A customer brings back a parcel as a return.
    CustomerReturn,
    /// The shop registers one of its own packed orders for same-day driver pickup.
    OutgoingOrder,
    /// A driver takes parcels from the store: expired holds, drop-offs, returns, orders.
    DriverPickup,
    /// A rural store's courier takes held parcels out for local delivery.
    LocalDeliveryOut,
    /// The courier delivered the parcel.
    LocalDeliveryDelivered,
    /// The courier brought the parcel back; it returns to the shelf.
    LocalDeliveryReturned,
    /// The parcel should be at the store but cannot be found.
    UnableToFind,
    /// The customer refused the parcel at the counter; it goes back to the carrier.
    CustomerRefused,
    /// A customer's drop-off or return was refused (damaged, over the store's limits); the
    /// customer keeps it. Recorded so the refusal and its reason are on file.
    DropOffRefused,
    /// The parcel was found damaged while in the store; it goes back to the carrier.
    Damaged,
    StaffEnrolled,
    StaffDisabled,
    StaffPinReset,
    StaffUnlocked,
    ExpectedParcelsImported,
    /// The derived tables as they stood when a ledger from before event format 2 was upgraded:
    /// replay (`kiosk verify`) starts from it. Split over several events when large.
    StateSealed,
    /// `kiosk seed` marked the ledger as demo data (exports say so).
    DemoDataMarked,
}

impl EventKind {
    pub const ALL: [EventKind; 21] = [
        EventKind::DriverDelivery,
        EventKind::DeliveryRefusedDamaged,
        EventKind::CustomerPickup,
        EventKind::CustomerDropOff,
        EventKind::CustomerReturn,
        EventKind::OutgoingOrder,
        EventKind::DriverPickup,
        EventKind::LocalDeliveryOut,
        EventKind::LocalDeliveryDelivered,
        EventKind::LocalDeliveryReturned,
        EventKind::UnableToFind,
        EventKind::CustomerRefused,
        EventKind::DropOffRefused,
        EventKind::Damaged,
        EventKind::StaffEnrolled,
        EventKind::StaffDisabled,
        EventKind::StaffPinReset,
        EventKind::StaffUnlocked,
        EventKind::ExpectedParcelsImported,
        EventKind::StateSealed,
        EventKind::DemoDataMarked,
    ];

    /// The stable name written to the ledger and hashed into the chain. Never rename one.
    /// Words for people (the ledger view, parcel history).
    pub fn label(self) -> &'static str {
        match self {
            EventKind::DriverDelivery => "driver delivery",
            EventKind::DeliveryRefusedDamaged => "refused at delivery",
            EventKind::CustomerPickup => "customer pickup",
            EventKind::CustomerDropOff => "customer drop-off",
            EventKind::CustomerReturn => "customer return",
            EventKind::OutgoingOrder => "outgoing order",
            EventKind::DriverPickup => "driver pickup",
            EventKind::LocalDeliveryOut => "out for local delivery",
            EventKind::LocalDeliveryDelivered => "delivered locally",
            EventKind::LocalDeliveryReturned => "back from local delivery",
            EventKind::UnableToFind => "unable to find",
            EventKind::CustomerRefused => "customer refused",
            EventKind::DropOffRefused => "drop-off refused",
            EventKind::Damaged => "damaged",
            EventKind::StaffEnrolled => "staff enrolled",
            EventKind::StaffDisabled => "staff disabled",
            EventKind::StaffPinReset => "PIN reset",
            EventKind::StaffUnlocked => "staff unlocked",
            EventKind::ExpectedParcelsImported => "expected parcels imported",
            EventKind::StateSealed => "state sealed (upgrade)",
            EventKind::DemoDataMarked => "marked as demo data",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            EventKind::DriverDelivery => "driver_delivery",
            EventKind::DeliveryRefusedDamaged => "delivery_refused_damaged",
            EventKind::CustomerPickup => "customer_pickup",
            EventKind::CustomerDropOff => "customer_drop_off",
            EventKind::CustomerReturn => "customer_return",
            EventKind::OutgoingOrder => "outgoing_order",
            EventKind::DriverPickup => "driver_pickup",
            EventKind::LocalDeliveryOut => "local_delivery_out",
            EventKind::LocalDeliveryDelivered => "local_delivery_delivered",
            EventKind::LocalDeliveryReturned => "local_delivery_returned",
            EventKind::UnableToFind => "unable_to_find",
            EventKind::CustomerRefused => "customer_refused",
            EventKind::DropOffRefused => "drop_off_refused",
            EventKind::Damaged => "damaged",
            EventKind::StaffEnrolled => "staff_enrolled",
            EventKind::StaffDisabled => "staff_disabled",
            EventKind::StaffPinReset => "staff_pin_reset",
            EventKind::StaffUnlocked => "staff_unlocked",
            EventKind::ExpectedParcelsImported => "expected_parcels_imported",
            EventKind::StateSealed => "state_sealed",
            EventKind::DemoDataMarked => "demo_data_marked",
        }
    }

    /// Whether this kind moves parcels (and so needs a PIN proof and at least one parcel).
    pub fn is_custody(self) -> bool {
        !matches!(
            self,
            EventKind::StaffEnrolled
                | EventKind::StaffDisabled
                | EventKind::StaffPinReset
                | EventKind::StaffUnlocked
                | EventKind::ExpectedParcelsImported
                | EventKind::StateSealed
                | EventKind::DemoDataMarked
        )
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Error, PartialEq, Eq)]
#[error("unknown event kind {0:?}")]
pub struct UnknownCode(pub String);

impl FromStr for EventKind {
    type Err = UnknownCode;
    fn from_str(code: &str) -> Result<Self, Self::Err> {
        EventKind::ALL
            .into_iter()
            .find(|kind| kind.code() == code)
            .ok_or_else(|| UnknownCode(code.to_owned()))
    }
}

/// Where a parcel is, as far as the store is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParcelStatus {
    /// On the shelf, waiting for its customer.
    HeldForCustomer,
    /// On the shelf, waiting for a driver (drop-off, return, outgoing order, refused, damaged).
    AwaitingDriver,
    /// With the store's courier on a local delivery run.
    OutForDelivery,
    /// Handed to the customer.
    Collected,
    /// Left the store with a driver.
    WithDriver,
    /// Delivered locally by the store's courier.
    Delivered,
    /// Refused at the counter when the driver offered it; never in the store's custody.
    RefusedAtReceipt,
}

impl ParcelStatus {
    pub const ALL: [ParcelStatus; 7] = [
        ParcelStatus::HeldForCustomer,
        ParcelStatus::AwaitingDriver,
        ParcelStatus::OutForDelivery,
        ParcelStatus::Collected,
        ParcelStatus::WithDriver,
        ParcelStatus::Delivered,
        ParcelStatus::RefusedAtReceipt,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ParcelStatus::HeldForCustomer => "held_for_customer",
            ParcelStatus::AwaitingDriver => "awaiting_driver",
            ParcelStatus::OutForDelivery => "out_for_delivery",
            ParcelStatus::Collected => "collected",
            ParcelStatus::WithDriver => "with_driver",
            ParcelStatus::Delivered => "delivered",
            ParcelStatus::RefusedAtReceipt => "refused_at_receipt",
        }
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            ParcelStatus::HeldForCustomer => "held for its customer",
            ParcelStatus::AwaitingDriver => "waiting for a driver",
            ParcelStatus::OutForDelivery => "out for local delivery",
            ParcelStatus::Collected => "collected by the customer",
            ParcelStatus::WithDriver => "gone with a driver",
            ParcelStatus::Delivered => "delivered locally",
            ParcelStatus::RefusedAtReceipt => "refused at the counter",
        }
    }

    /// Whether the store (its shelves or its courier) is the parcel's custodian.
    /// On a shelf of this store, counted against its capacity.
    pub fn counts_on_hand(self) -> bool {
        matches!(
            self,
            ParcelStatus::HeldForCustomer | ParcelStatus::AwaitingDriver
        )
    }

    pub fn in_store_custody(self) -> bool {
        matches!(
            self,
            ParcelStatus::HeldForCustomer
                | ParcelStatus::AwaitingDriver
                | ParcelStatus::OutForDelivery
        )
    }

    pub fn on_shelf(self) -> bool {
        matches!(
            self,
            ParcelStatus::HeldForCustomer | ParcelStatus::AwaitingDriver
        )
    }
}

impl fmt::Display for ParcelStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for ParcelStatus {
    type Err = UnknownCode;
    fn from_str(code: &str) -> Result<Self, Self::Err> {
        ParcelStatus::ALL
            .into_iter()
            .find(|status| status.code() == code)
            .ok_or_else(|| UnknownCode(code.to_owned()))
    }
}

/// The facts about a parcel that custody rules depend on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParcelSnapshot {
    pub tracking_id: TrackingId,
    pub status: ParcelStatus,
    /// When a customer hold ends (only for parcels received for customers).
    pub hold_expires_at: Option<DateTime<Utc>>,
    /// Set by "unable to find"; cleared by any later handoff of the parcel (it was found).
    pub missing: bool,
}

impl ParcelSnapshot {
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.status == ParcelStatus::HeldForCustomer
            && self.hold_expires_at.is_some_and(|expiry| expiry <= now)
    }
}

/// Why a handoff is refused for a parcel. Each names the parcel and says what the clerk can do.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum CustodyError {
    #[error("parcel {0} is already held by the store ({1}); it cannot be received again")]
    AlreadyHeld(TrackingId, ParcelStatus),
    #[error("parcel {0} is not in the store's records")]
    Unknown(TrackingId),
    #[error("parcel {tracking_id} is {status}, so the store cannot hand it over as {kind}")]
    NotCustodian {
        tracking_id: TrackingId,
        status: ParcelStatus,
        kind: EventKind,
    },
    #[error("parcel {0} is held for its customer and has not expired; a driver cannot take it yet")]
    NotDueForDriver(TrackingId),
    #[error("parcel {0} appears twice in one handoff")]
    Duplicate(TrackingId),
    #[error("a {0} handoff needs at least one parcel")]
    NoParcels(EventKind),
    #[error("{0} is not a custody handoff")]
    NotCustody(EventKind),
}

/// The state a custody handoff leaves the parcel in, or why it is not allowed. `current` is
/// `None` for a parcel the store has never seen.
pub fn next_status(
    kind: EventKind,
    tracking_id: &TrackingId,
    current: Option<&ParcelSnapshot>,
    now: DateTime<Utc>,
) -> Result<ParcelStatus, CustodyError> {
    use EventKind as K;
    use ParcelStatus as S;

    let status = current.map(|parcel| parcel.status);
    let not_custodian = |status: ParcelStatus| CustodyError::NotCustodian {
        tracking_id: tracking_id.clone(),
        status,
        kind,
    };
    // Arrivals: a parcel may (re)enter the store only when the store does not hold it already.
    let arrival = |to: ParcelStatus| match status {
        Some(held) if held.in_store_custody() => {
            Err(CustodyError::AlreadyHeld(tracking_id.clone(), held))
        }
        _ => Ok(to),
    };
    let require = |allowed: &[ParcelStatus], to: ParcelStatus| match status {
        None => Err(CustodyError::Unknown(tracking_id.clone())),
        Some(held) if allowed.contains(&held) => Ok(to),
        Some(other) => Err(not_custodian(other)),
    };

    match kind {
        K::DriverDelivery => arrival(S::HeldForCustomer),
        K::DeliveryRefusedDamaged | K::DropOffRefused => arrival(S::RefusedAtReceipt),
        K::CustomerDropOff | K::CustomerReturn | K::OutgoingOrder => arrival(S::AwaitingDriver),
        // A customer may still collect after expiry as long as no driver has taken it back.
        K::CustomerPickup => require(&[S::HeldForCustomer], S::Collected),
        K::DriverPickup => match current {
            None => Err(CustodyError::Unknown(tracking_id.clone())),
            Some(parcel) if parcel.status == S::AwaitingDriver => Ok(S::WithDriver),
            Some(parcel) if parcel.is_expired(now) => Ok(S::WithDriver),
            Some(parcel) if parcel.status == S::HeldForCustomer => {
                Err(CustodyError::NotDueForDriver(tracking_id.clone()))
            }
            Some(parcel) => Err(not_custodian(parcel.status)),
        },
        K::LocalDeliveryOut => require(&[S::HeldForCustomer], S::OutForDelivery),
        K::LocalDeliveryDelivered => require(&[S::OutForDelivery], S::Delivered),
        K::LocalDeliveryReturned => require(&[S::OutForDelivery], S::HeldForCustomer),
        // "Unable to find" records the search; custody stays with the store.
        K::UnableToFind => match status {
            Some(held) if held.on_shelf() => Ok(held),
            Some(other) => Err(not_custodian(other)),
            None => Err(CustodyError::Unknown(tracking_id.clone())),
        },
        K::CustomerRefused => require(&[S::HeldForCustomer], S::AwaitingDriver),
        K::Damaged => require(&[S::HeldForCustomer, S::AwaitingDriver], S::AwaitingDriver),
        K::StaffEnrolled
        | K::StaffDisabled
        | K::StaffPinReset
        | K::StaffUnlocked
        | K::ExpectedParcelsImported
        | K::StateSealed
        | K::DemoDataMarked => Err(CustodyError::NotCustody(kind)),
    }
}

/// Shelf by the first letter of the recipient's last name; unannounced parcels go to shelf X
/// until a customer claims them.
pub fn suggest_shelf(recipient: &str) -> String {
    recipient
        .split_whitespace()
        .last()
        .and_then(|surname| surname.chars().find(char::is_ascii_alphabetic))
        .map_or_else(
            || "X".to_owned(),
            |letter| letter.to_ascii_uppercase().to_string(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn id() -> TrackingId {
        TrackingId::parse("1Z0001").unwrap()
    }

    fn snapshot(status: ParcelStatus, expires_in_hours: i64, now: DateTime<Utc>) -> ParcelSnapshot {
        ParcelSnapshot {
            tracking_id: id(),
            status,
            hold_expires_at: Some(now + Duration::hours(expires_in_hours)),
            missing: false,
        }
    }

    #[test]
    fn shelves_follow_the_last_name() {
        assert_eq!(suggest_shelf("Dana Reyes"), "R");
        assert_eq!(suggest_shelf("  lee  "), "L");
        assert_eq!(suggest_shelf(""), "X");
        assert_eq!(suggest_shelf("Ana 42"), "X");
    }

    #[test]
    fn codes_round_trip() {
        for kind in EventKind::ALL {
            assert_eq!(kind.code().parse::<EventKind>(), Ok(kind));
        }
        for status in ParcelStatus::ALL {
            assert_eq!(status.code().parse::<ParcelStatus>(), Ok(status));
        }
    }

    #[test]
    fn transition_table() {
        use EventKind as K;
        use ParcelStatus as S;
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        // (kind, current status or None, hours until hold expiry, expected outcome)
        type Row = (K, Option<S>, i64, Result<S, &'static str>);
        let table: Vec<Row> = vec![
            (K::DriverDelivery, None, 1, Ok(S::HeldForCustomer)),
            (
                K::DriverDelivery,
                Some(S::Collected),
                1,
                Ok(S::HeldForCustomer),
            ),
            (
                K::DriverDelivery,
                Some(S::HeldForCustomer),
                1,
                Err("already held"),
            ),
            (
                K::DriverDelivery,
                Some(S::OutForDelivery),
                1,
                Err("already held"),
            ),
            (K::DeliveryRefusedDamaged, None, 1, Ok(S::RefusedAtReceipt)),
            (K::DropOffRefused, None, 1, Ok(S::RefusedAtReceipt)),
            (
                K::DropOffRefused,
                Some(S::AwaitingDriver),
                1,
                Err("already held"),
            ),
            (
                K::CustomerPickup,
                Some(S::HeldForCustomer),
                1,
                Ok(S::Collected),
            ),
            (
                K::CustomerPickup,
                Some(S::HeldForCustomer),
                -1,
                Ok(S::Collected),
            ),
            (
                K::CustomerPickup,
                Some(S::Collected),
                1,
                Err("collected, so"),
            ),
            (
                K::CustomerPickup,
                Some(S::AwaitingDriver),
                1,
                Err("awaiting_driver, so"),
            ),
            (
                K::CustomerPickup,
                None,
                1,
                Err("not in the store's records"),
            ),
            (K::CustomerDropOff, None, 1, Ok(S::AwaitingDriver)),
            (
                K::CustomerReturn,
                Some(S::Collected),
                1,
                Ok(S::AwaitingDriver),
            ),
            (
                K::OutgoingOrder,
                Some(S::AwaitingDriver),
                1,
                Err("already held"),
            ),
            (
                K::DriverPickup,
                Some(S::AwaitingDriver),
                1,
                Ok(S::WithDriver),
            ),
            (
                K::DriverPickup,
                Some(S::HeldForCustomer),
                -1,
                Ok(S::WithDriver),
            ),
            (
                K::DriverPickup,
                Some(S::HeldForCustomer),
                0,
                Ok(S::WithDriver),
            ),
            (
                K::DriverPickup,
                Some(S::HeldForCustomer),
                1,
                Err("has not expired"),
            ),
            (
                K::DriverPickup,
                Some(S::WithDriver),
                1,
                Err("with_driver, so"),
            ),
            (
                K::LocalDeliveryOut,
                Some(S::HeldForCustomer),
                1,
                Ok(S::OutForDelivery),
            ),
            (
                K::LocalDeliveryDelivered,
                Some(S::OutForDelivery),
                1,
                Ok(S::Delivered),
            ),
            (
                K::LocalDeliveryDelivered,
                Some(S::HeldForCustomer),
                1,
                Err("held_for_customer, so"),
            ),
            (
                K::LocalDeliveryReturned,
                Some(S::OutForDelivery),
                1,
                Ok(S::HeldForCustomer),
            ),
            (
                K::UnableToFind,
                Some(S::AwaitingDriver),
                1,
                Ok(S::AwaitingDriver),
            ),
            (K::UnableToFind, Some(S::Collected), 1, Err("collected, so")),
            (
                K::CustomerRefused,
                Some(S::HeldForCustomer),
                1,
                Ok(S::AwaitingDriver),
            ),
            (
                K::Damaged,
                Some(S::HeldForCustomer),
                1,
                Ok(S::AwaitingDriver),
            ),
            (
                K::Damaged,
                Some(S::OutForDelivery),
                1,
                Err("out_for_delivery, so"),
            ),
            (K::StaffEnrolled, None, 1, Err("not a custody handoff")),
        ];
        for (kind, status, hours, expected) in table {
            let current = status.map(|s| snapshot(s, hours, now));
            let outcome = next_status(kind, &id(), current.as_ref(), now);
            match (outcome, expected) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{kind} from {status:?}"),
                (Err(error), Err(fragment)) => assert!(
                    error.to_string().contains(fragment),
                    "{kind} from {status:?}: {error} lacks {fragment:?}"
                ),
                (got, want) => panic!("{kind} from {status:?}: got {got:?}, want {want:?}"),
            }
        }
    }
}
