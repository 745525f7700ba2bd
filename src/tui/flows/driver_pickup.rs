//! A driver takes parcels away: what is due (shop orders, expired holds, drop-offs, returns)
//! is listed most urgent first, each parcel is scanned onto the cart, the driver scans a QR
//! that binds the cart, and the clerk confirms with the PIN.

use chrono::{DateTime, Datelike, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::list::{ListFlow, ListKey, ListView, RowMood, Step, list_key, render_list, shared_keys};
use super::{Flow, Lookup, carrier_name, parse_label, status_words};
use crate::config::KioskConfig;
use crate::domain::chain::{Counterparty, CounterpartyKind};
use crate::domain::custody::{EventKind, ParcelStatus};
use crate::domain::handoff::ParcelOrigin;
use crate::domain::handoff::{HandoffItem, HandoffRequest};
use crate::domain::handshake::{Direction, IssuedToken, needs_rotation, rotation_due_at};
use crate::domain::ids::{TrackingId, check_free_text};
use crate::domain::labels::Carrier;
use crate::i18n::{self, Lang};
use crate::store::ParcelRecord;
use crate::t;
use crate::tui::action::{Action, Outcome};
use crate::tui::message::Message;
use crate::tui::reasons::{TextField, free_text_text, store_error_text};
use crate::tui::view::View;
use crate::tui::widgets::handshake::render_qr_panel;
use crate::tui::widgets::id_column;
use crate::tui::widgets::qr::QrSymbol;

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
        .map_err(|error| Message::alert(store_error_text(lookup.lang, &error)))?;
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
        Action::warn(t!(lookup.lang, "driver-pickup-nothing-due"))
    } else {
        Action::info(t!(lookup.lang, "driver-pickup-due", count = count))
    };
    Ok((Box::new(flow), first))
}

/// Why a parcel is on the driver's list, in words (in `lang`: the driver's list is read by
/// the driver, in the customer's language).
pub fn due_reason(
    lang: Lang,
    parcel: &ParcelRecord,
    config: &KioskConfig,
    now: DateTime<Utc>,
) -> String {
    let zone = config.store.time_zone;
    match parcel.origin {
        ParcelOrigin::Order => parcel.leave_by.map_or_else(
            || t!(lang, "driver-pickup-why-order"),
            |leave_by| {
                let late = if leave_by <= now {
                    t!(lang, "driver-pickup-why-late")
                } else {
                    String::new()
                };
                let time = leave_by.with_timezone(&zone).format("%H:%M").to_string();
                format!(
                    "{}{late}",
                    t!(lang, "driver-pickup-why-order-by", time = time)
                )
            },
        ),
        ParcelOrigin::DropOff => t!(lang, "driver-pickup-why-drop-off"),
        ParcelOrigin::Return => t!(lang, "driver-pickup-why-return"),
        ParcelOrigin::Carrier | ParcelOrigin::Unrecorded if parcel.is_expired_at(now) => {
            t!(lang, "driver-pickup-why-expired")
        }
        ParcelOrigin::Carrier | ParcelOrigin::Unrecorded => t!(lang, "driver-pickup-why-carrier"),
    }
}

/// Why a scanned parcel is not on the list (the clerk's words).
fn not_on_list_because(
    lang: Lang,
    parcel: &ParcelRecord,
    flow_carrier: Option<Carrier>,
    config: &KioskConfig,
) -> String {
    if parcel.status == ParcelStatus::HeldForCustomer {
        return match parcel.hold_expires_at {
            Some(until) => {
                let local = until.with_timezone(&config.store.time_zone);
                t!(
                    lang,
                    "driver-pickup-held-until",
                    weekday = i18n::weekday_short(lang, local.weekday()),
                    day = local.format("%d").to_string(),
                    month = i18n::month_short(lang, local.month())
                )
            }
            None => t!(lang, "driver-pickup-held"),
        };
    }
    match flow_carrier {
        Some(carrier) if carrier != parcel.carrier => t!(
            lang,
            "driver-pickup-goes-with",
            carrier = carrier_name(lang, parcel.carrier)
        ),
        _ => t!(
            lang,
            "driver-pickup-is",
            status = status_words(lang, parcel.status)
        ),
    }
}

impl DriverPickupFlow {
    /// F6: the next carrier's list (then everything again). Only before anything is on the
    /// cart, so a parcel already handed over is never hidden.
    fn next_carrier(&mut self, lookup: &Lookup<'_>) -> Action {
        let lang = lookup.lang;
        if self.list.lines.iter().any(|l| l.state != DueState::Waiting) {
            return Action::warn(t!(lang, "driver-pickup-carrier-locked"));
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
            Err(error) => super::store_failed(lookup.lang, &error),
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
                let count = self.list.lines.len();
                Action::info(match next {
                    Some(carrier) => t!(
                        lang,
                        "driver-pickup-for-carrier",
                        count = count,
                        carrier = carrier_name(lang, carrier)
                    ),
                    None => t!(lang, "driver-pickup-for-any", count = count),
                })
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
        let lang = lookup.lang;
        if std::mem::take(&mut self.badge_next) {
            return match check_free_text(scanned, 40) {
                Ok(badge) => {
                    let said = Action::ok(t!(
                        lang,
                        "driver-pickup-badge-noted",
                        badge = badge.as_str()
                    ));
                    self.badge = badge;
                    said
                }
                Err(reason) => Action::alert(free_text_text(lang, TextField::Badge, &reason)),
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
                return Action::warn(t!(
                    lang,
                    "driver-pickup-already-on-cart",
                    id = tracking_id.to_string()
                ));
            }
            line.state = DueState::OnCart;
            return Action::ok(t!(
                lang,
                "driver-pickup-on-cart",
                id = tracking_id.to_string()
            ));
        }
        let why = match lookup.parcel(&tracking_id) {
            Ok(Some(parcel)) => not_on_list_because(lang, &parcel, self.carrier, lookup.config),
            Ok(None) => t!(lang, "driver-pickup-no-record"),
            Err(error) => store_error_text(lang, &error),
        };
        Action::alert(t!(
            lang,
            "driver-pickup-not-on-list",
            id = tracking_id.to_string(),
            why = why
        ))
    }

    /// The requests to record; the words said once recorded are the driver's (the totals
    /// they confirm), in the customer's language.
    fn requests(&mut self, customer_lang: Lang) -> Vec<HandoffRequest> {
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
        self.list.outcome = t!(
            customer_lang,
            "driver-pickup-recorded",
            taken = cart.len(),
            not_found = missing.len()
        );
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
        let lang = lookup.lang;
        match list_key(&mut self.list, key) {
            ListKey::Scanned(Err(reason)) => super::list::scan_refused(lookup.lang, &reason),
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
                Action::info(t!(lang, "driver-pickup-badge"))
            }
            ListKey::ListComplete => {
                let not_found = self
                    .list
                    .lines
                    .iter()
                    .any(|line| line.state == DueState::UnableToFind);
                match (self.cart().is_empty(), not_found) {
                    (true, false) => Action::warn(t!(lang, "driver-pickup-need-cart")),
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
                requests: self.requests(lookup.customer_lang),
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

    fn outcome(&mut self, outcome: Outcome, lookup: &Lookup<'_>) -> Action {
        match outcome {
            Outcome::TokenIssued(issued) => {
                let renewing = self.showing_qr().is_some();
                let shown = issued.and_then(|token| {
                    QrSymbol::encode(&token.text)
                        .map(|symbol| (token, symbol))
                        .map_err(|e| e.text(lookup.lang))
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
                    Err(error) => {
                        Action::alert(t!(lookup.lang, "driver-pickup-no-code", error = error))
                    }
                }
            }
            Outcome::TokenClaimed(Ok(())) => {
                self.list.step = Step::ConfirmPin;
                Action::ClearMessage
            }
            Outcome::TokenClaimed(Err(error)) => Action::alert(error),
            Outcome::Recorded(_) => self.list.recorded(outcome, lookup.lang),
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
        // The list and the QR are the driver's to read; the prompts the clerk's.
        let (customer, clerk) = (view.customer_lang, view.lang);
        if let (Step::Qr, Some((token, symbol))) = (self.list.step, &self.handshake) {
            let heading = [
                t!(customer, "driver-pickup-qr-title"),
                String::new(),
                t!(customer, "driver-pickup-qr-ask"),
                t!(
                    customer,
                    "driver-pickup-qr-count",
                    count = self.cart().len()
                ),
                t!(customer, "driver-pickup-qr-binds"),
            ];
            render_qr_panel(frame, view, token, symbol, &heading, area);
            return;
        }
        let lines = &self.list.lines;
        let on_cart = lines.iter().filter(|l| l.state == DueState::OnCart).count();
        let driver = if self.badge.is_empty() {
            String::new()
        } else {
            t!(
                customer,
                "driver-pickup-summary-driver",
                badge = self.badge.as_str()
            )
        };
        let carrier = self.carrier.map_or_else(String::new, |carrier| {
            t!(
                customer,
                "driver-pickup-summary-carrier",
                carrier = carrier_name(customer, carrier)
            )
        });
        let list = ListView {
            title: t!(customer, "driver-pickup-title"),
            summary: t!(
                customer,
                "driver-pickup-summary",
                on_cart = on_cart,
                total = lines.len(),
                carrier = carrier,
                driver = driver
            ),
            setup_label: String::new(),
            header: vec![
                t!(customer, "driver-pickup-column-shelf"),
                t!(customer, "driver-pickup-column-id"),
                t!(customer, "driver-pickup-column-carrier"),
                t!(customer, "driver-pickup-column-why"),
                t!(customer, "driver-pickup-column-state"),
            ],
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
                        DueState::Waiting => {
                            (t!(customer, "driver-pickup-state-fetch"), RowMood::Normal)
                        }
                        DueState::OnCart => {
                            (t!(customer, "driver-pickup-state-on-cart"), RowMood::Good)
                        }
                        DueState::UnableToFind => {
                            (t!(customer, "driver-pickup-state-not-found"), RowMood::Warn)
                        }
                    };
                    let cells = vec![
                        line.parcel.shelf.clone(),
                        line.parcel.tracking_id.to_string(),
                        carrier_name(customer, line.parcel.carrier),
                        due_reason(customer, &line.parcel, view.config, view.now),
                        state,
                    ];
                    (cells, mood)
                })
                .collect(),
            pin_label: t!(clerk, "driver-pickup-pin-label"),
        };
        render_list(frame, view, &self.list, list, area);
    }

    fn keys(&self, lang: Lang) -> String {
        shared_keys(&self.list, lang, String::new, || {
            t!(lang, "driver-pickup-keys-scanning")
        })
    }

    fn help(&self, lang: Lang) -> Vec<String> {
        super::help_lines(t!(lang, "driver-pickup-help"))
    }

    fn takes_text(&self) -> bool {
        self.list.step == Step::Scanning
    }
}
