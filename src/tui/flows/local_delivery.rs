//! A rural store's own courier: build a run of held parcels whose addresses are in the service
//! area, and when the courier is back record each parcel delivered (with a note) or brought
//! back.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::list::{ListFlow, ListKey, ListView, RowMood, Step, list_key, render_list, shared_keys};
use super::{Flow, Lookup, parse_label};
use crate::config::Capability;
use crate::domain::chain::{Counterparty, CounterpartyKind};
use crate::domain::custody::{EventKind, ParcelStatus};
use crate::domain::handoff::{HandoffItem, HandoffRequest};
use crate::domain::ids::TrackingId;
use crate::domain::local_delivery::check_local_delivery;
use crate::store::ParcelRecord;
use crate::tui::action::{Action, Outcome};
use crate::tui::message::Message;
use crate::tui::view::View;
use crate::tui::widgets::id_column;

mod words {
    pub const NOT_OFFERED: &str =
        "This store does not deliver locally (no LOCAL_DELIVERY in kiosk.toml).";
    pub const START: &str =
        "Scan the parcels going out on this run. F3: record a run that came back.";
    pub const BACK: &str =
        "For each parcel: F7 delivered (again for another note), F8 or scan: brought back.";
    pub const NOTHING: &str = "Nothing to record yet.";
    pub const TITLE_OUT: &str = "LOCAL DELIVERY: build a run";
    pub const TITLE_BACK: &str = "LOCAL DELIVERY: the run is back";
    pub const PIN_LABEL: &str = "Your PIN to record: ";
    pub const KEYS_OUT: &str = "Enter add   empty Enter confirm   F3 a run came back   Esc cancel";
    pub const KEYS_BACK: &str =
        "F7 delivered/note   F8 or scan: back   empty Enter confirm   F3 new run";
    pub const HELP: &[&str] = &[
        "Build a run: scan held parcels; only addresses in the service area go.",
        "F3 when the courier is back: F7 delivered (again: another note),",
        "F8 or a scan: brought back to the shelf. Empty Enter, then your PIN.",
    ];

    use super::super::list::counted;

    pub fn summary(count: usize, service_area: &[String]) -> String {
        format!(
            "{}; service area {}",
            counted(count, "parcel"),
            service_area.join(", ")
        )
    }
    pub fn brought_back(id: &impl std::fmt::Display) -> String {
        format!("{id} brought back.")
    }
    pub fn already_on_run(id: &impl std::fmt::Display) -> String {
        format!("{id} is already on this run.")
    }
    pub fn was_not_out(id: &impl std::fmt::Display) -> String {
        format!("{id} was not out for delivery.")
    }
    pub fn cannot_go(id: &impl std::fmt::Display, reason: &impl std::fmt::Display) -> String {
        format!("{id} cannot go on this run: {reason}.")
    }
    pub fn joins(id: &impl std::fmt::Display, postal_code: &str) -> String {
        format!("{id} joins the run ({postal_code}).")
    }
    pub fn recorded(out: usize, delivered: usize, back: usize) -> String {
        format!("Recorded: {out} out for delivery, {delivered} delivered, {back} brought back.")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalMode {
    /// Building a run: held parcels go out with the store's courier.
    Out,
    /// The courier is back: each parcel delivered (with a note) or brought back.
    Back,
}

pub const DELIVERY_NOTES: [&str; 3] = [
    "handed to the recipient",
    "left with a neighbour",
    "left in a safe place",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalState {
    Going,
    Waiting,
    Delivered(usize),
    BroughtBack,
}

#[derive(Debug, Clone)]
pub struct LocalLine {
    pub parcel: ParcelRecord,
    pub state: LocalState,
}

#[derive(Debug, Clone)]
pub struct LocalDeliveryFlow {
    pub list: ListFlow<LocalLine>,
    pub mode: LocalMode,
}

pub fn start(lookup: &Lookup<'_>) -> Result<(Box<dyn Flow>, Action), Message> {
    if !lookup.config.store.offers(Capability::LocalDelivery) {
        return Err(Message::warn(words::NOT_OFFERED));
    }
    let flow = LocalDeliveryFlow {
        list: ListFlow::new(Step::Scanning),
        mode: LocalMode::Out,
    };
    Ok((Box::new(flow), Action::info(words::START)))
}

impl LocalDeliveryFlow {
    fn switch_mode(&mut self, lookup: &Lookup<'_>) -> Action {
        if self.mode == LocalMode::Back {
            self.mode = LocalMode::Out;
            self.list = ListFlow::new(Step::Scanning);
            return Action::None;
        }
        match lookup.parcels_with_status(ParcelStatus::OutForDelivery) {
            Err(error) => Action::alert(error.to_string()),
            Ok(out) => {
                self.mode = LocalMode::Back;
                self.list = ListFlow::new(Step::Scanning);
                self.list.lines = out
                    .into_iter()
                    .map(|parcel| LocalLine {
                        parcel,
                        state: LocalState::Waiting,
                    })
                    .collect();
                Action::info(words::BACK)
            }
        }
    }

    fn scanned(&mut self, tracking_id: TrackingId, lookup: &Lookup<'_>) -> Action {
        let on_run = self
            .list
            .lines
            .iter()
            .position(|l| l.parcel.tracking_id == tracking_id);
        match (on_run, self.mode) {
            (Some(index), LocalMode::Back) => {
                self.list.selected = index;
                self.list.lines[index].state = LocalState::BroughtBack;
                Action::ok(words::brought_back(&tracking_id))
            }
            (Some(index), LocalMode::Out) => {
                self.list.selected = index;
                Action::warn(words::already_on_run(&tracking_id))
            }
            (None, LocalMode::Back) => Action::alert(words::was_not_out(&tracking_id)),
            (None, LocalMode::Out) => match lookup.parcel(&tracking_id) {
                Err(error) => Action::alert(error.to_string()),
                Ok(None) => Action::alert(format!("{tracking_id} is not in the store's records.")),
                Ok(Some(parcel)) => match check_local_delivery(
                    parcel.status,
                    &parcel.postal_code,
                    &lookup.config.store.service_area,
                ) {
                    Err(reason) => Action::alert(words::cannot_go(&tracking_id, &reason)),
                    Ok(()) => {
                        let said = Action::ok(words::joins(&tracking_id, &parcel.postal_code));
                        self.list.push(LocalLine {
                            parcel,
                            state: LocalState::Going,
                        });
                        said
                    }
                },
            },
        }
    }

    fn requests(&mut self, courier_name: &str) -> Vec<HandoffRequest> {
        let courier = Counterparty {
            kind: CounterpartyKind::Store,
            reference: format!("courier: {courier_name}"),
        };
        let pick = |wanted: fn(LocalState) -> Option<String>| -> Vec<HandoffItem> {
            self.list
                .lines
                .iter()
                .filter_map(|line| {
                    wanted(line.state).map(|detail| HandoffItem {
                        shelf: line.parcel.shelf.clone(),
                        ..HandoffItem::with_detail(line.parcel.tracking_id.clone(), &detail)
                    })
                })
                .collect()
        };
        let batches = [
            (
                EventKind::LocalDeliveryOut,
                pick(|s| (s == LocalState::Going).then(String::new)),
            ),
            (
                EventKind::LocalDeliveryDelivered,
                pick(|s| match s {
                    LocalState::Delivered(note) => DELIVERY_NOTES.get(note).map(|n| n.to_string()),
                    LocalState::Going | LocalState::Waiting | LocalState::BroughtBack => None,
                }),
            ),
            (
                EventKind::LocalDeliveryReturned,
                pick(|s| (s == LocalState::BroughtBack).then(|| "brought back".to_owned())),
            ),
        ];
        self.list.outcome =
            words::recorded(batches[0].1.len(), batches[1].1.len(), batches[2].1.len());
        batches
            .into_iter()
            .filter(|(_, items)| !items.is_empty())
            .map(|(kind, items)| HandoffRequest {
                kind,
                counterparty: courier.clone(),
                items,
                token_id: None,
                note: String::new(),
            })
            .collect()
    }
}

impl Flow for LocalDeliveryFlow {
    fn handle_key(&mut self, key: KeyEvent, lookup: &Lookup<'_>) -> Action {
        match list_key(&mut self.list, key) {
            ListKey::Other(KeyCode::F(3)) => self.switch_mode(lookup),
            ListKey::Other(KeyCode::F(7)) if self.mode == LocalMode::Back => {
                if let Some(line) = self.list.selected_line() {
                    line.state = match line.state {
                        LocalState::Delivered(note) if note + 1 < DELIVERY_NOTES.len() => {
                            LocalState::Delivered(note + 1)
                        }
                        LocalState::Delivered(_) => LocalState::Waiting,
                        LocalState::Going | LocalState::Waiting | LocalState::BroughtBack => {
                            LocalState::Delivered(0)
                        }
                    };
                }
                Action::None
            }
            ListKey::Other(KeyCode::F(8)) if self.mode == LocalMode::Back => {
                if let Some(line) = self.list.selected_line() {
                    line.state = if line.state == LocalState::BroughtBack {
                        LocalState::Waiting
                    } else {
                        LocalState::BroughtBack
                    };
                }
                Action::None
            }
            ListKey::Scanned(Err(reason)) => Action::alert(reason),
            ListKey::Scanned(Ok(scanned)) => {
                match parse_label(lookup, &scanned).map(|label| label.tracking_id) {
                    Ok(tracking_id) => self.scanned(tracking_id, lookup),
                    Err(refusal) => refusal,
                }
            }
            ListKey::ListComplete => {
                let anything = self
                    .list
                    .lines
                    .iter()
                    .any(|l| l.state != LocalState::Waiting);
                self.list.complete(anything, words::NOTHING)
            }
            ListKey::Pin(pin) => Action::Record {
                pin,
                requests: self.requests(lookup.clerk_name),
            },
            ListKey::Leave => {
                let has_work = self
                    .list
                    .lines
                    .iter()
                    .any(|l| l.state != LocalState::Waiting);
                self.list.leave(has_work)
            }
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
        let title = match self.mode {
            LocalMode::Out => words::TITLE_OUT,
            LocalMode::Back => words::TITLE_BACK,
        };
        let list = ListView {
            title,
            summary: words::summary(self.list.lines.len(), &view.config.store.service_area),
            setup_label: "",
            header: vec!["Tracking id", "Carrier", "Recipient", "Postal", "State"],
            widths: vec![
                id_column(self.list.lines.iter().map(|l| &l.parcel.tracking_id)),
                Constraint::Length(9),
                Constraint::Min(10),
                Constraint::Length(7),
                Constraint::Length(25),
            ],
            rows: self
                .list
                .lines
                .iter()
                .map(|line| {
                    let (state, mood) = match line.state {
                        LocalState::Going => ("→ out on this run".to_owned(), RowMood::Normal),
                        LocalState::Waiting => ("… not recorded yet".to_owned(), RowMood::Normal),
                        LocalState::Delivered(note) => (
                            format!("✔ {}", DELIVERY_NOTES.get(note).unwrap_or(&"delivered")),
                            RowMood::Good,
                        ),
                        LocalState::BroughtBack => ("! brought back".to_owned(), RowMood::Warn),
                    };
                    let cells = vec![
                        line.parcel.tracking_id.to_string(),
                        line.parcel.carrier.to_string(),
                        line.parcel.recipient_name.clone(),
                        line.parcel.postal_code.clone(),
                        state,
                    ];
                    (cells, mood)
                })
                .collect(),
            pin_label: words::PIN_LABEL,
        };
        render_list(frame, view, &self.list, list, area);
    }

    fn keys(&self) -> &'static str {
        match self.mode {
            LocalMode::Out => shared_keys(&self.list, "", words::KEYS_OUT),
            LocalMode::Back => shared_keys(&self.list, "", words::KEYS_BACK),
        }
    }

    fn help(&self) -> &'static [&'static str] {
        words::HELP
    }

    fn takes_text(&self) -> bool {
        self.list.step == Step::Scanning
    }
}
