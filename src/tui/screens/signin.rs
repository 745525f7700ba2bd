//! The lock screen (choose yourself, type your PIN), the quit screen (a manager's PIN), and the
//! first-run enrolment of the first manager: their forms, keys and drawing.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, Paragraph, Wrap};

use crate::domain::ids::{StaffId, is_disguising_char};
use crate::domain::pin::{PIN_MAX_LEN, Pin, PinPolicy};
use crate::domain::staff::{InvalidName, Role, StaffMember, validate_display_name};
use crate::i18n::Lang;
use crate::t;
use crate::tui::message::Message;
use crate::tui::view::View;
use crate::tui::widgets::pin_field::{self, PinKey, edit_pin, pin_line};

/// The words of these screens live in `assets/locales/*/signin.ftl`; the PIN rules and
/// refusals in [`crate::tui::widgets::pin_field`].
pub mod words {
    pub const NAME_MAX: usize = 40;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnrollField {
    Name,
    Pin,
    Repeat,
}

#[derive(Debug, Clone)]
pub struct EnrollForm {
    pub name: String,
    pub pin: Pin,
    pub repeat: Pin,
    pub field: EnrollField,
    /// F10 or Esc was pressed once: the next F10 (or y) leaves the kiosk.
    pub leaving: bool,
    /// The first manager's language (F3 switches it): the form speaks it at once, and the
    /// counter speaks it to them from their sign-in.
    pub lang: Lang,
}

/// What a key on the enrolment form asks for.
pub enum EnrollKey {
    None,
    Refused(Message),
    Say(Message),
    /// End the kiosk: nobody is enrolled, so there is nothing to protect (and no manager yet
    /// who could quit it), even in kiosk mode.
    Leave,
    /// Hash this PIN for the first manager, named `name`, who reads `lang`.
    Enrol {
        name: String,
        pin: Pin,
        lang: Lang,
    },
}

impl Default for EnrollForm {
    fn default() -> Self {
        Self::new(Lang::default())
    }
}

impl EnrollForm {
    /// An empty form in `lang` (the counter's own, until F3 chooses another).
    pub fn new(lang: Lang) -> Self {
        Self {
            name: String::new(),
            pin: Pin::default(),
            repeat: Pin::default(),
            field: EnrollField::Name,
            leaving: false,
            lang,
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent, policy: &PinPolicy) -> EnrollKey {
        if std::mem::take(&mut self.leaving) {
            return match key.code {
                KeyCode::F(10) | KeyCode::Char('y' | 'Y') => {
                    self.pin.clear();
                    self.repeat.clear();
                    EnrollKey::Leave
                }
                _ => EnrollKey::Say(Message::info(t!(self.lang, "signin-enrol-staying"))),
            };
        }
        match (key.code, self.field) {
            (KeyCode::F(10) | KeyCode::Esc, _) => {
                self.leaving = true;
                return EnrollKey::Say(Message::warn(t!(self.lang, "signin-enrol-leave")));
            }
            (KeyCode::F(3), _) => {
                self.lang = self.lang.next();
                return EnrollKey::Say(Message::info(t!(
                    self.lang,
                    "signin-enrol-language-chosen",
                    language = self.lang.name()
                )));
            }
            (KeyCode::Tab | KeyCode::Down, field)
            | (KeyCode::Enter, field @ (EnrollField::Name | EnrollField::Pin)) => {
                self.field = match field {
                    EnrollField::Name => EnrollField::Pin,
                    EnrollField::Pin => EnrollField::Repeat,
                    EnrollField::Repeat => EnrollField::Name,
                };
            }
            (KeyCode::BackTab | KeyCode::Up, field) => {
                self.field = match field {
                    EnrollField::Name => EnrollField::Repeat,
                    EnrollField::Pin => EnrollField::Name,
                    EnrollField::Repeat => EnrollField::Pin,
                };
            }
            (KeyCode::Backspace, EnrollField::Name) => {
                self.name.pop();
            }
            (KeyCode::Backspace, EnrollField::Pin) => self.pin.pop(),
            (KeyCode::Backspace, EnrollField::Repeat) => self.repeat.pop(),
            (KeyCode::Char(c), EnrollField::Name)
                if !is_disguising_char(c) && self.name.chars().count() < words::NAME_MAX =>
            {
                self.name.push(c);
            }
            (KeyCode::Char(c), EnrollField::Pin)
                if c.is_ascii_digit() && self.pin.len() < PIN_MAX_LEN =>
            {
                self.pin.push(c)
            }
            (KeyCode::Char(c), EnrollField::Repeat)
                if c.is_ascii_digit() && self.repeat.len() < PIN_MAX_LEN =>
            {
                self.repeat.push(c)
            }
            (KeyCode::Enter, EnrollField::Repeat) => {
                let lang = self.lang;
                let checked = validate_display_name(&self.name)
                    .map_err(|e| name_refusal(lang, &e))
                    .and_then(|name| {
                        policy
                            .check_pair(&self.pin, &self.repeat)
                            .map(|()| name)
                            .map_err(|e| pin_field::pin_refusal(lang, &e))
                    });
                let pin = self.pin.clone();
                self.pin.clear();
                self.repeat.clear();
                return match checked {
                    Err(reason) => {
                        self.field = EnrollField::Pin;
                        EnrollKey::Refused(Message::alert(format!("{}.", capitalised(&reason))))
                    }
                    Ok(name) => EnrollKey::Enrol {
                        name,
                        pin,
                        lang: self.lang,
                    },
                };
            }
            _ => {}
        }
        EnrollKey::None
    }
}

/// Choosing a staff member and typing their PIN: the lock screen, and the quit screen.
#[derive(Debug, Clone)]
pub struct SignInForm {
    pub staff: Vec<StaffMember>,
    pub selected: usize,
    pub typed_number: String,
    pub pin: Pin,
    pub pin_focused: bool,
    /// Only managers may complete this form (the quit screen).
    pub managers_only: bool,
}

/// What a key on the sign-in or quit form asks for.
pub enum SignInKey {
    None,
    Say(Message),
    /// End the kiosk now (not in kiosk mode).
    QuitNow,
    /// Show the quit form: a manager's PIN ends the kiosk.
    AskManagerToQuit,
    /// Leave the quit form for the lock screen.
    BackToLock,
    CheckPin {
        staff_id: StaffId,
        pin: Pin,
    },
}

impl SignInForm {
    pub fn new(staff: Vec<StaffMember>, managers_only: bool) -> Self {
        let selected = if managers_only {
            staff
                .iter()
                .position(|member| member.role == Role::Manager)
                .unwrap_or(0)
        } else {
            0
        };
        Self {
            staff,
            selected,
            typed_number: String::new(),
            pin: Pin::default(),
            pin_focused: false,
            managers_only,
        }
    }

    pub fn selected_staff(&self) -> Option<&StaffMember> {
        self.staff.get(self.selected)
    }

    /// Takes the staff list as it is now (staff may have been added or disabled from the
    /// command line meanwhile), keeping the current choice.
    pub fn refresh_staff(&mut self, staff: Vec<StaffMember>) {
        if self.pin_focused {
            return;
        }
        let chosen = self.selected_staff().map(|member| member.id);
        self.selected = chosen
            .and_then(|id| staff.iter().position(|member| member.id == id))
            .unwrap_or(0);
        self.staff = staff;
    }

    pub fn handle_key(
        &mut self,
        key: KeyEvent,
        quitting: bool,
        kiosk_mode: bool,
        lang: Lang,
    ) -> SignInKey {
        match key.code {
            KeyCode::F(10) if !quitting && kiosk_mode => return SignInKey::AskManagerToQuit,
            KeyCode::F(10) if !quitting => return SignInKey::QuitNow,
            KeyCode::Char('q') if !kiosk_mode && !self.pin_focused => return SignInKey::QuitNow,
            KeyCode::Esc if quitting && !self.pin_focused => return SignInKey::BackToLock,
            _ if self.pin_focused => {
                return match edit_pin(&mut self.pin, key.code) {
                    PinKey::Back => {
                        self.pin_focused = false;
                        SignInKey::None
                    }
                    PinKey::Submit(pin) => match self.selected_staff() {
                        None => SignInKey::None,
                        Some(member) if quitting && member.role != Role::Manager => {
                            SignInKey::Say(Message::alert(t!(lang, "signin-only-manager-quits")))
                        }
                        Some(member) => SignInKey::CheckPin {
                            staff_id: member.id,
                            pin,
                        },
                    },
                    PinKey::Edited | PinKey::Other => SignInKey::None,
                };
            }
            KeyCode::Up => {
                self.selected = self.selected.saturating_sub(1);
                self.typed_number.clear();
            }
            KeyCode::Down => {
                self.selected = (self.selected + 1).min(self.staff.len().saturating_sub(1));
                self.typed_number.clear();
            }
            KeyCode::Char(c) if c.is_ascii_digit() => {
                self.typed_number.push(c);
                let number: i64 = self.typed_number.parse().unwrap_or(0);
                match self.staff.iter().position(|s| s.id.0 == number) {
                    Some(index) => self.selected = index,
                    None if self.typed_number.len() >= 4 => self.typed_number.clear(),
                    None => {}
                }
            }
            KeyCode::Enter | KeyCode::Tab => {
                self.typed_number.clear();
                self.pin_focused = true;
            }
            _ => {}
        }
        SignInKey::None
    }
}

fn capitalised(text: &str) -> String {
    let mut characters = text.chars();
    characters.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(characters).collect()
    })
}

/// A name refused, as a person reads it in `lang` (lower case: callers add the capital).
pub fn name_refusal(lang: Lang, refusal: &InvalidName) -> String {
    match refusal {
        InvalidName::Empty => t!(lang, "signin-name-empty"),
        InvalidName::TooLong => t!(
            lang,
            "signin-name-too-long",
            max = crate::domain::staff::DISPLAY_NAME_MAX_LEN
        ),
        InvalidName::DisguisingCharacter(what) => {
            t!(lang, "signin-name-disguising", what = what.as_str())
        }
        InvalidName::Taken { existing, id } => t!(
            lang,
            "signin-name-taken",
            existing = format!("{existing:?}"),
            id = id.0
        ),
    }
}

pub fn sign_in_keys(form: &SignInForm, quitting: bool, lang: Lang) -> String {
    match (form.pin_focused, quitting) {
        (false, false) => t!(lang, "signin-keys-choose"),
        (false, true) => t!(lang, "signin-keys-choose-manager"),
        (true, _) => t!(lang, "signin-keys-pin"),
    }
}

pub fn render_sign_in(
    frame: &mut Frame,
    view: &View<'_>,
    form: &SignInForm,
    quitting: bool,
    area: Rect,
) {
    let theme = view.theme;
    let [title_area, list_area, pin_area] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(2),
    ])
    .areas(area);
    let lang = view.lang;
    let title = if quitting {
        t!(lang, "signin-title-quit")
    } else {
        t!(lang, "signin-title-locked")
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
            let state = if member.active {
                String::new()
            } else {
                format!("  ({})", t!(lang, "signin-disabled"))
            };
            let marker = if index == form.selected { "▶" } else { " " };
            let line = format!(
                "{marker} {:>3}  {} ({}){state}",
                member.id,
                member.display_name,
                role_name(lang, member.role)
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
    crate::tui::widgets::render_list_showing(
        frame,
        List::new(items).block(
            Block::new()
                .borders(Borders::TOP)
                .title(format!(" {} ", t!(lang, "signin-staff"))),
        ),
        list_area,
        shown_selected,
    );
    let name = form
        .selected_staff()
        .map_or("", |member| member.display_name.as_str());
    let prompt = if form.pin_focused {
        pin_line(view, &t!(lang, "signin-pin-for", name = name), &form.pin)
    } else {
        Line::from(vec![
            Span::raw(t!(lang, "signin-selected")),
            Span::styled(name.to_owned(), theme.title),
            Span::raw(t!(lang, "signin-press-enter")),
        ])
    };
    frame.render_widget(Paragraph::new(prompt), pin_area);
}

/// A role as a person reads it ("manager", "gerente").
pub fn role_name(lang: Lang, role: Role) -> String {
    match role {
        Role::Clerk => t!(lang, "signin-role-clerk"),
        Role::Manager => t!(lang, "signin-role-manager"),
    }
}

pub fn enroll_keys(form: &EnrollForm) -> String {
    t!(form.lang, "signin-enrol-keys")
}

/// The enrolment form speaks the language chosen on it (F3), not the counter's.
pub fn render_enroll(frame: &mut Frame, view: &View<'_>, form: &EnrollForm, area: Rect) {
    let theme = view.theme;
    let lang = form.lang;
    // The labels are padded to one width, so the fields line up in either language.
    let labels = [
        t!(lang, "signin-enrol-name"),
        t!(lang, "signin-enrol-pin"),
        t!(lang, "signin-enrol-pin-again"),
        t!(lang, "signin-enrol-language"),
    ];
    let width = labels
        .iter()
        .map(|label| label.chars().count())
        .max()
        .unwrap_or(0)
        .max(10)
        + 3;
    let label = |index: usize| format!("{:<width$}", labels[index]);
    let policy = view.config.security.pin_policy;
    let field_style = |field: EnrollField| {
        if form.field == field {
            theme.focus
        } else {
            theme.normal
        }
    };
    let mask = |count: usize| {
        crate::tui::widgets::pin_field::PIN_MASK
            .to_string()
            .repeat(count)
    };
    let lines = vec![
        Line::styled(t!(lang, "signin-enrol-title"), theme.title),
        Line::raw(""),
        Line::raw(t!(lang, "signin-enrol-intro-1")),
        Line::raw(t!(lang, "signin-enrol-intro-2")),
        Line::raw(""),
        Line::from(vec![
            Span::raw(label(0)),
            Span::styled(format!("{:<40}", form.name), field_style(EnrollField::Name)),
        ]),
        Line::from(vec![
            Span::raw(label(1)),
            Span::styled(
                format!("{:<12}", mask(form.pin.len())),
                field_style(EnrollField::Pin),
            ),
        ]),
        Line::from(vec![
            Span::raw(label(2)),
            Span::styled(
                format!("{:<12}", mask(form.repeat.len())),
                field_style(EnrollField::Repeat),
            ),
        ]),
        Line::raw(format!(
            "{}{}",
            label(3),
            t!(
                lang,
                "signin-enrol-language-value",
                language = lang.name(),
                other = lang.next().name()
            )
        )),
        Line::raw(""),
        Line::styled(pin_field::pin_rules(lang, &policy), theme.muted),
        Line::styled(t!(lang, "signin-enrol-remember"), theme.muted),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
