//! The manager's desk: managers only, PIN-verified on entry, and every act that changes staff,
//! imports parcels or quits confirmed with the manager's PIN again at that moment.

use std::io::Write;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};

use super::pin_line;
use crate::domain::expected::{ExpectedParcel, parse_expected_csv};
use crate::domain::ids::{StaffId, TrackingId};
use crate::domain::pin::{NewPinHash, Pin};
use crate::domain::staff::{PinProof, Role, StaffMember};
use crate::store::Actor;
use crate::tui::app::{App, Flash, Pending, PinKey, ScanField, Screen, edit_pin};
use crate::tui::text;
use chrono::NaiveDate;

use crate::tui::worker::{Job, JobResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaffForm {
    pub name: ScanField,
    pub role: Role,
    pub pin: Pin,
    pub repeat: Pin,
    /// 0 name, 1 PIN, 2 PIN again.
    pub field: u8,
    /// `Some` when resetting this member's PIN rather than adding someone.
    pub reset_for: Option<StaffId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShelfCheck {
    pub scan: ScanField,
    pub current_bin: String,
    pub scanned: Vec<(TrackingId, String)>,
    pub report: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
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
        text: Option<Result<String, String>>,
    },
    /// A day's export, running on the worker with progress.
    Export {
        day: NaiveDate,
        job: Option<u64>,
        progress: (u64, u64),
        result: Option<Result<String, String>>,
    },
}

/// An act waiting for the manager's PIN.
#[derive(Debug, Clone)]
pub enum DeskAct {
    AddStaff {
        name: String,
        role: Role,
        hash: NewPinHash,
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
    Quit,
}

impl PartialEq for DeskAct {
    fn eq(&self, other: &Self) -> bool {
        self.describe() == other.describe()
    }
}
impl Eq for DeskAct {}

impl DeskAct {
    pub fn describe(&self) -> String {
        match self {
            DeskAct::AddStaff { name, role, .. } => format!("add {name} as {role}"),
            DeskAct::ResetPin { id, .. } => format!("set a new PIN for staff {id}"),
            DeskAct::Disable(id) => format!("disable staff {id}"),
            DeskAct::Unlock(id) => format!("clear the lockout of staff {id}"),
            DeskAct::Import { source, parcels } => {
                format!("import {} announced parcels from {source}", parcels.len())
            }
            DeskAct::Quit => "quit the kiosk".to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagerDesk {
    pub page: DeskPage,
    pub staff: Vec<StaffMember>,
    pub selected: usize,
    /// The act the manager's PIN will confirm, with the PIN being typed.
    pub confirming: Option<(DeskAct, Pin)>,
}

impl App {
    pub(crate) fn open_manager_desk(&mut self) {
        if self
            .session
            .as_ref()
            .is_none_or(|session| session.role != Role::Manager)
        {
            self.flash = Some(Flash::alert(format!(
                "{} Only a manager can open the manager's desk.",
                text::SYMBOL_ALERT
            )));
            return;
        }
        self.screen = Screen::Manager(Box::new(ManagerDesk {
            page: DeskPage::Entry,
            staff: Vec::new(),
            selected: 0,
            confirming: None,
        }));
        self.flash = Some(Flash::ok("Manager's desk: your PIN, please."));
    }

    fn reload_desk_staff(&mut self) {
        let staff = self.kiosk.store.list_staff().unwrap_or_default();
        if let Screen::Manager(desk) = &mut self.screen {
            desk.selected = desk.selected.min(staff.len().saturating_sub(1));
            desk.staff = staff;
        }
    }

    pub(crate) fn manager_key(&mut self, key: KeyEvent) {
        let Screen::Manager(desk) = &mut self.screen else {
            return;
        };
        if let Some((_, pin)) = &mut desk.confirming {
            match edit_pin(pin, key.code) {
                PinKey::Submit(pin) => self.confirm_desk_act(pin),
                PinKey::Back => {
                    desk.confirming = None;
                    self.flash = Some(Flash::warn("Cancelled; nothing was changed."));
                }
                PinKey::Edited | PinKey::Other => {}
            }
            return;
        }
        let plain = |key: &KeyEvent| match key.code {
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => Some(c),
            _ => None,
        };
        match &mut desk.page {
            DeskPage::Entry => self.desk_entry_key(key),
            DeskPage::Menu => match key.code {
                KeyCode::Char('1') => {
                    desk.page = DeskPage::Staff;
                    self.reload_desk_staff();
                }
                KeyCode::Char('2') => desk.page = DeskPage::Import(ScanField::default()),
                KeyCode::Char('3') => desk.page = DeskPage::Store,
                KeyCode::Char('4') => {
                    desk.page = DeskPage::ShelfCheck(ShelfCheck {
                        scan: ScanField::default(),
                        current_bin: String::new(),
                        scanned: Vec::new(),
                        report: Vec::new(),
                    });
                    self.flash = Some(Flash::ok(
                        "Scan a shelf label (SHELF:A) then every parcel on it; Enter on empty when done.",
                    ));
                }
                KeyCode::Char('5') => desk.confirming = Some((DeskAct::Quit, Pin::default())),
                KeyCode::Char('6') => {
                    let day = self.kiosk.config.calendar.local_date(self.now());
                    self.show_report(day);
                }
                KeyCode::Char('7') => {
                    let day = self.kiosk.config.calendar.local_date(self.now());
                    if let Screen::Manager(desk) = &mut self.screen {
                        desk.page = DeskPage::Export {
                            day,
                            job: None,
                            progress: (0, 0),
                            result: None,
                        };
                    }
                }
                KeyCode::Esc => self.go_home(),
                _ => {}
            },
            DeskPage::Staff => match key.code {
                KeyCode::Up => desk.selected = desk.selected.saturating_sub(1),
                KeyCode::Down => {
                    desk.selected = (desk.selected + 1).min(desk.staff.len().saturating_sub(1))
                }
                KeyCode::Char('a' | 'A') => {
                    desk.page = DeskPage::StaffForm(NewStaffForm {
                        name: ScanField::default(),
                        role: Role::Clerk,
                        pin: Pin::default(),
                        repeat: Pin::default(),
                        field: 0,
                        reset_for: None,
                    });
                }
                KeyCode::Char('p' | 'P') => {
                    if let Some(member) = desk.staff.get(desk.selected) {
                        desk.page = DeskPage::StaffForm(NewStaffForm {
                            name: ScanField::default(),
                            role: member.role,
                            pin: Pin::default(),
                            repeat: Pin::default(),
                            field: 1,
                            reset_for: Some(member.id),
                        });
                    }
                }
                KeyCode::Char('x' | 'X') => {
                    if let Some(member) = desk.staff.get(desk.selected) {
                        desk.confirming = Some((DeskAct::Disable(member.id), Pin::default()));
                    }
                }
                KeyCode::Char('u' | 'U') => {
                    if let Some(member) = desk.staff.get(desk.selected) {
                        desk.confirming = Some((DeskAct::Unlock(member.id), Pin::default()));
                    }
                }
                KeyCode::Esc => desk.page = DeskPage::Menu,
                _ => {}
            },
            DeskPage::StaffForm(form) => match (key.code, form.field) {
                (KeyCode::Esc, _) => desk.page = DeskPage::Staff,
                (KeyCode::Tab, field) => {
                    form.field = if form.reset_for.is_some() {
                        3 - field
                    } else {
                        (field + 1) % 3
                    }
                }
                (KeyCode::F(3), _) if form.reset_for.is_none() => {
                    form.role = if form.role == Role::Clerk {
                        Role::Manager
                    } else {
                        Role::Clerk
                    };
                }
                (KeyCode::Backspace, 0) => form.name.backspace(),
                (KeyCode::Backspace, 1) => form.pin.pop(),
                (KeyCode::Backspace, _) => form.repeat.pop(),
                (KeyCode::Enter, 0) => form.field = 1,
                (KeyCode::Enter, 1) => form.field = 2,
                (KeyCode::Enter, _) => self.submit_staff_form(),
                (_, 0) => {
                    if let Some(c) = plain(&key) {
                        form.name.push(c);
                    }
                }
                (KeyCode::Char(c), 1) if c.is_ascii_digit() && form.pin.len() < 12 => {
                    form.pin.push(c)
                }
                (KeyCode::Char(c), _) if c.is_ascii_digit() && form.repeat.len() < 12 => {
                    form.repeat.push(c)
                }
                _ => {}
            },
            DeskPage::Import(path) => match key.code {
                KeyCode::Esc => desk.page = DeskPage::Menu,
                KeyCode::Backspace => path.backspace(),
                KeyCode::Enter => {
                    let typed = path.take();
                    self.prepare_import(typed);
                }
                _ => {
                    if let Some(c) = plain(&key) {
                        path.push(c);
                    }
                }
            },
            DeskPage::Store => {
                if key.code == KeyCode::Esc {
                    desk.page = DeskPage::Menu;
                }
            }
            DeskPage::Report { day, .. } => {
                let day = *day;
                match key.code {
                    KeyCode::Left => self.show_report(day - chrono::Duration::days(1)),
                    KeyCode::Right => self.show_report(day + chrono::Duration::days(1)),
                    KeyCode::Esc => desk.page = DeskPage::Menu,
                    _ => {}
                }
            }
            DeskPage::Export { day, job, .. } => {
                let running = job.is_some();
                match key.code {
                    KeyCode::Left if !running => *day -= chrono::Duration::days(1),
                    KeyCode::Right if !running => *day += chrono::Duration::days(1),
                    KeyCode::Enter if !running => {
                        let day = *day;
                        let id = self.next_job_id();
                        if let Screen::Manager(desk) = &mut self.screen {
                            desk.page = DeskPage::Export {
                                day,
                                job: Some(id),
                                progress: (0, 0),
                                result: None,
                            };
                        }
                        let now = self.now();
                        let config = Box::new(self.kiosk.config.clone());
                        self.submit_background(Job::Export {
                            job: id,
                            config,
                            day,
                            now,
                        });
                    }
                    KeyCode::Esc => desk.page = DeskPage::Menu,
                    _ => {}
                }
            }
            DeskPage::ShelfCheck(check) => match key.code {
                KeyCode::Esc => desk.page = DeskPage::Menu,
                KeyCode::Backspace => check.scan.backspace(),
                KeyCode::Enter if check.scan.is_empty() => self.finish_shelf_check(),
                KeyCode::Enter => match check.scan.take() {
                    Err(reason) => self.flash = Some(Flash::alert(reason)),
                    Ok(scanned) => {
                        let upper = scanned.trim().to_ascii_uppercase();
                        if let Some(bin) = upper.strip_prefix("SHELF:") {
                            check.current_bin = bin.trim().to_owned();
                            self.flash = Some(Flash::ok(format!(
                                "Shelf {}: scan its parcels.",
                                check.current_bin
                            )));
                        } else {
                            match TrackingId::parse(&scanned) {
                                Ok(id) => {
                                    self.flash = Some(Flash::ok(format!(
                                        "{} {id} on shelf {}.",
                                        text::SYMBOL_OK,
                                        if check.current_bin.is_empty() {
                                            "?"
                                        } else {
                                            &check.current_bin
                                        }
                                    )));
                                    check.scanned.retain(|(seen, _)| *seen != id);
                                    check.scanned.push((id, check.current_bin.clone()));
                                }
                                Err(reason) => {
                                    self.flash = Some(Flash::alert(format!(
                                        "{} Not a parcel label: {reason}.",
                                        text::SYMBOL_ALERT
                                    )))
                                }
                            }
                        }
                    }
                },
                _ => {
                    // A Tab or a control key spoils the scan (refused, named), never dropped.
                    check.scan.push_key(&key);
                }
            },
        }
    }

    fn desk_entry_key(&mut self, key: KeyEvent) {
        match edit_pin(&mut self.desk_entry_pin, key.code) {
            PinKey::Submit(typed) => {
                if let Some(staff_id) = self.session_staff() {
                    self.start_pin_check(staff_id, typed, |job| Pending::DeskEntry { job });
                }
            }
            PinKey::Back => self.go_home(),
            PinKey::Edited | PinKey::Other => {}
        }
    }

    fn show_report(&mut self, day: NaiveDate) {
        let job = self.next_job_id();
        if let Screen::Manager(desk) = &mut self.screen {
            desk.page = DeskPage::Report {
                day,
                job,
                text: None,
            };
        }
        let config = Box::new(self.kiosk.config.clone());
        self.submit_background(Job::Report { job, config, day });
    }

    /// Routes the report and export workers' results to the desk page that asked for them.
    pub(crate) fn desk_job_result(&mut self, result: &JobResult) {
        let Screen::Manager(desk) = &mut self.screen else {
            return;
        };
        match (&mut desk.page, result) {
            (DeskPage::Report { job, text, .. }, JobResult::Reported { job: done, outcome })
                if job == done =>
            {
                *text = Some(outcome.clone());
            }
            (
                DeskPage::Export {
                    job: Some(job),
                    progress,
                    ..
                },
                JobResult::ExportProgress {
                    job: done,
                    done: count,
                    total,
                },
            ) if job == done => {
                *progress = (*count, *total);
            }
            (
                DeskPage::Export {
                    job, result: slot, ..
                },
                JobResult::Exported { job: done, outcome },
            ) if *job == Some(*done) => {
                *job = None;
                *slot = Some(outcome.clone());
            }
            _ => {}
        }
    }

    pub(crate) fn desk_entered(&mut self, proof: &PinProof) {
        if proof.role() != Role::Manager {
            self.go_home();
            self.flash = Some(Flash::alert("Only a manager can open the manager's desk."));
            return;
        }
        if let Screen::Manager(desk) = &mut self.screen {
            desk.page = DeskPage::Menu;
        }
        self.flash = Some(Flash::ok("Manager's desk open."));
    }

    fn submit_staff_form(&mut self) {
        let Screen::Manager(desk) = &mut self.screen else {
            return;
        };
        let DeskPage::StaffForm(form) = &mut desk.page else {
            return;
        };
        let policy = self.kiosk.config.security.pin_policy;
        if let Err(reason) = policy.check_pair(&form.pin, &form.repeat) {
            form.pin.clear();
            form.repeat.clear();
            form.field = 1;
            self.flash = Some(Flash::alert(format!("{} {reason}.", text::SYMBOL_ALERT)));
            return;
        }
        if form.reset_for.is_none()
            && let Err(reason) = crate::domain::staff::validate_display_name(&form.name.text)
        {
            self.flash = Some(Flash::alert(format!("{} {reason}.", text::SYMBOL_ALERT)));
            form.field = 0;
            return;
        }
        let pin = form.pin.clone();
        form.pin.clear();
        form.repeat.clear();
        let job = self.next_job_id();
        self.pending = Some(Pending::DeskHash { job });
        self.submit(Job::HashNewPin { job, pin, policy });
    }

    /// The new PIN is hashed: the act now waits for the manager's PIN.
    pub(crate) fn desk_pin_hashed(&mut self, hash: Result<NewPinHash, String>) {
        let Screen::Manager(desk) = &mut self.screen else {
            return;
        };
        let DeskPage::StaffForm(form) = &desk.page else {
            return;
        };
        match hash {
            Err(reason) => self.flash = Some(Flash::alert(reason)),
            Ok(hash) => {
                let act = match form.reset_for {
                    Some(id) => DeskAct::ResetPin { id, hash },
                    None => DeskAct::AddStaff {
                        name: form.name.text.trim().to_owned(),
                        role: form.role,
                        hash,
                    },
                };
                desk.confirming = Some((act, Pin::default()));
                self.flash = Some(Flash::ok("Now your own PIN to confirm."));
            }
        }
    }

    fn prepare_import(&mut self, typed: Result<String, String>) {
        let path = match typed {
            Ok(path) if !path.trim().is_empty() => std::path::PathBuf::from(path.trim()),
            Ok(_) => return,
            Err(reason) => {
                self.flash = Some(Flash::alert(reason));
                return;
            }
        };
        let parsed = std::fs::read(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))
            .and_then(|bytes| {
                parse_expected_csv(&bytes).map_err(|e| format!("{}: {e}", path.display()))
            });
        match parsed {
            Err(reason) => {
                self.flash = Some(Flash::alert(format!("{} {reason}", text::SYMBOL_ALERT)))
            }
            Ok(parcels) => {
                let source = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                if let Screen::Manager(desk) = &mut self.screen {
                    self.flash = Some(Flash::ok(format!(
                        "{} parcels read from {source}; your PIN to import them.",
                        parcels.len()
                    )));
                    desk.confirming = Some((DeskAct::Import { source, parcels }, Pin::default()));
                }
            }
        }
    }

    fn confirm_desk_act(&mut self, pin: Pin) {
        if let Some(staff_id) = self.session_staff() {
            self.start_pin_check(staff_id, pin, |job| Pending::DeskAct { job });
        }
    }

    /// The manager's PIN passed: do the act, with the fresh proof as its authority.
    pub(crate) fn perform_desk_act(&mut self, proof: &PinProof) {
        let Screen::Manager(desk) = &mut self.screen else {
            return;
        };
        let Some((act, _)) = desk.confirming.take() else {
            return;
        };
        let now = self.now();
        let actor = Actor::Manager(proof);
        let store = &mut self.kiosk.store;
        let outcome = match &act {
            DeskAct::AddStaff { name, role, hash } => store
                .add_staff(name, *role, hash, actor, now)
                .map(|id| format!("{name} is staff number {id}")),
            DeskAct::ResetPin { id, hash } => store
                .reset_pin(*id, hash, actor, now)
                .map(|()| format!("staff {id} has a new PIN and is enabled")),
            DeskAct::Disable(id) => store
                .disable_staff(*id, actor, now)
                .map(|()| format!("staff {id} is disabled")),
            DeskAct::Unlock(id) => store
                .unlock_staff(*id, actor, now)
                .map(|()| format!("staff {id} may try again")),
            DeskAct::Import { source, parcels } => {
                let codes = self.kiosk.codes.clone();
                self.kiosk
                    .store
                    .import_expected(parcels, source, &codes, actor, now)
                    .map(|outcome| outcome.summary())
            }
            DeskAct::Quit => {
                self.should_quit = true;
                Ok("quitting".to_owned())
            }
        };
        match outcome {
            Ok(done) => {
                self.flash = Some(Flash::ok(format!("{} Done: {done}.", text::SYMBOL_OK)));
                if let Screen::Manager(desk) = &mut self.screen {
                    if matches!(desk.page, DeskPage::StaffForm(_)) {
                        desk.page = DeskPage::Staff;
                    }
                    if matches!(desk.page, DeskPage::Import(_)) {
                        desk.page = DeskPage::Menu;
                    }
                }
                self.reload_desk_staff();
            }
            Err(error) => {
                self.flash = Some(Flash::alert(format!("{} {error}", text::SYMBOL_ALERT)))
            }
        }
    }

    /// Compares what was scanned with what the ledger says is on the shelves, shows the
    /// differences and saves them as a report beside the ledger.
    fn finish_shelf_check(&mut self) {
        let on_record = match self.kiosk.store.parcels_on_shelves() {
            Ok(parcels) => parcels,
            Err(error) => {
                self.flash = Some(Flash::alert(error.to_string()));
                return;
            }
        };
        let local = self.now().with_timezone(&self.kiosk.config.store.time_zone);
        let heading = format!(
            "{} {}",
            self.kiosk.config.store.id, self.kiosk.config.store.name
        );
        let folder = self
            .kiosk
            .config
            .ledger
            .database
            .parent()
            .map(|p| p.join("reports"))
            .unwrap_or_default();
        let Screen::Manager(desk) = &mut self.screen else {
            return;
        };
        let DeskPage::ShelfCheck(check) = &mut desk.page else {
            return;
        };
        let mut report = Vec::new();
        for parcel in &on_record {
            match check
                .scanned
                .iter()
                .find(|(id, _)| *id == parcel.tracking_id)
            {
                None => report.push(format!(
                    "MISSING     {} (shelf {}, {})",
                    parcel.tracking_id, parcel.shelf, parcel.status
                )),
                Some((_, bin)) if !bin.is_empty() && *bin != parcel.shelf => {
                    report.push(format!(
                        "WRONG SHELF {} found on {bin}, recorded on {}",
                        parcel.tracking_id, parcel.shelf
                    ));
                }
                Some(_) => {}
            }
        }
        for (id, bin) in &check.scanned {
            if !on_record.iter().any(|parcel| parcel.tracking_id == *id) {
                report.push(format!(
                    "UNEXPECTED  {id} found on shelf {bin}, not on record as on a shelf"
                ));
            }
        }
        if report.is_empty() {
            report.push(format!(
                "All {} parcels on record were found where they should be.",
                on_record.len()
            ));
        }
        let file = folder.join(format!("shelf-check-{}.txt", local.format("%Y%m%d-%H%M%S")));
        let body = format!(
            "Shelf check at {} ({heading})\nscanned {}, on record {}\n\n{}\n",
            local.to_rfc3339(),
            check.scanned.len(),
            on_record.len(),
            report.join("\n")
        );
        let saved = crate::secrets::create_private_dir(&folder).and_then(|()| {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut handle = options.open(&file)?;
            handle.write_all(body.as_bytes())?;
            handle.sync_all()
        });
        check.report = report;
        self.flash = Some(match saved {
            Ok(()) => Flash::ok(format!("Report saved: {}", file.display())),
            Err(error) => Flash::alert(format!(
                "The report could not be saved ({error}); it is on screen."
            )),
        });
    }
}

pub fn keys(desk: &ManagerDesk) -> &'static str {
    if desk.confirming.is_some() {
        return "your PIN to confirm, Enter   Esc cancel";
    }
    match &desk.page {
        DeskPage::Entry => "your PIN, Enter   Esc back",
        DeskPage::Menu => {
            "1 staff  2 import parcels  3 store  4 shelf check  5 quit kiosk  Esc home"
        }
        DeskPage::Staff => "↑↓ choose   A add   P new PIN   X disable   U unlock   Esc back",
        DeskPage::StaffForm(_) => "Tab next field   F3 role   Enter next/save   Esc back",
        DeskPage::Import(_) => "type the file's path, Enter   Esc back",
        DeskPage::Store => "Esc back",
        DeskPage::ShelfCheck(_) => "scan SHELF:X then its parcels   empty Enter: report   Esc back",
        DeskPage::Report { .. } => "←→ day   Esc back",
        DeskPage::Export { job: Some(_), .. } => "exporting…",
        DeskPage::Export { .. } => "←→ day   Enter export   Esc back",
    }
}

pub fn render(frame: &mut Frame, app: &App, desk: &ManagerDesk, area: Rect) {
    let theme = &app.theme;
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled("MANAGER'S DESK", theme.title),
            Line::raw(""),
        ]),
        top,
    );
    let mask = |pin: &Pin| text::PIN_MASK.to_string().repeat(pin.len());
    match &desk.page {
        DeskPage::Entry => {
            frame.render_widget(
                Paragraph::new(pin_line(app, "Your PIN: ", &app.desk_entry_pin)),
                body,
            );
        }
        DeskPage::Menu => {
            let lines = [
                "1  Staff: add, disable, new PIN, clear a lockout",
                "2  Import the carrier's expected parcels",
                "3  Store: calendar and settings in force",
                "4  Shelf check",
                "5  Quit the kiosk",
            ];
            frame.render_widget(
                Paragraph::new(lines.iter().map(|l| Line::raw(*l)).collect::<Vec<_>>()),
                body,
            );
        }
        DeskPage::Staff => {
            let now = app.now();
            let rows: Vec<Row> = desk
                .staff
                .iter()
                .enumerate()
                .map(|(index, member)| {
                    let state = if !member.active {
                        "disabled".to_owned()
                    } else if member.locked_until.is_some_and(|until| until > now) {
                        format!("waiting ({} wrong PINs)", member.consecutive_failures)
                    } else {
                        "active".to_owned()
                    };
                    let style = if index == desk.selected {
                        theme.focus
                    } else {
                        theme.normal
                    };
                    Row::new(vec![
                        member.id.to_string(),
                        member.display_name.clone(),
                        member.role.to_string(),
                        state,
                    ])
                    .style(style)
                })
                .collect();
            let table = Table::new(
                rows,
                [
                    Constraint::Length(4),
                    Constraint::Min(20),
                    Constraint::Length(8),
                    Constraint::Length(26),
                ],
            )
            .header(Row::new(vec!["No.", "Name", "Role", "State"]).style(theme.title))
            .block(Block::new().borders(Borders::TOP).title(" Staff "));
            super::render_table_showing(frame, table, body, desk.selected);
        }
        DeskPage::StaffForm(form) => {
            let focus = |field: u8| {
                if form.field == field {
                    theme.focus
                } else {
                    theme.normal
                }
            };
            let mut lines = Vec::new();
            match form.reset_for {
                Some(id) => lines.push(Line::raw(format!("New PIN for staff {id}"))),
                None => {
                    lines.push(Line::from(vec![
                        ratatui::text::Span::raw("Name:      "),
                        ratatui::text::Span::styled(format!("{:<40}", form.name.text), focus(0)),
                    ]));
                    lines.push(Line::raw(format!(
                        "Role:      {} (F3 to change)",
                        form.role
                    )));
                }
            }
            lines.push(Line::from(vec![
                ratatui::text::Span::raw("PIN:       "),
                ratatui::text::Span::styled(format!("{:<12}", mask(&form.pin)), focus(1)),
            ]));
            lines.push(Line::from(vec![
                ratatui::text::Span::raw("PIN again: "),
                ratatui::text::Span::styled(format!("{:<12}", mask(&form.repeat)), focus(2)),
            ]));
            lines.push(Line::styled(
                format!(
                    "PIN rules: {}.",
                    app.kiosk.config.security.pin_policy.explain()
                ),
                theme.muted,
            ));
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
        }
        DeskPage::Import(path) => {
            let lines = vec![
                Line::raw(
                    "The carrier's file: CSV with tracking_id, recipient_name, pickup_code[, postal_code].",
                ),
                super::scan_line(app, "File: ", path),
            ];
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), body);
        }
        DeskPage::Store => {
            frame.render_widget(
                Paragraph::new(store_lines(app)).wrap(Wrap { trim: false }),
                body,
            );
        }
        DeskPage::Report { day, text, .. } => {
            let lines: Vec<Line> = match text {
                None => vec![Line::styled(
                    format!("Preparing the report for {day} {}", app.spinner()),
                    theme.muted,
                )],
                Some(Err(reason)) => vec![Line::styled(format!("✖ {reason}"), theme.alert)],
                Some(Ok(report)) => report
                    .lines()
                    .map(|line| {
                        let style = if line.contains("MISMATCH") || line.starts_with('!') {
                            theme.alert
                        } else {
                            theme.normal
                        };
                        Line::styled(line.to_owned(), style)
                    })
                    .collect(),
            };
            let width = 50.min(body.width);
            let [column] = Layout::horizontal([Constraint::Length(width)]).areas(body);
            frame.render_widget(Paragraph::new(lines), column);
        }
        DeskPage::Export {
            day,
            job,
            progress,
            result,
        } => {
            let [info, gauge_area, outcome] = Layout::vertical([
                Constraint::Length(2),
                Constraint::Length(3),
                Constraint::Min(1),
            ])
            .areas(body);
            frame.render_widget(
                Paragraph::new(vec![
                    Line::raw(format!(
                        "Export {day} (store time) to {}",
                        app.kiosk.config.ledger.export_dir.display()
                    )),
                    Line::raw(
                        "CSV and JSON with a signed manifest; check with `kiosk verify-export`.",
                    ),
                ])
                .wrap(Wrap { trim: true }),
                info,
            );
            let (done, total) = *progress;
            let ratio = if total == 0 {
                if result.is_some() { 1.0 } else { 0.0 }
            } else {
                (done as f64 / total as f64).min(1.0)
            };
            let label = match (job, result) {
                (Some(_), _) => format!("{done} of {total} events"),
                (None, Some(Ok(_))) => "done".to_owned(),
                (None, Some(Err(_))) => "failed".to_owned(),
                (None, None) => "press Enter to start".to_owned(),
            };
            frame.render_widget(
                ratatui::widgets::Gauge::default()
                    .block(Block::new().borders(Borders::ALL))
                    .ratio(ratio)
                    .label(label),
                gauge_area,
            );
            let line = match result {
                Some(Ok(summary)) => Line::styled(format!("✔ {summary}"), theme.ok),
                Some(Err(reason)) => Line::styled(format!("✖ {reason}"), theme.alert),
                None => Line::raw(""),
            };
            frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), outcome);
        }
        DeskPage::ShelfCheck(check) => {
            let mut lines = vec![
                super::scan_line(app, "Scan: ", &check.scan),
                Line::raw(format!(
                    "Shelf {}; {} parcel(s) scanned",
                    if check.current_bin.is_empty() {
                        "?"
                    } else {
                        &check.current_bin
                    },
                    check.scanned.len()
                )),
            ];
            lines.extend(check.report.iter().map(|line| {
                Line::styled(
                    line.clone(),
                    if line.starts_with("All ") {
                        theme.ok
                    } else {
                        theme.warn
                    },
                )
            }));
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
        }
    }
    if let Some((act, pin)) = &desk.confirming {
        frame.render_widget(
            Paragraph::new(pin_line(
                app,
                &format!("Your PIN to {}: ", act.describe()),
                pin,
            )),
            bottom,
        );
    }
}

fn store_lines(app: &App) -> Vec<Line<'static>> {
    let config = &app.kiosk.config;
    let store = &config.store;
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut lines = vec![
        Line::raw(format!("{} {} ({})", store.id, store.name, store.time_zone)),
        Line::raw(format!(
            "Capacity {}; {}; service area {}",
            store.capacity,
            store
                .capabilities
                .iter()
                .map(|c| c.code())
                .collect::<Vec<_>>()
                .join(", "),
            if store.service_area.is_empty() {
                "none".to_owned()
            } else {
                store.service_area.join(", ")
            }
        )),
    ];
    let hours: Vec<String> = days
        .iter()
        .zip(&config.calendar.weekly_hours)
        .map(|(day, intervals)| {
            let spans: Vec<String> = intervals
                .iter()
                .map(|i| format!("{}-{}", i.opens.format("%H:%M"), i.closes.format("%H:%M")))
                .collect();
            format!(
                "{day} {}",
                if spans.is_empty() {
                    "closed".to_owned()
                } else {
                    spans.join(",")
                }
            )
        })
        .collect();
    lines.push(Line::raw(format!("Hours: {}", hours.join("  "))));
    let today = config.calendar.local_date(app.now());
    let closed: Vec<String> = config
        .calendar
        .upcoming_closed_days(today, 5)
        .iter()
        .map(|(day, why)| format!("{} {why}", day.format("%d %b")))
        .collect();
    lines.push(Line::raw(format!("Next closed: {}", closed.join("; "))));
    lines.push(Line::raw(format!(
        "Holds {} days{}; orders leave by {}; QR codes live {} s",
        config.calendar.holds.pickup_days,
        if config.calendar.holds.count_closed_days {
            " (closed days count)"
        } else {
            " (open days)"
        },
        config.orders.default_leave_by.format("%H:%M"),
        config.handshake.token_lifetime.num_seconds()
    )));
    let cost = config.security.hash_cost;
    lines.push(Line::raw(format!(
        "PINs: argon2id m={} t={} p={}, {}+ digits; idle lock {} s; kiosk mode {}",
        cost.memory_kib,
        cost.iterations,
        cost.parallelism,
        config.security.pin_policy.min_length,
        config.security.idle_lock.num_seconds(),
        if config.security.kiosk_mode {
            "on"
        } else {
            "off"
        }
    )));
    lines.push(Line::raw(format!(
        "Ledger: {}",
        config.ledger.database.display()
    )));
    lines
}
