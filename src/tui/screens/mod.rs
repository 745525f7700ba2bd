//! Drawing. Everything here renders from `&App` and changes nothing.

pub mod desk;
pub mod home;
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

fn screen_keys(app: &App) -> std::borrow::Cow<'static, str> {
    let keys = match &app.screen {
        Screen::Enroll(_) => signin::enroll_keys(),
        Screen::Lock(form) => signin::sign_in_keys(form, false),
        Screen::Quit(form) => signin::sign_in_keys(form, true),
        Screen::Home => home::keys(&app.kiosk.config),
        Screen::Flow(flow) => return flow.keys(app.lang()).into(),
        Screen::Search(view) => search::keys(view),
        Screen::Ledger(view) => ledger::keys(view),
        Screen::Manager(desk) => desk::keys(desk),
        Screen::ReadOnly => "F10 quit (manager PIN)",
    };
    keys.into()
}

/// Below 80x24 nothing fits properly: say so instead of drawing a broken layout.
fn render_too_small(frame: &mut Frame, area: Rect) {
    let message = format!(
        "{}: the kiosk needs at least {}x{} (now {}x{}).",
        text::ENLARGE,
        text::MIN_WIDTH,
        text::MIN_HEIGHT,
        area.width,
        area.height
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
        render_too_small(frame, area);
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
    let lines = vec![
        Line::styled(
            " ! READ-ONLY: THIS KIOSK CANNOT RECORD HANDOFFS ",
            theme.alert,
        ),
        Line::raw(""),
        Line::raw(format!(
            "The ledger {} cannot be written",
            app.kiosk.store.path().display()
        )),
        Line::raw("(the file or its folder is write-protected, or the disk is mounted read-only)."),
        Line::raw(""),
        Line::raw("Nothing can be received, handed over or taken in until it is fixed. Do not"),
        Line::raw("hand parcels over without recording them: ask the manager to make the data"),
        Line::raw("folder writable for the kiosk's user, then restart the kiosk."),
        Line::raw(""),
        Line::styled(
            "`kiosk verify` and `kiosk export` still work on a read-only ledger.",
            theme.muted,
        ),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn render_message(frame: &mut Frame, app: &App, area: Rect) {
    // A stopped ledger outranks everything: it stays until the cause is gone. The coming idle
    // lock outranks a passing message: it is about to discard work.
    let shown = if let Some(alarm) = app.kiosk.store.recording_alarm(app.now()) {
        Message::alert(format!("NOT RECORDING: {alarm}"))
    } else if let Some(seconds) = app.idle_lock_in() {
        Message::warn(crate::tui::text::idle_warning(seconds))
    } else if let Some(message) = &app.message {
        message.clone()
    } else {
        return;
    };
    frame.render_widget(
        Paragraph::new(Line::styled(shown.line(), shown.kind.style(&app.theme)))
            .wrap(Wrap { trim: false })
            .block(Block::new().padding(Padding::left(1))),
        area,
    );
}

fn render_status(frame: &mut Frame, app: &App, area: Rect) {
    let config = &app.kiosk.config;
    let now = app.now();
    let local = now.with_timezone(&config.store.time_zone);
    let open = if config.calendar.is_open_at(now) {
        "● OPEN"
    } else {
        "○ CLOSED"
    };
    let who = app.session.as_ref().map_or_else(
        || "nobody signed in".to_owned(),
        |session| format!("{} ({})", session.name, session.role),
    );
    let read_only = if app.kiosk.store.is_read_only() {
        " │ READ-ONLY"
    } else {
        ""
    };
    let demo = if app.home.demo_data {
        " │ DEMO DATA"
    } else {
        ""
    };
    let mode = format!("{read_only}{demo}");
    let link = app.link.as_ref().map(|link| link.status());
    let with_link = |link_text: String| {
        format!(
            " │ {} │ {open}{mode}{link_text} │ {who} ",
            local.format("%a %d %b %H:%M")
        )
    };
    let mut right = with_link(link.as_ref().map_or_else(String::new, |status| {
        format!(
            " │ {}",
            link_status::text(status, now, config.store.time_zone)
        )
    }));
    if let Some(status) = &link
        && right.chars().count() + config.store.id.as_str().len() + 3 > usize::from(area.width)
    {
        right = with_link(format!(" │ {}", link_status::compact(status)));
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
    frame.render_widget(Paragraph::new(text).style(app.theme.status_bar), area);
}

fn help_lines(app: &App) -> Vec<String> {
    let lines = match &app.screen {
        Screen::Flow(flow) => return flow.help(app.lang()),
        Screen::Enroll(_) => vec![
            "Type your name, then a PIN twice.",
            "Tab moves between the fields; Enter on the last one enrols you.",
            "You become a manager and can add staff with `kiosk staff add`.",
        ],
        Screen::Lock(_) | Screen::Quit(_) => vec![
            "Choose yourself with the arrow keys or by typing your staff number,",
            "press Enter, type your PIN and press Enter.",
            "After 5 wrong PINs in a row each try must wait; after 10 the account",
            "is disabled until a manager resets the PIN.",
            "F10 quits the kiosk (a manager's PIN is needed).",
        ],
        Screen::Home => vec![
            "D  a driver delivers parcels      T  a driver takes parcels away",
            "P  a customer collects            O  a customer drops off / returns",
            "S  the shop's own outgoing orders V  local delivery (rural stores)",
            "X  a parcel found damaged in the store",
            "F  find a parcel and its history  E  the ledger (events by day)",
            "M  manager's desk                 R  refresh   L  lock the screen",
            "The red line lists expired parcels: give them to the next driver.",
        ],
        Screen::Search(_) => vec![
            "Type or scan any part of a tracking id (3+ characters), a name, or a",
            "shelf. Enter shows the parcel's whole history; there P prints its",
            "last slip again, marked REPRINT (the reprint is logged).",
        ],
        Screen::Ledger(_) => vec![
            "Events of a day, newest first. ←/→ change the day, F3 filters by",
            "kind, F4 by staff. ↑↓ choose an event, Enter shows its parcels (Esc",
            "goes back). The chain is re-checked in the background.",
            "P prints the chosen event's slip again, marked REPRINT (logged).",
            "When a slip did not print, F9 prints it again on any screen.",
        ],
        Screen::Manager(_) => vec![
            "Managers only. Each change is confirmed with your PIN at that moment",
            "and is recorded in the ledger under your name. 8 corrects a parcel's",
            "latest record (nothing is edited): it goes back to where it was before.",
        ],
        Screen::ReadOnly => vec![
            "The ledger cannot be written, so no handoff can be recorded.",
            "Make the data folder writable for the kiosk's user and restart.",
        ],
    };
    lines.into_iter().map(str::to_owned).collect()
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
                .title(" Help (Esc closes) ")
                .style(app.theme.normal),
        ),
        popup,
    );
}
