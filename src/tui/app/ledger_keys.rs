//! The ledger view's keys: other days, filters, choosing an event and showing its parcels;
//! the chain check runs on the worker.

use chrono::Duration;
use crossterm::event::{KeyCode, KeyEvent};

use super::{App, Screen};
use crate::domain::custody::EventKind;
use crate::tui::message::Message;
use crate::tui::screens::ledger::{ChainState, LedgerRow, LedgerView, next_in_cycle};
use crate::tui::worker::Job;

impl App {
    pub(crate) fn start_ledger_view(&mut self) {
        let day = self.kiosk.config.calendar.local_date(self.now());
        let job = self.next_job_id();
        // The key from the signing key file, never the copy in the ledger (see `kiosk verify`).
        self.submit_background(Job::VerifyLedger {
            job,
            path: self.kiosk.store.path().to_path_buf(),
            store_id: self.kiosk.config.store.id.to_string(),
            public_key: self.kiosk.key.public(),
        });
        let chain = ChainState::Checking { job };
        self.screen = Screen::Ledger(Box::new(LedgerView {
            day,
            events: Vec::new(),
            rows: Vec::new(),
            kind_filter: None,
            staff_filter: None,
            selected: 0,
            showing_parcels: false,
            chain,
        }));
        self.load_ledger_day();
    }

    fn load_ledger_day(&mut self) {
        let Screen::Ledger(view) = &self.screen else {
            return;
        };
        let (from, to) = self.kiosk.config.calendar.day_bounds(view.day);
        match self.kiosk.store.events_between(from, to) {
            Ok(events) => {
                let names: std::collections::HashMap<i64, String> = self
                    .kiosk
                    .store
                    .list_staff()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|member| (member.id.0, member.display_name))
                    .collect();
                let zone = self.kiosk.config.store.time_zone;
                let lang = self.lang();
                let rows = events
                    .iter()
                    .map(|event| {
                        let time = event.body.recorded_at.with_timezone(&zone);
                        LedgerRow::of(event, time.format("%H:%M").to_string(), lang, |id| {
                            names.get(&id).cloned()
                        })
                    })
                    .collect();
                if let Screen::Ledger(view) = &mut self.screen {
                    view.events = events;
                    view.rows = rows;
                    view.selected = 0;
                    view.showing_parcels = false;
                }
            }
            Err(error) => self.say(Message::alert(self.refusal_words(&error))),
        }
    }

    pub(crate) fn ledger_key(&mut self, key: KeyEvent) {
        let today = self.kiosk.config.calendar.local_date(self.now());
        let Screen::Ledger(view) = &mut self.screen else {
            return;
        };
        let visible = view.visible().len();
        if view.showing_parcels {
            if key.code == KeyCode::Esc {
                view.showing_parcels = false;
            }
            return;
        }
        match key.code {
            KeyCode::Left => {
                view.day -= Duration::days(1);
                self.load_ledger_day();
            }
            KeyCode::Right if view.day < today => {
                view.day += Duration::days(1);
                self.load_ledger_day();
            }
            KeyCode::F(3) => {
                let mut kinds: Vec<EventKind> = Vec::new();
                for event in &view.events {
                    if !kinds.contains(&event.body.kind) {
                        kinds.push(event.body.kind);
                    }
                }
                view.kind_filter = next_in_cycle(&kinds, view.kind_filter);
                view.selected = 0;
            }
            KeyCode::F(4) => {
                let mut staff: Vec<String> = Vec::new();
                for row in &view.rows {
                    if !staff.contains(&row.staff) {
                        staff.push(row.staff.clone());
                    }
                }
                view.staff_filter = next_in_cycle(&staff, view.staff_filter.clone());
                view.selected = 0;
            }
            KeyCode::Up => view.selected = view.selected.saturating_sub(1),
            KeyCode::Down => view.selected = (view.selected + 1).min(visible.saturating_sub(1)),
            KeyCode::PageUp => view.selected = view.selected.saturating_sub(10),
            KeyCode::PageDown => {
                view.selected = (view.selected + 10).min(visible.saturating_sub(1));
            }
            KeyCode::Enter if visible > 0 => view.showing_parcels = true,
            KeyCode::Char('p' | 'P') => match view.selected_event() {
                Some((event, _)) => {
                    let seq = event.seq;
                    self.reprint_record(seq, None);
                }
                None => self.say(Message::info(crate::t!(
                    self.lang(),
                    "printing-no-record-chosen"
                ))),
            },
            KeyCode::Esc => self.go_home(),
            _ => {}
        }
    }
}
