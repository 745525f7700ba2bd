//! The ledger view: a day's events, newest first, filterable by kind and staff, with the state
//! of the hash chain (checked on the worker thread, so the view never waits for it).

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

use super::search::{TimelineRow, timeline_table};
use crate::domain::chain::LedgerEvent;
use crate::domain::custody::EventKind;
use crate::tui::view::View;

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

/// None -> first -> second -> ... -> None.
pub fn next_in_cycle<T: Clone + PartialEq>(items: &[T], current: Option<T>) -> Option<T> {
    match current.and_then(|value| items.iter().position(|item| *item == value)) {
        None => items.first().cloned(),
        Some(index) => items.get(index + 1).cloned(),
    }
}

pub fn keys() -> &'static str {
    "←→ day   F3 kind   F4 staff   ↑↓ PgUp PgDn scroll   Esc home"
}

pub fn render(frame: &mut Frame, screen: &View<'_>, view: &LedgerView, area: Rect) {
    let theme = screen.theme;
    let [top, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(area);
    let chain = match &view.chain {
        ChainState::Checking { .. } => Line::styled(
            format!("checking the chain {}", screen.spinner),
            theme.muted,
        ),
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
