//! Reading the chain back: the head, single events, a parcel's history, and events by time
//! (streamed for exports, so memory does not grow with the ledger).

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::append::{EVENT_COLUMNS, SEQ_RANGE_SCAN, event_from_row};
use super::connection::Store;
use super::error::StoreError;
use crate::domain::calendar::StoreCalendar;
use crate::domain::chain::view::StoredEvent;
use crate::domain::chain::{ChainHash, GENESIS_HASH, LedgerEvent};
use crate::domain::clock::{from_micros, to_micros};
use crate::domain::ids::TrackingId;

/// A row of [`EVENT_COLUMNS`], borrowed as stored: no copy, no decoding beyond SQLite's own
/// (UTF-8 is checked, as the full decoding checks it). `None` when a column is not of the type
/// the kiosk writes; the caller then decodes the row in full, which names the fault.
pub(crate) fn stored_event<'r>(row: &'r rusqlite::Row<'_>) -> Option<StoredEvent<'r>> {
    use rusqlite::types::ValueRef;
    let integer = |column| match row.get_ref(column).ok()? {
        ValueRef::Integer(value) => Some(value),
        _ => None,
    };
    let text = |column| match row.get_ref(column).ok()? {
        ValueRef::Text(bytes) => std::str::from_utf8(bytes).ok(),
        _ => None,
    };
    // Each column asked for once: every ask is three calls into SQLite.
    let optional = |column| match row.get_ref(column).ok()? {
        ValueRef::Null => Some(None),
        ValueRef::Integer(value) => Some(Some(value)),
        _ => None,
    };
    let optional_text = |column| match row.get_ref(column).ok()? {
        ValueRef::Null => Some(None),
        ValueRef::Text(bytes) => std::str::from_utf8(bytes).ok().map(Some),
        _ => None,
    };
    let blob = |column| match row.get_ref(column).ok()? {
        ValueRef::Blob(bytes) => Some(bytes),
        _ => None,
    };
    Some(StoredEvent {
        seq: integer(0)?,
        recorded_at_us: integer(1)?,
        kind: text(2)?,
        staff_id: optional(3)?,
        counterparty_kind: text(4)?,
        counterparty_ref: text(5)?,
        items_json: text(6)?,
        token_id: optional_text(7)?,
        note: text(8)?,
        prev_hash: blob(9)?,
        hash: blob(10)?,
        format: integer(11)?,
        facts_json: text(12)?,
    })
}

/// The range's first and last events in time (ties by sequence): steps into the time index.
const EARLIEST_SEQ_BETWEEN: &str = "SELECT seq FROM events WHERE recorded_at_us >= ?1 AND recorded_at_us < ?2 ORDER BY recorded_at_us, seq LIMIT 1";
const LATEST_SEQ_BETWEEN: &str = "SELECT seq FROM events WHERE recorded_at_us >= ?1 AND recorded_at_us < ?2 ORDER BY recorded_at_us DESC, seq DESC LIMIT 1";
/// The ledger's first and last sequence numbers (steps into the table itself).
const LEDGER_FIRST_SEQ: &str = "SELECT min(seq) FROM events";
const LEDGER_LAST_SEQ: &str = "SELECT max(seq) FROM events";
/// Events of the range before (after) a sequence number, read by sequence number (`+` keeps
/// SQLite off the time index: these are the few rows beside the range).
const FIRST_SEQ_BEFORE: &str =
    "SELECT min(seq) FROM events WHERE seq < ?1 AND +recorded_at_us >= ?2 AND +recorded_at_us < ?3";
const LAST_SEQ_AFTER: &str =
    "SELECT max(seq) FROM events WHERE seq > ?1 AND +recorded_at_us >= ?2 AND +recorded_at_us < ?3";
/// The first and last times recorded in a range: steps into the time index.
const FIRST_TIME_BETWEEN: &str =
    "SELECT min(recorded_at_us) FROM events WHERE recorded_at_us >= ?1 AND recorded_at_us < ?2";
const LAST_TIME_BETWEEN: &str =
    "SELECT max(recorded_at_us) FROM events WHERE recorded_at_us >= ?1 AND recorded_at_us < ?2";
/// The first and last sequence numbers and the number of events in a time range, read off
/// the time index alone.
const SEQ_SPAN: &str = "SELECT min(seq), max(seq), count(*) FROM events WHERE recorded_at_us >= ?1 AND recorded_at_us < ?2";

/// Two instants: a first and a last, or a start and an end, as each use says.
pub type Instants = (DateTime<Utc>, DateTime<Utc>);

/// The events recorded in `[from, to)`: the first and last sequence numbers among them
/// (`None` when there are none) and their number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeqSpan {
    pub first: Option<i64>,
    pub last: Option<i64>,
    pub count: u64,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Store {
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

    /// [`Store::seq_span_between`] without reading the time index through, when the range
    /// reaches (nearly) to either end of the ledger, as an export of the whole ledger does:
    /// the range's first and last events in time are two steps into the index, and the few
    /// events on the far side of them in sequence (where a clock set back may have put an
    /// event of the range) are looked at by sequence number. `None` when those are not few
    /// (a range in the middle of the ledger: the one pass over its part of the index is then
    /// the cheaper). The span's `count` is the sequence numbers from first to last: the events
    /// among them recorded outside the range (a clock set back again) are skipped as they are
    /// read.
    pub fn seq_span_near_the_ends(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Option<SeqSpan>, StoreError> {
        let (from_us, to_us) = (to_micros(from), to_micros(to));
        let empty = SeqSpan {
            first: None,
            last: None,
            count: 0,
            from,
            to,
        };
        let (Some(earliest), Some(latest)) = (
            self.optional_integer(EARLIEST_SEQ_BETWEEN, [from_us, to_us])?,
            self.optional_integer(LATEST_SEQ_BETWEEN, [from_us, to_us])?,
        ) else {
            return Ok(Some(empty));
        };
        let (low, high) = (earliest.min(latest), earliest.max(latest));
        let (Some(ledger_first), Some(ledger_last)) = (
            self.optional_integer(LEDGER_FIRST_SEQ, [])?,
            self.optional_integer(LEDGER_LAST_SEQ, [])?,
        ) else {
            return Ok(Some(empty));
        };
        // A row read by sequence number costs about as much as this many entries of the time
        // index (a row is hundreds of bytes, an index entry sixteen).
        const ROW_IN_INDEX_ENTRIES: i64 = 32;
        let beside = (low - ledger_first) + (ledger_last - high);
        if beside.saturating_mul(ROW_IN_INDEX_ENTRIES) > high - low + 1 {
            return Ok(None);
        }
        let first = self
            .optional_integer(FIRST_SEQ_BEFORE, [low, from_us, to_us])?
            .map_or(low, |seq| seq.min(low));
        let last = self
            .optional_integer(LAST_SEQ_AFTER, [high, from_us, to_us])?
            .map_or(high, |seq| seq.max(high));
        Ok(Some(SeqSpan {
            first: Some(first),
            last: Some(last),
            count: (last - first + 1).max(0) as u64,
            from,
            to,
        }))
    }

    /// The first and last times recorded in `[from, to)` (`None` when nothing was), each
    /// from one step into the time index.
    pub fn time_bounds_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Option<Instants>, StoreError> {
        let bound = |sql| self.optional_integer(sql, [to_micros(from), to_micros(to)]);
        Ok(
            match (bound(FIRST_TIME_BETWEEN)?, bound(LAST_TIME_BETWEEN)?) {
                (Some(first), Some(last)) => Some((from_micros(first), from_micros(last))),
                _ => None,
            },
        )
    }

    /// The first and last sequence numbers of the events recorded in `[from, to)` and how many
    /// there are, from one pass over the time index (reading the index only): what an export
    /// needs before it starts, for the price of [`Store::seq_range_between`] alone.
    pub fn seq_span_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<SeqSpan, StoreError> {
        self.conn
            .prepare_cached(SEQ_SPAN)
            .and_then(|mut statement| {
                statement.query_row([to_micros(from), to_micros(to)], |row| {
                    Ok(SeqSpan {
                        first: row.get(0)?,
                        last: row.get(1)?,
                        count: row.get::<_, i64>(2)?.max(0) as u64,
                        from,
                        to,
                    })
                })
            })
            .map_err(|e| self.sql_error(e))
    }

    /// [`Store::for_each_event_between`] without decoding: `each` gets every row in `[from,
    /// to)` borrowed as stored, oldest first, and decides what to decode (the export writes most
    /// rows straight from their bytes).
    pub fn for_each_stored_event_between<E: From<StoreError>>(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        each: impl FnMut(StoredEvent<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let span = self.seq_span_between(from, to)?;
        self.for_each_stored_event_in(&span, each)
    }

    /// [`Store::for_each_stored_event_between`] over a span found earlier (the export counts
    /// and bounds its range in one pass before it starts).
    pub fn for_each_stored_event_in<E: From<StoreError>>(
        &self,
        span: &SeqSpan,
        mut each: impl FnMut(StoredEvent<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let (Some(first), Some(last)) = (span.first, span.last) else {
            return Ok(());
        };
        let mut statement = self
            .conn
            .prepare_cached(&format!(
                "SELECT {EVENT_COLUMNS} FROM events {SEQ_RANGE_SCAN}"
            ))
            .map_err(|e| self.sql_error(e))?;
        let mut rows = statement
            .query(params![
                first,
                last,
                to_micros(span.from),
                to_micros(span.to)
            ])
            .map_err(|e| self.sql_error(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql_error(e))? {
            match stored_event(row) {
                Some(stored) => each(stored)?,
                // A column of a type the kiosk never writes: the full decoding names it.
                None => {
                    let detail = match event_from_row(row).map_err(|e| self.sql_error(e))? {
                        Err(fault) => fault.to_string(),
                        Ok(event) => {
                            format!("event {} has a column of an unexpected type", event.seq)
                        }
                    };
                    return Err(StoreError::Corrupt {
                        path: self.path.clone(),
                        detail,
                    }
                    .into());
                }
            }
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::query_plan::{query_plan, temp_store};

    /// The export's span is one pass over the covering time index: no table rows, no
    /// temporary B-tree (#20).
    /// Asserts that `sql`, bound to a time range, reads the covering time index in its own
    /// order: no table rows, no temporary B-tree.
    fn reads_the_time_index_only(store: &Store, sql: &str) {
        let plan = query_plan(store, sql, [0_i64, 1]);
        assert!(
            plan.contains("COVERING INDEX events_by_time"),
            "{sql}:\n{plan}"
        );
        assert!(!plan.contains("TEMP B-TREE"), "{sql}:\n{plan}");
    }

    #[test]
    fn the_span_reads_the_time_index_only() {
        let (_dir, store) = temp_store();
        reads_the_time_index_only(&store, SEQ_SPAN);
        let (from, to) = (from_micros(0), from_micros(1_000_000));
        let span = store.seq_span_between(from, to).expect("a span");
        assert_eq!((span.first, span.last, span.count), (None, None, 0));
    }

    /// Bounding a range near the ends of the ledger steps into the covering time index in its
    /// own order (no temporary B-tree), and reads the rows beside the range by sequence number.
    #[test]
    fn the_quick_bounds_step_into_the_index_and_the_rows_beside() {
        let (_dir, store) = temp_store();
        for sql in [EARLIEST_SEQ_BETWEEN, LATEST_SEQ_BETWEEN] {
            reads_the_time_index_only(&store, sql);
        }
        for sql in [FIRST_SEQ_BEFORE, LAST_SEQ_AFTER] {
            let plan = query_plan(&store, sql, [5_i64, 0, 1]);
            assert!(plan.contains("INTEGER PRIMARY KEY"), "{plan}");
            assert!(!plan.contains("events_by_time"), "{plan}");
        }
        let (from, to) = (from_micros(0), from_micros(1_000_000));
        let span = store
            .seq_span_near_the_ends(from, to)
            .expect("a span")
            .expect("an empty ledger is near its ends");
        assert_eq!((span.first, span.last, span.count), (None, None, 0));
    }

    /// The bounds an export splits its range at are steps into the covering time index.
    #[test]
    fn the_time_bounds_read_the_time_index_only() {
        let (_dir, store) = temp_store();
        for sql in [FIRST_TIME_BETWEEN, LAST_TIME_BETWEEN] {
            reads_the_time_index_only(&store, sql);
        }
        let (from, to) = (from_micros(0), from_micros(1_000_000));
        assert_eq!(store.time_bounds_between(from, to).expect("bounds"), None);
    }
}
