//! Opening a ledger: refusing what is not one (or is newer than this kiosk), setting every
//! connection's pragmas, and bringing the schema up to date in one transaction.

use std::cell::Cell;
use std::path::Path;

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

use super::connection::{BUSY_TIMEOUT, Commit, OpenMode, Store, restrict_permissions};
use super::error::StoreError;
use super::evidence;
use super::guard::{self, FileGuard};
use super::schema;

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
        let file_guard = FileGuard::for_reader(path, &conn);
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            read_only: false,
            on_hand_after_last_write: Cell::new(None),
            file_guard,
        };
        store.configure()?;
        store.migrate()?;
        store.file_guard = FileGuard::for_writer(path, &mut store.conn)?;
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
        let file_guard = FileGuard::for_reader(path, &conn);
        let store = Store {
            conn,
            path: path.to_path_buf(),
            read_only: true,
            on_hand_after_last_write: Cell::new(None),
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
        // Unguarded: the file guard starts watching only once the schema is current.
        self.write_with(
            TransactionBehavior::Immediate,
            Commit::Unguarded,
            |tx, sql| {
                // Read again under the write lock: another process may have migrated meanwhile.
                let version: i64 = tx
                    .pragma_query_value(None, "user_version", |row| row.get(0))
                    .map_err(sql)?;
                if version >= schema::latest_version() {
                    // Up to date: write nothing, so read-only commands like `verify` change no byte.
                    return Ok(());
                }
                for (index, migration) in schema::MIGRATIONS
                    .iter()
                    .enumerate()
                    .skip(version.max(0) as usize)
                {
                    tx.execute_batch(migration).map_err(sql)?;
                    tx.pragma_update(None, "user_version", index as i64 + 1)
                        .map_err(sql)?;
                }
                if version < schema::CARRIER_VERSION {
                    // Before the seal below, which writes the rows as they stand.
                    evidence::backfill_carriers(tx).map_err(sql)?;
                }
                if version < schema::FACTS_VERSION {
                    // Format-1 events do not say which code opens which parcel: seal the records as
                    // they stand, in the same transaction, so `verify` can replay from here on.
                    evidence::seal_state(tx).map_err(sql)?;
                }
                tx.pragma_update(None, "application_id", schema::APPLICATION_ID)
                    .map_err(sql)
            },
        )
    }
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
