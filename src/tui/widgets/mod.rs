//! Reusable pieces of the counter screens.

pub mod fit;
pub mod handshake;
pub mod link_status;
pub mod pin_field;
pub mod qr;
pub mod scan_field;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{List, ListState, Table, TableState};

/// Draws `table` scrolled so that row `selected` is on screen: on a 24-row terminal a
/// delivery of 40 parcels still shows the parcel just scanned (the newest line is selected).
pub fn render_table_showing(frame: &mut Frame, table: Table, area: Rect, selected: usize) {
    let mut state = TableState::default().with_selected(Some(selected));
    frame.render_stateful_widget(table, area, &mut state);
}

/// The same for a list.
pub fn render_list_showing(frame: &mut Frame, list: List, area: Rect, selected: usize) {
    let mut state = ListState::default().with_selected(Some(selected));
    frame.render_stateful_widget(list, area, &mut state);
}

/// A tracking-id column as wide as the longest id in it (at least 18): a 34-character FedEx or
/// USPS id is shown whole, never cut.
pub fn id_column<'a>(
    ids: impl IntoIterator<Item = &'a crate::domain::ids::TrackingId>,
) -> Constraint {
    let longest = ids
        .into_iter()
        .map(|id| id.as_str().chars().count())
        .max()
        .unwrap_or(0);
    Constraint::Length(u16::try_from(longest.max(18)).unwrap_or(40))
}
