//! Slow work off the UI thread: argon2 PIN checks and PIN hashing (~0.1-0.3 s each). Results come
//! back on the event channel tagged with their job number; the app ignores any that are stale.

use std::sync::Arc;
use std::sync::mpsc::{self, Sender};
use std::thread;

use super::event::Event;
use crate::domain::pin::{NewPinHash, Pin, PinHasher, PinPolicy};
use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};

use crate::config::KioskConfig;
use crate::domain::signing::StorePublicKey;
use crate::store::{FileCheck, OpenMode, PinCheck, PinCheckOutcome, Store};

#[derive(Debug)]
pub enum Job {
    CheckPin {
        job: u64,
        check: PinCheck,
        pin: Pin,
    },
    HashNewPin {
        job: u64,
        pin: Pin,
        policy: PinPolicy,
    },
    /// The end-of-day report for a store day.
    Report {
        job: u64,
        config: Box<KioskConfig>,
        day: NaiveDate,
    },
    /// Exports a store day (CSV + JSON + manifest), reporting progress as it goes.
    Export {
        job: u64,
        config: Box<KioskConfig>,
        day: NaiveDate,
        now: DateTime<Utc>,
    },
    /// Recomputes the whole chain on a connection of its own, so the UI never waits for it.
    VerifyLedger {
        job: u64,
        path: PathBuf,
        store_id: String,
        public_key: StorePublicKey,
    },
}

#[derive(Debug)]
pub enum JobResult {
    PinChecked {
        job: u64,
        outcome: PinCheckOutcome,
    },
    NewPinHashed {
        job: u64,
        hash: Result<NewPinHash, String>,
    },
    Reported {
        job: u64,
        outcome: Result<String, String>,
    },
    ExportProgress {
        job: u64,
        done: u64,
        total: u64,
    },
    Exported {
        job: u64,
        outcome: Result<String, String>,
    },
    /// The number of events verified, or what is wrong.
    Verified {
        job: u64,
        outcome: Result<u64, String>,
    },
}

impl JobResult {
    pub fn job(&self) -> u64 {
        match self {
            JobResult::PinChecked { job, .. }
            | JobResult::NewPinHashed { job, .. }
            | JobResult::Verified { job, .. }
            | JobResult::Reported { job, .. }
            | JobResult::ExportProgress { job, .. }
            | JobResult::Exported { job, .. } => *job,
        }
    }
}

fn run(job: Job, hasher: &PinHasher, progress: &mut dyn FnMut(JobResult)) -> JobResult {
    match job {
        Job::Report { job, config, day } => JobResult::Reported {
            job,
            outcome: Store::open(&config.ledger.database, OpenMode::Existing)
                .and_then(|store| crate::report::report_from(&store, &config, day))
                .map(|report| report.to_text())
                .map_err(|e| e.to_string()),
        },
        Job::Export {
            job,
            config,
            day,
            now,
        } => JobResult::Exported {
            job,
            outcome: export_day(&config, day, now, &mut |done, total| {
                progress(JobResult::ExportProgress { job, done, total })
            }),
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

fn export_day(
    config: &KioskConfig,
    day: NaiveDate,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<String, String> {
    let kiosk = crate::service::Kiosk::open(config).map_err(|e| e.to_string())?;
    let formats = [
        crate::export::ExportFormat::Csv,
        crate::export::ExportFormat::Json,
    ];
    let outcome = crate::export::export_days(
        &kiosk,
        day,
        day,
        &formats,
        &config.ledger.export_dir,
        now,
        progress,
    )
    .map_err(|e| e.to_string())?;
    Ok(format!(
        "{} events exported to {} (manifest signed with key {})",
        outcome.body.event_count,
        outcome.folder.display(),
        outcome.body.key_id
    ))
}

fn verify_ledger(
    path: &std::path::Path,
    store_id: &str,
    key: &StorePublicKey,
) -> Result<u64, String> {
    let store = Store::open(path, OpenMode::Existing).map_err(|e| e.to_string())?;
    let report = store
        .verify(store_id, key, FileCheck::Full)
        .map_err(|e| e.to_string())?;
    if let Some(fault) = report.chain_fault {
        return Err(format!("at event {}: {fault}", fault.seq()));
    }
    if let Some(problem) = report.checkpoint_problems.first() {
        return Err(problem.clone());
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
        return Err(format!("{short} edited"));
    }
    if let Some(problem) = report.integrity_problems.first() {
        return Err(problem.clone());
    }
    Ok(report.events_checked)
}

/// Where jobs go: a real thread for the kiosk, or inline for screen tests that need every
/// result at once and in order.
pub enum Worker {
    Thread(Sender<Job>),
    Inline {
        hasher: Arc<PinHasher>,
        done: Vec<JobResult>,
    },
}

impl Worker {
    pub fn spawn(hasher: Arc<PinHasher>, events: Sender<Event>) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        thread::spawn(move || {
            for job in queue {
                let progress_events = events.clone();
                let mut progress = |result| {
                    let _ = progress_events.send(Event::Worker(result));
                };
                if events
                    .send(Event::Worker(run(job, &hasher, &mut progress)))
                    .is_err()
                {
                    return;
                }
            }
        });
        Worker::Thread(jobs)
    }

    pub fn inline(hasher: Arc<PinHasher>) -> Self {
        Worker::Inline {
            hasher,
            done: Vec::new(),
        }
    }

    /// Returns false when the worker thread has gone (the job is then reported as failed).
    pub fn submit(&mut self, job: Job) -> bool {
        match self {
            Worker::Thread(jobs) => jobs.send(job).is_ok(),
            Worker::Inline { hasher, done } => {
                let mut progress_seen = Vec::new();
                let result = run(job, hasher, &mut |update| progress_seen.push(update));
                done.extend(progress_seen);
                done.push(result);
                true
            }
        }
    }

    /// Results an inline worker has ready.
    pub fn take_inline_results(&mut self) -> Vec<JobResult> {
        match self {
            Worker::Thread(_) => Vec::new(),
            Worker::Inline { done, .. } => std::mem::take(done),
        }
    }
}
