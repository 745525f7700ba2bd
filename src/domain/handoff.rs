//! What the counter asks the ledger to record (handoff requests), what it gets back (the
//! receipt), and where a parcel came from. Flows build these; the store takes and returns them.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use super::calendar::StoreCalendar;
use super::carriers::CarrierRules;
use super::chain::{ChainHash, Counterparty};
use super::codes::{CodeDigester, PickupCode};
use super::custody::{EventKind, UnknownCode};
use super::ids::TrackingId;

/// One parcel in a handoff request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoffItem {
    pub tracking_id: TrackingId,
    /// Shelf or bin, where the parcel goes onto a shelf.
    pub shelf: String,
    /// Per-parcel detail (a refusal reason, "left with neighbour").
    pub detail: String,
    /// For the shop's own orders: when the parcel must leave with a driver.
    pub leave_by: Option<DateTime<Utc>>,
    /// For an unannounced delivery: the recipient's name from the label (an announced parcel
    /// takes the announcement's).
    pub recipient: String,
}

impl HandoffItem {
    pub fn new(tracking_id: TrackingId) -> Self {
        Self {
            tracking_id,
            shelf: String::new(),
            detail: String::new(),
            leave_by: None,
            recipient: String::new(),
        }
    }

    pub fn on_shelf(tracking_id: TrackingId, shelf: &str) -> Self {
        Self {
            shelf: shelf.to_owned(),
            ..Self::new(tracking_id)
        }
    }

    pub fn with_detail(tracking_id: TrackingId, detail: &str) -> Self {
        Self {
            detail: detail.to_owned(),
            ..Self::new(tracking_id)
        }
    }
}

/// A custody handoff to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoffRequest {
    pub kind: EventKind,
    pub counterparty: Counterparty,
    pub items: Vec<HandoffItem>,
    /// The handshake token the driver scanned, if any.
    pub token_id: Option<String>,
    pub note: String,
}

/// What recording needs besides the request: the store's rules.
pub struct RecordContext<'a> {
    pub calendar: &'a StoreCalendar,
    /// Each carrier's hold (kiosk.toml `[carriers]`), applied when a parcel is received.
    pub carriers: &'a CarrierRules,
    pub capacity: u32,
    pub codes: &'a CodeDigester,
    /// With a live link: head office's key the codes made for unannounced parcels are sealed
    /// to, in the recording's transaction (store/sealed_codes.rs).
    pub seal_codes_to: Option<&'a crate::domain::sealed_codes::CodeSealKey>,
}

/// Proof that handoffs were committed: returned only after the commit succeeded.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub first_seq: u64,
    pub last_seq: u64,
    pub head_hash: ChainHash,
    /// Codes generated for parcels that arrived unannounced. Shown once to the clerk; the
    /// ledger keeps only their keyed digest.
    pub generated_codes: Vec<(TrackingId, PickupCode)>,
    pub on_hand: u64,
    pub capacity: u32,
}

impl Receipt {
    pub fn event_count(&self) -> u64 {
        self.last_seq + 1 - self.first_seq
    }

    /// Over capacity is reported, never blocked: the parcel is already at the counter.
    pub fn over_capacity(&self) -> bool {
        self.on_hand > u64::from(self.capacity)
    }
}

/// Where a parcel came into the store's custody from. Kept in `parcels.origin` as the text of
/// [`ParcelOrigin::as_str`], the same words the ledger has always held, so no migration is
/// needed and old ledgers read the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParcelOrigin {
    /// Delivered by a carrier's driver (and anything else that is not one of the below).
    Carrier,
    /// A customer's drop-off to send.
    DropOff,
    /// A customer's return.
    Return,
    /// One of the shop's own packed orders.
    Order,
    /// A row written before the ledger kept origins (the column's default, an empty text).
    Unrecorded,
}

impl ParcelOrigin {
    pub const ALL: [ParcelOrigin; 5] = [
        ParcelOrigin::Carrier,
        ParcelOrigin::DropOff,
        ParcelOrigin::Return,
        ParcelOrigin::Order,
        ParcelOrigin::Unrecorded,
    ];

    /// The stored text. Never rename one: it is in `parcels` rows and in sealed states.
    pub fn as_str(self) -> &'static str {
        match self {
            ParcelOrigin::Carrier => "carrier",
            ParcelOrigin::DropOff => "drop_off",
            ParcelOrigin::Return => "return",
            ParcelOrigin::Order => "order",
            ParcelOrigin::Unrecorded => "",
        }
    }

    /// The origin a parcel takes when an event of `kind` brings it in. Exhaustive, so a new
    /// kind must say where its parcels come from.
    pub fn of_arrival(kind: EventKind) -> ParcelOrigin {
        match kind {
            EventKind::CustomerDropOff => ParcelOrigin::DropOff,
            EventKind::CustomerReturn => ParcelOrigin::Return,
            EventKind::OutgoingOrder => ParcelOrigin::Order,
            EventKind::DriverDelivery
            | EventKind::DeliveryRefusedDamaged
            | EventKind::CustomerPickup
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
            | EventKind::SlipReprinted => ParcelOrigin::Carrier,
        }
    }
}

impl fmt::Display for ParcelOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ParcelOrigin {
    type Err = UnknownCode;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        ParcelOrigin::ALL
            .into_iter()
            .find(|origin| origin.as_str() == text)
            .ok_or_else(|| UnknownCode(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_round_trip_through_their_stored_text() {
        for origin in ParcelOrigin::ALL {
            assert_eq!(origin.as_str().parse::<ParcelOrigin>(), Ok(origin));
        }
        assert!("shipment".parse::<ParcelOrigin>().is_err());
    }

    #[test]
    fn origins_keep_the_words_old_ledgers_hold() {
        let stored: Vec<&str> = ParcelOrigin::ALL.iter().map(|o| o.as_str()).collect();
        assert_eq!(stored, ["carrier", "drop_off", "return", "order", ""]);
    }

    #[test]
    fn arrivals_take_the_origin_of_their_kind() {
        assert_eq!(
            ParcelOrigin::of_arrival(EventKind::OutgoingOrder),
            ParcelOrigin::Order
        );
        assert_eq!(
            ParcelOrigin::of_arrival(EventKind::CustomerReturn),
            ParcelOrigin::Return
        );
        assert_eq!(
            ParcelOrigin::of_arrival(EventKind::CustomerDropOff),
            ParcelOrigin::DropOff
        );
        assert_eq!(
            ParcelOrigin::of_arrival(EventKind::DriverDelivery),
            ParcelOrigin::Carrier
        );
    }
}
