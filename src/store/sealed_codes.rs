//! The sealed pickup codes waiting for head office (see `domain::sealed_codes`): queued in the
//! transaction that records the delivery, beside the outbox, and deleted once head office's
//! receipt covers their event (store/outbox.rs). The kiosk cannot open them.

use rusqlite::{OptionalExtension, Transaction, params};

use super::connection::SqlError;
use super::error::StoreError;
use crate::domain::chain::LedgerEvent;
use crate::domain::clock::{from_micros, to_micros};
use crate::domain::codes::PickupCode;
use crate::domain::ids::TrackingId;
use crate::domain::sealed_codes::{CodeSealKey, SealedCodeBody};

/// Seals each code generated for `event` to head office's key and queues it, in `tx`.
pub(crate) fn queue_sealed_codes(
    tx: &Transaction<'_>,
    sql: SqlError<'_>,
    key: &CodeSealKey,
    event: &LedgerEvent,
    generated: &[(TrackingId, PickupCode)],
) -> Result<(), StoreError> {
    if generated.is_empty() {
        return Ok(());
    }
    let store_id: String = tx
        .query_row("SELECT value FROM meta WHERE key = 'store_id'", [], |row| {
            row.get(0)
        })
        .optional()
        .map_err(sql)?
        .unwrap_or_default();
    for (tracking_id, code) in generated {
        let item = event
            .body
            .items
            .iter()
            .find(|item| item.tracking_id == tracking_id.as_str());
        let body = SealedCodeBody::new(
            &store_id,
            tracking_id.as_str(),
            code.expose(),
            item.map_or("", |item| item.recipient.as_str()),
            item.and_then(|item| item.hold_until_us).map(from_micros),
            event.body.recorded_at,
        );
        let sealed = key.seal(&body).map_err(StoreError::Invalid)?;
        tx.prepare_cached(
            "INSERT INTO link_sealed_codes (seq, tracking_id, store_id, sealed, recorded_at_us)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .and_then(|mut insert| {
            insert.execute(params![
                event.seq as i64,
                tracking_id.as_str(),
                store_id,
                sealed,
                to_micros(event.body.recorded_at)
            ])
        })
        .map_err(sql)?;
    }
    Ok(())
}
