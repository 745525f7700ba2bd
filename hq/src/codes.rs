//! Sealed pickup codes at head office: kept as they came with the kiosks' batches, opened only
//! by `kiosk-hq codes --since T` for a notification service that tells the customers.

use chrono::{DateTime, Utc};
use handoff_kiosk::domain::link_wire::SealedCode;
use handoff_kiosk::domain::sealed_codes::CodeOpenKey;
use postgres::Client;
use serde::Serialize;

use crate::db::DbError;

/// Keeps a batch's sealed codes, those of events head office holds from this store (up to
/// `held_through`) naming a parcel of their event; a code sent again changes nothing.
pub fn keep_sealed(
    client: &mut Client,
    store_id: &str,
    held_through: u64,
    codes: &[SealedCode],
) -> Result<(), DbError> {
    if codes.is_empty() {
        return Ok(());
    }
    let mut tx = client.transaction()?;
    let insert = tx.prepare(
        "INSERT INTO sealed_codes (store_id, seq, tracking_id, sealed, recorded_at)
         SELECT $1, $2, $3, $4, $5
         WHERE EXISTS (SELECT 1 FROM event_parcels
                       WHERE store_id = $1 AND seq = $2 AND tracking_id = $3)
         ON CONFLICT (store_id, seq, tracking_id) DO NOTHING",
    )?;
    for code in codes {
        if code.seq > held_through {
            continue;
        }
        let (Ok(sealed), Ok(recorded_at), Ok(seq)) = (
            hex::decode(&code.sealed),
            DateTime::parse_from_rfc3339(&code.recorded_at),
            i64::try_from(code.seq),
        ) else {
            continue;
        };
        tx.execute(
            &insert,
            &[
                &store_id,
                &seq,
                &code.tracking_id,
                &sealed,
                &recorded_at.with_timezone(&Utc),
            ],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// One opened code, as a notification service reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenedCode {
    pub store_id: String,
    pub tracking_id: String,
    pub recipient: String,
    pub code: String,
    pub hold_until: String,
    pub recorded_at: String,
    pub received_at: String,
}

/// A code that did not open, and why (never its contents).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unopened {
    pub store_id: String,
    pub seq: i64,
    pub tracking_id: String,
    pub reason: String,
}

/// The codes head office received since `since`, in the order they came, opened with `key`.
/// A box that does not open, or that says another store or parcel than its row, is listed
/// apart and never printed as a code.
pub fn open_since(
    client: &mut Client,
    key: &CodeOpenKey,
    since: DateTime<Utc>,
) -> Result<(Vec<OpenedCode>, Vec<Unopened>), DbError> {
    let rows = client.query(
        "SELECT store_id, seq, tracking_id, sealed, received_at FROM sealed_codes
         WHERE received_at >= $1 ORDER BY received_at, store_id, seq, tracking_id",
        &[&since],
    )?;
    let mut opened = Vec::new();
    let mut unopened = Vec::new();
    for row in rows {
        let (store_id, seq, tracking_id): (String, i64, String) =
            (row.get(0), row.get(1), row.get(2));
        let sealed: Vec<u8> = row.get(3);
        let received_at: DateTime<Utc> = row.get(4);
        match key.open(&sealed) {
            Ok(body) if body.store_id == store_id && body.tracking_id == tracking_id => {
                opened.push(OpenedCode {
                    store_id,
                    tracking_id,
                    recipient: body.recipient,
                    code: body.code,
                    hold_until: body.hold_until,
                    recorded_at: body.recorded_at,
                    received_at: received_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                });
            }
            Ok(body) => unopened.push(Unopened {
                reason: format!(
                    "the box is for {} at store {}, not this row's parcel",
                    body.tracking_id, body.store_id
                ),
                store_id,
                seq,
                tracking_id,
            }),
            Err(reason) => unopened.push(Unopened {
                store_id,
                seq,
                tracking_id,
                reason,
            }),
        }
    }
    Ok((opened, unopened))
}
