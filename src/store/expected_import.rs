//! Importing a carrier's announcement of parcels on their way: one transaction per file, each
//! announced id on the chain with the keyed digest of its pickup code.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::append::append_event;
use super::connection::{SqlError, Store};
use super::error::StoreError;
use super::staff::Actor;
use crate::domain::chain::{CURRENT_FORMAT, Counterparty, CounterpartyKind, EventBody, EventItem};
use crate::domain::clock::to_micros;
use crate::domain::codes::CodeDigester;
use crate::domain::custody::{EventKind, ParcelStatus};
use crate::domain::ids::{StaffId, TrackingId, clean_free_text};

pub use crate::domain::expected::ExpectedParcel;
use crate::domain::expected::{DeliveryAddress, StreetAddress};

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

impl Store {
    /// The announced delivery address of each of these parcels that has one (street, town,
    /// postal code), for the run sheet: one primary-key look-up per parcel.
    pub fn delivery_addresses(
        &self,
        parcels: &[TrackingId],
    ) -> Result<HashMap<String, DeliveryAddress>, StoreError> {
        let mut found = HashMap::new();
        let mut query = self
            .conn
            .prepare_cached(
                "SELECT street, city, postal_code FROM expected_parcels WHERE tracking_id = ?1",
            )
            .map_err(|e| self.sql_error(e))?;
        for tracking_id in parcels {
            let row: Option<(String, String, String)> = query
                .query_row([tracking_id.as_str()], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })
                .optional()
                .map_err(|e| self.sql_error(e))?;
            if let Some((street, city, postal_code)) = row
                && !street.is_empty()
            {
                found.insert(
                    tracking_id.as_str().to_owned(),
                    DeliveryAddress {
                        street,
                        city,
                        postal_code,
                    },
                );
            }
        }
        Ok(found)
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
        actor_id: Option<StaffId>,
        now: DateTime<Utc>,
    ) -> Result<ImportOutcome, StoreError> {
        self.write(now, |tx, sql| {
            import_expected_in(tx, sql, parcels, source, codes, actor_id, now)
        })
    }
}

/// The import's work inside a write transaction the caller commits: the counter's (above) or
/// the live link's for an announcement from head office (store/announcements.rs).
pub(crate) fn import_expected_in(
    tx: &Transaction<'_>,
    sql: SqlError<'_>,
    parcels: &[ExpectedParcel],
    source: &str,
    codes: &CodeDigester,
    actor_id: Option<StaffId>,
    now: DateTime<Utc>,
) -> Result<ImportOutcome, StoreError> {
    let mut outcome = ImportOutcome::default();
    let mut lines: Vec<EventItem> = Vec::with_capacity(parcels.len());
    let mut digests: Vec<[u8; 32]> = Vec::with_capacity(parcels.len());
    let mut addresses: Vec<&StreetAddress> = Vec::with_capacity(parcels.len());
    {
        let mut earlier = tx
                    .prepare_cached(
                        "SELECT recipient_name, code_digest, postal_code, street, city FROM expected_parcels WHERE tracking_id = ?1",
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
            let before: Option<(String, Vec<u8>, String, StreetAddress)> = earlier
                .query_row([id], |row| {
                    let address = StreetAddress {
                        street: row.get(3)?,
                        city: row.get(4)?,
                    };
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, address))
                })
                .optional()
                .map_err(sql)?;
            let same = before
                .as_ref()
                .is_some_and(|(name, code, postal, address)| {
                    *name == parcel.recipient_name
                        && code.as_slice() == digest_bytes.as_slice()
                        && *postal == parcel.postal_code
                        && *address == parcel.address
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
                (Some((name, code, postal, address)), _) => {
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
                    if *address != parcel.address {
                        changed.push("address");
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
            addresses.push(&parcel.address);
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
    let mut addresses = addresses.into_iter();
    for part in 1..=parts {
        let items: Vec<EventItem> = lines.by_ref().take(IMPORT_EVENT_ITEMS).collect();
        {
            let mut insert = tx
                        .prepare_cached(
                            "INSERT INTO expected_parcels (tracking_id, recipient_name, code_digest, postal_code, imported_at_us, street, city)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                             ON CONFLICT (tracking_id) DO UPDATE SET recipient_name = excluded.recipient_name,
                                 code_digest = excluded.code_digest, postal_code = excluded.postal_code,
                                 imported_at_us = excluded.imported_at_us,
                                 street = excluded.street, city = excluded.city",
                        )
                        .map_err(sql)?;
            for ((item, digest), address) in
                items.iter().zip(digests.by_ref()).zip(addresses.by_ref())
            {
                insert
                    .execute(params![
                        item.tracking_id,
                        item.recipient,
                        digest.as_slice(),
                        item.postal_code,
                        to_micros(now),
                        address.street,
                        address.city
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
            note: {
                let parcels = if count == 1 { "parcel" } else { "parcels" };
                if parts == 1 {
                    format!("{count} announced {parcels}")
                } else {
                    format!("{count} announced {parcels} (part {part} of {parts})")
                }
            },
            format: CURRENT_FORMAT,
            facts: Vec::new(),
        };
        append_event(tx, &body).map_err(sql)?;
    }
    Ok(outcome)
}
