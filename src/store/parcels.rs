//! The parcels projection (where each parcel is now) and the carrier's expected-parcel list.
//! The projection is updated in the same transaction as the event that moves the parcel.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use std::collections::HashSet;

use super::ledger::{HandoffItem, RecordContext, append_event};
use super::staff::Actor;
use super::{Store, StoreError, cached_execute, cached_row};
use crate::domain::chain::{
    CURRENT_FORMAT, Counterparty, CounterpartyKind, EventBody, EventItem, LedgerEvent,
};
use crate::domain::clock::{from_micros, to_micros};
use crate::domain::codes::{CodeDigester, PickupCode};
use crate::domain::custody::{EventKind, ParcelSnapshot, ParcelStatus};
use crate::domain::handoff::ParcelOrigin;
use crate::domain::ids::{TrackingId, clean_free_text};
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

pub use crate::domain::expected::ExpectedParcel;

/// How many announced parcels one import event lists: a million-line file becomes a thousand
/// events of a reasonable size instead of one row of a hundred megabytes.
const IMPORT_EVENT_ITEMS: usize = 1000;

/// What an import did, line by line where it matters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    /// Ids announced for the first time.
    pub announced: u64,
    /// Lines identical to what was announced before: nothing recorded.
    pub unchanged: u64,
    /// Ids announced before with other details (or after they left the store): recorded, with
    /// what changed.
    pub reannounced: Vec<(TrackingId, String)>,
    /// Lines not imported, with why (the parcel is here already and keeps its code).
    pub refused: Vec<(TrackingId, String)>,
}

impl ImportOutcome {
    /// The ids recorded by this import.
    pub fn recorded(&self) -> u64 {
        self.announced + self.reannounced.len() as u64
    }

    /// One line for a person: every kind of outcome that happened, with its count.
    pub fn summary(&self) -> String {
        let mut parts = vec![format!("{} newly announced", self.announced)];
        if !self.reannounced.is_empty() {
            parts.push(format!("{} re-announced", self.reannounced.len()));
        }
        if self.unchanged > 0 {
            parts.push(format!("{} unchanged", self.unchanged));
        }
        if !self.refused.is_empty() {
            parts.push(format!("{} refused", self.refused.len()));
        }
        parts.join(", ")
    }
}

const PARCEL_COLUMNS: &str = "tracking_id, status, shelf, recipient_name, postal_code, received_at_us, hold_expires_at_us, missing, last_seq, origin, leave_by_us";

fn parcel_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ParcelRecord> {
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
            .map_err(|e: crate::domain::custody::UnknownCode| conversion(1, e.to_string()))?,
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
                .map_err(|e: crate::domain::custody::UnknownCode| conversion(9, e.to_string()))?
        },
        leave_by: row.get::<_, Option<i64>>(10)?.map(from_micros),
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
        "SELECT count(*) FROM parcels WHERE status IN ('held_for_customer', 'awaiting_driver')",
        [],
        |row| row.get::<_, i64>(0),
    )
    .map(|count| count.max(0) as u64)
}

/// Parcels held under a pickup code. `+status` keeps SQLite off the status index: with it, a
/// lookup walked every held parcel comparing digests (a 10-parcel delivery on a busy ledger
/// spent most of its time there); the code index finds the one or two rows directly.
const HELD_UNDER_CODE: &str = "code_digest = ?1 AND +status = 'held_for_customer'";

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
            &format!("SELECT EXISTS (SELECT 1 FROM parcels WHERE {HELD_UNDER_CODE})"),
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
    line.hold_until_us = Some(to_micros(context.calendar.hold_expiry(now)));
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
            Some(code)
        }
    };
    Ok((line, generated))
}

const PARCEL_ROW_COLUMNS: &str = "tracking_id, status, shelf, recipient_name, postal_code, code_digest, received_at_us, hold_expires_at_us, missing, last_seq, origin, leave_by_us";

pub(crate) fn parcel_row_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<ParcelRow> {
    let status: String = row.get(1)?;
    Ok(ParcelRow {
        tracking_id: row.get(0)?,
        status: status
            .parse()
            .map_err(|e: crate::domain::custody::UnknownCode| {
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
    })
}

/// Every parcel row, in tracking-id order (for `verify` and the sealed state).
pub(crate) const ALL_PARCEL_ROWS: &str = "SELECT tracking_id, status, shelf, recipient_name, postal_code, code_digest, received_at_us, hold_expires_at_us, missing, last_seq, origin, leave_by_us FROM parcels ORDER BY tracking_id";

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
    let digest = match &row.code_digest {
        Some(text) => Some(
            hex::decode(text).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?,
        ),
        None => None,
    };
    cached_execute(tx,
        "INSERT INTO parcels (tracking_id, status, shelf, recipient_name, postal_code, code_digest, received_at_us, hold_expires_at_us, missing, last_seq, origin, leave_by_us)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (tracking_id) DO UPDATE SET status = excluded.status, shelf = excluded.shelf,
             recipient_name = excluded.recipient_name, postal_code = excluded.postal_code,
             code_digest = excluded.code_digest, received_at_us = excluded.received_at_us,
             hold_expires_at_us = excluded.hold_expires_at_us, missing = excluded.missing,
             last_seq = excluded.last_seq, origin = excluded.origin, leave_by_us = excluded.leave_by_us",
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
            row.leave_by_us
        ],
    )
    .map(|_| ())
}

impl Store {
    pub fn parcel(&self, tracking_id: &TrackingId) -> Result<Option<ParcelRecord>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {PARCEL_COLUMNS} FROM parcels WHERE tracking_id = ?1"),
                [tracking_id.as_str()],
                parcel_from_row,
            )
            .optional()
            .map_err(|e| self.sql_error(e))
    }

    fn parcels_where(
        &self,
        condition: &str,
        parameters: impl rusqlite::Params,
    ) -> Result<Vec<ParcelRecord>, StoreError> {
        self.collect_rows(
            &format!("SELECT {PARCEL_COLUMNS} FROM parcels WHERE {condition}"),
            parameters,
            parcel_from_row,
        )
    }

    /// The parcels a pickup code unlocks (held for their customer).
    pub fn parcels_for_code(
        &self,
        code: &PickupCode,
        codes: &CodeDigester,
    ) -> Result<Vec<ParcelRecord>, StoreError> {
        let digest = codes.digest(code);
        self.parcels_where(
            &format!("{HELD_UNDER_CODE} ORDER BY shelf, tracking_id"),
            [digest.as_slice()],
        )
    }

    /// Held parcels whose hold has ended: due back to a driver.
    pub fn expired_parcels(&self, now: DateTime<Utc>) -> Result<Vec<ParcelRecord>, StoreError> {
        self.parcels_where(
            "status = 'held_for_customer' AND hold_expires_at_us <= ?1 ORDER BY hold_expires_at_us",
            [to_micros(now)],
        )
    }

    /// Everything a driver should take, most urgent first: the shop's orders by must-leave-by
    /// time, then expired holds, then drop-offs and returns in the order they came in.
    pub fn parcels_due_to_driver(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<ParcelRecord>, StoreError> {
        let mut due = self.parcels_where(
            "status = 'awaiting_driver' AND origin = 'order' ORDER BY leave_by_us, received_at_us",
            [],
        )?;
        due.extend(self.expired_parcels(now)?);
        due.extend(self.parcels_where(
            "status = 'awaiting_driver' AND origin <> 'order' ORDER BY received_at_us",
            [],
        )?);
        Ok(due)
    }

    /// The shop's orders that must leave before `deadline` and are still here.
    pub fn orders_leaving_before(
        &self,
        deadline: DateTime<Utc>,
    ) -> Result<Vec<ParcelRecord>, StoreError> {
        self.parcels_where(
            "status = 'awaiting_driver' AND origin = 'order' AND leave_by_us <= ?1 ORDER BY leave_by_us",
            [to_micros(deadline)],
        )
    }

    pub fn parcels_with_status(
        &self,
        status: ParcelStatus,
    ) -> Result<Vec<ParcelRecord>, StoreError> {
        self.parcels_where("status = ?1 ORDER BY shelf, tracking_id", [status.code()])
    }

    /// Every parcel that should be on a shelf now, for the shelf check.
    pub fn parcels_on_shelves(&self) -> Result<Vec<ParcelRecord>, StoreError> {
        self.parcels_where(
            "status IN ('held_for_customer', 'awaiting_driver') ORDER BY shelf, tracking_id",
            [],
        )
    }

    /// Finds parcels as a clerk types: an exact tracking id, a shelf, or any 3+ characters of a
    /// tracking id or recipient name (trigram index), newest first. Indexed throughout.
    pub fn search_parcels(
        &self,
        query: &str,
        limit: usize,
    ) -> Result<Vec<ParcelRecord>, StoreError> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let limit = limit.clamp(1, 200) as i64;
        let mut found = Vec::new();
        if let Ok(id) = TrackingId::parse(query)
            && let Some(parcel) = self.parcel(&id)?
        {
            // A scanned label: the parcel itself is the answer.
            return Ok(vec![parcel]);
        }
        let shelf_like =
            query.chars().count() <= 4 && query.chars().all(|c| c.is_ascii_alphanumeric());
        if shelf_like {
            found.extend(self.parcels_where(
                "shelf = ?1 AND status IN ('held_for_customer', 'awaiting_driver') ORDER BY tracking_id LIMIT ?2",
                rusqlite::params![query.to_ascii_uppercase(), limit],
            )?);
        }
        if query.chars().count() >= 3 {
            // A phrase of the raw text: quotes doubled so the query cannot inject FTS syntax.
            let phrase = format!("\"{}\"", query.replace('"', "\"\""));
            found.extend(self.parcels_where(
                "rowid IN (SELECT rowid FROM parcel_search WHERE parcel_search MATCH ?1 ORDER BY rowid DESC LIMIT ?2)
                 ORDER BY rowid DESC",
                rusqlite::params![phrase, limit],
            )?);
        }
        let mut seen = std::collections::HashSet::new();
        found.retain(|parcel| seen.insert(parcel.tracking_id.clone()));
        found.truncate(limit as usize);
        Ok(found)
    }

    /// Parcels on the shelves now.
    pub fn on_hand(&self) -> Result<u64, StoreError> {
        on_hand_count(&self.conn).map_err(|e| self.sql_error(e))
    }

    /// Imports a carrier's announcement of parcels on their way. One transaction: a file is
    /// imported whole or not at all. Each announced id goes into an event with the keyed digest
    /// of its pickup code, the recipient and postal code (never the code itself), so which code
    /// opens which parcel is on the chain. An id announced before with other details is an
    /// explicit re-announcement, recorded and listed; an id the store holds now keeps the code it
    /// arrived with, and its line is refused and listed. O(n): one indexed look-up per line.
    pub fn import_expected(
        &mut self,
        parcels: &[ExpectedParcel],
        source_name: &str,
        codes: &CodeDigester,
        actor: Actor<'_>,
        now: DateTime<Utc>,
    ) -> Result<ImportOutcome, StoreError> {
        let actor_id = match actor {
            Actor::AdminCommandLine => None,
            Actor::Manager(proof) => {
                if !proof.is_fresh(now) {
                    return Err(StoreError::ProofExpired);
                }
                Some(proof.staff_id())
            }
        };
        let source = clean_free_text("the import's source name", source_name, 80)
            .map_err(StoreError::Invalid)?;
        // A carrier file of a million lines touches more pages than SQLite's default 2 MB cache
        // holds; spilling them mid-transaction rewrote pages. Back to the default after.
        let large = parcels.len() > 10_000;
        if large {
            self.conn
                .execute_batch("PRAGMA cache_size = -65536;")
                .map_err(|e| self.sql_error(e))?;
        }
        let outcome =
            self.import_expected_in_one_transaction(parcels, &source, codes, actor_id, now);
        if large {
            self.conn
                .execute_batch("PRAGMA cache_size = -2000;")
                .map_err(|e| self.sql_error(e))?;
        }
        outcome
    }

    fn import_expected_in_one_transaction(
        &mut self,
        parcels: &[ExpectedParcel],
        source: &str,
        codes: &CodeDigester,
        actor_id: Option<crate::domain::ids::StaffId>,
        now: DateTime<Utc>,
    ) -> Result<ImportOutcome, StoreError> {
        let path = self.path.clone();
        let sql = |e| StoreError::from_sqlite(e, &path);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let mut outcome = ImportOutcome::default();
        let mut lines: Vec<EventItem> = Vec::with_capacity(parcels.len());
        let mut digests: Vec<[u8; 32]> = Vec::with_capacity(parcels.len());
        {
            let mut earlier = tx
                .prepare_cached(
                    "SELECT recipient_name, code_digest, postal_code FROM expected_parcels WHERE tracking_id = ?1",
                )
                .map_err(sql)?;
            let mut held = tx
                .prepare_cached("SELECT status FROM parcels WHERE tracking_id = ?1")
                .map_err(sql)?;
            let mut seen: HashSet<&str> = HashSet::with_capacity(parcels.len());
            for parcel in parcels {
                let id = parcel.tracking_id.as_str();
                if !seen.insert(id) {
                    return Err(StoreError::Invalid(format!("{id} is listed twice")));
                }
                let digest_bytes = codes.digest(&parcel.pickup_code);
                let status: Option<String> = held
                    .query_row([id], |row| row.get(0))
                    .optional()
                    .map_err(sql)?;
                let status = status.and_then(|code| code.parse::<ParcelStatus>().ok());
                let before: Option<(String, Vec<u8>, String)> = earlier
                    .query_row([id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                    .optional()
                    .map_err(sql)?;
                let same = before.as_ref().is_some_and(|(name, code, postal)| {
                    *name == parcel.recipient_name
                        && code.as_slice() == digest_bytes.as_slice()
                        && *postal == parcel.postal_code
                });
                if let Some(status) = status.filter(|status| status.in_store_custody()) {
                    if !same {
                        outcome.refused.push((
                            parcel.tracking_id.clone(),
                            format!(
                                "the parcel is here already ({}); it keeps the pickup code it arrived with",
                                status.label()
                            ),
                        ));
                    } else {
                        outcome.unchanged += 1;
                    }
                    continue;
                }
                let mut detail = String::new();
                match (&before, status) {
                    (Some(_), _) if same && status.is_none() => {
                        outcome.unchanged += 1;
                        continue;
                    }
                    (Some((name, code, postal)), _) => {
                        let mut changed = Vec::new();
                        if code.as_slice() != digest_bytes.as_slice() {
                            changed.push("pickup code");
                        }
                        if *name != parcel.recipient_name {
                            changed.push("recipient");
                        }
                        if *postal != parcel.postal_code {
                            changed.push("postal code");
                        }
                        detail = if changed.is_empty() {
                            "announced again after it left the store".to_owned()
                        } else {
                            format!("re-announced: {} changed", changed.join(", "))
                        };
                        outcome
                            .reannounced
                            .push((parcel.tracking_id.clone(), detail.clone()));
                    }
                    (None, Some(_)) => {
                        detail = "announced again after it left the store".to_owned();
                        outcome
                            .reannounced
                            .push((parcel.tracking_id.clone(), detail.clone()));
                    }
                    (None, None) => outcome.announced += 1,
                }
                digests.push(digest_bytes);
                lines.push(EventItem {
                    detail,
                    code: hex::encode(digest_bytes),
                    recipient: parcel.recipient_name.clone(),
                    postal_code: parcel.postal_code.clone(),
                    ..EventItem::new(id)
                });
            }
        }
        let parts = lines.len().div_ceil(IMPORT_EVENT_ITEMS).max(1);
        let mut lines = lines.into_iter();
        let mut digests = digests.into_iter();
        for part in 1..=parts {
            let items: Vec<EventItem> = lines.by_ref().take(IMPORT_EVENT_ITEMS).collect();
            {
                let mut insert = tx
                    .prepare_cached(
                        "INSERT INTO expected_parcels (tracking_id, recipient_name, code_digest, postal_code, imported_at_us)
                         VALUES (?1, ?2, ?3, ?4, ?5)
                         ON CONFLICT (tracking_id) DO UPDATE SET recipient_name = excluded.recipient_name,
                             code_digest = excluded.code_digest, postal_code = excluded.postal_code,
                             imported_at_us = excluded.imported_at_us",
                    )
                    .map_err(sql)?;
                for (item, digest) in items.iter().zip(digests.by_ref()) {
                    insert
                        .execute(params![
                            item.tracking_id,
                            item.recipient,
                            digest.as_slice(),
                            item.postal_code,
                            to_micros(now)
                        ])
                        .map_err(sql)?;
                }
            }
            let count = items.len();
            let body = EventBody {
                recorded_at: now,
                kind: EventKind::ExpectedParcelsImported,
                staff_id: actor_id,
                counterparty: Counterparty {
                    kind: CounterpartyKind::Carrier,
                    reference: source.to_owned(),
                },
                items,
                token_id: None,
                note: if parts == 1 {
                    format!("{count} announced parcels")
                } else {
                    format!("{count} announced parcels (part {part} of {parts})")
                },
                format: CURRENT_FORMAT,
                facts: Vec::new(),
            };
            append_event(&tx, &body).map_err(sql)?;
        }
        self.file_guard.commit(tx, now)?;
        Ok(outcome)
    }

    /// The recipient name and postal code the carrier announced for a parcel, if any.
    pub fn expected_parcel(
        &self,
        tracking_id: &TrackingId,
    ) -> Result<Option<(String, String)>, StoreError> {
        self.conn
            .query_row(
                "SELECT recipient_name, postal_code FROM expected_parcels WHERE tracking_id = ?1",
                [tracking_id.as_str()],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sql_error(e))
    }

    /// Whether a tracking id was announced by the carrier.
    pub fn is_expected(&self, tracking_id: &TrackingId) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM expected_parcels WHERE tracking_id = ?1)",
                [tracking_id.as_str()],
                |row| row.get(0),
            )
            .map_err(|e| self.sql_error(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::OpenMode;

    fn plan(store: &Store, sql: &str) -> String {
        let mut statement = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("explain");
        let rows = statement
            .query_map([[0_u8; 32].as_slice()], |row| row.get::<_, String>(3))
            .expect("plan");
        rows.map(|row| row.expect("a plan row"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn code_lookups_use_the_code_index_not_a_walk_over_held_parcels() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(
            &dir.path().join("ledger.sqlite3"),
            OpenMode::CreateIfMissing,
        )
        .expect("open");
        for sql in [
            format!("SELECT EXISTS (SELECT 1 FROM parcels WHERE {HELD_UNDER_CODE})"),
            format!("SELECT {PARCEL_COLUMNS} FROM parcels WHERE {HELD_UNDER_CODE} ORDER BY shelf"),
        ] {
            let plan = plan(&store, &sql);
            assert!(
                plan.contains("USING INDEX parcels_by_code"),
                "{sql}:\n{plan}"
            );
        }
    }
}
