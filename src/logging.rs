//! The kiosk's log: a file per day under `<ledger folder>/logs` (kept 30 days), never the
//! terminal while the counter screen is up. The folder is 0700, so the files are the kiosk
//! user's alone. What is logged is chosen to carry no secret: staff numbers, event numbers,
//! kinds and counts, never a PIN, a pickup code or the pepper.

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};

pub const KEEP_DAYS: usize = 30;

pub fn log_folder(ledger: &Path) -> PathBuf {
    ledger
        .parent()
        .map_or_else(|| PathBuf::from("logs"), |folder| folder.join("logs"))
}

/// Starts logging to files; the guard flushes them when dropped. A log that cannot be opened
/// does not stop the counter (the ledger is the record; the log is for diagnosis).
pub fn start(ledger: &Path) -> Option<WorkerGuard> {
    let folder = log_folder(ledger);
    crate::secrets::create_private_dir(&folder).ok()?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("kiosk")
        .filename_suffix("log")
        .max_log_files(KEEP_DAYS)
        .build(&folder)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let subscriber = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_target(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).ok()?;
    Some(guard)
}
