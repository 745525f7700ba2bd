//! A customer drops off a parcel to send, or returns one: who brings it, each label scanned,
//! refusals with their reason, the clerk's PIN. Accepted parcels wait for the next driver.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::list::{
    ListFlow, ListKey, ListView, RowMood, Step, list_key, render_list, shared_keys, shelf_set,
};
use super::{Flow, Lookup, carrier_name, incoming_label};
use crate::config::{Capability, KioskConfig};
use crate::domain::chain::{Counterparty, CounterpartyKind};
use crate::domain::custody::EventKind;
use crate::domain::handoff::{HandoffItem, HandoffRequest};
use crate::domain::ids::{TrackingId, check_free_text};
use crate::domain::labels::carrier_of;
use crate::i18n::Lang;
use crate::t;
use crate::tui::action::{Action, Outcome};
use crate::tui::message::Message;
use crate::tui::reasons::{Refusal, TextField};
use crate::tui::view::View;
use crate::tui::widgets::id_column;

/// Why a drop-off can be refused at the counter, cycled with F2. These words are what the
/// ledger keeps (`refused: damaged`), the same whatever language the counter speaks; the
/// screen shows them translated (`drop-off-reason` in drop-off.ftl, by the key beside each).
pub const REFUSAL_REASONS: [&str; 4] = [
    "damaged",
    "over the size limit",
    "over the weight limit",
    "prohibited item",
];

/// The message-file key of each of [`REFUSAL_REASONS`], in the same order.
const REFUSAL_KEYS: [&str; 4] = ["damaged", "over-size", "over-weight", "prohibited"];

/// A recorded refusal reason as the reader of `lang` reads it.
pub fn reason_words(lang: Lang, reason: &str) -> String {
    let key = REFUSAL_REASONS
        .iter()
        .position(|known| *known == reason)
        .and_then(|index| REFUSAL_KEYS.get(index))
        .copied()
        .unwrap_or(reason);
    t!(lang, "drop-off-reason", reason = key)
}

#[derive(Debug, Clone)]
pub struct DropOffLine {
    pub tracking_id: TrackingId,
    pub refusal: Option<&'static str>,
    /// The shelf the clerk chose (F4); `None`: the drop-off or return shelf.
    pub shelf: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DropOffFlow {
    pub list: ListFlow<DropOffLine>,
    pub is_return: bool,
    /// Who dropped it off: a name or a reference from the customer's label or app.
    pub reference: String,
}

pub fn start(lookup: &Lookup<'_>) -> Result<(Box<dyn Flow>, Action), Message> {
    if !lookup.config.store.offers(Capability::DropOff) {
        return Err(Message::warn(t!(lookup.lang, "drop-off-not-offered")));
    }
    let flow = DropOffFlow {
        list: ListFlow::new(Step::Setup),
        is_return: false,
        reference: String::new(),
    };
    Ok((
        Box::new(flow),
        Action::info(t!(lookup.lang, "drop-off-start")),
    ))
}

impl DropOffFlow {
    /// Where a parcel of this flow goes: the clerk's choice, or the drop-off or return shelf.
    fn shelf_of<'a>(&self, line: &'a DropOffLine, config: &'a KioskConfig) -> &'a str {
        match &line.shelf {
            Some(shelf) => shelf,
            None if self.is_return => &config.shelves.returns,
            None => &config.shelves.drop_offs,
        }
    }

    /// The requests to record; the words said once recorded are the customer's (the totals
    /// they confirm).
    fn requests(&mut self, config: &KioskConfig, customer_lang: Lang) -> Vec<HandoffRequest> {
        let customer = Counterparty {
            kind: CounterpartyKind::Customer,
            reference: self.reference.clone(),
        };
        let kind = if self.is_return {
            EventKind::CustomerReturn
        } else {
            EventKind::CustomerDropOff
        };
        let lines = &self.list.lines;
        let accepted: Vec<HandoffItem> = lines
            .iter()
            .filter(|l| l.refusal.is_none())
            .map(|l| HandoffItem::on_shelf(l.tracking_id.clone(), self.shelf_of(l, config)))
            .collect();
        let refused: Vec<HandoffItem> = lines
            .iter()
            .filter_map(|l| {
                l.refusal.map(|reason| {
                    HandoffItem::with_detail(l.tracking_id.clone(), &format!("refused: {reason}"))
                })
            })
            .collect();
        self.list.outcome = t!(
            customer_lang,
            "drop-off-recorded",
            taken = accepted.len(),
            refused = refused.len()
        );
        [(kind, accepted), (EventKind::DropOffRefused, refused)]
            .into_iter()
            .filter(|(_, items)| !items.is_empty())
            .map(|(kind, items)| HandoffRequest {
                kind,
                counterparty: customer.clone(),
                items,
                token_id: None,
                note: String::new(),
            })
            .collect()
    }
}

impl Flow for DropOffFlow {
    fn handle_key(&mut self, key: KeyEvent, lookup: &Lookup<'_>) -> Action {
        let lang = lookup.lang;
        match list_key(&mut self.list, key) {
            ListKey::SetupDone(entered) => {
                let cleaned = entered.map_err(Refusal::from).and_then(|text| {
                    check_free_text(&text, 80)
                        .map_err(|error| Refusal::FreeText(TextField::Reference, error))
                });
                match cleaned {
                    Ok(reference) if !reference.is_empty() => {
                        self.reference = reference;
                        self.list.step = Step::Scanning;
                        Action::info(t!(lang, "drop-off-scan"))
                    }
                    Ok(_) => Action::warn(t!(lang, "drop-off-need-reference")),
                    Err(reason) => super::list::refused(lang, &reason),
                }
            }
            ListKey::Scanned(Err(reason)) => super::list::scan_refused(lookup.lang, &reason),
            ListKey::Scanned(Ok(scanned)) => {
                let already = self.list.lines.iter().map(|l| &l.tracking_id);
                match incoming_label(lookup, &scanned, already) {
                    Err(refusal) => refusal,
                    Ok(tracking_id) => {
                        let said =
                            Action::ok(t!(lang, "drop-off-added", id = tracking_id.to_string()));
                        self.list.push(DropOffLine {
                            tracking_id,
                            refusal: None,
                            shelf: None,
                        });
                        said
                    }
                }
            }
            ListKey::Other(KeyCode::F(2)) => {
                if let Some(line) = self.list.selected_line() {
                    let next = match line.refusal {
                        None => Some(0),
                        Some(reason) => REFUSAL_REASONS
                            .iter()
                            .position(|r| *r == reason)
                            .map(|i| i + 1),
                    };
                    line.refusal = next.and_then(|index| REFUSAL_REASONS.get(index).copied());
                }
                Action::None
            }
            ListKey::Other(KeyCode::F(3)) => {
                self.is_return = !self.is_return;
                Action::None
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
            ListKey::ListComplete => self.list.complete(
                !self.list.lines.is_empty(),
                t!(lang, "drop-off-need-parcel"),
            ),
            ListKey::Pin(pin) => Action::Record {
                pin,
                requests: self.requests(lookup.config, lookup.customer_lang),
            },
            ListKey::Leave => self.list.leave(!self.list.lines.is_empty()),
            ListKey::DriverScanned | ListKey::Other(_) | ListKey::Handled => Action::None,
        }
    }

    fn outcome(&mut self, outcome: Outcome, lookup: &Lookup<'_>) -> Action {
        self.list.recorded(outcome, lookup.lang)
    }

    fn render(&self, frame: &mut Frame, view: &View<'_>, area: Rect) {
        // The title, totals and list are the customer's; the prompts the clerk's.
        let (customer, clerk) = (view.customer_lang, view.lang);
        let kind = if self.is_return { "return" } else { "drop_off" };
        let lines = &self.list.lines;
        let taken = lines.iter().filter(|l| l.refusal.is_none()).count();
        let list = ListView {
            title: if self.is_return {
                t!(customer, "drop-off-title-return")
            } else {
                t!(customer, "drop-off-title-drop-off")
            },
            summary: t!(
                customer,
                "drop-off-summary",
                from = if self.reference.is_empty() {
                    "…"
                } else {
                    self.reference.as_str()
                },
                taken = taken,
                kind = kind,
                refused = lines.len() - taken
            ),
            setup_label: t!(clerk, "drop-off-setup-label"),
            header: vec![
                t!(customer, "drop-off-column-id"),
                t!(customer, "drop-off-column-carrier"),
                t!(customer, "drop-off-column-shelf"),
                t!(customer, "drop-off-column-condition"),
            ],
            widths: vec![
                id_column(lines.iter().map(|l| &l.tracking_id)),
                Constraint::Length(9),
                Constraint::Length(5),
                Constraint::Min(20),
            ],
            rows: lines
                .iter()
                .map(|line| {
                    let (shelf, condition, mood) = match line.refusal {
                        None => (
                            self.shelf_of(line, view.config).to_owned(),
                            t!(customer, "drop-off-accepted"),
                            RowMood::Normal,
                        ),
                        Some(reason) => (
                            "-".to_owned(),
                            t!(
                                customer,
                                "drop-off-refused",
                                reason = reason_words(customer, reason)
                            ),
                            RowMood::Warn,
                        ),
                    };
                    let cells = vec![
                        line.tracking_id.to_string(),
                        carrier_name(customer, carrier_of(&line.tracking_id)),
                        shelf,
                        condition,
                    ];
                    (cells, mood)
                })
                .collect(),
            pin_label: if self.is_return {
                t!(clerk, "drop-off-pin-label-return")
            } else {
                t!(clerk, "drop-off-pin-label-drop-off")
            },
        };
        render_list(frame, view, &self.list, list, area);
    }

    fn keys(&self, lang: Lang) -> String {
        shared_keys(
            &self.list,
            lang,
            || t!(lang, "drop-off-keys-setup"),
            || t!(lang, "drop-off-keys-scanning"),
        )
    }

    fn help(&self, lang: Lang) -> Vec<String> {
        super::help_lines(t!(lang, "drop-off-help"))
    }

    fn takes_text(&self) -> bool {
        self.list.takes_text()
    }
}
