//! The parcels projection (where each parcel is now) and the carrier's expected-parcel list.
//! The projection is updated in the same transaction as the event that moves the parcel.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::ledger::{HandoffItem, HandoffRequest, RecordContext, append_event};
use super::staff::Actor;
use super::{Store, StoreError, cached_execute, cached_row};
use crate::domain::chain::{Counterparty, CounterpartyKind, EventBody, LedgerEvent};
use crate::domain::clock::{from_micros, to_micros};
use crate::domain::codes::{CodeDigester, PickupCode};
use crate::domain::custody::{EventKind, ParcelSnapshot, ParcelStatus};
use crate::domain::ids::TrackingId;

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
    /// `carrier`, `drop_off`, `return` or `order`.
    pub origin: String,
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
        origin: row.get(9)?,
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

/// A fresh code that no parcel currently held for a customer uses.
fn unused_pickup_code(
    tx: &Transaction<'_>,
    codes: &CodeDigester,
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
        if !taken {
            return Ok((code, digest));
        }
    }
}

/// Brings the parcel's row in line with the event just appended. Returns a generated pickup
/// code when an unannounced parcel arrived.
pub(crate) fn apply_to_projection(
    tx: &Transaction<'_>,
    request: &HandoffRequest,
    item: &HandoffItem,
    status: ParcelStatus,
    event: &LedgerEvent,
    context: &RecordContext<'_>,
) -> rusqlite::Result<Option<PickupCode>> {
    let now = event.body.recorded_at;
    let seq = event.seq as i64;
    let tracking = item.tracking_id.as_str();
    let origin = match request.kind {
        EventKind::CustomerDropOff => "drop_off",
        EventKind::CustomerReturn => "return",
        EventKind::OutgoingOrder => "order",
        _ => "carrier",
    };
    let leave_by = item.leave_by.map(to_micros);
    let upsert = |status: ParcelStatus,
                  recipient: &str,
                  postal: &str,
                  digest: Option<&[u8]>,
                  received: Option<i64>,
                  expires: Option<i64>| {
        cached_execute(tx,
            "INSERT INTO parcels (tracking_id, status, shelf, recipient_name, postal_code, code_digest, received_at_us, hold_expires_at_us, missing, last_seq, origin, leave_by_us)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9, ?10, ?11)
             ON CONFLICT (tracking_id) DO UPDATE SET status = excluded.status, shelf = excluded.shelf,
                 recipient_name = excluded.recipient_name, postal_code = excluded.postal_code,
                 code_digest = excluded.code_digest, received_at_us = excluded.received_at_us,
                 hold_expires_at_us = excluded.hold_expires_at_us, missing = 0, last_seq = excluded.last_seq,
                 origin = excluded.origin, leave_by_us = excluded.leave_by_us",
            params![tracking, status.code(), item.shelf, recipient, postal, digest, received, expires, seq, origin, leave_by],
        )
    };
    match request.kind {
        EventKind::DriverDelivery => {
            let expected: Option<(String, Vec<u8>, String)> = cached_row(tx,
                    "SELECT recipient_name, code_digest, postal_code FROM expected_parcels WHERE tracking_id = ?1",
                    [tracking],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                )
                .optional()?;
            let expires = to_micros(context.calendar.hold_expiry(now));
            let (recipient, digest, postal, generated) = match expected {
                Some((recipient, digest, postal)) => (recipient, digest, postal, None),
                None => {
                    let (code, digest) = unused_pickup_code(tx, context.codes)?;
                    (String::new(), digest.to_vec(), String::new(), Some(code))
                }
            };
            upsert(
                status,
                &recipient,
                &postal,
                Some(&digest),
                Some(to_micros(now)),
                Some(expires),
            )?;
            Ok(generated)
        }
        EventKind::DeliveryRefusedDamaged | EventKind::DropOffRefused => {
            upsert(
                status,
                &request.counterparty.reference,
                "",
                None,
                None,
                None,
            )?;
            Ok(None)
        }
        EventKind::CustomerDropOff | EventKind::CustomerReturn | EventKind::OutgoingOrder => {
            let who = &request.counterparty.reference;
            upsert(status, who, "", None, Some(to_micros(now)), None)?;
            Ok(None)
        }
        EventKind::UnableToFind => {
            cached_execute(
                tx,
                "UPDATE parcels SET missing = 1, last_seq = ?1 WHERE tracking_id = ?2",
                params![seq, tracking],
            )?;
            Ok(None)
        }
        _ => {
            // A parcel that leaves the store's custody no longer needs its code: clear it so a
            // code can never open anything twice.
            let keeps_code = status.in_store_custody();
            cached_execute(
                tx,
                "UPDATE parcels SET status = ?1, missing = 0, last_seq = ?2,
                     shelf = CASE WHEN ?3 = '' THEN shelf ELSE ?3 END,
                     code_digest = CASE WHEN ?4 THEN code_digest ELSE NULL END
                 WHERE tracking_id = ?5",
                params![status.code(), seq, item.shelf, keeps_code, tracking],
            )?;
            Ok(None)
        }
    }
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

    /// Imports a carrier's announcement of parcels on their way, replacing earlier entries for
    /// the same tracking ids. One transaction: a file is imported whole or not at all. The
    /// ledger records that an import happened and how many parcels it named, never the codes.
    pub fn import_expected(
        &mut self,
        parcels: &[ExpectedParcel],
        source_name: &str,
        codes: &CodeDigester,
        actor: Actor<'_>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        crate::domain::ids::clean_free_text("the import's source name", source_name, usize::MAX)
            .map_err(StoreError::Invalid)?;
        let actor_id = match actor {
            Actor::AdminCommandLine => None,
            Actor::Manager(proof) => {
                if !proof.is_fresh(now) {
                    return Err(StoreError::ProofExpired);
                }
                Some(proof.staff_id())
            }
        };
        let path = self.path.clone();
        let sql = |e| StoreError::from_sqlite(e, &path);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
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
            for parcel in parcels {
                insert
                    .execute(params![
                        parcel.tracking_id.as_str(),
                        parcel.recipient_name,
                        codes.digest(&parcel.pickup_code).as_slice(),
                        parcel.postal_code,
                        to_micros(now)
                    ])
                    .map_err(sql)?;
            }
        }
        let body = EventBody {
            recorded_at: now,
            kind: EventKind::ExpectedParcelsImported,
            staff_id: actor_id,
            counterparty: Counterparty {
                kind: CounterpartyKind::Carrier,
                reference: source_name.chars().take(80).collect(),
            },
            items: Vec::new(),
            token_id: None,
            note: format!("{} announced parcels", parcels.len()),
        };
        append_event(&tx, &body).map_err(sql)?;
        self.file_guard.commit(tx, now)?;
        Ok(parcels.len() as u64)
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
