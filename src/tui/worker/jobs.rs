//! What the worker is asked to do and what it reports. Kept apart from the lanes and runners
//! so the event channel can carry results without knowing how they are made.

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};

use super::lanes::Lane;
use crate::config::KioskConfig;
use crate::domain::pin::{NewPinHash, Pin, PinPolicy};
use crate::domain::report::DayReport;
use crate::domain::signing::StorePublicKey;
use crate::i18n::Lang;
use crate::print::{PrintError, Slip};
use crate::store::{PinCheck, PinCheckOutcome};

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
        /// The manager's language, for what went wrong.
        lang: Lang,
    },
    /// Exports a store day (CSV + JSON + manifest) into `folder`, which must not exist,
    /// reporting progress as it goes.
    Export {
        job: u64,
        config: Box<KioskConfig>,
        day: NaiveDate,
        now: DateTime<Utc>,
        folder: PathBuf,
        /// The manager's language, for what went wrong.
        lang: Lang,
    },
    /// Recomputes the whole chain on a connection of its own, so the UI never waits for it.
    VerifyLedger {
        job: u64,
        path: PathBuf,
        store_id: String,
        public_key: StorePublicKey,
    },
    /// Sends a slip to the printer the worker was given, after its record has committed.
    Print {
        job: u64,
        slip: Box<Slip>,
    },
}

/// A finished export, as facts: the desk words them in the manager's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportDone {
    /// Events written.
    pub events: u64,
    /// The export's folder.
    pub folder: PathBuf,
    /// The key its manifest is signed with.
    pub key_id: String,
    /// False when the day was not over: the manifest says `"complete": false`.
    pub complete: bool,
}

/// Why the ledger view's chain check failed, as facts: the ledger view words it. `fault` and
/// `what` are the check's own words (the store's), shown as it said them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainFailure {
    /// The chain breaks at this event.
    AtEvent { seq: u64, fault: String },
    /// A derived table was edited: which table, row and field.
    Edited { what: String },
    /// A checkpoint or the file's integrity, as the check says it.
    Other(String),
}

impl std::fmt::Display for ChainFailure {
    /// In English, for the logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainFailure::AtEvent { seq, fault } => write!(f, "at event {seq}: {fault}"),
            ChainFailure::Edited { what } => write!(f, "{what} edited"),
            ChainFailure::Other(problem) => f.write_str(problem),
        }
    }
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
        outcome: Result<Box<DayReport>, String>,
    },
    ExportProgress {
        job: u64,
        done: u64,
        total: u64,
    },
    Exported {
        job: u64,
        outcome: Result<ExportDone, String>,
    },
    /// The number of events verified, or what is wrong.
    Verified {
        job: u64,
        outcome: Result<u64, ChainFailure>,
    },
    /// The slip printed, or why not. The record it belongs to stands either way.
    Printed {
        job: u64,
        outcome: Result<(), PrintError>,
    },
}

impl Job {
    /// The lane a job runs in: PIN work has someone standing at the counter waiting for it.
    pub fn lane(&self) -> Lane {
        match self {
            Job::CheckPin { .. } | Job::HashNewPin { .. } => Lane::Pin,
            Job::Report { .. } | Job::Export { .. } | Job::VerifyLedger { .. } => Lane::Background,
            Job::Print { .. } => Lane::Printer,
        }
    }

    /// Whether two jobs are of one kind: a newer one stands in for an older one queued in the
    /// background lane. The app waits only for the newest job of each kind (the ledger view's
    /// check, the desk's report or export page), so the older one's result would be dropped.
    pub fn same_kind(&self, other: &Job) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

impl JobResult {
    pub fn job(&self) -> u64 {
        match self {
            JobResult::PinChecked { job, .. }
            | JobResult::NewPinHashed { job, .. }
            | JobResult::Verified { job, .. }
            | JobResult::Reported { job, .. }
            | JobResult::ExportProgress { job, .. }
            | JobResult::Exported { job, .. }
            | JobResult::Printed { job, .. } => *job,
        }
    }
}
