//! Slow work off the UI thread: argon2 PIN checks and PIN hashing (~0.1-0.3 s each) in one lane,
//! the chain check, report and export in another, so a PIN check never waits behind a chain
//! check of a 10-year ledger. Results come back on the event channel tagged with their job
//! number; the app ignores any that are stale.

pub mod jobs;
mod lanes;

use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError};

pub use jobs::{ChainFailure, ExportDone, Job, JobResult};
pub use lanes::Lane;
use lanes::Lanes;

use super::event::Event;
use crate::domain::pin::PinHasher;

use chrono::{DateTime, NaiveDate, Utc};

use crate::config::KioskConfig;
use crate::domain::signing::StorePublicKey;
use crate::i18n::Lang;
use crate::print::{PrintError, PrintFailure, PrinterName, Slip, SlipPrinter};
use crate::store::{FileCheck, OpenMode, Store};
use crate::tui::reasons::store_error_text;

/// The printer the worker was given at start, if any. Only the printer lane uses it.
type SharedPrinter = Arc<Mutex<Option<Box<dyn SlipPrinter>>>>;

fn run(
    job: Job,
    hasher: &PinHasher,
    printer: &SharedPrinter,
    progress: &mut dyn FnMut(JobResult),
) -> JobResult {
    match job {
        Job::Print { job, slip } => JobResult::Printed {
            job,
            outcome: print_slip(printer, &slip),
        },
        Job::Report {
            job,
            config,
            day,
            lang,
        } => JobResult::Reported {
            job,
            outcome: Store::open(&config.ledger.database, OpenMode::Existing)
                .and_then(|store| crate::report::report_from(&store, &config, day))
                .map(Box::new)
                .map_err(|e| store_error_text(lang, &e)),
        },
        Job::Export {
            job,
            config,
            day,
            now,
            folder,
            lang,
        } => JobResult::Exported {
            job,
            outcome: export_day(&config, day, now, &folder, &mut |done, total| {
                progress(JobResult::ExportProgress { job, done, total })
            })
            .map_err(|failure| failure.words(lang)),
        },
        Job::CheckPin { job, check, pin } => JobResult::PinChecked {
            job,
            outcome: check.run(&pin, hasher),
        },
        Job::HashNewPin { job, pin, policy } => JobResult::NewPinHashed {
            job,
            hash: hasher
                .hash_new_pin(&pin, &policy)
                .map_err(|e| e.to_string()),
        },
        Job::VerifyLedger {
            job,
            path,
            store_id,
            public_key,
        } => JobResult::Verified {
            job,
            outcome: verify_ledger(&path, &store_id, &public_key),
        },
    }
}

fn print_slip(printer: &SharedPrinter, slip: &Slip) -> Result<(), PrintError> {
    // A printer that panicked midway is still the printer: the next slip may well go through.
    let mut printer = printer.lock().unwrap_or_else(PoisonError::into_inner);
    match printer.as_mut() {
        Some(printer) => printer.print(slip),
        // The app submits no print without a printer; said in words all the same.
        None => Err(PrintError {
            printer: PrinterName::None,
            reason: PrintFailure::NotSetUp,
        }),
    }
}

/// Why the desk's export was not made: opening the kiosk, or the export itself.
enum ExportFailure {
    Open(crate::setup::SetupError),
    Export(crate::export::ExportError),
}

impl ExportFailure {
    /// In the manager's words: the ledger's errors and the export's own in their language; a
    /// key file's or the system's words as they were said.
    fn words(&self, lang: Lang) -> String {
        use crate::export::ExportError;
        match self {
            ExportFailure::Open(crate::setup::SetupError::Store(error))
            | ExportFailure::Export(ExportError::Store(error)) => store_error_text(lang, error),
            ExportFailure::Export(ExportError::Exists(path)) => crate::t!(
                lang,
                "error-export-exists",
                path = path.display().to_string()
            ),
            ExportFailure::Export(ExportError::Io { path, source }) => crate::t!(
                lang,
                "error-export-not-written",
                path = path.display().to_string(),
                detail = source.to_string()
            ),
            ExportFailure::Open(other) => other.to_string(),
            ExportFailure::Export(other) => other.to_string(),
        }
    }
}

fn export_day(
    config: &KioskConfig,
    day: NaiveDate,
    now: DateTime<Utc>,
    folder: &std::path::Path,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ExportDone, ExportFailure> {
    let kiosk = crate::service::Kiosk::open(config).map_err(ExportFailure::Open)?;
    let formats = [
        crate::export::ExportFormat::Csv,
        crate::export::ExportFormat::Json,
    ];
    let outcome =
        crate::export::export_days_into(&kiosk, day, day, &formats, folder, now, progress)
            .map_err(ExportFailure::Export)?;
    Ok(ExportDone {
        events: outcome.body.event_count,
        folder: outcome.folder,
        key_id: outcome.body.key_id,
        complete: outcome.body.complete != Some(false),
    })
}

fn verify_ledger(
    path: &std::path::Path,
    store_id: &str,
    key: &StorePublicKey,
) -> Result<u64, ChainFailure> {
    let store =
        Store::open(path, OpenMode::Existing).map_err(|e| ChainFailure::Other(e.to_string()))?;
    let report = store
        .verify(store_id, key, FileCheck::Full)
        .map_err(|e| ChainFailure::Other(e.to_string()))?;
    if let Some(fault) = report.chain_fault {
        return Err(ChainFailure::AtEvent {
            seq: fault.seq(),
            fault: fault.to_string(),
        });
    }
    if let Some(problem) = report.checkpoint_problems.first() {
        return Err(ChainFailure::Other(problem.clone()));
    }
    if let Some(problem) = report.derived_problems.first() {
        // The table, row and field fit the 80-column status line; `kiosk verify` says the rest.
        let short = problem
            .split(": the table says")
            .next()
            .and_then(|head| head.split(" (").next())
            .unwrap_or(problem)
            .replacen(": row ", " row ", 1)
            .replacen(", field ", ", ", 1);
        return Err(ChainFailure::Edited { what: short });
    }
    if let Some(problem) = report.integrity_problems.first() {
        return Err(ChainFailure::Other(problem.clone()));
    }
    Ok(report.events_checked)
}

/// Where jobs go: three threads for the kiosk, or inline for screen tests that need every
/// result at once and in order.
pub enum Worker {
    /// The PIN, background and printer lanes; their threads end when this is dropped.
    Thread { lanes: Lanes<Job>, prints: bool },
    Inline {
        hasher: Arc<PinHasher>,
        printer: SharedPrinter,
        prints: bool,
        done: Vec<JobResult>,
    },
}

impl Worker {
    pub fn spawn(hasher: Arc<PinHasher>, events: Sender<Event>) -> Self {
        Self::spawn_with_printer(hasher, events, None)
    }

    /// With `printer` (from `[printer]` in kiosk.toml), slips print after their records commit;
    /// with none, nothing prints and nothing is said about it.
    pub fn spawn_with_printer(
        hasher: Arc<PinHasher>,
        events: Sender<Event>,
        printer: Option<Box<dyn SlipPrinter>>,
    ) -> Self {
        let prints = printer.is_some();
        let printer: SharedPrinter = Arc::new(Mutex::new(printer));
        let runner = move |job: Job| {
            let mut progress = |result| {
                let _ = events.send(Event::Worker(result));
            };
            // Once the app's loop has gone, the lane stops instead of running jobs for nobody.
            events
                .send(Event::Worker(run(job, &hasher, &printer, &mut progress)))
                .is_ok()
        };
        Worker::Thread {
            lanes: Lanes::spawn(Job::lane, Job::same_kind, runner),
            prints,
        }
    }

    pub fn inline(hasher: Arc<PinHasher>) -> Self {
        Self::inline_with_printer(hasher, None)
    }

    pub fn inline_with_printer(
        hasher: Arc<PinHasher>,
        printer: Option<Box<dyn SlipPrinter>>,
    ) -> Self {
        Worker::Inline {
            hasher,
            prints: printer.is_some(),
            printer: Arc::new(Mutex::new(printer)),
            done: Vec::new(),
        }
    }

    /// Whether a printer was given: without one, no print job is ever submitted.
    pub fn prints(&self) -> bool {
        match self {
            Worker::Thread { prints, .. } | Worker::Inline { prints, .. } => *prints,
        }
    }

    /// Returns false when the job's lane has gone (the job is then reported as failed).
    pub fn submit(&mut self, job: Job) -> bool {
        match self {
            Worker::Thread { lanes, .. } => lanes.submit(job),
            Worker::Inline {
                hasher,
                printer,
                done,
                ..
            } => {
                let mut progress_seen = Vec::new();
                let result = run(job, hasher, printer, &mut |update| {
                    progress_seen.push(update)
                });
                done.extend(progress_seen);
                done.push(result);
                true
            }
        }
    }

    /// Results an inline worker has ready.
    pub fn take_inline_results(&mut self) -> Vec<JobResult> {
        match self {
            Worker::Thread { .. } => Vec::new(),
            Worker::Inline { done, .. } => std::mem::take(done),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DEFAULT_CONFIG_TEXT;
    use crate::domain::pin::{HashCost, Pin, PinPolicy};
    use crate::store::StoreError;
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::time::Duration;

    /// Only a bound on how long a broken worker may hang a test.
    const PATIENCE: Duration = Duration::from_secs(60);

    fn config() -> Box<KioskConfig> {
        Box::new(
            KioskConfig::parse(
                DEFAULT_CONFIG_TEXT,
                std::path::Path::new("/srv/kiosk/kiosk.toml"),
            )
            .unwrap(),
        )
    }

    fn hash_job(job: u64) -> Job {
        Job::HashNewPin {
            job,
            pin: Pin::new("482913"),
            policy: PinPolicy { min_length: 4 },
        }
    }

    fn cheap_hasher() -> Arc<PinHasher> {
        let cost = HashCost {
            memory_kib: HashCost::MIN_MEMORY_KIB,
            iterations: HashCost::MIN_ITERATIONS,
            parallelism: 1,
        };
        Arc::new(PinHasher::new(b"test pepper", cost).unwrap())
    }

    /// The desk's report and export that fail say why in the manager's language.
    #[test]
    fn a_failed_report_or_export_is_said_in_the_managers_language() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = config();
        config.ledger.database = dir.path().join("no-ledger.sqlite3");
        let missing = StoreError::NotFound(config.ledger.database.clone());
        let printer: SharedPrinter = Arc::new(Mutex::new(None));
        let hasher = cheap_hasher();
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let report = Job::Report {
            job: 1,
            config: config.clone(),
            day,
            lang: Lang::Es,
        };
        let JobResult::Reported { outcome, .. } = run(report, &hasher, &printer, &mut |_| {})
        else {
            panic!("a report job gives a report result");
        };
        assert_eq!(outcome.err(), Some(store_error_text(Lang::Es, &missing)));
        let export = Job::Export {
            job: 2,
            config,
            day,
            now: Utc::now(),
            folder: dir.path().join("exports").join("day"),
            lang: Lang::Es,
        };
        let JobResult::Exported { outcome, .. } = run(export, &hasher, &printer, &mut |_| {})
        else {
            panic!("an export job gives an export result");
        };
        assert_eq!(outcome.err(), Some(store_error_text(Lang::Es, &missing)));
        assert_ne!(
            store_error_text(Lang::Es, &missing),
            missing.to_string(),
            "the Spanish is not the English"
        );
        let exists =
            ExportFailure::Export(crate::export::ExportError::Exists(dir.path().to_path_buf()));
        assert!(
            exists
                .words(Lang::Es)
                .starts_with("ya hay una exportación en"),
            "{}",
            exists.words(Lang::Es)
        );
        assert_eq!(
            exists.words(Lang::En),
            crate::export::ExportError::Exists(dir.path().to_path_buf()).to_string(),
            "English as the command line says it"
        );
    }

    #[test]
    fn pin_work_runs_in_the_pin_lane_and_the_rest_in_the_background() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let report = Job::Report {
            job: 2,
            config: config(),
            day,
            lang: Lang::En,
        };
        let export = Job::Export {
            job: 3,
            config: config(),
            day,
            now: Utc::now(),
            folder: std::path::PathBuf::from("exports"),
            lang: Lang::Es,
        };
        assert_eq!(hash_job(1).lane(), Lane::Pin);
        assert_eq!(report.lane(), Lane::Background);
        assert_eq!(export.lane(), Lane::Background);
        assert!(report.same_kind(&Job::Report {
            job: 4,
            config: config(),
            day,
            lang: Lang::Es,
        }));
        assert!(!report.same_kind(&export));
    }

    #[test]
    fn the_spawned_worker_reports_on_the_event_channel_and_ends_when_dropped() {
        let (events, results) = mpsc::channel();
        let mut worker = Worker::spawn(cheap_hasher(), events);
        let missing = std::env::temp_dir().join("no-such-kiosk-ledger/ledger.sqlite3");
        let key = crate::domain::signing::StoreKey::generate()
            .unwrap()
            .public();
        assert!(worker.submit(Job::VerifyLedger {
            job: 1,
            path: missing,
            store_id: "S1".into(),
            public_key: key,
        }));
        assert!(worker.submit(hash_job(2)));
        let mut seen = Vec::new();
        for _ in 0..2 {
            match results.recv_timeout(PATIENCE) {
                Ok(Event::Worker(JobResult::Verified { job, outcome })) => {
                    assert!(outcome.is_err(), "no ledger there");
                    seen.push(job);
                }
                Ok(Event::Worker(JobResult::NewPinHashed { job, hash })) => {
                    assert!(hash.is_ok(), "{hash:?}");
                    seen.push(job);
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        seen.sort_unstable();
        assert_eq!(seen, [1, 2]);
        drop(worker);
        // Both lanes' threads held the only other senders.
        assert!(matches!(
            results.recv_timeout(PATIENCE),
            Err(RecvTimeoutError::Disconnected)
        ));
    }
}
