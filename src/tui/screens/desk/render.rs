//! Drawing the desk's pages from the desk's state.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};

use super::{CorrectionForm, DeskPage, ManagerDesk, report_top, words};
use crate::domain::correction::correctable;
use crate::domain::pin::Pin;
use crate::i18n::Lang;
use crate::t;
use crate::tui::screens::labels;
use crate::tui::screens::search::short_when;
use crate::tui::screens::signin::role_name;
use crate::tui::view::View;
use crate::tui::widgets::fit::fit_cells;
use crate::tui::widgets::pin_field::{PIN_MASK, pin_line, pin_rules};
use crate::tui::widgets::render_table_showing;
use ratatui::text::Span;

/// The staff page's columns: number, name, role, language, state.
const STAFF_WIDTHS: [Constraint; 5] = [
    Constraint::Length(4),
    Constraint::Min(20),
    Constraint::Length(8),
    Constraint::Length(18),
    Constraint::Length(23),
];

/// "Tue 24 Nov", "mar 24 nov".
fn short_day(lang: Lang, day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{} {} {}",
        crate::i18n::weekday_short(lang, day.weekday()),
        day.format("%d"),
        crate::i18n::month_short(lang, day.month())
    )
}

/// `entry_pin` is the PIN being typed to enter the desk.
pub fn render(frame: &mut Frame, view: &View<'_>, desk: &ManagerDesk, entry_pin: &Pin, area: Rect) {
    let theme = view.theme;
    let lang = view.lang;
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(t!(lang, "desk-title"), theme.title),
            Line::raw(""),
        ]),
        top,
    );
    let mask = |pin: &Pin| PIN_MASK.to_string().repeat(pin.len());
    match &desk.page {
        DeskPage::Entry => {
            frame.render_widget(
                Paragraph::new(pin_line(view, &t!(lang, "desk-your-pin"), entry_pin)),
                body,
            );
        }
        DeskPage::Menu => {
            frame.render_widget(
                Paragraph::new(words::menu(lang).map(Line::raw).to_vec()),
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
                        t!(lang, "desk-staff-disabled")
                    } else if member.locked_until.is_some_and(|until| until > now) {
                        t!(
                            lang,
                            "desk-staff-waiting",
                            count = member.consecutive_failures
                        )
                    } else {
                        t!(lang, "desk-staff-active")
                    };
                    // Their own language, or the counter's (marked) for staff who have none.
                    let spoken = match member.lang {
                        Some(own) => own.name(),
                        None => t!(
                            lang,
                            "desk-staff-counter-language",
                            language = view.config.counter.language.name()
                        ),
                    };
                    let style = if index == desk.selected {
                        theme.focus
                    } else {
                        theme.normal
                    };
                    Row::new(fit_cells(
                        vec![
                            member.id.to_string(),
                            member.display_name.clone(),
                            role_name(lang, member.role),
                            spoken,
                            state,
                        ],
                        &STAFF_WIDTHS,
                        body.width,
                    ))
                    .style(style)
                })
                .collect();
            let table = Table::new(rows, STAFF_WIDTHS)
                .header(
                    Row::new(vec![
                        t!(lang, "desk-staff-col-number"),
                        t!(lang, "desk-staff-col-name"),
                        t!(lang, "desk-staff-col-role"),
                        t!(lang, "desk-staff-col-language"),
                        t!(lang, "desk-staff-col-state"),
                    ])
                    .style(theme.title),
                )
                .block(
                    Block::new()
                        .borders(Borders::TOP)
                        .title(format!(" {} ", t!(lang, "signin-staff"))),
                );
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
            // The labels padded to one width, so the fields line up in either language.
            let labels = [
                t!(lang, "desk-form-name"),
                t!(lang, "desk-form-role"),
                t!(lang, "desk-form-language"),
                t!(lang, "desk-form-pin"),
                t!(lang, "desk-form-pin-again"),
            ];
            let width = labels
                .iter()
                .map(|label| label.chars().count())
                .max()
                .unwrap_or(0)
                + 1;
            let label = |index: usize| format!("{:<width$}", labels[index]);
            let mut lines = Vec::new();
            match form.reset_for {
                Some(id) => lines.push(Line::raw(t!(lang, "desk-form-new-pin-for", id = id.0))),
                None => {
                    lines.push(Line::from(vec![
                        Span::raw(label(0)),
                        Span::styled(format!("{:<40}", form.name.text), focus(0)),
                    ]));
                    lines.push(Line::raw(format!(
                        "{}{}",
                        label(1),
                        t!(
                            lang,
                            "desk-form-role-value",
                            role = role_name(lang, form.role)
                        )
                    )));
                    lines.push(Line::raw(format!(
                        "{}{}",
                        label(2),
                        t!(
                            lang,
                            "desk-form-language-value",
                            language = form.lang.name()
                        )
                    )));
                }
            }
            lines.push(Line::from(vec![
                Span::raw(label(3)),
                Span::styled(format!("{:<12}", mask(&form.pin)), focus(1)),
            ]));
            lines.push(Line::from(vec![
                Span::raw(label(4)),
                Span::styled(format!("{:<12}", mask(&form.repeat)), focus(2)),
            ]));
            lines.push(Line::styled(
                pin_rules(lang, &view.config.security.pin_policy),
                theme.muted,
            ));
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
        }
        DeskPage::Import(path) => {
            let lines = vec![
                Line::raw(t!(lang, "desk-import-what")),
                path.line(view, &t!(lang, "desk-import-file")),
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
                    t!(
                        lang,
                        "desk-report-preparing",
                        day = day.to_string(),
                        spinner = view.spinner.to_string()
                    ),
                    theme.muted,
                )],
                Some(Err(reason)) => vec![Line::styled(format!("✖ {reason}"), theme.alert)],
                Some(Ok(report)) => crate::report_text::lines(lang, report)
                    .iter()
                    .map(|line| {
                        // The line says what is wrong in words ("MISMATCH !", "! ..."); the
                        // style only underlines it.
                        let style = if line.is_alert() {
                            theme.alert
                        } else {
                            theme.normal
                        };
                        Line::styled(line.to_line(), style)
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
                    Paragraph::new(Line::styled(t!(lang, "desk-more-above"), theme.muted)),
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
                    Paragraph::new(Line::styled(words::more_below(lang, below), theme.key)),
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
                    Line::raw(t!(
                        lang,
                        "desk-export-what",
                        day = day.to_string(),
                        folder = view.config.ledger.export_dir.display().to_string()
                    )),
                    Line::raw(t!(lang, "desk-export-how")),
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
                (Some(_), _) => t!(lang, "desk-export-progress", done = done, total = total),
                (None, Some(Ok(_))) => t!(lang, "desk-export-done"),
                (None, Some(Err(_))) => t!(lang, "desk-export-failed"),
                (None, None) if plan.is_some() => t!(lang, "desk-export-enter-again"),
                (None, None) => t!(lang, "desk-export-enter"),
            };
            frame.render_widget(
                ratatui::widgets::Gauge::default()
                    .block(Block::new().borders(Borders::ALL))
                    .ratio(ratio)
                    .label(label),
                gauge_area,
            );
            let mut lines = match result {
                Some(Ok(done)) => vec![Line::styled(words::exported(lang, done), theme.ok)],
                Some(Err(reason)) => vec![Line::styled(format!("✖ {reason}"), theme.alert)],
                None => Vec::new(),
            };
            if let Some(plan) = plan {
                if !plan.complete {
                    lines.push(Line::styled(
                        words::export_unfinished(lang, &short_day(lang, *day)),
                        theme.warn,
                    ));
                }
                if plan.repeated {
                    let name = plan.folder.file_name().map_or_else(
                        || plan.folder.display().to_string(),
                        |name| name.to_string_lossy().into_owned(),
                    );
                    lines.push(Line::styled(words::export_again(lang, &name), theme.warn));
                }
                lines.push(Line::raw(t!(lang, "desk-export-anyway")));
            }
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), outcome);
        }
        DeskPage::Correct(form) => render_correction(frame, view, form, body),
        DeskPage::ShelfCheck(check) => {
            let mut lines = vec![
                check.scan.line(view, &t!(lang, "desk-shelf-scan")),
                Line::raw(t!(
                    lang,
                    "desk-shelf-status",
                    shelf = if check.current_bin.is_empty() {
                        "?"
                    } else {
                        &check.current_bin
                    },
                    count = check.scanned.len()
                )),
            ];
            lines.extend(check.report.iter().map(|line| {
                Line::styled(
                    line.clone(),
                    if check.all_found {
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
                &t!(lang, "desk-confirm", act = act.describe_in(lang)),
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
    let lang = view.lang;
    let zone = view.config.store.time_zone;
    let [head, table_area, foot] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(2),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut lines = vec![form.scan.line(view, &t!(lang, "desk-correct-parcel"))];
    let Some(target) = &form.target else {
        frame.render_widget(Paragraph::new(lines), head);
        return;
    };
    let shelf = if target.status.on_shelf() && !target.shelf.is_empty() {
        format!(
            ", {}",
            t!(lang, "search-on-shelf", shelf = target.shelf.as_str())
        )
    } else {
        String::new()
    };
    lines.push(Line::raw(format!(
        "{}: {}{shelf}",
        target.tracking_id,
        labels::status(lang, target.status)
    )));
    lines.push(Line::raw(t!(
        lang,
        "desk-correct-reason",
        reason = labels::reason(lang, form.reason())
    )));
    frame.render_widget(Paragraph::new(lines), head);
    let rows: Vec<Row> = target
        .records
        .iter()
        .enumerate()
        .map(|(index, record)| {
            let chosen = index == target.selected;
            let kind = labels::kind(lang, record.kind);
            let mut what = match record.corrects {
                Some(undone) => t!(lang, "desk-correct-of-event", kind = kind, seq = undone),
                None => kind,
            };
            if record.seq == target.latest && correctable(record.kind) {
                what.push_str(&format!(" ({})", t!(lang, "desk-correct-latest")));
            }
            Row::new(vec![
                if chosen { "▶" } else { " " }.to_owned(),
                record.seq.to_string(),
                short_when(lang, record.at.with_timezone(&zone)),
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
    .header(
        Row::new(vec![
            String::new(),
            t!(lang, "ledger-col-event"),
            t!(lang, "search-col-when"),
            t!(lang, "desk-correct-col-record"),
            t!(lang, "desk-correct-col-by"),
        ])
        .style(theme.title),
    )
    .block(
        Block::new()
            .borders(Borders::TOP)
            .title(format!(" {} ", t!(lang, "desk-correct-records"))),
    );
    render_table_showing(frame, table, table_area, target.selected);
    frame.render_widget(
        Paragraph::new(Line::styled(t!(lang, "desk-correct-rule"), theme.muted)),
        foot,
    );
}

/// The store page's hours fit the narrowest desk (80 columns less the margins).
const HOURS_WIDTH: usize = 78;

fn store_lines(view: &View<'_>) -> Vec<Line<'static>> {
    use chrono::Datelike;
    let config = view.config;
    let lang = view.lang;
    let store = &config.store;
    let days: Vec<String> = (0..7)
        .filter_map(|from_monday| chrono::Weekday::try_from(from_monday).ok())
        .map(|day| crate::i18n::weekday_short(lang, day))
        .collect();
    let mut lines = vec![
        Line::raw(format!("{} {} ({})", store.id, store.name, store.time_zone)),
        Line::raw(t!(
            lang,
            "desk-store-capacity",
            capacity = store.capacity,
            capabilities = store
                .capabilities
                .iter()
                .map(|c| c.code())
                .collect::<Vec<_>>()
                .join(", "),
            area = if store.service_area.is_empty() {
                t!(lang, "desk-store-none")
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
                    t!(lang, "desk-store-closed")
                } else {
                    spans.join(",")
                }
            )
        })
        .collect();
    // A day and its hours stay on one line: the list is broken between days, never inside one.
    let mut line = t!(lang, "desk-store-hours");
    let indent = line.chars().count();
    for day in hours {
        if line.chars().count() + 2 + day.chars().count() > HOURS_WIDTH {
            lines.push(Line::raw(std::mem::replace(&mut line, " ".repeat(indent))));
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
        .map(|(day, why)| {
            format!(
                "{} {} {why}",
                day.format("%d"),
                crate::i18n::month_short(lang, day.month())
            )
        })
        .collect();
    lines.push(Line::raw(t!(
        lang,
        "desk-store-next-closed",
        days = closed.join("; ")
    )));
    lines.push(Line::raw(t!(
        lang,
        "desk-store-holds",
        days = config.calendar.holds.pickup_days,
        counting = if config.calendar.holds.count_closed_days {
            t!(lang, "desk-store-closed-days-count")
        } else {
            t!(lang, "desk-store-open-days")
        },
        leave_by = config.orders.default_leave_by.format("%H:%M").to_string(),
        qr_seconds = config.handshake.token_lifetime.num_seconds()
    )));
    let cost = config.security.hash_cost;
    lines.push(Line::raw(t!(
        lang,
        "desk-store-pins",
        memory = cost.memory_kib,
        iterations = cost.iterations,
        parallelism = cost.parallelism,
        digits = config.security.pin_policy.min_length,
        idle = config.security.idle_lock.num_seconds(),
        kiosk_mode = if config.security.kiosk_mode {
            t!(lang, "desk-store-on")
        } else {
            t!(lang, "desk-store-off")
        }
    )));
    lines.push(Line::raw(t!(
        lang,
        "desk-store-ledger",
        path = config.ledger.database.display().to_string()
    )));
    lines
}
