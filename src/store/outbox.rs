//! The live link's side of the ledger: the outbox every committed event is queued in (by
//! `append_event`, inside the transaction that appends the event), the receipts head office
//! signed, and [`LinkLedger`], the sender thread's own connection.
//!
//! The sender never writes through the counter's connection and never touches `events`: it
//! reads events, removes acknowledged entries from the outbox and keeps receipts. Its
//! connection does not checkpoint the WAL (the counter's connection does, and its file guard
//! takes a checkpoint by another connection for a copy put over the ledger).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::append::{EVENT_COLUMNS, event_from_row};
use super::connection::{BUSY_TIMEOUT, Store};
use super::error::StoreError;
use super::schema;
use crate::domain::chain::{ChainHash, GENESIS_HASH, LedgerEvent};
use crate::domain::clock::{from_micros, to_micros};
use crate::domain::link_wire::SealedCode;

/// A receipt as kept: what head office signed (`body_json`, exactly the signed bytes) and its
/// signature, with the two fields `verify` and the desk read without parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReceipt {
    pub last_seq: u64,
    pub head_hash: ChainHash,
    pub body_json: String,
    pub key_id: String,
    pub signature: Vec<u8>,
    pub received_at: DateTime<Utc>,
}

/// What waits for head office, and what it last acknowledged.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutboxState {
    pub waiting: u64,
    /// When the oldest waiting event was recorded.
    pub oldest_waiting: Option<DateTime<Utc>>,
    pub last_receipt: Option<StoredReceipt>,
}

const RECEIPT_COLUMNS: &str = "last_seq, head_hash, body_json, key_id, signature, received_at_us";

fn receipt_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredReceipt> {
    let hash: Vec<u8> = row.get(1)?;
    Ok(StoredReceipt {
        last_seq: row.get::<_, i64>(0)?.max(0) as u64,
        head_hash: hash.try_into().unwrap_or(GENESIS_HASH),
        body_json: row.get(2)?,
        key_id: row.get(3)?,
        signature: row.get(4)?,
        received_at: from_micros(row.get(5)?),
    })
}

fn outbox_state(conn: &Connection) -> rusqlite::Result<OutboxState> {
    let (waiting, oldest): (i64, Option<i64>) = conn
        .prepare_cached(
            "SELECT count(*), (SELECT queued_at_us FROM outbox ORDER BY seq LIMIT 1) FROM outbox",
        )?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(OutboxState {
        waiting: waiting.max(0) as u64,
        oldest_waiting: oldest.map(from_micros),
        last_receipt: latest_receipt(conn)?,
    })
}

fn latest_receipt(conn: &Connection) -> rusqlite::Result<Option<StoredReceipt>> {
    conn.prepare_cached(&format!(
        "SELECT {RECEIPT_COLUMNS} FROM link_receipts ORDER BY id DESC LIMIT 1"
    ))?
    .query_row([], receipt_from_row)
    .optional()
}

impl Store {
    /// The outbox and the newest receipt, for the status bar and the desk.
    pub fn outbox_state(&self) -> Result<OutboxState, StoreError> {
        outbox_state(&self.conn).map_err(|e| self.sql_error(e))
    }

    /// The newest receipt head office signed, if any.
    pub fn latest_link_receipt(&self) -> Result<Option<StoredReceipt>, StoreError> {
        latest_receipt(&self.conn).map_err(|e| self.sql_error(e))
    }

    /// The newest `limit` receipts, newest first.
    pub fn link_receipts(&self, limit: usize) -> Result<Vec<StoredReceipt>, StoreError> {
        self.collect_rows(
            &format!("SELECT {RECEIPT_COLUMNS} FROM link_receipts ORDER BY id DESC LIMIT ?1"),
            [limit as i64],
            receipt_from_row,
        )
    }

    /// The hash of event `seq` (the genesis hash for 0), or `None` if the ledger has no such
    /// event.
    pub fn event_hash(&self, seq: u64) -> Result<Option<ChainHash>, StoreError> {
        event_hash(&self.conn, seq).map_err(|e| self.sql_error(e))
    }
}

fn event_hash(conn: &Connection, seq: u64) -> rusqlite::Result<Option<ChainHash>> {
    if seq == 0 {
        return Ok(Some(GENESIS_HASH));
    }
    let hash: Option<Vec<u8>> = conn
        .prepare_cached("SELECT hash FROM events WHERE seq = ?1")?
        .query_row([seq as i64], |row| row.get(0))
        .optional()?;
    Ok(hash.and_then(|bytes| bytes.try_into().ok()))
}

/// The sender thread's own connection to the ledger.
pub struct LinkLedger {
    pub(super) conn: Connection,
    pub(super) path: PathBuf,
}

impl LinkLedger {
    /// Opens an existing ledger that the kiosk has already brought up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if !path.exists() {
            return Err(StoreError::NotFound(path.to_path_buf()));
        }
        let sql = |e| StoreError::from_sqlite(e, path);
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        // Only the counter's connection checkpoints (see the module comment).
        conn.execute_batch("PRAGMA wal_autocheckpoint = 0; PRAGMA foreign_keys = ON;")
            .map_err(sql)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(sql)?;
        if version != schema::latest_version() {
            return Err(StoreError::Invalid(format!(
                "the ledger is at schema version {version}, the link needs {}",
                schema::latest_version()
            )));
        }
        Ok(Self {
            conn,
            path: path.to_path_buf(),
        })
    }

    fn sql_error(&self, error: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(error, &self.path)
    }

    pub fn state(&self) -> Result<OutboxState, StoreError> {
        outbox_state(&self.conn).map_err(|e| self.sql_error(e))
    }

    /// The oldest event still waiting for head office.
    pub fn first_waiting(&self) -> Result<Option<u64>, StoreError> {
        self.conn
            .prepare_cached("SELECT seq FROM outbox ORDER BY seq LIMIT 1")
            .and_then(|mut statement| {
                statement
                    .query_row([], |row| row.get::<_, i64>(0))
                    .optional()
            })
            .map(|seq| seq.map(|seq| seq.max(0) as u64))
            .map_err(|e| self.sql_error(e))
    }

    /// The newest event's number.
    pub fn last_seq(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT COALESCE(max(seq), 0) FROM events", [], |row| {
                row.get::<_, i64>(0)
            })
            .map(|seq| seq.max(0) as u64)
            .map_err(|e| self.sql_error(e))
    }

    /// Up to `limit` events from `from` on, in order, with the name of the staff member who
    /// recorded each (as exports name them). A row that cannot be decoded is an error: the
    /// link never sends a chain it cannot read.
    pub fn events_from(
        &self,
        from: u64,
        limit: usize,
    ) -> Result<Vec<(LedgerEvent, String)>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(&format!(
                "SELECT {EVENT_COLUMNS}, (SELECT display_name FROM staff WHERE id = staff_id)
                 FROM events WHERE seq >= ?1 ORDER BY seq LIMIT ?2"
            ))
            .map_err(|e| self.sql_error(e))?;
        let rows = statement
            .query_map(params![from as i64, limit as i64], |row| {
                let name: Option<String> = row.get(13)?;
                Ok((event_from_row(row)?, name.unwrap_or_default()))
            })
            .map_err(|e| self.sql_error(e))?;
        let mut events = Vec::new();
        for row in rows {
            let (event, name) = row.map_err(|e| self.sql_error(e))?;
            let event = event.map_err(|fault| StoreError::Corrupt {
                path: self.path.clone(),
                detail: fault.to_string(),
            })?;
            events.push((event, name));
        }
        Ok(events)
    }

    /// The hash of event `seq` (genesis for 0).
    pub fn event_hash(&self, seq: u64) -> Result<Option<ChainHash>, StoreError> {
        event_hash(&self.conn, seq).map_err(|e| self.sql_error(e))
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()
            .map_err(|e| self.sql_error(e))
    }

    /// Keeps a receipt head office signed (checked by the caller) and takes every event it
    /// acknowledges out of the outbox, in one short transaction.
    pub fn record_receipt(
        &mut self,
        receipt: &StoredReceipt,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = |e| StoreError::from_sqlite(e, &path);
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute(
            "INSERT INTO link_receipts (last_seq, head_hash, body_json, key_id, signature, received_at_us)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                receipt.last_seq as i64,
                receipt.head_hash.as_slice(),
                receipt.body_json,
                receipt.key_id,
                receipt.signature,
                to_micros(now),
            ],
        )
        .map_err(sql)?;
        tx.execute(
            "DELETE FROM outbox WHERE seq <= ?1",
            [receipt.last_seq as i64],
        )
        .map_err(sql)?;
        // Head office holds these sealed codes now; the kiosk keeps only their digests.
        tx.execute(
            "DELETE FROM link_sealed_codes WHERE seq <= ?1",
            [receipt.last_seq as i64],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// The sealed codes queued with events `from..=to`, in order.
    pub fn sealed_codes_between(&self, from: u64, to: u64) -> Result<Vec<SealedCode>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT seq, tracking_id, recorded_at_us, sealed FROM link_sealed_codes
                 WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq, tracking_id",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = statement
            .query_map(params![from as i64, to as i64], |row| {
                let sealed: Vec<u8> = row.get(3)?;
                Ok(SealedCode {
                    seq: row.get::<_, i64>(0)?.max(0) as u64,
                    tracking_id: row.get(1)?,
                    recorded_at: from_micros(row.get(2)?)
                        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                    sealed: hex::encode(sealed),
                })
            })
            .map_err(|e| self.sql_error(e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| self.sql_error(e))
    }

    /// How many sealed codes wait for head office.
    pub fn sealed_codes_waiting(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM link_sealed_codes", [], |row| {
                row.get::<_, i64>(0)
            })
            .map(|count| count.max(0) as u64)
            .map_err(|e| self.sql_error(e))
    }
}
