//! A customer drops off a parcel to send, or returns one: who brings it, each label scanned,
//! refusals with their reason, the clerk's PIN. Accepted parcels wait for the next driver.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::list::{
    ListFlow, ListKey, ListView, RowMood, Step, list_key, render_list, shared_keys, shelf_set,
};
use super::{Flow, Lookup, incoming_label};
use crate::config::{Capability, KioskConfig};
use crate::domain::chain::{Counterparty, CounterpartyKind};
use crate::domain::custody::EventKind;
use crate::domain::handoff::{HandoffItem, HandoffRequest};
use crate::domain::ids::{TrackingId, clean_free_text};
use crate::domain::labels::carrier_of;
use crate::tui::action::{Action, Outcome};
use crate::tui::message::Message;
use crate::tui::view::View;
use crate::tui::widgets::id_column;

/// The words of this flow, in one place.
mod words {
    pub const NOT_OFFERED: &str = "This store does not take drop-offs (no DROP_OFF in kiosk.toml).";
    pub const START: &str = "Type the customer's name or reference, then Enter.";
    pub const SCAN: &str = "Scan each parcel's label. F2 refuse, F3 drop-off/return, F4 shelf.";
    pub const NEED_REFERENCE: &str = "Type the customer's name or reference first.";
    pub const NEED_PARCEL: &str = "Scan at least one parcel first.";
    pub const TITLE_DROP_OFF: &str = "CUSTOMER DROP-OFF (F3: return)";
    pub const TITLE_RETURN: &str = "CUSTOMER RETURN (F3: drop-off)";
    pub const SETUP_LABEL: &str = "Customer name or reference: ";
    pub const PIN_LABEL_DROP_OFF: &str = "Your PIN to record this drop-off: ";
    pub const PIN_LABEL_RETURN: &str = "Your PIN to record this return: ";
    pub const KEYS_SETUP: &str = "type the name or reference, Enter   Esc cancel";
    pub const KEYS_SCANNING: &str =
        "Enter add  empty Enter confirm  F2 refuse/reason  F3 drop-off/return  F4 shelf";
    pub const HELP: &[&str] = &[
        "Type who brings it (name or reference), then scan each label.",
        "F2 refuses the selected parcel and cycles the reason (damaged, size,",
        "weight, prohibited); F3 switches between drop-off and return.",
        "F4 puts the selected parcel on another shelf than the suggested one.",
        "Enter on an empty line, then your PIN: refusals are recorded too.",
    ];

    use super::super::list::counted;

    pub fn added(id: &impl std::fmt::Display) -> String {
        format!("{id} added.")
    }
    pub fn recorded(taken: usize, refused: usize) -> String {
        let parcels = counted(taken, "parcel");
        format!("Recorded: {parcels} taken in, {refused} refused.")
    }
}

/// Why a drop-off can be refused at the counter, cycled with F2.
pub const REFUSAL_REASONS: [&str; 4] = [
    "damaged",
    "over the size limit",
    "over the weight limit",
    "prohibited item",
];

#[derive(Debug, Clone)]
pub struct DropOffLine {
    pub tracking_id: TrackingId,
    pub refusal: Option<&'static str>,
    /// The shelf the clerk chose (F4); `None`: the drop-off or return shelf.
    pub shelf: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DropOffFlow {
    pub list: ListFlow<DropOffLine>,
    pub is_return: bool,
    /// Who dropped it off: a name or a reference from the customer's label or app.
    pub reference: String,
}

pub fn start(lookup: &Lookup<'_>) -> Result<(Box<dyn Flow>, Action), Message> {
    if !lookup.config.store.offers(Capability::DropOff) {
        return Err(Message::warn(words::NOT_OFFERED));
    }
    let flow = DropOffFlow {
        list: ListFlow::new(Step::Setup),
        is_return: false,
        reference: String::new(),
    };
    Ok((Box::new(flow), Action::info(words::START)))
}

impl DropOffFlow {
    /// Where a parcel of this flow goes: the clerk's choice, or the drop-off or return shelf.
    fn shelf_of<'a>(&self, line: &'a DropOffLine, config: &'a KioskConfig) -> &'a str {
        match &line.shelf {
            Some(shelf) => shelf,
            None if self.is_return => &config.shelves.returns,
            None => &config.shelves.drop_offs,
        }
    }

    fn requests(&mut self, config: &KioskConfig) -> Vec<HandoffRequest> {
        let customer = Counterparty {
            kind: CounterpartyKind::Customer,
            reference: self.reference.clone(),
        };
        let kind = if self.is_return {
            EventKind::CustomerReturn
        } else {
            EventKind::CustomerDropOff
        };
        let lines = &self.list.lines;
        let accepted: Vec<HandoffItem> = lines
            .iter()
            .filter(|l| l.refusal.is_none())
            .map(|l| HandoffItem::on_shelf(l.tracking_id.clone(), self.shelf_of(l, config)))
            .collect();
        let refused: Vec<HandoffItem> = lines
            .iter()
            .filter_map(|l| {
                l.refusal.map(|reason| {
                    HandoffItem::with_detail(l.tracking_id.clone(), &format!("refused: {reason}"))
                })
            })
            .collect();
        self.list.outcome = words::recorded(accepted.len(), refused.len());
        [(kind, accepted), (EventKind::DropOffRefused, refused)]
            .into_iter()
            .filter(|(_, items)| !items.is_empty())
            .map(|(kind, items)| HandoffRequest {
                kind,
                counterparty: customer.clone(),
                items,
                token_id: None,
                note: String::new(),
            })
            .collect()
    }
}

impl Flow for DropOffFlow {
    fn handle_key(&mut self, key: KeyEvent, lookup: &Lookup<'_>) -> Action {
        match list_key(&mut self.list, key) {
            ListKey::SetupDone(entered) => {
                match entered.and_then(|text| clean_free_text("the reference", &text, 80)) {
                    Ok(reference) if !reference.is_empty() => {
                        self.reference = reference;
                        self.list.step = Step::Scanning;
                        Action::info(words::SCAN)
                    }
                    Ok(_) => Action::warn(words::NEED_REFERENCE),
                    Err(reason) => Action::alert(reason),
                }
            }
            ListKey::Scanned(Err(reason)) => Action::alert(reason),
            ListKey::Scanned(Ok(scanned)) => {
                let already = self.list.lines.iter().map(|l| &l.tracking_id);
                match incoming_label(lookup, &scanned, already) {
                    Err(refusal) => refusal,
                    Ok(tracking_id) => {
                        let said = Action::ok(words::added(&tracking_id));
                        self.list.push(DropOffLine {
                            tracking_id,
                            refusal: None,
                            shelf: None,
                        });
                        said
                    }
                }
            }
            ListKey::Other(KeyCode::F(2)) => {
                if let Some(line) = self.list.selected_line() {
                    let next = match line.refusal {
                        None => Some(0),
                        Some(reason) => REFUSAL_REASONS
                            .iter()
                            .position(|r| *r == reason)
                            .map(|i| i + 1),
                    };
                    line.refusal = next.and_then(|index| REFUSAL_REASONS.get(index).copied());
                }
                Action::None
            }
            ListKey::Other(KeyCode::F(3)) => {
                self.is_return = !self.is_return;
                Action::None
            }
            ListKey::Other(KeyCode::F(4)) => self.list.open_shelf_entry(),
            ListKey::ShelfTyped(Err(reason)) => Action::alert(reason),
            ListKey::ShelfTyped(Ok(shelf)) => match self.list.selected_line() {
                Some(line) => {
                    let said = Action::ok(shelf_set(&line.tracking_id, &shelf));
                    line.shelf = Some(shelf);
                    said
                }
                None => Action::None,
            },
            ListKey::ListComplete => self
                .list
                .complete(!self.list.lines.is_empty(), words::NEED_PARCEL),
            ListKey::Pin(pin) => Action::Record {
                pin,
                requests: self.requests(lookup.config),
            },
            ListKey::Leave => self.list.leave(!self.list.lines.is_empty()),
            ListKey::DriverScanned | ListKey::Other(_) | ListKey::Handled => Action::None,
        }
    }

    fn outcome(&mut self, outcome: Outcome, _lookup: &Lookup<'_>) -> Action {
        self.list.recorded(outcome)
    }

    fn render(&self, frame: &mut Frame, view: &View<'_>, area: Rect) {
        let kind = if self.is_return { "RETURN" } else { "DROP-OFF" };
        let lines = &self.list.lines;
        let taken = lines.iter().filter(|l| l.refusal.is_none()).count();
        let list = ListView {
            title: if self.is_return {
                words::TITLE_RETURN
            } else {
                words::TITLE_DROP_OFF
            },
            summary: format!(
                "From {}: {taken} to take in as {kind}, {} refused",
                if self.reference.is_empty() {
                    "…"
                } else {
                    &self.reference
                },
                lines.len() - taken
            ),
            setup_label: words::SETUP_LABEL,
            header: vec!["Tracking id", "Carrier", "Shelf", "Condition"],
            widths: vec![
                id_column(lines.iter().map(|l| &l.tracking_id)),
                Constraint::Length(9),
                Constraint::Length(5),
                Constraint::Min(20),
            ],
            rows: lines
                .iter()
                .map(|line| {
                    let (shelf, condition, mood) = match line.refusal {
                        None => (
                            self.shelf_of(line, view.config).to_owned(),
                            "✔ accepted".to_owned(),
                            RowMood::Normal,
                        ),
                        Some(reason) => (
                            "-".to_owned(),
                            format!("✖ REFUSED: {reason}"),
                            RowMood::Warn,
                        ),
                    };
                    let cells = vec![
                        line.tracking_id.to_string(),
                        carrier_of(&line.tracking_id).to_string(),
                        shelf,
                        condition,
                    ];
                    (cells, mood)
                })
                .collect(),
            pin_label: if self.is_return {
                words::PIN_LABEL_RETURN
            } else {
                words::PIN_LABEL_DROP_OFF
            },
        };
        render_list(frame, view, &self.list, list, area);
    }

    fn keys(&self) -> &'static str {
        shared_keys(&self.list, words::KEYS_SETUP, words::KEYS_SCANNING)
    }

    fn help(&self) -> &'static [&'static str] {
        words::HELP
    }

    fn takes_text(&self) -> bool {
        self.list.takes_text()
    }
}
