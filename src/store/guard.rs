//! The last look before a commit: is the file the kiosk writes still the ledger it opened?
//!
//! SQLite trusts the file system. When the ledger file is renamed away, replaced by a copy,
//! or its write-ahead log (`-wal`) is deleted while the kiosk runs, SQLite goes on committing
//! into the open file handles, and those commits are lost at the next crash or restart while
//! the screen said "Recorded". So every write path commits through [`FileGuard::commit`],
//! which refuses (and rolls back) when:
//! - the path no longer leads to the file opened (device and inode), or to no file at all;
//! - another program wrote the file (a copy put over it in place): its size, modification or
//!   change time moved although this connection did not checkpoint. The connection's own
//!   checkpoints run in a WAL hook (in place of SQLite's autocheckpoint, at the same 1000
//!   pages), which notes the file's new stamp right after;
//! - the WAL file SQLite writes to is gone or is another file;
//! - the chain went backwards: the newest event this connection saw or wrote is missing or
//!   has another hash (an older copy was put in place);
//! - the wall clock stands behind the newest event (see `domain::clock`).
//!
//! A refusal about the file is kept as an alarm (`Store::recording_alarm`) that the counter
//! shows until the kiosk is restarted; the clock alarm lasts until the clock is right.

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction};

use super::error::StoreError;
use crate::domain::chain::ChainHash;
use crate::domain::clock::{ClockBehind, check_not_behind, from_micros};

/// A file's identity on this machine: the same pair means the same file, whatever its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileIdentity {
    pub device: u64,
    pub inode: u64,
}

impl std::fmt::Display for FileIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "device {} inode {}", self.device, self.inode)
    }
}

/// The identity and link count of the file `path` leads to (symlinks followed). Only `stat`:
/// the ledger file is never opened here, since closing any descriptor of it would drop the
/// POSIX locks SQLite holds on it in this process.
pub fn identify(path: &Path) -> std::io::Result<(FileIdentity, u64)> {
    let metadata = std::fs::metadata(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Ok((
            FileIdentity {
                device: metadata.dev(),
                inode: metadata.ino(),
            },
            metadata.nlink(),
        ))
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        Ok((
            FileIdentity {
                device: 0,
                inode: 0,
            },
            1,
        ))
    }
}

/// What a write to the file changes: size, and modification and change times. The change
/// time cannot be set by anyone but the kernel, so a copy put over the file in place shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    size: u64,
    modified_ns: i128,
    changed_ns: i128,
}

impl FileStamp {
    fn of(path: &Path) -> Option<Self> {
        let metadata = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let nanos =
                |seconds: i64, nanos: i64| i128::from(seconds) * 1_000_000_000 + i128::from(nanos);
            Some(Self {
                size: metadata.len(),
                modified_ns: nanos(metadata.mtime(), metadata.mtime_nsec()),
                changed_ns: nanos(metadata.ctime(), metadata.ctime_nsec()),
            })
        }
        #[cfg(not(unix))]
        {
            Some(Self {
                size: metadata.len(),
                modified_ns: 0,
                changed_ns: 0,
            })
        }
    }
}

/// SQLite's own autocheckpoint threshold, kept: the WAL is copied into the file once it holds
/// this many pages.
const CHECKPOINT_PAGES: i32 = 1000;

/// Why recording stopped, kept for the counter's alarm line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Alarm {
    /// Until the kiosk restarts: the file it writes is not (or no longer) safe.
    File(String),
    /// Until the clock is right again.
    Clock(ClockBehind),
}

pub(crate) struct FileGuard {
    /// The path the ledger was opened by.
    path: PathBuf,
    /// `None` for a read-only store, which commits nothing worth guarding.
    opened: Option<FileIdentity>,
    /// Where SQLite keeps the WAL: beside the file as SQLite names it (symlinks resolved).
    wal_path: PathBuf,
    wal: Cell<Option<FileIdentity>>,
    /// The newest event this connection saw at open or wrote since.
    last_head: Cell<Option<(u64, ChainHash)>>,
    /// The file as this connection last left it; shared with the WAL hook that checkpoints.
    stamp: Arc<Mutex<Option<FileStamp>>>,
    /// Off while `bulk_load` writes the file directly (demo seeding only).
    suspended: Cell<bool>,
    alarm: RefCell<Option<Alarm>>,
    /// The store's time zone, for the times in the clock alarm (UTC until the kiosk sets it).
    time_zone: Cell<chrono_tz::Tz>,
}

/// The newest event's number and hash, if any.
fn newest_event(conn: &Connection) -> rusqlite::Result<Option<(u64, ChainHash)>> {
    let row: Option<(i64, Vec<u8>)> = conn
        .prepare_cached("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    Ok(row.and_then(|(seq, hash)| Some((seq.max(0) as u64, ChainHash::try_from(hash).ok()?))))
}

impl FileGuard {
    /// For a ledger just opened for writing. Refuses a file with more than one name: SQLite
    /// keeps the WAL beside the name a file was opened by, so a second name (a hard link)
    /// gives a second WAL, and commits through one name are lost to the other.
    pub(crate) fn for_writer(path: &Path, conn: &mut Connection) -> Result<Self, StoreError> {
        let (identity, links) = identify(path).map_err(|error| {
            StoreError::Invalid(format!("cannot look at {}: {error}", path.display()))
        })?;
        if links > 1 {
            return Err(StoreError::HardLinked {
                path: path.to_path_buf(),
                links,
            });
        }
        let wal_path = wal_path_of(path, conn);
        let stamp = Arc::new(Mutex::new(FileStamp::of(path)));
        let noted = Arc::clone(&stamp);
        let file = path.to_path_buf();
        conn.wal_hook(Some(move |wal: &mut rusqlite::hooks::Wal, pages: i32| {
            if pages >= CHECKPOINT_PAGES {
                // A busy reader only delays it, as with SQLite's autocheckpoint.
                let _ = wal.checkpoint();
                *noted.lock().unwrap_or_else(PoisonError::into_inner) = FileStamp::of(&file);
            }
            Ok(())
        }))
        .map_err(|e| StoreError::from_sqlite(e, path))?;
        let guard = Self {
            path: path.to_path_buf(),
            opened: Some(identity),
            wal: Cell::new(identify(&wal_path).ok().map(|(wal, _)| wal)),
            wal_path,
            last_head: Cell::new(None),
            stamp,
            suspended: Cell::new(false),
            alarm: RefCell::new(None),
            time_zone: Cell::new(chrono_tz::UTC),
        };
        // Tables exist only after migration; a brand-new file has no events yet.
        let head = newest_event(conn).map_err(|e| StoreError::from_sqlite(e, path))?;
        guard.last_head.set(head);
        Ok(guard)
    }

    /// Sets the zone the clock alarm gives its times in.
    pub(crate) fn set_time_zone(&self, zone: chrono_tz::Tz) {
        self.time_zone.set(zone);
    }

    pub(crate) fn time_zone(&self) -> chrono_tz::Tz {
        self.time_zone.get()
    }

    pub(crate) fn for_reader(path: &Path, conn: &Connection) -> Self {
        Self {
            path: path.to_path_buf(),
            opened: None,
            wal_path: wal_path_of(path, conn),
            wal: Cell::new(None),
            last_head: Cell::new(None),
            stamp: Arc::new(Mutex::new(None)),
            suspended: Cell::new(false),
            alarm: RefCell::new(None),
            time_zone: Cell::new(chrono_tz::UTC),
        }
    }

    /// `bulk_load` on: the file is written directly, without a WAL. Off: look again at the
    /// file as it now is (stamp, WAL, head) and guard from there.
    pub(crate) fn suspend(&self, conn: &Connection, on: bool) -> Result<(), StoreError> {
        self.suspended.set(on);
        if !on {
            *self.stamp.lock().unwrap_or_else(PoisonError::into_inner) = FileStamp::of(&self.path);
            self.wal
                .set(identify(&self.wal_path).ok().map(|(wal, _)| wal));
            self.last_head
                .set(newest_event(conn).map_err(|e| StoreError::from_sqlite(e, &self.path))?);
        }
        Ok(())
    }

    /// Checks the file, then commits `tx`. On a refusal the transaction is rolled back and
    /// nothing of it is recorded.
    pub(crate) fn commit(&self, tx: Transaction<'_>, now: DateTime<Utc>) -> Result<(), StoreError> {
        let sql = |e| StoreError::from_sqlite(e, &self.path);
        if self.opened.is_none() || self.suspended.get() {
            return tx.commit().map_err(sql);
        }
        if let Some(error) = self.file_problem(&tx) {
            let error = match error {
                StoreError::WalMissing { wal, .. } => StoreError::WalMissing {
                    rescue: rescue_orphaned_wal(tx),
                    wal,
                },
                other => other,
            };
            *self.alarm.borrow_mut() = Some(Alarm::File(error.to_string()));
            return Err(error);
        }
        // Own events carry `now`, so the newest time is later than `now` only through events
        // recorded before this transaction.
        let newest_time: Option<i64> = tx
            .query_row("SELECT max(recorded_at_us) FROM events", [], |row| {
                row.get(0)
            })
            .map_err(sql)?;
        if let Some(newest) = newest_time
            && let Err(behind) = check_not_behind(from_micros(newest), now, self.time_zone.get())
        {
            *self.alarm.borrow_mut() = Some(Alarm::Clock(behind));
            return Err(StoreError::ClockBehind(behind));
        }
        let head = newest_event(&tx).map_err(sql)?;
        tx.commit().map_err(sql)?;
        self.last_head.set(head);
        let mut alarm = self.alarm.borrow_mut();
        if matches!(*alarm, Some(Alarm::Clock(_))) {
            *alarm = None;
        }
        Ok(())
    }

    /// Why this connection has stopped recording, for the counter's alarm line; `None` while
    /// it records. The clock alarm clears itself once `now` is right again.
    pub(crate) fn alarm_text(&self, now: DateTime<Utc>) -> Option<String> {
        match &*self.alarm.borrow() {
            None => None,
            Some(Alarm::File(text)) => Some(text.clone()),
            Some(Alarm::Clock(behind)) => check_not_behind(behind.last_event, now, behind.zone)
                .err()
                .map(|still| still.to_string()),
        }
    }

    /// What is wrong with the file this transaction would commit to, if anything.
    fn file_problem(&self, tx: &Transaction<'_>) -> Option<StoreError> {
        if let Some(Alarm::File(text)) = &*self.alarm.borrow() {
            return Some(StoreError::RecordingStopped(text.clone()));
        }
        let opened = self.opened?;
        match identify(&self.path) {
            Err(_) => {
                return Some(StoreError::LedgerGone {
                    path: self.path.clone(),
                });
            }
            Ok((now_there, _)) if now_there != opened => {
                return Some(StoreError::LedgerReplaced {
                    path: self.path.clone(),
                    detail: format!(
                        "the kiosk opened {opened}, the path now leads to {now_there}: another file was put in its place"
                    ),
                });
            }
            Ok(_) => {}
        }
        let stamp = *self.stamp.lock().unwrap_or_else(PoisonError::into_inner);
        let now_stamp = FileStamp::of(&self.path);
        if let (Some(was), Some(now)) = (stamp, now_stamp)
            && was != now
        {
            return Some(StoreError::LedgerReplaced {
                path: self.path.clone(),
                detail: format!(
                    "another program changed the file: it was {} bytes, now {} bytes, {}",
                    was.size,
                    now.size,
                    if was.modified_ns != now.modified_ns {
                        "and it was written to"
                    } else {
                        "and its links or permissions changed"
                    }
                ),
            });
        }
        match (identify(&self.wal_path), self.wal.get()) {
            (Err(_), _) => {
                return Some(StoreError::WalMissing {
                    wal: self.wal_path.clone(),
                    rescue: String::new(),
                });
            }
            (Ok((wal, _)), Some(known)) if wal != known => {
                return Some(StoreError::WalMissing {
                    wal: self.wal_path.clone(),
                    rescue: String::new(),
                });
            }
            (Ok((wal, _)), None) => self.wal.set(Some(wal)),
            (Ok(_), Some(_)) => {}
        }
        let (seq, hash) = self.last_head.get()?;
        let found: Option<Vec<u8>> = tx
            .query_row(
                "SELECT hash FROM events WHERE seq = ?1",
                [seq as i64],
                |row| row.get(0),
            )
            .optional()
            .unwrap_or(None);
        let head = newest_event(tx).ok().flatten().map_or(0, |(seq, _)| seq);
        match found {
            None => Some(StoreError::WentBackwards {
                path: self.path.clone(),
                seen: seq,
                head,
            }),
            Some(found) if found.as_slice() != hash.as_slice() => {
                Some(StoreError::LedgerReplaced {
                    path: self.path.clone(),
                    detail: format!(
                        "event {seq} is not the event this kiosk saw there: another copy of the ledger was put in its place"
                    ),
                })
            }
            Some(_) => None,
        }
    }
}

fn wal_path_of(path: &Path, conn: &Connection) -> PathBuf {
    let main = conn
        .path()
        .filter(|name| !name.is_empty())
        .map_or_else(|| path.to_path_buf(), PathBuf::from);
    let mut name = main.into_os_string();
    name.push("-wal");
    PathBuf::from(name)
}

/// The WAL was deleted under an open connection: SQLite still writes to it through its open
/// handle, and everything in it since the last checkpoint would vanish at the next crash. Ends
/// the refused transaction by hand (so the same connection can act) and copies the orphaned
/// log into the ledger file with a checkpoint; says how that went.
fn rescue_orphaned_wal(tx: Transaction<'_>) -> String {
    // `Transaction`'s drop does nothing once the connection is back in autocommit mode.
    if tx.execute_batch("ROLLBACK").is_err() {
        return "what was recorded since the last save could not be copied into the ledger file"
            .to_owned();
    }
    let outcome = tx.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, i64>(2)?,
        ))
    });
    match outcome {
        Ok((0, log_frames, copied)) if copied >= log_frames => {
            "everything recorded before it was copied into the ledger file".to_owned()
        }
        Ok(_) | Err(_) => {
            "what was recorded since the last save could not all be copied into the ledger file: keep the kiosk running and call support"
                .to_owned()
        }
    }
}
