//! The ledger view: a day's events, newest first, filterable by kind and staff, with the state
//! of the hash chain (checked on the worker thread, so the view never waits for it). Enter on
//! an event shows its parcels. Staff are shown with their number, and any text too long for
//! its column is cut with a mark (…), so two people are never shortened into one.

use crate::tui::worker::ChainFailure;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table};

use super::labels;
use crate::domain::chain::LedgerEvent;
use crate::domain::custody::EventKind;
use crate::i18n::Lang;
use crate::t;
use crate::tui::flows::list::fit;
use crate::tui::view::View;
use crate::tui::widgets::render_table_showing;

/// The ledger view's words live in `assets/locales/*/ledger.ftl`.
mod words {
    use crate::i18n::Lang;
    use crate::t;

    pub fn header(lang: Lang) -> [String; 6] {
        [
            t!(lang, "ledger-col-event"),
            t!(lang, "ledger-col-time"),
            t!(lang, "ledger-col-what"),
            t!(lang, "ledger-col-staff"),
            t!(lang, "ledger-col-with"),
            t!(lang, "ledger-col-detail"),
        ]
    }
    pub fn item_header(lang: Lang) -> [String; 4] {
        [
            t!(lang, "ledger-col-tracking-id"),
            t!(lang, "ledger-col-shelf"),
            t!(lang, "ledger-col-detail"),
            t!(lang, "ledger-col-recipient"),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainState {
    Checking { job: u64 },
    Verified { events: u64 },
    Failed(ChainFailure),
}

/// One event as the ledger view lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    pub seq: u64,
    /// Store time of day (the day is in the heading).
    pub time: String,
    pub what: String,
    /// "#2 Bo Lee": the staff number with the name, or "admin" for the command line.
    pub staff: String,
    pub counterparty: String,
    pub detail: String,
}

impl LedgerRow {
    /// The row for `event`; `staff_name` gives a staff number's name, if known.
    pub fn of(
        event: &LedgerEvent,
        time: String,
        lang: Lang,
        staff_name: impl Fn(i64) -> Option<String>,
    ) -> Self {
        let body = &event.body;
        let staff = body.staff_id.map_or_else(
            || t!(lang, "ledger-admin"),
            |id| match staff_name(id.0) {
                Some(name) => format!("#{} {name}", id.0),
                None => format!("#{}", id.0),
            },
        );
        // The note is shown as recorded: the ledger keeps its own words.
        let detail = if body.items.is_empty() {
            body.note.clone()
        } else {
            t!(lang, "n-parcels", count = body.items.len())
        };
        let counterparty = format!(
            "{} {}",
            labels::counterparty(lang, body.counterparty.kind),
            body.counterparty.reference
        )
        .trim()
        .to_owned();
        Self {
            seq: event.seq,
            time,
            what: labels::kind(lang, body.kind),
            staff,
            counterparty,
            detail,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerView {
    pub day: NaiveDate,
    pub events: Vec<LedgerEvent>,
    pub rows: Vec<LedgerRow>,
    pub kind_filter: Option<EventKind>,
    pub staff_filter: Option<String>,
    /// The chosen row among the visible ones.
    pub selected: usize,
    /// Enter: the chosen event's parcels are shown (Esc goes back).
    pub showing_parcels: bool,
    pub chain: ChainState,
}

impl LedgerView {
    /// The events and their rows that pass the filters, newest first.
    pub fn visible(&self) -> Vec<(&LedgerEvent, &LedgerRow)> {
        self.events
            .iter()
            .zip(&self.rows)
            .filter(|(event, _)| self.kind_filter.is_none_or(|kind| event.body.kind == kind))
            .filter(|(_, row)| {
                self.staff_filter
                    .as_ref()
                    .is_none_or(|staff| &row.staff == staff)
            })
            .collect()
    }

    /// The chosen event, if any is visible.
    pub fn selected_event(&self) -> Option<(&LedgerEvent, &LedgerRow)> {
        self.visible().get(self.selected).copied()
    }
}

/// None -> first -> second -> ... -> None.
pub fn next_in_cycle<T: Clone + PartialEq>(items: &[T], current: Option<T>) -> Option<T> {
    match current.and_then(|value| items.iter().position(|item| *item == value)) {
        None => items.first().cloned(),
        Some(index) => items.get(index + 1).cloned(),
    }
}

pub fn keys(view: &LedgerView, lang: Lang) -> String {
    if view.showing_parcels {
        t!(lang, "ledger-keys-detail")
    } else {
        t!(lang, "ledger-keys")
    }
}

pub fn render(frame: &mut Frame, screen: &View<'_>, view: &LedgerView, area: Rect) {
    let theme = screen.theme;
    let lang = screen.lang;
    let [top, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(area);
    let chain = match &view.chain {
        ChainState::Checking { .. } => Line::styled(
            t!(
                lang,
                "ledger-chain-checking",
                spinner = screen.spinner.to_string()
            ),
            theme.muted,
        ),
        ChainState::Verified { events } => Line::styled(
            format!("✔ {}", t!(lang, "ledger-chain-verified", events = *events)),
            theme.ok,
        ),
        ChainState::Failed(failure) => {
            let reason = match failure {
                ChainFailure::AtEvent { seq, fault } => t!(
                    lang,
                    "ledger-chain-at-event",
                    seq = *seq,
                    fault = fault.as_str()
                ),
                ChainFailure::Edited { what } => {
                    t!(lang, "ledger-chain-edited", what = what.as_str())
                }
                ChainFailure::Other(problem) => problem.clone(),
            };
            Line::styled(
                format!("✖ {}", t!(lang, "ledger-chain-failed", reason = reason)),
                theme.alert,
            )
        }
    };
    let all = t!(lang, "ledger-all");
    let title = t!(
        lang,
        "ledger-title",
        day = crate::i18n::date(lang, view.day),
        kind = view
            .kind_filter
            .map_or_else(|| all.clone(), |kind| labels::kind(lang, kind)),
        staff = view.staff_filter.clone().unwrap_or_else(|| all.clone())
    );
    let width = usize::from(top.width);
    frame.render_widget(
        Paragraph::new(vec![Line::styled(fit(&title, width), theme.title), chain]),
        top,
    );
    if view.showing_parcels
        && let Some((event, row)) = view.selected_event()
    {
        render_parcels(frame, screen, event, row, body);
        return;
    }
    let visible = view.visible();
    let block = Block::new().borders(Borders::TOP).title(format!(
        " {} ",
        t!(lang, "ledger-n-events", count = visible.len())
    ));
    let rows: Vec<&LedgerRow> = visible.iter().map(|(_, row)| *row).collect();
    let table = events_table(&rows, body.width, theme, &words::header(lang), block);
    render_table_showing(frame, table, body, view.selected);
}

/// The widths of the event columns at `width`: what fits whole stays whole, and the staff and
/// detail columns share the rest (a longer text is cut with a mark, never silently).
fn column_widths(rows: &[&LedgerRow], width: u16, header: &[String; 6]) -> [usize; 6] {
    let longest = |cell: fn(&LedgerRow) -> &str, header: &str| {
        rows.iter()
            .map(|row| cell(row).chars().count())
            .chain([header.chars().count()])
            .max()
            .unwrap_or(0)
    };
    let seq = rows
        .iter()
        .map(|row| row.seq.to_string().len())
        .chain([header[0].chars().count()])
        .max()
        .unwrap_or(0);
    let time = 5;
    // 22: the longest kinds stay whole in either language ("entrega del repartidor").
    let what = longest(|row| &row.what, &header[2]).min(22);
    let with = longest(|row| &row.counterparty, &header[4]).min(14);
    // One space between columns, and the highlight symbol's room.
    let rest = usize::from(width).saturating_sub(seq + time + what + with + 5 + 2);
    // The staff column comes first (who did it must never be in doubt), then the detail
    // keeps room for "2 parcels".
    let detail_room = longest(|row| &row.detail, &header[5]).min(9);
    let staff_wanted = longest(|row| &row.staff, &header[3]);
    let staff = staff_wanted.min(rest.saturating_sub(detail_room)).max(6);
    let detail = rest.saturating_sub(staff).max(6);
    [seq, time, what, staff, with, detail]
}

fn events_table<'a>(
    rows: &[&LedgerRow],
    width: u16,
    theme: &crate::tui::theme::Theme,
    header: &[String; 6],
    block: Block<'a>,
) -> Table<'a> {
    let widths = column_widths(rows, width, header);
    let cells = |texts: [&str; 6]| {
        Row::new(
            texts
                .iter()
                .zip(widths)
                .map(|(text, width)| fit(text, width))
                .collect::<Vec<_>>(),
        )
    };
    let table_rows: Vec<Row> = rows
        .iter()
        .map(|row| {
            cells([
                &row.seq.to_string(),
                &row.time,
                &row.what,
                &row.staff,
                &row.counterparty,
                &row.detail,
            ])
        })
        .collect();
    Table::new(
        table_rows,
        widths.map(|w| Constraint::Length(u16::try_from(w).unwrap_or(u16::MAX))),
    )
    .header(cells(header.each_ref().map(String::as_str)).style(theme.title))
    .row_highlight_style(theme.focus)
    .highlight_symbol("▶ ")
    .block(block)
}

/// The chosen event and every parcel it moved: tracking id, shelf, detail and recipient.
fn render_parcels(
    frame: &mut Frame,
    screen: &View<'_>,
    event: &LedgerEvent,
    row: &LedgerRow,
    area: Rect,
) {
    let theme = screen.theme;
    let lang = screen.lang;
    let width = usize::from(area.width);
    let [head, list] = Layout::vertical([Constraint::Length(3), Constraint::Min(2)]).areas(area);
    let mut heading = vec![
        Line::styled(
            fit(
                &t!(
                    lang,
                    "ledger-event-heading",
                    seq = row.seq,
                    time = row.time.as_str(),
                    what = row.what.as_str()
                ),
                width,
            ),
            theme.title,
        ),
        Line::raw(fit(
            &t!(
                lang,
                "ledger-event-staff",
                staff = row.staff.as_str(),
                with = row.counterparty.as_str()
            ),
            width,
        )),
    ];
    if !event.body.note.is_empty() {
        heading.push(Line::raw(fit(
            &t!(lang, "ledger-event-note", note = event.body.note.as_str()),
            width,
        )));
    }
    frame.render_widget(Paragraph::new(heading), head);
    let block = Block::new().borders(Borders::TOP).title(format!(
        " {} ",
        t!(lang, "n-parcels", count = event.body.items.len())
    ));
    if event.body.items.is_empty() {
        frame.render_widget(
            Paragraph::new(t!(lang, "ledger-no-parcels")).block(block),
            list,
        );
        return;
    }
    let item_header = words::item_header(lang);
    let id_width = event
        .body
        .items
        .iter()
        .map(|item| item.tracking_id.chars().count())
        .chain([item_header[0].chars().count()])
        .max()
        .unwrap_or(0);
    let shelf_width = 8;
    let rest = width.saturating_sub(id_width + shelf_width + 3);
    let detail_width = rest / 2;
    let recipient_width = rest - detail_width;
    let widths = [id_width, shelf_width, detail_width, recipient_width];
    let cells = |texts: [&str; 4]| {
        Row::new(
            texts
                .iter()
                .zip(widths)
                .map(|(text, width)| fit(text, width))
                .collect::<Vec<_>>(),
        )
    };
    let rows: Vec<Row> = event
        .body
        .items
        .iter()
        .map(|item| {
            cells([
                &item.tracking_id,
                &item.shelf,
                &item.detail,
                &item.recipient,
            ])
        })
        .collect();
    let table = Table::new(
        rows,
        widths.map(|w| Constraint::Length(u16::try_from(w).unwrap_or(u16::MAX))),
    )
    .header(cells(item_header.each_ref().map(String::as_str)).style(theme.title))
    .block(block);
    frame.render_widget(table, list);
}
