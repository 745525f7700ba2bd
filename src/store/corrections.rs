//! Recording a manager's correction of a parcel's latest custody record (the rule is in
//! `domain::correction`): the checks, the event, the custody totals and the parcel's restored
//! row, in one transaction. Nothing already written is changed.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::append::{EVENT_COLUMNS, add_to_custody_totals, append_event, event_from_row};
use super::connection::{Store, cached_row};
use super::error::StoreError;
use super::parcel_rows::{PARCEL_ROW_COLUMNS, parcel_row_from, write_parcel_row};
use crate::domain::chain::{
    CURRENT_FORMAT, ChainFault, Counterparty, CounterpartyKind, EventBody, EventItem, LedgerEvent,
};
use crate::domain::correction::{
    Correction, CorrectionError, CorrectionReason, apply_correction, correctable, corrected_row,
};
use crate::domain::ids::TrackingId;
use crate::domain::replay::replay_parcel;
use crate::domain::staff::{PinProof, Role};

impl Store {
    /// Records a manager's correction of event `corrects`, which must be the parcel's latest
    /// custody record. Returns the correction event once committed.
    pub fn record_correction(
        &mut self,
        proof: &PinProof,
        tracking_id: &TrackingId,
        corrects: u64,
        reason: CorrectionReason,
        now: DateTime<Utc>,
    ) -> Result<LedgerEvent, StoreError> {
        if !proof.is_fresh(now) {
            return Err(StoreError::ProofExpired);
        }
        if proof.role() != Role::Manager {
            return Err(StoreError::NotManager);
        }
        let refused = |error: CorrectionError| StoreError::Invalid(error.to_string());
        let id = tracking_id.as_str();
        let event = self.write(now, |tx, sql| {
            let staff: Option<(i64, String)> = cached_row(
                tx,
                "SELECT active, role FROM staff WHERE id = ?1",
                [proof.staff_id().0],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(sql)?;
            match staff {
                Some((1, role)) if role == Role::Manager.code() => {}
                Some((1, _)) => return Err(StoreError::NotManager),
                _ => return Err(StoreError::StaffInactive(proof.staff_id().0)),
            }
            let current = cached_row(
                tx,
                &format!("SELECT {PARCEL_ROW_COLUMNS} FROM parcels WHERE tracking_id = ?1"),
                [id],
                parcel_row_from,
            )
            .optional()
            .map_err(sql)?
            .ok_or_else(|| refused(CorrectionError::UnknownParcel(id.to_owned())))?;
            if current.last_seq != corrects {
                return Err(refused(CorrectionError::NotLatest {
                    latest: current.last_seq,
                    asked: corrects,
                }));
            }
            let mut statement = tx
                .prepare_cached(&format!(
                    "SELECT {EVENT_COLUMNS} FROM events
                     WHERE seq IN (SELECT seq FROM event_parcels WHERE tracking_id = ?1 AND seq <= ?2)
                     ORDER BY seq"
                ))
                .map_err(sql)?;
            let rows = statement
                .query_map(params![id, corrects as i64], event_from_row)
                .map_err(sql)?;
            let mut history = Vec::new();
            for row in rows {
                history.push(row.map_err(sql)?.map_err(|fault: ChainFault| {
                    StoreError::Invalid(format!("the parcel's history is damaged: {fault}"))
                })?);
            }
            let Some((corrected, earlier)) = history.split_last() else {
                return Err(StoreError::Invalid(format!("there is no event {corrects}")));
            };
            if corrected.seq != corrects || !correctable(corrected.body.kind) {
                return Err(refused(CorrectionError::NotCorrectable {
                    seq: corrects,
                    kind: corrected.body.kind,
                }));
            }
            if corrected.body.format < 2 {
                return Err(refused(CorrectionError::BeforeUpgrade(corrects)));
            }
            let before = replay_parcel(id, earlier).map_err(refused)?;
            let correction = Correction {
                corrects,
                corrected_kind: corrected.body.kind,
                reason,
                restores: corrected_row(&current, before),
            };
            // Checked before anything is written; the row is made again from the event below.
            apply_correction(Some(&current), id, &correction, 0).map_err(refused)?;
            let restores = &correction.restores;
            let body = EventBody {
                recorded_at: now,
                kind: crate::domain::custody::EventKind::Correction,
                staff_id: Some(proof.staff_id()),
                counterparty: Counterparty {
                    kind: CounterpartyKind::Store,
                    reference: format!("event {corrects}"),
                },
                items: vec![EventItem {
                    shelf: if restores.status.on_shelf() {
                        restores.shelf.clone()
                    } else {
                        String::new()
                    },
                    detail: reason.label().to_owned(),
                    ..EventItem::new(id)
                }],
                token_id: None,
                note: format!(
                    "undoes event {corrects} ({}): {}",
                    corrected.body.kind.label(),
                    reason.label()
                ),
                format: CURRENT_FORMAT,
                facts: correction.facts().map_err(StoreError::Invalid)?,
            };
            let event = append_event(tx, &body).map_err(sql)?;
            add_to_custody_totals(tx, &event).map_err(sql)?;
            let row = apply_correction(Some(&current), id, &correction, event.seq).map_err(refused)?;
            write_parcel_row(tx, &row).map_err(sql)?;
            Ok(event)
        })?;
        // The on-hand count kept after the last handoff no longer holds.
        self.on_hand_after_last_write.set(None);
        Ok(event)
    }
}
