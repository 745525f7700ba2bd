//! The derived tables as the events make them. Recording writes exactly the rows these
//! functions return, and `kiosk verify` folds every event through them ([`Replay`]) and holds
//! the result against the tables: a row edited behind the kiosk's back (a pickup code swapped, a
//! clerk promoted, a PIN hash copied) no longer matches what the chain says.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::chain::{EventItem, Fact, LedgerEvent};
use super::clock::{from_micros, to_micros};
use super::custody::{EventKind, ParcelSnapshot, ParcelStatus};
use super::handoff::ParcelOrigin;
use super::ids::TrackingId;
use super::labels::carrier_of_text;

/// Domain separation for the digest of a staff member's PIN hash bound to their id.
const STAFF_PIN_TAG: &[u8] = b"handoff-kiosk/staff-pin/v1\0";

mod status_code {
    use super::ParcelStatus;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(status: &ParcelStatus, out: S) -> Result<S::Ok, S::Error> {
        out.serialize_str(status.code())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(input: D) -> Result<ParcelStatus, D::Error> {
        let code = String::deserialize(input)?;
        code.parse().map_err(serde::de::Error::custom)
    }
}

/// A row of `parcels`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParcelRow {
    pub tracking_id: String,
    #[serde(with = "status_code")]
    pub status: ParcelStatus,
    pub shelf: String,
    pub recipient_name: String,
    pub postal_code: String,
    /// Hex of the keyed pickup-code digest; `None` once the parcel left the store's custody.
    pub code_digest: Option<String>,
    pub received_at_us: Option<i64>,
    pub hold_expires_at_us: Option<i64>,
    pub missing: bool,
    pub last_seq: u64,
    /// The stored text, not a [`ParcelOrigin`]: this row mirrors the table so `verify` can name
    /// any edit to it, even to a word no origin has.
    pub origin: String,
    pub leave_by_us: Option<i64>,
    /// [`Carrier::code`] of [`carrier_of`] the tracking id. Not carried by the events: the
    /// carrier is a pure function of the id, which the chain covers, so replay derives it here
    /// and an edited `carrier` cell still differs from what the events make. (A new event format
    /// carrying it would add nothing the hash does not already bind.) Absent from sealed states
    /// written before the column; [`Replay`] derives it for those too.
    #[serde(default)]
    pub carrier: String,
}

/// The `carrier` cell of a parcel row: derived from the id alone (see [`ParcelRow::carrier`]).
pub fn carrier_cell(tracking_id: &str) -> String {
    carrier_of_text(tracking_id).code()
}

impl ParcelRow {
    pub fn snapshot(&self) -> Result<ParcelSnapshot, String> {
        Ok(ParcelSnapshot {
            tracking_id: TrackingId::parse(&self.tracking_id).map_err(|e| e.to_string())?,
            status: self.status,
            hold_expires_at: self.hold_expires_at_us.map(from_micros),
            missing: self.missing,
        })
    }

    /// Each field by name, as text, for naming the one that differs.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("status", self.status.code().to_owned()),
            ("shelf", self.shelf.clone()),
            ("recipient_name", self.recipient_name.clone()),
            ("postal_code", self.postal_code.clone()),
            ("code_digest", self.code_digest.clone().unwrap_or_default()),
            ("received_at_us", optional(self.received_at_us)),
            ("hold_expires_at_us", optional(self.hold_expires_at_us)),
            ("missing", self.missing.to_string()),
            ("last_seq", self.last_seq.to_string()),
            ("origin", self.origin.clone()),
            ("leave_by_us", optional(self.leave_by_us)),
            ("carrier", self.carrier.clone()),
        ]
    }
}

fn optional(value: Option<i64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// A row of `expected_parcels`: what the carrier announced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpectedRow {
    pub tracking_id: String,
    pub recipient_name: String,
    /// Hex of the keyed pickup-code digest.
    pub code_digest: String,
    pub postal_code: String,
    pub imported_at_us: i64,
}

impl ExpectedRow {
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("recipient_name", self.recipient_name.clone()),
            ("code_digest", self.code_digest.clone()),
            ("postal_code", self.postal_code.clone()),
            ("imported_at_us", self.imported_at_us.to_string()),
        ]
    }
}

/// A row of `staff`, less the wrong-PIN counters (rate limits, see RELIABILITY.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    pub id: i64,
    pub display_name: String,
    pub role: String,
    pub active: bool,
    /// [`staff_pin_digest`] of the row's PHC string.
    pub pin_digest: String,
    pub created_at_us: i64,
}

impl StaffRow {
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("display_name", self.display_name.clone()),
            ("role", self.role.clone()),
            ("active", self.active.to_string()),
            ("pin_phc", self.pin_digest.clone()),
            ("created_at_us", self.created_at_us.to_string()),
        ]
    }

    /// The facts a staff event carries: the member's whole state after the change.
    pub fn facts(&self) -> Vec<Fact> {
        vec![
            ("staff_id".into(), self.id.to_string()),
            ("name".into(), self.display_name.clone()),
            ("role".into(), self.role.clone()),
            ("active".into(), if self.active { "1" } else { "0" }.into()),
            ("pin_digest".into(), self.pin_digest.clone()),
        ]
    }

    pub(crate) fn from_facts(facts: &[Fact], created_at_us: i64) -> Result<Self, String> {
        let get =
            |name: &str| fact(facts, name).ok_or_else(|| format!("the staff event has no {name}"));
        Ok(Self {
            id: get("staff_id")?
                .parse()
                .map_err(|_| "the staff id is not a number".to_owned())?,
            display_name: get("name")?.to_owned(),
            role: get("role")?.to_owned(),
            active: get("active")? == "1",
            pin_digest: get("pin_digest")?.to_owned(),
            created_at_us,
        })
    }
}

/// The first value of the fact called `name`.
pub fn fact<'a>(facts: &'a [Fact], name: &str) -> Option<&'a str> {
    facts
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// What a staff event carries instead of the PHC string: a digest bound to the staff id, so a
/// hash copied onto another member's row no longer matches, and the PHC itself stays out of
/// exports.
pub fn staff_pin_digest(staff_id: i64, pin_phc: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(STAFF_PIN_TAG);
    hasher.update(staff_id.to_be_bytes());
    hasher.update(pin_phc.as_bytes());
    hex::encode(hasher.finalize())
}

/// The parcel's row after item `item` of `event` moved it to `status` (see
/// [`next_status`]). Mirrors what each handoff means for the store's records.
pub fn next_parcel_row(
    previous: Option<&ParcelRow>,
    event: &LedgerEvent,
    item: &EventItem,
    status: ParcelStatus,
) -> Result<ParcelRow, String> {
    let body = &event.body;
    let at = to_micros(body.recorded_at);
    let arrival = |recipient: &str,
                   postal: &str,
                   code: Option<String>,
                   received: Option<i64>,
                   hold: Option<i64>| ParcelRow {
        tracking_id: item.tracking_id.clone(),
        status,
        shelf: item.shelf.clone(),
        recipient_name: recipient.to_owned(),
        postal_code: postal.to_owned(),
        code_digest: code,
        received_at_us: received,
        hold_expires_at_us: hold,
        missing: false,
        last_seq: event.seq,
        origin: ParcelOrigin::of_arrival(body.kind).as_str().to_owned(),
        leave_by_us: item.leave_by_us,
        carrier: carrier_cell(&item.tracking_id),
    };
    let reference = body.counterparty.reference.as_str();
    Ok(match body.kind {
        EventKind::DriverDelivery => {
            if item.code.is_empty() {
                return Err(format!(
                    "event {} receives {} without the digest of its pickup code",
                    event.seq, item.tracking_id
                ));
            }
            arrival(
                &item.recipient,
                &item.postal_code,
                Some(item.code.clone()),
                Some(at),
                item.hold_until_us,
            )
        }
        EventKind::DeliveryRefusedDamaged | EventKind::DropOffRefused => {
            arrival(reference, "", None, None, None)
        }
        EventKind::CustomerDropOff | EventKind::CustomerReturn | EventKind::OutgoingOrder => {
            arrival(reference, "", None, Some(at), None)
        }
        EventKind::UnableToFind => {
            let mut row = previous
                .cloned()
                .ok_or_else(|| format!("event {} names an unknown parcel", event.seq))?;
            row.missing = true;
            row.last_seq = event.seq;
            row
        }
        // Handoffs of a parcel the store knows (and, never reached through `next_status`, the
        // administrative kinds and corrections, which `correction::apply_correction` makes):
        // the parcel keeps its row and takes the new status.
        EventKind::CustomerPickup
        | EventKind::DriverPickup
        | EventKind::LocalDeliveryOut
        | EventKind::LocalDeliveryDelivered
        | EventKind::LocalDeliveryReturned
        | EventKind::CustomerRefused
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
        | EventKind::SlipReprinted => {
            let mut row = previous
                .cloned()
                .ok_or_else(|| format!("event {} names an unknown parcel", event.seq))?;
            row.status = status;
            row.missing = false;
            row.last_seq = event.seq;
            if !item.shelf.is_empty() {
                row.shelf = item.shelf.clone();
            }
            // A parcel that leaves the store's custody no longer needs its code: cleared so a
            // code can never open anything twice.
            if !status.in_store_custody() {
                row.code_digest = None;
            }
            row
        }
    })
}
