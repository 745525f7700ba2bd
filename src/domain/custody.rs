//! Parcels and custody: which handoffs exist, what state each leaves a parcel in, and which
//! handoffs are allowed from which state. The one place these rules live.

use chrono::{DateTime, Utc};
use thiserror::Error;

pub use super::event_kind::{EventKind, Movement};
use super::ids::TrackingId;
pub use super::ledger_codes::UnknownCode;
use super::ledger_codes::ledger_codes;

ledger_codes! {
    /// Where a parcel is, as far as the store is concerned.
    pub enum ParcelStatus {
        /// On the shelf, waiting for its customer.
        HeldForCustomer => "held_for_customer", "held for its customer";
        /// On the shelf, waiting for a driver (drop-off, return, outgoing order, refused, damaged).
        AwaitingDriver => "awaiting_driver", "waiting for a driver";
        /// With the store's courier on a local delivery run.
        OutForDelivery => "out_for_delivery", "out for local delivery";
        /// Handed to the customer.
        Collected => "collected", "collected by the customer";
        /// Left the store with a driver.
        WithDriver => "with_driver", "gone with a driver";
        /// Delivered locally by the store's courier.
        Delivered => "delivered", "delivered locally";
        /// Refused at the counter when the driver offered it; never in the store's custody.
        RefusedAtReceipt => "refused_at_receipt", "refused at the counter";
        /// A manager's correction undid the record that brought it in: as far as the books
        /// go it never arrived (see `domain::correction`).
        RecordedInError => "recorded_in_error", "recorded in error";
    }
}

impl ParcelStatus {
    /// On a shelf of this store, counted against its capacity.
    pub fn counts_on_hand(self) -> bool {
        self.on_shelf()
    }

    /// Whether the store (its shelves or its courier) is the parcel's custodian.
    pub fn in_store_custody(self) -> bool {
        match self {
            ParcelStatus::HeldForCustomer
            | ParcelStatus::AwaitingDriver
            | ParcelStatus::OutForDelivery => true,
            ParcelStatus::Collected
            | ParcelStatus::WithDriver
            | ParcelStatus::Delivered
            | ParcelStatus::RefusedAtReceipt
            | ParcelStatus::RecordedInError => false,
        }
    }

    /// On a shelf of this store now (not out with its courier).
    pub fn on_shelf(self) -> bool {
        match self {
            ParcelStatus::HeldForCustomer | ParcelStatus::AwaitingDriver => true,
            ParcelStatus::OutForDelivery
            | ParcelStatus::Collected
            | ParcelStatus::WithDriver
            | ParcelStatus::Delivered
            | ParcelStatus::RefusedAtReceipt
            | ParcelStatus::RecordedInError => false,
        }
    }
}

/// "Already held here": a parcel the store has custody of cannot be received again (by a
/// driver's delivery, a drop-off, a return or an order). `current` is the parcel's status, or
/// `None` for a parcel the store has never seen. The counter asks this as the label is
/// scanned; recording asks it again inside the transaction.
pub fn check_not_already_held(
    tracking_id: &TrackingId,
    current: Option<ParcelStatus>,
) -> Result<(), CustodyError> {
    match current {
        Some(held) if held.in_store_custody() => {
            Err(CustodyError::AlreadyHeld(tracking_id.clone(), held))
        }
        Some(_) | None => Ok(()),
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
    #[error("a {0} is recorded from the manager's desk, not as a handoff")]
    NotHandoff(EventKind),
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
    let arrival = |to: ParcelStatus| check_not_already_held(tracking_id, status).map(|()| to);
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
        // Never a handoff: a correction restores the state before the record it undoes
        // (`correction::corrected_row`), so it has no "next status" of its own.
        K::Correction => Err(CustodyError::NotHandoff(kind)),
        K::StaffEnrolled
        | K::StaffDisabled
        | K::StaffPinReset
        | K::StaffUnlocked
        | K::ExpectedParcelsImported
        | K::StateSealed
        | K::DemoDataMarked
        | K::PickupCodeRefused
        | K::SlipReprinted => Err(CustodyError::NotCustody(kind)),
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

/// The longest shelf name: every shelf column is this wide.
pub const SHELF_MAX_CHARS: usize = 5;

/// Whether `shelf` is a name shelf: one letter A-Z, where `suggest_shelf` puts a customer's
/// parcels (and "X" for a name without a letter).
pub fn is_name_shelf(shelf: &str) -> bool {
    shelf.len() == 1 && shelf.bytes().all(|b| b.is_ascii_uppercase())
}

/// Why typed text is not a shelf; `Display` is the English the configuration check says.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum ShelfNameError {
    #[error("a shelf cannot be empty")]
    Empty,
    #[error("{shelf:?} is too long for a shelf: at most {SHELF_MAX_CHARS} characters")]
    TooLong { shelf: String },
    #[error("{shelf:?} is not a shelf: use letters, digits and hyphens")]
    NotAShelf { shelf: String },
}

/// A shelf as typed (by the clerk, or in kiosk.toml) in the form the ledger keeps it: 1 to 5
/// letters, digits or hyphens, upper case (every shelf column shows 5 whole). `Err` says why
/// not.
pub fn shelf_name(typed: &str) -> Result<String, ShelfNameError> {
    let shelf = typed.trim().to_ascii_uppercase();
    if shelf.is_empty() {
        return Err(ShelfNameError::Empty);
    }
    if shelf.chars().count() > SHELF_MAX_CHARS {
        return Err(ShelfNameError::TooLong { shelf });
    }
    if !shelf.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(ShelfNameError::NotAShelf { shelf });
    }
    Ok(shelf)
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
        assert!(is_name_shelf("O") && !is_name_shelf("ORD") && !is_name_shelf("4"));
        assert_eq!(shelf_name(" f4 "), Ok("F4".into()));
        assert!(shelf_name("").is_err() && shelf_name("A B").is_err());
        assert!(shelf_name("SHELF6").is_err());
    }

    #[test]
    fn already_held_refuses_only_parcels_in_the_stores_custody() {
        for status in ParcelStatus::ALL {
            let outcome = check_not_already_held(&id(), Some(status));
            assert_eq!(outcome.is_err(), status.in_store_custody(), "{status}");
        }
        assert_eq!(check_not_already_held(&id(), None), Ok(()));
        assert!(
            check_not_already_held(&id(), Some(ParcelStatus::OutForDelivery))
                .is_err_and(|e| e.to_string().contains("cannot be received again"))
        );
    }

    #[test]
    fn every_status_is_in_all_once() {
        fn index(status: ParcelStatus) -> usize {
            match status {
                ParcelStatus::HeldForCustomer
                | ParcelStatus::AwaitingDriver
                | ParcelStatus::OutForDelivery
                | ParcelStatus::Collected
                | ParcelStatus::WithDriver
                | ParcelStatus::Delivered
                | ParcelStatus::RefusedAtReceipt
                | ParcelStatus::RecordedInError => status as usize,
            }
        }
        for (position, status) in ParcelStatus::ALL.into_iter().enumerate() {
            assert_eq!(index(status), position, "{status}");
        }
        assert_eq!(
            ParcelStatus::ALL.len(),
            ParcelStatus::RecordedInError as usize + 1
        );
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
            (
                K::Correction,
                Some(S::HeldForCustomer),
                1,
                Err("from the manager's desk"),
            ),
            (
                K::DriverDelivery,
                Some(S::RecordedInError),
                1,
                Ok(S::HeldForCustomer),
            ),
            (
                K::CustomerPickup,
                Some(S::RecordedInError),
                1,
                Err("recorded_in_error, so"),
            ),
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
