//! A customer collects: the pickup code unlocks the customer's parcels, or, when the code is
//! lost, the clerk finds them by name and checks a photo ID; someone else may collect for the
//! customer (a proxy, whose ID is checked). Each parcel is scanned as it is handed over; a wrong
//! parcel is refused loudly; a partial pickup is said before the PIN; the clerk's PIN records
//! it all at once, with the ID check and who collected in the event's facts. Wrong codes are
//! put on record, and after too many within a minute no code is checked for a while.

use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table};

use super::{Flow, Lookup, move_selection, not_recorded, parse_label};
use crate::domain::chain::{Counterparty, CounterpartyKind, Fact};
use crate::domain::codes::PickupCode;
use crate::domain::custody::EventKind;
use crate::domain::handoff::{HandoffItem, HandoffRequest};
use crate::domain::pickup::{Collector, FoundBy, IdCheck, IdType, PickupEvidence, code_wait_until};
use crate::domain::pin::Pin;
use crate::store::{NAME_SEARCH_MIN_CHARS, ParcelRecord};
use crate::tui::action::{Action, Outcome};
use crate::tui::message::Message;
use crate::tui::view::View;
use crate::tui::widgets::pin_field::{PinKey, edit_pin, pin_line};
use crate::tui::widgets::scan_field::ScanField;
use crate::tui::widgets::{id_column, render_table_showing};

mod words {
    use crate::domain::pickup::{CODE_MISS_WINDOW, CODE_MISSES_ALLOWED, CODE_WAIT};

    pub const START: &str = "Type or scan the customer's pickup code.";
    pub const TITLE: &str = "CUSTOMER PICKUP";
    pub const ASK: &str = "Ask for the pickup code (on the customer's phone or notice).";
    pub const LOST_CODE: &str = "Lost code? F2 finds the parcels by name, with an ID check.";
    pub const NAME_HEADING: &str = "Lost code: find the customer's parcels by name.";
    pub const NAME_HINT: &str = "Then check a photo ID: its type and the last 4 characters.";
    pub const NAME_START: &str = "Type 3 or more letters of the customer's name and press Enter.";
    pub const NAME_TOO_SHORT: &str = "Type 3 or more letters of the name.";
    pub const NO_PARCELS: &str = "No parcels wait for this code. Check the code with the customer.";
    pub const SCAN_FIRST: &str =
        "Scan each parcel as you hand it over (or mark it with F4/F6) first.";
    pub const CLEARED: &str = "Scan line cleared.";
    pub const CODE_LABEL: &str = "Pickup code: ";
    pub const NAME_LABEL: &str = "Customer's name: ";
    pub const PIN_LABEL: &str = "Your PIN to record this pickup: ";
    pub const ID_TYPE_PROMPT: &str = "Which ID is shown? 1-5 or ↑↓, then Enter.";
    pub const DONE: &str = "Done. Enter for home.";
    pub const WAIT_OVER: &str = "The wait is over: pickup codes are checked again.";
    pub const KEYS_CODE: &str =
        "type/scan the code, Enter   F2 lost code: find by name   Esc cancel";
    pub const KEYS_NAME: &str = "type a name, Enter   ↑↓ choose, Enter   Esc back to the code";
    pub const KEYS_PROXY: &str = "type the name, Enter (empty: the addressee)   Esc back";
    pub const KEYS_ID_TYPE: &str = "1-5 or ↑↓, Enter   F7 someone else collects   Esc back";
    pub const KEYS_LAST_FOUR: &str = "type the last 4 letters or digits, Enter   Esc back";
    pub const KEYS_PARCELS: &str =
        "Enter scan  empty Enter done  F4 not found  F6 refused  F7 proxy  Esc cancel";
    pub const KEYS_PARTIAL: &str = "Enter yes, hand over only these   or scan   Esc back";
    pub const KEYS_PIN: &str = "type your PIN, Enter   Esc back";
    pub const KEYS_DONE: &str = "Enter home";
    pub const HELP: &[&str] = &[
        "1. Type or scan the customer's pickup code.",
        "   Lost code? F2: type the customer's name, choose them, then check a",
        "   photo ID: its type and the last 4 characters of its number (never",
        "   the whole number).",
        "2. Someone else collects? F7: type their name and check their ID.",
        "3. Fetch the parcels from the shelves shown and scan each as you hand",
        "   it over. A parcel not for this customer is refused.",
        "   F4: unable to find it.  F6: the customer refuses it.",
        "4. Enter on an empty line, then your PIN: all is recorded at once.",
        "After 5 wrong codes within a minute no code is checked for 30 seconds.",
    ];

    /// "1 parcel", "2 parcels".
    pub fn parcels(count: usize) -> String {
        if count == 1 {
            "1 parcel".to_owned()
        } else {
            format!("{count} parcels")
        }
    }

    /// "1 second", "25 seconds".
    pub fn seconds(count: i64) -> String {
        if count == 1 {
            "1 second".to_owned()
        } else {
            format!("{count} seconds")
        }
    }

    pub fn found(count: usize, customer: &str) -> String {
        format!(
            "{} for {customer}. Scan each as you hand it over.",
            parcels(count)
        )
    }
    pub fn heading(customer: &str, count: usize) -> String {
        format!("For {customer}: {}", parcels(count))
    }
    pub fn names_found(customers: usize) -> String {
        match customers {
            0 => "No parcels are held for that name. Try part of the name.".to_owned(),
            1 => "1 customer found. Enter to choose, then check their ID.".to_owned(),
            n => format!("{n} customers found. Choose one with ↑↓ and press Enter."),
        }
    }
    pub fn check_id_of(person: &str) -> String {
        format!("Check the photo ID of {person}: which ID is it?")
    }
    pub fn proxy_id(proxy: &str, customer: &str) -> String {
        format!("The ID of {proxy}, who collects for {customer}:")
    }
    pub fn addressee_id(customer: &str) -> String {
        format!("The ID of {customer}, the addressee:")
    }
    pub fn proxy_hint(customer: &str) -> String {
        format!("Someone else collects for {customer}: their photo ID is checked next.")
    }
    pub fn last_four_label(id_type: &str) -> String {
        format!("Last 4 characters of the {id_type} number: ")
    }
    pub fn proxy_label(customer: &str) -> String {
        format!("Who collects for {customer}? Name (empty: {customer}): ")
    }
    pub const PROXY_START: &str = "Type the name of the person collecting, then check their ID.";
    pub const PLAIN_PICKUP: &str =
        "Collected with the code by the addressee. F7: someone else collects.";
    /// The short line of who collects and the ID checked: "Found by name; the addressee
    /// collects; ID: passport ending 48A1".
    pub fn evidence(by_name: bool, proxy: Option<&str>, id: Option<String>) -> String {
        let mut parts = Vec::new();
        if by_name {
            parts.push("Found by name".to_owned());
        }
        parts.push(match proxy {
            Some(name) => format!("{name} collects (proxy)"),
            None => "the addressee collects".to_owned(),
        });
        parts.push(id.map_or_else(|| "no ID checked".to_owned(), |id| format!("ID: {id}")));
        super::capitalised(&parts.join("; "))
    }
    pub fn id_checked(check: &str) -> String {
        format!("ID checked: {check}. Scan each parcel as you hand it over.")
    }
    pub fn wrong_parcel(id: &impl std::fmt::Display) -> String {
        format!("WRONG PARCEL: {id} is not for this customer. Do not hand it over.")
    }
    pub fn already_scanned(id: &impl std::fmt::Display) -> String {
        format!("{id} was already scanned.")
    }
    pub fn handed_over(id: &impl std::fmt::Display) -> String {
        format!("{id} handed over.")
    }
    pub fn recorded(handed: usize, exceptions: usize, proxy: Option<&str>) -> String {
        let to = proxy.map_or_else(String::new, |name| format!(" to {name} (proxy)"));
        match exceptions {
            0 => format!("Recorded: {} handed over{to}.", parcels(handed)),
            1 => format!(
                "Recorded: {} handed over{to}, 1 exception.",
                parcels(handed)
            ),
            n => format!(
                "Recorded: {} handed over{to}, {n} exceptions.",
                parcels(handed)
            ),
        }
    }

    /// The shelves as words: "shelf B", "shelves B and R", "shelves A, B and R".
    fn shelves(shelves: &[String]) -> String {
        match shelves {
            [] => "no shelf".to_owned(),
            [one] => format!("shelf {one}"),
            [init @ .., last] => format!("shelves {} and {last}", init.join(", ")),
        }
    }

    /// Said before the PIN when parcels of the customer were neither scanned nor marked:
    /// "1 of 2 parcels scanned; the other is on shelf B. Hand over only 1?"
    pub fn partial(handed: usize, total: usize, waiting: usize, on: &[String]) -> String {
        let all_others = handed + waiting == total;
        let rest = match (waiting, all_others) {
            (1, true) => format!("the other is on {}", shelves(on)),
            (1, false) => format!("1 other is on {}", shelves(on)),
            (n, true) => format!("the other {n} are on {}", shelves(on)),
            (n, false) => format!("{n} others are on {}", shelves(on)),
        };
        let question = match (handed, total - handed - waiting) {
            (0, 1) => "Record only the exception?".to_owned(),
            (0, n) => format!("Record only the {n} exceptions?"),
            (handed, _) => format!("Hand over only {handed}?"),
        };
        format!("{handed} of {} scanned; {rest}. {question}", parcels(total))
    }
    pub fn partial_prompt(handed: usize) -> String {
        if handed == 0 {
            "Enter: yes, record only that. Or scan: ".to_owned()
        } else {
            format!("Enter: yes, only {handed}. Or scan: ")
        }
    }

    pub fn wait_started() -> String {
        format!(
            "{CODE_MISSES_ALLOWED} wrong codes within {} s: no code is checked for {}.",
            CODE_MISS_WINDOW.num_seconds(),
            seconds(CODE_WAIT.num_seconds())
        )
    }
    pub fn still_waiting(left: i64) -> String {
        let unit = if left == 1 { "second" } else { "seconds" };
        format!("Too many wrong codes: no code is checked for {left} more {unit}. F2: by name.")
    }
    /// The countdown line: in words and as a clock.
    pub fn countdown(left: i64) -> String {
        format!(
            "⏸ WAIT {}:{:02}  No pickup code is checked for {}.",
            left / 60,
            left % 60,
            seconds(left)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PickupStep {
    #[default]
    Code,
    /// The code is lost: the clerk searches by the customer's name and chooses them.
    Name,
    /// Someone else collects: their name (empty: the addressee after all).
    ProxyName,
    /// Which photo ID the person collecting shows.
    IdType,
    /// The last four characters of its number.
    IdLastFour,
    Parcels,
    /// Not every parcel of the customer was scanned: the clerk confirms handing over only some.
    ConfirmPartial,
    ConfirmPin,
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineState {
    Waiting,
    HandedOver,
    UnableToFind,
    CustomerRefused,
}

#[derive(Debug, Clone)]
pub struct PickupLine {
    pub parcel: ParcelRecord,
    pub state: LineState,
}

/// A customer the name search found, with the parcels held for them.
#[derive(Debug, Clone)]
pub struct CustomerMatch {
    pub name: String,
    pub parcels: Vec<ParcelRecord>,
}

#[derive(Debug, Clone, Default)]
pub struct PickupFlow {
    pub step: PickupStep,
    pub code: ScanField,
    /// The name search (a pickup without the code).
    pub name: ScanField,
    /// The text the customers below were found for.
    searched: String,
    pub customers: Vec<CustomerMatch>,
    pub chosen: usize,
    pub found_by: FoundBy,
    pub collector: Collector,
    pub proxy: ScanField,
    /// The ID type highlighted (an index into [`IdType::ALL`]).
    pub id_type: usize,
    pub last_four: ScanField,
    pub id_check: Option<IdCheck>,
    /// Who collected and the ID check before F7 began a change, restored by Esc.
    before_change: Option<(Collector, Option<IdCheck>)>,
    pub customer: String,
    pub lines: Vec<PickupLine>,
    pub selected: usize,
    pub scan: ScanField,
    pub pin: Pin,
    /// When codes were refused lately (from the ledger at start, then as they happen).
    refused_codes: Vec<DateTime<Utc>>,
    /// No code is checked before this instant.
    pub wait_until: Option<DateTime<Utc>>,
    /// When the countdown next changes.
    next_tick: Option<DateTime<Utc>>,
    /// The message once recorded.
    recorded: String,
}

/// Starts with the wait after wrong codes read from the ledger, so a restart does not end it.
pub fn start(lookup: &Lookup<'_>) -> Result<(Box<dyn Flow>, Action), Message> {
    let refused = lookup
        .recent_code_refusals()
        .map_err(|error| Message::alert(error.to_string()))?;
    let mut flow = PickupFlow {
        refused_codes: refused,
        ..PickupFlow::default()
    };
    flow.update_wait(lookup.now);
    let first = match flow.seconds_left(lookup.now) {
        Some(left) => Action::warn(words::still_waiting(left)),
        None => Action::info(words::START),
    };
    Ok((Box::new(flow), first))
}

impl PickupFlow {
    pub fn load(&mut self, parcels: Vec<ParcelRecord>) {
        self.customer = parcels
            .iter()
            .map(|parcel| parcel.recipient_name.clone())
            .find(|name| !name.is_empty())
            .unwrap_or_else(|| "the customer".to_owned());
        self.lines = parcels
            .into_iter()
            .map(|parcel| PickupLine {
                parcel,
                state: LineState::Waiting,
            })
            .collect();
        self.selected = 0;
        self.step = PickupStep::Parcels;
    }

    pub fn mark_selected(&mut self, state: LineState) {
        if let Some(line) = self.lines.get_mut(self.selected) {
            line.state = if line.state == state {
                LineState::Waiting
            } else {
                state
            };
        }
    }

    /// Recomputes the wait from the refused codes at `now`.
    fn update_wait(&mut self, now: DateTime<Utc>) {
        self.wait_until = code_wait_until(&self.refused_codes, now);
        self.next_tick = self.wait_until.map(|_| now + Duration::seconds(1));
    }

    /// Whole seconds left of the wait at `now` (rounded up), if codes wait.
    pub fn seconds_left(&self, now: DateTime<Utc>) -> Option<i64> {
        let until = self.wait_until.filter(|until| *until > now)?;
        let millis = (until - now).num_milliseconds();
        Some((millis + 999) / 1000)
    }

    fn look_up_code(&mut self, entered: Result<String, String>, lookup: &Lookup<'_>) -> Action {
        if let Some(left) = self.seconds_left(lookup.now) {
            // The wait: no code is checked, whatever was typed.
            return Action::warn(words::still_waiting(left));
        }
        let code =
            match entered.and_then(|text| PickupCode::parse(&text).map_err(|e| e.to_string())) {
                Ok(code) => code,
                Err(reason) => return Action::alert(format!("{}.", capitalised(&reason))),
            };
        match lookup.parcels_for_code(&code) {
            Err(error) => Action::alert(error.to_string()),
            Ok(parcels) if parcels.is_empty() => {
                self.refused_codes.push(lookup.now);
                self.update_wait(lookup.now);
                let message = if self.wait_until.is_some() {
                    Message::warn(words::wait_started())
                } else {
                    Message::alert(words::NO_PARCELS)
                };
                Action::RecordCodeRefused(message)
            }
            Ok(parcels) => {
                let count = parcels.len();
                self.found_by = FoundBy::Code;
                self.load(parcels);
                Action::info(words::found(count, &self.customer))
            }
        }
    }

    fn search_name(&mut self, lookup: &Lookup<'_>) -> Action {
        let typed = match self.name.take() {
            Ok(typed) => typed,
            Err(reason) => return Action::alert(reason),
        };
        self.name = ScanField::with_text(&typed);
        if typed.trim().chars().count() < NAME_SEARCH_MIN_CHARS {
            return Action::warn(words::NAME_TOO_SHORT);
        }
        match lookup.held_parcels_named(&typed) {
            Err(error) => Action::alert(error.to_string()),
            Ok(parcels) => {
                self.searched = typed;
                self.customers = group_by_customer(parcels);
                self.chosen = 0;
                let found = words::names_found(self.customers.len());
                if self.customers.is_empty() {
                    Action::warn(found)
                } else {
                    Action::info(found)
                }
            }
        }
    }

    fn choose_customer(&mut self) -> Action {
        let Some(chosen) = self.customers.get(self.chosen).cloned() else {
            return Action::None;
        };
        self.load(chosen.parcels);
        self.customer = chosen.name;
        self.found_by = FoundBy::Name;
        self.collector = Collector::Addressee;
        self.id_check = None;
        self.before_change = None;
        self.ask_id_type()
    }

    fn ask_id_type(&mut self) -> Action {
        self.step = PickupStep::IdType;
        self.id_type = 0;
        let person = match &self.collector {
            Collector::Addressee => self.customer.clone(),
            Collector::Proxy(name) => name.clone(),
        };
        Action::info(words::check_id_of(&person))
    }

    fn name_key(&mut self, key: KeyEvent, lookup: &Lookup<'_>) -> Action {
        match key.code {
            KeyCode::Up | KeyCode::Down => {
                move_selection(
                    &mut self.chosen,
                    self.customers.len(),
                    key.code == KeyCode::Down,
                );
                Action::None
            }
            KeyCode::Esc => {
                self.step = PickupStep::Code;
                self.name = ScanField::default();
                self.customers.clear();
                Action::info(words::START)
            }
            KeyCode::Enter
                if !self.customers.is_empty() && self.name.text.trim() == self.searched.trim() =>
            {
                self.choose_customer()
            }
            KeyCode::Enter => self.search_name(lookup),
            _ => {
                self.name.edit(&key);
                Action::None
            }
        }
    }

    /// F7: someone else collects (or, with an empty name, the addressee after all).
    fn begin_proxy(&mut self) -> Action {
        if self.before_change.is_none() {
            self.before_change = Some((self.collector.clone(), self.id_check.clone()));
        }
        self.proxy = match &self.collector {
            Collector::Proxy(name) => ScanField::with_text(name),
            Collector::Addressee => ScanField::default(),
        };
        self.step = PickupStep::ProxyName;
        Action::info(words::PROXY_START)
    }

    fn proxy_key(&mut self, key: KeyEvent) -> Action {
        match key.code {
            KeyCode::Esc => self.undo_change(),
            KeyCode::Enter => {
                let typed = match self.proxy.take() {
                    Ok(typed) => typed,
                    Err(reason) => return Action::alert(reason),
                };
                if typed.trim().is_empty() {
                    self.collector = Collector::Addressee;
                    self.id_check = None;
                    if self.found_by == FoundBy::Name {
                        return self.ask_id_type();
                    }
                    self.before_change = None;
                    self.step = PickupStep::Parcels;
                    return Action::info(words::found(self.lines.len(), &self.customer));
                }
                match Collector::proxy(&typed) {
                    Ok(proxy) => {
                        self.collector = proxy;
                        self.id_check = None;
                        self.ask_id_type()
                    }
                    Err(reason) => {
                        self.proxy = ScanField::with_text(&typed);
                        Action::alert(capitalised(&format!("{reason}.")))
                    }
                }
            }
            _ => {
                self.proxy.edit(&key);
                Action::None
            }
        }
    }

    /// Esc while saying who collects or checking ID: as it was before, or back to the names.
    fn undo_change(&mut self) -> Action {
        match self.before_change.take() {
            Some((collector, id_check)) => {
                self.collector = collector;
                self.id_check = id_check;
                if self.evidence().is_ok() {
                    self.step = PickupStep::Parcels;
                    Action::ClearMessage
                } else {
                    self.ask_id_type()
                }
            }
            None if self.found_by == FoundBy::Name => {
                self.lines.clear();
                self.step = PickupStep::Name;
                Action::info(words::names_found(self.customers.len()))
            }
            None => {
                self.step = PickupStep::Parcels;
                Action::ClearMessage
            }
        }
    }

    fn id_type_key(&mut self, key: KeyEvent) -> Action {
        match key.code {
            KeyCode::Up | KeyCode::Down => {
                move_selection(
                    &mut self.id_type,
                    IdType::ALL.len(),
                    key.code == KeyCode::Down,
                );
                Action::None
            }
            KeyCode::Char(digit @ '1'..='9') => {
                let index = digit as usize - '1' as usize;
                if index < IdType::ALL.len() {
                    self.id_type = index;
                    self.ask_last_four()
                } else {
                    Action::None
                }
            }
            KeyCode::Enter => self.ask_last_four(),
            KeyCode::F(7) => self.begin_proxy(),
            KeyCode::Esc => self.undo_change(),
            _ => Action::None,
        }
    }

    fn chosen_id_type(&self) -> IdType {
        IdType::ALL
            .get(self.id_type)
            .copied()
            .unwrap_or(IdType::OtherPhotoId)
    }

    fn ask_last_four(&mut self) -> Action {
        self.step = PickupStep::IdLastFour;
        self.last_four = ScanField::default();
        Action::ClearMessage
    }

    fn last_four_key(&mut self, key: KeyEvent) -> Action {
        match key.code {
            KeyCode::Esc => {
                self.last_four = ScanField::default();
                self.step = PickupStep::IdType;
                Action::ClearMessage
            }
            KeyCode::Enter => {
                let typed = match self.last_four.take() {
                    Ok(typed) => typed,
                    Err(reason) => return Action::alert(reason),
                };
                match IdCheck::new(self.chosen_id_type(), &typed) {
                    Ok(check) => {
                        let said = words::id_checked(&check.describe());
                        self.id_check = Some(check);
                        self.before_change = None;
                        self.step = PickupStep::Parcels;
                        Action::ok(said)
                    }
                    Err(reason) => Action::alert(capitalised(&format!("{reason}."))),
                }
            }
            _ => {
                self.last_four.edit(&key);
                Action::None
            }
        }
    }

    /// What the events record about the person at the counter (refused until the ID check the
    /// domain asks for is done).
    fn evidence(&self) -> Result<PickupEvidence, String> {
        PickupEvidence::new(self.found_by, self.collector.clone(), self.id_check.clone())
            .map_err(|error| capitalised(&format!("{error}.")))
    }

    /// A scanned label: hands over the matching parcel, or refuses loudly.
    pub fn scan_handed_over(&mut self, scanned: &str, lookup: &Lookup<'_>) -> Action {
        let tracking_id = match parse_label(lookup, scanned).map(|label| label.tracking_id) {
            Ok(id) => id,
            Err(refusal) => return refusal,
        };
        let Some(index) = self
            .lines
            .iter()
            .position(|line| line.parcel.tracking_id == tracking_id)
        else {
            return Action::alert(words::wrong_parcel(&tracking_id));
        };
        self.selected = index;
        let line = &mut self.lines[index];
        if line.state == LineState::HandedOver {
            Action::warn(words::already_scanned(&tracking_id))
        } else {
            line.state = LineState::HandedOver;
            Action::ok(words::handed_over(&tracking_id))
        }
    }

    fn count(&self, wanted: impl Fn(LineState) -> bool) -> usize {
        self.lines.iter().filter(|line| wanted(line.state)).count()
    }

    /// The handoffs to record, each with its event's facts: the parcels handed over and those
    /// the customer refused carry who was at the counter and the ID checked; a parcel not
    /// found on the shelf is about the shelf, not the person.
    fn requests(&mut self, evidence: &PickupEvidence) -> Vec<(HandoffRequest, Vec<Fact>)> {
        let customer = Counterparty {
            kind: CounterpartyKind::Customer,
            reference: self.customer.clone(),
        };
        let facts = evidence.facts();
        let mut requests = Vec::new();
        for (state, kind, detail, about_the_person) in [
            (LineState::HandedOver, EventKind::CustomerPickup, "", true),
            (
                LineState::UnableToFind,
                EventKind::UnableToFind,
                "not found on the shelf at pickup",
                false,
            ),
            (
                LineState::CustomerRefused,
                EventKind::CustomerRefused,
                "refused by the customer at the counter",
                true,
            ),
        ] {
            let items: Vec<HandoffItem> = self
                .lines
                .iter()
                .filter(|line| line.state == state)
                .map(|line| HandoffItem::with_detail(line.parcel.tracking_id.clone(), detail))
                .collect();
            if !items.is_empty() {
                let request = HandoffRequest {
                    kind,
                    counterparty: customer.clone(),
                    items,
                    token_id: None,
                    note: String::new(),
                };
                let facts = if about_the_person {
                    facts.clone()
                } else {
                    Vec::new()
                };
                requests.push((request, facts));
            }
        }
        let proxy = match &evidence.collector {
            Collector::Proxy(name) => Some(name.as_str()),
            Collector::Addressee => None,
        };
        self.recorded = words::recorded(
            self.count(|state| state == LineState::HandedOver),
            self.count(|state| {
                matches!(state, LineState::UnableToFind | LineState::CustomerRefused)
            }),
            proxy,
        );
        requests
    }

    /// Empty Enter on the parcel list: to the PIN, or first the partial-pickup question.
    fn finish_scanning(&mut self) -> Action {
        if self.count(|state| state != LineState::Waiting) == 0 {
            return Action::warn(words::SCAN_FIRST);
        }
        if let Some(partial) = self.partial_words() {
            self.step = PickupStep::ConfirmPartial;
            return Action::warn(partial);
        }
        self.ask_pin()
    }

    fn ask_pin(&mut self) -> Action {
        self.step = PickupStep::ConfirmPin;
        self.pin.clear();
        Action::ClearMessage
    }

    /// The partial-pickup question, when parcels of the customer are neither scanned nor marked.
    fn partial_words(&self) -> Option<String> {
        let waiting: Vec<&PickupLine> = self
            .lines
            .iter()
            .filter(|line| line.state == LineState::Waiting)
            .collect();
        if waiting.is_empty() {
            return None;
        }
        let mut shelves: Vec<String> = waiting
            .iter()
            .map(|line| line.parcel.shelf.clone())
            .filter(|shelf| !shelf.is_empty())
            .collect();
        shelves.sort();
        shelves.dedup();
        Some(words::partial(
            self.count(|state| state == LineState::HandedOver),
            self.lines.len(),
            waiting.len(),
            &shelves,
        ))
    }

    fn parcels_key(&mut self, key: KeyEvent, lookup: &Lookup<'_>) -> Action {
        if self.scan.edit(&key) {
            return Action::None;
        }
        match key.code {
            KeyCode::Up | KeyCode::Down => {
                move_selection(
                    &mut self.selected,
                    self.lines.len(),
                    key.code == KeyCode::Down,
                );
                Action::None
            }
            KeyCode::F(4) => {
                self.mark_selected(LineState::UnableToFind);
                Action::None
            }
            KeyCode::F(6) => {
                self.mark_selected(LineState::CustomerRefused);
                Action::None
            }
            KeyCode::F(7) => self.begin_proxy(),
            KeyCode::Esc if !self.scan.is_empty() => {
                let _ = self.scan.take();
                Action::warn(words::CLEARED)
            }
            KeyCode::Esc => Action::Leave {
                discards_work: true,
            },
            KeyCode::Enter => match self.scan.take_label() {
                Err(reason) => Action::alert(reason),
                Ok(scanned) if scanned.trim().is_empty() => self.finish_scanning(),
                Ok(scanned) => self.scan_handed_over(&scanned, lookup),
            },
            _ => Action::None,
        }
    }

    /// The partial-pickup question: Enter says yes; a scan goes on scanning; Esc goes back.
    fn partial_key(&mut self, key: KeyEvent, lookup: &Lookup<'_>) -> Action {
        if self.scan.edit(&key) {
            return Action::None;
        }
        match key.code {
            KeyCode::Esc if !self.scan.is_empty() => {
                let _ = self.scan.take();
                Action::warn(words::CLEARED)
            }
            KeyCode::Esc => {
                self.step = PickupStep::Parcels;
                Action::ClearMessage
            }
            KeyCode::Enter => match self.scan.take_label() {
                Err(reason) => Action::alert(reason),
                Ok(scanned) if scanned.trim().is_empty() => self.ask_pin(),
                Ok(scanned) => {
                    self.step = PickupStep::Parcels;
                    self.scan_handed_over(&scanned, lookup)
                }
            },
            _ => Action::None,
        }
    }

    fn pin_key(&mut self, code: KeyCode) -> Action {
        match edit_pin(&mut self.pin, code) {
            PinKey::Back => {
                self.step = PickupStep::Parcels;
                Action::None
            }
            PinKey::Submit(pin) => match self.evidence() {
                Ok(evidence) => Action::RecordWithFacts {
                    pin,
                    requests: self.requests(&evidence),
                },
                Err(reason) => Action::alert(reason),
            },
            PinKey::Edited | PinKey::Other => Action::None,
        }
    }

    /// The line under the heading: who collects and the ID checked, or what to do.
    fn evidence_line(&self) -> String {
        match self.step {
            PickupStep::Code => words::LOST_CODE.to_owned(),
            PickupStep::Name => words::NAME_HINT.to_owned(),
            PickupStep::ProxyName => words::proxy_hint(&self.customer),
            PickupStep::IdType | PickupStep::IdLastFour => match &self.collector {
                Collector::Proxy(name) => words::proxy_id(name, &self.customer),
                Collector::Addressee => words::addressee_id(&self.customer),
            },
            PickupStep::Parcels
            | PickupStep::ConfirmPartial
            | PickupStep::ConfirmPin
            | PickupStep::Done => match self.evidence() {
                Ok(evidence) if evidence.facts().is_empty() => words::PLAIN_PICKUP.to_owned(),
                Ok(evidence) => words::evidence(
                    evidence.found_by == FoundBy::Name,
                    match &evidence.collector {
                        Collector::Proxy(name) => Some(name.as_str()),
                        Collector::Addressee => None,
                    },
                    evidence.id_check.as_ref().map(IdCheck::describe),
                ),
                Err(reason) => reason,
            },
        }
    }

    fn render_customers(&self, frame: &mut Frame, view: &View<'_>, area: Rect) {
        let theme = view.theme;
        let rows: Vec<Row> = self
            .customers
            .iter()
            .enumerate()
            .map(|(index, customer)| {
                let mut shelves: Vec<&str> = customer
                    .parcels
                    .iter()
                    .map(|parcel| parcel.shelf.as_str())
                    .collect();
                shelves.sort_unstable();
                shelves.dedup();
                let style = if index == self.chosen {
                    theme.focus
                } else {
                    theme.normal
                };
                Row::new(vec![
                    customer.name.clone(),
                    words::parcels(customer.parcels.len()),
                    shelves.join(", "),
                ])
                .style(style)
            })
            .collect();
        let table = Table::new(
            rows,
            [
                Constraint::Min(24),
                Constraint::Length(11),
                Constraint::Min(8),
            ],
        )
        .header(Row::new(vec!["Customer", "Held", "Shelf"]).style(theme.title))
        .block(Block::new().borders(Borders::TOP));
        render_table_showing(frame, table, area, self.chosen);
    }

    fn render_id_types(&self, frame: &mut Frame, view: &View<'_>, area: Rect) {
        let theme = view.theme;
        let rows: Vec<Row> = IdType::ALL
            .iter()
            .enumerate()
            .map(|(index, id_type)| {
                let (marker, style) = if index == self.id_type {
                    ("›", theme.focus)
                } else {
                    (" ", theme.normal)
                };
                Row::new(vec![
                    format!("{marker} {}", index + 1),
                    id_type.label().to_owned(),
                ])
                .style(style)
            })
            .collect();
        let table = Table::new(rows, [Constraint::Length(4), Constraint::Min(20)])
            .header(Row::new(vec!["Key", "Type of photo ID"]).style(theme.title))
            .block(Block::new().borders(Borders::TOP));
        render_table_showing(frame, table, area, self.id_type);
    }

    fn render_parcels(&self, frame: &mut Frame, view: &View<'_>, area: Rect) {
        let theme = view.theme;
        let rows: Vec<Row> = self
            .lines
            .iter()
            .enumerate()
            .map(|(index, line)| {
                let (state, style) = match line.state {
                    LineState::Waiting => ("… fetch from shelf", theme.normal),
                    LineState::HandedOver => ("✔ handed over", theme.ok),
                    LineState::UnableToFind => ("! unable to find", theme.warn),
                    LineState::CustomerRefused => ("! customer refused", theme.warn),
                };
                let style = if index == self.selected && self.step == PickupStep::Parcels {
                    theme.focus
                } else {
                    style
                };
                Row::new(vec![
                    line.parcel.shelf.clone(),
                    line.parcel.tracking_id.to_string(),
                    line.parcel.carrier.to_string(),
                    state.to_owned(),
                ])
                .style(style)
            })
            .collect();
        let table = Table::new(
            rows,
            [
                Constraint::Length(6),
                id_column(self.lines.iter().map(|l| &l.parcel.tracking_id)),
                Constraint::Length(9),
                Constraint::Min(18),
            ],
        )
        .header(Row::new(vec!["Shelf", "Tracking id", "Carrier", "State"]).style(theme.title))
        .block(Block::new().borders(Borders::TOP));
        render_table_showing(frame, table, area, self.selected);
    }
}

/// The name search's parcels grouped by recipient, in the order found.
fn group_by_customer(parcels: Vec<ParcelRecord>) -> Vec<CustomerMatch> {
    let mut customers: Vec<CustomerMatch> = Vec::new();
    for parcel in parcels {
        match customers
            .iter_mut()
            .find(|customer| customer.name == parcel.recipient_name)
        {
            Some(customer) => customer.parcels.push(parcel),
            None => customers.push(CustomerMatch {
                name: parcel.recipient_name.clone(),
                parcels: vec![parcel],
            }),
        }
    }
    customers
}

/// `text` as it fits in `width` columns: whole, or cut with a mark ("…") so a cut is seen.
fn fitted(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

fn capitalised(text: &str) -> String {
    let mut characters = text.chars();
    characters.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(characters).collect()
    })
}

impl Flow for PickupFlow {
    fn handle_key(&mut self, key: KeyEvent, lookup: &Lookup<'_>) -> Action {
        match (self.step, key.code) {
            (PickupStep::Code, KeyCode::Char(_) | KeyCode::Tab) => {
                self.code.push_key(&key);
                Action::None
            }
            (PickupStep::Code, KeyCode::Backspace) => {
                self.code.backspace();
                Action::None
            }
            (PickupStep::Code, KeyCode::F(2)) => {
                self.step = PickupStep::Name;
                self.code = ScanField::default();
                Action::info(words::NAME_START)
            }
            (PickupStep::Code, KeyCode::Esc)
            | (PickupStep::Done, KeyCode::Enter | KeyCode::Esc) => Action::Leave {
                discards_work: false,
            },
            (PickupStep::Code, KeyCode::Enter) => {
                let entered = self.code.take();
                self.look_up_code(entered, lookup)
            }
            (PickupStep::Name, _) => self.name_key(key, lookup),
            (PickupStep::ProxyName, _) => self.proxy_key(key),
            (PickupStep::IdType, _) => self.id_type_key(key),
            (PickupStep::IdLastFour, _) => self.last_four_key(key),
            (PickupStep::Parcels, _) => self.parcels_key(key, lookup),
            (PickupStep::ConfirmPartial, _) => self.partial_key(key, lookup),
            (PickupStep::ConfirmPin, code) => self.pin_key(code),
            (PickupStep::Code | PickupStep::Done, _) => Action::None,
        }
    }

    fn outcome(&mut self, outcome: Outcome, _lookup: &Lookup<'_>) -> Action {
        match outcome {
            Outcome::Recorded(Ok(_)) => {
                self.step = PickupStep::Done;
                Action::ok(self.recorded.clone())
            }
            Outcome::Recorded(Err(error)) => not_recorded(&error),
            Outcome::TokenIssued(_) | Outcome::TokenClaimed(_) => Action::None,
        }
    }

    /// The wait's countdown, and its end said once.
    fn tick(&mut self, now: DateTime<Utc>) -> Action {
        match self.wait_until {
            Some(until) if until <= now => {
                self.wait_until = None;
                self.next_tick = None;
                if self.step == PickupStep::Code {
                    Action::info(words::WAIT_OVER)
                } else {
                    Action::None
                }
            }
            Some(until) => {
                self.next_tick = Some((now + Duration::seconds(1)).min(until));
                Action::None
            }
            None => Action::None,
        }
    }

    fn next_deadline(&self) -> Option<DateTime<Utc>> {
        self.wait_until
            .map(|until| self.next_tick.map_or(until, |tick| tick.min(until)))
    }

    fn render(&self, frame: &mut Frame, view: &View<'_>, area: Rect) {
        let theme = view.theme;
        let [top, list_area, bottom] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .areas(area);
        let waiting = self.seconds_left(view.now);
        let heading = match self.step {
            PickupStep::Code => match waiting {
                Some(left) => Line::styled(words::countdown(left), theme.alert),
                None => Line::raw(words::ASK),
            },
            PickupStep::Name => Line::raw(words::NAME_HEADING),
            _ => Line::raw(words::heading(&self.customer, self.lines.len())),
        };
        let evidence = fitted(&self.evidence_line(), usize::from(top.width));
        frame.render_widget(
            Paragraph::new(vec![
                Line::styled(words::TITLE, theme.title),
                heading,
                Line::styled(evidence, theme.muted),
            ]),
            top,
        );
        match self.step {
            PickupStep::Name => self.render_customers(frame, view, list_area),
            PickupStep::IdType => self.render_id_types(frame, view, list_area),
            _ => self.render_parcels(frame, view, list_area),
        }
        let prompt = match self.step {
            PickupStep::Code => self.code.line(view, words::CODE_LABEL),
            PickupStep::Name => self.name.line(view, words::NAME_LABEL),
            PickupStep::ProxyName => self.proxy.line(view, &words::proxy_label(&self.customer)),
            PickupStep::IdType => Line::raw(words::ID_TYPE_PROMPT),
            PickupStep::IdLastFour => self
                .last_four
                .line(view, &words::last_four_label(self.chosen_id_type().label())),
            PickupStep::Parcels => self.scan.line(view, "Scan: "),
            PickupStep::ConfirmPartial => self.scan.line(
                view,
                &words::partial_prompt(self.count(|state| state == LineState::HandedOver)),
            ),
            PickupStep::ConfirmPin => pin_line(view, words::PIN_LABEL, &self.pin),
            PickupStep::Done => Line::styled(words::DONE, theme.normal),
        };
        frame.render_widget(Paragraph::new(prompt), bottom);
    }

    fn keys(&self) -> &'static str {
        match self.step {
            PickupStep::Code => words::KEYS_CODE,
            PickupStep::Name => words::KEYS_NAME,
            PickupStep::ProxyName => words::KEYS_PROXY,
            PickupStep::IdType => words::KEYS_ID_TYPE,
            PickupStep::IdLastFour => words::KEYS_LAST_FOUR,
            PickupStep::Parcels => words::KEYS_PARCELS,
            PickupStep::ConfirmPartial => words::KEYS_PARTIAL,
            PickupStep::ConfirmPin => words::KEYS_PIN,
            PickupStep::Done => words::KEYS_DONE,
        }
    }

    fn help(&self) -> &'static [&'static str] {
        words::HELP
    }

    fn takes_text(&self) -> bool {
        matches!(
            self.step,
            PickupStep::Name
                | PickupStep::ProxyName
                | PickupStep::IdLastFour
                | PickupStep::Parcels
                | PickupStep::ConfirmPartial
        )
    }
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn the_partial_pickup_question_counts_and_names_the_shelves() {
        let shelves = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            words::partial(1, 2, 1, &shelves(&["B"])),
            "1 of 2 parcels scanned; the other is on shelf B. Hand over only 1?"
        );
        assert_eq!(
            words::partial(1, 4, 3, &shelves(&["B", "C", "R"])),
            "1 of 4 parcels scanned; the other 3 are on shelves B, C and R. Hand over only 1?"
        );
        assert_eq!(
            words::partial(1, 3, 1, &shelves(&["R"])),
            "1 of 3 parcels scanned; 1 other is on shelf R. Hand over only 1?"
        );
        assert_eq!(
            words::partial(0, 2, 1, &shelves(&["R"])),
            "0 of 2 parcels scanned; 1 other is on shelf R. Record only the exception?"
        );
        assert_eq!(
            words::partial(2, 4, 2, &shelves(&["A"])),
            "2 of 4 parcels scanned; the other 2 are on shelf A. Hand over only 2?"
        );
    }

    #[test]
    fn counts_read_as_words() {
        assert_eq!(words::parcels(1), "1 parcel");
        assert_eq!(words::parcels(2), "2 parcels");
        assert_eq!(words::seconds(1), "1 second");
        assert_eq!(
            words::evidence(true, None, Some("passport ending 48A1".into())),
            "Found by name; the addressee collects; ID: passport ending 48A1"
        );
        assert_eq!(super::fitted("abcdef", 4), "abc…");
        assert_eq!(super::fitted("abcd", 4), "abcd");
        assert_eq!(
            words::countdown(25),
            "⏸ WAIT 0:25  No pickup code is checked for 25 seconds."
        );
        assert_eq!(
            words::recorded(1, 1, None),
            "Recorded: 1 parcel handed over, 1 exception."
        );
        assert_eq!(
            words::recorded(2, 0, Some("Jo Bloggs")),
            "Recorded: 2 parcels handed over to Jo Bloggs (proxy)."
        );
    }
}
