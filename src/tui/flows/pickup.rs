//! A customer collects: the pickup code unlocks the customer's parcels; each is scanned as it
//! is handed over; a wrong parcel is refused loudly; the clerk's PIN records it all at once.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table};

use super::{Flow, Lookup, move_selection, not_recorded, parse_label};
use crate::domain::chain::{Counterparty, CounterpartyKind};
use crate::domain::codes::PickupCode;
use crate::domain::custody::EventKind;
use crate::domain::handoff::{HandoffItem, HandoffRequest};
use crate::domain::pin::Pin;
use crate::store::ParcelRecord;
use crate::tui::action::{Action, Outcome};
use crate::tui::message::Message;
use crate::tui::view::View;
use crate::tui::widgets::pin_field::{PinKey, edit_pin, pin_line};
use crate::tui::widgets::scan_field::ScanField;
use crate::tui::widgets::{id_column, render_table_showing};

mod words {
    pub const START: &str = "Type or scan the customer's pickup code.";
    pub const TITLE: &str = "CUSTOMER PICKUP";
    pub const ASK: &str = "Ask for the pickup code (on the customer's phone or notice).";
    pub const NO_PARCELS: &str = "No parcels wait for this code. Check the code with the customer.";
    pub const SCAN_FIRST: &str =
        "Scan each parcel as you hand it over (or mark it with F4/F6) first.";
    pub const CLEARED: &str = "Scan line cleared.";
    pub const CODE_LABEL: &str = "Pickup code: ";
    pub const PIN_LABEL: &str = "Your PIN to record this pickup: ";
    pub const DONE: &str = "✔ Recorded. Enter for home.";
    pub const KEYS_CODE: &str = "type/scan the code, Enter   Esc cancel";
    pub const KEYS_PARCELS: &str =
        "Enter scan   empty Enter confirm   F4 not found   F6 refused   Esc cancel";
    pub const KEYS_PIN: &str = "type your PIN, Enter   Esc back";
    pub const KEYS_DONE: &str = "Enter home";
    pub const HELP: &[&str] = &[
        "1. Type or scan the customer's pickup code.",
        "2. Fetch the parcels from the shelves shown and scan each as you hand",
        "   it over. A parcel not for this customer is refused.",
        "   F4: unable to find it.  F6: the customer refuses it.",
        "3. Enter on an empty line, then your PIN: all is recorded at once.",
    ];

    pub fn found(count: usize, customer: &str) -> String {
        format!("{count} parcel(s) for {customer}. Scan each as you hand it over.")
    }
    pub fn wrong_parcel(id: &impl std::fmt::Display) -> String {
        format!("WRONG PARCEL: {id} is not for this customer. Do not hand it over.")
    }
    pub fn already_scanned(id: &impl std::fmt::Display) -> String {
        format!("{id} was already scanned.")
    }
    pub fn handed_over(id: &impl std::fmt::Display) -> String {
        format!("{id} handed over.")
    }
    pub fn recorded(handed: usize, exceptions: usize) -> String {
        if exceptions > 0 {
            format!("Recorded: {handed} parcel(s) handed over, {exceptions} exception(s).")
        } else {
            format!("Recorded: {handed} parcel(s) handed over.")
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PickupStep {
    #[default]
    Code,
    Parcels,
    ConfirmPin,
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineState {
    Waiting,
    HandedOver,
    UnableToFind,
    CustomerRefused,
}

#[derive(Debug, Clone)]
pub struct PickupLine {
    pub parcel: ParcelRecord,
    pub state: LineState,
}

#[derive(Debug, Clone, Default)]
pub struct PickupFlow {
    pub step: PickupStep,
    pub code: ScanField,
    pub customer: String,
    pub lines: Vec<PickupLine>,
    pub selected: usize,
    pub scan: ScanField,
    pub pin: Pin,
    /// The message once recorded.
    recorded: String,
}

pub fn start(_lookup: &Lookup<'_>) -> Result<(Box<dyn Flow>, Action), Message> {
    Ok((Box::<PickupFlow>::default(), Action::info(words::START)))
}

impl PickupFlow {
    pub fn load(&mut self, parcels: Vec<ParcelRecord>) {
        self.customer = parcels
            .iter()
            .map(|parcel| parcel.recipient_name.clone())
            .find(|name| !name.is_empty())
            .unwrap_or_else(|| "the customer".to_owned());
        self.lines = parcels
            .into_iter()
            .map(|parcel| PickupLine {
                parcel,
                state: LineState::Waiting,
            })
            .collect();
        self.selected = 0;
        self.step = PickupStep::Parcels;
    }

    pub fn mark_selected(&mut self, state: LineState) {
        if let Some(line) = self.lines.get_mut(self.selected) {
            line.state = if line.state == state {
                LineState::Waiting
            } else {
                state
            };
        }
    }

    fn look_up_code(&mut self, entered: Result<String, String>, lookup: &Lookup<'_>) -> Action {
        let code =
            match entered.and_then(|text| PickupCode::parse(&text).map_err(|e| e.to_string())) {
                Ok(code) => code,
                Err(reason) => return Action::alert(format!("{}.", capitalised(&reason))),
            };
        match lookup.parcels_for_code(&code) {
            Err(error) => Action::alert(error.to_string()),
            Ok(parcels) if parcels.is_empty() => Action::alert(words::NO_PARCELS),
            Ok(parcels) => {
                let count = parcels.len();
                self.load(parcels);
                Action::info(words::found(count, &self.customer))
            }
        }
    }

    /// A scanned label: hands over the matching parcel, or refuses loudly.
    pub fn scan_handed_over(&mut self, scanned: &str, lookup: &Lookup<'_>) -> Action {
        let tracking_id = match parse_label(lookup, scanned).map(|label| label.tracking_id) {
            Ok(id) => id,
            Err(refusal) => return refusal,
        };
        let Some(index) = self
            .lines
            .iter()
            .position(|line| line.parcel.tracking_id == tracking_id)
        else {
            return Action::alert(words::wrong_parcel(&tracking_id));
        };
        self.selected = index;
        let line = &mut self.lines[index];
        if line.state == LineState::HandedOver {
            Action::warn(words::already_scanned(&tracking_id))
        } else {
            line.state = LineState::HandedOver;
            Action::ok(words::handed_over(&tracking_id))
        }
    }

    fn count(&self, wanted: impl Fn(LineState) -> bool) -> usize {
        self.lines.iter().filter(|line| wanted(line.state)).count()
    }

    fn requests(&mut self) -> Vec<HandoffRequest> {
        let customer = Counterparty {
            kind: CounterpartyKind::Customer,
            reference: self.customer.clone(),
        };
        let mut requests = Vec::new();
        for (state, kind, detail) in [
            (LineState::HandedOver, EventKind::CustomerPickup, ""),
            (
                LineState::UnableToFind,
                EventKind::UnableToFind,
                "not found on the shelf at pickup",
            ),
            (
                LineState::CustomerRefused,
                EventKind::CustomerRefused,
                "refused by the customer at the counter",
            ),
        ] {
            let items: Vec<HandoffItem> = self
                .lines
                .iter()
                .filter(|line| line.state == state)
                .map(|line| HandoffItem::with_detail(line.parcel.tracking_id.clone(), detail))
                .collect();
            if !items.is_empty() {
                requests.push(HandoffRequest {
                    kind,
                    counterparty: customer.clone(),
                    items,
                    token_id: None,
                    note: String::new(),
                });
            }
        }
        self.recorded = words::recorded(
            self.count(|state| state == LineState::HandedOver),
            self.count(|state| {
                matches!(state, LineState::UnableToFind | LineState::CustomerRefused)
            }),
        );
        requests
    }

    fn parcels_key(&mut self, key: KeyEvent, lookup: &Lookup<'_>) -> Action {
        if self.scan.edit(&key) {
            return Action::None;
        }
        match key.code {
            KeyCode::Up | KeyCode::Down => {
                move_selection(
                    &mut self.selected,
                    self.lines.len(),
                    key.code == KeyCode::Down,
                );
                Action::None
            }
            KeyCode::F(4) => {
                self.mark_selected(LineState::UnableToFind);
                Action::None
            }
            KeyCode::F(6) => {
                self.mark_selected(LineState::CustomerRefused);
                Action::None
            }
            KeyCode::Esc if !self.scan.is_empty() => {
                let _ = self.scan.take();
                Action::warn(words::CLEARED)
            }
            KeyCode::Esc => Action::Leave {
                discards_work: true,
            },
            KeyCode::Enter => match self.scan.take_label() {
                Err(reason) => Action::alert(reason),
                Ok(scanned) if scanned.trim().is_empty() => {
                    if self.count(|state| state != LineState::Waiting) > 0 {
                        self.step = PickupStep::ConfirmPin;
                        self.pin.clear();
                        Action::ClearMessage
                    } else {
                        Action::warn(words::SCAN_FIRST)
                    }
                }
                Ok(scanned) => self.scan_handed_over(&scanned, lookup),
            },
            _ => Action::None,
        }
    }
}

fn capitalised(text: &str) -> String {
    let mut characters = text.chars();
    characters.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(characters).collect()
    })
}

impl Flow for PickupFlow {
    fn handle_key(&mut self, key: KeyEvent, lookup: &Lookup<'_>) -> Action {
        match (self.step, key.code) {
            (PickupStep::Code, KeyCode::Char(_) | KeyCode::Tab) => {
                self.code.push_key(&key);
                Action::None
            }
            (PickupStep::Code, KeyCode::Backspace) => {
                self.code.backspace();
                Action::None
            }
            (PickupStep::Code, KeyCode::Esc)
            | (PickupStep::Done, KeyCode::Enter | KeyCode::Esc) => Action::Leave {
                discards_work: false,
            },
            (PickupStep::Code, KeyCode::Enter) => {
                let entered = self.code.take();
                self.look_up_code(entered, lookup)
            }
            (PickupStep::Parcels, _) => self.parcels_key(key, lookup),
            (PickupStep::ConfirmPin, code) => match edit_pin(&mut self.pin, code) {
                PinKey::Back => {
                    self.step = PickupStep::Parcels;
                    Action::None
                }
                PinKey::Submit(pin) => Action::Record {
                    pin,
                    requests: self.requests(),
                },
                PinKey::Edited | PinKey::Other => Action::None,
            },
            (PickupStep::Code | PickupStep::Done, _) => Action::None,
        }
    }

    fn outcome(&mut self, outcome: Outcome, _lookup: &Lookup<'_>) -> Action {
        match outcome {
            Outcome::Recorded(Ok(_)) => {
                self.step = PickupStep::Done;
                Action::ok(self.recorded.clone())
            }
            Outcome::Recorded(Err(error)) => not_recorded(&error),
            Outcome::TokenIssued(_) | Outcome::TokenClaimed(_) => Action::None,
        }
    }

    fn render(&self, frame: &mut Frame, view: &View<'_>, area: Rect) {
        let theme = view.theme;
        let [top, list_area, bottom] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .areas(area);
        let heading = match self.step {
            PickupStep::Code => words::ASK.to_owned(),
            PickupStep::Parcels | PickupStep::ConfirmPin | PickupStep::Done => {
                format!("For {}: {} parcel(s)", self.customer, self.lines.len())
            }
        };
        frame.render_widget(
            Paragraph::new(vec![
                Line::styled(words::TITLE, theme.title),
                Line::raw(heading),
            ]),
            top,
        );
        let rows: Vec<Row> = self
            .lines
            .iter()
            .enumerate()
            .map(|(index, line)| {
                let (state, style) = match line.state {
                    LineState::Waiting => ("… fetch from shelf", theme.normal),
                    LineState::HandedOver => ("✔ handed over", theme.ok),
                    LineState::UnableToFind => ("! unable to find", theme.warn),
                    LineState::CustomerRefused => ("! customer refused", theme.warn),
                };
                let style = if index == self.selected && self.step == PickupStep::Parcels {
                    theme.focus
                } else {
                    style
                };
                Row::new(vec![
                    line.parcel.shelf.clone(),
                    line.parcel.tracking_id.to_string(),
                    line.parcel.carrier.to_string(),
                    state.to_owned(),
                ])
                .style(style)
            })
            .collect();
        let table = Table::new(
            rows,
            [
                Constraint::Length(6),
                id_column(self.lines.iter().map(|l| &l.parcel.tracking_id)),
                Constraint::Length(9),
                Constraint::Min(18),
            ],
        )
        .header(Row::new(vec!["Shelf", "Tracking id", "Carrier", "State"]).style(theme.title))
        .block(Block::new().borders(Borders::TOP));
        render_table_showing(frame, table, list_area, self.selected);
        let prompt = match self.step {
            PickupStep::Code => self.code.line(view, words::CODE_LABEL),
            PickupStep::Parcels => self.scan.line(view, "Scan: "),
            PickupStep::ConfirmPin => pin_line(view, words::PIN_LABEL, &self.pin),
            PickupStep::Done => Line::styled(words::DONE, theme.ok),
        };
        frame.render_widget(Paragraph::new(prompt), bottom);
    }

    fn keys(&self) -> &'static str {
        match self.step {
            PickupStep::Code => words::KEYS_CODE,
            PickupStep::Parcels => words::KEYS_PARCELS,
            PickupStep::ConfirmPin => words::KEYS_PIN,
            PickupStep::Done => words::KEYS_DONE,
        }
    }

    fn help(&self) -> &'static [&'static str] {
        words::HELP
    }

    fn takes_text(&self) -> bool {
        self.step == PickupStep::Parcels
    }
}
