//! The one way every PIN field (sign-in, confirm, quit, the desk) takes keys and is drawn.

use crossterm::event::KeyCode;
use ratatui::text::{Line, Span};

use crate::domain::pin::{PIN_MAX_LEN, Pin};
use crate::tui::view::View;

pub const PIN_MASK: char = '●';

pub mod words {
    /// Enter on an empty PIN field: not a PIN, and no try is spent.
    pub const EMPTY_ENTER: &str = "Type your PIN first, then press Enter (nothing was tried).";
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
    let spinner = view
        .busy
        .map_or_else(String::new, |frame| format!("  checking {frame}"));
    Line::from(vec![
        Span::raw(label.to_owned()),
        Span::styled(
            format!("{}▏", PIN_MASK.to_string().repeat(pin.len())),
            view.theme.focus,
        ),
        Span::styled(spinner, view.theme.muted),
    ])
}
