//! The lock screen (choose yourself, type your PIN), the quit screen (a manager's PIN), and the
//! first-run enrolment of the first manager.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, Paragraph, Wrap};

use super::pin_line;
use crate::domain::staff::Role;
use crate::tui::app::{App, EnrollField, EnrollForm, SignInForm};

pub fn sign_in_keys(form: &SignInForm, quitting: bool) -> &'static str {
    match (form.pin_focused, quitting) {
        (false, false) => "↑↓ or number choose   Enter PIN   F10 quit (manager)   F1 help",
        (false, true) => "↑↓ or number: choose a manager   Enter: PIN   Esc back",
        (true, _) => "type the PIN, Enter   Esc choose someone else",
    }
}

pub fn render_sign_in(frame: &mut Frame, app: &App, form: &SignInForm, quitting: bool, area: Rect) {
    let theme = &app.theme;
    let [title_area, list_area, pin_area] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(2),
    ])
    .areas(area);
    let title = if quitting {
        "QUIT THE KIOSK: a manager signs"
    } else {
        "LOCKED: choose yourself and enter your PIN"
    };
    frame.render_widget(
        Paragraph::new(vec![Line::styled(title, theme.title), Line::raw("")]),
        title_area,
    );
    let items: Vec<ListItem> = form
        .staff
        .iter()
        .enumerate()
        .filter(|(_, member)| !form.managers_only || member.role == Role::Manager)
        .map(|(index, member)| {
            let state = if member.active { "" } else { "  (disabled)" };
            let marker = if index == form.selected { "▶" } else { " " };
            let line = format!(
                "{marker} {:>3}  {} ({}){state}",
                member.id, member.display_name, member.role
            );
            let style = if index == form.selected && !form.pin_focused {
                theme.focus
            } else if member.active {
                theme.normal
            } else {
                theme.muted
            };
            ListItem::new(line).style(style)
        })
        .collect();
    // The list may be filtered to managers: scroll to the selected member's place in it.
    let shown_selected = form
        .staff
        .iter()
        .enumerate()
        .filter(|(_, member)| !form.managers_only || member.role == Role::Manager)
        .position(|(index, _)| index == form.selected)
        .unwrap_or(0);
    super::render_list_showing(
        frame,
        List::new(items).block(Block::new().borders(Borders::TOP).title(" Staff ")),
        list_area,
        shown_selected,
    );
    let name = form
        .selected_staff()
        .map_or("", |member| member.display_name.as_str());
    let prompt = if form.pin_focused {
        pin_line(app, &format!("PIN for {name}: "), &form.pin)
    } else {
        Line::from(vec![
            Span::raw("Selected: "),
            Span::styled(name.to_owned(), theme.title),
            Span::raw("   press Enter to type the PIN"),
        ])
    };
    frame.render_widget(Paragraph::new(prompt), pin_area);
}

pub fn enroll_keys() -> &'static str {
    "Tab next field   Enter next / enrol   Backspace delete"
}

pub fn render_enroll(frame: &mut Frame, app: &App, form: &EnrollForm, area: Rect) {
    let theme = &app.theme;
    let policy = app.kiosk.config.security.pin_policy;
    let field_style = |field: EnrollField| {
        if form.field == field {
            theme.focus
        } else {
            theme.normal
        }
    };
    let mask = |count: usize| crate::tui::text::PIN_MASK.to_string().repeat(count);
    let lines = vec![
        Line::styled("WELCOME: enrol the first manager", theme.title),
        Line::raw(""),
        Line::raw("This kiosk has no staff yet. The first person enrolled is a manager, who can"),
        Line::raw("then add the rest of the staff."),
        Line::raw(""),
        Line::from(vec![
            Span::raw("Name:        "),
            Span::styled(format!("{:<40}", form.name), field_style(EnrollField::Name)),
        ]),
        Line::from(vec![
            Span::raw("PIN:         "),
            Span::styled(
                format!("{:<12}", mask(form.pin.len())),
                field_style(EnrollField::Pin),
            ),
        ]),
        Line::from(vec![
            Span::raw("PIN again:   "),
            Span::styled(
                format!("{:<12}", mask(form.repeat.len())),
                field_style(EnrollField::Repeat),
            ),
        ]),
        Line::raw(""),
        Line::styled(format!("PIN rules: {}.", policy.explain()), theme.muted),
        Line::styled(
            "Nobody can read a PIN back, not even a manager: remember it.",
            theme.muted,
        ),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
