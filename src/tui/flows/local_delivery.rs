//! A rural store's own courier: build a run of held parcels whose addresses are in the service
//! area, and when the courier is back record each parcel delivered (with a note) or brought
//! back.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::list::{ListFlow, ListKey, ListView, RowMood, Step, list_key, render_list, shared_keys};
use super::{Flow, Lookup, carrier_name, parse_label, status_words};
use crate::config::Capability;
use crate::domain::chain::{Counterparty, CounterpartyKind};
use crate::domain::custody::{EventKind, ParcelStatus};
use crate::domain::handoff::{HandoffItem, HandoffRequest};
use crate::domain::ids::TrackingId;
use crate::domain::local_delivery::{NotForLocalDelivery, check_local_delivery};
use crate::i18n::Lang;
use crate::store::ParcelRecord;
use crate::t;
use crate::tui::action::{Action, Outcome};
use crate::tui::message::Message;
use crate::tui::view::View;
use crate::tui::widgets::id_column;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalMode {
    /// Building a run: held parcels go out with the store's courier.
    Out,
    /// The courier is back: each parcel delivered (with a note) or brought back.
    Back,
}

/// A delivered parcel's note, cycled with F7: the words the event keeps (in English whatever the
/// counter's language); the screen shows them translated by the key beside each.
pub const DELIVERY_NOTES: [&str; 3] = [
    "handed to the recipient",
    "left with a neighbour",
    "left in a safe place",
];

/// The message-file key of each of [`DELIVERY_NOTES`] (`local-delivery-state-delivered`).
const NOTE_KEYS: [&str; 3] = ["recipient", "neighbour", "safe-place"];

/// Why a parcel cannot go out on a run, in the clerk's words.
fn not_for_local_delivery(lang: Lang, reason: &NotForLocalDelivery) -> String {
    match reason {
        NotForLocalDelivery::NotHeldForCustomer(status) => t!(
            lang,
            "local-delivery-not-held",
            status = status_words(lang, *status)
        ),
        NotForLocalDelivery::NoPostalCode => t!(lang, "local-delivery-no-postal-code"),
        NotForLocalDelivery::OutsideServiceArea {
            postal_code,
            service_area,
        } => t!(
            lang,
            "local-delivery-outside-area",
            postal_code = postal_code.as_str(),
            area = service_area.join(", ")
        ),
    }
}

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
        return Err(Message::warn(t!(lookup.lang, "local-delivery-not-offered")));
    }
    let flow = LocalDeliveryFlow {
        list: ListFlow::new(Step::Scanning),
        mode: LocalMode::Out,
    };
    Ok((
        Box::new(flow),
        Action::info(t!(lookup.lang, "local-delivery-start")),
    ))
}

impl LocalDeliveryFlow {
    fn switch_mode(&mut self, lookup: &Lookup<'_>) -> Action {
        if self.mode == LocalMode::Back {
            self.mode = LocalMode::Out;
            self.list = ListFlow::new(Step::Scanning);
            return Action::None;
        }
        match lookup.parcels_with_status(ParcelStatus::OutForDelivery) {
            Err(error) => super::store_failed(lookup.lang, &error),
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
                Action::info(t!(lookup.lang, "local-delivery-back"))
            }
        }
    }

    fn scanned(&mut self, tracking_id: TrackingId, lookup: &Lookup<'_>) -> Action {
        let (lang, id) = (lookup.lang, tracking_id.to_string());
        let on_run = self
            .list
            .lines
            .iter()
            .position(|l| l.parcel.tracking_id == tracking_id);
        match (on_run, self.mode) {
            (Some(index), LocalMode::Back) => {
                self.list.selected = index;
                self.list.lines[index].state = LocalState::BroughtBack;
                Action::ok(t!(lang, "local-delivery-brought-back", id = id))
            }
            (Some(index), LocalMode::Out) => {
                self.list.selected = index;
                Action::warn(t!(lang, "local-delivery-already-on-run", id = id))
            }
            (None, LocalMode::Back) => {
                Action::alert(t!(lang, "local-delivery-was-not-out", id = id))
            }
            (None, LocalMode::Out) => match lookup.parcel(&tracking_id) {
                Err(error) => super::store_failed(lookup.lang, &error),
                Ok(None) => Action::alert(t!(lang, "local-delivery-unknown", id = id)),
                Ok(Some(parcel)) => match check_local_delivery(
                    parcel.status,
                    &parcel.postal_code,
                    &lookup.config.store.service_area,
                ) {
                    Err(reason) => Action::alert(t!(
                        lang,
                        "local-delivery-cannot-go",
                        id = id,
                        reason = not_for_local_delivery(lang, &reason)
                    )),
                    Ok(()) => {
                        let said = Action::ok(t!(
                            lang,
                            "local-delivery-joins",
                            id = id,
                            postal_code = parcel.postal_code.as_str()
                        ));
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

    fn requests(&mut self, courier_name: &str, lang: Lang) -> Vec<HandoffRequest> {
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
        self.list.outcome = t!(
            lang,
            "local-delivery-recorded",
            out = batches[0].1.len(),
            delivered = batches[1].1.len(),
            back = batches[2].1.len()
        );
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
            ListKey::Scanned(Err(reason)) => super::list::scan_refused(lookup.lang, &reason),
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
                self.list
                    .complete(anything, t!(lookup.lang, "local-delivery-nothing"))
            }
            ListKey::Pin(pin) => Action::Record {
                pin,
                requests: self.requests(lookup.clerk_name, lookup.lang),
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

    fn outcome(&mut self, outcome: Outcome, lookup: &Lookup<'_>) -> Action {
        self.list.recorded(outcome, lookup.lang)
    }

    fn render(&self, frame: &mut Frame, view: &View<'_>, area: Rect) {
        let lang = view.lang;
        let title = match self.mode {
            LocalMode::Out => t!(lang, "local-delivery-title-out"),
            LocalMode::Back => t!(lang, "local-delivery-title-back"),
        };
        let list = ListView {
            title,
            summary: t!(
                lang,
                "local-delivery-summary",
                count = self.list.lines.len(),
                area = view.config.store.service_area.join(", ")
            ),
            setup_label: String::new(),
            header: vec![
                t!(lang, "local-delivery-column-id"),
                t!(lang, "local-delivery-column-carrier"),
                t!(lang, "local-delivery-column-recipient"),
                t!(lang, "local-delivery-column-postal"),
                t!(lang, "local-delivery-column-state"),
            ],
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
                        LocalState::Going => {
                            (t!(lang, "local-delivery-state-going"), RowMood::Normal)
                        }
                        LocalState::Waiting => {
                            (t!(lang, "local-delivery-state-waiting"), RowMood::Normal)
                        }
                        LocalState::Delivered(note) => (
                            t!(
                                lang,
                                "local-delivery-state-delivered",
                                note = NOTE_KEYS.get(note).copied().unwrap_or("delivered")
                            ),
                            RowMood::Good,
                        ),
                        LocalState::BroughtBack => {
                            (t!(lang, "local-delivery-state-brought-back"), RowMood::Warn)
                        }
                    };
                    let cells = vec![
                        line.parcel.tracking_id.to_string(),
                        carrier_name(lang, line.parcel.carrier),
                        line.parcel.recipient_name.clone(),
                        line.parcel.postal_code.clone(),
                        state,
                    ];
                    (cells, mood)
                })
                .collect(),
            pin_label: t!(lang, "local-delivery-pin-label"),
        };
        render_list(frame, view, &self.list, list, area);
    }

    fn keys(&self, lang: Lang) -> String {
        shared_keys(&self.list, lang, String::new, || match self.mode {
            LocalMode::Out => t!(lang, "local-delivery-keys-out"),
            LocalMode::Back => t!(lang, "local-delivery-keys-back"),
        })
    }

    fn help(&self, lang: Lang) -> Vec<String> {
        super::help_lines(t!(lang, "local-delivery-help"))
    }

    fn takes_text(&self) -> bool {
        self.list.step == Step::Scanning
    }
}
