//! Drawing. Everything here renders from `&App` and changes nothing.

pub mod desk;
pub mod home;
pub mod labels;
pub mod ledger;
pub mod search;
pub mod signin;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Padding, Paragraph, Wrap};

use super::app::{App, Screen};
use super::message::Message;
use super::text;
use super::widgets::link_status;
use crate::i18n::Lang;
use crate::t;

fn screen_keys(app: &App) -> String {
    let lang = app.lang();
    match &app.screen {
        Screen::Enroll(form) => signin::enroll_keys(form),
        Screen::Lock(form) => signin::sign_in_keys(form, false, lang),
        Screen::Quit(form) => signin::sign_in_keys(form, true, lang),
        Screen::Home => home::keys(&app.kiosk.config, lang),
        Screen::Flow(flow) => flow.keys(lang),
        Screen::Search(view) => search::keys(view, lang),
        Screen::Ledger(view) => ledger::keys(view, lang),
        Screen::Manager(desk) => desk::keys(desk, lang),
        Screen::ReadOnly => t!(lang, "status-read-only-keys"),
    }
}

/// Below 80x24 nothing fits properly: say so instead of drawing a broken layout.
fn render_too_small(frame: &mut Frame, lang: Lang, area: Rect) {
    let message = t!(
        lang,
        "status-too-small",
        enlarge = text::enlarge(lang),
        min_width = text::MIN_WIDTH,
        min_height = text::MIN_HEIGHT,
        width = area.width,
        height = area.height
    );
    frame.render_widget(Paragraph::new(message).wrap(Wrap { trim: true }), area);
}

/// Where the message goes when the driver's QR takes the whole screen: the bottom rows of the
/// text column beside the code, which is at least this wide at 80 columns.
const FULL_SCREEN_MESSAGE_WIDTH: u16 = 34;
const FULL_SCREEN_MESSAGE_ROWS: u16 = 5;

pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < text::MIN_WIDTH || area.height < text::MIN_HEIGHT {
        render_too_small(frame, app.lang(), area);
        return;
    }
    // The driver's QR takes the whole screen when it is short: the code must be large enough
    // to scan, and the fallback code and keys fit beside it.
    if let Screen::Flow(flow) = &app.screen
        && flow.wants_full_screen()
        && area.height < 32
    {
        flow.render(frame, &app.view(), area);
        // The message line has no row of its own here: it goes below the text beside the
        // code (the panel's right-hand columns), so an alert or the idle countdown still shows.
        let beside = Rect {
            x: area.right().saturating_sub(FULL_SCREEN_MESSAGE_WIDTH),
            y: area.bottom().saturating_sub(FULL_SCREEN_MESSAGE_ROWS),
            width: FULL_SCREEN_MESSAGE_WIDTH.min(area.width),
            height: FULL_SCREEN_MESSAGE_ROWS.min(area.height),
        };
        frame.render_widget(ratatui::widgets::Clear, beside);
        render_message(frame, app, beside);
        render_help(frame, app, area);
        return;
    }
    let [content, message, status, keys] = Layout::vertical([
        Constraint::Min(10),
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let content = content.inner(ratatui::layout::Margin {
        horizontal: 1,
        vertical: 0,
    });
    match &app.screen {
        Screen::Enroll(form) => signin::render_enroll(frame, &app.view(), form, content),
        Screen::Lock(form) => signin::render_sign_in(frame, &app.view(), form, false, content),
        Screen::Quit(form) => signin::render_sign_in(frame, &app.view(), form, true, content),
        Screen::Home => home::render(frame, &app.view(), &app.home, content),
        Screen::Flow(flow) => flow.render(frame, &app.view(), content),
        Screen::Search(view) => search::render(frame, &app.view(), view, content),
        Screen::Ledger(view) => ledger::render(frame, &app.view(), view, content),
        Screen::Manager(desk) => {
            desk::render(frame, &app.view(), desk, &app.desk_entry_pin, content)
        }
        Screen::ReadOnly => render_read_only(frame, app, content),
    }
    render_message(frame, app, message);
    render_status(frame, app, status);
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!(" {}", screen_keys(app)),
            app.theme.key,
        )),
        keys,
    );
    render_help(frame, app, area);
}

fn render_read_only(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let lang = app.lang();
    let mut lines = vec![
        Line::styled(
            format!(" {} ", t!(lang, "status-read-only-title")),
            theme.alert,
        ),
        Line::raw(""),
        Line::raw(t!(
            lang,
            "status-read-only-ledger",
            path = app.kiosk.store.path().display().to_string()
        )),
    ];
    lines.extend(
        t!(lang, "status-read-only-body")
            .lines()
            .map(|line| Line::raw(line.to_owned())),
    );
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        t!(lang, "status-read-only-still-works"),
        theme.muted,
    ));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn render_message(frame: &mut Frame, app: &App, area: Rect) {
    // A stopped ledger outranks everything: it stays until the cause is gone. The coming idle
    // lock outranks a passing message: it is about to discard work.
    let shown = if let Some(alarm) = app.kiosk.store.recording_alarm(app.now()) {
        Message::alert(t!(
            app.lang(),
            "status-not-recording",
            alarm = alarm.to_string()
        ))
    } else if let Some(seconds) = app.idle_lock_in() {
        Message::warn(crate::tui::text::idle_warning(app.lang(), seconds))
    } else if let Some(message) = &app.message {
        message.clone()
    } else {
        return;
    };
    // A message longer than its rows (a printer's path and the system's words, say) ends with
    // `…` on the last row rather than vanishing mid-sentence.
    let style = shown.kind.style(&app.theme);
    let text = shown.line();
    let paragraph = match fit_rows(
        &text,
        usize::from(area.width.saturating_sub(1)),
        usize::from(area.height),
    ) {
        Some(rows) => Paragraph::new(
            rows.into_iter()
                .map(|row| Line::styled(row, style))
                .collect::<Vec<_>>(),
        ),
        None => Paragraph::new(Line::styled(text, style)).wrap(Wrap { trim: false }),
    };
    frame.render_widget(
        paragraph.block(Block::new().padding(Padding::left(1))),
        area,
    );
}

/// `text` wrapped at spaces into `rows` lines of `width` columns, the last ending with `…`,
/// or `None` when it fits as it is (the paragraph then wraps it).
fn fit_rows(text: &str, width: usize, rows: usize) -> Option<Vec<String>> {
    use unicode_width::UnicodeWidthStr;
    if width == 0 || rows == 0 {
        return None;
    }
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split(' ') {
        let Some(line) = lines.last_mut() else {
            break;
        };
        let needed = if line.is_empty() {
            word.width()
        } else {
            line.width() + 1 + word.width()
        };
        if needed <= width || line.is_empty() {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        } else {
            lines.push(word.to_owned());
        }
    }
    // A word wider than a row is left to the paragraph's own wrapping.
    if lines.len() <= rows || lines.iter().any(|line| line.width() > width) {
        return None;
    }
    let mut kept: Vec<String> = lines.into_iter().take(rows).collect();
    if let Some(last) = kept.last_mut() {
        // Whole words give way first; a lone word too long loses letters.
        while last.width() + 1 > width {
            match last.rsplit_once(' ') {
                Some((kept, _)) => *last = kept.to_owned(),
                None => {
                    if last.pop().is_none() {
                        break;
                    }
                }
            }
        }
        let trimmed = last.trim_end().to_owned();
        *last = format!("{trimmed}…");
    }
    Some(kept)
}

fn render_status(frame: &mut Frame, app: &App, area: Rect) {
    let config = &app.kiosk.config;
    let now = app.now();
    let lang = app.lang();
    let local = now.with_timezone(&config.store.time_zone);
    let open = if config.calendar.is_open_at(now) {
        t!(lang, "status-open")
    } else {
        t!(lang, "status-closed")
    };
    let who = app.session.as_ref().map_or_else(
        || t!(lang, "status-nobody"),
        |session| {
            format!(
                "{} ({})",
                session.name,
                signin::role_name(lang, session.role)
            )
        },
    );
    let read_only = if app.kiosk.store.is_read_only() {
        format!(" │ {}", t!(lang, "status-read-only"))
    } else {
        String::new()
    };
    let demo = if app.home.demo_data {
        format!(" │ {}", t!(lang, "status-demo"))
    } else {
        String::new()
    };
    let mode = format!("{read_only}{demo}");
    let link = app.link.as_ref().map(|link| link.status());
    let clock = status_clock(lang, &local);
    let with_link = |link_text: String| format!(" │ {clock} │ {open}{mode}{link_text} │ {who} ");
    let mut right = with_link(link.as_ref().map_or_else(String::new, |status| {
        format!(
            " │ {}",
            link_status::text(lang, status, now, config.store.time_zone)
        )
    }));
    if let Some(status) = &link
        && right.chars().count() + config.store.id.as_str().len() + 3 > usize::from(area.width)
    {
        right = with_link(format!(" │ {}", link_status::compact(lang, status)));
    }
    // The store name gives way first when the line is short.
    let room = usize::from(area.width)
        .saturating_sub(right.chars().count() + config.store.id.as_str().len() + 3);
    let name: String = if config.store.name.chars().count() > room {
        let kept: String = config
            .store
            .name
            .chars()
            .take(room.saturating_sub(1))
            .collect();
        format!("{kept}…")
    } else {
        config.store.name.clone()
    };
    let left = format!(" {} {name}", config.store.id);
    let gap = usize::from(area.width).saturating_sub(left.chars().count() + right.chars().count());
    let text = format!("{left}{}{right}", " ".repeat(gap));
    // Still too wide (a long name in a longer language): cut at the edge with a mark.
    let width = usize::from(area.width);
    let text = if text.chars().count() > width {
        let kept: String = text.chars().take(width.saturating_sub(1)).collect();
        format!("{kept}…")
    } else {
        text
    };
    frame.render_widget(Paragraph::new(text).style(app.theme.status_bar), area);
}

/// The status bar's clock: "Tue 24 Nov 10:00", "mar 24 nov 10:00".
fn status_clock(lang: Lang, local: &chrono::DateTime<chrono_tz::Tz>) -> String {
    use chrono::Datelike;
    t!(
        lang,
        "status-clock",
        weekday = crate::i18n::weekday_short(lang, local.weekday()),
        day = local.format("%d").to_string(),
        month = crate::i18n::month_short(lang, local.month()),
        time = local.format("%H:%M").to_string()
    )
}

fn help_lines(app: &App) -> Vec<String> {
    let lang = app.lang();
    let own = |text: String| text.lines().map(str::to_owned).collect::<Vec<_>>();
    let mut lines = match &app.screen {
        Screen::Flow(flow) => flow.help(lang),
        Screen::Enroll(_) => own(t!(lang, "status-help-enrol")),
        Screen::Lock(_) | Screen::Quit(_) => own(t!(lang, "status-help-sign-in")),
        Screen::Home => own(t!(lang, "status-help-home")),
        Screen::Search(_) => own(t!(lang, "status-help-search")),
        Screen::Ledger(_) => own(t!(lang, "status-help-ledger")),
        Screen::Manager(_) => own(t!(lang, "status-help-desk")),
        Screen::ReadOnly => own(t!(lang, "status-help-read-only")),
    };
    // F12 works on every screen of a signed-in clerk: the help says so wherever it opens.
    if app.session.is_some() {
        lines.push(t!(lang, "status-help-customer-language"));
    }
    lines
}

fn render_help(frame: &mut Frame, app: &App, area: Rect) {
    if !app.help_open {
        return;
    }
    let lines: Vec<Line> = help_lines(app).into_iter().map(Line::raw).collect();
    let height = (lines.len() as u16 + 4).min(area.height);
    let [popup] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(76.min(area.width))])
        .flex(Flex::Center)
        .areas(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::new()
                .borders(Borders::ALL)
                .title(format!(" {} ", t!(app.lang(), "status-help-title")))
                .style(app.theme.normal),
        ),
        popup,
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_message_too_long_for_its_rows_ends_with_a_mark() {
        assert_eq!(super::fit_rows("short words", 20, 2), None);
        let cut = super::fit_rows("one two three four five six seven eight", 10, 2).unwrap();
        assert_eq!(cut, ["one two", "three…"]);
    }
}
