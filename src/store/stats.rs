//! Read-only figures for the home screen. Each query is bounded by time and uses an index, so
//! its cost follows the period asked for, not the age of the ledger.

use chrono::{DateTime, Utc};

use super::{Store, StoreError};
use crate::domain::clock::{from_micros, to_micros};
use crate::domain::custody::EventKind;

/// One custody event's time, kind and number of parcels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustodyMovement {
    pub recorded_at: DateTime<Utc>,
    pub kind: EventKind,
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
                "SELECT recorded_at_us, kind, json_array_length(items_json) FROM events
                 WHERE recorded_at_us >= ?1 ORDER BY recorded_at_us",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = statement
            .query_map([to_micros(from)], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i64>(2)?,
                ))
            })
            .map_err(|e| self.sql_error(e))?;
        let mut movements = Vec::new();
        for row in rows {
            let (at, kind, parcels) = row.map_err(|e| self.sql_error(e))?;
            let Ok(kind) = kind.parse::<EventKind>() else {
                continue;
            };
            if kind.is_custody() {
                movements.push(CustodyMovement {
                    recorded_at: from_micros(at),
                    kind,
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
            "SELECT count(*) FROM parcels WHERE status = 'held_for_customer'
                 AND hold_expires_at_us >= ?1 AND hold_expires_at_us < ?2",
            [to_micros(from), to_micros(to)],
        )
    }

    /// Parcels whose hold has ended and that wait for a driver.
    pub fn count_expired(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        self.count_rows(
            "SELECT count(*) FROM parcels WHERE status = 'held_for_customer' AND hold_expires_at_us <= ?1",
            [to_micros(now)],
        )
    }

    /// Parcels in the store's custody (on the shelves or out with its courier).
    pub fn count_in_custody(&self) -> Result<u64, StoreError> {
        self.count_rows(
            "SELECT count(*) FROM parcels WHERE status IN ('held_for_customer', 'awaiting_driver', 'out_for_delivery')",
            [],
        )
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
                "SELECT seq, hash FROM events WHERE recorded_at_us < ?1 ORDER BY seq DESC LIMIT 1",
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
