//! Parcels that come in to be sent: customer drop-offs and returns, and the shop's own
//! outgoing orders. Both wait on the shelf for the next driver pickup.

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::lists::{ListFlow, ListKey, ListView, RowMood, Step, list_key, render_list};
use crate::config::Capability;
use crate::domain::chain::{Counterparty, CounterpartyKind};
use crate::domain::custody::EventKind;
use crate::domain::ids::{TrackingId, clean_free_text};
use crate::domain::staff::PinProof;
use crate::store::{HandoffItem, HandoffRequest};
use crate::tui::app::{App, Flash, Pending, Screen};
use crate::tui::text;

/// Why a drop-off can be refused at the counter, cycled with F2.
pub const REFUSAL_REASONS: [&str; 4] = [
    "damaged",
    "over the size limit",
    "over the weight limit",
    "prohibited item",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DropOffLine {
    pub tracking_id: TrackingId,
    pub refusal: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DropOffFlow {
    pub list: ListFlow<DropOffLine>,
    pub is_return: bool,
    /// Who dropped it off: a name or a reference from the customer's label or app.
    pub reference: String,
    pub outcome: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLine {
    pub tracking_id: TrackingId,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFlow {
    pub list: ListFlow<OrderLine>,
    pub leave_by: Option<DateTime<Utc>>,
    pub outcome: String,
}

/// Checks a scanned label for a parcel coming in: valid, not scanned already in this list, not
/// already held by the store.
fn incoming_label<'a>(
    app: &App,
    scanned: &str,
    already: impl IntoIterator<Item = &'a TrackingId>,
) -> Result<TrackingId, Flash> {
    let tracking_id = TrackingId::parse(scanned).map_err(|reason| {
        Flash::alert(format!(
            "{} Not a parcel label: {reason}.",
            text::SYMBOL_ALERT
        ))
    })?;
    if already.into_iter().any(|id| *id == tracking_id) {
        return Err(Flash::warn(format!(
            "{} {tracking_id} is already in this list (duplicate scan).",
            text::SYMBOL_WARN
        )));
    }
    match app.kiosk.store.parcel(&tracking_id) {
        Err(error) => Err(Flash::alert(error.to_string())),
        Ok(Some(parcel)) if parcel.status.in_store_custody() => Err(Flash::alert(format!(
            "{} {tracking_id} is already held here ({}, shelf {}).",
            text::SYMBOL_ALERT,
            parcel.status.label(),
            parcel.shelf
        ))),
        Ok(_) => Ok(tracking_id),
    }
}

/// The next occurrence of a local time today, in UTC; `None` when it has already passed.
pub fn today_at(app: &App, time: NaiveTime, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let zone = app.kiosk.config.store.time_zone;
    let day = app.kiosk.config.calendar.local_date(now);
    let instant = zone
        .from_local_datetime(&day.and_time(time))
        .earliest()?
        .with_timezone(&Utc);
    (instant > now).then_some(instant)
}

impl App {
    pub(crate) fn start_drop_off(&mut self) {
        if !self.kiosk.config.store.offers(Capability::DropOff) {
            self.flash = Some(Flash::warn(
                "This store does not take drop-offs (no DROP_OFF in kiosk.toml).",
            ));
            return;
        }
        self.screen = Screen::DropOff(Box::new(DropOffFlow {
            list: ListFlow::new(Step::Setup),
            is_return: false,
            reference: String::new(),
            outcome: String::new(),
        }));
        self.flash = Some(Flash::ok(
            "Type the customer's name or reference, then Enter.",
        ));
    }

    pub(crate) fn drop_off_key(&mut self, key: KeyEvent, esc_armed: bool) {
        let Screen::DropOff(flow) = &mut self.screen else {
            return;
        };
        match list_key(&mut flow.list, key) {
            ListKey::SetupDone(entered) => match entered
                .and_then(|text| clean_free_text("the reference", &text, 80))
            {
                Ok(reference) if !reference.is_empty() => {
                    flow.reference = reference;
                    flow.list.step = Step::Scanning;
                    self.flash = Some(Flash::ok(
                        "Scan the parcel label(s). F2 refuse, F3 drop-off/return.",
                    ));
                }
                Ok(_) => {
                    self.flash = Some(Flash::warn("Type the customer's name or reference first."))
                }
                Err(reason) => self.flash = Some(Flash::alert(reason)),
            },
            ListKey::Scanned(Err(reason)) => self.flash = Some(Flash::alert(reason)),
            ListKey::Scanned(Ok(scanned)) => {
                let already: Vec<TrackingId> = flow
                    .list
                    .lines
                    .iter()
                    .map(|l| l.tracking_id.clone())
                    .collect();
                match incoming_label(self, &scanned, &already) {
                    Err(flash) => self.flash = Some(flash),
                    Ok(tracking_id) => {
                        let Screen::DropOff(flow) = &mut self.screen else {
                            return;
                        };
                        self.flash = Some(Flash::ok(format!(
                            "{} {tracking_id} added.",
                            text::SYMBOL_OK
                        )));
                        flow.list.lines.push(DropOffLine {
                            tracking_id,
                            refusal: None,
                        });
                        flow.list.selected = flow.list.lines.len() - 1;
                    }
                }
            }
            ListKey::Other(KeyCode::F(2)) => {
                if let Some(line) = flow.list.selected_line() {
                    let next = match line.refusal {
                        None => Some(0),
                        Some(reason) => REFUSAL_REASONS
                            .iter()
                            .position(|r| *r == reason)
                            .map(|i| i + 1),
                    };
                    line.refusal = next.and_then(|index| REFUSAL_REASONS.get(index).copied());
                }
            }
            ListKey::Other(KeyCode::F(3)) => flow.is_return = !flow.is_return,
            ListKey::ListComplete if flow.list.lines.is_empty() => {
                self.flash = Some(Flash::warn("Scan at least one parcel first."));
            }
            ListKey::ListComplete => {
                flow.list.step = Step::ConfirmPin;
                self.flash = None;
            }
            ListKey::Pin(pin) => self.confirm_with_pin(pin),
            ListKey::Leave => {
                let work = flow.list.step != Step::Done && !flow.list.lines.is_empty();
                if work {
                    self.discard_or_arm(esc_armed)
                } else {
                    self.go_home()
                }
            }
            _ => {}
        }
    }

    /// Starts the PIN check that, once it passes, records whatever flow is on screen.
    pub(crate) fn confirm_with_pin(&mut self, pin: crate::domain::pin::Pin) {
        if let Some(staff_id) = self.session_staff() {
            self.start_pin_check(staff_id, pin, |job| Pending::Counter { job });
        }
    }

    pub(crate) fn record_drop_off(&mut self, proof: &PinProof) {
        let Screen::DropOff(flow) = &self.screen else {
            return;
        };
        let customer = Counterparty {
            kind: CounterpartyKind::Customer,
            reference: flow.reference.clone(),
        };
        let (kind, shelf) = if flow.is_return {
            (EventKind::CustomerReturn, "R")
        } else {
            (EventKind::CustomerDropOff, "D")
        };
        let accepted: Vec<HandoffItem> = flow
            .list
            .lines
            .iter()
            .filter(|l| l.refusal.is_none())
            .map(|l| HandoffItem::on_shelf(l.tracking_id.clone(), shelf))
            .collect();
        let refused: Vec<HandoffItem> = flow
            .list
            .lines
            .iter()
            .filter_map(|l| {
                l.refusal.map(|reason| {
                    HandoffItem::with_detail(l.tracking_id.clone(), &format!("refused: {reason}"))
                })
            })
            .collect();
        let (taken, refused_count) = (accepted.len(), refused.len());
        let mut requests = Vec::new();
        for (kind, items) in [(kind, accepted), (EventKind::DropOffRefused, refused)] {
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
        let outcome = format!(
            "{} Recorded: {taken} taken in on shelf {shelf}, {refused_count} refused.",
            text::SYMBOL_OK
        );
        self.record_requests(proof, &requests, outcome);
    }

    /// Records, then marks the flow on screen done; on failure says nothing was recorded.
    pub(crate) fn record_requests(
        &mut self,
        proof: &PinProof,
        requests: &[HandoffRequest],
        outcome: String,
    ) {
        match self.kiosk.record(proof, requests, self.now()) {
            Ok(receipt) => {
                let capacity_note = if receipt.over_capacity() {
                    format!(
                        " {} Over capacity: {} on hand.",
                        text::SYMBOL_WARN,
                        receipt.on_hand
                    )
                } else {
                    String::new()
                };
                self.mark_flow_done(format!("{outcome}{capacity_note}"));
            }
            Err(error) => {
                self.flash = Some(Flash::alert(format!(
                    "{} {error}. {}",
                    text::SYMBOL_ALERT,
                    text::RECORDED_NOTHING
                )))
            }
        }
    }

    fn mark_flow_done(&mut self, outcome: String) {
        match &mut self.screen {
            Screen::DropOff(flow) => {
                flow.list.step = Step::Done;
                flow.outcome = outcome.clone();
            }
            Screen::Order(flow) => {
                flow.list.step = Step::Done;
                flow.outcome = outcome.clone();
            }
            Screen::DriverPickup(flow) => {
                flow.list.step = Step::Done;
                flow.outcome = outcome.clone();
            }
            Screen::LocalDelivery(flow) => {
                flow.list.step = Step::Done;
                flow.outcome = outcome.clone();
            }
            _ => {}
        }
        self.flash = Some(Flash::ok(outcome));
    }

    pub(crate) fn start_order(&mut self) {
        let mut list = ListFlow::new(Step::Setup);
        for c in self
            .kiosk
            .config
            .orders
            .default_leave_by
            .format("%H:%M")
            .to_string()
            .chars()
        {
            list.setup.push(c);
        }
        self.screen = Screen::Order(Box::new(OrderFlow {
            list,
            leave_by: None,
            outcome: String::new(),
        }));
        self.flash = Some(Flash::ok(
            "Must leave by (HH:MM, today): change it or press Enter.",
        ));
    }

    pub(crate) fn order_key(&mut self, key: KeyEvent, esc_armed: bool) {
        let now = self.now();
        let Screen::Order(flow) = &mut self.screen else {
            return;
        };
        match list_key(&mut flow.list, key) {
            ListKey::SetupDone(entered) => {
                let time = entered
                    .ok()
                    .and_then(|text| NaiveTime::parse_from_str(text.trim(), "%H:%M").ok());
                let Some(time) = time else {
                    self.flash = Some(Flash::alert("Type the time as HH:MM, e.g. 16:30."));
                    return;
                };
                match today_at(self, time, now) {
                    None => {
                        self.flash = Some(Flash::alert(format!(
                            "{} {} has passed today; type a later time.",
                            text::SYMBOL_ALERT,
                            time.format("%H:%M")
                        )))
                    }
                    Some(leave_by) => {
                        let Screen::Order(flow) = &mut self.screen else {
                            return;
                        };
                        flow.leave_by = Some(leave_by);
                        flow.list.step = Step::Scanning;
                        self.flash = Some(Flash::ok(format!(
                            "Scan each packed order's label (must leave by {}).",
                            time.format("%H:%M")
                        )));
                    }
                }
            }
            ListKey::Scanned(Err(reason)) => self.flash = Some(Flash::alert(reason)),
            ListKey::Scanned(Ok(scanned)) => {
                let already: Vec<TrackingId> = flow
                    .list
                    .lines
                    .iter()
                    .map(|l| l.tracking_id.clone())
                    .collect();
                match incoming_label(self, &scanned, &already) {
                    Err(flash) => self.flash = Some(flash),
                    Ok(tracking_id) => {
                        let Screen::Order(flow) = &mut self.screen else {
                            return;
                        };
                        self.flash = Some(Flash::ok(format!(
                            "{} {tracking_id} added.",
                            text::SYMBOL_OK
                        )));
                        flow.list.lines.push(OrderLine { tracking_id });
                        flow.list.selected = flow.list.lines.len() - 1;
                    }
                }
            }
            ListKey::Other(KeyCode::Delete) if flow.list.selected < flow.list.lines.len() => {
                flow.list.lines.remove(flow.list.selected);
                flow.list.selected = flow
                    .list
                    .selected
                    .min(flow.list.lines.len().saturating_sub(1));
            }
            ListKey::ListComplete if flow.list.lines.is_empty() => {
                self.flash = Some(Flash::warn("Scan at least one order first."))
            }
            ListKey::ListComplete => {
                flow.list.step = Step::ConfirmPin;
                self.flash = None;
            }
            ListKey::Pin(pin) => self.confirm_with_pin(pin),
            ListKey::Leave => {
                let work = flow.list.step != Step::Done && !flow.list.lines.is_empty();
                if work {
                    self.discard_or_arm(esc_armed)
                } else {
                    self.go_home()
                }
            }
            _ => {}
        }
    }

    pub(crate) fn record_order(&mut self, proof: &PinProof) {
        let Screen::Order(flow) = &self.screen else {
            return;
        };
        let Some(leave_by) = flow.leave_by else {
            return;
        };
        let local = leave_by
            .with_timezone(&self.kiosk.config.store.time_zone)
            .format("%H:%M")
            .to_string();
        let items: Vec<HandoffItem> = flow
            .list
            .lines
            .iter()
            .map(|line| HandoffItem {
                leave_by: Some(leave_by),
                ..HandoffItem {
                    shelf: "O".into(),
                    ..HandoffItem::with_detail(
                        line.tracking_id.clone(),
                        &format!("leave by {local}"),
                    )
                }
            })
            .collect();
        let count = items.len();
        let request = HandoffRequest {
            kind: EventKind::OutgoingOrder,
            counterparty: Counterparty {
                kind: CounterpartyKind::Store,
                reference: "shop order".into(),
            },
            items,
            token_id: None,
            note: String::new(),
        };
        self.record_requests(
            proof,
            &[request],
            format!(
                "{} Recorded: {count} order(s) on shelf O, leaving by {local}.",
                text::SYMBOL_OK
            ),
        );
    }
}

pub fn drop_off_keys(flow: &DropOffFlow) -> &'static str {
    match flow.list.step {
        Step::Setup => "type the name or reference, Enter   Esc cancel",
        Step::Scanning => "Enter add   empty Enter confirm   F2 refuse/reason   F3 drop-off/return",
        Step::ConfirmPin => "type your PIN, Enter   Esc back",
        _ => "Enter home",
    }
}

pub fn render_drop_off(frame: &mut Frame, app: &App, flow: &DropOffFlow, area: Rect) {
    let kind = if flow.is_return { "RETURN" } else { "DROP-OFF" };
    let taken = flow
        .list
        .lines
        .iter()
        .filter(|l| l.refusal.is_none())
        .count();
    let view = ListView {
        title: if flow.is_return {
            "CUSTOMER RETURN (F3: drop-off)"
        } else {
            "CUSTOMER DROP-OFF (F3: return)"
        },
        summary: format!(
            "From {}: {taken} to take in as {kind}, {} refused",
            if flow.reference.is_empty() {
                "…"
            } else {
                &flow.reference
            },
            flow.list.lines.len() - taken
        ),
        setup_label: "Customer name or reference: ",
        header: vec!["Tracking id", "Condition"],
        widths: vec![Constraint::Length(24), Constraint::Min(20)],
        rows: flow
            .list
            .lines
            .iter()
            .map(|line| match line.refusal {
                None => (
                    vec![line.tracking_id.to_string(), "✔ accepted".to_owned()],
                    RowMood::Normal,
                ),
                Some(reason) => (
                    vec![line.tracking_id.to_string(), format!("✖ REFUSED: {reason}")],
                    RowMood::Warn,
                ),
            })
            .collect(),
        pin_label: "Your PIN to record this drop-off: ",
        done_text: flow.outcome.clone(),
    };
    render_list(frame, app, &flow.list, view, area);
}

pub fn order_keys(flow: &OrderFlow) -> &'static str {
    match flow.list.step {
        Step::Setup => "type HH:MM, Enter   Esc cancel",
        Step::Scanning => "Enter add   empty Enter confirm   Del remove   Esc cancel",
        Step::ConfirmPin => "type your PIN, Enter   Esc back",
        _ => "Enter home",
    }
}

pub fn render_order(frame: &mut Frame, app: &App, flow: &OrderFlow, area: Rect) {
    let zone = app.kiosk.config.store.time_zone;
    let leave = flow.leave_by.map_or_else(
        || "…".to_owned(),
        |t| t.with_timezone(&zone).format("%H:%M").to_string(),
    );
    let view = ListView {
        title: "OUTGOING ORDERS (the shop's own parcels for today's driver)",
        summary: format!("{} order(s), must leave by {leave}", flow.list.lines.len()),
        setup_label: "Must leave by (HH:MM): ",
        header: vec!["Tracking id", "Shelf", "Leaves by"],
        widths: vec![
            Constraint::Length(24),
            Constraint::Length(6),
            Constraint::Min(10),
        ],
        rows: flow
            .list
            .lines
            .iter()
            .map(|line| {
                (
                    vec![line.tracking_id.to_string(), "O".to_owned(), leave.clone()],
                    RowMood::Normal,
                )
            })
            .collect(),
        pin_label: "Your PIN to register these orders: ",
        done_text: flow.outcome.clone(),
    };
    render_list(frame, app, &flow.list, view, area);
}
