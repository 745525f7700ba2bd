//! Read-only figures for the home screen. Each query is bounded by time and uses an index, so
//! its cost follows the period asked for, not the age of the ledger.

use chrono::{DateTime, Utc};

use super::connection::Store;
use super::error::StoreError;
use super::status_sets::{HELD_FOR_CUSTOMER, IN_CUSTODY};
use crate::domain::clock::{from_micros, to_micros};
use crate::domain::correction::movement_of_stored;
use crate::domain::custody::{EventKind, Movement};
use crate::domain::report::{CUSTODY_BUCKET_US, custody_bucket};

/// One custody event's time, kind, side of the books and number of parcels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustodyMovement {
    pub recorded_at: DateTime<Utc>,
    pub kind: EventKind,
    /// The event's side of the books: its kind's, or for a correction the opposite of what it
    /// undoes ([`movement_of`]). Count by this, not by the kind.
    pub movement: Movement,
    pub parcels: u32,
}

impl Store {
    /// Custody events recorded at or after `from`, oldest first.
    pub fn custody_movements_since(
        &self,
        from: DateTime<Utc>,
    ) -> Result<Vec<CustodyMovement>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT recorded_at_us, kind, json_array_length(items_json), facts_json FROM events
                 WHERE recorded_at_us >= ?1 ORDER BY recorded_at_us",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = statement
            .query_map([to_micros(from)], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, String>(3)?,
                ))
            })
            .map_err(|e| self.sql_error(e))?;
        let mut movements = Vec::new();
        for row in rows {
            let (at, kind, parcels, facts) = row.map_err(|e| self.sql_error(e))?;
            let Ok(kind) = kind.parse::<EventKind>() else {
                continue;
            };
            if kind.is_custody() {
                movements.push(CustodyMovement {
                    recorded_at: from_micros(at),
                    kind,
                    movement: movement_of_stored(kind, &facts),
                    parcels: u32::try_from(parcels).unwrap_or(0),
                });
            }
        }
        Ok(movements)
    }

    /// Parcels held for customers whose hold ends in `[from, to)`.
    pub fn count_holds_ending_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        self.count_rows(
            &format!(
                "SELECT count(*) FROM parcels WHERE status = {HELD_FOR_CUSTOMER}
                 AND hold_expires_at_us >= ?1 AND hold_expires_at_us < ?2"
            ),
            [to_micros(from), to_micros(to)],
        )
    }

    /// Parcels whose hold has ended and that wait for a driver.
    pub fn count_expired(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        self.count_rows(
            &format!(
                "SELECT count(*) FROM parcels WHERE status = {HELD_FOR_CUSTOMER} AND hold_expires_at_us <= ?1"
            ),
            [to_micros(now)],
        )
    }

    /// Parcels in the store's custody (on the shelves or out with its courier).
    pub fn count_in_custody(&self) -> Result<u64, StoreError> {
        self.count_rows(
            &format!("SELECT count(*) FROM parcels WHERE status IN {IN_CUSTODY}"),
            [],
        )
    }

    /// Parcels in the store's custody just before `instant`, from the custody totals: one
    /// look-up, whatever the ledger's length. `None` when the instant does not start a bucket
    /// (the caller then counts the events).
    pub fn in_custody_before(&self, instant: DateTime<Utc>) -> Result<Option<u64>, StoreError> {
        let at = to_micros(instant);
        if at.rem_euclid(CUSTODY_BUCKET_US) != 0 {
            return Ok(None);
        }
        let count: Option<i64> = rusqlite::OptionalExtension::optional(self.conn.query_row(
            "SELECT in_custody_after FROM custody_totals WHERE bucket < ?1 ORDER BY bucket DESC LIMIT 1",
            [custody_bucket(at)],
            |row| row.get(0),
        ))
        .map_err(|e| self.sql_error(e))?;
        Ok(Some(count.unwrap_or(0).max(0) as u64))
    }

    /// Holds that ended in `[from, to)`, whatever happened to the parcel since.
    pub fn count_holds_ending_between_any_status(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        self.count_rows(
            "SELECT count(*) FROM parcels WHERE hold_expires_at_us >= ?1 AND hold_expires_at_us < ?2",
            [to_micros(from), to_micros(to)],
        )
    }

    /// The last event recorded before `instant`: its sequence number and hash.
    pub fn head_at(
        &self,
        instant: DateTime<Utc>,
    ) -> Result<(u64, crate::domain::chain::ChainHash), StoreError> {
        let row: Option<(i64, Vec<u8>)> =
            rusqlite::OptionalExtension::optional(self.conn.query_row(
                // Newest by time through the time index (ties by sequence): ordering by
                // sequence alone made SQLite sort every earlier event.
                "SELECT seq, hash FROM events WHERE recorded_at_us < ?1 ORDER BY recorded_at_us DESC, seq DESC LIMIT 1",
                [to_micros(instant)],
                |row| Ok((row.get(0)?, row.get(1)?)),
            ))
            .map_err(|e| self.sql_error(e))?;
        Ok(match row {
            Some((seq, hash)) => (
                seq.max(0) as u64,
                hash.try_into()
                    .unwrap_or(crate::domain::chain::GENESIS_HASH),
            ),
            None => (0, crate::domain::chain::GENESIS_HASH),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::store::append::{EVENT_COLUMNS, SEQ_RANGE_SCAN};
    use crate::store::connection::{OpenMode, Store};
    use crate::store::query_plan::*;

    /// The query plan of `sql`, one line a step.
    fn plan(store: &Store, sql: &str, parameters: usize) -> String {
        query_plan(
            store,
            sql,
            rusqlite::params_from_iter(vec![0_i64; parameters]),
        )
    }

    /// The report and the export read one day (or one range) without SQLite sorting rows into a
    /// temporary B-tree: on a 10-year ledger that sort was most of their time (#20).
    #[test]
    fn report_and_export_queries_never_sort_through_a_temporary_b_tree() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store =
            Store::open(&dir.path().join("l.sqlite3"), OpenMode::CreateIfMissing).expect("open");
        let queries = [
            (format!("SELECT {EVENT_COLUMNS} FROM events {SEQ_RANGE_SCAN}"), 4, "INTEGER PRIMARY KEY"),
            // `verify`'s walk of the whole chain: the table in its own order.
            (format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY seq"), 0, "SCAN events"),
            (
                "SELECT min(seq), max(seq) FROM events WHERE recorded_at_us >= ?1 AND recorded_at_us < ?2".to_owned(),
                2,
                "events_by_time",
            ),
            (
                "SELECT seq, hash FROM events WHERE recorded_at_us < ?1 ORDER BY recorded_at_us DESC, seq DESC LIMIT 1".to_owned(),
                1,
                "events_by_time",
            ),
            (
                "SELECT in_custody_after FROM custody_totals WHERE bucket < ?1 ORDER BY bucket DESC LIMIT 1".to_owned(),
                1,
                "INTEGER PRIMARY KEY",
            ),
            (
                "SELECT count(*) FROM parcels WHERE hold_expires_at_us >= ?1 AND hold_expires_at_us < ?2".to_owned(),
                2,
                "parcels_by_hold_end",
            ),
            (
                "SELECT recorded_at_us, kind, json_array_length(items_json), facts_json FROM events WHERE recorded_at_us >= ?1 ORDER BY recorded_at_us".to_owned(),
                1,
                "events_by_time",
            ),
        ];
        for (sql, parameters, wanted) in queries {
            let plan = plan(&store, &sql, parameters);
            assert!(!plan.contains("TEMP B-TREE"), "{sql}:\n{plan}");
            assert!(plan.contains(wanted), "{sql}:\n{plan}");
        }
    }
}
