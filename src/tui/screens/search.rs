//! Search and parcel history: results as fast as the clerk types (indexed queries), and the
//! full timeline of the chosen parcel.

use crate::tui::widgets::fit::fit_cells;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table};

use super::labels;
use crate::domain::chain::LedgerEvent;
use crate::domain::expected::AnnouncedParcel;
use crate::domain::pickup::PickupEvidence;
use crate::i18n::Lang;
use crate::service::Kiosk;
use crate::store::ParcelRecord;
use crate::store::{Store, StoreError};
use crate::t;
use crate::tui::view::View;
use crate::tui::widgets::scan_field::ScanField;
use crate::tui::widgets::{id_column, render_table_showing};

/// One line of a parcel's timeline, resolved for display when the history is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineRow {
    pub seq: u64,
    pub when: String,
    pub what: String,
    pub staff: String,
    pub counterparty: String,
    pub detail: String,
}

#[derive(Debug, Clone, Default)]
pub struct SearchView {
    pub query: ScanField,
    pub results: Vec<ParcelRecord>,
    pub selected: usize,
    pub history: Option<(ParcelRecord, Vec<TimelineRow>)>,
    /// Under the history: what its events' facts record, in words (at a pickup, the ID checked
    /// and who collected).
    pub history_notes: Vec<String>,
    /// Announced parcels that have not arrived, matching the query: shown after the results,
    /// so a customer asking for a parcel that is on its way hears "not here yet".
    pub announced: Vec<AnnouncedParcel>,
    /// The query changed since the results were read.
    pub stale: bool,
    /// How many times the results were read (a scanner's burst reads them once).
    pub queries_run: u64,
}

impl SearchView {
    /// Reads the results again if the query changed: once per drained burst of keys, not
    /// once per key.
    pub fn run_query_if_stale(&mut self, store: &Store) -> Result<(), StoreError> {
        if !std::mem::take(&mut self.stale) {
            return Ok(());
        }
        self.queries_run += 1;
        self.results = store.search_parcels(&self.query.text, 50)?;
        self.announced = if self.query.text.trim().chars().count() >= 3 {
            store.search_announced(&self.query.text, 20)?
        } else {
            Vec::new()
        };
        self.selected = 0;
        Ok(())
    }
}

/// Turns events into timeline rows with staff names and store-local times.
pub fn timeline(
    kiosk: &Kiosk,
    events: &[LedgerEvent],
    tracking_id: Option<&str>,
    lang: Lang,
) -> Vec<TimelineRow> {
    let names: std::collections::HashMap<i64, String> = kiosk
        .store
        .list_staff()
        .unwrap_or_default()
        .into_iter()
        .map(|member| (member.id.0, member.display_name))
        .collect();
    let zone = kiosk.config.store.time_zone;
    events
        .iter()
        .map(|event| {
            let detail = tracking_id
                .and_then(|id| event.body.items.iter().find(|item| item.tracking_id == id))
                .map(|item| {
                    [item.shelf.as_str(), item.detail.as_str()]
                        .iter()
                        .filter(|t| !t.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_else(|| {
                    if event.body.items.is_empty() {
                        event.body.note.clone()
                    } else {
                        t!(lang, "n-parcels", count = event.body.items.len())
                    }
                });
            TimelineRow {
                seq: event.seq,
                when: short_when(lang, event.body.recorded_at.with_timezone(&zone)),
                what: labels::kind(lang, event.body.kind),
                staff: event.body.staff_id.map_or_else(
                    || t!(lang, "ledger-admin"),
                    |id| {
                        names
                            .get(&id.0)
                            .cloned()
                            .unwrap_or_else(|| format!("#{id}"))
                    },
                ),
                counterparty: format!(
                    "{} {}",
                    labels::counterparty(lang, event.body.counterparty.kind),
                    event.body.counterparty.reference
                )
                .trim()
                .to_owned(),
                detail,
            }
        })
        .collect()
}

/// "24 Nov 10:00", "24 nov 10:00": a moment in a timeline.
pub fn short_when(lang: Lang, at: chrono::DateTime<chrono_tz::Tz>) -> String {
    use chrono::Datelike;
    t!(
        lang,
        "search-when",
        day = at.format("%d").to_string(),
        month = crate::i18n::month_short(lang, at.month()),
        time = at.format("%H:%M").to_string()
    )
}

/// What the events' facts record, in words, one line per event that has something to say:
/// "Event 9: collected by proxy Jo Bloggs, ID checked: passport ending 4821." (The evidence's
/// words belong to the pickup flow.)
pub fn history_notes(events: &[LedgerEvent], lang: Lang) -> Vec<String> {
    events
        .iter()
        .filter_map(|event| {
            let evidence = PickupEvidence::from_facts(&event.body.facts)?;
            Some(t!(
                lang,
                "search-history-note",
                seq = event.seq,
                evidence = crate::tui::flows::pickup::history_evidence(lang, &evidence)
            ))
        })
        .collect()
}

/// `text` broken into lines of at most `width` characters at spaces (a word longer than a line
/// is broken where it must be), so nothing is cut off at the edge of a narrow screen.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..width).collect());
        }
        let word: String = word.into_iter().collect();
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if needed > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The timeline as a table: the same columns in the parcel history and the ledger view.
/// The timeline's columns: at 80 columns they add up to the 73 the table has between its
/// spacing, and every cell is cut to its column with a mark.
const TIMELINE_WIDTHS: [Constraint; 6] = [
    Constraint::Length(5),
    Constraint::Length(12),
    Constraint::Length(25),
    Constraint::Length(12),
    Constraint::Length(11),
    Constraint::Min(8),
];

pub fn timeline_table<'a>(
    rows: impl Iterator<Item = &'a TimelineRow>,
    theme: &crate::tui::theme::Theme,
    lang: Lang,
    block: Block<'a>,
    width: u16,
) -> Table<'a> {
    let rows: Vec<Row> = rows
        .map(|row| {
            Row::new(fit_cells(
                vec![
                    row.seq.to_string(),
                    row.when.clone(),
                    row.what.clone(),
                    row.staff.clone(),
                    row.counterparty.clone(),
                    row.detail.clone(),
                ],
                &TIMELINE_WIDTHS,
                width,
            ))
        })
        .collect();
    Table::new(rows, TIMELINE_WIDTHS)
        .header(
            Row::new(vec![
                t!(lang, "search-col-event"),
                t!(lang, "search-col-when"),
                t!(lang, "ledger-col-what"),
                t!(lang, "ledger-col-staff"),
                t!(lang, "ledger-col-with"),
                t!(lang, "ledger-col-detail"),
            ])
            .style(theme.title),
        )
        .block(block)
}

pub fn keys(view: &SearchView, lang: Lang) -> String {
    if view.history.is_some() {
        t!(lang, "search-keys-history")
    } else {
        t!(lang, "search-keys")
    }
}

pub fn render(frame: &mut Frame, screen: &View<'_>, view: &SearchView, area: Rect) {
    let theme = screen.theme;
    let lang = screen.lang;
    let [top, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(area);
    if let Some((parcel, rows)) = &view.history {
        let heading = format!(
            "{}  {}  {}{}",
            parcel.tracking_id,
            parcel.recipient_name,
            t!(
                lang,
                "search-now",
                status = labels::status(lang, parcel.status)
            ),
            if parcel.shelf.is_empty() {
                String::new()
            } else {
                format!(
                    ", {}",
                    t!(lang, "search-on-shelf", shelf = parcel.shelf.as_str())
                )
            }
        );
        frame.render_widget(
            Paragraph::new(vec![
                Line::styled(t!(lang, "search-history-title"), theme.title),
                Line::raw(heading),
            ]),
            top,
        );
        let notes: Vec<Line> = view
            .history_notes
            .iter()
            .flat_map(|note| wrap_words(note, usize::from(body.width.saturating_sub(1))))
            .map(|line| Line::raw(format!(" {line}")))
            .collect();
        let notes_height = if notes.is_empty() {
            0
        } else {
            u16::try_from(notes.len() + 1)
                .unwrap_or(u16::MAX)
                .min(body.height / 2)
        };
        let [table_area, notes_area] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(notes_height)]).areas(body);
        let table = timeline_table(
            rows.iter(),
            theme,
            lang,
            Block::new().borders(Borders::TOP),
            table_area.width,
        );
        frame.render_widget(table, table_area);
        if !notes.is_empty() {
            frame.render_widget(
                Paragraph::new(notes).block(
                    Block::new()
                        .borders(Borders::TOP)
                        .title(format!(" {} ", t!(lang, "search-recorded-at-counter"))),
                ),
                notes_area,
            );
        }
        return;
    }
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(t!(lang, "search-title"), theme.title),
            view.query.line(screen, &t!(lang, "search-field")),
        ]),
        top,
    );
    let rows: Vec<Row> = view
        .results
        .iter()
        .enumerate()
        .map(|(index, parcel)| {
            let style = if index == view.selected {
                theme.focus
            } else {
                theme.normal
            };
            let missing = if parcel.missing {
                format!(" {}", t!(lang, "search-missing"))
            } else {
                String::new()
            };
            Row::new(vec![
                parcel.tracking_id.to_string(),
                parcel.recipient_name.clone(),
                parcel.shelf.clone(),
                format!("{}{missing}", labels::status(lang, parcel.status)),
            ])
            .style(style)
        })
        .collect();
    let rows: Vec<Row> = rows
        .into_iter()
        .chain(view.announced.iter().map(|parcel| {
            Row::new(vec![
                parcel.tracking_id.to_string(),
                parcel.recipient_name.clone(),
                String::new(),
                t!(
                    lang,
                    "search-announced",
                    carrier = parcel.carrier.to_string()
                ),
            ])
            .style(theme.muted)
        }))
        .collect();
    let summary = if view.query.text.chars().count() < 3
        && !view.query.text.is_empty()
        && view.results.is_empty()
    {
        format!(" {}", t!(lang, "search-type-more"))
    } else {
        String::new()
    };
    let shelf_header = t!(lang, "ledger-col-shelf");
    let table = Table::new(
        rows,
        [
            id_column(
                view.results
                    .iter()
                    .map(|p| &p.tracking_id)
                    .chain(view.announced.iter().map(|p| &p.tracking_id)),
            ),
            Constraint::Min(12),
            // The header's width at least ("Shelf", "Estante"): a header is never cut.
            Constraint::Length(u16::try_from(shelf_header.chars().count().max(5)).unwrap_or(5)),
            Constraint::Length(30),
        ],
    )
    .header(
        Row::new(vec![
            t!(lang, "ledger-col-tracking-id"),
            t!(lang, "ledger-col-recipient"),
            shelf_header,
            t!(lang, "search-col-status"),
        ])
        .style(theme.title),
    )
    .block(
        Block::new()
            .borders(Borders::TOP)
            .title(if view.announced.is_empty() {
                format!(
                    " {}{summary} ",
                    t!(lang, "search-found", count = view.results.len())
                )
            } else {
                format!(
                    " {}{summary} ",
                    t!(
                        lang,
                        "search-found-announced",
                        count = view.results.len(),
                        announced = view.announced.len()
                    )
                )
            }),
    );
    render_table_showing(frame, table, body, view.selected);
}

#[cfg(test)]
mod tests {
    use super::wrap_words;

    #[test]
    fn notes_wrap_at_spaces_and_never_lose_a_character() {
        let text = "Event 12: found by name (no code), collected by the addressee.";
        let lines = wrap_words(text, 20);
        assert!(
            lines.iter().all(|line| line.chars().count() <= 20),
            "{lines:?}"
        );
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap_words("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap_words("short", 80), ["short"]);
    }
}
