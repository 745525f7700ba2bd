//! The ledger view: a day's events, newest first, filterable by kind and staff, with the state
//! of the hash chain (checked on the worker thread, so the view never waits for it).

use chrono::{Duration, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

use super::search::{TimelineRow, timeline, timeline_table};
use crate::domain::chain::LedgerEvent;
use crate::domain::custody::EventKind;
use crate::tui::app::{App, Screen};
use crate::tui::message::Message;
use crate::tui::worker::Job;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainState {
    Checking { job: u64 },
    Verified { events: u64 },
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerView {
    pub day: NaiveDate,
    pub events: Vec<LedgerEvent>,
    pub rows: Vec<TimelineRow>,
    pub kind_filter: Option<EventKind>,
    pub staff_filter: Option<String>,
    pub offset: usize,
    pub chain: ChainState,
}

impl LedgerView {
    /// The rows that pass the filters, newest first.
    pub fn visible(&self) -> Vec<&TimelineRow> {
        self.events
            .iter()
            .zip(&self.rows)
            .filter(|(event, _)| self.kind_filter.is_none_or(|kind| event.body.kind == kind))
            .filter(|(_, row)| {
                self.staff_filter
                    .as_ref()
                    .is_none_or(|staff| &row.staff == staff)
            })
            .map(|(_, row)| row)
            .collect()
    }
}

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
            offset: 0,
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
                let rows = timeline(self, &events, None);
                if let Screen::Ledger(view) = &mut self.screen {
                    view.events = events;
                    view.rows = rows;
                    view.offset = 0;
                }
            }
            Err(error) => self.say(Message::alert(error.to_string())),
        }
    }

    pub(crate) fn ledger_key(&mut self, key: KeyEvent) {
        let today = self.kiosk.config.calendar.local_date(self.now());
        let Screen::Ledger(view) = &mut self.screen else {
            return;
        };
        let visible = view.visible().len();
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
                view.offset = 0;
            }
            KeyCode::F(4) => {
                let mut staff: Vec<String> = Vec::new();
                for row in &view.rows {
                    if !staff.contains(&row.staff) {
                        staff.push(row.staff.clone());
                    }
                }
                view.staff_filter = next_in_cycle(&staff, view.staff_filter.clone());
                view.offset = 0;
            }
            KeyCode::Up => view.offset = view.offset.saturating_sub(1),
            KeyCode::Down => view.offset = (view.offset + 1).min(visible.saturating_sub(1)),
            KeyCode::PageUp => view.offset = view.offset.saturating_sub(10),
            KeyCode::PageDown => view.offset = (view.offset + 10).min(visible.saturating_sub(1)),
            KeyCode::Esc => self.go_home(),
            _ => {}
        }
    }
}

/// None -> first -> second -> ... -> None.
fn next_in_cycle<T: Clone + PartialEq>(items: &[T], current: Option<T>) -> Option<T> {
    match current.and_then(|value| items.iter().position(|item| *item == value)) {
        None => items.first().cloned(),
        Some(index) => items.get(index + 1).cloned(),
    }
}

pub fn keys() -> &'static str {
    "←→ day   F3 kind   F4 staff   ↑↓ PgUp PgDn scroll   Esc home"
}

pub fn render(frame: &mut Frame, app: &App, view: &LedgerView, area: Rect) {
    let theme = &app.theme;
    let [top, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(area);
    let chain = match &view.chain {
        ChainState::Checking { .. } => {
            Line::styled(format!("checking the chain {}", app.spinner()), theme.muted)
        }
        ChainState::Verified { events } => {
            Line::styled(format!("✔ chain verified up to event {events}"), theme.ok)
        }
        ChainState::Failed(reason) => {
            Line::styled(format!("✖ CHECK FAILED: {reason}"), theme.alert)
        }
    };
    let filters = format!(
        "{}  kind: {}  staff: {}",
        view.day.format("%a %d %b %Y"),
        view.kind_filter.map_or("all", |kind| kind.label()),
        view.staff_filter.as_deref().unwrap_or("all")
    );
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(format!("LEDGER  {filters}"), theme.title),
            chain,
        ]),
        top,
    );
    let visible = view.visible();
    let block = Block::new()
        .borders(Borders::TOP)
        .title(format!(" {} event(s) ", visible.len()));
    let table = timeline_table(visible.iter().skip(view.offset).copied(), theme, block);
    frame.render_widget(table, body);
}
