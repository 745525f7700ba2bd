//! The one way every PIN field (sign-in, confirm, quit, the desk) takes keys and is drawn.

use crossterm::event::KeyCode;
use ratatui::text::{Line, Span};

use crate::domain::pin::{PIN_MAX_LEN, Pin, PinPolicy, PinRejected};
use crate::domain::staff::AuthError;
use crate::i18n::Lang;
use crate::t;
use crate::tui::view::View;

pub const PIN_MASK: char = '●';

/// The PIN words live in `assets/locales/*/signin.ftl` (`signin-pin-*`).
pub mod words {
    use crate::i18n::Lang;

    /// Enter on an empty PIN field: not a PIN, and no try is spent.
    pub fn empty_enter(lang: Lang) -> String {
        crate::t!(lang, "signin-pin-empty-enter")
    }
}

/// The rules a new PIN must follow, as the enrolment and staff forms show them.
pub fn pin_rules(lang: Lang, policy: &PinPolicy) -> String {
    t!(
        lang,
        "signin-pin-rules",
        min = policy.min_length,
        max = PIN_MAX_LEN
    )
}

/// A new PIN refused, in `lang` (lower case, as the English `Display` reads).
pub fn pin_refusal(lang: Lang, refusal: &PinRejected) -> String {
    match refusal {
        PinRejected::NotDigits => t!(lang, "signin-pin-not-digits"),
        PinRejected::TooShort(min) => t!(lang, "signin-pin-too-short", min = *min),
        PinRejected::TooLong => t!(lang, "signin-pin-too-long", max = PIN_MAX_LEN),
        PinRejected::TooCommon => t!(lang, "signin-pin-too-common"),
        PinRejected::Mismatch => t!(lang, "signin-pin-mismatch"),
    }
}

/// A PIN check refused, in `lang`: times in the store's time zone, like the clock on screen.
pub fn auth_refusal(lang: Lang, refusal: &AuthError, zone: &chrono_tz::Tz) -> String {
    let at = |until: &chrono::DateTime<chrono::Utc>| {
        crate::domain::store_time::clock_for_people(*until, zone)
    };
    match refusal {
        AuthError::WrongStaffOrPin => t!(lang, "signin-pin-wrong"),
        AuthError::WrongPinWarned { tries_left, wait } => {
            let seconds = wait.num_seconds();
            let wait = if seconds < 60 || seconds % 60 != 0 {
                t!(lang, "signin-pin-wait-seconds", seconds = seconds)
            } else {
                t!(lang, "signin-pin-wait-minutes", minutes = seconds / 60)
            };
            t!(
                lang,
                "signin-pin-wrong-warned",
                tries = *tries_left,
                wait = wait
            )
        }
        AuthError::LockedOut { until } => {
            t!(lang, "signin-pin-locked-out", until = at(until))
        }
        AuthError::Disabled => t!(lang, "signin-pin-disabled"),
        AuthError::KioskLocked { until } => {
            t!(lang, "signin-pin-kiosk-locked", until = at(until))
        }
    }
}

/// What a key did to a PIN field.
pub enum PinKey {
    Edited,
    /// Enter: the PIN as typed; the field is already wiped.
    Submit(Pin),
    /// Esc: the field is wiped.
    Back,
    Other,
}

/// Digits only, at most `PIN_MAX_LEN`; Enter and Esc wipe the field.
pub fn edit_pin(pin: &mut Pin, code: KeyCode) -> PinKey {
    match code {
        KeyCode::Char(c) if c.is_ascii_digit() => {
            if pin.len() < PIN_MAX_LEN {
                pin.push(c);
            }
            PinKey::Edited
        }
        KeyCode::Backspace => {
            pin.pop();
            PinKey::Edited
        }
        KeyCode::Enter => {
            let typed = pin.clone();
            pin.clear();
            PinKey::Submit(typed)
        }
        KeyCode::Esc => {
            pin.clear();
            PinKey::Back
        }
        _ => PinKey::Other,
    }
}

/// A masked PIN field with a cursor block, and a spinner while the PIN is checked.
pub fn pin_line<'a>(view: &View<'_>, label: &str, pin: &Pin) -> Line<'a> {
    let spinner = view.busy.map_or_else(String::new, |frame| {
        format!(
            "  {}",
            t!(
                view.lang,
                "signin-pin-checking",
                spinner = frame.to_string()
            )
        )
    });
    Line::from(vec![
        Span::raw(label.to_owned()),
        Span::styled(
            format!("{}▏", PIN_MASK.to_string().repeat(pin.len())),
            view.theme.focus,
        ),
        Span::styled(spinner, view.theme.muted),
    ])
}
