//! `kiosk-hq load`: verify each export exactly as `kiosk verify-export` does (through the kiosk
//! library), under the store's registered key only, then load it with COPY in one transaction.
//!
//! Per store, head office holds a gapless prefix of the chain (events 1..loaded_seq). An export
//! that starts past it waits, with its files, until the gap is filled; one that overlaps it is
//! compared event by event (the chain hash covers each event's content and everything before
//! it), identical events are skipped and a difference is refused as conflicting evidence.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use handoff_kiosk::domain::export::{
    CarrierMemo, ExportedEvent, MANIFEST_FILE, TIME_FORMAT, sha256_hex,
};
use handoff_kiosk::domain::signing::StorePublicKey;
use handoff_kiosk::export::read_export_folder;
use handoff_kiosk::export_read::{VerifiedExport, read_manifest, verify_and_read_export};
use postgres::Client;
use postgres::{Statement, Transaction};

use crate::copy_text::{EVENT_COLUMNS, PARCEL_COLUMNS, push_event_rows};
use crate::db::{DbError, ensure_month_partitions, month_start};
use crate::registry::registered_keys;

mod apply;
use apply::*;
mod received;
pub use received::load_export_bytes;

/// Set in tests only: the load stops (sleeps) inside the transaction of its Nth export, after
/// COPY and before COMMIT, so a test can SIGKILL it there and check nothing of it stays.
pub const STALL_ENV: &str = "KIOSK_HQ_TEST_STALL_IN_EXPORT";

/// Why an export was not loaded. Nothing of a refused export is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Unreadable(String),
    UnknownStore(String),
    /// Verification failed under the registered key: every problem found.
    Verification {
        key_id: String,
        problems: Vec<String>,
    },
    /// The export disagrees with what is loaded at `seq`.
    Conflict {
        seq: u64,
        loaded_hash: String,
        export_hash: String,
    },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Unreadable(reason) => write!(f, "unreadable: {reason}"),
            Refusal::UnknownStore(store) => write!(
                f,
                "store {store} is not registered (kiosk-hq store add --id {store} --pubkey FILE)"
            ),
            Refusal::Verification { key_id, problems } => write!(
                f,
                "failed verification under the registered key {key_id}: {}",
                problems.join("; ")
            ),
            Refusal::Conflict {
                seq,
                loaded_hash,
                export_hash,
            } => write!(
                f,
                "conflicting evidence at event {seq}: loaded hash {loaded_hash}, this export's hash {export_hash}"
            ),
        }
    }
}

/// What happened to one export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Loaded: `new_events` added, `overlapping` already held and identical.
    Loaded {
        new_events: u64,
        overlapping: u64,
    },
    /// The same export (same manifest bytes) was loaded before: nothing changed.
    AlreadyLoaded,
    /// The same export is already waiting for its gap.
    AlreadyWaiting,
    /// Kept, waiting for events `expected_seq..first_seq - 1` of the store.
    Waiting {
        expected_seq: u64,
        first_seq: u64,
    },
    Refused(Refusal),
}

/// One export's line in the summary.
#[derive(Debug, Clone)]
pub struct ExportResult {
    pub source: String,
    pub store_id: String,
    pub days: String,
    pub events: u64,
    pub outcome: Outcome,
}

#[derive(Debug, Default, Clone)]
pub struct LoadSummary {
    pub results: Vec<ExportResult>,
}

impl LoadSummary {
    pub fn count(&self, matches: impl Fn(&Outcome) -> bool) -> usize {
        self.results.iter().filter(|r| matches(&r.outcome)).count()
    }

    pub fn refused(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Refused(_)))
    }
}

/// Every export folder under `paths`: a path holding a manifest is an export; any other folder
/// is searched (a folder of folders from a USB stick or a file drop). Sorted by path.
pub fn find_export_folders(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let mut pending: Vec<PathBuf> = paths.to_vec();
    while let Some(path) = pending.pop() {
        if path.join(MANIFEST_FILE).is_file() {
            found.push(path);
            continue;
        }
        if !path.is_dir() {
            return Err(format!(
                "{} is neither an export folder nor a folder of them",
                path.display()
            ));
        }
        let entries =
            std::fs::read_dir(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let name = entry.file_name();
            // Half-written exports (`.NAME.partial`) and other hidden entries are not exports.
            if entry.path().is_dir() && !name.to_string_lossy().starts_with('.') {
                pending.push(entry.path());
            }
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

/// An export read from disk (or from the waiting table), before verification.
struct Received {
    source: String,
    manifest_bytes: Vec<u8>,
    manifest_sha256: String,
    store_id: String,
    key_id: String,
    days: String,
    first_seq: Option<u64>,
}

/// Reads only the manifest: enough to recognise an export already received, at O(1) cost.
fn receive(folder: &Path) -> Result<Received, (String, Refusal)> {
    let source = folder.display().to_string();
    let manifest_bytes = std::fs::read(folder.join(MANIFEST_FILE)).map_err(|e| {
        (
            source.clone(),
            Refusal::Unreadable(format!("cannot read {MANIFEST_FILE}: {e}")),
        )
    })?;
    let manifest =
        read_manifest(&manifest_bytes).map_err(|e| (source.clone(), Refusal::Unreadable(e)))?;
    let body = &manifest.body;
    Ok(Received {
        manifest_sha256: sha256_hex(&manifest_bytes),
        store_id: body.store_id.clone(),
        key_id: body.key_id.clone(),
        days: day_span(body.from_date, body.to_date),
        first_seq: body.first_seq,
        source,
        manifest_bytes,
    })
}

fn day_span(from: NaiveDate, to: NaiveDate) -> String {
    if from == to {
        from.to_string()
    } else {
        format!("{from}..{to}")
    }
}

/// The registered key to check an export against: the registered key it names by id, if the
/// store has one by that id (current or retired), else the store's current key. The key the
/// export carries is never used.
fn choose_key<'a>(
    keys: &'a [(String, StorePublicKey, bool)],
    key_id: &str,
) -> Option<&'a StorePublicKey> {
    keys.iter()
        .find(|(id, _, _)| id == key_id)
        .or_else(|| keys.iter().find(|(_, _, current)| *current))
        .map(|(_, key, _)| key)
}

/// An export refused before loading, with why (boxed: it is large and the rare case).
type Rejected = Box<(Received, Refusal)>;

/// A verified export with its raw files (kept if it must wait).
struct Checked {
    received: Received,
    files: BTreeMap<String, Vec<u8>>,
    verified: VerifiedExport,
    /// The COPY text of all its events, built ahead by the verifier thread.
    copy_rows: Option<CopyRows>,
    /// The months its events fall in, found ahead by the verifier thread.
    months: Option<BTreeSet<NaiveDate>>,
}

fn verify_received(
    received: Received,
    files: BTreeMap<String, Vec<u8>>,
    keys: &[(String, StorePublicKey, bool)],
) -> Result<Checked, Rejected> {
    let Some(key) = choose_key(keys, &received.key_id) else {
        let store = received.store_id.clone();
        return Err(Box::new((received, Refusal::UnknownStore(store))));
    };
    match verify_and_read_export(&received.manifest_bytes, &files, key) {
        Ok(verified) => Ok(Checked {
            received,
            files,
            verified,
            copy_rows: None,
            months: None,
        }),
        Err(problems) => Err(Box::new((
            received,
            Refusal::Verification {
                key_id: key.key_id(),
                problems,
            },
        ))),
    }
}

/// Progress on stderr: a bar redrawn in place on a terminal, nothing otherwise.
pub trait Progress {
    fn update(&mut self, done: usize, total: usize, events: u64);
    fn finish(&mut self) {}
}

pub struct NoProgress;
impl Progress for NoProgress {
    fn update(&mut self, _: usize, _: usize, _: u64) {}
}

pub struct TerminalBar {
    pub started: std::time::Instant,
}

impl Progress for TerminalBar {
    fn update(&mut self, done: usize, total: usize, events: u64) {
        let width = 30;
        let filled = (done * width).checked_div(total).unwrap_or(width);
        let seconds = self.started.elapsed().as_secs_f64();
        eprint!(
            "\r[{}{}] {done}/{total} exports, {events} events, {:.0} events/s ",
            "=".repeat(filled),
            " ".repeat(width - filled),
            if seconds > 0.0 {
                events as f64 / seconds
            } else {
                0.0
            }
        );
        let _ = std::io::stderr().flush();
    }

    fn finish(&mut self) {
        eprintln!();
    }
}

/// Loads every export folder in `folders` over one connection.
pub fn load_folders(
    client: &mut Client,
    folders: &[PathBuf],
    progress: &mut dyn Progress,
) -> Result<LoadSummary, DbError> {
    load_folders_on(&mut [client], folders, progress)
}

/// Loads every export folder in `folders`, the stores shared out over `clients` (one database
/// connection per worker, so the server loads on as many cores). Each store's exports go
/// through one worker, in chain order; verification runs on threads ahead of the database work.
pub fn load_folders_on(
    clients: &mut [&mut Client],
    folders: &[PathBuf],
    progress: &mut dyn Progress,
) -> Result<LoadSummary, DbError> {
    let Some(first) = clients.first_mut() else {
        return Err(DbError::Other("no database connection".to_owned()));
    };
    let client: &mut Client = first;
    let mut summary = LoadSummary::default();
    let mut fresh = Vec::new();
    for folder in folders {
        match receive(folder) {
            Ok(received) => fresh.push(received),
            Err((source, refusal)) => summary.results.push(ExportResult {
                source,
                store_id: String::new(),
                days: String::new(),
                events: 0,
                outcome: Outcome::Refused(refusal),
            }),
        }
    }
    // Exports already received are answered from one lookup, without reading their files.
    let known = known_exports(client, &fresh)?;
    let mut to_verify = Vec::new();
    for received in fresh {
        match known.get(&(received.store_id.clone(), received.manifest_sha256.clone())) {
            Some(state) => summary.results.push(ExportResult {
                source: received.source,
                store_id: received.store_id,
                days: received.days,
                events: 0,
                outcome: if state == "loaded" {
                    Outcome::AlreadyLoaded
                } else {
                    Outcome::AlreadyWaiting
                },
            }),
            None => to_verify.push(received),
        }
    }
    // Each store's exports in chain order, so a shuffled folder loads without waiting.
    to_verify.sort_by(|a, b| (&a.store_id, a.first_seq).cmp(&(&b.store_id, b.first_seq)));
    let stores: BTreeSet<String> = to_verify.iter().map(|r| r.store_id.clone()).collect();
    let mut keys: HashMap<String, Vec<(String, StorePublicKey, bool)>> = HashMap::new();
    for store in &stores {
        keys.insert(store.clone(), registered_keys(client, store)?);
    }
    let total = to_verify.len();
    // Stores dealt out to the workers in turn; a store's exports stay together and in order.
    let workers = clients.len();
    let worker_of: HashMap<&String, usize> = stores
        .iter()
        .enumerate()
        .map(|(index, store)| (store, index % workers))
        .collect();
    let mut shares: Vec<Vec<Received>> = (0..workers).map(|_| Vec::new()).collect();
    for received in to_verify {
        let worker = worker_of.get(&received.store_id).copied().unwrap_or(0);
        shares[worker].push(received);
    }
    let verifiers_each =
        (std::thread::available_parallelism().map_or(1, usize::from) / workers).clamp(1, 2);
    let stall_at: Option<usize> = std::env::var(STALL_ENV).ok().and_then(|n| n.parse().ok());
    let (report, reports) = std::sync::mpsc::channel::<Vec<ExportResult>>();
    let keys = &keys;
    let outcome = std::thread::scope(|scope| -> Result<(), DbError> {
        let mut handles = Vec::new();
        for (client, share) in clients.iter_mut().zip(shares) {
            let report = report.clone();
            let client: &mut Client = client;
            handles.push(scope.spawn(move || -> Result<(), DbError> {
                load_share(client, share, keys, verifiers_each, stall_at, &report)
            }));
        }
        drop(report);
        let (mut done, mut events_loaded) = (0, 0_u64);
        for results in reports {
            done += 1;
            for result in results {
                if let Outcome::Loaded { new_events, .. } = result.outcome {
                    events_loaded += new_events;
                }
                summary.results.push(result);
            }
            progress.update(done, total, events_loaded);
        }
        for handle in handles {
            handle
                .join()
                .map_err(|_| DbError::Other("a load worker stopped unexpectedly".to_owned()))??;
        }
        Ok(())
    });
    progress.finish();
    outcome?;
    Ok(summary)
}

/// One worker: verifies its exports on `verifiers` threads (results taken back in order) and
/// loads them over `client`, sending each export's results to `report`.
fn load_share(
    client: &mut Client,
    share: Vec<Received>,
    keys: &HashMap<String, Vec<(String, StorePublicKey, bool)>>,
    verifiers: usize,
    stall_at: Option<usize>,
    report: &std::sync::mpsc::Sender<Vec<ExportResult>>,
) -> Result<(), DbError> {
    load_session(client)?;
    let mut loader = Loader {
        statements: Statements::prepare(client)?,
        ensured_months: BTreeSet::new(),
        applied: 0,
        stall_at,
        noted: None,
    };
    let total = share.len();
    let mut queues: Vec<Vec<Received>> = (0..verifiers).map(|_| Vec::new()).collect();
    for (index, received) in share.into_iter().enumerate() {
        queues[index % verifiers].push(received);
    }
    std::thread::scope(|scope| -> Result<(), DbError> {
        let mut inboxes = Vec::new();
        for queue in queues {
            let (sender, inbox) = std::sync::mpsc::sync_channel::<Result<Checked, Rejected>>(4);
            inboxes.push(inbox);
            scope.spawn(move || {
                for received in queue {
                    if sender.send(read_and_verify(received, keys)).is_err() {
                        return;
                    }
                }
            });
        }
        for done in 0..total {
            let Ok(checked) = inboxes[done % verifiers].recv() else {
                return Err(DbError::Other(
                    "an export verifier stopped unexpectedly".to_owned(),
                ));
            };
            let results = match checked {
                Err(rejected) => {
                    let (received, refusal) = *rejected;
                    vec![ExportResult {
                        source: received.source,
                        store_id: received.store_id,
                        days: received.days,
                        events: 0,
                        outcome: Outcome::Refused(refusal),
                    }]
                }
                Ok(checked) => loader.apply_and_join(client, checked)?,
            };
            if report.send(results).is_err() {
                return Ok(());
            }
        }
        Ok(())
    })?;
    // Each export was committed without waiting for its WAL flush (see `load_session`); this
    // one synchronous commit flushes them all before anything is reported as loaded.
    flush_commits(client)
}

/// Reads an export folder and verifies it under its store's registered keys, and builds its
/// COPY rows (on the verifier thread, off the database thread).
fn read_and_verify(
    received: Received,
    keys: &HashMap<String, Vec<(String, StorePublicKey, bool)>>,
) -> Result<Checked, Rejected> {
    let folder = PathBuf::from(&received.source);
    match read_export_folder(&folder) {
        Err(reason) => Err(Box::new((received, Refusal::Unreadable(reason)))),
        Ok((manifest_bytes, _)) if manifest_bytes != received.manifest_bytes => Err(Box::new((
            received,
            Refusal::Unreadable("the manifest changed while it was being read".to_owned()),
        ))),
        Ok((_, files)) => {
            let store_keys = keys
                .get(&received.store_id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let mut checked = verify_received(received, files, store_keys)?;
            let all: Vec<&ExportedEvent> = checked.verified.events.iter().collect();
            checked.copy_rows = Some(copy_rows(
                &checked.received.store_id,
                &checked.verified.manifest_sha256,
                &all,
            ));
            checked.months = Some(event_months(&checked.verified.events));
            Ok(checked)
        }
    }
}

/// Per-export transactions commit without waiting for the WAL flush: a crash of the server
/// may then lose the last few, whole (never part of one), and they load again on the next run.
/// [`flush_commits`] makes them durable before the summary says "loaded".
fn load_session(client: &mut Client) -> Result<(), DbError> {
    client.batch_execute("SET synchronous_commit = off")?;
    Ok(())
}

/// One synchronous commit with a transaction id: it waits for the WAL to be flushed up to its
/// commit record, which covers every earlier asynchronous commit.
fn flush_commits(client: &mut Client) -> Result<(), DbError> {
    client.batch_execute("SET synchronous_commit = on")?;
    let mut tx = client.transaction()?;
    tx.query_one("SELECT pg_current_xact_id()::text", &[])?;
    tx.commit()?;
    Ok(())
}

fn known_exports(
    client: &mut Client,
    received: &[Received],
) -> Result<HashMap<(String, String), String>, DbError> {
    let stores: Vec<&str> = received.iter().map(|r| r.store_id.as_str()).collect();
    let hashes: Vec<Vec<u8>> = received
        .iter()
        .map(|r| hex::decode(&r.manifest_sha256).unwrap_or_default())
        .collect();
    let rows = client.query(
        "SELECT e.store_id, e.manifest_sha256, e.state
         FROM unnest($1::text[], $2::bytea[]) AS r (store_id, manifest_sha256)
         JOIN exports e USING (store_id, manifest_sha256)",
        &[&stores, &hashes],
    )?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let hash: Vec<u8> = row.get(1);
            ((row.get(0), hex::encode(hash)), row.get(2))
        })
        .collect())
}
