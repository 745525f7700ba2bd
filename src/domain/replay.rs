//! Replaying the chain: every event folded through the same projection recording uses, giving
//! the tables (parcels, announcements, staff, custody totals, tokens) the ledger must hold.

use super::chain::{EventItem, Fact, LedgerEvent};
use super::clock::to_micros;
use super::correction::{Correction, CorrectionError, apply_correction};
use super::custody::{EventKind, next_status};
use super::ids::TrackingId;
use super::projection::*;
use super::report::{custody_bucket, custody_change};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};

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
        let (parcels_in, parcels_out) = custody_change(body);
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
            // A refused code or a reprinted slip is on record only: no derived table changes.
            EventKind::StateSealed
            | EventKind::DemoDataMarked
            | EventKind::PickupCodeRefused
            | EventKind::SlipReprinted => {}
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
            | EventKind::Correction => {
                if body.kind == EventKind::Correction && body.items.len() != 1 {
                    return Err(format!(
                        "event {} corrects {} parcels; a correction names one",
                        event.seq,
                        body.items.len()
                    ));
                }
                for item in &body.items {
                    let previous = self.parcels.get(&item.tracking_id);
                    let row = apply_parcel_item(previous, event, item)?;
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

/// The row one parcel's line of a custody event (or a correction) makes of its `previous` row:
/// the custody rule, then the projection. Replay folds every event through it, and a
/// correction folds one parcel's history through it to find the state before its latest record.
pub fn apply_parcel_item(
    previous: Option<&ParcelRow>,
    event: &LedgerEvent,
    item: &EventItem,
) -> Result<ParcelRow, String> {
    let body = &event.body;
    if body.kind == EventKind::Correction {
        let correction = Correction::from_facts(&body.facts)
            .map_err(|reason| format!("event {}: {reason}", event.seq))?;
        return apply_correction(previous, &item.tracking_id, &correction, event.seq)
            .map_err(|e| format!("event {} breaks the correction rule: {e}", event.seq));
    }
    let tracking =
        TrackingId::parse(&item.tracking_id).map_err(|e| format!("event {}: {e}", event.seq))?;
    let snapshot = previous.map(ParcelRow::snapshot).transpose()?;
    let status = next_status(body.kind, &tracking, snapshot.as_ref(), body.recorded_at)
        .map_err(|e| format!("event {} breaks the custody rules: {e}", event.seq))?;
    next_parcel_row(previous, event, item, status)
}

/// The parcel's row after `history` (every event that named it, oldest first), folded through
/// the same rules replay uses: what a correction compares with to find the state before a
/// parcel's latest record. Only format-2 events carry enough to rebuild a row.
pub fn replay_parcel(
    tracking_id: &str,
    history: &[LedgerEvent],
) -> Result<Option<ParcelRow>, CorrectionError> {
    let mut row: Option<ParcelRow> = None;
    for event in history {
        if !event.body.kind.is_custody() {
            continue;
        }
        if event.body.format < 2 {
            return Err(CorrectionError::BeforeUpgrade(event.seq));
        }
        for item in event
            .body
            .items
            .iter()
            .filter(|item| item.tracking_id == tracking_id)
        {
            row = Some(
                apply_parcel_item(row.as_ref(), event, item).map_err(CorrectionError::History)?,
            );
        }
    }
    Ok(row)
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
    use crate::domain::chain::EventItem;
    use crate::domain::chain::{
        CURRENT_FORMAT, Counterparty, CounterpartyKind, EventBody, GENESIS_HASH,
    };
    use crate::domain::custody::ParcelStatus;
    use crate::domain::handoff::ParcelOrigin;

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
    fn a_correction_is_replayed_and_one_that_breaks_the_rule_is_a_fault() {
        use crate::domain::correction::{Correction, CorrectionReason, corrected_row};
        let mut replay = Replay::default();
        replay
            .apply(&event(1, EventKind::DriverDelivery, vec![delivered("aa")]))
            .unwrap();
        let current = replay.parcels["1Z999AA10123456784"].clone();
        let correction = Correction {
            corrects: 1,
            corrected_kind: EventKind::DriverDelivery,
            reason: CorrectionReason::ScannedInError,
            restores: corrected_row(&current, None),
        };
        let mut undo = event(
            2,
            EventKind::Correction,
            vec![EventItem::new("1Z999AA10123456784")],
        );
        undo.body.facts = correction.facts().unwrap();
        // Two parcels in one correction: a fault.
        let mut two = undo.clone();
        two.body.items.push(EventItem::new("1Z999AA10123456785"));
        assert!(
            replay
                .clone()
                .apply(&two)
                .unwrap_err()
                .contains("names one"),
            "a correction names one parcel"
        );
        // Naming a record that is not the parcel's latest: a fault.
        let mut older = undo.clone();
        let mut stale = correction.clone();
        stale.corrects = 7;
        older.body.facts = stale.facts().unwrap();
        assert!(
            replay
                .clone()
                .apply(&older)
                .unwrap_err()
                .contains("breaks the correction rule")
        );
        replay.apply(&undo).unwrap();
        let row = &replay.parcels["1Z999AA10123456784"];
        assert_eq!(row.status, ParcelStatus::RecordedInError);
        assert_eq!(row.last_seq, 2);
        // On the books: one in (the delivery), one out (the receipt undone).
        let totals: (u64, u64) = replay
            .custody_totals
            .values()
            .fold((0, 0), |sum, (i, o)| (sum.0 + i, sum.1 + o));
        assert_eq!(totals, (1, 1));
    }

    #[test]
    fn a_pin_digest_is_bound_to_its_staff_id() {
        assert_ne!(
            staff_pin_digest(1, "$argon2id$x"),
            staff_pin_digest(2, "$argon2id$x")
        );
    }
}
