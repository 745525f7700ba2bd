//! What can go wrong with the ledger, in words a clerk or an administrator can act on, and how
//! SQLite's error codes map onto them.

use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;
use thiserror::Error;

use crate::domain::custody::CustodyError;
use crate::domain::staff::AuthError;

use crate::domain::custody::EventKind;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("no ledger at {0}: run `kiosk init` first")]
    NotFound(PathBuf),
    #[error(
        "{0} is not a handoff-kiosk ledger (it is some other file or SQLite database); it was left as it is"
    )]
    NotALedger(PathBuf),
    #[error(
        "the ledger {path} is damaged ({detail}); it was left as it is: restore the latest backup"
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "the ledger {path} was written by a newer kiosk (schema version {found}, this one knows {supported}); it was left as it is: run the newer kiosk"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("the ledger is busy (another program holds its lock); nothing was recorded: try again")]
    Locked,
    #[error("the disk is full; nothing was recorded: free some space and try again")]
    DiskFull,
    #[error("the ledger is read-only (file or folder not writable); nothing was recorded")]
    ReadOnly,
    #[error("this ledger belongs to store {ledger}, but the configuration says {config}")]
    WrongStore { ledger: String, config: String },
    #[error("the PIN confirmation has expired; enter the PIN again")]
    ProofExpired,
    #[error("only a manager may do this")]
    NotManager,
    #[error("staff member {0} is disabled or does not exist; nothing was recorded")]
    StaffInactive(i64),
    #[error("{0}")]
    Custody(#[from] CustodyError),
    #[error("{0}")]
    Auth(#[from] AuthError),
    #[error("{0}")]
    Token(#[from] TokenUseError),
    #[error("{0}")]
    Invalid(String),
    #[error(
        "the ledger {path} has {links} names (hard links); SQLite keeps a separate write-ahead log for each name, so what one records the other loses. It was left as it is: remove the extra names and keep one"
    )]
    HardLinked { path: PathBuf, links: u64 },
    #[error(
        "the ledger file {path} was deleted or moved while the kiosk ran; nothing was recorded: quit and check the ledger with `kiosk verify`"
    )]
    LedgerGone { path: PathBuf },
    #[error(
        "the ledger file {path} was replaced while the kiosk ran ({detail}); nothing was recorded: quit and check the ledger with `kiosk verify`"
    )]
    LedgerReplaced { path: PathBuf, detail: String },
    #[error(
        "the ledger's write-ahead log {wal} was deleted while the kiosk ran; {rescue}. Nothing more was recorded: quit, restart the kiosk and check the ledger with `kiosk verify`"
    )]
    WalMissing { wal: PathBuf, rescue: String },
    #[error(
        "the ledger went backwards while the kiosk ran (this kiosk saw event {seen}, the file {path} now ends at event {head}: an older copy was put in its place); nothing was recorded: quit and check the ledger with `kiosk verify`"
    )]
    WentBackwards { path: PathBuf, seen: u64, head: u64 },
    /// A file problem found earlier still stands: the kiosk records nothing until restarted.
    #[error("recording has stopped: {0}")]
    RecordingStopped(String),
    #[error("{0}")]
    ClockBehind(crate::domain::clock::ClockBehind),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl StoreError {
    pub(crate) fn from_sqlite(error: rusqlite::Error, path: &Path) -> Self {
        let code = match &error {
            rusqlite::Error::SqliteFailure(failure, _) => Some(failure.code),
            _ => None,
        };
        match code {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::NotADatabase) => StoreError::NotALedger(path.to_path_buf()),
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
                path: path.to_path_buf(),
                detail: error.to_string(),
            },
            _ => StoreError::Sqlite(error),
        }
    }
}

/// Why a handoff cannot use a token.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum TokenUseError {
    #[error("the handshake token {0} was not issued by this kiosk")]
    Unknown(String),
    #[error(
        "the handshake token {token_id} was already used for event {seq}; show the driver a new code"
    )]
    AlreadyUsed { token_id: String, seq: u64 },
    #[error(
        "the handshake token {0} expired before the driver's step was completed; show a new code"
    )]
    Expired(String),
    #[error("the handshake token {token_id} is for a {direction}, not a {kind}")]
    WrongDirection {
        token_id: String,
        direction: &'static str,
        kind: EventKind,
    },
    #[error("the parcels differ from the {count} the driver's code was made for; show a new code")]
    ParcelsDiffer { count: u16 },
}
