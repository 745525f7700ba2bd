//! The derived tables as the events make them. Recording writes exactly the rows these
//! functions return, and `kiosk verify` folds every event through them ([`Replay`]) and holds
//! the result against the tables: a row edited behind the kiosk's back (a pickup code swapped, a
//! clerk promoted, a PIN hash copied) no longer matches what the chain says.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::chain::{EventItem, Fact, LedgerEvent};
use super::clock::{from_micros, to_micros};
use super::custody::{EventKind, ParcelSnapshot, ParcelStatus, next_status};
use super::handoff::ParcelOrigin;
use super::ids::TrackingId;
use super::labels::carrier_of_text;
use super::report::{custody_bucket, custody_change};

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

    fn from_facts(facts: &[Fact], created_at_us: i64) -> Result<Self, String> {
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
        // administrative kinds): the parcel keeps its row and takes the new status.
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
        | EventKind::DemoDataMarked => {
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

/// The derived state, built by folding events in chain order.
#[derive(Debug, Clone, Default)]
pub struct Replay {
    pub parcels: HashMap<String, ParcelRow>,
    pub expected: HashMap<String, ExpectedRow>,
    pub staff: BTreeMap<i64, StaffRow>,
    /// Parcels in and out per custody bucket (see `domain::report::custody_bucket`).
    pub custody_totals: BTreeMap<i64, (u64, u64)>,
    /// Each handshake token a handoff used, with the first event that used it.
    pub token_uses: HashMap<String, u64>,
    /// Whether the chain says this is demo data.
    pub demo_data: bool,
    /// Format-1 events carry too little to rebuild the tables; after one, the state is unknown
    /// until a sealed state (written when the ledger was upgraded) says what it was.
    pub state_unknown_since: Option<u64>,
    /// The sequence number and time of the sealed state, when the ledger has one.
    pub sealed_at: Option<(u64, DateTime<Utc>)>,
}

/// How a sealed state is split over events: each part names itself `k/n`.
pub const SEAL_PART_FACT: &str = "part";

impl Replay {
    /// Whether the tables can be held against this replay.
    pub fn state_known(&self) -> bool {
        self.state_unknown_since.is_none()
    }

    /// Applies one event. An error means the chain itself breaks a rule (a custody move the
    /// rules forbid, a fact missing): `verify` reports it as a fault of that event.
    pub fn apply(&mut self, event: &LedgerEvent) -> Result<(), String> {
        let body = &event.body;
        if let Some(token) = &body.token_id {
            self.token_uses.entry(token.clone()).or_insert(event.seq);
        }
        let (parcels_in, parcels_out) = custody_change(body.kind, body.items.len() as u64);
        if parcels_in + parcels_out > 0 {
            let bucket = custody_bucket(to_micros(body.recorded_at));
            let totals = self.custody_totals.entry(bucket).or_default();
            totals.0 += parcels_in;
            totals.1 += parcels_out;
        }
        if body.kind == EventKind::StateSealed {
            return self.apply_seal(event);
        }
        if body.kind == EventKind::DemoDataMarked {
            self.demo_data = true;
            return Ok(());
        }
        if body.format < 2 {
            self.state_unknown_since.get_or_insert(event.seq);
            return Ok(());
        }
        if !self.state_known() {
            return Ok(());
        }
        let at = to_micros(body.recorded_at);
        match body.kind {
            EventKind::ExpectedParcelsImported => {
                for item in &body.items {
                    self.expected.insert(
                        item.tracking_id.clone(),
                        ExpectedRow {
                            tracking_id: item.tracking_id.clone(),
                            recipient_name: item.recipient.clone(),
                            code_digest: item.code.clone(),
                            postal_code: item.postal_code.clone(),
                            imported_at_us: at,
                        },
                    );
                }
            }
            EventKind::StaffEnrolled
            | EventKind::StaffDisabled
            | EventKind::StaffPinReset
            | EventKind::StaffUnlocked => {
                let id: i64 = fact(&body.facts, "staff_id")
                    .and_then(|id| id.parse().ok())
                    .ok_or_else(|| format!("event {} names no staff member", event.seq))?;
                let created = match self.staff.get(&id) {
                    Some(existing) => existing.created_at_us,
                    None if body.kind == EventKind::StaffEnrolled => at,
                    None => {
                        return Err(format!(
                            "event {} changes staff member {id}, who was never enrolled",
                            event.seq
                        ));
                    }
                };
                let row = StaffRow::from_facts(&body.facts, created)
                    .map_err(|reason| format!("event {}: {reason}", event.seq))?;
                self.staff.insert(id, row);
            }
            EventKind::StateSealed | EventKind::DemoDataMarked => {}
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
            | EventKind::Damaged => {
                for item in &body.items {
                    let previous = self.parcels.get(&item.tracking_id);
                    let tracking = TrackingId::parse(&item.tracking_id)
                        .map_err(|e| format!("event {}: {e}", event.seq))?;
                    let snapshot = previous.map(ParcelRow::snapshot).transpose()?;
                    let status =
                        next_status(body.kind, &tracking, snapshot.as_ref(), body.recorded_at)
                            .map_err(|e| {
                                format!("event {} breaks the custody rules: {e}", event.seq)
                            })?;
                    let row = next_parcel_row(previous, event, item, status)?;
                    self.parcels.insert(item.tracking_id.clone(), row);
                }
            }
        }
        Ok(())
    }

    fn apply_seal(&mut self, event: &LedgerEvent) -> Result<(), String> {
        let facts = &event.body.facts;
        let bad = |what: &str| format!("event {} (sealed state): {what}", event.seq);
        let (part, parts) = fact(facts, SEAL_PART_FACT)
            .and_then(|text| text.split_once('/'))
            .and_then(|(k, n)| Some((k.parse::<u64>().ok()?, n.parse::<u64>().ok()?)))
            .ok_or_else(|| bad("it does not say which part it is"))?;
        if part == 1 {
            self.parcels.clear();
            self.expected.clear();
            self.staff.clear();
            self.sealed_at = Some((event.seq, event.body.recorded_at));
        }
        for (name, value) in facts {
            let invalid = |_| bad(&format!("a {name} row is not valid"));
            match name.as_str() {
                "parcel" => {
                    let mut row: ParcelRow = serde_json::from_str(value).map_err(invalid)?;
                    // A seal is read for its rule-bearing facts; the carrier is the id's.
                    row.carrier = carrier_cell(&row.tracking_id);
                    self.parcels.insert(row.tracking_id.clone(), row);
                }
                "expected" => {
                    let row: ExpectedRow = serde_json::from_str(value).map_err(invalid)?;
                    self.expected.insert(row.tracking_id.clone(), row);
                }
                "staff" => {
                    let row: StaffRow = serde_json::from_str(value).map_err(invalid)?;
                    self.staff.insert(row.id, row);
                }
                "demo_data" => self.demo_data = value == "1",
                _ => {}
            }
        }
        if part == parts {
            self.state_unknown_since = None;
        }
        Ok(())
    }
}

/// The facts of a sealed state, split into parts of at most `per_part` rows each (a store's
/// whole state may be large; one event each part keeps every row a reasonable size).
pub fn seal_parts(
    parcels: &[ParcelRow],
    expected: &[ExpectedRow],
    staff: &[StaffRow],
    demo_data: bool,
    per_part: usize,
) -> Result<Vec<Vec<Fact>>, String> {
    let mut rows: Vec<Fact> = Vec::new();
    let json = |value: Result<String, serde_json::Error>| value.map_err(|e| e.to_string());
    for row in staff {
        rows.push(("staff".into(), json(serde_json::to_string(row))?));
    }
    for row in parcels {
        rows.push(("parcel".into(), json(serde_json::to_string(row))?));
    }
    for row in expected {
        rows.push(("expected".into(), json(serde_json::to_string(row))?));
    }
    if demo_data {
        rows.push(("demo_data".into(), "1".into()));
    }
    let chunks: Vec<&[Fact]> = if rows.is_empty() {
        vec![&[]]
    } else {
        rows.chunks(per_part.max(1)).collect()
    };
    let parts = chunks.len();
    Ok(chunks
        .into_iter()
        .enumerate()
        .map(|(index, chunk)| {
            let mut facts = vec![(SEAL_PART_FACT.to_owned(), format!("{}/{parts}", index + 1))];
            facts.extend_from_slice(chunk);
            facts
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::chain::{
        CURRENT_FORMAT, Counterparty, CounterpartyKind, EventBody, GENESIS_HASH,
    };

    fn event(seq: u64, kind: EventKind, items: Vec<EventItem>) -> LedgerEvent {
        LedgerEvent {
            seq,
            body: EventBody {
                recorded_at: DateTime::from_timestamp(1_800_000_000 + seq as i64, 0).unwrap(),
                kind,
                staff_id: None,
                counterparty: Counterparty {
                    kind: CounterpartyKind::Customer,
                    reference: "Ana".into(),
                },
                items,
                token_id: None,
                note: String::new(),
                format: CURRENT_FORMAT,
                facts: Vec::new(),
            },
            prev_hash: GENESIS_HASH,
            hash: GENESIS_HASH,
        }
    }

    fn delivered(code: &str) -> EventItem {
        EventItem {
            shelf: "A".into(),
            code: code.into(),
            recipient: "Ana".into(),
            hold_until_us: Some(5),
            ..EventItem::new("1Z999AA10123456784")
        }
    }

    #[test]
    fn a_delivery_then_pickup_sets_and_then_clears_the_code() {
        let mut replay = Replay::default();
        replay
            .apply(&event(1, EventKind::DriverDelivery, vec![delivered("aa")]))
            .unwrap();
        let row = &replay.parcels["1Z999AA10123456784"];
        assert_eq!(
            row.carrier, "ups",
            "derived from the id, not carried by the event"
        );
        assert_eq!(row.code_digest.as_deref(), Some("aa"));
        assert_eq!(row.status, ParcelStatus::HeldForCustomer);
        assert_eq!(row.hold_expires_at_us, Some(5));
        let pickup = EventItem::new("1Z999AA10123456784");
        replay
            .apply(&event(2, EventKind::CustomerPickup, vec![pickup]))
            .unwrap();
        let row = &replay.parcels["1Z999AA10123456784"];
        assert_eq!(row.code_digest, None);
        assert_eq!(row.status, ParcelStatus::Collected);
        assert_eq!(row.last_seq, 2);
    }

    #[test]
    fn a_delivery_without_its_code_digest_is_a_fault() {
        let mut replay = Replay::default();
        let error = replay
            .apply(&event(1, EventKind::DriverDelivery, vec![delivered("")]))
            .unwrap_err();
        assert!(error.contains("digest of its pickup code"), "{error}");
    }

    #[test]
    fn a_custody_move_the_rules_forbid_is_a_fault() {
        let mut replay = Replay::default();
        let error = replay
            .apply(&event(
                1,
                EventKind::CustomerPickup,
                vec![EventItem::new("1Z999AA10123456784")],
            ))
            .unwrap_err();
        assert!(error.contains("breaks the custody rules"), "{error}");
    }

    #[test]
    fn format_one_events_leave_the_state_unknown_until_a_seal() {
        let mut replay = Replay::default();
        let mut old = event(1, EventKind::DriverDelivery, vec![EventItem::new("1Z1")]);
        old.body.format = 1;
        replay.apply(&old).unwrap();
        assert!(!replay.state_known());
        let row = ParcelRow {
            tracking_id: "1Z999AA10123456784".into(),
            status: ParcelStatus::HeldForCustomer,
            shelf: "A".into(),
            recipient_name: String::new(),
            postal_code: String::new(),
            code_digest: Some("bb".into()),
            received_at_us: Some(1),
            hold_expires_at_us: Some(2),
            missing: false,
            last_seq: 1,
            origin: ParcelOrigin::Carrier.as_str().into(),
            leave_by_us: None,
            carrier: "ups".into(),
        };
        let parts = seal_parts(std::slice::from_ref(&row), &[], &[], false, 1).unwrap();
        // A seal written before the carrier column has no carrier: replay derives it.
        let mut before_carriers = parts.clone();
        before_carriers[0]
            .iter_mut()
            .filter(|(name, _)| name == "parcel")
            .for_each(|(_, json)| *json = json.replace(",\"carrier\":\"ups\"", ""));
        assert!(
            !before_carriers[0]
                .iter()
                .any(|(_, json)| json.contains("\"carrier\":"))
        );
        let mut old_seal = event(2, EventKind::StateSealed, Vec::new());
        old_seal.body.facts = before_carriers[0].clone();
        let mut from_old = Replay::default();
        from_old.apply(&old_seal).unwrap();
        assert_eq!(from_old.parcels["1Z999AA10123456784"], row);
        assert_eq!(parts.len(), 1);
        let mut seal = event(2, EventKind::StateSealed, Vec::new());
        seal.body.facts = parts[0].clone();
        replay.apply(&seal).unwrap();
        assert!(replay.state_known());
        assert_eq!(replay.parcels["1Z999AA10123456784"], row);
    }

    #[test]
    fn a_pin_digest_is_bound_to_its_staff_id() {
        assert_ne!(
            staff_pin_digest(1, "$argon2id$x"),
            staff_pin_digest(2, "$argon2id$x")
        );
    }
}
