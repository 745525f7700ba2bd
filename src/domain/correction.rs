//! Corrections: a manager undoes a mistaken custody record of one parcel. Nothing is edited; a
//! new event (kind `correction`) names the record it undoes, why, and the parcel's row from then
//! on, which the hash covers like any other fact.
//!
//! The rule: only a parcel's latest custody record can be corrected, and never a correction.
//! The parcel returns to the state it had just before that record (its row as its earlier
//! history makes it). When that record brought the parcel to the store for the first time
//! there is no earlier state: the parcel is then "recorded in error", off the shelves and off
//! the books, and can be received again properly. On the books a correction is the opposite
//! of what it undoes: a receipt undone takes the parcel out of custody, a handover undone puts
//! it back; undoing anything else moves nothing.

use thiserror::Error;

use super::chain::{EventBody, Fact};
use super::custody::{EventKind, Movement, ParcelStatus};
use super::ledger_codes::ledger_codes;
use super::projection::{ParcelRow, carrier_cell, fact};

/// The sequence number of the event a correction undoes.
pub const CORRECTS: &str = "corrects";
/// The kind of that event: the correction's side of the books follows from it.
pub const CORRECTS_KIND: &str = "corrects_kind";
/// A [`CorrectionReason`] code.
pub const REASON: &str = "reason";
/// The parcel's row from the correction on, as JSON; its `last_seq` names the event whose state
/// it returns to (0: none, the parcel is recorded in error).
pub const RESTORES: &str = "restores";

ledger_codes! {
    /// Why a manager corrects a record: the list the desk offers.
    pub enum CorrectionReason {
        ScannedInError => "scanned_in_error", "scanned in error";
        WrongParcel => "wrong_parcel", "wrong parcel scanned";
        RecordedTwice => "recorded_twice", "recorded twice";
        WrongKind => "wrong_kind", "wrong kind of handoff";
        Other => "other", "other";
    }
}

/// Why a record cannot be corrected, in words for the manager.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum CorrectionError {
    #[error("parcel {0} is not in the store's records")]
    UnknownParcel(String),
    #[error(
        "only the parcel's latest record can be corrected: that is event {latest}, not event {asked}"
    )]
    NotLatest { latest: u64, asked: u64 },
    #[error("event {seq} ({}) cannot be corrected", kind.label())]
    NotCorrectable { seq: u64, kind: EventKind },
    #[error(
        "the parcel's history goes back before the ledger's upgrade, so the state before event {0} is not on the chain; it cannot be corrected here"
    )]
    BeforeUpgrade(u64),
    #[error("the parcel's history does not replay: {0}")]
    History(String),
}

/// Whether a record of this kind can be corrected: custody records only, and not a correction
/// (record the real handoff instead).
pub fn correctable(kind: EventKind) -> bool {
    kind.is_custody() && kind != EventKind::Correction
}

/// What a correction event carries (its facts), read back or about to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub corrects: u64,
    pub corrected_kind: EventKind,
    pub reason: CorrectionReason,
    /// The parcel's row from the correction on; `last_seq` is the event whose state it returns
    /// to (0 when the parcel is recorded in error).
    pub restores: ParcelRow,
}

impl Correction {
    pub fn facts(&self) -> Result<Vec<Fact>, String> {
        let row = serde_json::to_string(&self.restores).map_err(|e| e.to_string())?;
        Ok(vec![
            (CORRECTS.into(), self.corrects.to_string()),
            (CORRECTS_KIND.into(), self.corrected_kind.code().into()),
            (REASON.into(), self.reason.code().into()),
            (RESTORES.into(), row),
        ])
    }

    pub fn from_facts(facts: &[Fact]) -> Result<Self, String> {
        let get =
            |name: &str| fact(facts, name).ok_or_else(|| format!("the correction has no {name}"));
        let mut restores: ParcelRow = serde_json::from_str(get(RESTORES)?)
            .map_err(|_| "the corrected row is not valid".to_owned())?;
        restores.carrier = carrier_cell(&restores.tracking_id);
        Ok(Self {
            corrects: get(CORRECTS)?
                .parse()
                .map_err(|_| "the corrected event is not a number".to_owned())?,
            corrected_kind: get(CORRECTS_KIND)?.parse().map_err(|e| format!("{e}"))?,
            reason: get(REASON)?.parse().map_err(|e| format!("{e}"))?,
            restores,
        })
    }

    /// The correction's side of the books: the opposite of the record it undoes.
    pub fn movement(&self) -> Movement {
        reverse(self.corrected_kind.custody_movement())
    }
}

fn reverse(movement: Movement) -> Movement {
    match movement {
        Movement::In => Movement::Out,
        Movement::Out => Movement::In,
        Movement::Exception | Movement::None => Movement::None,
    }
}

/// Which side of the books an event is on: its kind's, or for a correction the opposite of the
/// kind it undoes. Every count (report, custody totals, home screen) goes through this.
pub fn movement_of(kind: EventKind, facts: &[Fact]) -> Movement {
    if kind != EventKind::Correction {
        return kind.custody_movement();
    }
    fact(facts, CORRECTS_KIND)
        .and_then(|code| code.parse::<EventKind>().ok())
        .map_or(Movement::None, |corrected| {
            reverse(corrected.custody_movement())
        })
}

/// [`movement_of`] an event body.
pub fn movement_of_body(body: &EventBody) -> Movement {
    movement_of(body.kind, &body.facts)
}

/// [`movement_of`] from the stored facts text (the store reads kinds and facts without decoding
/// whole events); facts that do not decode move nothing.
pub fn movement_of_stored(kind: EventKind, facts_json: &str) -> Movement {
    if kind != EventKind::Correction {
        return kind.custody_movement();
    }
    let facts: Vec<Fact> = serde_json::from_str(facts_json).unwrap_or_default();
    movement_of(kind, &facts)
}

/// The row a correction of `current`'s latest record leaves: `before` (the row the parcel's
/// earlier history makes, `None` when that record first brought it here), or, with no earlier
/// state, `current` recorded in error: off the shelves, its code, hold and receipt cleared.
pub fn corrected_row(current: &ParcelRow, before: Option<ParcelRow>) -> ParcelRow {
    match before {
        Some(row) => row,
        None => ParcelRow {
            status: ParcelStatus::RecordedInError,
            code_digest: None,
            received_at_us: None,
            hold_expires_at_us: None,
            missing: false,
            leave_by_us: None,
            last_seq: 0,
            ..current.clone()
        },
    }
}

/// Checks a correction against the parcel's row as it stands (`current`) and gives the row the
/// correction event `seq` makes. Recording and replay both call it, so a correction that names
/// an older record, a record of another kind, or a state whose custody does not follow from
/// what it undoes, is refused when recorded and is a fault of the chain when replayed.
pub fn apply_correction(
    current: Option<&ParcelRow>,
    tracking_id: &str,
    correction: &Correction,
    seq: u64,
) -> Result<ParcelRow, CorrectionError> {
    let current = current.ok_or_else(|| CorrectionError::UnknownParcel(tracking_id.to_owned()))?;
    if current.last_seq != correction.corrects {
        return Err(CorrectionError::NotLatest {
            latest: current.last_seq,
            asked: correction.corrects,
        });
    }
    if !correctable(correction.corrected_kind) {
        return Err(CorrectionError::NotCorrectable {
            seq: correction.corrects,
            kind: correction.corrected_kind,
        });
    }
    let restored = &correction.restores;
    if restored.tracking_id != tracking_id {
        return Err(CorrectionError::History(format!(
            "the correction restores {} but names {tracking_id}",
            restored.tracking_id
        )));
    }
    let was = current.status.in_store_custody();
    let will = restored.status.in_store_custody();
    let consistent = match correction.movement() {
        Movement::In => !was && will,
        Movement::Out => was && !will,
        Movement::Exception | Movement::None => was == will,
    };
    if !consistent {
        return Err(CorrectionError::History(format!(
            "undoing a {} cannot leave the parcel {}",
            correction.corrected_kind.label(),
            restored.status.label()
        )));
    }
    Ok(ParcelRow {
        last_seq: seq,
        carrier: carrier_cell(tracking_id),
        ..restored.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::chain::LedgerEvent;
    use crate::domain::chain::{
        CURRENT_FORMAT, Counterparty, CounterpartyKind, EventItem, GENESIS_HASH,
    };
    use crate::domain::replay::replay_parcel;
    use chrono::DateTime;

    const ID: &str = "1Z999AA10123456784";

    fn event(seq: u64, kind: EventKind, item: EventItem, facts: Vec<Fact>) -> LedgerEvent {
        LedgerEvent {
            seq,
            body: EventBody {
                recorded_at: DateTime::from_timestamp(1_800_000_000 + seq as i64, 0).unwrap(),
                kind,
                staff_id: None,
                counterparty: Counterparty {
                    kind: CounterpartyKind::Driver,
                    reference: String::new(),
                },
                items: vec![item],
                token_id: None,
                note: String::new(),
                format: CURRENT_FORMAT,
                facts,
            },
            prev_hash: GENESIS_HASH,
            hash: GENESIS_HASH,
        }
    }

    fn delivered(seq: u64) -> LedgerEvent {
        let item = EventItem {
            shelf: "A".into(),
            code: "aa".into(),
            recipient: "Ana".into(),
            hold_until_us: Some(9),
            ..EventItem::new(ID)
        };
        event(seq, EventKind::DriverDelivery, item, Vec::new())
    }

    fn picked_up(seq: u64) -> LedgerEvent {
        event(
            seq,
            EventKind::CustomerPickup,
            EventItem::new(ID),
            Vec::new(),
        )
    }

    /// The correction of the parcel's latest record in `history`, as the desk would make it.
    fn correct(history: &[LedgerEvent]) -> (Correction, ParcelRow) {
        let (last, earlier) = history.split_last().unwrap();
        let current = replay_parcel(ID, history).unwrap().unwrap();
        let before = replay_parcel(ID, earlier).unwrap();
        let correction = Correction {
            corrects: last.seq,
            corrected_kind: last.body.kind,
            reason: CorrectionReason::ScannedInError,
            restores: corrected_row(&current, before),
        };
        (correction, current)
    }

    #[test]
    fn undoing_a_first_receipt_leaves_the_parcel_recorded_in_error_and_off_the_books() {
        let (correction, current) = correct(&[delivered(1)]);
        assert_eq!(correction.movement(), Movement::Out);
        let row = apply_correction(Some(&current), ID, &correction, 2).unwrap();
        assert_eq!(row.status, ParcelStatus::RecordedInError);
        assert!(!row.status.counts_on_hand() && !row.status.in_store_custody());
        assert_eq!(row.code_digest, None, "no code opens it any more");
        assert_eq!(row.hold_expires_at_us, None);
        assert_eq!(row.last_seq, 2);
        // The facts carry it whole, and read back the same.
        let facts = correction.facts().unwrap();
        assert_eq!(Correction::from_facts(&facts).unwrap(), correction);
        assert_eq!(
            movement_of(EventKind::Correction, &facts),
            Movement::Out,
            "a receipt undone leaves the books"
        );
        let stored = serde_json::to_string(&facts).unwrap();
        assert_eq!(
            movement_of_stored(EventKind::Correction, &stored),
            Movement::Out
        );
    }

    #[test]
    fn undoing_a_pickup_puts_the_parcel_back_on_its_shelf_with_its_code() {
        let history = [delivered(1), picked_up(2)];
        let (correction, current) = correct(&history);
        assert_eq!(current.status, ParcelStatus::Collected);
        assert_eq!(correction.movement(), Movement::In);
        let row = apply_correction(Some(&current), ID, &correction, 3).unwrap();
        assert_eq!(row.status, ParcelStatus::HeldForCustomer);
        assert_eq!(row.code_digest.as_deref(), Some("aa"));
        assert_eq!(row.shelf, "A");
        assert_eq!(row.last_seq, 3);
    }

    #[test]
    fn only_the_latest_record_and_never_a_correction_can_be_corrected() {
        let history = [delivered(1), picked_up(2)];
        let current = replay_parcel(ID, &history).unwrap().unwrap();
        let (mut correction, _) = correct(&history[..1]);
        assert_eq!(
            apply_correction(Some(&current), ID, &correction, 3),
            Err(CorrectionError::NotLatest {
                latest: 2,
                asked: 1
            })
        );
        correction.corrects = 2;
        correction.corrected_kind = EventKind::Correction;
        assert!(matches!(
            apply_correction(Some(&current), ID, &correction, 3),
            Err(CorrectionError::NotCorrectable { .. })
        ));
        assert!(!correctable(EventKind::StaffEnrolled));
        assert!(correctable(EventKind::DriverDelivery));
    }

    #[test]
    fn a_restored_state_that_does_not_follow_from_the_record_undone_is_refused() {
        let history = [delivered(1), picked_up(2)];
        let (mut correction, current) = correct(&history);
        // Undoing a pickup must put the parcel back in custody, not leave it collected.
        correction.restores.status = ParcelStatus::Collected;
        assert!(matches!(
            apply_correction(Some(&current), ID, &correction, 3),
            Err(CorrectionError::History(_))
        ));
    }

    #[test]
    fn corrections_fold_into_a_parcels_history() {
        let (correction, current) = correct(&[delivered(1)]);
        let undo = event(
            2,
            EventKind::Correction,
            EventItem::new(ID),
            correction.facts().unwrap(),
        );
        let row = replay_parcel(ID, &[delivered(1), undo.clone()])
            .unwrap()
            .unwrap();
        assert_eq!(
            row,
            apply_correction(Some(&current), ID, &correction, 2).unwrap()
        );
        // Received again properly after the correction.
        let again = replay_parcel(ID, &[delivered(1), undo, delivered(3)])
            .unwrap()
            .unwrap();
        assert_eq!(again.status, ParcelStatus::HeldForCustomer);
        let mut old = delivered(1);
        old.body.format = 1;
        assert_eq!(
            replay_parcel(ID, &[old]),
            Err(CorrectionError::BeforeUpgrade(1))
        );
    }
}
