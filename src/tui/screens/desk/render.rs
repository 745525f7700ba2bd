//! Drawing the desk's pages from the desk's state.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};

use super::{CorrectionForm, DeskPage, ManagerDesk, report_top, words};
use crate::domain::correction::correctable;
use crate::domain::pin::Pin;
use crate::tui::view::View;
use crate::tui::widgets::pin_field::{PIN_MASK, pin_line};
use crate::tui::widgets::render_table_showing;

/// `entry_pin` is the PIN being typed to enter the desk.
pub fn render(frame: &mut Frame, view: &View<'_>, desk: &ManagerDesk, entry_pin: &Pin, area: Rect) {
    let theme = view.theme;
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
    let mask = |pin: &Pin| PIN_MASK.to_string().repeat(pin.len());
    match &desk.page {
        DeskPage::Entry => {
            frame.render_widget(
                Paragraph::new(pin_line(view, "Your PIN: ", entry_pin)),
                body,
            );
        }
        DeskPage::Menu => {
            frame.render_widget(
                Paragraph::new(
                    words::MENU
                        .iter()
                        .map(|l| Line::raw(*l))
                        .collect::<Vec<_>>(),
                ),
                body,
            );
        }
        DeskPage::Staff => {
            let now = view.now;
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
            render_table_showing(frame, table, body, desk.selected);
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
                format!("PIN rules: {}.", view.config.security.pin_policy.explain()),
                theme.muted,
            ));
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
        }
        DeskPage::Import(path) => {
            let lines = vec![
                Line::raw(
                    "The carrier's file: CSV with tracking_id, recipient_name, pickup_code[, postal_code].",
                ),
                path.line(view, "File: "),
            ];
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), body);
        }
        DeskPage::Link(page) => super::link::render(frame, view, page, body),
        DeskPage::Store => {
            frame.render_widget(
                Paragraph::new(store_lines(view)).wrap(Wrap { trim: false }),
                body,
            );
        }
        DeskPage::Report {
            day, text, scroll, ..
        } => {
            let lines: Vec<Line> = match text {
                None => vec![Line::styled(
                    format!("Preparing the report for {day} {}", view.spinner),
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
            let [column, marks] =
                Layout::horizontal([Constraint::Length(width), Constraint::Min(0)]).areas(body);
            let height = usize::from(column.height);
            let top = report_top(*scroll, lines.len(), height);
            let below = lines.len().saturating_sub(top + height);
            frame.render_widget(
                Paragraph::new(lines.into_iter().skip(top).take(height).collect::<Vec<_>>()),
                column,
            );
            // Words and arrows say there is more, above or below (never colour alone).
            if top > 0 {
                frame.render_widget(
                    Paragraph::new(Line::styled(words::MORE_ABOVE, theme.muted)),
                    marks,
                );
            }
            if below > 0 && marks.height > 0 {
                let last = Rect {
                    y: marks.y + marks.height - 1,
                    height: 1,
                    ..marks
                };
                frame.render_widget(
                    Paragraph::new(Line::styled(words::more_below(below), theme.key)),
                    last,
                );
            }
        }
        DeskPage::Export {
            day,
            job,
            progress,
            result,
            plan,
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
                        view.config.ledger.export_dir.display()
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
                (None, None) if plan.is_some() => "press Enter again to export".to_owned(),
                (None, None) => "press Enter to start".to_owned(),
            };
            frame.render_widget(
                ratatui::widgets::Gauge::default()
                    .block(Block::new().borders(Borders::ALL))
                    .ratio(ratio)
                    .label(label),
                gauge_area,
            );
            let mut lines = match result {
                Some(Ok(summary)) => vec![Line::styled(format!("✔ {summary}"), theme.ok)],
                Some(Err(reason)) => vec![Line::styled(format!("✖ {reason}"), theme.alert)],
                None => Vec::new(),
            };
            if let Some(plan) = plan {
                if !plan.complete {
                    lines.push(Line::styled(
                        words::export_unfinished(&day.format("%a %d %b").to_string()),
                        theme.warn,
                    ));
                }
                if plan.repeated {
                    let name = plan.folder.file_name().map_or_else(
                        || plan.folder.display().to_string(),
                        |name| name.to_string_lossy().into_owned(),
                    );
                    lines.push(Line::styled(words::export_again(&name), theme.warn));
                }
                lines.push(Line::raw(words::EXPORT_ANYWAY));
            }
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), outcome);
        }
        DeskPage::Correct(form) => render_correction(frame, view, form, body),
        DeskPage::ShelfCheck(check) => {
            let mut lines = vec![
                check.scan.line(view, "Scan: "),
                Line::raw(format!(
                    "Shelf {}; {} scanned",
                    if check.current_bin.is_empty() {
                        "?"
                    } else {
                        &check.current_bin
                    },
                    words::parcels(check.scanned.len())
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
                view,
                &format!("Your PIN to {}: ", act.describe()),
                pin,
            )),
            bottom,
        );
    }
}

/// The correction page: the scan field, the parcel as it stands, the reason, and its records
/// with the chosen one marked (a symbol and the focus style, never colour alone).
fn render_correction(frame: &mut Frame, view: &View<'_>, form: &CorrectionForm, area: Rect) {
    let theme = view.theme;
    let zone = view.config.store.time_zone;
    let [head, table_area, foot] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(2),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut lines = vec![form.scan.line(view, "Parcel: ")];
    let Some(target) = &form.target else {
        frame.render_widget(Paragraph::new(lines), head);
        return;
    };
    let shelf = if target.status.on_shelf() && !target.shelf.is_empty() {
        format!(", shelf {}", target.shelf)
    } else {
        String::new()
    };
    lines.push(Line::raw(format!(
        "{}: {}{shelf}",
        target.tracking_id,
        target.status.label()
    )));
    lines.push(Line::raw(format!(
        "Reason (F3 to change): {}",
        form.reason().label()
    )));
    frame.render_widget(Paragraph::new(lines), head);
    let rows: Vec<Row> = target
        .records
        .iter()
        .enumerate()
        .map(|(index, record)| {
            let chosen = index == target.selected;
            let mut what = match record.corrects {
                Some(undone) => format!("{} of event {undone}", record.kind.label()),
                None => record.kind.label().to_owned(),
            };
            if record.seq == target.latest && correctable(record.kind) {
                what.push_str(" (latest)");
            }
            Row::new(vec![
                if chosen { "▶" } else { " " }.to_owned(),
                record.seq.to_string(),
                record
                    .at
                    .with_timezone(&zone)
                    .format("%d %b %H:%M")
                    .to_string(),
                what,
                record.by.clone(),
            ])
            .style(if chosen { theme.focus } else { theme.normal })
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(1),
            Constraint::Length(7),
            Constraint::Length(12),
            Constraint::Length(34),
            Constraint::Min(10),
        ],
    )
    .header(Row::new(vec!["", "Event", "When", "Record", "By"]).style(theme.title))
    .block(Block::new().borders(Borders::TOP).title(" Its records "));
    render_table_showing(frame, table, table_area, target.selected);
    frame.render_widget(
        Paragraph::new(Line::styled(words::CORRECT_RULE, theme.muted)),
        foot,
    );
}

/// The store page's hours fit the narrowest desk (80 columns less the margins).
const HOURS_WIDTH: usize = 78;

fn store_lines(view: &View<'_>) -> Vec<Line<'static>> {
    let config = view.config;
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
    // A day and its hours stay on one line: the list is broken between days, never inside one.
    let mut line = String::from("Hours:");
    for day in hours {
        if line.chars().count() + 2 + day.chars().count() > HOURS_WIDTH {
            lines.push(Line::raw(std::mem::replace(&mut line, " ".repeat(6))));
        }
        line.push_str("  ");
        line.push_str(&day);
    }
    lines.push(Line::raw(line));
    let today = config.calendar.local_date(view.now);
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
