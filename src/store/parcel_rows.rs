//! The `parcels` table as recording writes it: reading a row, the parcel's snapshot for the
//! custody rules, the event line for a parcel, and the row the event makes (the same function
//! `verify` replays).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::connection::{cached_execute, cached_row};
use super::status_sets::{HELD_FOR_CUSTOMER, ON_SHELF};
use crate::domain::chain::{EventItem, LedgerEvent};
use crate::domain::clock::{from_micros, to_micros};
use crate::domain::codes::{CodeDigester, PickupCode};
use crate::domain::custody::{EventKind, ParcelSnapshot, ParcelStatus, UnknownCode};
use crate::domain::handoff::{HandoffItem, ParcelOrigin, RecordContext};
use crate::domain::ids::TrackingId;
use crate::domain::labels::{Carrier, carrier_of, carrier_of_text};
use crate::domain::projection::{ParcelRow, next_parcel_row};

/// A parcel as the store knows it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParcelRecord {
    pub tracking_id: TrackingId,
    pub status: ParcelStatus,
    pub shelf: String,
    pub recipient_name: String,
    pub postal_code: String,
    pub received_at: Option<DateTime<Utc>>,
    pub hold_expires_at: Option<DateTime<Utc>>,
    pub missing: bool,
    pub last_seq: u64,
    pub origin: ParcelOrigin,
    /// For the shop's own orders: when it must leave with a driver.
    pub leave_by: Option<DateTime<Utc>>,
    /// Whose label the parcel carries, from its tracking id (`Other` for drop-offs, returns and
    /// orders numbered by the shop, and for ids of no known format).
    pub carrier: Carrier,
}

impl ParcelRecord {
    pub fn is_expired_at(&self, now: DateTime<Utc>) -> bool {
        self.snapshot().is_expired(now)
    }

    pub fn snapshot(&self) -> ParcelSnapshot {
        ParcelSnapshot {
            tracking_id: self.tracking_id.clone(),
            status: self.status,
            hold_expires_at: self.hold_expires_at,
            missing: self.missing,
        }
    }
}

pub(crate) const PARCEL_COLUMNS: &str = "tracking_id, status, shelf, recipient_name, postal_code, received_at_us, hold_expires_at_us, missing, last_seq, origin, leave_by_us, carrier";

pub(crate) fn parcel_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ParcelRecord> {
    let tracking: String = row.get(0)?;
    let status: String = row.get(1)?;
    let conversion = |column: usize, message: String| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            rusqlite::types::Type::Text,
            message.into(),
        )
    };
    Ok(ParcelRecord {
        tracking_id: TrackingId::parse(&tracking).map_err(|e| conversion(0, e.to_string()))?,
        status: status
            .parse()
            .map_err(|e: UnknownCode| conversion(1, e.to_string()))?,
        shelf: row.get(2)?,
        recipient_name: row.get(3)?,
        postal_code: row.get(4)?,
        received_at: row.get::<_, Option<i64>>(5)?.map(from_micros),
        hold_expires_at: row.get::<_, Option<i64>>(6)?.map(from_micros),
        missing: row.get::<_, i64>(7)? != 0,
        last_seq: row.get::<_, i64>(8)?.max(0) as u64,
        origin: {
            let origin: String = row.get(9)?;
            origin
                .parse()
                .map_err(|e: UnknownCode| conversion(9, e.to_string()))?
        },
        leave_by: row.get::<_, Option<i64>>(10)?.map(from_micros),
        // A cell edited to a word no carrier has does not stop the counter: the id says which
        // carrier it is, and `verify` names the edit.
        carrier: {
            let code: String = row.get(11)?;
            Carrier::from_code(&code).unwrap_or_else(|| carrier_of_text(&tracking))
        },
    })
}

pub(crate) fn snapshot_in(
    tx: &Transaction<'_>,
    tracking_id: &TrackingId,
) -> rusqlite::Result<Option<ParcelSnapshot>> {
    cached_row(
        tx,
        &format!("SELECT {PARCEL_COLUMNS} FROM parcels WHERE tracking_id = ?1"),
        [tracking_id.as_str()],
        parcel_from_row,
    )
    .optional()
    .map(|record| record.map(|parcel| parcel.snapshot()))
}

pub(crate) fn on_hand_count(conn: &rusqlite::Connection) -> rusqlite::Result<u64> {
    conn.query_row(
        &format!("SELECT count(*) FROM parcels WHERE status IN {ON_SHELF}"),
        [],
        |row| row.get::<_, i64>(0),
    )
    .map(|count| count.max(0) as u64)
}

/// Parcels held under a pickup code. `+status` keeps SQLite off the status index: with it, a
/// lookup walked every held parcel comparing digests (a 10-parcel delivery on a busy ledger
/// spent most of its time there); the code index finds the one or two rows directly.
pub(crate) fn held_under_code() -> String {
    format!("code_digest = ?1 AND +status = {HELD_FOR_CUSTOMER}")
}

/// A fresh code that no parcel currently held for a customer uses, nor one generated earlier
/// in the same transaction (`fresh`).
fn unused_pickup_code(
    tx: &Transaction<'_>,
    codes: &CodeDigester,
    fresh: &mut HashSet<[u8; 32]>,
) -> rusqlite::Result<(PickupCode, [u8; 32])> {
    loop {
        let code = PickupCode::generate()
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        let digest = codes.digest(&code);
        let taken: bool = cached_row(
            tx,
            &format!(
                "SELECT EXISTS (SELECT 1 FROM parcels WHERE {})",
                held_under_code()
            ),
            [digest.as_slice()],
            |row| row.get(0),
        )?;
        if !taken && fresh.insert(digest) {
            return Ok((code, digest));
        }
    }
}

/// The event's line for one parcel, with the facts the parcel's record will take from it: for a
/// delivery, the announced recipient and code digest (or a newly generated code, returned to be
/// shown once), and when the hold ends.
pub(crate) fn event_item_for(
    tx: &Transaction<'_>,
    kind: EventKind,
    item: &HandoffItem,
    context: &RecordContext<'_>,
    now: DateTime<Utc>,
    fresh: &mut HashSet<[u8; 32]>,
) -> rusqlite::Result<(EventItem, Option<PickupCode>)> {
    let mut line = EventItem {
        shelf: item.shelf.clone(),
        detail: item.detail.clone(),
        leave_by_us: item.leave_by.map(to_micros),
        ..EventItem::new(item.tracking_id.as_str())
    };
    if kind != EventKind::DriverDelivery {
        return Ok((line, None));
    }
    let expected: Option<(String, Vec<u8>, String)> = cached_row(
        tx,
        "SELECT recipient_name, code_digest, postal_code FROM expected_parcels WHERE tracking_id = ?1",
        [item.tracking_id.as_str()],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )
    .optional()?;
    // The carrier's own hold, put into the item so replay takes the same end from the event.
    let hold = context.carriers.hold_rule(&carrier_of(&item.tracking_id));
    line.hold_until_us = Some(to_micros(context.calendar.hold_expiry_under(now, hold)));
    let generated = match expected {
        Some((recipient, digest, postal)) => {
            line.recipient = recipient;
            line.code = hex::encode(digest);
            line.postal_code = postal;
            None
        }
        None => {
            let (code, digest) = unused_pickup_code(tx, context.codes, fresh)?;
            line.code = hex::encode(digest);
            line.recipient = item.recipient.clone();
            Some(code)
        }
    };
    Ok((line, generated))
}

pub(crate) const PARCEL_ROW_COLUMNS: &str = "tracking_id, status, shelf, recipient_name, postal_code, code_digest, received_at_us, hold_expires_at_us, missing, last_seq, origin, leave_by_us, carrier";

pub(crate) fn parcel_row_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<ParcelRow> {
    let status: String = row.get(1)?;
    Ok(ParcelRow {
        tracking_id: row.get(0)?,
        status: status.parse().map_err(|e: UnknownCode| {
            rusqlite::Error::FromSqlConversionFailure(
                1,
                rusqlite::types::Type::Text,
                e.to_string().into(),
            )
        })?,
        shelf: row.get(2)?,
        recipient_name: row.get(3)?,
        postal_code: row.get(4)?,
        code_digest: row.get::<_, Option<Vec<u8>>>(5)?.map(hex::encode),
        received_at_us: row.get(6)?,
        hold_expires_at_us: row.get(7)?,
        missing: row.get::<_, i64>(8)? != 0,
        last_seq: row.get::<_, i64>(9)?.max(0) as u64,
        origin: row.get(10)?,
        leave_by_us: row.get(11)?,
        carrier: row.get(12)?,
    })
}

/// Every parcel row, in tracking-id order (for `verify` and the sealed state).
pub(crate) const ALL_PARCEL_ROWS: &str = "SELECT tracking_id, status, shelf, recipient_name, postal_code, code_digest, received_at_us, hold_expires_at_us, missing, last_seq, origin, leave_by_us, carrier FROM parcels ORDER BY tracking_id";

/// Brings the parcel's row in line with the event just appended: the row is what
/// [`next_parcel_row`] makes of the event, the same function `verify` replays.
pub(crate) fn project_item(
    tx: &Transaction<'_>,
    event: &LedgerEvent,
    item: &EventItem,
    status: ParcelStatus,
) -> rusqlite::Result<()> {
    let previous = cached_row(
        tx,
        &format!("SELECT {PARCEL_ROW_COLUMNS} FROM parcels WHERE tracking_id = ?1"),
        [item.tracking_id.as_str()],
        parcel_row_from,
    )
    .optional()?;
    let row = next_parcel_row(previous.as_ref(), event, item, status)
        .map_err(|reason| rusqlite::Error::ToSqlConversionFailure(reason.into()))?;
    write_parcel_row(tx, &row)
}

/// Writes a parcel's row as an event made it (inserted, or replacing the one there).
pub(crate) fn write_parcel_row(tx: &Transaction<'_>, row: &ParcelRow) -> rusqlite::Result<()> {
    let digest = match &row.code_digest {
        Some(text) => Some(
            hex::decode(text).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?,
        ),
        None => None,
    };
    cached_execute(tx,
        "INSERT INTO parcels (tracking_id, status, shelf, recipient_name, postal_code, code_digest, received_at_us, hold_expires_at_us, missing, last_seq, origin, leave_by_us, carrier)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (tracking_id) DO UPDATE SET status = excluded.status, shelf = excluded.shelf,
             recipient_name = excluded.recipient_name, postal_code = excluded.postal_code,
             code_digest = excluded.code_digest, received_at_us = excluded.received_at_us,
             hold_expires_at_us = excluded.hold_expires_at_us, missing = excluded.missing,
             last_seq = excluded.last_seq, origin = excluded.origin, leave_by_us = excluded.leave_by_us,
             carrier = excluded.carrier",
        params![
            row.tracking_id,
            row.status.code(),
            row.shelf,
            row.recipient_name,
            row.postal_code,
            digest,
            row.received_at_us,
            row.hold_expires_at_us,
            i64::from(row.missing),
            row.last_seq as i64,
            row.origin,
            row.leave_by_us,
            row.carrier
        ],
    )
    .map(|_| ())
}
