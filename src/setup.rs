//! Bringing a kiosk up: `init` creates what is missing (ledger, pepper, signing key) and never
//! overwrites anything; `open` loads an initialised kiosk and checks that its parts belong
//! together (the ledger's store id and public key match the config and the key file).

use std::path::PathBuf;

use thiserror::Error;

use crate::config::KioskConfig;
use crate::domain::pin::PinHashError;
use crate::domain::signing::{KeyError, StoreKey, StorePublicKey};
use crate::secrets::{SecretFileError, create_private_dir, create_secret_file, read_secret_file};

use crate::store::{OpenMode, Store, StoreError};

pub(crate) const PEPPER: &str = "pepper";
const SIGNING_KEY: &str = "signing key";
const META_PUBLIC_KEY: &str = "store_public_key";

#[derive(Debug, Error)]
pub enum SetupError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Secret(#[from] SecretFileError),
    #[error("the signing key file {path}: {source}")]
    Key { path: PathBuf, source: KeyError },
    #[error(
        "the signing key file {path} does not belong to this ledger (the ledger was created with key {ledger_key_id}, the file holds key {file_key_id}); restore the right key file"
    )]
    KeyMismatch {
        path: PathBuf,
        ledger_key_id: String,
        file_key_id: String,
    },
    #[error("the ledger has no store public key recorded; run `kiosk init`")]
    NoPublicKey,
    #[error("cannot create the folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    PinHash(#[from] PinHashError),
}

impl SetupError {
    /// Whether the problem is with the setup itself (exit code 2) rather than a passing
    /// condition such as a locked or full ledger.
    pub fn is_configuration_problem(&self) -> bool {
        !matches!(
            self,
            SetupError::Store(StoreError::Locked | StoreError::DiskFull | StoreError::Sqlite(_))
        )
    }
}

/// What `init` found and made.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct InitReport {
    pub created: Vec<String>,
    pub kept: Vec<String>,
}

fn ensure_folder(path: &std::path::Path) -> Result<(), SetupError> {
    match path.parent() {
        Some(parent) => create_private_dir(parent).map_err(|source| SetupError::Folder {
            path: parent.to_path_buf(),
            source,
        }),
        None => Ok(()),
    }
}

/// Creates whatever is missing. Safe to run again: an existing ledger, pepper or key is kept.
/// Refuses to make a new pepper or key for a ledger that already depends on the old one.
pub fn init(config: &KioskConfig) -> Result<InitReport, SetupError> {
    let mut report = InitReport::default();
    let ledger_path = &config.ledger.database;
    let ledger_existed = ledger_path.exists();
    ensure_folder(ledger_path)?;
    let store = Store::open(ledger_path, OpenMode::CreateIfMissing)?;
    store.bind_store_id(config.store.id.as_str())?;
    let describe = |what: &str, path: &std::path::Path| format!("{what} {}", path.display());
    if ledger_existed {
        report.kept.push(describe("ledger", ledger_path));
    } else {
        report.created.push(describe("ledger", ledger_path));
    }

    let pepper_path = &config.security.pepper_file;
    if pepper_path.exists() {
        read_secret_file(pepper_path, PEPPER)?;
        report.kept.push(describe("pepper", pepper_path));
    } else if store.staff_count()? > 0 {
        // A new pepper would silently invalidate every enrolled PIN.
        return Err(SecretFileError::Missing {
            what: PEPPER,
            path: pepper_path.clone(),
        }
        .into());
    } else {
        let mut pepper = zeroize::Zeroizing::new([0_u8; 32]);
        getrandom::fill(pepper.as_mut()).map_err(|e| SetupError::Key {
            path: pepper_path.clone(),
            source: KeyError::Random(e.to_string()),
        })?;
        create_secret_file(pepper_path, PEPPER, pepper.as_ref())?;
        report.created.push(describe("pepper", pepper_path));
    }

    let key_path = &config.ledger.signing_key;
    let bound_key = store.meta(META_PUBLIC_KEY)?;
    if key_path.exists() {
        let key = load_key(config)?;
        check_key_matches(&store, &key, key_path)?;
        store.bind_meta(META_PUBLIC_KEY, &key.public().to_hex())?;
        report.kept.push(describe("signing key", key_path));
    } else if bound_key.is_some() {
        // Checkpoints were signed with the lost key; a new one would make them all fail.
        return Err(SecretFileError::Missing {
            what: SIGNING_KEY,
            path: key_path.clone(),
        }
        .into());
    } else {
        let key = StoreKey::generate().map_err(|source| SetupError::Key {
            path: key_path.clone(),
            source,
        })?;
        create_secret_file(key_path, SIGNING_KEY, key.secret_bytes().as_ref())?;
        store.bind_meta(META_PUBLIC_KEY, &key.public().to_hex())?;
        report.created.push(describe("signing key", key_path));
    }
    Ok(report)
}

pub(crate) fn load_key(config: &KioskConfig) -> Result<StoreKey, SetupError> {
    let path = &config.ledger.signing_key;
    let bytes = read_secret_file(path, SIGNING_KEY)?;
    StoreKey::from_secret_bytes(&bytes).map_err(|source| SetupError::Key {
        path: path.clone(),
        source,
    })
}

pub(crate) fn check_key_matches(
    store: &Store,
    key: &StoreKey,
    path: &std::path::Path,
) -> Result<(), SetupError> {
    if let Some(bound) = store.meta(META_PUBLIC_KEY)?
        && bound != key.public().to_hex()
    {
        let ledger_key_id = hex::decode(&bound)
            .ok()
            .and_then(|bytes| StorePublicKey::from_bytes(&bytes).ok())
            .map_or_else(|| "unreadable".to_owned(), |public| public.key_id());
        return Err(SetupError::KeyMismatch {
            path: path.to_path_buf(),
            ledger_key_id,
            file_key_id: key.public().key_id(),
        });
    }
    Ok(())
}

/// Opens an existing ledger for admin work that needs no secrets (verify, backup); a ledger
/// that cannot be written is opened read-only, which is all these need.
pub fn open_ledger(config: &KioskConfig) -> Result<Store, SetupError> {
    let store = match Store::open(&config.ledger.database, OpenMode::Existing) {
        Err(StoreError::ReadOnly) => Store::open_read_only(&config.ledger.database)?,
        other => other?,
    };
    store.bind_store_id(config.store.id.as_str())?;
    Ok(store)
}

/// The store's public key from outside the database: the signing key file kiosk.toml names.
/// `verify` trusts this one, never the copy recorded in the ledger, which a shell can replace.
pub fn configured_public_key(config: &KioskConfig) -> Result<StorePublicKey, SetupError> {
    Ok(load_key(config)?.public())
}

/// The store's public key as recorded in the ledger at init.
pub fn ledger_public_key(store: &Store) -> Result<StorePublicKey, SetupError> {
    let hex_key = store
        .meta(META_PUBLIC_KEY)?
        .ok_or(SetupError::NoPublicKey)?;
    hex::decode(hex_key)
        .ok()
        .and_then(|bytes| StorePublicKey::from_bytes(&bytes).ok())
        .ok_or(SetupError::NoPublicKey)
}
