//! The shop's own outgoing orders: a must-leave-by time today, each packed order scanned, the
//! clerk's PIN. They wait on the orders shelf (`[shelves] orders`); the driver pickup list
//! shows the most urgent first.

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::list::{
    ListFlow, ListKey, ListView, RowMood, Step, list_key, render_list, shared_keys, shelf_set,
};
use super::{Flow, Lookup, incoming_label};
use crate::config::KioskConfig;
use crate::domain::chain::{Counterparty, CounterpartyKind};
use crate::domain::custody::EventKind;
use crate::domain::handoff::{HandoffItem, HandoffRequest};
use crate::domain::ids::TrackingId;
use crate::domain::labels::carrier_of;
use crate::tui::action::{Action, Outcome};
use crate::tui::message::Message;
use crate::tui::view::View;
use crate::tui::widgets::id_column;

mod words {
    pub const START: &str = "Must leave by (HH:MM, today): change it or press Enter.";
    pub const TIME_FORMAT: &str = "Type the time as HH:MM, e.g. 16:30.";
    pub const NEED_ORDER: &str = "Scan at least one order first.";
    pub const TITLE: &str = "OUTGOING ORDERS (the shop's own parcels for today's driver)";
    pub const SETUP_LABEL: &str = "Must leave by (HH:MM): ";
    pub const PIN_LABEL: &str = "Your PIN to register these orders: ";
    pub const KEYS_SETUP: &str = "type HH:MM, Enter   Esc cancel";
    pub const KEYS_SCANNING: &str =
        "Enter add   empty Enter confirm   F4 shelf   Del remove   Esc cancel";
    pub const HELP: &[&str] = &[
        "Set the must-leave-by time (today), scan each packed order.",
        "They wait on the orders shelf (F4 puts the selected one elsewhere);",
        "the driver pickup list shows the most urgent first, and the home",
        "screen warns when one is close to its time.",
    ];

    use super::super::list::counted;

    pub fn passed(time: &str) -> String {
        format!("{time} has passed today; type a later time.")
    }
    pub fn scan(time: &str) -> String {
        format!("Scan each packed order's label (must leave by {time}).")
    }
    pub fn added(id: &impl std::fmt::Display) -> String {
        format!("{id} added.")
    }
    pub fn recorded(count: usize, time: &str) -> String {
        let orders = counted(count, "order");
        format!("Recorded: {orders}, leaving by {time}.")
    }
    pub fn summary(count: usize, time: &str) -> String {
        let orders = counted(count, "order");
        format!("{orders}, must leave by {time}")
    }
}

#[derive(Debug, Clone)]
pub struct OrderLine {
    pub tracking_id: TrackingId,
    /// The shelf the clerk chose (F4); `None`: the orders shelf.
    pub shelf: Option<String>,
}

impl OrderLine {
    fn shelf<'a>(&'a self, config: &'a KioskConfig) -> &'a str {
        self.shelf.as_deref().unwrap_or(&config.shelves.orders)
    }
}

#[derive(Debug, Clone)]
pub struct OrderFlow {
    pub list: ListFlow<OrderLine>,
    pub leave_by: Option<DateTime<Utc>>,
}

pub fn start(lookup: &Lookup<'_>) -> Result<(Box<dyn Flow>, Action), Message> {
    let mut list = ListFlow::new(Step::Setup);
    let default_time = lookup.config.orders.default_leave_by.format("%H:%M");
    list.setup = crate::tui::widgets::scan_field::ScanField::with_text(&default_time.to_string());
    let flow = OrderFlow {
        list,
        leave_by: None,
    };
    Ok((Box::new(flow), Action::info(words::START)))
}

/// The next occurrence of a local time today, in UTC; `None` when it has already passed.
pub fn today_at(
    config: &KioskConfig,
    time: NaiveTime,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let zone = config.store.time_zone;
    let day = config.calendar.local_date(now);
    let instant = zone
        .from_local_datetime(&day.and_time(time))
        .earliest()?
        .with_timezone(&Utc);
    (instant > now).then_some(instant)
}

impl OrderFlow {
    fn local_leave_by(&self, config: &KioskConfig) -> String {
        self.leave_by.map_or_else(
            || "…".to_owned(),
            |t| {
                t.with_timezone(&config.store.time_zone)
                    .format("%H:%M")
                    .to_string()
            },
        )
    }

    fn requests(&mut self, config: &KioskConfig) -> Vec<HandoffRequest> {
        let local = self.local_leave_by(config);
        let items: Vec<HandoffItem> = self
            .list
            .lines
            .iter()
            .map(|line| HandoffItem {
                leave_by: self.leave_by,
                shelf: line.shelf(config).to_owned(),
                ..HandoffItem::with_detail(line.tracking_id.clone(), &format!("leave by {local}"))
            })
            .collect();
        self.list.outcome = words::recorded(items.len(), &local);
        vec![HandoffRequest {
            kind: EventKind::OutgoingOrder,
            counterparty: Counterparty {
                kind: CounterpartyKind::Store,
                reference: "shop order".into(),
            },
            items,
            token_id: None,
            note: String::new(),
        }]
    }
}

impl Flow for OrderFlow {
    fn handle_key(&mut self, key: KeyEvent, lookup: &Lookup<'_>) -> Action {
        match list_key(&mut self.list, key) {
            ListKey::SetupDone(entered) => {
                let time = entered
                    .ok()
                    .and_then(|text| NaiveTime::parse_from_str(text.trim(), "%H:%M").ok());
                let Some(time) = time else {
                    return Action::alert(words::TIME_FORMAT);
                };
                let shown = time.format("%H:%M").to_string();
                match today_at(lookup.config, time, lookup.now) {
                    None => Action::alert(words::passed(&shown)),
                    Some(leave_by) => {
                        self.leave_by = Some(leave_by);
                        self.list.step = Step::Scanning;
                        Action::info(words::scan(&shown))
                    }
                }
            }
            ListKey::Scanned(Err(reason)) => Action::alert(reason),
            ListKey::Scanned(Ok(scanned)) => {
                let already = self.list.lines.iter().map(|l| &l.tracking_id);
                match incoming_label(lookup, &scanned, already) {
                    Err(refusal) => refusal,
                    Ok(tracking_id) => {
                        let said = Action::ok(words::added(&tracking_id));
                        self.list.push(OrderLine {
                            tracking_id,
                            shelf: None,
                        });
                        said
                    }
                }
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
            ListKey::Other(KeyCode::Delete) => {
                self.list.remove_selected();
                Action::None
            }
            ListKey::ListComplete => self
                .list
                .complete(!self.list.lines.is_empty(), words::NEED_ORDER),
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
        let leave = self.local_leave_by(view.config);
        let list = ListView {
            title: words::TITLE,
            summary: words::summary(self.list.lines.len(), &leave),
            setup_label: words::SETUP_LABEL,
            header: vec!["Tracking id", "Carrier", "Shelf", "Leaves by"],
            widths: vec![
                id_column(self.list.lines.iter().map(|l| &l.tracking_id)),
                Constraint::Length(9),
                Constraint::Length(5),
                Constraint::Min(10),
            ],
            rows: self
                .list
                .lines
                .iter()
                .map(|line| {
                    (
                        vec![
                            line.tracking_id.to_string(),
                            carrier_of(&line.tracking_id).to_string(),
                            line.shelf(view.config).to_owned(),
                            leave.clone(),
                        ],
                        RowMood::Normal,
                    )
                })
                .collect(),
            pin_label: words::PIN_LABEL,
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
