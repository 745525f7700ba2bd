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
use super::{Flow, Lookup, carrier_name, parse_label, status_words};
use crate::domain::chain::{Counterparty, CounterpartyKind};
use crate::domain::custody::{EventKind, ParcelStatus};
use crate::domain::handoff::{HandoffItem, HandoffRequest};
use crate::i18n::Lang;
use crate::store::ParcelRecord;
use crate::t;
use crate::tui::action::{Action, Outcome};
use crate::tui::message::Message;
use crate::tui::view::View;
use crate::tui::widgets::id_column;

/// How a parcel is damaged, cycled with F2; the words go into the event (in English whatever
/// the counter's language) and the screen shows them translated by the key beside each.
pub const DAMAGE: [&str; 4] = ["crushed", "wet", "torn open", "contents broken"];

/// The message-file key of each of [`DAMAGE`] (`damaged-damage` in damaged.ftl).
const DAMAGE_KEYS: [&str; 4] = ["crushed", "wet", "torn-open", "contents-broken"];

/// Who the event names as the other party: a fixed reference, never translated.
const COUNTERPARTY: &str = "found damaged in store";

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

pub fn start(lookup: &Lookup<'_>) -> Result<(Box<dyn Flow>, Action), Message> {
    let flow = DamagedFlow {
        list: ListFlow::new(Step::Scanning),
    };
    Ok((
        Box::new(flow),
        Action::info(t!(lookup.lang, "damaged-start")),
    ))
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
            return Action::warn(t!(
                lookup.lang,
                "flow-duplicate",
                id = tracking_id.to_string()
            ));
        }
        let (lang, id) = (lookup.lang, tracking_id.to_string());
        match lookup.parcel(&tracking_id) {
            Err(error) => super::store_failed(lookup.lang, &error),
            Ok(None) => Action::alert(t!(lang, "damaged-unknown", id = id)),
            Ok(Some(parcel)) if !can_be_damaged(parcel.status) => Action::alert(t!(
                lang,
                "damaged-not-held",
                id = id,
                status = status_words(lang, parcel.status)
            )),
            Ok(Some(parcel)) => {
                let said = Action::ok(t!(
                    lang,
                    "damaged-added",
                    id = id,
                    shelf = parcel.shelf.as_str()
                ));
                self.list.push(DamagedLine { parcel, damage: 0 });
                said
            }
        }
    }

    fn requests(&mut self, lang: Lang) -> Vec<HandoffRequest> {
        let items: Vec<HandoffItem> = self
            .list
            .lines
            .iter()
            .map(|line| {
                let damage = DAMAGE.get(line.damage).copied().unwrap_or("damaged");
                HandoffItem::with_detail(line.parcel.tracking_id.clone(), damage)
            })
            .collect();
        self.list.outcome = t!(lang, "damaged-recorded", count = items.len());
        vec![HandoffRequest {
            kind: EventKind::Damaged,
            counterparty: Counterparty {
                kind: CounterpartyKind::Store,
                reference: COUNTERPARTY.to_owned(),
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
            ListKey::Scanned(Err(reason)) => super::list::scan_refused(lookup.lang, &reason),
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
            ListKey::ListComplete => self.list.complete(
                !self.list.lines.is_empty(),
                t!(lookup.lang, "damaged-need-parcel"),
            ),
            ListKey::Pin(pin) => Action::Record {
                pin,
                requests: self.requests(lookup.lang),
            },
            ListKey::Leave => self.list.leave(!self.list.lines.is_empty()),
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
        let list = ListView {
            title: t!(lang, "damaged-title"),
            summary: t!(lang, "damaged-summary", count = self.list.lines.len()),
            setup_label: String::new(),
            header: vec![
                t!(lang, "damaged-column-shelf"),
                t!(lang, "damaged-column-id"),
                t!(lang, "damaged-column-carrier"),
                t!(lang, "damaged-column-damage"),
            ],
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
                    let key = DAMAGE_KEYS.get(line.damage).copied().unwrap_or("damaged");
                    let damage = t!(lang, "damaged-damage", damage = key);
                    let cells = vec![
                        line.parcel.shelf.clone(),
                        line.parcel.tracking_id.to_string(),
                        carrier_name(lang, line.parcel.carrier),
                        format!("! {damage}"),
                    ];
                    (cells, RowMood::Warn)
                })
                .collect(),
            pin_label: t!(lang, "damaged-pin-label"),
        };
        render_list(frame, view, &self.list, list, area);
    }

    fn keys(&self, lang: Lang) -> String {
        shared_keys(&self.list, lang, String::new, || {
            t!(lang, "damaged-keys-scanning")
        })
    }

    fn help(&self, lang: Lang) -> Vec<String> {
        super::help_lines(t!(lang, "damaged-help"))
    }

    fn takes_text(&self) -> bool {
        self.list.step == Step::Scanning
    }
}
