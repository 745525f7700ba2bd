//! A parcel found damaged on the shelf: the clerk scans it, says how it is damaged, and
//! confirms with the PIN. It then waits for the next driver to go back to the carrier, and the
//! damage is on record before anyone collects it.
//!
//! This flow was added as the first one in the components shape: this file, one line in
//! `FLOWS` and one line on the home screen's menu.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::list::{ListFlow, ListKey, ListView, RowMood, Step, list_key, render_list, shared_keys};
use super::{Flow, Lookup, parse_label};
use crate::domain::chain::{Counterparty, CounterpartyKind};
use crate::domain::custody::{EventKind, ParcelStatus};
use crate::domain::handoff::{HandoffItem, HandoffRequest};
use crate::store::ParcelRecord;
use crate::tui::action::{Action, Outcome};
use crate::tui::message::Message;
use crate::tui::view::View;
use crate::tui::widgets::id_column;

mod words {
    pub const START: &str = "Scan each damaged parcel. F2 changes how it is damaged.";
    pub const NEED_PARCEL: &str = "Scan at least one damaged parcel first.";
    pub const TITLE: &str = "FOUND DAMAGED IN THE STORE (goes back to the carrier)";
    pub const PIN_LABEL: &str = "Your PIN to record the damage: ";
    pub const KEYS_SCANNING: &str =
        "Enter add   empty Enter confirm   F2 damage   Del remove   Esc";
    pub const COUNTERPARTY: &str = "found damaged in store";
    pub const HELP: &[&str] = &[
        "For a parcel found damaged while the store holds it.",
        "Scan each one; F2 cycles how it is damaged; Del removes the selected one.",
        "Enter on an empty line, then your PIN. The parcels then wait for the",
        "next driver, who takes them back to the carrier.",
    ];

    use super::super::list::counted;

    pub fn summary(count: usize) -> String {
        format!("{} found damaged", counted(count, "parcel"))
    }
    pub fn added(id: &impl std::fmt::Display, shelf: &str) -> String {
        format!("{id} (shelf {shelf}) added: take it off the shelf.")
    }
    pub fn duplicate(id: &impl std::fmt::Display) -> String {
        format!("{id} is already in this list (duplicate scan).")
    }
    pub fn unknown(id: &impl std::fmt::Display) -> String {
        format!("{id} is not in the store's records.")
    }
    pub fn not_held(id: &impl std::fmt::Display, status: &str) -> String {
        format!("{id} is {status}: only a parcel the store holds can be recorded damaged.")
    }
    pub fn recorded(count: usize) -> String {
        let (parcels, they) = (
            counted(count, "parcel"),
            if count == 1 { "it waits" } else { "they wait" },
        );
        format!("Recorded: {parcels} damaged; {they} for the next driver.")
    }
}

/// How a parcel is damaged, cycled with F2; the words go into the event.
pub const DAMAGE: [&str; 4] = ["crushed", "wet", "torn open", "contents broken"];

#[derive(Debug, Clone)]
pub struct DamagedLine {
    pub parcel: ParcelRecord,
    /// An index into [`DAMAGE`].
    pub damage: usize,
}

#[derive(Debug, Clone)]
pub struct DamagedFlow {
    pub list: ListFlow<DamagedLine>,
}

pub fn start(_lookup: &Lookup<'_>) -> Result<(Box<dyn Flow>, Action), Message> {
    let flow = DamagedFlow {
        list: ListFlow::new(Step::Scanning),
    };
    Ok((Box::new(flow), Action::info(words::START)))
}

/// The statuses from which the state machine takes a `Damaged` event: held for a customer, or
/// already waiting for a driver.
fn can_be_damaged(status: ParcelStatus) -> bool {
    matches!(
        status,
        ParcelStatus::HeldForCustomer | ParcelStatus::AwaitingDriver
    )
}

impl DamagedFlow {
    fn scanned(&mut self, scanned: &str, lookup: &Lookup<'_>) -> Action {
        let tracking_id = match parse_label(lookup, scanned).map(|label| label.tracking_id) {
            Ok(id) => id,
            Err(refusal) => return refusal,
        };
        if let Some(index) = self
            .list
            .lines
            .iter()
            .position(|line| line.parcel.tracking_id == tracking_id)
        {
            self.list.selected = index;
            return Action::warn(words::duplicate(&tracking_id));
        }
        match lookup.parcel(&tracking_id) {
            Err(error) => Action::alert(error.to_string()),
            Ok(None) => Action::alert(words::unknown(&tracking_id)),
            Ok(Some(parcel)) if !can_be_damaged(parcel.status) => {
                Action::alert(words::not_held(&tracking_id, parcel.status.label()))
            }
            Ok(Some(parcel)) => {
                let said = Action::ok(words::added(&tracking_id, &parcel.shelf));
                self.list.push(DamagedLine { parcel, damage: 0 });
                said
            }
        }
    }

    fn requests(&mut self) -> Vec<HandoffRequest> {
        let items: Vec<HandoffItem> = self
            .list
            .lines
            .iter()
            .map(|line| {
                let damage = DAMAGE.get(line.damage).copied().unwrap_or("damaged");
                HandoffItem::with_detail(line.parcel.tracking_id.clone(), damage)
            })
            .collect();
        self.list.outcome = words::recorded(items.len());
        vec![HandoffRequest {
            kind: EventKind::Damaged,
            counterparty: Counterparty {
                kind: CounterpartyKind::Store,
                reference: words::COUNTERPARTY.to_owned(),
            },
            items,
            token_id: None,
            note: String::new(),
        }]
    }
}

impl Flow for DamagedFlow {
    fn handle_key(&mut self, key: KeyEvent, lookup: &Lookup<'_>) -> Action {
        match list_key(&mut self.list, key) {
            ListKey::Scanned(Err(reason)) => Action::alert(reason),
            ListKey::Scanned(Ok(scanned)) => self.scanned(&scanned, lookup),
            ListKey::Other(KeyCode::F(2)) => {
                if let Some(line) = self.list.selected_line() {
                    line.damage = (line.damage + 1) % DAMAGE.len();
                }
                Action::None
            }
            ListKey::Other(KeyCode::Delete) => {
                self.list.remove_selected();
                Action::None
            }
            ListKey::ListComplete => self
                .list
                .complete(!self.list.lines.is_empty(), words::NEED_PARCEL),
            ListKey::Pin(pin) => Action::Record {
                pin,
                requests: self.requests(),
            },
            ListKey::Leave => self.list.leave(!self.list.lines.is_empty()),
            ListKey::SetupDone(_)
            | ListKey::DriverScanned
            | ListKey::ShelfTyped(_)
            | ListKey::Other(_)
            | ListKey::Handled => Action::None,
        }
    }

    fn outcome(&mut self, outcome: Outcome, _lookup: &Lookup<'_>) -> Action {
        self.list.recorded(outcome)
    }

    fn render(&self, frame: &mut Frame, view: &View<'_>, area: Rect) {
        let list = ListView {
            title: words::TITLE,
            summary: words::summary(self.list.lines.len()),
            setup_label: "",
            header: vec!["Shelf", "Tracking id", "Carrier", "Damage"],
            widths: vec![
                Constraint::Length(6),
                id_column(self.list.lines.iter().map(|l| &l.parcel.tracking_id)),
                Constraint::Length(9),
                Constraint::Min(16),
            ],
            rows: self
                .list
                .lines
                .iter()
                .map(|line| {
                    let damage = DAMAGE.get(line.damage).copied().unwrap_or("damaged");
                    let cells = vec![
                        line.parcel.shelf.clone(),
                        line.parcel.tracking_id.to_string(),
                        line.parcel.carrier.to_string(),
                        format!("! {damage}"),
                    ];
                    (cells, RowMood::Warn)
                })
                .collect(),
            pin_label: words::PIN_LABEL,
        };
        render_list(frame, view, &self.list, list, area);
    }

    fn keys(&self) -> &'static str {
        shared_keys(&self.list, "", words::KEYS_SCANNING)
    }

    fn help(&self) -> &'static [&'static str] {
        words::HELP
    }

    fn takes_text(&self) -> bool {
        self.list.step == Step::Scanning
    }
}
