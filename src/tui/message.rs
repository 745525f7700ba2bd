//! The message line: one message at a time, and its kind decides its symbol and style, so no
//! message depends on colour alone and none is written with its symbol by hand.

use ratatui::style::Style;

use super::theme::Theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// What to do next.
    Info,
    /// Something was done.
    Ok,
    /// Attention, nothing lost.
    Warn,
    /// Refused, failed, or stop.
    Alert,
}

impl MessageKind {
    /// The symbol printed before every message of this kind (also in `NO_COLOR`).
    pub fn symbol(self) -> &'static str {
        match self {
            MessageKind::Info => "→",
            MessageKind::Ok => "✔",
            MessageKind::Warn => "!",
            MessageKind::Alert => "✖",
        }
    }

    pub fn style(self, theme: &Theme) -> Style {
        match self {
            MessageKind::Info => theme.normal,
            MessageKind::Ok => theme.ok,
            MessageKind::Warn => theme.warn,
            MessageKind::Alert => theme.alert,
        }
    }
}

/// A message in the message line until the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub kind: MessageKind,
    pub text: String,
}

impl Message {
    pub fn new(kind: MessageKind, text: impl Into<String>) -> Self {
        Self {
            kind,
            text: text.into(),
        }
    }
    pub fn info(text: impl Into<String>) -> Self {
        Self::new(MessageKind::Info, text)
    }
    pub fn ok(text: impl Into<String>) -> Self {
        Self::new(MessageKind::Ok, text)
    }
    pub fn warn(text: impl Into<String>) -> Self {
        Self::new(MessageKind::Warn, text)
    }
    pub fn alert(text: impl Into<String>) -> Self {
        Self::new(MessageKind::Alert, text)
    }

    /// The line as shown: the kind's symbol, then the words.
    pub fn line(&self) -> String {
        format!("{} {}", self.kind.symbol(), self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_shows_a_distinct_symbol() {
        let kinds = [
            MessageKind::Info,
            MessageKind::Ok,
            MessageKind::Warn,
            MessageKind::Alert,
        ];
        let symbols: std::collections::BTreeSet<&str> =
            kinds.iter().map(|kind| kind.symbol()).collect();
        assert_eq!(symbols.len(), kinds.len());
        assert!(Message::alert("Refused.").line().starts_with("✖ "));
    }
}
