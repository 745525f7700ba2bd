//! Announcements of expected parcels, from head office to a store's kiosk over the live link.
//! `kiosk-hq announce --store ID FILE.csv` checks the file with the kiosk's own parser (the
//! one `kiosk import-expected` uses, from the shared library) and queues it; `serve` hands the
//! store's pending announcements to its kiosk, signed, and marks them delivered only when a
//! later request of the kiosk says it has imported them.

use handoff_kiosk::domain::expected::parse_expected_csv;
use handoff_kiosk::domain::link_wire::{Announcement, AnnouncementRequest};
use postgres::Client;

use crate::db::DbError;
use crate::registry::registered_keys;

/// The most announcements one answer carries; the rest follow at the next sync.
const ANNOUNCEMENTS_PER_ANSWER: i64 = 50;

/// What `announce` queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub announcement_id: u64,
    pub parcels: usize,
}

/// Checks the carrier's file and queues it for `store_id`. A file the kiosk's parser refuses,
/// or a store head office does not know, is refused here, with the reason.
pub fn queue(
    client: &mut Client,
    store_id: &str,
    source: &str,
    csv: &[u8],
) -> Result<Result<Queued, String>, DbError> {
    let text = match std::str::from_utf8(csv) {
        Ok(text) => text,
        Err(_) => return Ok(Err("the file is not UTF-8 text".to_owned())),
    };
    let parcels = match parse_expected_csv(csv) {
        Ok(parcels) => parcels.len(),
        Err(error) => return Ok(Err(error.to_string())),
    };
    let known = client
        .query_opt("SELECT 1 FROM stores WHERE store_id = $1", &[&store_id])?
        .is_some();
    if !known {
        return Ok(Err(format!(
            "store {store_id} is not registered (kiosk-hq store add)"
        )));
    }
    let count = i32::try_from(parcels).unwrap_or(i32::MAX);
    let id: i64 = client
        .query_one(
            "INSERT INTO announcements (store_id, source, csv, parcels) VALUES ($1, $2, $3, $4)
             RETURNING announcement_id",
            &[&store_id, &source, &text, &count],
        )?
        .get(0);
    Ok(Ok(Queued {
        announcement_id: u64::try_from(id).unwrap_or(0),
        parcels,
    }))
}

/// Answers a kiosk's request: refused (`Err` inside) unless the store's current registered key
/// signed it; otherwise marks what it acknowledges delivered and returns what is still pending
/// after it, oldest first.
pub fn pending_for(
    client: &mut Client,
    request: &AnnouncementRequest,
) -> Result<Result<Vec<Announcement>, String>, DbError> {
    let keys = registered_keys(client, &request.store_id)?;
    let signed = keys
        .iter()
        .any(|(_, key, current)| *current && request.is_signed_by(key));
    if !signed {
        return Ok(Err(format!(
            "the request is not signed with store {}'s registered key",
            request.store_id
        )));
    }
    let applied = i64::try_from(request.applied_through).unwrap_or(i64::MAX);
    let mut tx = client.transaction()?;
    tx.execute(
        "UPDATE announcements SET delivered_at = now()
         WHERE store_id = $1 AND announcement_id <= $2 AND delivered_at IS NULL",
        &[&request.store_id, &applied],
    )?;
    let rows = tx.query(
        "SELECT announcement_id, source, csv FROM announcements
         WHERE store_id = $1 AND announcement_id > $2 AND delivered_at IS NULL
         ORDER BY announcement_id LIMIT $3",
        &[&request.store_id, &applied, &ANNOUNCEMENTS_PER_ANSWER],
    )?;
    tx.commit()?;
    Ok(Ok(rows
        .into_iter()
        .map(|row| Announcement {
            id: u64::try_from(row.get::<_, i64>(0)).unwrap_or(0),
            source: row.get(1),
            csv: row.get(2),
        })
        .collect()))
}
