//! Head office's announcements at the kiosk: each one imported through the very path of
//! `kiosk import-expected` ([`import_expected_in`]), on the live link's own connection, in one
//! transaction with the row that marks its id imported, so a resent announcement imports
//! nothing twice and a failed one leaves nothing behind.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::error::StoreError;
use super::expected_import::{ExpectedParcel, ImportOutcome, import_expected_in};
use super::outbox::LinkLedger;
use crate::domain::clock::{from_micros, to_micros};
use crate::domain::codes::CodeDigester;
use crate::domain::ids::clean_free_text;

impl LinkLedger {
    /// The newest announcement id imported (0 for none): what the kiosk acknowledges.
    pub fn announcements_applied_through(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row(
                "SELECT COALESCE(max(announcement_id), 0) FROM link_announcements",
                [],
                |row| row.get::<_, i64>(0),
            )
            .map(|id| id.max(0) as u64)
            .map_err(|e| StoreError::from_sqlite(e, &self.path))
    }

    /// Imports announcement `id` unless it was imported before (`Ok(None)`): its parcels on
    /// the chain as `kiosk import-expected` records them, and its id, in one transaction.
    pub fn import_announcement(
        &mut self,
        id: u64,
        parcels: &[ExpectedParcel],
        source: &str,
        codes: &CodeDigester,
        now: DateTime<Utc>,
    ) -> Result<Option<ImportOutcome>, StoreError> {
        let source = clean_free_text("the announcement's source name", source, 80)
            .map_err(StoreError::Invalid)?;
        let path = self.path.clone();
        let sql = |e| StoreError::from_sqlite(e, &path);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql)?;
        let seen: Option<i64> = tx
            .query_row(
                "SELECT announcement_id FROM link_announcements WHERE announcement_id = ?1",
                [id as i64],
                |row| row.get(0),
            )
            .optional()
            .map_err(sql)?;
        if seen.is_some() {
            return Ok(None);
        }
        // The counter's commits refuse a clock behind the newest event; so does this one.
        let newest: Option<i64> = tx
            .query_row("SELECT max(recorded_at_us) FROM events", [], |row| {
                row.get(0)
            })
            .map_err(sql)?;
        if let Some(newest) = newest.map(from_micros)
            && newest > now
        {
            return Err(StoreError::Invalid(format!(
                "the clock stands at {now}, behind the newest event ({newest}): announcement {id} waits until it is right"
            )));
        }
        let outcome = import_expected_in(&tx, &sql, parcels, &source, codes, None, now)?;
        tx.execute(
            "INSERT INTO link_announcements (announcement_id, source, recorded, imported_at_us)
             VALUES (?1, ?2, ?3, ?4)",
            params![id as i64, source, outcome.recorded() as i64, to_micros(now)],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(Some(outcome))
    }
}
