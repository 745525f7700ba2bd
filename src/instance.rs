//! One counter kiosk per ledger. The kiosk holds an exclusive OS lock on a file beside the
//! ledger for as long as it runs (the OS drops it when the process ends, even after kill -9);
//! a second kiosk is refused with the first one's pid. Admin commands (verify, backup, export)
//! take no such lock: SQLite's own locking keeps them consistent beside a running kiosk.
//!
//! The lock belongs to the ledger file, not to the name it was reached by: the lock file is
//! named after the file's device and inode and lies in the folder the file really is in
//! (symlinks resolved). A symlink, or a second name in the same folder, reaches the same lock.
//! A hard link elsewhere would not, so the store refuses to write a ledger with more than one
//! name at all (`StoreError::HardLinked`).
//!
//! Why not lock the database file itself? SQLite holds POSIX (`fcntl`) locks on it, and POSIX
//! locks belong to the process and inode: closing *any* descriptor of the file drops all of
//! them. An extra descriptor for `flock` (a separate lock kind on Linux, so it would not clash)
//! would have to outlive every connection in the process, or the next close would silently
//! release SQLite's locks, and a closing admin connection could then delete the live WAL.
//! A separate lock file has no such trap.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum InstanceError {
    #[error(
        "another kiosk is already running on this ledger ({holder}); only one counter screen may use a ledger. Admin commands such as `kiosk verify` and `kiosk backup` still work beside it"
    )]
    AlreadyRunning { holder: String },
    #[error("cannot use the lock file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Held while the kiosk runs; dropping it (or the process ending) releases the ledger.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    pub path: PathBuf,
}

/// The lock file for the ledger at `ledger`: named after the file's identity in its real
/// folder; for a ledger not yet created, after its name.
pub fn lock_path(ledger: &Path) -> PathBuf {
    if let (Ok(real), Ok((identity, _))) = (
        std::fs::canonicalize(ledger),
        crate::store::identify_file(ledger),
    ) && let Some(folder) = real.parent()
    {
        return folder.join(format!(
            ".kiosk-lock.{}.{}",
            identity.device, identity.inode
        ));
    }
    let mut name = ledger
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".kiosk-lock");
    ledger.with_file_name(name)
}

impl InstanceLock {
    pub fn acquire(
        ledger: &Path,
        now: chrono::DateTime<chrono::Utc>,
        zone: chrono_tz::Tz,
    ) -> Result<Self, InstanceError> {
        let path = lock_path(ledger);
        let io = |source| InstanceError::Io {
            path: path.clone(),
            source,
        };
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&path).map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim().chars().take(120).collect::<String>();
                return Err(InstanceError::AlreadyRunning {
                    holder: if holder.is_empty() {
                        "pid unknown".to_owned()
                    } else {
                        holder
                    },
                });
            }
            Err(TryLockError::Error(source)) => return Err(io(source)),
        }
        // Say who holds it, for the message a second kiosk prints.
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        write!(
            file,
            "pid {}, started {}",
            std::process::id(),
            crate::domain::store_time::for_people(now, &zone)
        )
        .map_err(io)?;
        file.flush().map_err(io)?;
        Ok(Self { _file: file, path })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_with_the_holder_and_freed_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("ledger.sqlite3");
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let first = InstanceLock::acquire(&ledger, now, chrono_tz::UTC).unwrap();
        let second = InstanceLock::acquire(&ledger, now, chrono_tz::UTC).unwrap_err();
        assert!(
            second
                .to_string()
                .contains(&format!("pid {}", std::process::id())),
            "{second}"
        );
        drop(first);
        assert!(InstanceLock::acquire(&ledger, now, chrono_tz::UTC).is_ok());
    }
}
