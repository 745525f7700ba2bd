//! The only code that touches SQLite. Every connection gets the same pragmas; every query binds
//! its parameters; functions take and return domain types.

mod evidence;
mod guard;
mod ledger;
mod parcels;
mod schema;
mod staff;
mod stats;
mod tokens;

use std::path::{Path, PathBuf};
use std::time::Duration as StdDuration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior};
use thiserror::Error;

use crate::domain::custody::CustodyError;
use crate::domain::staff::AuthError;

pub use guard::{FileIdentity, identify as identify_file};
pub use ledger::{
    CheckpointRecord, FileCheck, HandoffItem, HandoffRequest, Receipt, RecordContext, VerifyReport,
};
pub use parcels::{ExpectedParcel, ImportOutcome, ParcelRecord};
pub use schema::{APPLICATION_ID, MIGRATIONS, latest_version};
pub use staff::{Actor, PinCheck, PinCheckOutcome};
pub use stats::CustodyMovement;
pub use tokens::{TokenRecord, TokenUseError};

/// How long a writer waits for another connection's lock before giving up with `Locked`.
pub const BUSY_TIMEOUT: StdDuration = StdDuration::from_secs(5);

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
    fn from_sqlite(error: rusqlite::Error, path: &Path) -> Self {
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

/// `query_row` through the connection's statement cache: the recording path runs the same
/// statements for every parcel, and parsing them again each time was a large part of its cost.
pub(crate) fn cached_row<T, P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    row: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    conn.prepare_cached(sql)?.query_row(params, row)
}

/// `execute` through the statement cache (see [`cached_row`]).
pub(crate) fn cached_execute<P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    params: P,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(params)
}

/// An open ledger.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
    /// Parcels on hand after this connection's last recording, with SQLite's `data_version`
    /// then: while no other connection has committed, the next receipt's figure is this plus
    /// the recording's own changes, instead of counting every parcel on hand at each commit.
    on_hand_after_last_write: std::cell::Cell<Option<(i64, u64)>>,
    /// Checks before each commit that the file is still the ledger opened (see `guard`).
    file_guard: guard::FileGuard,
}

/// Whether opening may create a new, empty ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// The ledger must already exist (admin commands: a typo in a path must not create one).
    Existing,
    /// Create the file if it does not exist (`kiosk init`, the kiosk's first start).
    CreateIfMissing,
}

impl Store {
    pub fn open(path: &Path, mode: OpenMode) -> Result<Self, StoreError> {
        let exists = path.exists();
        if !exists && mode == OpenMode::Existing {
            return Err(StoreError::NotFound(path.to_path_buf()));
        }
        if exists {
            check_header(path)?;
            // Before SQLite writes anything (a migration) through a second name's own WAL.
            if let Ok((_, links)) = guard::identify(path)
                && links > 1
            {
                return Err(StoreError::HardLinked {
                    path: path.to_path_buf(),
                    links,
                });
            }
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if mode == OpenMode::CreateIfMissing {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn =
            Connection::open_with_flags(path, flags).map_err(|e| match e.sqlite_error_code() {
                // The file is there but its folder will not take the WAL files: read-only.
                Some(ErrorCode::CannotOpen) if exists => StoreError::ReadOnly,
                _ => StoreError::from_sqlite(e, path),
            })?;
        // SQLite quietly opens a write-protected file read-only; say so now, not at the first
        // handoff.
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(StoreError::ReadOnly);
        }
        restrict_permissions(path);
        let file_guard = guard::FileGuard::for_reader(path, &conn);
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            read_only: false,
            on_hand_after_last_write: std::cell::Cell::new(None),
            file_guard,
        };
        store.configure()?;
        store.migrate()?;
        store.file_guard = guard::FileGuard::for_writer(path, &mut store.conn)?;
        Ok(store)
    }

    /// Opens a ledger that cannot be written (a write-protected file or folder): for looking
    /// things up and for `verify`; every write is refused by SQLite (`query_only`).
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        if !path.exists() {
            return Err(StoreError::NotFound(path.to_path_buf()));
        }
        check_header(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let plain = Connection::open_with_flags(path, flags);
        // In a folder that cannot hold the WAL index, read the file as it stands on disk.
        let conn = match plain.and_then(|conn| {
            conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
                .map(|()| conn)
        }) {
            Ok(conn) => conn,
            Err(_) => {
                let uri = format!("file:{}?immutable=1", path.display());
                Connection::open_with_flags(uri, flags)
                    .map_err(|e| StoreError::from_sqlite(e, path))?
            }
        };
        let file_guard = guard::FileGuard::for_reader(path, &conn);
        let store = Store {
            conn,
            path: path.to_path_buf(),
            read_only: true,
            on_hand_after_last_write: std::cell::Cell::new(None),
            file_guard,
        };
        store
            .conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| store.sql_error(e))?;
        let application_id: i64 = store
            .conn
            .pragma_query_value(None, "application_id", |row| row.get(0))
            .map_err(|e| store.sql_error(e))?;
        let version: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(|e| store.sql_error(e))?;
        if application_id != schema::APPLICATION_ID {
            return Err(StoreError::NotALedger(path.to_path_buf()));
        }
        if version != schema::latest_version() {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                supported: schema::latest_version(),
            });
        }
        store
            .conn
            .execute_batch("PRAGMA query_only = ON; PRAGMA foreign_keys = ON;")
            .map_err(|e| store.sql_error(e))?;
        Ok(store)
    }

    /// Whether this ledger was opened read-only (see [`Store::open_read_only`]).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Every row a query returns, mapped by `row` (through the statement cache).
    pub(crate) fn collect_rows<T, P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
        row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(sql)
            .map_err(|e| self.sql_error(e))?;
        let rows = statement
            .query_map(params, row)
            .map_err(|e| self.sql_error(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql_error(e))
    }

    /// The number a `SELECT count(*) …` query returns (through the statement cache).
    pub(crate) fn count_rows<P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
    ) -> Result<u64, StoreError> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut statement| statement.query_row(params, |row| row.get::<_, i64>(0)))
            .map(|count| count.max(0) as u64)
            .map_err(|e| self.sql_error(e))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sql_error(&self, error: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(error, &self.path)
    }

    /// Pragmas every connection must have. Versions are read before anything is written, so a
    /// foreign or newer file is refused untouched (even WAL mode changes the file header).
    fn configure(&mut self) -> Result<(), StoreError> {
        self.conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| self.sql_error(e))?;
        self.conn.set_prepared_statement_cache_capacity(64);
        let application_id: i64 = self
            .conn
            .pragma_query_value(None, "application_id", |row| row.get(0))
            .map_err(|e| self.sql_error(e))?;
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(|e| self.sql_error(e))?;
        let table_count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
            .map_err(|e| self.sql_error(e))?;
        let empty_new_file = application_id == 0 && version == 0 && table_count == 0;
        if !empty_new_file && application_id != schema::APPLICATION_ID {
            return Err(StoreError::NotALedger(self.path.clone()));
        }
        if version > schema::latest_version() {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found: version,
                supported: schema::latest_version(),
            });
        }
        let journal: String = self
            .conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(|e| self.sql_error(e))?;
        if !journal.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Invalid(format!(
                "the ledger could not switch to WAL journaling (got {journal})"
            )));
        }
        self.conn
            .execute_batch(
                "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF;",
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let current: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(|e| StoreError::from_sqlite(e, &path))?;
        if current >= schema::latest_version() {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| StoreError::from_sqlite(e, &path))?;
        // Read again under the write lock: another process may have migrated meanwhile.
        let version: i64 = tx
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(|e| StoreError::from_sqlite(e, &path))?;
        if version >= schema::latest_version() {
            // Up to date: write nothing, so read-only commands like `verify` change no byte.
            return tx.commit().map_err(|e| StoreError::from_sqlite(e, &path));
        }
        for (index, migration) in schema::MIGRATIONS
            .iter()
            .enumerate()
            .skip(version.max(0) as usize)
        {
            tx.execute_batch(migration)
                .map_err(|e| StoreError::from_sqlite(e, &path))?;
            tx.pragma_update(None, "user_version", index as i64 + 1)
                .map_err(|e| StoreError::from_sqlite(e, &path))?;
        }
        if version < schema::FACTS_VERSION {
            // Format-1 events do not say which code opens which parcel: seal the records as
            // they stand, in the same transaction, so `verify` can replay from here on.
            evidence::seal_state(&tx).map_err(|e| StoreError::from_sqlite(e, &path))?;
        }
        tx.pragma_update(None, "application_id", schema::APPLICATION_ID)
            .map_err(|e| StoreError::from_sqlite(e, &path))?;
        tx.commit().map_err(|e| StoreError::from_sqlite(e, &path))
    }

    /// The pragmas in force, for the reliability tests and `kiosk verify`.
    pub fn pragmas(&self) -> Result<ConnectionPragmas, StoreError> {
        let read_text = |name: &str| -> Result<String, StoreError> {
            self.conn
                .pragma_query_value(None, name, |row| row.get::<_, rusqlite::types::Value>(0))
                .map(|value| match value {
                    rusqlite::types::Value::Integer(number) => number.to_string(),
                    rusqlite::types::Value::Text(text) => text,
                    other => format!("{other:?}"),
                })
                .map_err(|e| self.sql_error(e))
        };
        Ok(ConnectionPragmas {
            journal_mode: read_text("journal_mode")?,
            synchronous: read_text("synchronous")?,
            foreign_keys: read_text("foreign_keys")?,
            busy_timeout_ms: read_text("busy_timeout")?,
        })
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()
            .map_err(|e| self.sql_error(e))
    }

    /// Records a fact about the ledger once; an existing value is kept (and returned).
    pub fn bind_meta(&self, key: &str, value: &str) -> Result<String, StoreError> {
        self.conn
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
                (key, value),
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(self.meta(key)?.unwrap_or_else(|| value.to_owned()))
    }

    /// Checks that this ledger belongs to `store_id`, binding it on first use.
    pub fn bind_store_id(&self, store_id: &str) -> Result<(), StoreError> {
        let bound = if self.read_only {
            self.meta("store_id")?
                .unwrap_or_else(|| store_id.to_owned())
        } else {
            self.bind_meta("store_id", store_id)?
        };
        if bound != store_id {
            return Err(StoreError::WrongStore {
                ledger: bound,
                config: store_id.to_owned(),
            });
        }
        Ok(())
    }

    /// Caps the ledger at its current size plus `extra_pages` (`None` lifts the cap), through
    /// `PRAGMA max_page_count`: how the reliability tests rehearse a full disk on any machine.
    pub fn set_page_limit(&self, extra_pages: Option<u64>) -> Result<(), StoreError> {
        let pages: i64 = self
            .conn
            .pragma_query_value(None, "page_count", |row| row.get(0))
            .map_err(|e| self.sql_error(e))?;
        let limit = extra_pages.map_or(i64::from(u32::MAX - 1), |extra| pages + extra as i64);
        self.conn
            .pragma_update(None, "max_page_count", limit)
            .map_err(|e| self.sql_error(e))
    }

    /// For generating demo data only: `kiosk seed` refuses real ledgers, because a crash or
    /// power cut during a bulk load may leave the file damaged (with the journal in memory there
    /// is nothing to roll back from); a damaged demo is deleted and seeded again. `true`: no
    /// waiting for the disk, one lock held throughout and
    /// the rollback journal in memory, so each of the seeder's many small commits writes its
    /// pages once instead of taking locks, writing WAL frames and copying them back (about
    /// 62 -> 50 s per million events). `false` restores WAL, shared locking and
    /// `synchronous=FULL`, and writes everything out.
    pub fn bulk_load(&self, on: bool) -> Result<(), StoreError> {
        let sql = |e| self.sql_error(e);
        if on {
            self.file_guard.suspend(&self.conn, true)?;
            self.conn
                .execute_batch("PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;")
                .map_err(sql)?;
            // Leaving WAL needs the only connection; with another one open it stays WAL, which
            // is only slower.
            let _mode: String = self
                .conn
                .pragma_update_and_check(None, "journal_mode", "MEMORY", |row| row.get(0))
                .map_err(sql)?;
            return Ok(());
        }
        // Shared locking first: WAL entered under an exclusive lock would keep it.
        self.conn
            .execute_batch("PRAGMA locking_mode = NORMAL;")
            .map_err(sql)?;
        let journal: String = self
            .conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(sql)?;
        if !journal.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Invalid(format!(
                "the ledger could not switch back to WAL journaling (got {journal})"
            )));
        }
        self.conn
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(sql)?;
        self.file_guard.suspend(&self.conn, false)
    }

    /// `PRAGMA integrity_check`: an empty list when the file is sound.
    pub fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        let mut statement = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(|e| self.sql_error(e))?;
        let rows = statement
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(|e| self.sql_error(e))?;
        let mut problems = Vec::new();
        for row in rows {
            let line = row.map_err(|e| self.sql_error(e))?;
            if line != "ok" {
                problems.push(line);
            }
        }
        Ok(problems)
    }

    /// A consistent copy of the ledger made with SQLite's online backup, safe while the kiosk
    /// records. The destination must not exist.
    pub fn backup_to(&self, destination: &Path) -> Result<(), StoreError> {
        if destination.exists() {
            return Err(StoreError::Invalid(format!(
                "{} already exists; a backup never overwrites a file",
                destination.display()
            )));
        }
        let mut target = Connection::open(destination).map_err(|e| self.sql_error(e))?;
        restrict_permissions(destination);
        {
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut target)
                .map_err(|e| self.sql_error(e))?;
            backup
                .run_to_completion(256, StdDuration::from_millis(5), None)
                .map_err(|e| self.sql_error(e))?;
        }
        // The copy is a rollback-journal file; leave it that way so it is a single file.
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionPragmas {
    pub journal_mode: String,
    pub synchronous: String,
    pub foreign_keys: String,
    pub busy_timeout_ms: String,
}

/// Refuses anything that is not an SQLite file before SQLite sees it, so random bytes get a
/// clear message instead of a late "file is not a database" from the first query.
fn check_header(path: &Path) -> Result<(), StoreError> {
    use std::io::Read;
    let mut header = [0_u8; 16];
    let mut file = std::fs::File::open(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::PermissionDenied => StoreError::ReadOnly,
        _ => StoreError::Invalid(format!("cannot read {}: {error}", path.display())),
    })?;
    let read = file
        .read(&mut header)
        .map_err(|error| StoreError::Invalid(format!("cannot read {}: {error}", path.display())))?;
    if read == 0 {
        // An empty file is what a crash during the very first `init` can leave; treat as new.
        return Ok(());
    }
    if read < 16 || &header != b"SQLite format 3\0" {
        return Err(StoreError::NotALedger(path.to_path_buf()));
    }
    Ok(())
}

/// The ledger holds names and custody history: keep it to the kiosk's own user.
fn restrict_permissions(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Only when needed: a chmod moves the file's change time, which the running kiosk's
        // guard reads as another program writing the ledger.
        let already =
            std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o777 == 0o600);
        if !already {
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
    }
}
