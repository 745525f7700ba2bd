//! Parcels that leave: the driver pickup (orders, expired holds, drop-offs and returns onto the
//! driver's cart) and, for rural stores, the local delivery run.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::delivery::render_qr_panel;
use super::lists::{ListFlow, ListKey, ListView, RowMood, Step, list_key, render_list};
use crate::config::Capability;
use crate::domain::chain::{Counterparty, CounterpartyKind};
use crate::domain::custody::{EventKind, ParcelStatus};
use crate::domain::handshake::{Direction, IssuedToken};
use crate::domain::ids::{TrackingId, clean_free_text};
use crate::domain::staff::PinProof;
use crate::store::{HandoffItem, HandoffRequest, ParcelRecord};
use crate::tui::app::{App, Flash, Screen};
use crate::tui::text;
use crate::tui::widgets::qr::QrSymbol;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueState {
    Waiting,
    OnCart,
    UnableToFind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueLine {
    pub parcel: ParcelRecord,
    pub state: DueState,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriverPickupFlow {
    pub list: ListFlow<DueLine>,
    pub badge: String,
    /// The next scan is the driver's badge, not a parcel.
    pub badge_next: bool,
    pub handshake: Option<(IssuedToken, QrSymbol)>,
    pub outcome: String,
}

impl DriverPickupFlow {
    pub fn cart(&self) -> Vec<TrackingId> {
        self.list
            .lines
            .iter()
            .filter(|line| line.state == DueState::OnCart)
            .map(|line| line.parcel.tracking_id.clone())
            .collect()
    }
}

/// Why a parcel is on the driver's list, in words.
pub fn due_reason(parcel: &ParcelRecord, app: &App, now: DateTime<Utc>) -> String {
    let zone = app.kiosk.config.store.time_zone;
    match parcel.origin.as_str() {
        "order" => parcel.leave_by.map_or_else(
            || "shop order".to_owned(),
            |t| {
                let late = if t <= now { " ! LATE" } else { "" };
                format!(
                    "shop order, leave by {}{late}",
                    t.with_timezone(&zone).format("%H:%M")
                )
            },
        ),
        "drop_off" => "customer drop-off".to_owned(),
        "return" => "customer return".to_owned(),
        _ if parcel.is_expired_at(now) => "hold expired".to_owned(),
        _ => "back to the carrier".to_owned(),
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalLine {
    pub parcel: ParcelRecord,
    pub state: LocalState,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalDeliveryFlow {
    pub list: ListFlow<LocalLine>,
    pub mode: LocalMode,
    pub outcome: String,
}

impl App {
    pub(crate) fn start_driver_pickup(&mut self) {
        let now = self.now();
        match self.kiosk.store.parcels_due_to_driver(now) {
            Err(error) => self.flash = Some(Flash::alert(error.to_string())),
            Ok(due) => {
                let count = due.len();
                let mut list = ListFlow::new(Step::Scanning);
                list.lines = due
                    .into_iter()
                    .map(|parcel| DueLine {
                        parcel,
                        state: DueState::Waiting,
                    })
                    .collect();
                self.screen = Screen::DriverPickup(Box::new(DriverPickupFlow {
                    list,
                    badge: String::new(),
                    badge_next: false,
                    handshake: None,
                    outcome: String::new(),
                }));
                self.flash = Some(if count == 0 {
                    Flash::warn("Nothing is due for a driver right now.")
                } else {
                    Flash::ok(format!(
                        "{count} parcel(s) due. Scan each as it goes onto the driver's cart."
                    ))
                });
            }
        }
    }

    pub(crate) fn driver_pickup_key(&mut self, key: KeyEvent, esc_armed: bool) {
        let now = self.now();
        let Screen::DriverPickup(flow) = &mut self.screen else {
            return;
        };
        match list_key(&mut flow.list, key) {
            ListKey::Scanned(Err(reason)) => self.flash = Some(Flash::alert(reason)),
            ListKey::Scanned(Ok(scanned)) if flow.badge_next => {
                flow.badge_next = false;
                match clean_free_text("the badge", &scanned, 40) {
                    Ok(badge) => {
                        self.flash = Some(Flash::ok(format!(
                            "{} Driver badge {badge} noted.",
                            text::SYMBOL_OK
                        )));
                        flow.badge = badge;
                    }
                    Err(reason) => self.flash = Some(Flash::alert(reason)),
                }
            }
            ListKey::Scanned(Ok(scanned)) => {
                let tracking_id = match TrackingId::parse(&scanned) {
                    Ok(id) => id,
                    Err(reason) => {
                        self.flash = Some(Flash::alert(format!(
                            "{} Not a parcel label: {reason}.",
                            text::SYMBOL_ALERT
                        )));
                        return;
                    }
                };
                match flow
                    .list
                    .lines
                    .iter()
                    .position(|line| line.parcel.tracking_id == tracking_id)
                {
                    Some(index) => {
                        flow.list.selected = index;
                        let line = &mut flow.list.lines[index];
                        self.flash = Some(if line.state == DueState::OnCart {
                            Flash::warn(format!(
                                "{} {tracking_id} is already on the cart.",
                                text::SYMBOL_WARN
                            ))
                        } else {
                            line.state = DueState::OnCart;
                            Flash::ok(format!("{} {tracking_id} on the cart.", text::SYMBOL_OK))
                        });
                    }
                    None => {
                        let why = match self.kiosk.store.parcel(&tracking_id) {
                            Ok(Some(parcel)) if parcel.status == ParcelStatus::HeldForCustomer => {
                                let until = parcel.hold_expires_at.map_or_else(String::new, |t| {
                                    t.with_timezone(&self.kiosk.config.store.time_zone)
                                        .format(" until %a %d %b")
                                        .to_string()
                                });
                                format!("it is held for its customer{until}")
                            }
                            Ok(Some(parcel)) => format!("it is {}", parcel.status.label()),
                            Ok(None) => "the store has no record of it".to_owned(),
                            Err(error) => error.to_string(),
                        };
                        self.flash = Some(Flash::alert(format!(
                            "{} NOT ON THE LIST: keep {tracking_id} here ({why}).",
                            text::SYMBOL_ALERT
                        )));
                    }
                }
            }
            ListKey::Other(KeyCode::F(4)) => {
                if let Some(line) = flow.list.selected_line() {
                    line.state = if line.state == DueState::UnableToFind {
                        DueState::Waiting
                    } else {
                        DueState::UnableToFind
                    };
                }
            }
            ListKey::Other(KeyCode::F(5)) => {
                flow.badge_next = true;
                self.flash = Some(Flash::ok("Scan or type the driver's badge, then Enter."));
            }
            ListKey::ListComplete => {
                let cart = flow.cart();
                let not_found = flow
                    .list
                    .lines
                    .iter()
                    .any(|line| line.state == DueState::UnableToFind);
                if cart.is_empty() && !not_found {
                    self.flash = Some(Flash::warn(
                        "Scan the parcels onto the cart first (or mark F4).",
                    ));
                } else if cart.is_empty() {
                    flow.list.step = Step::ConfirmPin;
                    self.flash = None;
                } else {
                    match self
                        .kiosk
                        .issue_handshake(Direction::PickupFromStore, Some(&cart), now)
                    {
                        Err(error) => {
                            self.flash = Some(Flash::alert(format!(
                                "Cannot show the driver's code: {error}"
                            )))
                        }
                        Ok(token) => match QrSymbol::encode(&token.text) {
                            Err(error) => self.flash = Some(Flash::alert(error.to_string())),
                            Ok(symbol) => {
                                let Screen::DriverPickup(flow) = &mut self.screen else {
                                    return;
                                };
                                flow.handshake = Some((token, symbol));
                                flow.list.step = Step::Qr;
                                self.flash = None;
                            }
                        },
                    }
                }
            }
            ListKey::DriverScanned => {
                let Some((token, _)) = &flow.handshake else {
                    return;
                };
                match self.kiosk.claim_token(&token.token_id(), now) {
                    Ok(()) => {
                        flow.list.step = Step::ConfirmPin;
                        self.flash = None;
                    }
                    Err(error) => self.flash = Some(Flash::alert(error.to_string())),
                }
            }
            ListKey::Pin(pin) => self.confirm_with_pin(pin),
            ListKey::Leave => {
                let work = flow.list.step != Step::Done
                    && flow.list.lines.iter().any(|l| l.state != DueState::Waiting);
                if work {
                    self.discard_or_arm(esc_armed)
                } else {
                    self.go_home()
                }
            }
            _ => {}
        }
    }

    pub(crate) fn record_driver_pickup(&mut self, proof: &PinProof) {
        let Screen::DriverPickup(flow) = &self.screen else {
            return;
        };
        let driver = Counterparty {
            kind: CounterpartyKind::Driver,
            reference: flow.badge.clone(),
        };
        let cart: Vec<HandoffItem> = flow.cart().into_iter().map(HandoffItem::new).collect();
        let missing: Vec<HandoffItem> = flow
            .list
            .lines
            .iter()
            .filter(|line| line.state == DueState::UnableToFind)
            .map(|line| {
                HandoffItem::with_detail(
                    line.parcel.tracking_id.clone(),
                    "not found for the driver pickup",
                )
            })
            .collect();
        let (taken, not_found) = (cart.len(), missing.len());
        let mut requests = Vec::new();
        if !cart.is_empty() {
            let token_id = flow.handshake.as_ref().map(|(token, _)| token.token_id());
            requests.push(HandoffRequest {
                kind: EventKind::DriverPickup,
                counterparty: driver.clone(),
                items: cart,
                token_id,
                note: String::new(),
            });
        }
        if !missing.is_empty() {
            requests.push(HandoffRequest {
                kind: EventKind::UnableToFind,
                counterparty: driver,
                items: missing,
                token_id: None,
                note: String::new(),
            });
        }
        self.record_requests(
            proof,
            &requests,
            format!(
                "{} Recorded: {taken} parcel(s) left with the driver, {not_found} not found.",
                text::SYMBOL_OK
            ),
        );
    }

    /// Renews the pickup QR while it is on screen (same cart, fresh token).
    pub(crate) fn rotate_pickup_token(&mut self, now: DateTime<Utc>) {
        let Screen::DriverPickup(flow) = &self.screen else {
            return;
        };
        let due = flow.list.step == Step::Qr
            && flow.handshake.as_ref().is_some_and(|(token, _)| {
                crate::domain::handshake::needs_rotation(&token.claims, now)
            });
        if !due {
            return;
        }
        let cart = flow.cart();
        let renewed = self
            .kiosk
            .issue_handshake(Direction::PickupFromStore, Some(&cart), now)
            .map_err(|e| e.to_string())
            .and_then(|token| {
                QrSymbol::encode(&token.text)
                    .map(|symbol| (token, symbol))
                    .map_err(|e| e.to_string())
            });
        match renewed {
            Ok(handshake) => {
                if let Screen::DriverPickup(flow) = &mut self.screen {
                    flow.handshake = Some(handshake);
                }
            }
            Err(error) => {
                self.flash = Some(Flash::alert(format!(
                    "Cannot renew the driver's code: {error}"
                )))
            }
        }
    }

    pub(crate) fn start_local_delivery(&mut self) {
        if !self.kiosk.config.store.offers(Capability::LocalDelivery) {
            self.flash = Some(Flash::warn(
                "This store does not deliver locally (no LOCAL_DELIVERY in kiosk.toml).",
            ));
            return;
        }
        self.screen = Screen::LocalDelivery(Box::new(LocalDeliveryFlow {
            list: ListFlow::new(Step::Scanning),
            mode: LocalMode::Out,
            outcome: String::new(),
        }));
        self.flash = Some(Flash::ok(
            "Scan the parcels going out on this run. F3: record a run that came back.",
        ));
    }

    pub(crate) fn local_delivery_key(&mut self, key: KeyEvent, esc_armed: bool) {
        let Screen::LocalDelivery(flow) = &mut self.screen else {
            return;
        };
        match list_key(&mut flow.list, key) {
            ListKey::Other(KeyCode::F(3)) => {
                let back = flow.mode == LocalMode::Out;
                if back {
                    match self
                        .kiosk
                        .store
                        .parcels_with_status(ParcelStatus::OutForDelivery)
                    {
                        Ok(out) => {
                            let Screen::LocalDelivery(flow) = &mut self.screen else {
                                return;
                            };
                            flow.mode = LocalMode::Back;
                            flow.list = ListFlow::new(Step::Scanning);
                            flow.list.lines = out
                                .into_iter()
                                .map(|parcel| LocalLine {
                                    parcel,
                                    state: LocalState::Waiting,
                                })
                                .collect();
                            self.flash = Some(Flash::ok(
                                "For each parcel: F7 delivered (again for another note), F8 or scan: brought back.",
                            ));
                        }
                        Err(error) => self.flash = Some(Flash::alert(error.to_string())),
                    }
                } else {
                    flow.mode = LocalMode::Out;
                    flow.list = ListFlow::new(Step::Scanning);
                }
            }
            ListKey::Other(KeyCode::F(7)) if flow.mode == LocalMode::Back => {
                if let Some(line) = flow.list.selected_line() {
                    line.state = match line.state {
                        LocalState::Delivered(note) if note + 1 < DELIVERY_NOTES.len() => {
                            LocalState::Delivered(note + 1)
                        }
                        LocalState::Delivered(_) => LocalState::Waiting,
                        _ => LocalState::Delivered(0),
                    };
                }
            }
            ListKey::Other(KeyCode::F(8)) if flow.mode == LocalMode::Back => {
                if let Some(line) = flow.list.selected_line() {
                    line.state = if line.state == LocalState::BroughtBack {
                        LocalState::Waiting
                    } else {
                        LocalState::BroughtBack
                    };
                }
            }
            ListKey::Scanned(Err(reason)) => self.flash = Some(Flash::alert(reason)),
            ListKey::Scanned(Ok(scanned)) => {
                let tracking_id = match TrackingId::parse(&scanned) {
                    Ok(id) => id,
                    Err(reason) => {
                        self.flash = Some(Flash::alert(format!(
                            "{} Not a parcel label: {reason}.",
                            text::SYMBOL_ALERT
                        )));
                        return;
                    }
                };
                if let Some(index) = flow
                    .list
                    .lines
                    .iter()
                    .position(|l| l.parcel.tracking_id == tracking_id)
                {
                    flow.list.selected = index;
                    if flow.mode == LocalMode::Back {
                        flow.list.lines[index].state = LocalState::BroughtBack;
                        self.flash = Some(Flash::ok(format!(
                            "{} {tracking_id} brought back.",
                            text::SYMBOL_OK
                        )));
                    } else {
                        self.flash = Some(Flash::warn(format!(
                            "{} {tracking_id} is already on this run.",
                            text::SYMBOL_WARN
                        )));
                    }
                    return;
                }
                if flow.mode == LocalMode::Back {
                    self.flash = Some(Flash::alert(format!(
                        "{} {tracking_id} was not out for delivery.",
                        text::SYMBOL_ALERT
                    )));
                    return;
                }
                let store = &self.kiosk.config.store;
                match self.kiosk.store.parcel(&tracking_id) {
                    Err(error) => self.flash = Some(Flash::alert(error.to_string())),
                    Ok(None) => {
                        self.flash = Some(Flash::alert(format!(
                            "{} {tracking_id} is not in the store's records.",
                            text::SYMBOL_ALERT
                        )))
                    }
                    Ok(Some(parcel)) if parcel.status != ParcelStatus::HeldForCustomer => {
                        self.flash = Some(Flash::alert(format!(
                            "{} {tracking_id} is {}, not held for a customer.",
                            text::SYMBOL_ALERT,
                            parcel.status.label()
                        )));
                    }
                    Ok(Some(parcel)) if parcel.postal_code.is_empty() => {
                        self.flash = Some(Flash::alert(format!(
                            "{} {tracking_id} has no delivery postal code on record, so the service area cannot be checked.",
                            text::SYMBOL_ALERT
                        )));
                    }
                    Ok(Some(parcel)) if !store.serves(&parcel.postal_code) => {
                        self.flash = Some(Flash::alert(format!(
                            "{} {tracking_id} goes to {}, outside the service area ({}).",
                            text::SYMBOL_ALERT,
                            parcel.postal_code,
                            store.service_area.join(", ")
                        )));
                    }
                    Ok(Some(parcel)) => {
                        self.flash = Some(Flash::ok(format!(
                            "{} {tracking_id} joins the run ({}).",
                            text::SYMBOL_OK,
                            parcel.postal_code
                        )));
                        flow.list.lines.push(LocalLine {
                            parcel,
                            state: LocalState::Going,
                        });
                        flow.list.selected = flow.list.lines.len() - 1;
                    }
                }
            }
            ListKey::ListComplete => {
                let anything = flow
                    .list
                    .lines
                    .iter()
                    .any(|l| l.state != LocalState::Waiting);
                if anything {
                    flow.list.step = Step::ConfirmPin;
                    self.flash = None;
                } else {
                    self.flash = Some(Flash::warn("Nothing to record yet."));
                }
            }
            ListKey::Pin(pin) => self.confirm_with_pin(pin),
            ListKey::Leave => {
                let work = flow.list.step != Step::Done
                    && flow
                        .list
                        .lines
                        .iter()
                        .any(|l| l.state != LocalState::Waiting);
                if work {
                    self.discard_or_arm(esc_armed)
                } else {
                    self.go_home()
                }
            }
            _ => {}
        }
    }

    pub(crate) fn record_local_delivery(&mut self, proof: &PinProof) {
        let Screen::LocalDelivery(flow) = &self.screen else {
            return;
        };
        let courier = Counterparty {
            kind: CounterpartyKind::Store,
            reference: format!("courier: {}", proof.display_name()),
        };
        let pick = |wanted: fn(LocalState) -> Option<String>| -> Vec<HandoffItem> {
            flow.list
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
                    _ => None,
                }),
            ),
            (
                EventKind::LocalDeliveryReturned,
                pick(|s| (s == LocalState::BroughtBack).then(|| "brought back".to_owned())),
            ),
        ];
        let counts: Vec<usize> = batches.iter().map(|(_, items)| items.len()).collect();
        let requests: Vec<HandoffRequest> = batches
            .into_iter()
            .filter(|(_, items)| !items.is_empty())
            .map(|(kind, items)| HandoffRequest {
                kind,
                counterparty: courier.clone(),
                items,
                token_id: None,
                note: String::new(),
            })
            .collect();
        let outcome = format!(
            "{} Recorded: {} out for delivery, {} delivered, {} brought back.",
            text::SYMBOL_OK,
            counts[0],
            counts[1],
            counts[2]
        );
        self.record_requests(proof, &requests, outcome);
    }
}

pub fn driver_pickup_keys(flow: &DriverPickupFlow) -> &'static str {
    match flow.list.step {
        Step::Scanning => "Enter scan   empty Enter: code+confirm   F4 not found   F5 badge   Esc",
        Step::Qr => "Enter driver has scanned   Esc back to the list",
        Step::ConfirmPin => "type your PIN, Enter   Esc back",
        _ => "Enter home",
    }
}

pub fn render_driver_pickup(frame: &mut Frame, app: &App, flow: &DriverPickupFlow, area: Rect) {
    if let (Step::Qr, Some((token, symbol))) = (flow.list.step, &flow.handshake) {
        let count = format!("for {} parcel(s):", flow.cart().len());
        render_qr_panel(
            frame,
            app,
            token,
            symbol,
            &[
                "DRIVER PICKUP",
                "",
                "Driver: scan this code",
                &count,
                "it binds this list.",
            ],
            area,
        );
        return;
    }
    let now = app.now();
    let on_cart = flow
        .list
        .lines
        .iter()
        .filter(|l| l.state == DueState::OnCart)
        .count();
    let view = ListView {
        title: "DRIVER PICKUP (most urgent first)",
        summary: format!(
            "{on_cart} of {} on the cart{}",
            flow.list.lines.len(),
            if flow.badge.is_empty() {
                String::new()
            } else {
                format!(", driver {}", flow.badge)
            }
        ),
        setup_label: "",
        header: vec!["Shelf", "Tracking id", "Why", "State"],
        widths: vec![
            Constraint::Length(6),
            Constraint::Length(24),
            Constraint::Min(18),
            Constraint::Length(18),
        ],
        rows: flow
            .list
            .lines
            .iter()
            .map(|line| {
                let (state, mood) = match line.state {
                    DueState::Waiting => ("… fetch", RowMood::Normal),
                    DueState::OnCart => ("✔ on the cart", RowMood::Good),
                    DueState::UnableToFind => ("! unable to find", RowMood::Warn),
                };
                (
                    vec![
                        line.parcel.shelf.clone(),
                        line.parcel.tracking_id.to_string(),
                        due_reason(&line.parcel, app, now),
                        state.to_owned(),
                    ],
                    mood,
                )
            })
            .collect(),
        pin_label: "Your PIN to record this pickup: ",
        done_text: flow.outcome.clone(),
    };
    render_list(frame, app, &flow.list, view, area);
}

pub fn local_delivery_keys(flow: &LocalDeliveryFlow) -> &'static str {
    match (flow.list.step, flow.mode) {
        (Step::Scanning, LocalMode::Out) => {
            "Enter add   empty Enter confirm   F3 a run came back   Esc cancel"
        }
        (Step::Scanning, LocalMode::Back) => {
            "F7 delivered/note   F8 or scan: back   empty Enter confirm   F3 new run"
        }
        (Step::ConfirmPin, _) => "type your PIN, Enter   Esc back",
        _ => "Enter home",
    }
}

pub fn render_local_delivery(frame: &mut Frame, app: &App, flow: &LocalDeliveryFlow, area: Rect) {
    let title = match flow.mode {
        LocalMode::Out => "LOCAL DELIVERY: build a run",
        LocalMode::Back => "LOCAL DELIVERY: the run is back",
    };
    let view = ListView {
        title,
        summary: format!(
            "{} parcel(s); service area {}",
            flow.list.lines.len(),
            app.kiosk.config.store.service_area.join(", ")
        ),
        setup_label: "",
        header: vec!["Tracking id", "Recipient", "Postal", "State"],
        widths: vec![
            Constraint::Length(24),
            Constraint::Min(14),
            Constraint::Length(8),
            Constraint::Length(26),
        ],
        rows: flow
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
                (
                    vec![
                        line.parcel.tracking_id.to_string(),
                        line.parcel.recipient_name.clone(),
                        line.parcel.postal_code.clone(),
                        state,
                    ],
                    mood,
                )
            })
            .collect(),
        pin_label: "Your PIN to record: ",
        done_text: flow.outcome.clone(),
    };
    render_list(frame, app, &flow.list, view, area);
}
