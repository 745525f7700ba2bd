//! Recording custody handoffs: the checks on a request, then parcel by parcel the custody rule,
//! the token, the event and the parcel's new row, all in one transaction; and the demo marker.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::append::{add_to_custody_totals, append_event};
use super::connection::{Store, require_active_staff};
use super::error::StoreError;
use super::parcel_rows::{event_item_for, on_hand_count, project_item, snapshot_in};
use super::sealed_codes::queue_sealed_codes;
use super::tokens::{check_token_use, mark_token_used};
use crate::domain::chain::{CURRENT_FORMAT, Counterparty, CounterpartyKind, EventBody, Fact};
use crate::domain::custody::{CustodyError, EventKind, next_status};
use crate::domain::handoff::{HandoffRequest, Receipt, RecordContext};
use crate::domain::ids::{TrackingId, clean_free_text};
use crate::domain::staff::PinProof;

const NOTE_MAX: usize = 200;
const REFERENCE_MAX: usize = 80;
const SHELF_MAX: usize = 16;

fn checked_request(request: &HandoffRequest) -> Result<HandoffRequest, StoreError> {
    if !request.kind.is_custody() {
        return Err(CustodyError::NotCustody(request.kind).into());
    }
    if request.items.is_empty() {
        return Err(CustodyError::NoParcels(request.kind).into());
    }
    let invalid = StoreError::Invalid;
    let mut cleaned = request.clone();
    cleaned.note = clean_free_text("the note", &request.note, NOTE_MAX).map_err(invalid)?;
    cleaned.counterparty.reference = clean_free_text(
        "the reference",
        &request.counterparty.reference,
        REFERENCE_MAX,
    )
    .map_err(invalid)?;
    if let Some(token) = &request.token_id {
        cleaned.token_id =
            Some(clean_free_text("the token id", token, REFERENCE_MAX).map_err(invalid)?);
    }
    for (index, item) in cleaned.items.iter_mut().enumerate() {
        item.shelf = clean_free_text("the shelf", &item.shelf, SHELF_MAX).map_err(invalid)?;
        item.detail = clean_free_text("the detail", &item.detail, NOTE_MAX).map_err(invalid)?;
        if request.items[..index]
            .iter()
            .any(|earlier| earlier.tracking_id == item.tracking_id)
        {
            return Err(CustodyError::Duplicate(item.tracking_id.clone()).into());
        }
    }
    Ok(cleaned)
}

/// An event's facts as any text in the ledger: no disguising characters, bounded lengths.
fn checked_facts(facts: &[Fact]) -> Result<Vec<Fact>, StoreError> {
    let invalid = StoreError::Invalid;
    facts
        .iter()
        .map(|(name, value)| {
            Ok((
                clean_free_text("a fact's name", name, REFERENCE_MAX).map_err(invalid)?,
                clean_free_text("a fact", value, NOTE_MAX).map_err(invalid)?,
            ))
        })
        .collect()
}

impl Store {
    /// Records custody handoffs in one transaction, attributed to the staff member whose fresh
    /// PIN proof is given. Either every handoff is recorded or none is; the receipt exists only
    /// once the commit has returned.
    pub fn record_handoffs(
        &mut self,
        proof: &PinProof,
        requests: &[HandoffRequest],
        context: &RecordContext<'_>,
        now: DateTime<Utc>,
    ) -> Result<Receipt, StoreError> {
        let requests: Vec<(HandoffRequest, Vec<Fact>)> = requests
            .iter()
            .map(|request| (request.clone(), Vec::new()))
            .collect();
        self.record_handoffs_with_facts(proof, &requests, context, now)
    }

    /// [`Store::record_handoffs`], each event also carrying its request's named facts (format
    /// 2, under the hash): e.g. the ID a clerk checked at a pickup and who collected.
    pub fn record_handoffs_with_facts(
        &mut self,
        proof: &PinProof,
        requests: &[(HandoffRequest, Vec<Fact>)],
        context: &RecordContext<'_>,
        now: DateTime<Utc>,
    ) -> Result<Receipt, StoreError> {
        if !proof.is_fresh(now) {
            return Err(StoreError::ProofExpired);
        }
        let requests = requests
            .iter()
            .map(|(request, facts)| Ok((checked_request(request)?, checked_facts(facts)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        if requests.is_empty() {
            return Err(StoreError::Invalid("there is nothing to record".into()));
        }
        // Taken, not read: should this recording fail, the next one counts afresh.
        let known_on_hand = self.on_hand_after_last_write.take();
        let (receipt, data_version) = self.write(now, |tx, sql| {
            require_active_staff(tx, proof.staff_id().0, sql)?;
            let data_version: i64 = tx
                .query_row("PRAGMA data_version", [], |row| row.get(0))
                .map_err(sql)?;
            let mut on_hand_change: i64 = 0;
            let mut generated_codes = Vec::new();
            let mut tokens_used: Vec<String> = Vec::new();
            // Digests of codes generated in this transaction, not yet on a parcel row.
            let mut fresh_codes = HashSet::new();
            let mut first_seq = None;
            let mut last = None;
            for (request, facts) in &requests {
                let mut statuses = Vec::with_capacity(request.items.len());
                for item in &request.items {
                    let current = snapshot_in(tx, &item.tracking_id).map_err(sql)?;
                    let next = next_status(request.kind, &item.tracking_id, current.as_ref(), now)?;
                    on_hand_change += i64::from(next.counts_on_hand())
                        - i64::from(current.is_some_and(|parcel| parcel.status.counts_on_hand()));
                    statuses.push(next);
                }
                if let Some(token_id) = &request.token_id {
                    let parcels: Vec<TrackingId> = request
                        .items
                        .iter()
                        .map(|item| item.tracking_id.clone())
                        .collect();
                    check_token_use(tx, token_id, request.kind, &parcels, &tokens_used, now)
                        .map_err(sql)??;
                }
                let mut items = Vec::with_capacity(request.items.len());
                let codes_before = generated_codes.len();
                for item in &request.items {
                    let (event_item, generated) =
                        event_item_for(tx, request.kind, item, context, now, &mut fresh_codes)
                            .map_err(sql)?;
                    if let Some(code) = generated {
                        generated_codes.push((item.tracking_id.clone(), code));
                    }
                    items.push(event_item);
                }
                let body = EventBody {
                    recorded_at: now,
                    kind: request.kind,
                    staff_id: Some(proof.staff_id()),
                    counterparty: request.counterparty.clone(),
                    items,
                    token_id: request.token_id.clone(),
                    note: request.note.clone(),
                    format: CURRENT_FORMAT,
                    facts: facts.clone(),
                };
                let event = append_event(tx, &body).map_err(sql)?;
                if let Some(key) = context.seal_codes_to {
                    queue_sealed_codes(tx, sql, key, &event, &generated_codes[codes_before..])?;
                }
                add_to_custody_totals(tx, &event).map_err(sql)?;
                if let Some(token_id) = &request.token_id {
                    mark_token_used(tx, token_id, event.seq).map_err(sql)?;
                    tokens_used.push(token_id.clone());
                }
                for (item, status) in event.body.items.iter().zip(statuses) {
                    project_item(tx, &event, item, status).map_err(sql)?;
                }
                first_seq.get_or_insert(event.seq);
                last = Some(event);
            }
            let on_hand = match known_on_hand {
                Some((version, count)) if version == data_version => {
                    (count as i64 + on_hand_change).max(0) as u64
                }
                _ => on_hand_count(tx).map_err(sql)?,
            };
            let last =
                last.ok_or_else(|| StoreError::Invalid("there is nothing to record".into()))?;
            let receipt = Receipt {
                first_seq: first_seq.unwrap_or(last.seq),
                last_seq: last.seq,
                head_hash: last.hash,
                generated_codes,
                on_hand,
                capacity: context.capacity,
            };
            Ok((receipt, data_version))
        })?;
        self.on_hand_after_last_write
            .set(Some((data_version, receipt.on_hand)));
        Ok(receipt)
    }

    pub fn record_handoff(
        &mut self,
        proof: &PinProof,
        request: &HandoffRequest,
        context: &RecordContext<'_>,
        now: DateTime<Utc>,
    ) -> Result<Receipt, StoreError> {
        self.record_handoffs(proof, std::slice::from_ref(request), context, now)
    }

    /// Marks the ledger as demo data, on the chain (kind `demo_data_marked`) and in `meta`, in
    /// one transaction; a ledger already marked is left as it is.
    pub fn mark_demo_data(&mut self, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.write(now, |tx, sql| {
            let marked = tx
                .execute(
                    "INSERT INTO meta (key, value) VALUES ('demo_data', '1') ON CONFLICT (key) DO NOTHING",
                    [],
                )
                .map_err(sql)?;
            if marked == 1 {
                let body = EventBody {
                    recorded_at: now,
                    kind: EventKind::DemoDataMarked,
                    staff_id: None,
                    counterparty: Counterparty {
                        kind: CounterpartyKind::Store,
                        reference: "kiosk seed".into(),
                    },
                    items: Vec::new(),
                    token_id: None,
                    note: "synthetic activity for demonstration and benchmarks".into(),
                    format: CURRENT_FORMAT,
                    facts: Vec::new(),
                };
                append_event(tx, &body).map_err(sql)?;
            }
            Ok(())
        })
    }
}
