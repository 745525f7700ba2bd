//! Styles by meaning. Nothing is told by colour alone: every alert also carries a symbol or a
//! word. With `NO_COLOR` set the same meanings use only bold, underline and reverse video.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub normal: Style,
    pub muted: Style,
    pub title: Style,
    pub focus: Style,
    pub ok: Style,
    pub warn: Style,
    pub alert: Style,
    pub status_bar: Style,
    pub key: Style,
    /// Whether colours may be drawn. Without them the driver's QR is drawn in glyphs only.
    pub colours: bool,
}

impl Theme {
    /// Reads `NO_COLOR` (any non-empty value, per no-color.org) and the terminal's colour
    /// support. The QR needs the fixed 256-colour palette for its black-on-white; crossterm
    /// itself drops every colour under `NO_COLOR`, so the theme must know too.
    pub fn from_environment() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        let dumb = std::env::var("TERM").is_ok_and(|term| term == "dumb");
        if no_color || dumb {
            Self::monochrome()
        } else {
            Self::colour()
        }
    }

    pub fn colour() -> Self {
        Self {
            normal: Style::new(),
            muted: Style::new().fg(Color::Gray),
            title: Style::new().add_modifier(Modifier::BOLD),
            focus: Style::new().fg(Color::Black).bg(Color::Cyan),
            ok: Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            warn: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            alert: Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
            status_bar: Style::new().fg(Color::White).bg(Color::Blue),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            colours: true,
        }
    }

    pub fn monochrome() -> Self {
        Self {
            normal: Style::new(),
            muted: Style::new().add_modifier(Modifier::DIM),
            title: Style::new().add_modifier(Modifier::BOLD),
            focus: Style::new().add_modifier(Modifier::REVERSED),
            ok: Style::new().add_modifier(Modifier::BOLD),
            warn: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            alert: Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
            status_bar: Style::new().add_modifier(Modifier::REVERSED),
            key: Style::new().add_modifier(Modifier::BOLD),
            colours: false,
        }
    }
}
