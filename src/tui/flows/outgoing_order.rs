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
use super::{Flow, Lookup, carrier_name, incoming_label};
use crate::config::KioskConfig;
use crate::domain::chain::{Counterparty, CounterpartyKind};
use crate::domain::custody::EventKind;
use crate::domain::handoff::{HandoffItem, HandoffRequest};
use crate::domain::ids::TrackingId;
use crate::domain::labels::carrier_of;
use crate::i18n::Lang;
use crate::t;
use crate::tui::action::{Action, Outcome};
use crate::tui::message::Message;
use crate::tui::view::View;
use crate::tui::widgets::id_column;

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
    Ok((
        Box::new(flow),
        Action::info(t!(lookup.lang, "outgoing-order-start")),
    ))
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

    fn requests(&mut self, config: &KioskConfig, lang: Lang) -> Vec<HandoffRequest> {
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
        self.list.outcome = t!(
            lang,
            "outgoing-order-recorded",
            count = items.len(),
            time = local
        );
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
        let lang = lookup.lang;
        match list_key(&mut self.list, key) {
            ListKey::SetupDone(entered) => {
                let time = entered
                    .ok()
                    .and_then(|text| NaiveTime::parse_from_str(text.trim(), "%H:%M").ok());
                let Some(time) = time else {
                    return Action::alert(t!(lang, "outgoing-order-time-format"));
                };
                let shown = time.format("%H:%M").to_string();
                match today_at(lookup.config, time, lookup.now) {
                    None => Action::alert(t!(lang, "outgoing-order-passed", time = shown)),
                    Some(leave_by) => {
                        self.leave_by = Some(leave_by);
                        self.list.step = Step::Scanning;
                        Action::info(t!(lang, "outgoing-order-scan", time = shown))
                    }
                }
            }
            ListKey::Scanned(Err(reason)) => super::list::scan_refused(lookup.lang, &reason),
            ListKey::Scanned(Ok(scanned)) => {
                let already = self.list.lines.iter().map(|l| &l.tracking_id);
                match incoming_label(lookup, &scanned, already) {
                    Err(refusal) => refusal,
                    Ok(tracking_id) => {
                        let said = Action::ok(t!(
                            lang,
                            "outgoing-order-added",
                            id = tracking_id.to_string()
                        ));
                        self.list.push(OrderLine {
                            tracking_id,
                            shelf: None,
                        });
                        said
                    }
                }
            }
            ListKey::Other(KeyCode::F(4)) => self.list.open_shelf_entry(lang),
            ListKey::ShelfTyped(Err(reason)) => super::list::refused(lang, &reason),
            ListKey::ShelfTyped(Ok(shelf)) => match self.list.selected_line() {
                Some(line) => {
                    let said = Action::ok(shelf_set(lang, &line.tracking_id, &shelf));
                    line.shelf = Some(shelf);
                    said
                }
                None => Action::None,
            },
            ListKey::Other(KeyCode::Delete) => {
                self.list.remove_selected();
                Action::None
            }
            ListKey::ListComplete => self.list.complete(
                !self.list.lines.is_empty(),
                t!(lang, "outgoing-order-need-order"),
            ),
            ListKey::Pin(pin) => Action::Record {
                pin,
                requests: self.requests(lookup.config, lang),
            },
            ListKey::Leave => self.list.leave(!self.list.lines.is_empty()),
            ListKey::DriverScanned | ListKey::Other(_) | ListKey::Handled => Action::None,
        }
    }

    fn outcome(&mut self, outcome: Outcome, lookup: &Lookup<'_>) -> Action {
        self.list.recorded(outcome, lookup.lang)
    }

    fn render(&self, frame: &mut Frame, view: &View<'_>, area: Rect) {
        let lang = view.lang;
        let leave = self.local_leave_by(view.config);
        let list = ListView {
            title: t!(lang, "outgoing-order-title"),
            summary: t!(
                lang,
                "outgoing-order-summary",
                count = self.list.lines.len(),
                time = leave.as_str()
            ),
            setup_label: t!(lang, "outgoing-order-setup-label"),
            header: vec![
                t!(lang, "outgoing-order-column-id"),
                t!(lang, "outgoing-order-column-carrier"),
                t!(lang, "outgoing-order-column-shelf"),
                t!(lang, "outgoing-order-column-leaves-by"),
            ],
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
                            carrier_name(lang, carrier_of(&line.tracking_id)),
                            line.shelf(view.config).to_owned(),
                            leave.clone(),
                        ],
                        RowMood::Normal,
                    )
                })
                .collect(),
            pin_label: t!(lang, "outgoing-order-pin-label"),
        };
        render_list(frame, view, &self.list, list, area);
    }

    fn keys(&self, lang: Lang) -> String {
        shared_keys(
            &self.list,
            lang,
            || t!(lang, "outgoing-order-keys-setup"),
            || t!(lang, "outgoing-order-keys-scanning"),
        )
    }

    fn help(&self, lang: Lang) -> Vec<String> {
        super::help_lines(t!(lang, "outgoing-order-help"))
    }

    fn takes_text(&self) -> bool {
        self.list.takes_text()
    }
}
