//! Bringing a kiosk up: `init` creates what is missing (ledger, pepper, signing key) and never
//! overwrites anything; `open` loads an initialised kiosk and checks that its parts belong
//! together (the ledger's store id and public key match the config and the key file).

use std::path::PathBuf;
use std::sync::Arc;

use thiserror::Error;

use crate::config::KioskConfig;
use crate::domain::codes::CodeDigester;
use crate::domain::pin::{PinHashError, PinHasher};
use crate::domain::signing::{KeyError, StoreKey, StorePublicKey};
use crate::secrets::{SecretFileError, create_private_dir, create_secret_file, read_secret_file};
use chrono::{DateTime, Utc};

use crate::domain::handshake::{Direction, IssuedToken, issue_token};
use crate::domain::ids::TrackingId;
use crate::domain::staff::PinProof;
use crate::store::{HandoffRequest, OpenMode, Receipt, RecordContext, Store, StoreError};

const PEPPER: &str = "pepper";
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

fn load_key(config: &KioskConfig) -> Result<StoreKey, SetupError> {
    let path = &config.ledger.signing_key;
    let bytes = read_secret_file(path, SIGNING_KEY)?;
    StoreKey::from_secret_bytes(&bytes).map_err(|source| SetupError::Key {
        path: path.clone(),
        source,
    })
}

fn check_key_matches(
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

/// An initialised kiosk with everything recording needs.
pub struct Kiosk {
    pub config: KioskConfig,
    pub store: Store,
    /// Shared with the TUI's worker thread, which runs the slow argon2 checks.
    pub pins: Arc<PinHasher>,
    pub codes: CodeDigester,
    pub key: StoreKey,
}

impl Kiosk {
    /// Opens an initialised kiosk; nothing is created.
    pub fn open(config: &KioskConfig) -> Result<Self, SetupError> {
        let store = Store::open(&config.ledger.database, OpenMode::Existing)?;
        store.bind_store_id(config.store.id.as_str())?;
        Self::with_store(config, store)
    }

    fn with_store(config: &KioskConfig, store: Store) -> Result<Self, SetupError> {
        let pepper = read_secret_file(&config.security.pepper_file, PEPPER)?;
        let key = load_key(config)?;
        check_key_matches(&store, &key, &config.ledger.signing_key)?;
        let pins = Arc::new(PinHasher::new(&pepper, config.security.hash_cost)?);
        Ok(Self {
            config: config.clone(),
            store,
            pins,
            codes: CodeDigester::new(&pepper),
            key,
        })
    }

    /// The kiosk's first start: initialise what is missing, then open. A ledger that exists but
    /// cannot be written opens read-only (the counter then says so and records nothing).
    pub fn open_or_init(config: &KioskConfig) -> Result<(Self, InitReport), SetupError> {
        match init(config) {
            Ok(report) => Ok((Self::open(config)?, report)),
            Err(SetupError::Store(StoreError::ReadOnly)) => {
                Ok((Self::open_read_only(config)?, InitReport::default()))
            }
            Err(error) => Err(error),
        }
    }

    /// Opens an existing ledger read-only, with the secrets (which need only be readable).
    pub fn open_read_only(config: &KioskConfig) -> Result<Self, SetupError> {
        let store = Store::open_read_only(&config.ledger.database)?;
        store.bind_store_id(config.store.id.as_str())?;
        Self::with_store(config, store)
    }

    /// Records handoffs under a fresh PIN proof with this store's rules (calendar, capacity,
    /// pickup-code key). See [`Store::record_handoffs`].
    pub fn record(
        &mut self,
        proof: &PinProof,
        requests: &[HandoffRequest],
        now: DateTime<Utc>,
    ) -> Result<Receipt, StoreError> {
        let context = RecordContext {
            calendar: &self.config.calendar,
            capacity: self.config.store.capacity,
            codes: &self.codes,
        };
        let outcome = self.store.record_handoffs(proof, requests, &context, now);
        // Kinds, counts and event numbers only: no names, no codes.
        match &outcome {
            Ok(receipt) => tracing::info!(
                staff = %proof.staff_id(),
                first = receipt.first_seq,
                last = receipt.last_seq,
                kinds = ?requests.iter().map(|r| r.kind.code()).collect::<Vec<_>>(),
                parcels = requests.iter().map(|r| r.items.len()).sum::<usize>(),
                "recorded"
            ),
            Err(error) => {
                tracing::warn!(staff = %proof.staff_id(), reason = %error, "nothing recorded")
            }
        }
        outcome
    }

    /// Signs a checkpoint when events of an earlier store day (or a sealed state from an
    /// upgrade) are not yet covered by one: the kiosk may have been off at a day's end. Returns
    /// whether it signed.
    pub fn sign_overdue_checkpoint(&mut self, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let store_id = self.config.store.id.as_str().to_owned();
        let covered = self
            .store
            .checkpoints(&store_id)?
            .iter()
            .map(|record| record.checkpoint.event_count)
            .max()
            .unwrap_or(0);
        let today = self.config.calendar.local_date(now);
        let overdue = self
            .store
            .days_after(covered, &self.config.calendar)?
            .iter()
            .any(|day| *day < today)
            || self.store.sealed_after(covered)?;
        if overdue {
            self.store.write_checkpoint(&self.key, &store_id, now)?;
        }
        Ok(overdue)
    }

    /// Marks the moment the driver's step completed with a token, signed with the store key.
    pub fn claim_token(&self, token_id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.store.claim_token(token_id, &self.key, now)
    }

    /// Issues a handshake token for the driver's QR and records it in the ledger before it is
    /// shown, so every code a driver could have scanned is on record.
    pub fn issue_handshake(
        &self,
        direction: Direction,
        parcels: Option<&[TrackingId]>,
        now: DateTime<Utc>,
    ) -> Result<IssuedToken, StoreError> {
        let token = issue_token(
            &self.key,
            &self.config.store.id,
            direction,
            parcels,
            self.config.handshake.token_lifetime,
            now,
        )
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.store.record_issued_token(&token)?;
        Ok(token)
    }
}
