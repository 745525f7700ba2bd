//! The shape most counter flows share: an optional set-up line (who, when), a list filled by
//! scanning, the clerk's PIN, and the outcome. Each flow adds its own lines, keys and requests.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};

use super::{not_recorded, recorded_words};
use crate::domain::custody::shelf_name;
use crate::domain::pin::Pin;
use crate::i18n::Lang;
use crate::t;
use crate::tui::action::{Action, Outcome};
use crate::tui::reasons::{Refusal, refusal_text, scan_refusal_text};
use crate::tui::view::View;
use crate::tui::widgets::pin_field::{PinKey, edit_pin, pin_line};
use crate::tui::widgets::render_table_showing;
use crate::tui::widgets::scan_field::{ScanField, ScanRefusal};

pub use crate::tui::widgets::fit::{fit, fit_cells};

/// What a key did to an open shelf entry (F4).
pub enum ShelfEdit {
    Editing,
    /// Enter: the shelf as the ledger keeps it, or why the text is not one.
    Set(Result<String, Refusal>),
    Cancelled,
}

/// The keys of an open shelf entry; `None` when none is open (the key is the flow's).
pub fn shelf_edit_key(entry: &mut Option<ScanField>, key: &KeyEvent) -> Option<ShelfEdit> {
    let field = entry.as_mut()?;
    Some(match key.code {
        KeyCode::Enter => {
            let typed = field.take_checked().map_err(Refusal::from);
            *entry = None;
            ShelfEdit::Set(typed.and_then(|text| shelf_name(&text).map_err(Refusal::from)))
        }
        KeyCode::Esc => {
            *entry = None;
            ShelfEdit::Cancelled
        }
        _ => {
            field.edit(key);
            ShelfEdit::Editing
        }
    })
}

/// A refused scan (Enter on the scan or set-up line), said in the clerk's `lang`.
pub fn scan_refused(lang: Lang, refusal: &ScanRefusal) -> Action {
    Action::alert(scan_refusal_text(lang, refusal))
}

/// A refused shelf (F4), said in the clerk's `lang`.
pub fn refused(lang: Lang, refusal: &Refusal) -> Action {
    Action::alert(refusal_text(lang, refusal))
}

/// The message for a shelf set with F4.
pub fn shelf_set(lang: Lang, id: &impl std::fmt::Display, shelf: &str) -> String {
    t!(lang, "flow-shelf-set", id = id.to_string(), shelf = shelf)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A line to fill before scanning (a customer reference, a must-leave-by time).
    Setup,
    Scanning,
    /// The driver's handshake QR (driver pickup).
    Qr,
    ConfirmPin,
    Done,
}

#[derive(Debug, Clone)]
pub struct ListFlow<L> {
    pub step: Step,
    /// The set-up line's text.
    pub setup: ScanField,
    pub scan: ScanField,
    pub lines: Vec<L>,
    pub selected: usize,
    pub pin: Pin,
    /// What was recorded, shown once done.
    pub outcome: String,
    /// F4 "shelf": the shelf the clerk is typing for the selected line, while it is open.
    pub shelf_entry: Option<ScanField>,
}

impl<L> ListFlow<L> {
    pub fn new(step: Step) -> Self {
        Self {
            step,
            setup: ScanField::default(),
            scan: ScanField::default(),
            lines: Vec::new(),
            selected: 0,
            pin: Pin::default(),
            outcome: String::new(),
            shelf_entry: None,
        }
    }

    /// F4: the clerk types another shelf for the selected line (when there is one).
    pub fn open_shelf_entry(&mut self, lang: Lang) -> Action {
        if self.selected < self.lines.len() {
            self.shelf_entry = Some(ScanField::default());
            Action::info(t!(lang, "flow-shelf-entry"))
        } else {
            Action::warn(t!(lang, "flow-shelf-needs-parcel"))
        }
    }

    pub fn selected_line(&mut self) -> Option<&mut L> {
        self.lines.get_mut(self.selected)
    }

    /// Adds a line and selects it (the newest scan is the one on screen).
    pub fn push(&mut self, line: L) {
        self.lines.push(line);
        self.selected = self.lines.len() - 1;
    }

    /// Whether the focused line takes free text.
    pub fn takes_text(&self) -> bool {
        matches!(self.step, Step::Setup | Step::Scanning)
    }

    /// Marks the flow recorded, keeping the words for the done line.
    pub fn finish(&mut self, outcome: &str) {
        self.step = Step::Done;
        self.outcome = outcome.to_owned();
    }

    /// Removes the selected line (Del), keeping a line selected.
    pub fn remove_selected(&mut self) -> Option<L> {
        if self.selected >= self.lines.len() {
            return None;
        }
        let removed = self.lines.remove(self.selected);
        self.selected = self.selected.min(self.lines.len().saturating_sub(1));
        Some(removed)
    }

    /// The list is complete (Enter on an empty scan line): on to the PIN, or `refusal` when
    /// there is nothing to record yet.
    pub fn complete(&mut self, anything: bool, refusal: String) -> Action {
        if anything {
            self.step = Step::ConfirmPin;
            Action::ClearMessage
        } else {
            Action::warn(refusal)
        }
    }

    /// Esc where it leaves: it discards work once lines were added and nothing is recorded.
    pub fn leave(&self, has_work: bool) -> Action {
        Action::Leave {
            discards_work: self.step != Step::Done && has_work,
        }
    }

    /// What a list flow does with the outcome of recording: done, or nothing was recorded.
    /// The words said on success were prepared in `outcome` when the requests were built;
    /// `lang` is the clerk's, for a warning added to them.
    pub fn recorded(&mut self, outcome: Outcome, lang: Lang) -> Action {
        match outcome {
            Outcome::Recorded(Ok(receipt)) => {
                let said = recorded_words(lang, &self.outcome, &receipt);
                self.finish(&said);
                Action::ok(said)
            }
            Outcome::Recorded(Err(error)) => not_recorded(lang, &error),
            Outcome::TokenIssued(_) | Outcome::TokenClaimed(_) => Action::None,
        }
    }
}

/// What a key meant in a list flow, for the flow to act on.
pub enum ListKey {
    /// Enter on the set-up line.
    SetupDone(Result<String, ScanRefusal>),
    /// A scanned (or typed) label with Enter.
    Scanned(Result<String, ScanRefusal>),
    /// Enter on an empty scan line: the list is complete.
    ListComplete,
    /// Enter on the PIN.
    Pin(Pin),
    /// Enter on the QR step: the driver has scanned.
    DriverScanned,
    /// Esc where it leaves the flow.
    Leave,
    /// Enter on the shelf entry (F4): the shelf for the selected line, or why not.
    ShelfTyped(Result<String, Refusal>),
    /// A key the flow gives its own meaning (F-keys).
    Other(KeyCode),
    Handled,
}

/// The keys every list flow shares. Typing goes into the focused line; arrows move the
/// selection; Esc steps back.
pub fn list_key<L>(flow: &mut ListFlow<L>, key: KeyEvent) -> ListKey {
    let plain_char = |key: &KeyEvent| match key.code {
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => Some(c),
        _ => None,
    };
    match flow.step {
        Step::Setup => match key.code {
            KeyCode::Enter => ListKey::SetupDone(flow.setup.take_checked()),
            KeyCode::Backspace => {
                flow.setup.backspace();
                ListKey::Handled
            }
            KeyCode::Esc => ListKey::Leave,
            _ => match plain_char(&key) {
                Some(c) => {
                    flow.setup.push(c);
                    ListKey::Handled
                }
                None => ListKey::Other(key.code),
            },
        },
        Step::Scanning if flow.shelf_entry.is_some() => {
            match shelf_edit_key(&mut flow.shelf_entry, &key) {
                Some(ShelfEdit::Set(shelf)) => ListKey::ShelfTyped(shelf),
                Some(ShelfEdit::Editing | ShelfEdit::Cancelled) | None => ListKey::Handled,
            }
        }
        Step::Scanning => match key.code {
            KeyCode::Enter if flow.scan.is_empty() => ListKey::ListComplete,
            KeyCode::Enter => ListKey::Scanned(flow.scan.take_label_checked()),
            KeyCode::Up | KeyCode::Down => {
                super::move_selection(
                    &mut flow.selected,
                    flow.lines.len(),
                    key.code == KeyCode::Down,
                );
                ListKey::Handled
            }
            KeyCode::Esc if !flow.scan.is_empty() => {
                let _ = flow.scan.take_checked();
                ListKey::Handled
            }
            KeyCode::Esc => ListKey::Leave,
            // A Tab or a control key inside a scan spoils it (refused, named), never dropped.
            _ if flow.scan.edit(&key) => ListKey::Handled,
            other => ListKey::Other(other),
        },
        Step::Qr => match key.code {
            KeyCode::Enter => ListKey::DriverScanned,
            KeyCode::Esc => {
                flow.step = Step::Scanning;
                ListKey::Handled
            }
            other => ListKey::Other(other),
        },
        Step::ConfirmPin => match edit_pin(&mut flow.pin, key.code) {
            PinKey::Submit(pin) => ListKey::Pin(pin),
            PinKey::Back => {
                flow.step = Step::Scanning;
                ListKey::Handled
            }
            PinKey::Edited | PinKey::Other => ListKey::Handled,
        },
        Step::Done => match key.code {
            KeyCode::Enter | KeyCode::Esc => ListKey::Leave,
            _ => ListKey::Handled,
        },
    }
}

/// The key line (the clerk's) for the steps every list flow shares; `setup` and `scanning`
/// give the flow's own.
pub fn shared_keys<L>(
    flow: &ListFlow<L>,
    lang: Lang,
    setup: impl FnOnce() -> String,
    scanning: impl FnOnce() -> String,
) -> String {
    if flow.shelf_entry.is_some() {
        return t!(lang, "flow-shelf-keys");
    }
    match flow.step {
        Step::Setup => setup(),
        Step::Scanning => scanning(),
        Step::Qr => t!(lang, "flow-keys-qr"),
        Step::ConfirmPin => t!(lang, "flow-keys-pin"),
        Step::Done => t!(lang, "flow-keys-done"),
    }
}

/// How a flow shows itself in the shared layout, its words already in the language of whoever
/// reads each (the title, summary and list: the customer's; the prompts: the clerk's).
pub struct ListView {
    pub title: String,
    pub summary: String,
    pub setup_label: String,
    pub header: Vec<String>,
    pub widths: Vec<Constraint>,
    pub rows: Vec<(Vec<String>, RowMood)>,
    pub pin_label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowMood {
    Normal,
    Good,
    Warn,
}

pub fn render_list<L>(
    frame: &mut Frame,
    view: &View<'_>,
    flow: &ListFlow<L>,
    list: ListView,
    area: Rect,
) {
    let theme = view.theme;
    let [top, list_area, bottom] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(2),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(list.title, theme.title),
            Line::raw(list.summary),
        ]),
        top,
    );
    let rows: Vec<Row> = list
        .rows
        .into_iter()
        .enumerate()
        .map(|(index, (cells, mood))| {
            let style = if index == flow.selected && flow.step == Step::Scanning {
                theme.focus
            } else {
                match mood {
                    RowMood::Normal => theme.normal,
                    RowMood::Good => theme.ok,
                    RowMood::Warn => theme.warn,
                }
            };
            Row::new(fit_cells(cells, &list.widths, list_area.width)).style(style)
        })
        .collect();
    let table = Table::new(rows, list.widths)
        .header(Row::new(list.header).style(theme.title))
        .block(Block::new().borders(Borders::TOP));
    render_table_showing(frame, table, list_area, flow.selected);
    let prompt = match flow.step {
        Step::Setup => flow.setup.line(view, &list.setup_label),
        Step::Scanning if flow.shelf_entry.is_some() => match &flow.shelf_entry {
            Some(entry) => entry.line(view, &t!(view.lang, "flow-shelf-label")),
            None => Line::raw(""),
        },
        Step::Scanning | Step::Qr => flow.scan.line(view, &t!(view.lang, "flow-scan-label")),
        Step::ConfirmPin => pin_line(view, &list.pin_label, &flow.pin),
        // The message line says what was recorded; saying it here too printed it twice.
        Step::Done => Line::styled(t!(view.lang, "flow-done-next"), theme.normal),
    };
    frame.render_widget(Paragraph::new(prompt).wrap(Wrap { trim: true }), bottom);
}
