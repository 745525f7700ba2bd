//! Recording handoffs and reading the chain back: the append path, verification and signed
//! checkpoints.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::evidence::{EventParcelsWalk, compare_with_replay};
use super::parcels::{event_item_for, on_hand_count, project_item, snapshot_in};
use super::tokens::{check_token_use, mark_token_used};
use super::{Store, StoreError, cached_execute, cached_row};
use crate::domain::calendar::StoreCalendar;
use crate::domain::chain::{
    CURRENT_FORMAT, ChainFault, ChainHash, ChainVerifier, Counterparty, CounterpartyKind,
    EventBody, EventItem, Fact, GENESIS_HASH, LedgerEvent, chain_hash,
};
use crate::domain::clock::{from_micros, to_micros};
use crate::domain::custody::{CustodyError, EventKind, next_status};
use crate::domain::ids::{StaffId, TrackingId, clean_free_text};
use crate::domain::projection::Replay;
use crate::domain::report::{custody_bucket, custody_change};
use crate::domain::signing::{Checkpoint, StoreKey, StorePublicKey};
use crate::domain::staff::PinProof;

pub use crate::domain::handoff::{HandoffItem, HandoffRequest, Receipt, RecordContext};

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

/// The newest event's sequence number and hash, or the genesis values for an empty ledger.
pub(crate) fn chain_head(tx: &Transaction<'_>) -> rusqlite::Result<(u64, ChainHash)> {
    let head: Option<(i64, Vec<u8>)> = cached_row(
        tx,
        "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .optional()?;
    Ok(match head {
        Some((seq, hash)) => (seq.max(0) as u64, hash.try_into().unwrap_or(GENESIS_HASH)),
        None => (0, GENESIS_HASH),
    })
}

/// Whether `verify` also has SQLite check the whole file beside the chain walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileCheck {
    /// `PRAGMA integrity_check`: page structure, free pages, and every index (the search index
    /// too) cross-checked against its table. On a 10-year ledger it takes longer than the chain.
    Full,
    /// The chain and the signed checkpoints only. The chain depends on no index, so an event
    /// altered, removed or inserted is caught just the same.
    ChainOnly,
}

/// Appends one event at the head of the chain inside the caller's transaction. The only
/// function that inserts into `events`.
pub(crate) fn append_event(
    tx: &Transaction<'_>,
    body: &EventBody,
) -> rusqlite::Result<LedgerEvent> {
    let (last_seq, prev_hash) = chain_head(tx)?;
    let seq = last_seq + 1;
    let hash = chain_hash(&prev_hash, seq, body);
    let items_json = serde_json::to_string(&body.items)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let facts_json = serde_json::to_string(&body.facts)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    cached_execute(tx,
        "INSERT INTO events (seq, recorded_at_us, kind, staff_id, counterparty_kind, counterparty_ref, items_json, token_id, note, prev_hash, hash, format, facts_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            seq as i64,
            to_micros(body.recorded_at),
            body.kind.code(),
            body.staff_id.map(|id| id.0),
            body.counterparty.kind.code(),
            body.counterparty.reference,
            items_json,
            body.token_id,
            body.note,
            prev_hash.as_slice(),
            hash.as_slice(),
            i64::from(body.format),
            facts_json,
        ],
    )?;
    let mut index = tx
        .prepare_cached("INSERT OR IGNORE INTO event_parcels (tracking_id, seq) VALUES (?1, ?2)")?;
    for item in &body.items {
        index.execute(params![item.tracking_id, seq as i64])?;
    }
    Ok(LedgerEvent {
        seq,
        body: body.clone(),
        prev_hash,
        hash,
    })
}

/// Adds an event's parcels in and out to its quarter hour's custody totals, and carries the
/// number in custody forward (to later buckets too, should the clock have been set back).
pub(crate) fn add_to_custody_totals(
    tx: &Transaction<'_>,
    event: &LedgerEvent,
) -> rusqlite::Result<()> {
    let (parcels_in, parcels_out) = custody_change(event.body.kind, event.body.items.len() as u64);
    if parcels_in + parcels_out == 0 {
        return Ok(());
    }
    let bucket = custody_bucket(to_micros(event.body.recorded_at));
    let change = parcels_in as i64 - parcels_out as i64;
    cached_execute(
        tx,
        "INSERT INTO custody_totals (bucket, parcels_in, parcels_out, in_custody_after)
         VALUES (?1, ?2, ?3, ?4 + COALESCE(
             (SELECT in_custody_after FROM custody_totals WHERE bucket < ?1 ORDER BY bucket DESC LIMIT 1), 0))
         ON CONFLICT (bucket) DO UPDATE SET parcels_in = parcels_in + excluded.parcels_in,
             parcels_out = parcels_out + excluded.parcels_out,
             in_custody_after = in_custody_after + ?4",
        params![bucket, parcels_in as i64, parcels_out as i64, change],
    )?;
    cached_execute(
        tx,
        "UPDATE custody_totals SET in_custody_after = in_custody_after + ?2 WHERE bucket > ?1",
        params![bucket, change],
    )?;
    Ok(())
}

/// What `kiosk verify` found.
#[derive(Debug, Clone, Default)]
pub struct VerifyReport {
    pub events_checked: u64,
    pub head_hash: Option<ChainHash>,
    pub chain_fault: Option<ChainFault>,
    pub checkpoints_checked: usize,
    pub checkpoint_problems: Vec<String>,
    pub integrity_problems: Vec<String>,
    /// Whether the derived tables were held against the replayed events (not with
    /// [`FileCheck::ChainOnly`], nor when the chain itself is broken).
    pub derived_checked: bool,
    /// Rows of the derived tables that differ from what the events make, and events that break
    /// the rules they are replayed under; each names the table, the row and the field.
    pub derived_problems: Vec<String>,
    /// The most events a sound checkpoint (signed under the key, matching the chain) covers.
    pub covered_by_checkpoints: u64,
}

impl VerifyReport {
    pub fn is_ok(&self) -> bool {
        self.chain_fault.is_none()
            && self.checkpoint_problems.is_empty()
            && self.integrity_problems.is_empty()
            && self.derived_problems.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointRecord {
    pub id: i64,
    pub checkpoint: Checkpoint,
    pub key_id: String,
    pub signature: Vec<u8>,
}

/// Events between two sequence numbers, in sequence order, that fall in a time range. The `+`
/// keeps SQLite off the time index (the sequence range is the table's own order; a clock set
/// back can put an event of the range's time among later sequence numbers, which the time
/// condition still filters).
pub(crate) const SEQ_RANGE_SCAN: &str =
    "WHERE seq BETWEEN ?1 AND ?2 AND +recorded_at_us >= ?3 AND +recorded_at_us < ?4 ORDER BY seq";

pub(crate) const EVENT_COLUMNS: &str = "seq, recorded_at_us, kind, staff_id, counterparty_kind, counterparty_ref, items_json, token_id, note, prev_hash, hash, format, facts_json";

/// Decodes a stored event; a row that cannot be decoded was written behind the kiosk's back.
pub(crate) fn event_from_row(
    row: &rusqlite::Row<'_>,
) -> rusqlite::Result<Result<LedgerEvent, ChainFault>> {
    let seq = row.get::<_, i64>(0)?.max(0) as u64;
    let undecodable = |reason: String| Ok(Err(ChainFault::Undecodable { seq, reason }));
    let kind_code: String = row.get(2)?;
    let Ok(kind) = kind_code.parse::<EventKind>() else {
        return undecodable(format!("unknown kind {kind_code:?}"));
    };
    let counterparty_code: String = row.get(4)?;
    let Some(counterparty_kind) = CounterpartyKind::from_code(&counterparty_code) else {
        return undecodable(format!("unknown counterparty {counterparty_code:?}"));
    };
    let items_json: String = row.get(6)?;
    let Ok(items) = serde_json::from_str::<Vec<EventItem>>(&items_json) else {
        return undecodable("parcel list is not valid".into());
    };
    let prev_hash: Vec<u8> = row.get(9)?;
    let hash: Vec<u8> = row.get(10)?;
    let (Ok(prev_hash), Ok(hash)) = (ChainHash::try_from(prev_hash), ChainHash::try_from(hash))
    else {
        return undecodable("hash is not 32 bytes".into());
    };
    let Ok(format) = u8::try_from(row.get::<_, i64>(11)?) else {
        return undecodable("the format is not valid".into());
    };
    let facts_json: String = row.get(12)?;
    let Ok(facts) = serde_json::from_str::<Vec<Fact>>(&facts_json) else {
        return undecodable("the facts are not valid".into());
    };
    let body = EventBody {
        recorded_at: from_micros(row.get(1)?),
        kind,
        staff_id: row.get::<_, Option<i64>>(3)?.map(StaffId),
        counterparty: Counterparty {
            kind: counterparty_kind,
            reference: row.get(5)?,
        },
        items,
        token_id: row.get(7)?,
        note: row.get(8)?,
        format,
        facts,
    };
    if let Some(reason) = body.format_problem() {
        return undecodable(reason);
    }
    Ok(Ok(LedgerEvent {
        seq,
        body,
        prev_hash,
        hash,
    }))
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
        if !proof.is_fresh(now) {
            return Err(StoreError::ProofExpired);
        }
        let requests = requests
            .iter()
            .map(checked_request)
            .collect::<Result<Vec<_>, _>>()?;
        if requests.is_empty() {
            return Err(StoreError::Invalid("there is nothing to record".into()));
        }
        let path = self.path.clone();
        let sql = |e| StoreError::from_sqlite(e, &path);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let active: Option<i64> = cached_row(
            &tx,
            "SELECT active FROM staff WHERE id = ?1",
            [proof.staff_id().0],
            |row| row.get(0),
        )
        .optional()
        .map_err(sql)?;
        if active != Some(1) {
            return Err(StoreError::StaffInactive(proof.staff_id().0));
        }
        let known_on_hand = self.on_hand_after_last_write.take();
        let data_version: i64 = tx
            .query_row("PRAGMA data_version", [], |row| row.get(0))
            .map_err(sql)?;
        let mut on_hand_change: i64 = 0;
        let mut generated_codes = Vec::new();
        let mut tokens_used: Vec<String> = Vec::new();
        // Digests of codes generated in this transaction, not yet on a parcel row.
        let mut fresh_codes = std::collections::HashSet::new();
        let mut first_seq = None;
        let mut last = None;
        for request in &requests {
            let mut statuses = Vec::with_capacity(request.items.len());
            for item in &request.items {
                let current = snapshot_in(&tx, &item.tracking_id).map_err(sql)?;
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
                check_token_use(&tx, token_id, request.kind, &parcels, &tokens_used, now)
                    .map_err(sql)??;
            }
            let mut items = Vec::with_capacity(request.items.len());
            for item in &request.items {
                let (event_item, generated) =
                    event_item_for(&tx, request.kind, item, context, now, &mut fresh_codes)
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
                facts: Vec::new(),
            };
            let event = append_event(&tx, &body).map_err(sql)?;
            add_to_custody_totals(&tx, &event).map_err(sql)?;
            if let Some(token_id) = &request.token_id {
                mark_token_used(&tx, token_id, event.seq).map_err(sql)?;
                tokens_used.push(token_id.clone());
            }
            for (item, status) in event.body.items.iter().zip(statuses) {
                project_item(&tx, &event, item, status).map_err(sql)?;
            }
            first_seq.get_or_insert(event.seq);
            last = Some(event);
        }
        let on_hand = match known_on_hand {
            Some((version, count)) if version == data_version => {
                (count as i64 + on_hand_change).max(0) as u64
            }
            _ => on_hand_count(&tx).map_err(sql)?,
        };
        self.file_guard.commit(tx, now)?;
        self.on_hand_after_last_write
            .set(Some((data_version, on_hand)));
        let last = last.ok_or_else(|| StoreError::Invalid("there is nothing to record".into()))?;
        Ok(Receipt {
            first_seq: first_seq.unwrap_or(last.seq),
            last_seq: last.seq,
            head_hash: last.hash,
            generated_codes,
            on_hand,
            capacity: context.capacity,
        })
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

    /// The number of events and the newest hash.
    pub fn head(&self) -> Result<(u64, ChainHash), StoreError> {
        let head: Option<(i64, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sql_error(e))?;
        Ok(match head {
            Some((seq, hash)) => (seq.max(0) as u64, hash.try_into().unwrap_or(GENESIS_HASH)),
            None => (0, GENESIS_HASH),
        })
    }

    pub fn event(&self, seq: u64) -> Result<Option<LedgerEvent>, StoreError> {
        let row = self
            .conn
            .query_row(
                &format!("SELECT {EVENT_COLUMNS} FROM events WHERE seq = ?1"),
                [seq as i64],
                event_from_row,
            )
            .optional()
            .map_err(|e| self.sql_error(e))?;
        match row {
            None => Ok(None),
            Some(Ok(event)) => Ok(Some(event)),
            Some(Err(fault)) => Err(StoreError::Corrupt {
                path: self.path.clone(),
                detail: fault.to_string(),
            }),
        }
    }

    /// Every event that touched a parcel, oldest first (via the `event_parcels` index).
    pub fn parcel_history(&self, tracking_id: &TrackingId) -> Result<Vec<LedgerEvent>, StoreError> {
        self.events_where(
            "seq IN (SELECT seq FROM event_parcels WHERE tracking_id = ?1) ORDER BY seq",
            [tracking_id.as_str()],
        )
    }

    /// Events recorded in `[from, to)`, newest first.
    pub fn events_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<LedgerEvent>, StoreError> {
        let (first, last) = self.seq_range_between(from, to)?;
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(Vec::new());
        };
        self.events_where(
            "seq BETWEEN ?1 AND ?2 AND +recorded_at_us >= ?3 AND +recorded_at_us < ?4 ORDER BY seq DESC",
            params![first, last, to_micros(from), to_micros(to)],
        )
    }

    fn events_where(
        &self,
        condition: &str,
        parameters: impl rusqlite::Params,
    ) -> Result<Vec<LedgerEvent>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(&format!(
                "SELECT {EVENT_COLUMNS} FROM events WHERE {condition}"
            ))
            .map_err(|e| self.sql_error(e))?;
        let rows = statement
            .query_map(parameters, event_from_row)
            .map_err(|e| self.sql_error(e))?;
        let mut events = Vec::new();
        for row in rows {
            match row.map_err(|e| self.sql_error(e))? {
                Ok(event) => events.push(event),
                Err(fault) => {
                    return Err(StoreError::Corrupt {
                        path: self.path.clone(),
                        detail: fault.to_string(),
                    });
                }
            }
        }
        Ok(events)
    }

    pub fn count_events_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        self.count_rows(
            "SELECT count(*) FROM events WHERE recorded_at_us >= ?1 AND recorded_at_us < ?2",
            [to_micros(from), to_micros(to)],
        )
    }

    /// The chain head as it stood at `instant` (the hash of the last event before it).
    pub fn head_before(&self, instant: DateTime<Utc>) -> Result<ChainHash, StoreError> {
        let hash: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT hash FROM events WHERE recorded_at_us < ?1 ORDER BY recorded_at_us DESC, seq DESC LIMIT 1",
                [to_micros(instant)],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.sql_error(e))?;
        Ok(hash
            .and_then(|bytes| bytes.try_into().ok())
            .unwrap_or(GENESIS_HASH))
    }

    /// The first and last sequence numbers of the events recorded in `[from, to)` (through the
    /// time index, reading the index only).
    pub fn seq_range_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<(Option<i64>, Option<i64>), StoreError> {
        self.conn
            .prepare_cached(
                "SELECT min(seq), max(seq) FROM events WHERE recorded_at_us >= ?1 AND recorded_at_us < ?2",
            )
            .and_then(|mut statement| {
                statement.query_row([to_micros(from), to_micros(to)], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
            })
            .map_err(|e| self.sql_error(e))
    }

    /// Calls `each` for every event in `[from, to)`, oldest first, one row at a time: an export
    /// of a million events never holds them all in memory.
    pub fn for_each_event_between<E: From<StoreError>>(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        mut each: impl FnMut(LedgerEvent) -> Result<(), E>,
    ) -> Result<(), E> {
        // The time index finds the first and last event of the range; the rows are then read in
        // sequence order straight off the table. Reading them through the time index and sorting
        // by sequence built a temporary B-tree of the whole range (most of a full export's time).
        let (first, last) = self.seq_range_between(from, to)?;
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(());
        };
        let mut statement = self
            .conn
            .prepare_cached(&format!(
                "SELECT {EVENT_COLUMNS} FROM events {SEQ_RANGE_SCAN}"
            ))
            .map_err(|e| self.sql_error(e))?;
        let mut rows = statement
            .query(params![first, last, to_micros(from), to_micros(to)])
            .map_err(|e| self.sql_error(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql_error(e))? {
            match event_from_row(row).map_err(|e| self.sql_error(e))? {
                Ok(event) => each(event)?,
                Err(fault) => {
                    return Err(StoreError::Corrupt {
                        path: self.path.clone(),
                        detail: fault.to_string(),
                    }
                    .into());
                }
            }
        }
        Ok(())
    }

    /// Signs the current head with the store key and stores the checkpoint.
    pub fn write_checkpoint(
        &mut self,
        key: &StoreKey,
        store_id: &str,
        now: DateTime<Utc>,
    ) -> Result<CheckpointRecord, StoreError> {
        let path = self.path.clone();
        let sql = |e| StoreError::from_sqlite(e, &path);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let (event_count, head_hash) = chain_head(&tx).map_err(sql)?;
        let checkpoint = Checkpoint {
            store_id: store_id.to_owned(),
            event_count,
            head_hash,
            signed_at: now,
        };
        let signature = key.sign(&checkpoint.message());
        let key_id = key.public().key_id();
        cached_execute(&tx,
            "INSERT INTO checkpoints (event_count, head_hash, signed_at_us, key_id, signature) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![event_count as i64, head_hash.as_slice(), to_micros(now), key_id, signature.as_slice()],
        )
        .map_err(sql)?;
        let id = tx.last_insert_rowid();
        self.file_guard.commit(tx, now)?;
        Ok(CheckpointRecord {
            id,
            checkpoint,
            key_id,
            signature: signature.to_vec(),
        })
    }

    pub fn checkpoints(&self, store_id: &str) -> Result<Vec<CheckpointRecord>, StoreError> {
        self.collect_rows(
            "SELECT id, event_count, head_hash, signed_at_us, key_id, signature FROM checkpoints ORDER BY id",
            [],
            |row| {
                let head: Vec<u8> = row.get(2)?;
                Ok(CheckpointRecord {
                    id: row.get(0)?,
                    checkpoint: Checkpoint {
                        store_id: store_id.to_owned(),
                        event_count: row.get::<_, i64>(1)?.max(0) as u64,
                        head_hash: head.try_into().unwrap_or(GENESIS_HASH),
                        signed_at: from_micros(row.get(3)?),
                    },
                    key_id: row.get(4)?,
                    signature: row.get(5)?,
                })
            },
        )
    }

    /// Recomputes the whole chain, checks every checkpoint against it and, with
    /// [`FileCheck::Full`], runs SQLite's integrity check. Streams the events: memory does not grow with the
    /// ledger.
    pub fn verify(
        &self,
        store_id: &str,
        public_key: &StorePublicKey,
        depth: FileCheck,
    ) -> Result<VerifyReport, StoreError> {
        // SQLite's integrity check runs on a second connection beside the chain walk: on a large
        // ledger each takes seconds, and together they take the longer of the two.
        let (path, read_only) = (self.path.clone(), self.read_only);
        let integrity = (depth == FileCheck::Full).then(|| {
            std::thread::spawn(move || -> Result<Vec<String>, StoreError> {
                let other = if read_only {
                    Store::open_read_only(&path)?
                } else {
                    Store::open(&path, super::OpenMode::Existing)?
                };
                other.integrity_problems()
            })
        });
        let mut report = VerifyReport::default();
        let checkpoints = self.checkpoints(store_id)?;
        // The hash the chain must have at each checkpointed length.
        let mut wanted: BTreeMap<u64, Vec<&CheckpointRecord>> = BTreeMap::new();
        for record in &checkpoints {
            if !public_key.verify(&record.checkpoint.message(), &record.signature) {
                report.checkpoint_problems.push(format!(
                    "checkpoint #{} (signed {}) does not verify under the store key {}: it was forged or altered",
                    record.id,
                    record.checkpoint.signed_at.format("%Y-%m-%d %H:%M:%S UTC"),
                    public_key.key_id()
                ));
            }
            wanted
                .entry(record.checkpoint.event_count)
                .or_default()
                .push(record);
        }
        let mut verifier = ChainVerifier::default();
        let check_at = |count: u64, head: &ChainHash, report: &mut VerifyReport| {
            for record in wanted.get(&count).into_iter().flatten() {
                if record.checkpoint.head_hash != *head {
                    report.checkpoint_problems.push(format!(
                        "checkpoint #{} says event {count} has hash {}, but the ledger's event {count} hashes to {}",
                        record.id,
                        hex::encode(record.checkpoint.head_hash),
                        hex::encode(head)
                    ));
                }
            }
        };
        check_at(0, &GENESIS_HASH, &mut report);
        let replaying = depth == FileCheck::Full;
        let mut replay = Replay::default();
        let mut replay_fault: Option<String> = None;
        let mut parcels_statement =
            EventParcelsWalk::prepare(&self.conn).map_err(|e| self.sql_error(e))?;
        let mut parcels_walk =
            EventParcelsWalk::new(&mut parcels_statement).map_err(|e| self.sql_error(e))?;
        let mut statement = self
            .conn
            .prepare(&format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY seq"))
            .map_err(|e| self.sql_error(e))?;
        let mut rows = statement.query([]).map_err(|e| self.sql_error(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql_error(e))? {
            let decoded = event_from_row(row).map_err(|e| self.sql_error(e))?;
            let event = match decoded.and_then(|event| verifier.check(&event).map(|()| event)) {
                Ok(event) => event,
                Err(fault) => {
                    report.chain_fault = Some(fault);
                    break;
                }
            };
            if replaying {
                parcels_walk
                    .check_event(
                        event.seq,
                        event.body.items.iter().map(|item| item.tracking_id.clone()),
                    )
                    .map_err(|e| self.sql_error(e))?;
                if replay_fault.is_none()
                    && let Err(reason) = replay.apply(&event)
                {
                    replay_fault = Some(reason);
                }
            }
            check_at(verifier.count(), &verifier.head(), &mut report);
        }
        drop(rows);
        drop(statement);
        if replaying && report.chain_fault.is_none() {
            report.derived_checked = true;
            report
                .derived_problems
                .extend(parcels_walk.finish().map_err(|e| self.sql_error(e))?);
            match (replay_fault, replay.state_unknown_since) {
                (Some(reason), _) => report.derived_problems.push(format!(
                    "the events cannot be replayed: {reason}"
                )),
                (None, Some(seq)) => report.derived_problems.push(format!(
                    "event {seq} is in the old format with no sealed state after it, so the records cannot be rebuilt from the chain"
                )),
                (None, None) => report.derived_problems.extend(
                    compare_with_replay(&self.conn, &mut replay, store_id, public_key)
                        .map_err(|e| self.sql_error(e))?,
                ),
            }
        } else {
            drop(parcels_walk);
        }
        drop(parcels_statement);
        if let Some(integrity) = integrity {
            report.integrity_problems = integrity.join().map_err(|_| {
                StoreError::Invalid("the integrity check stopped unexpectedly".into())
            })??;
        }
        report.events_checked = verifier.count();
        report.head_hash = Some(verifier.head());
        if report.chain_fault.is_none() {
            for record in checkpoints
                .iter()
                .filter(|record| record.checkpoint.event_count > verifier.count())
            {
                report.checkpoint_problems.push(format!(
                    "the ledger ends at event {}, but checkpoint #{} (signed {}) covers {} events: events {} to {} are missing (the tail was cut off)",
                    verifier.count(),
                    record.id,
                    record.checkpoint.signed_at.format("%Y-%m-%d %H:%M:%S UTC"),
                    record.checkpoint.event_count,
                    verifier.count() + 1,
                    record.checkpoint.event_count
                ));
            }
        }
        report.checkpoints_checked = checkpoints.len();
        let sound = |record: &&CheckpointRecord| {
            public_key.verify(&record.checkpoint.message(), &record.signature)
                && record.checkpoint.event_count <= verifier.count()
                && !report
                    .checkpoint_problems
                    .iter()
                    .any(|problem| problem.starts_with(&format!("checkpoint #{} ", record.id)))
        };
        report.covered_by_checkpoints = checkpoints
            .iter()
            .filter(sound)
            .map(|record| record.checkpoint.event_count)
            .max()
            .unwrap_or(0);
        Ok(report)
    }

    /// Marks the ledger as demo data, on the chain (kind `demo_data_marked`) and in `meta`, in
    /// one transaction; a ledger already marked is left as it is.
    pub fn mark_demo_data(&mut self, at: DateTime<Utc>) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |e| StoreError::from_sqlite(e, &path);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let marked = tx
            .execute(
                "INSERT INTO meta (key, value) VALUES ('demo_data', '1') ON CONFLICT (key) DO NOTHING",
                [],
            )
            .map_err(sql)?;
        if marked == 1 {
            let body = EventBody {
                recorded_at: at,
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
            append_event(&tx, &body).map_err(sql)?;
        }
        self.file_guard.commit(tx, at)
    }

    /// Whether a sealed state (from an upgrade) lies after event `seq`.
    pub fn sealed_after(&self, seq: u64) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM events WHERE seq > ?1 AND kind = 'state_sealed')",
                [seq as i64],
                |row| row.get(0),
            )
            .map_err(|e| self.sql_error(e))
    }

    /// The time of the newest event, if any.
    pub fn last_event_time(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.conn
            .query_row(
                "SELECT recorded_at_us FROM events ORDER BY seq DESC LIMIT 1",
                [],
                |row| row.get::<_, i64>(0),
            )
            .optional()
            .map(|at| at.map(from_micros))
            .map_err(|e| self.sql_error(e))
    }

    /// The store days (in the store's zone) of the events after event `seq`, oldest first.
    pub fn days_after(
        &self,
        seq: u64,
        calendar: &StoreCalendar,
    ) -> Result<Vec<chrono::NaiveDate>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT recorded_at_us FROM events WHERE seq > ?1 ORDER BY seq")
            .map_err(|e| self.sql_error(e))?;
        let mut rows = statement
            .query([seq as i64])
            .map_err(|e| self.sql_error(e))?;
        let mut days = std::collections::BTreeSet::new();
        while let Some(row) = rows.next().map_err(|e| self.sql_error(e))? {
            days.insert(
                calendar.local_date(from_micros(row.get(0).map_err(|e| self.sql_error(e))?)),
            );
        }
        Ok(days.into_iter().collect())
    }
}
