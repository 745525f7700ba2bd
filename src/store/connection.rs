//! The open ledger: the connection, the statement cache helpers, the one write-transaction
//! helper every write goes through, and the housekeeping that needs nothing but the connection
//! (pragmas, meta, backup, bulk loading).

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::error::StoreError;
use super::guard::FileGuard;

/// How long a writer waits for another connection's lock before giving up with `Locked`.
pub const BUSY_TIMEOUT: StdDuration = StdDuration::from_secs(5);

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
    pub(super) conn: Connection,
    pub(super) path: PathBuf,
    pub(super) read_only: bool,
    /// Parcels on hand after this connection's last recording, with SQLite's `data_version`
    /// then: while no other connection has committed, the next receipt's figure is this plus
    /// the recording's own changes, instead of counting every parcel on hand at each commit.
    pub(super) on_hand_after_last_write: Cell<Option<(i64, u64)>>,
    /// Checks before each commit that the file is still the ledger opened (see `guard`).
    pub(super) file_guard: FileGuard,
}

/// Whether opening may create a new, empty ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// The ledger must already exist (admin commands: a typo in a path must not create one).
    Existing,
    /// Create the file if it does not exist (`kiosk init`, the kiosk's first start).
    CreateIfMissing,
}

/// How a write transaction's commit is checked.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Commit {
    /// Through the file guard, as every ledger record: refused and rolled back when the file
    /// is no longer the ledger opened or the clock stands behind the newest event.
    Guarded(DateTime<Utc>),
    /// Straight to SQLite, for the two writes that must not wait on the guard: the schema
    /// migration (the guard starts watching once it is done) and a PIN check's counters (a
    /// manager must still be able to sign in to see why recording stopped).
    Unguarded,
}

/// Turns a SQLite error into the store's own, naming the ledger's file.
pub(crate) type SqlError<'a> = &'a dyn Fn(rusqlite::Error) -> StoreError;

/// Refuses to record for a staff member who is not (or no longer) active: checked inside the
/// writing transaction, so a member deactivated a moment ago records nothing more.
pub(crate) fn require_active_staff(
    tx: &Transaction<'_>,
    staff_id: i64,
    sql: SqlError<'_>,
) -> Result<(), StoreError> {
    let active: Option<i64> = cached_row(
        tx,
        "SELECT active FROM staff WHERE id = ?1",
        [staff_id],
        |row| row.get(0),
    )
    .optional()
    .map_err(sql)?;
    if active == Some(1) {
        Ok(())
    } else {
        Err(StoreError::StaffInactive(staff_id))
    }
}

impl Store {
    /// The store's time zone, for times staff read in the store's own messages (the clock
    /// alarm). Until it is set they are in UTC, and say so.
    pub fn set_time_zone(&self, zone: chrono_tz::Tz) {
        self.file_guard.set_time_zone(zone);
    }

    /// Runs `work` in one write transaction (taken at once, so two kiosks never both read the
    /// chain head and append after it) and commits it through the file guard at `now`. On any
    /// error nothing of it is recorded. Every ledger write goes through here or
    /// [`Store::write_with`].
    pub(crate) fn write<T>(
        &mut self,
        now: DateTime<Utc>,
        work: impl FnOnce(&Transaction<'_>, SqlError<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.write_with(TransactionBehavior::Immediate, Commit::Guarded(now), work)
    }

    /// [`Store::write`] with the locking and the commit check chosen by the caller.
    pub(crate) fn write_with<T>(
        &mut self,
        behavior: TransactionBehavior,
        commit: Commit,
        work: impl FnOnce(&Transaction<'_>, SqlError<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let path = self.path.as_path();
        let sql = |e| StoreError::from_sqlite(e, path);
        let tx = self.conn.transaction_with_behavior(behavior).map_err(sql)?;
        let value = work(&tx, &sql)?;
        match commit {
            Commit::Guarded(now) => self.file_guard.commit(tx, now)?,
            Commit::Unguarded => tx.commit().map_err(sql)?,
        }
        Ok(value)
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

    /// The one integer a one-value query returns (through the statement cache): `None` for a
    /// NULL or for no row at all (a `LIMIT 1` over nothing).
    pub(crate) fn optional_integer<P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
    ) -> Result<Option<i64>, StoreError> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut statement| {
                statement
                    .query_row(params, |row| row.get::<_, Option<i64>>(0))
                    .optional()
            })
            .map(Option::flatten)
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

    pub(crate) fn sql_error(&self, error: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(error, &self.path)
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

    /// Why this kiosk has stopped recording, for the counter's alarm line; `None` while it
    /// records. The clock alarm clears itself once `now` is right again.
    pub fn recording_alarm(&self, now: DateTime<Utc>) -> Option<String> {
        self.file_guard.alarm_text(now)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionPragmas {
    pub journal_mode: String,
    pub synchronous: String,
    pub foreign_keys: String,
    pub busy_timeout_ms: String,
}

/// The ledger holds names and custody history: keep it to the kiosk's own user.
pub(crate) fn restrict_permissions(path: &Path) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_that_fails_records_nothing_and_one_that_succeeds_commits() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store =
            Store::open(&dir.path().join("l.sqlite3"), OpenMode::CreateIfMissing).expect("open");
        let now = Utc::now();
        let probe = "INSERT INTO meta (key, value) VALUES ('probe', '1')";
        let failed: Result<(), StoreError> = store.write(now, |tx, sql| {
            tx.execute(probe, []).map_err(sql)?;
            Err(StoreError::Invalid("stop".into()))
        });
        assert!(failed.is_err());
        assert_eq!(store.meta("probe").expect("meta"), None);
        store
            .write(now, |tx, sql| {
                tx.execute(probe, []).map(|_| ()).map_err(sql)
            })
            .expect("write");
        assert_eq!(store.meta("probe").expect("meta").as_deref(), Some("1"));
    }
}
