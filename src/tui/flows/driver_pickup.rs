//! A driver takes parcels away: what is due (shop orders, expired holds, drop-offs, returns)
//! is listed most urgent first, each parcel is scanned onto the cart, the driver scans a QR
//! that binds the cart, and the clerk confirms with the PIN.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::list::{ListFlow, ListKey, ListView, RowMood, Step, list_key, render_list, shared_keys};
use super::{Flow, Lookup, parse_label};
use crate::config::KioskConfig;
use crate::domain::chain::{Counterparty, CounterpartyKind};
use crate::domain::custody::{EventKind, ParcelStatus};
use crate::domain::handoff::ParcelOrigin;
use crate::domain::handoff::{HandoffItem, HandoffRequest};
use crate::domain::handshake::{Direction, IssuedToken, needs_rotation, rotation_due_at};
use crate::domain::ids::{TrackingId, clean_free_text};
use crate::domain::labels::Carrier;
use crate::store::ParcelRecord;
use crate::tui::action::{Action, Outcome};
use crate::tui::message::Message;
use crate::tui::view::View;
use crate::tui::widgets::handshake::render_qr_panel;
use crate::tui::widgets::id_column;
use crate::tui::widgets::qr::QrSymbol;

mod words {
    use super::super::list::counted;

    pub const NOTHING_DUE: &str = "Nothing is due for a driver right now.";
    pub const BADGE: &str = "Scan or type the driver's badge, then Enter.";
    pub const CARRIER_LOCKED: &str =
        "Choose the driver's carrier (F6) before parcels go onto the cart.";
    pub const NEED_CART: &str = "Scan the parcels onto the cart first (or mark F4).";
    pub const TITLE: &str = "DRIVER PICKUP (most urgent first)";
    pub const PIN_LABEL: &str = "Your PIN to record this pickup: ";
    pub const KEYS_SCANNING: &str =
        "Enter scan   empty Enter: QR   F4 not found   F5 badge   F6 carrier   Esc";
    pub const HELP: &[&str] = &[
        "The list holds what is due: orders, expired holds, drop-offs, returns.",
        "Scan each parcel onto the cart; anything not on the list is refused.",
        "F4 marks the selected parcel as not found; F5 scans the driver's badge;",
        "F6 shows only what the driver's carrier takes (and the shop's own parcels).",
        "Empty Enter shows the driver's QR for the cart; then your PIN.",
    ];

    pub fn for_carrier(count: usize, carrier: Option<&super::Carrier>) -> String {
        match carrier {
            Some(carrier) => format!("{} due for a {carrier} driver.", counted(count, "parcel")),
            None => format!("{} due for any driver.", counted(count, "parcel")),
        }
    }
    pub fn due(count: usize) -> String {
        format!(
            "{} due. Scan each as it goes onto the driver's cart.",
            counted(count, "parcel")
        )
    }
    pub fn qr_count(count: usize) -> String {
        format!("for {}:", counted(count, "parcel"))
    }
    pub fn badge_noted(badge: &str) -> String {
        format!("Driver badge {badge} noted.")
    }
    pub fn already_on_cart(id: &impl std::fmt::Display) -> String {
        format!("{id} is already on the cart.")
    }
    pub fn on_cart(id: &impl std::fmt::Display) -> String {
        format!("{id} on the cart.")
    }
    pub fn not_on_list(id: &impl std::fmt::Display, why: &str) -> String {
        format!("NOT ON THE LIST: keep {id} here ({why}).")
    }
    pub fn no_code(error: &str) -> String {
        format!("Cannot show the driver's code: {error}")
    }
    pub fn recorded(taken: usize, not_found: usize) -> String {
        format!(
            "Recorded: {} left with the driver, {not_found} not found.",
            counted(taken, "parcel")
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueState {
    Waiting,
    OnCart,
    UnableToFind,
}

#[derive(Debug, Clone)]
pub struct DueLine {
    pub parcel: ParcelRecord,
    pub state: DueState,
}

#[derive(Debug, Clone)]
pub struct DriverPickupFlow {
    pub list: ListFlow<DueLine>,
    /// The driver's carrier: the list holds what that carrier takes; `None`, everything due.
    pub carrier: Option<Carrier>,
    /// The carriers of the parcels due, which F6 cycles through.
    pub carriers_due: Vec<Carrier>,
    pub badge: String,
    /// The next scan is the driver's badge, not a parcel.
    pub badge_next: bool,
    pub handshake: Option<(IssuedToken, QrSymbol)>,
}

pub fn start(lookup: &Lookup<'_>) -> Result<(Box<dyn Flow>, Action), Message> {
    let due = lookup
        .parcels_due_to_driver()
        .map_err(|error| Message::alert(error.to_string()))?;
    let count = due.len();
    let mut carriers_due: Vec<Carrier> = Vec::new();
    for parcel in &due {
        if !carriers_due.contains(&parcel.carrier)
            && !matches!(parcel.carrier, Carrier::Other | Carrier::Sscc)
        {
            carriers_due.push(parcel.carrier);
        }
    }
    let mut list = ListFlow::new(Step::Scanning);
    list.lines = due
        .into_iter()
        .map(|parcel| DueLine {
            parcel,
            state: DueState::Waiting,
        })
        .collect();
    let flow = DriverPickupFlow {
        list,
        carrier: None,
        carriers_due,
        badge: String::new(),
        badge_next: false,
        handshake: None,
    };
    let first = if count == 0 {
        Action::warn(words::NOTHING_DUE)
    } else {
        Action::info(words::due(count))
    };
    Ok((Box::new(flow), first))
}

/// Why a parcel is on the driver's list, in words.
pub fn due_reason(parcel: &ParcelRecord, config: &KioskConfig, now: DateTime<Utc>) -> String {
    let zone = config.store.time_zone;
    match parcel.origin {
        ParcelOrigin::Order => parcel.leave_by.map_or_else(
            || "shop order".to_owned(),
            |t| {
                let late = if t <= now { " ! LATE" } else { "" };
                format!(
                    "shop order, leave by {}{late}",
                    t.with_timezone(&zone).format("%H:%M")
                )
            },
        ),
        ParcelOrigin::DropOff => "customer drop-off".to_owned(),
        ParcelOrigin::Return => "customer return".to_owned(),
        ParcelOrigin::Carrier | ParcelOrigin::Unrecorded if parcel.is_expired_at(now) => {
            "hold expired".to_owned()
        }
        ParcelOrigin::Carrier | ParcelOrigin::Unrecorded => "back to the carrier".to_owned(),
    }
}

impl DriverPickupFlow {
    /// F6: the next carrier's list (then everything again). Only before anything is on the
    /// cart, so a parcel already handed over is never hidden.
    fn next_carrier(&mut self, lookup: &Lookup<'_>) -> Action {
        if self.list.lines.iter().any(|l| l.state != DueState::Waiting) {
            return Action::warn(words::CARRIER_LOCKED);
        }
        let next = match self.carrier {
            None => self.carriers_due.first().copied(),
            Some(current) => self
                .carriers_due
                .iter()
                .position(|c| *c == current)
                .and_then(|index| self.carriers_due.get(index + 1))
                .copied(),
        };
        match lookup.parcels_due_to_driver_for(next.as_ref()) {
            Err(error) => Action::alert(error.to_string()),
            Ok(due) => {
                self.carrier = next;
                self.list.lines = due
                    .into_iter()
                    .map(|parcel| DueLine {
                        parcel,
                        state: DueState::Waiting,
                    })
                    .collect();
                self.list.selected = 0;
                Action::info(words::for_carrier(self.list.lines.len(), next.as_ref()))
            }
        }
    }

    pub fn cart(&self) -> Vec<TrackingId> {
        self.list
            .lines
            .iter()
            .filter(|line| line.state == DueState::OnCart)
            .map(|line| line.parcel.tracking_id.clone())
            .collect()
    }

    fn issue_token(&self) -> Action {
        Action::IssueToken {
            direction: Direction::PickupFromStore,
            cart: Some(self.cart()),
        }
    }

    fn scanned(&mut self, scanned: &str, lookup: &Lookup<'_>) -> Action {
        if std::mem::take(&mut self.badge_next) {
            return match clean_free_text("the badge", scanned, 40) {
                Ok(badge) => {
                    let said = Action::ok(words::badge_noted(&badge));
                    self.badge = badge;
                    said
                }
                Err(reason) => Action::alert(reason),
            };
        }
        let tracking_id = match parse_label(lookup, scanned).map(|label| label.tracking_id) {
            Ok(id) => id,
            Err(refusal) => return refusal,
        };
        let on_list = self
            .list
            .lines
            .iter()
            .position(|line| line.parcel.tracking_id == tracking_id);
        if let Some(index) = on_list {
            self.list.selected = index;
            let line = &mut self.list.lines[index];
            if line.state == DueState::OnCart {
                return Action::warn(words::already_on_cart(&tracking_id));
            }
            line.state = DueState::OnCart;
            return Action::ok(words::on_cart(&tracking_id));
        }
        let why = match lookup.parcel(&tracking_id) {
            Ok(Some(parcel)) if parcel.status == ParcelStatus::HeldForCustomer => {
                let until = parcel.hold_expires_at.map_or_else(String::new, |t| {
                    t.with_timezone(&lookup.config.store.time_zone)
                        .format(" until %a %d %b")
                        .to_string()
                });
                format!("it is held for its customer{until}")
            }
            Ok(Some(parcel)) if self.carrier.is_some_and(|c| c != parcel.carrier) => {
                format!("it goes with {}", parcel.carrier)
            }
            Ok(Some(parcel)) => format!("it is {}", parcel.status.label()),
            Ok(None) => "the store has no record of it".to_owned(),
            Err(error) => error.to_string(),
        };
        Action::alert(words::not_on_list(&tracking_id, &why))
    }

    fn requests(&mut self) -> Vec<HandoffRequest> {
        let driver = Counterparty {
            kind: CounterpartyKind::Driver,
            reference: self.badge.clone(),
        };
        let cart: Vec<HandoffItem> = self.cart().into_iter().map(HandoffItem::new).collect();
        let missing: Vec<HandoffItem> = self
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
        self.list.outcome = words::recorded(cart.len(), missing.len());
        let token_id = self.handshake.as_ref().map(|(token, _)| token.token_id());
        let mut requests = Vec::new();
        if !cart.is_empty() {
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
        requests
    }

    fn showing_qr(&self) -> Option<&IssuedToken> {
        match (&self.handshake, self.list.step) {
            (Some((token, _)), Step::Qr) => Some(token),
            _ => None,
        }
    }
}

impl Flow for DriverPickupFlow {
    fn handle_key(&mut self, key: KeyEvent, lookup: &Lookup<'_>) -> Action {
        match list_key(&mut self.list, key) {
            ListKey::Scanned(Err(reason)) => Action::alert(reason),
            ListKey::Scanned(Ok(scanned)) => self.scanned(&scanned, lookup),
            ListKey::Other(KeyCode::F(4)) => {
                if let Some(line) = self.list.selected_line() {
                    line.state = if line.state == DueState::UnableToFind {
                        DueState::Waiting
                    } else {
                        DueState::UnableToFind
                    };
                }
                Action::None
            }
            ListKey::Other(KeyCode::F(6)) => self.next_carrier(lookup),
            ListKey::Other(KeyCode::F(5)) => {
                self.badge_next = true;
                Action::info(words::BADGE)
            }
            ListKey::ListComplete => {
                let not_found = self
                    .list
                    .lines
                    .iter()
                    .any(|line| line.state == DueState::UnableToFind);
                match (self.cart().is_empty(), not_found) {
                    (true, false) => Action::warn(words::NEED_CART),
                    (true, true) => {
                        self.list.step = Step::ConfirmPin;
                        Action::ClearMessage
                    }
                    (false, _) => self.issue_token(),
                }
            }
            ListKey::DriverScanned => match &self.handshake {
                Some((token, _)) => Action::ClaimToken {
                    token_id: token.token_id(),
                },
                None => Action::None,
            },
            ListKey::Pin(pin) => Action::Record {
                pin,
                requests: self.requests(),
            },
            ListKey::Leave => {
                let has_work = self.list.lines.iter().any(|l| l.state != DueState::Waiting);
                self.list.leave(has_work)
            }
            ListKey::SetupDone(_)
            | ListKey::ShelfTyped(_)
            | ListKey::Other(_)
            | ListKey::Handled => Action::None,
        }
    }

    fn outcome(&mut self, outcome: Outcome, _lookup: &Lookup<'_>) -> Action {
        match outcome {
            Outcome::TokenIssued(issued) => {
                let renewing = self.showing_qr().is_some();
                let shown = issued.and_then(|token| {
                    QrSymbol::encode(&token.text)
                        .map(|symbol| (token, symbol))
                        .map_err(|e| e.to_string())
                });
                match shown {
                    Ok(handshake) => {
                        self.handshake = Some(handshake);
                        self.list.step = Step::Qr;
                        if renewing {
                            Action::None
                        } else {
                            Action::ClearMessage
                        }
                    }
                    Err(error) => Action::alert(words::no_code(&error)),
                }
            }
            Outcome::TokenClaimed(Ok(())) => {
                self.list.step = Step::ConfirmPin;
                Action::ClearMessage
            }
            Outcome::TokenClaimed(Err(error)) => Action::alert(error),
            Outcome::Recorded(_) => self.list.recorded(outcome),
        }
    }

    fn tick(&mut self, now: DateTime<Utc>) -> Action {
        match self.showing_qr() {
            Some(token) if needs_rotation(&token.claims, now) => self.issue_token(),
            _ => Action::None,
        }
    }

    fn next_deadline(&self) -> Option<DateTime<Utc>> {
        self.showing_qr()
            .map(|token| rotation_due_at(&token.claims))
    }

    fn wants_full_screen(&self) -> bool {
        self.showing_qr().is_some()
    }

    fn render(&self, frame: &mut Frame, view: &View<'_>, area: Rect) {
        if let (Step::Qr, Some((token, symbol))) = (self.list.step, &self.handshake) {
            let count = words::qr_count(self.cart().len());
            let heading = [
                "DRIVER PICKUP",
                "",
                "Driver: scan this code",
                &count,
                "it binds this list.",
            ];
            render_qr_panel(frame, view, token, symbol, &heading, area);
            return;
        }
        let lines = &self.list.lines;
        let on_cart = lines.iter().filter(|l| l.state == DueState::OnCart).count();
        let driver = if self.badge.is_empty() {
            String::new()
        } else {
            format!(", driver {}", self.badge)
        };
        let carrier = self
            .carrier
            .map_or_else(String::new, |carrier| format!(", {carrier} driver"));
        let list = ListView {
            title: words::TITLE,
            summary: format!("{on_cart} of {} on the cart{carrier}{driver}", lines.len()),
            setup_label: "",
            header: vec!["Shelf", "Tracking id", "Carrier", "Why", "State"],
            widths: vec![
                Constraint::Length(5),
                id_column(lines.iter().map(|l| &l.parcel.tracking_id)),
                Constraint::Length(9),
                Constraint::Min(12),
                Constraint::Length(16),
            ],
            rows: lines
                .iter()
                .map(|line| {
                    let (state, mood) = match line.state {
                        DueState::Waiting => ("… fetch", RowMood::Normal),
                        DueState::OnCart => ("✔ on the cart", RowMood::Good),
                        DueState::UnableToFind => ("! unable to find", RowMood::Warn),
                    };
                    let cells = vec![
                        line.parcel.shelf.clone(),
                        line.parcel.tracking_id.to_string(),
                        line.parcel.carrier.to_string(),
                        due_reason(&line.parcel, view.config, view.now),
                        state.to_owned(),
                    ];
                    (cells, mood)
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
