//! The scan field: text from a keyboard-wedge scanner or a person, and how it is drawn.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::{Line, Span};

use crate::domain::ids::{describe_char, is_disguising_char};
use crate::t;
use crate::tui::view::View;

/// Why a scan cannot be used: it held invisible or control characters (never kept, never
/// shown), or it was longer than a field keeps. `Display` is the English of the logs and the
/// desk; the counter says it with [`crate::tui::reasons::scan_refusal_text`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanRefusal {
    #[error(
        "That scan held {count} invisible or control {}, the first {}, and was refused; scan again.",
        if *.count == 1 { "character" } else { "characters" },
        .first.map_or_else(|| "unknown".to_owned(), describe_char)
    )]
    Hidden { count: usize, first: Option<char> },
    #[error("That scan was {length} characters long and was refused; scan again.")]
    TooLong { length: usize },
}

/// The longest thing a scan field keeps; anything longer is a stuck or misconfigured scanner.
pub const SCAN_MAX_CHARS: usize = 64;

/// A text field fed by a keyboard-wedge scanner or a person. Only printable characters get in,
/// and the separators a barcode carries (GS, RS, EOT and Tab) which the label reader splits
/// on; what goes past the limit is counted, not kept, so a 10 kB burst costs nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanField {
    pub text: String,
    pub overflow: usize,
    /// Invisible or control characters seen (never kept, never shown).
    pub hidden_characters: usize,
    /// The first of them, named in the refusal.
    pub first_hidden: Option<char>,
}

impl ScanField {
    /// A field that starts with `text` in it (a default the clerk may change).
    pub fn with_text(text: &str) -> Self {
        let mut field = Self::default();
        text.chars().for_each(|c| field.push(c));
        field
    }

    pub fn push(&mut self, character: char) {
        if is_disguising_char(character) && !is_barcode_separator(character) {
            self.hidden_characters += 1;
            self.first_hidden.get_or_insert(character);
            return;
        }
        if self.text.chars().count() >= SCAN_MAX_CHARS {
            self.overflow += 1;
        } else {
            self.text.push(character);
        }
    }

    pub fn backspace(&mut self) {
        if self.overflow > 0 {
            self.overflow -= 1;
        } else {
            self.text.pop();
        }
    }

    /// A key from a scanner or keyboard in a scan field. A Tab, or a control character (a
    /// terminal reports GS, the GS1 barcode field separator, as Ctrl+] or Ctrl+5), is not
    /// dropped: it spoils the scan, which is refused naming it, so two fields are never joined
    /// into one id silently. Returns whether the key was taken.
    pub fn push_key(&mut self, key: &KeyEvent) -> bool {
        match key.code {
            KeyCode::Tab => self.push('\t'),
            KeyCode::Char(c) if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.push(control_character(c))
            }
            KeyCode::Char(c) => self.push(c),
            _ => return false,
        }
        true
    }

    /// Typing in the field: characters (a Tab or control key spoils the scan, see
    /// [`ScanField::push_key`]) and Backspace. Returns whether the key was taken.
    pub fn edit(&mut self, key: &KeyEvent) -> bool {
        if key.code == KeyCode::Backspace {
            self.backspace();
            return true;
        }
        self.push_key(key)
    }

    /// Empties the field, returning what was scanned with its barcode separators (for the
    /// label reader, which splits on them and refuses two ids in one scan), or why it cannot
    /// be used (said with [`crate::tui::reasons::scan_refusal_text`]).
    pub fn take_label_checked(&mut self) -> Result<String, ScanRefusal> {
        self.take_keeping(true)
    }

    /// Empties the field, returning the text typed, or why it cannot be used. A separator has
    /// no place in free text (a name, a time, a path): it is refused, named.
    pub fn take_checked(&mut self) -> Result<String, ScanRefusal> {
        self.take_keeping(false)
    }

    /// [`ScanField::take_label_checked`] with the reason in English words.
    pub fn take_label(&mut self) -> Result<String, String> {
        self.take_label_checked()
            .map_err(|refusal| refusal.to_string())
    }

    /// [`ScanField::take_checked`] with the reason in English words.
    pub fn take(&mut self) -> Result<String, String> {
        self.take_checked().map_err(|refusal| refusal.to_string())
    }

    fn take_keeping(&mut self, separators: bool) -> Result<String, ScanRefusal> {
        if !separators {
            let mut found = self.text.chars().filter(|c| is_barcode_separator(*c));
            if let Some(first) = found.next() {
                self.hidden_characters += 1 + found.count();
                self.first_hidden.get_or_insert(first);
            }
        }
        let overflow = std::mem::take(&mut self.overflow);
        let hidden = std::mem::take(&mut self.hidden_characters);
        let first_hidden = self.first_hidden.take();
        let text = std::mem::take(&mut self.text);
        if hidden > 0 {
            return Err(ScanRefusal::Hidden {
                count: hidden,
                first: first_hidden,
            });
        }
        if overflow > 0 {
            return Err(ScanRefusal::TooLong {
                length: text.chars().count() + overflow,
            });
        }
        Ok(text)
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.overflow == 0 && self.hidden_characters == 0
    }

    /// The field as a line: its label, the last 40 characters typed and a cursor.
    pub fn line<'a>(&self, view: &View<'_>, label: &str) -> Line<'a> {
        let shown: String = self
            .text
            .chars()
            .map(shown_separator)
            .rev()
            .take(40)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let extra = if self.overflow > 0 {
            format!(
                " {}",
                t!(view.lang, "reason-scan-too-many", count = self.overflow)
            )
        } else {
            String::new()
        };
        Line::from(vec![
            Span::raw(label.to_owned()),
            Span::styled(format!("{shown}▏"), view.theme.focus),
            Span::styled(extra, view.theme.alert),
        ])
    }
}

/// The separators inside a barcode's data: GS (the GS1 field separator, FNC1), RS and EOT
/// (ISO 15434 envelopes) and the Tab some scanners send between fields.
pub fn is_barcode_separator(character: char) -> bool {
    matches!(character, '\u{1D}' | '\u{1E}' | '\u{04}' | '\t')
}

/// A separator made visible on screen (it is kept, never printed raw).
fn shown_separator(character: char) -> char {
    match character {
        '\u{1D}' => '␝',
        '\u{1E}' => '␞',
        '\u{04}' => '␄',
        '\t' => '⇥',
        other => other,
    }
}

/// The control character a terminal reports as Ctrl + `key`: Ctrl+A..Z and Ctrl+@[\\]^_ by
/// their ASCII control codes, and Ctrl+4..7 as FS, GS, RS, US (how crossterm reports 0x1C-0x1F).
fn control_character(key: char) -> char {
    let code = match key {
        '4'..='7' => u32::from(key) - u32::from('4') + 0x1C,
        '@'..='_' | 'a'..='z' => u32::from(key.to_ascii_uppercase()) & 0x1F,
        // Any other Ctrl combination: some control character all the same.
        _ => 0x1A,
    };
    char::from_u32(code).unwrap_or('\u{1A}')
}
