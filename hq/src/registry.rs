//! The key registry: which public key each store signs its exports with, with history.

use handoff_kiosk::domain::signing::StorePublicKey;
use postgres::{Client, GenericClient};
use thiserror::Error;

use crate::db::DbError;

#[derive(Debug, Error)]
pub enum RegistryError {
    #[error("{0}")]
    Db(#[from] DbError),
    #[error(
        "store {store_id} already has key {current}; replacing it with {new} needs --rotate (a key change is recorded)"
    )]
    RotationNeeded {
        store_id: String,
        current: String,
        new: String,
    },
    #[error("cannot read the key file {path}: {reason}")]
    KeyFile { path: String, reason: String },
    #[error("store id {0:?} is not a store id (three capital letters, a hyphen, four digits)")]
    BadStoreId(String),
}

impl From<postgres::Error> for RegistryError {
    fn from(error: postgres::Error) -> Self {
        RegistryError::Db(DbError::Sql(error))
    }
}

/// What `store add` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyChange {
    NewStore { key_id: String },
    Unchanged { key_id: String },
    Rotated { old_key_id: String, key_id: String },
}

/// Reads a public key file as the kiosk writes or prints it: 64 hex digits (anywhere in the
/// text), or the 32 raw bytes.
pub fn read_public_key_file(path: &std::path::Path) -> Result<StorePublicKey, RegistryError> {
    let fail = |reason: String| RegistryError::KeyFile {
        path: path.display().to_string(),
        reason,
    };
    let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    let from_hex = String::from_utf8_lossy(&bytes)
        .split_whitespace()
        .filter(|word| word.len() == 64)
        .find_map(|word| hex::decode(word).ok());
    StorePublicKey::from_bytes(&from_hex.unwrap_or(bytes))
        .map_err(|e| fail(format!("not an Ed25519 public key: {e}")))
}

/// Registers a store's key, or rotates it (`rotate`), recording the old one as retired.
pub fn add_store(
    client: &mut Client,
    store_id: &str,
    key: &StorePublicKey,
    rotate: bool,
) -> Result<KeyChange, RegistryError> {
    handoff_kiosk::domain::ids::StoreId::parse(store_id)
        .map_err(|_| RegistryError::BadStoreId(store_id.to_owned()))?;
    let key_id = key.key_id();
    let mut tx = client.transaction()?;
    tx.execute(
        "INSERT INTO stores (store_id) VALUES ($1) ON CONFLICT (store_id) DO NOTHING",
        &[&store_id],
    )?;
    // The store row's lock serialises key changes with loads of this store.
    tx.execute(
        "SELECT 1 FROM stores WHERE store_id = $1 FOR UPDATE",
        &[&store_id],
    )?;
    let current = current_key_id(&mut tx, store_id)?;
    let change = match current {
        None => KeyChange::NewStore {
            key_id: key_id.clone(),
        },
        Some(current) if current == key_id => {
            tx.commit()?;
            return Ok(KeyChange::Unchanged { key_id });
        }
        Some(current) if !rotate => {
            return Err(RegistryError::RotationNeeded {
                store_id: store_id.to_owned(),
                current,
                new: key_id,
            });
        }
        Some(current) => {
            tx.execute(
                "UPDATE store_keys SET retired_at = now() WHERE store_id = $1 AND retired_at IS NULL",
                &[&store_id],
            )?;
            KeyChange::Rotated {
                old_key_id: current,
                key_id: key_id.clone(),
            }
        }
    };
    // A key that was retired and comes back becomes current again (its history row is reused).
    // `EXCLUDED.registered_at` (the column's default, now()) rather than now() in the SET:
    // Citus refuses a non-immutable function in DO UPDATE SET on a distributed table.
    tx.execute(
        "INSERT INTO store_keys (store_id, key_id, public_key) VALUES ($1, $2, $3)
         ON CONFLICT (store_id, key_id)
         DO UPDATE SET retired_at = NULL, registered_at = EXCLUDED.registered_at",
        &[&store_id, &key_id, &key.to_bytes().as_slice()],
    )?;
    tx.commit()?;
    Ok(change)
}

fn current_key_id(
    client: &mut impl GenericClient,
    store_id: &str,
) -> Result<Option<String>, postgres::Error> {
    Ok(client
        .query_opt(
            "SELECT key_id FROM store_keys WHERE store_id = $1 AND retired_at IS NULL",
            &[&store_id],
        )?
        .map(|row| row.get(0)))
}

/// The registered keys of a store: (key id, key, whether current), current first.
pub fn registered_keys(
    client: &mut impl GenericClient,
    store_id: &str,
) -> Result<Vec<(String, StorePublicKey, bool)>, postgres::Error> {
    let rows = client.query(
        "SELECT key_id, public_key, retired_at IS NULL FROM store_keys WHERE store_id = $1
         ORDER BY retired_at IS NULL DESC, registered_at DESC",
        &[&store_id],
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let bytes: Vec<u8> = row.get(1);
            StorePublicKey::from_bytes(&bytes)
                .ok()
                .map(|key| (row.get(0), key, row.get(2)))
        })
        .collect())
}
