//! The append primitive: the only code that inserts into `events`, with the custody totals
//! kept in the same transaction, and the decoding of a stored event. Everything that records
//! builds on this; this builds on nothing else of the store but the statement cache.

use rusqlite::{OptionalExtension, Transaction, params};

use super::connection::{cached_execute, cached_row};
use crate::domain::chain::{
    ChainFault, ChainHash, Counterparty, CounterpartyKind, EventBody, EventItem, Fact,
    GENESIS_HASH, LedgerEvent, chain_hash,
};
use crate::domain::clock::{from_micros, to_micros};
use crate::domain::custody::EventKind;
use crate::domain::ids::StaffId;
use crate::domain::report::{custody_bucket, custody_change};

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
    queue_for_head_office(tx, seq, to_micros(body.recorded_at))?;
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
    let (parcels_in, parcels_out) = custody_change(&event.body);
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

/// Queues a just-appended event for head office's live link (the sender in store/outbox.rs
/// takes it from there). In `append_event`'s transaction: if this fails, the event is rolled
/// back with it, so no event is committed without being queued.
fn queue_for_head_office(
    tx: &Transaction<'_>,
    seq: u64,
    recorded_at_us: i64,
) -> rusqlite::Result<()> {
    cached_execute(
        tx,
        "INSERT INTO outbox (seq, queued_at_us) VALUES (?1, ?2)",
        params![seq as i64, recorded_at_us],
    )?;
    Ok(())
}
