//! The desk's keys: moving between pages, filling forms, and asking for the manager's PIN.

use crate::tui::reasons::scan_refusal_text;
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{App, Screen, Then};
use crate::domain::correction::CorrectionReason;
use crate::domain::labels::identify_label;
use crate::domain::pin::Pin;
use crate::domain::staff::Role;
use crate::export::{days_complete, export_folder, fresh_export_folder};
use crate::t;
use crate::tui::message::Message;
use crate::tui::screens::desk::link::LinkPage;
use crate::tui::screens::desk::{
    CorrectionForm, DeskAct, DeskPage, ExportPlan, ManagerDesk, NewStaffForm, REPORT_VIEW_LINES,
    ShelfCheck, report_scroll_limit,
};
use crate::tui::widgets::pin_field::{PinKey, edit_pin};
use crate::tui::widgets::scan_field::ScanField;
use crate::tui::worker::Job;

impl App {
    pub(crate) fn open_manager_desk(&mut self) {
        if self
            .session
            .as_ref()
            .is_none_or(|session| session.role != Role::Manager)
        {
            self.message = Some(Message::alert(t!(self.lang(), "desk-managers-only")));
            return;
        }
        self.screen = Screen::Manager(Box::new(ManagerDesk {
            page: DeskPage::Entry,
            staff: Vec::new(),
            selected: 0,
            confirming: None,
        }));
        self.message = Some(Message::info(t!(self.lang(), "desk-your-pin-please")));
    }

    pub(super) fn reload_desk_staff(&mut self) {
        let staff = self.kiosk.store.list_staff().unwrap_or_default();
        if let Screen::Manager(desk) = &mut self.screen {
            desk.selected = desk.selected.min(staff.len().saturating_sub(1));
            desk.staff = staff;
        }
    }

    pub(crate) fn manager_key(&mut self, key: KeyEvent) {
        let lang = self.lang();
        let counter_lang = self.kiosk.config.counter.language;
        let Screen::Manager(desk) = &mut self.screen else {
            return;
        };
        if let Some((_, pin)) = &mut desk.confirming {
            match edit_pin(pin, key.code) {
                PinKey::Submit(pin) => self.confirm_desk_act(pin),
                PinKey::Back => {
                    desk.confirming = None;
                    self.message = Some(Message::warn(t!(lang, "desk-cancelled")));
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
                KeyCode::Char('9') => {
                    let url = self
                        .kiosk
                        .config
                        .head_office
                        .as_ref()
                        .map(|h| h.url.as_str());
                    let page = LinkPage::read(&self.kiosk.store, url, self.link.as_ref());
                    desk.page = DeskPage::Link(Box::new(page));
                }
                KeyCode::Char('4') => {
                    desk.page = DeskPage::ShelfCheck(ShelfCheck::default());
                    self.message = Some(Message::info(t!(lang, "desk-shelf-start")));
                }
                KeyCode::Char('5') => desk.confirming = Some((DeskAct::Quit, Pin::default())),
                KeyCode::Char('6') => {
                    let day = self.kiosk.config.calendar.local_date(self.now());
                    self.show_report(day);
                }
                KeyCode::Char('8') => {
                    desk.page = DeskPage::Correct(CorrectionForm::default());
                    self.message = Some(Message::info(t!(lang, "desk-correct-start")));
                }
                KeyCode::Char('7') => {
                    let day = self.kiosk.config.calendar.local_date(self.now());
                    if let Screen::Manager(desk) = &mut self.screen {
                        desk.page = DeskPage::Export {
                            day,
                            job: None,
                            progress: (0, 0),
                            result: None,
                            plan: None,
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
                        lang: counter_lang,
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
                            lang: member.lang_or(counter_lang),
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
                KeyCode::Char('g' | 'G') => {
                    // The next language the kiosk speaks, from the member's own (or the
                    // counter's); confirmed with the manager's PIN like every staff change.
                    if let Some(member) = desk.staff.get(desk.selected) {
                        let act = DeskAct::SetLang {
                            id: member.id,
                            lang: member.lang_or(counter_lang).next(),
                        };
                        desk.confirming = Some((act, Pin::default()));
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
                (KeyCode::F(4), _) if form.reset_for.is_none() => form.lang = form.lang.next(),
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
                    let typed = path
                        .take_checked()
                        .map_err(|refusal| scan_refusal_text(lang, &refusal));
                    self.prepare_import(typed);
                }
                _ => {
                    if let Some(c) = plain(&key) {
                        path.push(c);
                    }
                }
            },
            DeskPage::Store | DeskPage::Link(_) => {
                if key.code == KeyCode::Esc {
                    desk.page = DeskPage::Menu;
                }
            }
            DeskPage::Report {
                day, text, scroll, ..
            } => {
                let day = *day;
                let lines = match text {
                    Some(Ok(report)) => crate::report_text::lines(lang, report).len(),
                    Some(Err(_)) | None => 0,
                };
                let limit = report_scroll_limit(lines);
                let page = REPORT_VIEW_LINES.saturating_sub(1).max(1);
                match key.code {
                    KeyCode::Left => self.show_report(day - chrono::Duration::days(1)),
                    KeyCode::Right => self.show_report(day + chrono::Duration::days(1)),
                    KeyCode::Up => *scroll = scroll.saturating_sub(1),
                    KeyCode::Down => *scroll = (*scroll + 1).min(limit),
                    KeyCode::PageUp => *scroll = scroll.saturating_sub(page),
                    KeyCode::PageDown => *scroll = (*scroll + page).min(limit),
                    KeyCode::Home => *scroll = 0,
                    KeyCode::End => *scroll = limit,
                    KeyCode::Esc => desk.page = DeskPage::Menu,
                    KeyCode::Char('p' | 'P') => {
                        if let Some(Ok(report)) = text {
                            let report = report.as_ref().clone();
                            self.print_day_report(report);
                        }
                    }
                    _ => {}
                }
            }
            DeskPage::Export { day, job, plan, .. } => {
                let running = job.is_some();
                match key.code {
                    KeyCode::Left if !running => {
                        *day -= chrono::Duration::days(1);
                        *plan = None;
                    }
                    KeyCode::Right if !running => {
                        *day += chrono::Duration::days(1);
                        *plan = None;
                    }
                    KeyCode::Enter if !running => {
                        let day = *day;
                        let shown = plan.take();
                        let now = self.now();
                        let config = &self.kiosk.config;
                        let store_id = config.store.id.to_string();
                        let out = &config.ledger.export_dir;
                        let folder = fresh_export_folder(out, &store_id, day, day);
                        let next = ExportPlan {
                            repeated: folder != export_folder(out, &store_id, day, day),
                            complete: days_complete(&config.calendar, day, now),
                            folder,
                        };
                        if next.needs_a_look() && shown.as_ref() != Some(&next) {
                            // First Enter: the page says what is unusual; Enter again to go.
                            if let Screen::Manager(desk) = &mut self.screen
                                && let DeskPage::Export {
                                    plan,
                                    result,
                                    progress,
                                    ..
                                } = &mut desk.page
                            {
                                *plan = Some(next);
                                *result = None;
                                *progress = (0, 0);
                            }
                            return;
                        }
                        let id = self.next_job_id();
                        if let Screen::Manager(desk) = &mut self.screen {
                            desk.page = DeskPage::Export {
                                day,
                                job: Some(id),
                                progress: (0, 0),
                                result: None,
                                plan: None,
                            };
                        }
                        let config = Box::new(self.kiosk.config.clone());
                        self.submit_background(Job::Export {
                            job: id,
                            config,
                            day,
                            now,
                            folder: next.folder,
                            lang,
                        });
                    }
                    KeyCode::Esc => desk.page = DeskPage::Menu,
                    _ => {}
                }
            }
            DeskPage::Correct(form) => match key.code {
                KeyCode::Esc => desk.page = DeskPage::Menu,
                KeyCode::Up => {
                    if let Some(target) = &mut form.target {
                        target.selected = target.selected.saturating_sub(1);
                    }
                }
                KeyCode::Down => {
                    if let Some(target) = &mut form.target {
                        target.selected =
                            (target.selected + 1).min(target.records.len().saturating_sub(1));
                    }
                }
                KeyCode::F(3) => form.reason = (form.reason + 1) % CorrectionReason::ALL.len(),
                KeyCode::Backspace => form.scan.backspace(),
                KeyCode::Enter if form.scan.is_empty() => self.prepare_correction(),
                KeyCode::Enter => match form.scan.take_label_checked() {
                    Err(refusal) => {
                        self.message = Some(Message::alert(scan_refusal_text(lang, &refusal)));
                    }
                    Ok(typed) => self.load_correction_target(&typed),
                },
                _ => {
                    form.scan.push_key(&key);
                }
            },
            DeskPage::ShelfCheck(check) => match key.code {
                KeyCode::Esc => desk.page = DeskPage::Menu,
                KeyCode::Backspace => check.scan.backspace(),
                KeyCode::Enter if check.scan.is_empty() => self.finish_shelf_check(),
                KeyCode::Enter => match check.scan.take_label_checked() {
                    Err(refusal) => {
                        self.message = Some(Message::alert(scan_refusal_text(lang, &refusal)));
                    }
                    Ok(scanned) => {
                        let upper = scanned.trim().to_ascii_uppercase();
                        if let Some(bin) = upper.strip_prefix("SHELF:") {
                            check.current_bin = bin.trim().to_owned();
                            if !check.current_bin.is_empty()
                                && !check.shelves.contains(&check.current_bin)
                            {
                                check.shelves.push(check.current_bin.clone());
                            }
                            self.message = Some(Message::info(t!(
                                lang,
                                "desk-shelf-chosen",
                                shelf = check.current_bin.as_str()
                            )));
                        } else {
                            let policy = self.kiosk.config.carriers.label_policy();
                            match identify_label(&scanned, policy).map(|label| label.tracking_id) {
                                Ok(id) => {
                                    self.message = Some(Message::ok(t!(
                                        lang,
                                        "desk-shelf-scanned",
                                        id = id.to_string(),
                                        shelf = if check.current_bin.is_empty() {
                                            "?"
                                        } else {
                                            &check.current_bin
                                        }
                                    )));
                                    check.scanned.retain(|(seen, _)| *seen != id);
                                    check.scanned.push((id, check.current_bin.clone()));
                                }
                                Err(reason) => {
                                    self.message = Some(Message::alert(t!(
                                        lang,
                                        "desk-not-a-label",
                                        reason = reason.to_string()
                                    )))
                                }
                            }
                        }
                    }
                },
                _ => {
                    // A Tab or GS separates a barcode's parts for the label reader; any other
                    // control key spoils the scan (refused, named), never dropped.
                    check.scan.push_key(&key);
                }
            },
        }
    }

    fn desk_entry_key(&mut self, key: KeyEvent) {
        match edit_pin(&mut self.desk_entry_pin, key.code) {
            PinKey::Submit(typed) => {
                if let Some(staff_id) = self.session_staff() {
                    self.start_pin_check(staff_id, typed, Then::DeskEntry);
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
                scroll: 0,
            };
        }
        let config = Box::new(self.kiosk.config.clone());
        let lang = self.lang();
        self.submit_background(Job::Report {
            job,
            config,
            day,
            lang,
        });
    }
}
