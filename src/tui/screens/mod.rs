//! Drawing. Everything here renders from `&App` and changes nothing.

pub mod delivery;
pub mod home;
pub mod ledger;
pub mod lists;
pub mod manager;
pub mod outbound;
pub mod pickup;
pub mod search;
pub mod shipping;
pub mod signin;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Clear, List, ListState, Paragraph, Table, TableState, Wrap,
};

use super::app::{App, FlashKind, ScanField, Screen};
use super::text;
use crate::domain::pin::Pin;

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

/// A masked PIN field with a cursor block.
pub fn pin_line<'a>(app: &App, label: &str, pin: &Pin) -> Line<'a> {
    let spinner = if app.is_busy() {
        format!("  checking {}", app.spinner())
    } else {
        String::new()
    };
    Line::from(vec![
        Span::raw(label.to_owned()),
        Span::styled(
            format!("{}▏", text::PIN_MASK.to_string().repeat(pin.len())),
            app.theme.focus,
        ),
        Span::styled(spinner, app.theme.muted),
    ])
}

/// A scan field: what was typed so far (only printable characters ever get in).
pub fn scan_line<'a>(app: &App, label: &str, field: &ScanField) -> Line<'a> {
    let shown: String = field
        .text
        .chars()
        .rev()
        .take(40)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let extra = if field.overflow > 0 {
        format!(" (+{} too many)", field.overflow)
    } else {
        String::new()
    };
    Line::from(vec![
        Span::raw(label.to_owned()),
        Span::styled(format!("{shown}▏"), app.theme.focus),
        Span::styled(extra, app.theme.alert),
    ])
}

fn screen_keys(app: &App) -> &'static str {
    match &app.screen {
        Screen::Enroll(_) => signin::enroll_keys(),
        Screen::Lock(form) => signin::sign_in_keys(form, false),
        Screen::Quit(form) => signin::sign_in_keys(form, true),
        Screen::Home => home::keys(),
        Screen::Delivery(flow) => delivery::keys(flow),
        Screen::Pickup(flow) => pickup::keys(flow),
        Screen::DropOff(flow) => shipping::drop_off_keys(flow),
        Screen::Order(flow) => shipping::order_keys(flow),
        Screen::DriverPickup(flow) => outbound::driver_pickup_keys(flow),
        Screen::LocalDelivery(flow) => outbound::local_delivery_keys(flow),
        Screen::Search(view) => search::keys(view),
        Screen::Ledger(_) => ledger::keys(),
        Screen::Manager(desk) => manager::keys(desk),
        Screen::ReadOnly => "F10 quit (manager PIN)",
    }
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

pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < text::MIN_WIDTH || area.height < text::MIN_HEIGHT {
        render_too_small(frame, area);
        return;
    }
    // The driver's QR takes the whole screen when it is short: the code must be large enough
    // to scan, and the fallback code and keys fit beside it.
    let full_screen_qr = match &app.screen {
        Screen::Delivery(flow) => flow.step == delivery::DeliveryStep::Qr,
        Screen::DriverPickup(flow) => flow.list.step == lists::Step::Qr,
        _ => false,
    };
    if full_screen_qr && area.height < 32 {
        match &app.screen {
            Screen::Delivery(flow) => delivery::render_qr(frame, app, flow, area),
            Screen::DriverPickup(flow) => outbound::render_driver_pickup(frame, app, flow, area),
            _ => {}
        }
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
        Screen::Enroll(form) => signin::render_enroll(frame, app, form, content),
        Screen::Lock(form) => signin::render_sign_in(frame, app, form, false, content),
        Screen::Quit(form) => signin::render_sign_in(frame, app, form, true, content),
        Screen::Home => home::render(frame, app, content),
        Screen::Delivery(flow) if flow.step == delivery::DeliveryStep::Qr => {
            delivery::render_qr(frame, app, flow, content)
        }
        Screen::Delivery(flow) => delivery::render(frame, app, flow, content),
        Screen::Pickup(flow) => pickup::render(frame, app, flow, content),
        Screen::DropOff(flow) => shipping::render_drop_off(frame, app, flow, content),
        Screen::Order(flow) => shipping::render_order(frame, app, flow, content),
        Screen::DriverPickup(flow) => outbound::render_driver_pickup(frame, app, flow, content),
        Screen::LocalDelivery(flow) => outbound::render_local_delivery(frame, app, flow, content),
        Screen::Search(view) => search::render(frame, app, view, content),
        Screen::Ledger(view) => ledger::render(frame, app, view, content),
        Screen::Manager(desk) => manager::render(frame, app, desk, content),
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
    // A stopped ledger outranks any passing message: it stays until the cause is gone.
    if let Some(alarm) = app.kiosk.store.recording_alarm(app.now()) {
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!(" {} NOT RECORDING: {alarm}", text::SYMBOL_ALERT),
                app.theme.alert,
            ))
            .wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
    let Some(flash) = &app.flash else { return };
    let style = match flash.kind {
        FlashKind::Ok => app.theme.ok,
        FlashKind::Warn => app.theme.warn,
        FlashKind::Alert => app.theme.alert,
    };
    frame.render_widget(
        Paragraph::new(Line::styled(format!(" {}", flash.text), style)),
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
    let mode = if app.kiosk.store.is_read_only() {
        " │ READ-ONLY"
    } else {
        ""
    };
    let right = format!(
        " │ {} │ {open}{mode} │ {who} ",
        local.format("%a %d %b %H:%M")
    );
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

fn help_lines(app: &App) -> Vec<&'static str> {
    match &app.screen {
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
            "F  find a parcel and its history  E  the ledger (events by day)",
            "M  manager's desk                 R  refresh   L  lock the screen",
            "The red line lists expired parcels: give them to the next driver.",
        ],
        Screen::DropOff(_) => vec![
            "Type who brings it (name or reference), then scan each label.",
            "F2 refuses the selected parcel and cycles the reason (damaged, size,",
            "weight, prohibited); F3 switches between drop-off and return.",
            "Enter on an empty line, then your PIN: refusals are recorded too.",
        ],
        Screen::Order(_) => vec![
            "Set the must-leave-by time (today), scan each packed order.",
            "They wait on shelf O; the driver pickup list shows the most urgent first",
            "and the home screen warns when one is close to its time.",
        ],
        Screen::DriverPickup(_) => vec![
            "The list holds what is due: orders, expired holds, drop-offs, returns.",
            "Scan each parcel onto the cart; anything not on the list is refused.",
            "F4 marks the selected parcel as not found; F5 scans the driver's badge.",
            "Empty Enter shows the driver's QR for the cart; then your PIN.",
        ],
        Screen::LocalDelivery(_) => vec![
            "Build a run: scan held parcels; only addresses in the service area go.",
            "F3 when the courier is back: F7 delivered (again: another note),",
            "F8 or a scan: brought back to the shelf. Empty Enter, then your PIN.",
        ],
        Screen::Search(_) => vec![
            "Type or scan any part of a tracking id (3+ characters), a name, or a",
            "shelf. Enter shows the parcel's whole history.",
        ],
        Screen::Ledger(_) => vec![
            "Events of a day, newest first. ←/→ change the day, F3 filters by",
            "kind, F4 by staff. The chain is re-checked in the background.",
        ],
        Screen::Manager(_) => vec![
            "Managers only. Each change is confirmed with your PIN at that moment",
            "and is recorded in the ledger under your name.",
        ],
        Screen::ReadOnly => vec![
            "The ledger cannot be written, so no handoff can be recorded.",
            "Make the data folder writable for the kiosk's user and restart.",
        ],
        Screen::Delivery(_) => vec![
            "1. The driver scans the QR code (or types the 6-digit code).",
            "2. Scan each parcel; the screen shows its shelf. A duplicate scan is",
            "   flagged, not added. F2 marks the selected parcel refused as damaged,",
            "   Del removes it. Enter on an empty line when all are scanned.",
            "3. Type your PIN: everything is recorded at once, or nothing.",
        ],
        Screen::Pickup(_) => vec![
            "1. Type or scan the customer's pickup code.",
            "2. Fetch the parcels from the shelves shown and scan each as you hand",
            "   it over. A parcel not for this customer is refused.",
            "   F4: unable to find it.  F6: the customer refuses it.",
            "3. Enter on an empty line, then your PIN: all is recorded at once.",
        ],
    }
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
