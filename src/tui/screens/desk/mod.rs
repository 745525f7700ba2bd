//! The manager's desk: managers only, PIN-verified on entry, and every act that changes staff,
//! imports parcels or quits confirmed with the manager's PIN again at that moment.
//!
//! `keys.rs` turns keys into page changes and acts, `acts.rs` performs the acts once the PIN
//! passes, `render.rs` draws the pages.

pub mod link;
mod render;
pub mod shelf_check;
pub mod words;

pub use render::render;

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::correction::CorrectionReason;
use crate::domain::custody::{EventKind, ParcelStatus};
use crate::domain::expected::ExpectedParcel;
use crate::domain::ids::{StaffId, TrackingId};
use crate::domain::pin::{NewPinHash, Pin};
use crate::domain::report::DayReport;
use crate::domain::staff::{Role, StaffMember};
use crate::i18n::Lang;
use crate::t;
use crate::tui::screens::signin::role_name;
use crate::tui::widgets::scan_field::ScanField;
use crate::tui::worker::ExportDone;

#[derive(Debug, Clone)]
pub struct NewStaffForm {
    pub name: ScanField,
    pub role: Role,
    /// The language the counter will speak to them (F4 switches it).
    pub lang: Lang,
    pub pin: Pin,
    pub repeat: Pin,
    /// 0 name, 1 PIN, 2 PIN again.
    pub field: u8,
    /// `Some` when resetting this member's PIN rather than adding someone.
    pub reset_for: Option<StaffId>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShelfCheck {
    pub scan: ScanField,
    pub current_bin: String,
    /// Every shelf whose label was scanned, in the order scanned: only these are judged (a
    /// parcel recorded on a shelf nobody checked is not missing, just not checked).
    pub shelves: Vec<String>,
    pub scanned: Vec<(TrackingId, String)>,
    pub report: Vec<String>,
    /// Every parcel on record on the shelves checked was found in place: the report is good
    /// news (said in words too, never by colour alone).
    pub all_found: bool,
}

/// The correction page: a parcel scanned or typed, its records, the one chosen and the reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorrectionForm {
    pub scan: ScanField,
    pub target: Option<CorrectionTarget>,
    /// Index into [`CorrectionReason::ALL`].
    pub reason: usize,
}

impl CorrectionForm {
    pub fn reason(&self) -> CorrectionReason {
        CorrectionReason::ALL[self.reason % CorrectionReason::ALL.len()]
    }
}

/// A parcel being corrected: where it stands and every custody record that named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionTarget {
    pub tracking_id: TrackingId,
    pub status: ParcelStatus,
    pub shelf: String,
    /// The parcel's latest custody record: the only one a correction may undo.
    pub latest: u64,
    /// Oldest first.
    pub records: Vec<RecordLine>,
    pub selected: usize,
}

impl CorrectionTarget {
    /// The record chosen, when it is one a correction may undo.
    pub fn chosen(&self) -> Option<&RecordLine> {
        self.records.get(self.selected)
    }
}

/// One record of a parcel's history as the correction page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordLine {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub by: String,
    /// For a correction, the event it undid.
    pub corrects: Option<u64>,
}

#[derive(Debug, Clone)]
pub enum DeskPage {
    /// The manager's PIN to enter.
    Entry,
    Menu,
    Staff,
    StaffForm(NewStaffForm),
    Import(ScanField),
    Store,
    ShelfCheck(ShelfCheck),
    /// The end-of-day report of a day, computed on the worker.
    Report {
        day: NaiveDate,
        job: u64,
        /// The report's figures, worded in the reader's language when drawn; or why it could
        /// not be made.
        text: Option<Result<Box<DayReport>, String>>,
        /// The first line shown (see [`report_top`]).
        scroll: usize,
    },
    /// Correcting a mistaken record of one parcel.
    Correct(CorrectionForm),
    /// The live link: what waits for head office and its last receipts.
    Link(Box<link::LinkPage>),
    /// A day's export, running on the worker with progress.
    Export {
        day: NaiveDate,
        job: Option<u64>,
        progress: (u64, u64),
        result: Option<Result<ExportDone, String>>,
        /// Set by a first Enter that needs the manager's second look (the day is not over, or
        /// it was exported before); a second Enter exports as shown.
        plan: Option<ExportPlan>,
    },
}

/// The report's lines the desk shows at 80x24 (its body there): scrolling stops once the last
/// line is on such a screen, so ↑ moves at once after End.
pub const REPORT_VIEW_LINES: usize = 17;

/// The furthest the report scrolls: its last line at the bottom of an 80x24 screen.
pub fn report_scroll_limit(lines: usize) -> usize {
    lines.saturating_sub(REPORT_VIEW_LINES)
}

/// The first line drawn in `height` rows: what was scrolled to, but never leaving rows empty
/// below the last line on a taller screen.
pub fn report_top(scroll: usize, lines: usize, height: usize) -> usize {
    scroll.min(lines.saturating_sub(height))
}

/// Where an export will go and what its manifest will say, shown before a second Enter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportPlan {
    pub folder: PathBuf,
    /// The day has ended (store time).
    pub complete: bool,
    /// An earlier export of the day holds the usual folder; `folder` is a fresh sibling.
    pub repeated: bool,
}

impl ExportPlan {
    /// Whether the manager must see this before it runs.
    pub fn needs_a_look(&self) -> bool {
        !self.complete || self.repeated
    }
}

/// An act waiting for the manager's PIN.
#[derive(Debug, Clone)]
pub enum DeskAct {
    AddStaff {
        name: String,
        role: Role,
        lang: Lang,
        hash: NewPinHash,
    },
    /// The language the counter speaks to a member from their next sign-in.
    SetLang {
        id: StaffId,
        lang: Lang,
    },
    ResetPin {
        id: StaffId,
        hash: NewPinHash,
    },
    Disable(StaffId),
    Unlock(StaffId),
    Import {
        source: String,
        parcels: Vec<ExpectedParcel>,
    },
    /// Undo record `seq` (of kind `kind`) of the parcel, for `reason`.
    Correct {
        tracking_id: TrackingId,
        seq: u64,
        kind: EventKind,
        reason: CorrectionReason,
    },
    Quit,
}

impl PartialEq for DeskAct {
    fn eq(&self, other: &Self) -> bool {
        self.describe() == other.describe()
    }
}
impl Eq for DeskAct {}

impl DeskAct {
    /// The act in English words: what tells two acts apart (and the logs).
    pub fn describe(&self) -> String {
        match self {
            DeskAct::AddStaff { name, role, .. } => format!("add {name} as {role}"),
            DeskAct::SetLang { id, lang } => format!("set the language of staff {id} to {lang}"),
            DeskAct::ResetPin { id, .. } => format!("set a new PIN for staff {id}"),
            DeskAct::Disable(id) => format!("disable staff {id}"),
            DeskAct::Unlock(id) => format!("clear the lockout of staff {id}"),
            DeskAct::Import { source, parcels } => {
                t!(
                    Lang::En,
                    "desk-act-import",
                    count = parcels.len(),
                    source = source.as_str()
                )
            }
            DeskAct::Correct {
                tracking_id, seq, ..
            } => format!("correct event {seq} of {tracking_id}"),
            DeskAct::Quit => "quit the kiosk".to_owned(),
        }
    }

    /// The act as the manager reads it before typing their PIN ("add Bo as clerk").
    pub fn describe_in(&self, lang: Lang) -> String {
        match self {
            DeskAct::AddStaff { name, role, .. } => t!(
                lang,
                "desk-act-add",
                name = name.as_str(),
                role = role_name(lang, *role)
            ),
            DeskAct::SetLang { id, lang: chosen } => t!(
                lang,
                "desk-act-set-lang",
                id = id.0,
                language = chosen.name()
            ),
            DeskAct::ResetPin { id, .. } => t!(lang, "desk-act-reset-pin", id = id.0),
            DeskAct::Disable(id) => t!(lang, "desk-act-disable", id = id.0),
            DeskAct::Unlock(id) => t!(lang, "desk-act-unlock", id = id.0),
            DeskAct::Import { source, parcels } => t!(
                lang,
                "desk-act-import",
                count = parcels.len(),
                source = source.as_str()
            ),
            DeskAct::Correct {
                tracking_id, seq, ..
            } => t!(
                lang,
                "desk-act-correct",
                seq = *seq,
                id = tracking_id.to_string()
            ),
            DeskAct::Quit => t!(lang, "desk-act-quit"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ManagerDesk {
    pub page: DeskPage,
    pub staff: Vec<StaffMember>,
    pub selected: usize,
    /// The act the manager's PIN will confirm, with the PIN being typed.
    pub confirming: Option<(DeskAct, Pin)>,
}

/// What a staff form asks for once its new PIN is hashed: carried with the hashing job.
#[derive(Debug, Clone)]
pub struct StaffFormIntent {
    /// `Some` when resetting this member's PIN rather than adding someone.
    pub reset_for: Option<StaffId>,
    pub name: String,
    pub role: Role,
    pub lang: Lang,
}

pub fn keys(desk: &ManagerDesk, lang: Lang) -> String {
    if desk.confirming.is_some() {
        return t!(lang, "desk-keys-confirm");
    }
    match &desk.page {
        DeskPage::Entry => t!(lang, "desk-keys-entry"),
        DeskPage::Menu => t!(lang, "desk-keys-menu"),
        DeskPage::Staff => t!(lang, "desk-keys-staff"),
        DeskPage::StaffForm(_) => t!(lang, "desk-keys-staff-form"),
        DeskPage::Import(_) => t!(lang, "desk-keys-import"),
        DeskPage::Store | DeskPage::Link(_) => t!(lang, "desk-keys-back"),
        DeskPage::ShelfCheck(_) => t!(lang, "desk-keys-shelf-check"),
        DeskPage::Report { .. } => t!(lang, "desk-keys-report"),
        DeskPage::Correct(form) if form.target.is_some() => t!(lang, "desk-keys-correct-chosen"),
        DeskPage::Correct(_) => t!(lang, "desk-keys-correct"),
        DeskPage::Export { job: Some(_), .. } => t!(lang, "desk-keys-exporting"),
        DeskPage::Export { plan: Some(_), .. } => t!(lang, "desk-keys-export-anyway"),
        DeskPage::Export { .. } => t!(lang, "desk-keys-export"),
    }
}
