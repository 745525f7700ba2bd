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

use super::{Flow, Lookup, carrier_name, move_selection, not_recorded, parse_label};
use crate::domain::chain::{Counterparty, CounterpartyKind, Fact};
use crate::domain::codes::{PICKUP_CODE_MAX_LEN, PICKUP_CODE_MIN_LEN, PickupCode};
use crate::domain::custody::EventKind;
use crate::domain::handoff::{HandoffItem, HandoffRequest};
use crate::domain::pickup::{
    Collector, FoundBy, IdCheck, IdType, PickupEvidence, PickupEvidenceError, code_wait_until,
};
use crate::domain::pin::Pin;
use crate::i18n::Lang;
use crate::store::{NAME_SEARCH_MIN_CHARS, ParcelRecord};
use crate::t;
use crate::tui::action::{Action, Outcome};
use crate::tui::message::Message;
use crate::tui::reasons::{scan_refusal_text, store_error_text};
use crate::tui::view::View;
use crate::tui::widgets::pin_field::{PinKey, edit_pin, pin_line};
use crate::tui::widgets::scan_field::{ScanField, ScanRefusal};
use crate::tui::widgets::{id_column, render_table_showing};

/// The words of this flow live in `assets/locales/*/pickup.ftl`; these build the ones made of
/// parts. Each takes the language of whoever reads it.
mod words {
    use crate::domain::pickup::{
        CODE_MISS_WINDOW, CODE_MISSES_ALLOWED, CODE_WAIT, Collector, FoundBy, IdCheck, IdType,
        PickupEvidence, PickupEvidenceError,
    };
    use crate::i18n::Lang;
    use crate::t;
    use crate::tui::reasons::{TextField, free_text_text};

    /// The evidence line (the clerk's): "Found by name; the addressee collects; ID: passport
    /// ending 48A1".
    pub fn evidence(lang: Lang, by_name: bool, proxy: Option<&str>, id: Option<String>) -> String {
        let mut parts = Vec::new();
        if by_name {
            parts.push(t!(lang, "pickup-evidence-by-name"));
        }
        parts.push(match proxy {
            Some(name) => t!(lang, "pickup-evidence-proxy", name = name),
            None => t!(lang, "pickup-evidence-addressee"),
        });
        parts.push(id.map_or_else(
            || t!(lang, "pickup-evidence-no-id"),
            |id| t!(lang, "pickup-evidence-id", id = id),
        ));
        super::capitalised(&parts.join("; "))
    }

    /// A pickup's evidence in a parcel's history: "found by name (no code), collected by the
    /// addressee, ID checked: passport ending 4821" (English as the domain describes it).
    pub fn history(lang: Lang, evidence: &PickupEvidence) -> String {
        let mut parts = Vec::new();
        if evidence.found_by == FoundBy::Name {
            parts.push(t!(lang, "pickup-history-by-name"));
        }
        parts.push(match &evidence.collector {
            Collector::Addressee => t!(lang, "pickup-history-addressee"),
            Collector::Proxy(name) => t!(lang, "pickup-history-proxy", name = name.as_str()),
        });
        parts.push(match &evidence.id_check {
            Some(check) => t!(lang, "pickup-history-id", check = id_check(lang, check)),
            None => t!(lang, "pickup-history-no-id"),
        });
        parts.join(", ")
    }

    /// A type of photo ID, by the code the ledger keeps.
    pub fn id_type(lang: Lang, id_type: IdType) -> String {
        t!(lang, "pickup-id-type", id_type = id_type.code())
    }

    /// An ID checked: "passport ending 48A1".
    pub fn id_check(lang: Lang, check: &IdCheck) -> String {
        t!(
            lang,
            "pickup-id-check",
            id_type = id_type(lang, check.id_type),
            last_four = check.last_four()
        )
    }

    /// Why what the clerk typed for the person collecting or their ID is not taken.
    pub fn refused(lang: Lang, error: &PickupEvidenceError) -> String {
        match error {
            PickupEvidenceError::LastFourLength(count) => {
                t!(lang, "pickup-last-four-length", count = *count)
            }
            PickupEvidenceError::LastFourCharacters => t!(lang, "pickup-last-four-characters"),
            PickupEvidenceError::ProxyNameEmpty => t!(lang, "pickup-proxy-name-empty"),
            PickupEvidenceError::ProxyName(reason) => super::capitalised(&format!(
                "{}.",
                free_text_text(lang, TextField::ProxyName, reason)
            )),
            PickupEvidenceError::IdCheckNeeded => t!(lang, "pickup-id-check-needed"),
        }
    }

    /// The confirmation once recorded (the customer's).
    pub fn recorded(lang: Lang, handed: usize, exceptions: usize, proxy: Option<&str>) -> String {
        match proxy {
            Some(proxy) => t!(
                lang,
                "pickup-recorded-proxy",
                handed = handed,
                proxy = proxy,
                exceptions = exceptions
            ),
            None => t!(
                lang,
                "pickup-recorded",
                handed = handed,
                exceptions = exceptions
            ),
        }
    }

    /// The shelves as words: "shelf B", "shelves B and R", "shelves A, B and R".
    fn shelves(lang: Lang, shelves: &[String]) -> String {
        match shelves {
            [] => t!(lang, "pickup-shelves-none"),
            [one] => t!(lang, "pickup-shelf", shelf = one.as_str()),
            [init @ .., last] => t!(
                lang,
                "pickup-shelves",
                list = init.join(", "),
                last = last.as_str()
            ),
        }
    }

    /// Said before the PIN when parcels of the customer were neither scanned nor marked:
    /// "1 of 2 parcels scanned; the other is on shelf B. Hand over only 1?"
    pub fn partial(
        lang: Lang,
        handed: usize,
        total: usize,
        waiting: usize,
        on: &[String],
    ) -> String {
        let all_others = handed + waiting == total;
        let shelves = shelves(lang, on);
        let rest = match (waiting, all_others) {
            (1, true) => t!(lang, "pickup-partial-the-other", shelves = shelves),
            (1, false) => t!(lang, "pickup-partial-one-other", shelves = shelves),
            (n, true) => t!(
                lang,
                "pickup-partial-the-others",
                count = n,
                shelves = shelves
            ),
            (n, false) => t!(lang, "pickup-partial-others", count = n, shelves = shelves),
        };
        let question = match (handed, total - handed - waiting) {
            (0, 1) => t!(lang, "pickup-question-exception"),
            (0, n) => t!(lang, "pickup-question-exceptions", count = n),
            (handed, _) => t!(lang, "pickup-question-hand-over", handed = handed),
        };
        t!(
            lang,
            "pickup-partial",
            handed = handed,
            total = total,
            rest = rest,
            question = question
        )
    }
    pub fn partial_prompt(lang: Lang, handed: usize) -> String {
        if handed == 0 {
            t!(lang, "pickup-partial-prompt-none")
        } else {
            t!(lang, "pickup-partial-prompt", handed = handed)
        }
    }

    pub fn wait_started(lang: Lang) -> String {
        t!(
            lang,
            "pickup-wait-started",
            allowed = CODE_MISSES_ALLOWED,
            window = CODE_MISS_WINDOW.num_seconds(),
            wait = CODE_WAIT.num_seconds()
        )
    }
    /// The countdown line: in words and as a clock.
    pub fn countdown(lang: Lang, left: i64) -> String {
        t!(
            lang,
            "pickup-countdown",
            clock = format!("{}:{:02}", left / 60, left % 60),
            left = left
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
    /// The clerk's language, for what the flow says as time passes (the wait's end).
    clerk_lang: Lang,
}

/// A pickup's evidence as a parcel's history shows it (the search screen), in `lang`.
pub fn history_evidence(lang: Lang, evidence: &PickupEvidence) -> String {
    words::history(lang, evidence)
}

/// The customer's reference in the record when the parcels name no one: fixed English, never
/// translated (the screen says "the customer" in the reader's language).
const NO_NAME: &str = "the customer";

/// Starts with the wait after wrong codes read from the ledger, so a restart does not end it.
pub fn start(lookup: &Lookup<'_>) -> Result<(Box<dyn Flow>, Action), Message> {
    let refused = lookup
        .recent_code_refusals()
        .map_err(|error| Message::alert(store_error_text(lookup.lang, &error)))?;
    let mut flow = PickupFlow {
        refused_codes: refused,
        clerk_lang: lookup.lang,
        ..PickupFlow::default()
    };
    flow.update_wait(lookup.now);
    let first = match flow.seconds_left(lookup.now) {
        Some(left) => Action::warn(t!(lookup.lang, "pickup-still-waiting", left = left)),
        None => Action::info(t!(lookup.lang, "pickup-start")),
    };
    Ok((Box::new(flow), first))
}

impl PickupFlow {
    pub fn load(&mut self, parcels: Vec<ParcelRecord>) {
        self.customer = parcels
            .iter()
            .map(|parcel| parcel.recipient_name.clone())
            .find(|name| !name.is_empty())
            .unwrap_or_else(|| NO_NAME.to_owned());
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

    fn look_up_code(
        &mut self,
        entered: Result<String, ScanRefusal>,
        lookup: &Lookup<'_>,
    ) -> Action {
        let lang = lookup.lang;
        if let Some(left) = self.seconds_left(lookup.now) {
            // The wait: no code is checked, whatever was typed.
            return Action::warn(t!(lang, "pickup-still-waiting", left = left));
        }
        let code = match entered.map(|text| PickupCode::parse(&text)) {
            Ok(Ok(code)) => code,
            Ok(Err(_)) => {
                return Action::alert(t!(
                    lang,
                    "pickup-code-invalid",
                    min = PICKUP_CODE_MIN_LEN,
                    max = PICKUP_CODE_MAX_LEN
                ));
            }
            Err(reason) => return Action::alert(scan_refusal_text(lang, &reason)),
        };
        match lookup.parcels_for_code(&code) {
            Err(error) => super::store_failed(lookup.lang, &error),
            Ok(parcels) if parcels.is_empty() => {
                self.refused_codes.push(lookup.now);
                self.update_wait(lookup.now);
                let message = if self.wait_until.is_some() {
                    Message::warn(words::wait_started(lang))
                } else {
                    Message::alert(t!(lang, "pickup-no-parcels"))
                };
                Action::RecordCodeRefused(message)
            }
            Ok(parcels) => {
                let count = parcels.len();
                self.found_by = FoundBy::Code;
                self.load(parcels);
                Action::info(self.found(lang, count))
            }
        }
    }

    fn search_name(&mut self, lookup: &Lookup<'_>) -> Action {
        let typed = match self.name.take_checked() {
            Ok(typed) => typed,
            Err(reason) => return Action::alert(scan_refusal_text(lookup.lang, &reason)),
        };
        self.name = ScanField::with_text(&typed);
        if typed.trim().chars().count() < NAME_SEARCH_MIN_CHARS {
            return Action::warn(t!(lookup.lang, "pickup-name-too-short"));
        }
        match lookup.held_parcels_named(&typed) {
            Err(error) => super::store_failed(lookup.lang, &error),
            Ok(parcels) => {
                self.searched = typed;
                self.customers = group_by_customer(parcels);
                self.chosen = 0;
                let found = t!(
                    lookup.lang,
                    "pickup-names-found",
                    customers = self.customers.len()
                );
                if self.customers.is_empty() {
                    Action::warn(found)
                } else {
                    Action::info(found)
                }
            }
        }
    }

    fn choose_customer(&mut self, lang: Lang) -> Action {
        let Some(chosen) = self.customers.get(self.chosen).cloned() else {
            return Action::None;
        };
        self.load(chosen.parcels);
        self.customer = chosen.name;
        self.found_by = FoundBy::Name;
        self.collector = Collector::Addressee;
        self.id_check = None;
        self.before_change = None;
        self.ask_id_type(lang)
    }

    fn ask_id_type(&mut self, lang: Lang) -> Action {
        self.step = PickupStep::IdType;
        self.id_type = 0;
        let person = match &self.collector {
            Collector::Addressee => self.customer_shown(lang),
            Collector::Proxy(name) => name.clone(),
        };
        Action::info(t!(lang, "pickup-check-id-of", person = person))
    }

    /// The customer's name as shown, or "the customer" when the parcels name no one (the
    /// record keeps [`NO_NAME`], whatever the language).
    fn customer_shown(&self, lang: Lang) -> String {
        if self.customer == NO_NAME {
            t!(lang, "pickup-the-customer")
        } else {
            self.customer.clone()
        }
    }

    /// "2 parcels for Ana Diaz. Scan each as you hand it over." (the clerk's)
    fn found(&self, lang: Lang, count: usize) -> String {
        t!(
            lang,
            "pickup-found",
            count = count,
            customer = self.customer_shown(lang)
        )
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
                Action::info(t!(lookup.lang, "pickup-start"))
            }
            KeyCode::Enter
                if !self.customers.is_empty() && self.name.text.trim() == self.searched.trim() =>
            {
                self.choose_customer(lookup.lang)
            }
            KeyCode::Enter => self.search_name(lookup),
            _ => {
                self.name.edit(&key);
                Action::None
            }
        }
    }

    /// F7: someone else collects (or, with an empty name, the addressee after all).
    fn begin_proxy(&mut self, lang: Lang) -> Action {
        if self.before_change.is_none() {
            self.before_change = Some((self.collector.clone(), self.id_check.clone()));
        }
        self.proxy = match &self.collector {
            Collector::Proxy(name) => ScanField::with_text(name),
            Collector::Addressee => ScanField::default(),
        };
        self.step = PickupStep::ProxyName;
        Action::info(t!(lang, "pickup-proxy-start"))
    }

    fn proxy_key(&mut self, key: KeyEvent, lang: Lang) -> Action {
        match key.code {
            KeyCode::Esc => self.undo_change(lang),
            KeyCode::Enter => {
                let typed = match self.proxy.take_checked() {
                    Ok(typed) => typed,
                    Err(reason) => return Action::alert(scan_refusal_text(lang, &reason)),
                };
                if typed.trim().is_empty() {
                    self.collector = Collector::Addressee;
                    self.id_check = None;
                    if self.found_by == FoundBy::Name {
                        return self.ask_id_type(lang);
                    }
                    self.before_change = None;
                    self.step = PickupStep::Parcels;
                    return Action::info(self.found(lang, self.lines.len()));
                }
                match Collector::proxy(&typed) {
                    Ok(proxy) => {
                        self.collector = proxy;
                        self.id_check = None;
                        self.ask_id_type(lang)
                    }
                    Err(reason) => {
                        self.proxy = ScanField::with_text(&typed);
                        Action::alert(words::refused(lang, &reason))
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
    fn undo_change(&mut self, lang: Lang) -> Action {
        match self.before_change.take() {
            Some((collector, id_check)) => {
                self.collector = collector;
                self.id_check = id_check;
                if self.evidence().is_ok() {
                    self.step = PickupStep::Parcels;
                    Action::ClearMessage
                } else {
                    self.ask_id_type(lang)
                }
            }
            None if self.found_by == FoundBy::Name => {
                self.lines.clear();
                self.step = PickupStep::Name;
                Action::info(t!(
                    lang,
                    "pickup-names-found",
                    customers = self.customers.len()
                ))
            }
            None => {
                self.step = PickupStep::Parcels;
                Action::ClearMessage
            }
        }
    }

    fn id_type_key(&mut self, key: KeyEvent, lang: Lang) -> Action {
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
            KeyCode::F(7) => self.begin_proxy(lang),
            KeyCode::Esc => self.undo_change(lang),
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

    fn last_four_key(&mut self, key: KeyEvent, lang: Lang) -> Action {
        match key.code {
            KeyCode::Esc => {
                self.last_four = ScanField::default();
                self.step = PickupStep::IdType;
                Action::ClearMessage
            }
            KeyCode::Enter => {
                let typed = match self.last_four.take_checked() {
                    Ok(typed) => typed,
                    Err(reason) => return Action::alert(scan_refusal_text(lang, &reason)),
                };
                match IdCheck::new(self.chosen_id_type(), &typed) {
                    Ok(check) => {
                        let said = t!(
                            lang,
                            "pickup-id-checked",
                            check = words::id_check(lang, &check)
                        );
                        self.id_check = Some(check);
                        self.before_change = None;
                        self.step = PickupStep::Parcels;
                        Action::ok(said)
                    }
                    Err(reason) => Action::alert(words::refused(lang, &reason)),
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
    fn evidence(&self) -> Result<PickupEvidence, PickupEvidenceError> {
        PickupEvidence::new(self.found_by, self.collector.clone(), self.id_check.clone())
    }

    /// A scanned label: hands over the matching parcel, or refuses loudly.
    pub fn scan_handed_over(&mut self, scanned: &str, lookup: &Lookup<'_>) -> Action {
        let tracking_id = match parse_label(lookup, scanned).map(|label| label.tracking_id) {
            Ok(id) => id,
            Err(refusal) => return refusal,
        };
        let (lang, id) = (lookup.lang, tracking_id.to_string());
        let Some(index) = self
            .lines
            .iter()
            .position(|line| line.parcel.tracking_id == tracking_id)
        else {
            return Action::alert(t!(lang, "pickup-wrong-parcel", id = id));
        };
        self.selected = index;
        let line = &mut self.lines[index];
        if line.state == LineState::HandedOver {
            Action::warn(t!(lang, "pickup-already-scanned", id = id))
        } else {
            line.state = LineState::HandedOver;
            Action::ok(t!(lang, "pickup-handed-over", id = id))
        }
    }

    fn count(&self, wanted: impl Fn(LineState) -> bool) -> usize {
        self.lines.iter().filter(|line| wanted(line.state)).count()
    }

    /// The handoffs to record, each with its event's facts: the parcels handed over and those
    /// the customer refused carry who was at the counter and the ID checked; a parcel not
    /// found on the shelf is about the shelf, not the person.
    /// The confirmation said once recorded is the customer's, in `customer_lang`.
    fn requests(
        &mut self,
        evidence: &PickupEvidence,
        customer_lang: Lang,
    ) -> Vec<(HandoffRequest, Vec<Fact>)> {
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
            customer_lang,
            self.count(|state| state == LineState::HandedOver),
            self.count(|state| {
                matches!(state, LineState::UnableToFind | LineState::CustomerRefused)
            }),
            proxy,
        );
        requests
    }

    /// Empty Enter on the parcel list: to the PIN, or first the partial-pickup question.
    fn finish_scanning(&mut self, lang: Lang) -> Action {
        if self.count(|state| state != LineState::Waiting) == 0 {
            return Action::warn(t!(lang, "pickup-scan-first"));
        }
        if let Some(partial) = self.partial_words(lang) {
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
    fn partial_words(&self, lang: Lang) -> Option<String> {
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
            lang,
            self.count(|state| state == LineState::HandedOver),
            self.lines.len(),
            waiting.len(),
            &shelves,
        ))
    }

    fn parcels_key(&mut self, key: KeyEvent, lookup: &Lookup<'_>) -> Action {
        let lang = lookup.lang;
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
            KeyCode::F(7) => self.begin_proxy(lang),
            KeyCode::Esc if !self.scan.is_empty() => {
                let _ = self.scan.take_checked();
                Action::warn(t!(lang, "flow-scan-cleared"))
            }
            KeyCode::Esc => Action::Leave {
                discards_work: true,
            },
            KeyCode::Enter => match self.scan.take_label_checked() {
                Err(reason) => Action::alert(scan_refusal_text(lookup.lang, &reason)),
                Ok(scanned) if scanned.trim().is_empty() => self.finish_scanning(lang),
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
                let _ = self.scan.take_checked();
                Action::warn(t!(lookup.lang, "flow-scan-cleared"))
            }
            KeyCode::Esc => {
                self.step = PickupStep::Parcels;
                Action::ClearMessage
            }
            KeyCode::Enter => match self.scan.take_label_checked() {
                Err(reason) => Action::alert(scan_refusal_text(lookup.lang, &reason)),
                Ok(scanned) if scanned.trim().is_empty() => self.ask_pin(),
                Ok(scanned) => {
                    self.step = PickupStep::Parcels;
                    self.scan_handed_over(&scanned, lookup)
                }
            },
            _ => Action::None,
        }
    }

    fn pin_key(&mut self, code: KeyCode, lookup: &Lookup<'_>) -> Action {
        match edit_pin(&mut self.pin, code) {
            PinKey::Back => {
                self.step = PickupStep::Parcels;
                Action::None
            }
            PinKey::Submit(pin) => match self.evidence() {
                Ok(evidence) => Action::RecordWithFacts {
                    pin,
                    requests: self.requests(&evidence, lookup.customer_lang),
                },
                Err(reason) => Action::alert(words::refused(lookup.lang, &reason)),
            },
            PinKey::Edited | PinKey::Other => Action::None,
        }
    }

    /// The line under the heading: who collects and the ID checked, or what to do.
    /// The clerk's: it says what to check, or what was checked.
    fn evidence_line(&self, lang: Lang) -> String {
        let customer = self.customer_shown(lang);
        match self.step {
            PickupStep::Code => t!(lang, "pickup-lost-code"),
            PickupStep::Name => t!(lang, "pickup-name-hint"),
            PickupStep::ProxyName => t!(lang, "pickup-proxy-hint", customer = customer),
            PickupStep::IdType | PickupStep::IdLastFour => match &self.collector {
                Collector::Proxy(name) => t!(
                    lang,
                    "pickup-proxy-id",
                    proxy = name.as_str(),
                    customer = customer
                ),
                Collector::Addressee => t!(lang, "pickup-addressee-id", customer = customer),
            },
            PickupStep::Parcels
            | PickupStep::ConfirmPartial
            | PickupStep::ConfirmPin
            | PickupStep::Done => match self.evidence() {
                Ok(evidence) if evidence.facts().is_empty() => t!(lang, "pickup-plain"),
                Ok(evidence) => words::evidence(
                    lang,
                    evidence.found_by == FoundBy::Name,
                    match &evidence.collector {
                        Collector::Proxy(name) => Some(name.as_str()),
                        Collector::Addressee => None,
                    },
                    evidence
                        .id_check
                        .as_ref()
                        .map(|check| words::id_check(lang, check)),
                ),
                Err(reason) => words::refused(lang, &reason),
            },
        }
    }

    fn render_customers(&self, frame: &mut Frame, view: &View<'_>, area: Rect) {
        let (theme, lang) = (view.theme, view.lang);
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
                    t!(lang, "flow-parcels", count = customer.parcels.len()),
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
        .header(
            Row::new(vec![
                t!(lang, "pickup-column-customer"),
                t!(lang, "pickup-column-held"),
                t!(lang, "pickup-column-shelf"),
            ])
            .style(theme.title),
        )
        .block(Block::new().borders(Borders::TOP));
        render_table_showing(frame, table, area, self.chosen);
    }

    fn render_id_types(&self, frame: &mut Frame, view: &View<'_>, area: Rect) {
        let (theme, lang) = (view.theme, view.lang);
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
                    words::id_type(lang, *id_type),
                ])
                .style(style)
            })
            .collect();
        let table = Table::new(rows, [Constraint::Length(4), Constraint::Min(20)])
            .header(
                Row::new(vec![
                    t!(lang, "pickup-column-key"),
                    t!(lang, "pickup-column-id-type"),
                ])
                .style(theme.title),
            )
            .block(Block::new().borders(Borders::TOP));
        render_table_showing(frame, table, area, self.id_type);
    }

    /// The customer's parcels, in the customer's language.
    fn render_parcels(&self, frame: &mut Frame, view: &View<'_>, area: Rect) {
        let (theme, lang) = (view.theme, view.customer_lang);
        let rows: Vec<Row> = self
            .lines
            .iter()
            .enumerate()
            .map(|(index, line)| {
                let (state, style) = match line.state {
                    LineState::Waiting => (t!(lang, "pickup-state-waiting"), theme.normal),
                    LineState::HandedOver => (t!(lang, "pickup-state-handed-over"), theme.ok),
                    LineState::UnableToFind => (t!(lang, "pickup-state-not-found"), theme.warn),
                    LineState::CustomerRefused => (t!(lang, "pickup-state-refused"), theme.warn),
                };
                let style = if index == self.selected && self.step == PickupStep::Parcels {
                    theme.focus
                } else {
                    style
                };
                Row::new(vec![
                    line.parcel.shelf.clone(),
                    line.parcel.tracking_id.to_string(),
                    carrier_name(lang, line.parcel.carrier),
                    state,
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
        .header(
            Row::new(vec![
                t!(lang, "pickup-column-parcel-shelf"),
                t!(lang, "pickup-column-id"),
                t!(lang, "pickup-column-carrier"),
                t!(lang, "pickup-column-state"),
            ])
            .style(theme.title),
        )
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
        self.clerk_lang = lookup.lang;
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
                Action::info(t!(lookup.lang, "pickup-name-start"))
            }
            (PickupStep::Code, KeyCode::Esc)
            | (PickupStep::Done, KeyCode::Enter | KeyCode::Esc) => Action::Leave {
                discards_work: false,
            },
            (PickupStep::Code, KeyCode::Enter) => {
                let entered = self.code.take_checked();
                self.look_up_code(entered, lookup)
            }
            (PickupStep::Name, _) => self.name_key(key, lookup),
            (PickupStep::ProxyName, _) => self.proxy_key(key, lookup.lang),
            (PickupStep::IdType, _) => self.id_type_key(key, lookup.lang),
            (PickupStep::IdLastFour, _) => self.last_four_key(key, lookup.lang),
            (PickupStep::Parcels, _) => self.parcels_key(key, lookup),
            (PickupStep::ConfirmPartial, _) => self.partial_key(key, lookup),
            (PickupStep::ConfirmPin, code) => self.pin_key(code, lookup),
            (PickupStep::Code | PickupStep::Done, _) => Action::None,
        }
    }

    fn outcome(&mut self, outcome: Outcome, lookup: &Lookup<'_>) -> Action {
        match outcome {
            Outcome::Recorded(Ok(_)) => {
                self.step = PickupStep::Done;
                Action::ok(self.recorded.clone())
            }
            Outcome::Recorded(Err(error)) => not_recorded(lookup.lang, &error),
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
                    Action::info(t!(self.clerk_lang, "pickup-wait-over"))
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
        // The title and the customer's parcels are the customer's; the steps the clerk's.
        let (customer, clerk) = (view.customer_lang, view.lang);
        let waiting = self.seconds_left(view.now);
        let heading = match self.step {
            PickupStep::Code => match waiting {
                Some(left) => Line::styled(words::countdown(clerk, left), theme.alert),
                None => Line::raw(t!(clerk, "pickup-ask")),
            },
            PickupStep::Name => Line::raw(t!(clerk, "pickup-name-heading")),
            _ => Line::raw(t!(
                customer,
                "pickup-heading",
                customer = self.customer_shown(customer),
                count = self.lines.len()
            )),
        };
        let evidence = fitted(&self.evidence_line(clerk), usize::from(top.width));
        frame.render_widget(
            Paragraph::new(vec![
                Line::styled(t!(customer, "pickup-title"), theme.title),
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
            PickupStep::Code => self.code.line(view, &t!(clerk, "pickup-code-label")),
            PickupStep::Name => self.name.line(view, &t!(clerk, "pickup-name-label")),
            PickupStep::ProxyName => self.proxy.line(
                view,
                &t!(
                    clerk,
                    "pickup-proxy-label",
                    customer = self.customer_shown(clerk)
                ),
            ),
            PickupStep::IdType => Line::raw(t!(clerk, "pickup-id-type-prompt")),
            PickupStep::IdLastFour => self.last_four.line(
                view,
                &t!(
                    clerk,
                    "pickup-last-four-label",
                    id_type = words::id_type(clerk, self.chosen_id_type())
                ),
            ),
            PickupStep::Parcels => self.scan.line(view, &t!(clerk, "flow-scan-label")),
            PickupStep::ConfirmPartial => self.scan.line(
                view,
                &words::partial_prompt(clerk, self.count(|state| state == LineState::HandedOver)),
            ),
            PickupStep::ConfirmPin => pin_line(view, &t!(clerk, "pickup-pin-label"), &self.pin),
            PickupStep::Done => Line::styled(t!(clerk, "pickup-done"), theme.normal),
        };
        frame.render_widget(Paragraph::new(prompt), bottom);
    }

    fn keys(&self, lang: Lang) -> String {
        match self.step {
            PickupStep::Code => t!(lang, "pickup-keys-code"),
            PickupStep::Name => t!(lang, "pickup-keys-name"),
            PickupStep::ProxyName => t!(lang, "pickup-keys-proxy"),
            PickupStep::IdType => t!(lang, "pickup-keys-id-type"),
            PickupStep::IdLastFour => t!(lang, "pickup-keys-last-four"),
            PickupStep::Parcels => t!(lang, "pickup-keys-parcels"),
            PickupStep::ConfirmPartial => t!(lang, "pickup-keys-partial"),
            PickupStep::ConfirmPin => t!(lang, "pickup-keys-pin"),
            PickupStep::Done => t!(lang, "pickup-keys-done"),
        }
    }

    fn help(&self, lang: Lang) -> Vec<String> {
        super::help_lines(t!(lang, "pickup-help"))
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
    use crate::domain::pickup::{Collector, FoundBy, IdCheck, IdType, PickupEvidence};
    use crate::i18n::Lang;

    const EN: Lang = Lang::En;

    #[test]
    fn the_partial_pickup_question_counts_and_names_the_shelves() {
        let shelves = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            words::partial(EN, 1, 2, 1, &shelves(&["B"])),
            "1 of 2 parcels scanned; the other is on shelf B. Hand over only 1?"
        );
        assert_eq!(
            words::partial(EN, 1, 4, 3, &shelves(&["B", "C", "R"])),
            "1 of 4 parcels scanned; the other 3 are on shelves B, C and R. Hand over only 1?"
        );
        assert_eq!(
            words::partial(EN, 1, 3, 1, &shelves(&["R"])),
            "1 of 3 parcels scanned; 1 other is on shelf R. Hand over only 1?"
        );
        assert_eq!(
            words::partial(EN, 0, 2, 1, &shelves(&["R"])),
            "0 of 2 parcels scanned; 1 other is on shelf R. Record only the exception?"
        );
        assert_eq!(
            words::partial(EN, 2, 4, 2, &shelves(&["A"])),
            "2 of 4 parcels scanned; the other 2 are on shelf A. Hand over only 2?"
        );
        assert_eq!(
            words::partial(Lang::Es, 1, 2, 1, &shelves(&["B"])),
            "1 de 2 paquetes escaneados; el otro está en el estante B. ¿Entregar solo 1?"
        );
    }

    #[test]
    fn counts_read_as_words() {
        let passport = IdCheck::new(IdType::Passport, "48a1").expect("four characters");
        assert_eq!(
            words::evidence(EN, true, None, Some(words::id_check(EN, &passport))),
            "Found by name; the addressee collects; ID: passport ending 48A1"
        );
        assert_eq!(words::id_check(EN, &passport), passport.describe());
        for evidence in [
            PickupEvidence::new(FoundBy::Name, Collector::Addressee, Some(passport.clone())),
            PickupEvidence::new(
                FoundBy::Code,
                Collector::Proxy("Jo Bloggs".into()),
                Some(passport.clone()),
            ),
        ] {
            let evidence = evidence.expect("evidence");
            assert_eq!(words::history(EN, &evidence), evidence.describe());
        }
        let by_proxy = PickupEvidence::new(
            FoundBy::Name,
            Collector::Proxy("Jo Bloggs".into()),
            Some(passport.clone()),
        )
        .expect("evidence");
        assert_eq!(
            words::history(Lang::Es, &by_proxy),
            "buscado por nombre (sin código), lo recogió Jo Bloggs en su nombre, \
             ID revisada: pasaporte con terminación 48A1"
        );
        assert_eq!(super::fitted("abcdef", 4), "abc…");
        assert_eq!(super::fitted("abcd", 4), "abcd");
        assert_eq!(
            words::countdown(EN, 25),
            "⏸ WAIT 0:25  No pickup code is checked for 25 seconds."
        );
        assert_eq!(
            words::countdown(EN, 1),
            "⏸ WAIT 0:01  No pickup code is checked for 1 second."
        );
        assert_eq!(
            words::recorded(EN, 1, 1, None),
            "Recorded: 1 parcel handed over, 1 exception."
        );
        assert_eq!(
            words::recorded(EN, 2, 0, Some("Jo Bloggs")),
            "Recorded: 2 parcels handed over to Jo Bloggs (proxy)."
        );
        assert_eq!(
            words::recorded(Lang::Es, 1, 0, None),
            "Registrado: 1 paquete entregado."
        );
        assert_eq!(
            words::recorded(Lang::Es, 2, 2, None),
            "Registrado: 2 paquetes entregados, 2 excepciones."
        );
    }
}
