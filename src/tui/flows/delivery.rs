//! A driver delivers: the kiosk shows a signed QR the driver scans, each parcel is scanned and
//! given a shelf, damaged ones are refused, and the clerk's PIN records it all at once.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};

use super::list::{SHELF_ENTRY, SHELF_KEYS, SHELF_LABEL, SHELF_NEEDS_PARCEL, fit_cells, shelf_set};
use super::{Flow, Lookup, move_selection, not_recorded, parse_label, refuse_if_held};
use crate::domain::chain::{Counterparty, CounterpartyKind};
use crate::domain::custody::{EventKind, shelf_name, suggest_shelf};
use crate::domain::handoff::{HandoffItem, HandoffRequest, Receipt};
use crate::domain::handshake::{Direction, IssuedToken, needs_rotation, rotation_due_at};
use crate::domain::ids::{TrackingId, clean_free_text};
use crate::domain::labels::Carrier;
use crate::domain::pin::Pin;
use crate::tui::action::{Action, Outcome};
use crate::tui::message::Message;
use crate::tui::view::View;
use crate::tui::widgets::handshake::render_qr_panel;
use crate::tui::widgets::pin_field::{PinKey, edit_pin, pin_line};
use crate::tui::widgets::qr::QrSymbol;
use crate::tui::widgets::scan_field::ScanField;
use crate::tui::widgets::{id_column, render_table_showing};

mod words {
    pub const TITLE: &str = "DRIVER DELIVERY";
    pub const QR_HEADING: &[&str] = &[
        "DRIVER DELIVERY",
        "",
        "Driver: scan this code",
        "with the carrier app.",
    ];
    pub const PREPARING: &str = "Preparing the driver's code…";
    pub const SCAN: &str = "Scan each parcel. Enter on an empty line when all are scanned.";
    pub const NEED_PARCEL: &str = "Scan at least one parcel first.";
    pub const CLEARED: &str = "Scan line cleared.";
    pub const PIN_LABEL: &str = "Your PIN to record this delivery: ";
    pub const WRITE_CODES: &str = "Write each new pickup code on its parcel's notice.";
    pub const KEYS_QR: &str = "Enter driver has scanned   Esc cancel   F1 help";
    pub const KEYS_SCANNING: &str =
        "Enter add  empty Enter confirm  F2 damaged  F4 shelf  F5 badge  Del remove  Esc";
    pub const KEYS_BADGE: &str = "type or scan the badge, Enter   Esc back to scanning";
    pub const KEYS_RECIPIENT: &str = "type the name from the label, Enter   Esc do not add it";
    pub const RECIPIENT_LABEL: &str = "Recipient's name from the label: ";
    pub const BADGE_LABEL: &str = "Driver's badge: ";
    pub const BADGE: &str = "Scan or type the driver's badge, then Enter.";
    pub const NEED_NAME: &str =
        "Type the recipient's name as the label shows it: the parcel needs an owner.";
    pub const NO_BADGE: &str = "no badge scanned (F5)";
    pub const KEYS_PIN: &str = "type your PIN, Enter   Esc back to the parcels";
    pub const KEYS_DONE: &str = "Enter home";
    pub const HELP: &[&str] = &[
        "1. The driver scans the QR code (or types the 6-digit code).",
        "2. Scan each parcel; the screen shows its shelf. A duplicate scan is",
        "   flagged, not added. F2 marks the selected parcel refused as damaged,",
        "   Del removes it. An unannounced parcel asks for the recipient's name",
        "   from its label. F4 puts the selected parcel on another shelf.",
        "   F5 scans the driver's badge (optional; recorded with the delivery).",
        "   Enter on an empty line when all are scanned.",
        "3. Type your PIN: everything is recorded at once, or nothing.",
    ];

    pub fn no_code(error: &str) -> String {
        format!("Cannot show the driver's code: {error}")
    }
    pub fn no_renewal(error: &str) -> String {
        format!("Cannot renew the driver's code: {error}")
    }
    pub fn removed(id: &impl std::fmt::Display) -> String {
        format!("{id} removed from this delivery.")
    }
    pub fn duplicate(id: &impl std::fmt::Display) -> String {
        format!("{id} is already in this delivery (duplicate scan).")
    }
    pub fn added(id: &impl std::fmt::Display, announced: bool, shelf: &str) -> String {
        let how = if announced {
            "expected"
        } else {
            "unannounced (a pickup code will be made)"
        };
        format!("{id} {how} -> shelf {shelf}")
    }
    pub fn unannounced(id: &impl std::fmt::Display) -> String {
        format!("{id} was not announced: type the recipient's name from its label, Enter.")
    }
    pub fn label_not_name(id: &impl std::fmt::Display) -> String {
        format!(
            "That was a parcel label, not a name. Type the recipient's name for {id} first, \
             then scan the next parcel."
        )
    }
    pub fn not_added(id: &impl std::fmt::Display) -> String {
        format!("{id} not added (no recipient's name).")
    }
    pub fn badge_noted(badge: &str) -> String {
        format!("Driver badge {badge} noted.")
    }
    pub fn driver(badge: &str) -> String {
        if badge.is_empty() {
            NO_BADGE.to_owned()
        } else {
            format!("driver {badge}")
        }
    }
    pub fn recorded(received: usize, refused: usize) -> String {
        let parcels = counted(received, "parcel");
        if refused > 0 {
            format!("Recorded: {parcels} received, {refused} refused as damaged.")
        } else {
            format!("Recorded: {parcels} received.")
        }
    }
    pub fn summary(received: usize, refused: usize, badge: &str) -> String {
        format!(
            "{received} to receive, {refused} refused as damaged; {}",
            driver(badge)
        )
    }

    use super::super::list::counted;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStep {
    Qr,
    Scanning,
    ConfirmPin,
    Done,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryLine {
    pub tracking_id: TrackingId,
    /// Read from the label, shown on the row.
    pub carrier: Carrier,
    /// From the carrier's announcement, or typed from the label for an unannounced parcel.
    pub recipient: String,
    /// Whether the carrier announced it (else a pickup code is made when it is recorded).
    pub announced: bool,
    pub shelf: String,
    pub refused_damaged: bool,
    /// The pickup code made for an unannounced parcel, shown once after recording.
    pub new_pickup_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryReceipt {
    pub received: usize,
    pub refused: usize,
    pub on_hand: u64,
    pub over_capacity: bool,
}

/// What the scan line takes while scanning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Parcel,
    /// The recipient's name for this unannounced parcel, which is added once it has one.
    Recipient(DeliveryLine),
    /// The driver's badge (F5).
    Badge,
    /// Another shelf for the selected parcel (F4).
    Shelf,
}

#[derive(Debug, Clone)]
pub struct DeliveryFlow {
    pub step: DeliveryStep,
    /// The driver's token and its QR; `None` until the first is issued.
    pub handshake: Option<(IssuedToken, QrSymbol)>,
    pub scan: ScanField,
    pub lines: Vec<DeliveryLine>,
    pub selected: usize,
    pub pin: Pin,
    pub receipt: Option<DeliveryReceipt>,
    pub entry: Entry,
    /// The delivering driver's badge, when scanned (recorded as the counterparty's reference).
    pub badge: String,
}

pub fn start(_lookup: &Lookup<'_>) -> Result<(Box<dyn Flow>, Action), Message> {
    let flow = DeliveryFlow {
        step: DeliveryStep::Qr,
        handshake: None,
        scan: ScanField::default(),
        lines: Vec::new(),
        selected: 0,
        pin: Pin::default(),
        receipt: None,
        entry: Entry::Parcel,
        badge: String::new(),
    };
    Ok((Box::new(flow), issue_token()))
}

fn issue_token() -> Action {
    Action::IssueToken {
        direction: Direction::DeliveryToStore,
        cart: None,
    }
}

impl DeliveryFlow {
    fn showing_qr(&self) -> Option<&IssuedToken> {
        match (&self.handshake, self.step) {
            (Some((token, _)), DeliveryStep::Qr) => Some(token),
            _ => None,
        }
    }

    fn add_scan(&mut self, scanned: &str, lookup: &Lookup<'_>) -> Action {
        let (tracking_id, carrier) = match parse_label(lookup, scanned) {
            Ok(label) => (label.tracking_id, label.carrier),
            Err(refusal) => return refusal,
        };
        if let Some(index) = self
            .lines
            .iter()
            .position(|line| line.tracking_id == tracking_id)
        {
            self.selected = index;
            return Action::warn(words::duplicate(&tracking_id));
        }
        if let Err(refusal) = refuse_if_held(lookup, &tracking_id) {
            return refusal;
        }
        let announced = match lookup.announced_recipient(&tracking_id) {
            Ok(recipient) => recipient,
            Err(error) => return Action::alert(error.to_string()),
        };
        let line = DeliveryLine {
            shelf: suggest_shelf(announced.as_deref().unwrap_or_default()),
            tracking_id,
            carrier,
            announced: announced.is_some(),
            recipient: announced.unwrap_or_default(),
            refused_damaged: false,
            new_pickup_code: None,
        };
        if line.announced {
            self.push(line)
        } else {
            let said = Action::info(words::unannounced(&line.tracking_id));
            self.entry = Entry::Recipient(line);
            said
        }
    }

    fn push(&mut self, line: DeliveryLine) -> Action {
        let said = Action::ok(words::added(&line.tracking_id, line.announced, &line.shelf));
        self.lines.push(line);
        self.selected = self.lines.len() - 1;
        said
    }

    /// Whether text typed as a name is a scanned parcel label: a carrier's format, or a run of
    /// digits no name has.
    fn looks_like_a_label(text: &str) -> bool {
        let digits = text.chars().filter(char::is_ascii_digit).count();
        digits >= 8 || crate::domain::labels::carrier_of_text(text) != Carrier::Other
    }

    /// Enter on the scan line while it takes a name, a badge or a shelf.
    fn entry_done(&mut self, typed: Result<String, String>) -> Action {
        let entry = std::mem::replace(&mut self.entry, Entry::Parcel);
        match entry {
            Entry::Parcel => Action::None,
            Entry::Recipient(mut line) => {
                match typed.and_then(|t| clean_free_text("the recipient's name", &t, 80)) {
                    // A second parcel scanned while the name is asked for is a label, not a
                    // name: refused, so it neither becomes an owner nor is lost unseen.
                    Ok(name) if Self::looks_like_a_label(&name) => {
                        let said = Action::alert(words::label_not_name(&line.tracking_id));
                        self.entry = Entry::Recipient(line);
                        said
                    }
                    Ok(name) if !name.is_empty() => {
                        line.shelf = suggest_shelf(&name);
                        line.recipient = name;
                        self.push(line)
                    }
                    Ok(_) => {
                        self.entry = Entry::Recipient(line);
                        Action::warn(words::NEED_NAME)
                    }
                    Err(reason) => {
                        self.entry = Entry::Recipient(line);
                        Action::alert(reason)
                    }
                }
            }
            Entry::Badge => match typed.and_then(|t| clean_free_text("the badge", &t, 40)) {
                Ok(badge) if !badge.is_empty() => {
                    let said = Action::ok(words::badge_noted(&badge));
                    self.badge = badge;
                    said
                }
                Ok(_) => Action::ClearMessage,
                Err(reason) => Action::alert(reason),
            },
            Entry::Shelf => match (
                typed.and_then(|t| shelf_name(&t)),
                self.lines.get_mut(self.selected),
            ) {
                (Ok(shelf), Some(line)) => {
                    let said = Action::ok(shelf_set(&line.tracking_id, &shelf));
                    line.shelf = shelf;
                    said
                }
                (Err(reason), _) => Action::alert(reason),
                (Ok(_), None) => Action::None,
            },
        }
    }

    /// Esc on the scan line while it takes a name, a badge or a shelf: back to scanning.
    fn entry_cancelled(&mut self) -> Action {
        let _ = self.scan.take();
        match std::mem::replace(&mut self.entry, Entry::Parcel) {
            Entry::Recipient(line) => Action::warn(words::not_added(&line.tracking_id)),
            Entry::Parcel | Entry::Badge | Entry::Shelf => Action::ClearMessage,
        }
    }

    fn requests(&self) -> Vec<HandoffRequest> {
        let driver = Counterparty {
            kind: CounterpartyKind::Driver,
            reference: self.badge.clone(),
        };
        let token_id = self.handshake.as_ref().map(|(token, _)| token.token_id());
        let (refused, accepted): (Vec<&DeliveryLine>, Vec<&DeliveryLine>) =
            self.lines.iter().partition(|line| line.refused_damaged);
        let mut requests = Vec::new();
        if !accepted.is_empty() {
            requests.push(HandoffRequest {
                kind: EventKind::DriverDelivery,
                counterparty: driver.clone(),
                items: accepted
                    .iter()
                    .map(|line| HandoffItem {
                        recipient: if line.announced {
                            String::new()
                        } else {
                            line.recipient.clone()
                        },
                        ..HandoffItem::on_shelf(line.tracking_id.clone(), &line.shelf)
                    })
                    .collect(),
                token_id: token_id.clone(),
                note: String::new(),
            });
        }
        if !refused.is_empty() {
            requests.push(HandoffRequest {
                kind: EventKind::DeliveryRefusedDamaged,
                counterparty: driver,
                items: refused
                    .iter()
                    .map(|line| {
                        HandoffItem::with_detail(line.tracking_id.clone(), "refused: damaged")
                    })
                    .collect(),
                token_id,
                note: String::new(),
            });
        }
        requests
    }

    fn recorded(&mut self, receipt: &Receipt) -> Action {
        self.step = DeliveryStep::Done;
        for (tracking_id, code) in &receipt.generated_codes {
            if let Some(line) = self
                .lines
                .iter_mut()
                .find(|line| &line.tracking_id == tracking_id)
            {
                line.new_pickup_code = Some(code.expose().to_owned());
            }
        }
        let refused = self.lines.iter().filter(|l| l.refused_damaged).count();
        let received = self.lines.len() - refused;
        self.receipt = Some(DeliveryReceipt {
            received,
            refused,
            on_hand: receipt.on_hand,
            over_capacity: receipt.over_capacity(),
        });
        Action::ok(words::recorded(received, refused))
    }

    fn scanning_key(&mut self, key: KeyEvent, lookup: &Lookup<'_>) -> Action {
        if self.entry != Entry::Parcel {
            return match key.code {
                KeyCode::Enter => {
                    let typed = self.scan.take();
                    self.entry_done(typed)
                }
                KeyCode::Esc => self.entry_cancelled(),
                _ => {
                    self.scan.edit(&key);
                    Action::None
                }
            };
        }
        if self.scan.edit(&key) {
            return Action::None;
        }
        match key.code {
            KeyCode::F(4) if self.selected < self.lines.len() => {
                self.entry = Entry::Shelf;
                Action::info(SHELF_ENTRY)
            }
            KeyCode::F(4) => Action::warn(SHELF_NEEDS_PARCEL),
            KeyCode::F(5) => {
                self.entry = Entry::Badge;
                Action::info(words::BADGE)
            }
            KeyCode::Up | KeyCode::Down => {
                move_selection(
                    &mut self.selected,
                    self.lines.len(),
                    key.code == KeyCode::Down,
                );
                Action::None
            }
            KeyCode::F(2) => {
                if let Some(line) = self.lines.get_mut(self.selected) {
                    line.refused_damaged = !line.refused_damaged;
                }
                Action::None
            }
            KeyCode::Delete if self.selected < self.lines.len() => {
                let removed = self.lines.remove(self.selected);
                self.selected = self.selected.min(self.lines.len().saturating_sub(1));
                Action::warn(words::removed(&removed.tracking_id))
            }
            KeyCode::Enter => match self.scan.take_label() {
                Err(reason) => Action::alert(reason),
                Ok(scanned) if scanned.trim().is_empty() => {
                    if self.lines.is_empty() {
                        Action::warn(words::NEED_PARCEL)
                    } else {
                        self.step = DeliveryStep::ConfirmPin;
                        self.pin.clear();
                        Action::ClearMessage
                    }
                }
                Ok(scanned) => self.add_scan(&scanned, lookup),
            },
            KeyCode::Esc if !self.scan.is_empty() => {
                let _ = self.scan.take();
                Action::warn(words::CLEARED)
            }
            KeyCode::Esc => Action::Leave {
                discards_work: true,
            },
            _ => Action::None,
        }
    }
}

impl Flow for DeliveryFlow {
    fn handle_key(&mut self, key: KeyEvent, lookup: &Lookup<'_>) -> Action {
        match (self.step, key.code) {
            (DeliveryStep::Qr, KeyCode::Enter) => match self.showing_qr() {
                // The driver has scanned: the token must still be valid at this moment.
                Some(token) => Action::ClaimToken {
                    token_id: token.token_id(),
                },
                None => Action::None,
            },
            (DeliveryStep::Qr, KeyCode::Esc)
            | (DeliveryStep::Done, KeyCode::Enter | KeyCode::Esc) => Action::Leave {
                discards_work: false,
            },
            (DeliveryStep::Scanning, _) => self.scanning_key(key, lookup),
            (DeliveryStep::ConfirmPin, code) => match edit_pin(&mut self.pin, code) {
                PinKey::Back => {
                    self.step = DeliveryStep::Scanning;
                    Action::None
                }
                PinKey::Submit(pin) => Action::Record {
                    pin,
                    requests: self.requests(),
                },
                PinKey::Edited | PinKey::Other => Action::None,
            },
            (DeliveryStep::Qr | DeliveryStep::Done, _) => Action::None,
        }
    }

    fn outcome(&mut self, outcome: Outcome, _lookup: &Lookup<'_>) -> Action {
        match outcome {
            Outcome::TokenIssued(issued) => {
                let first = self.handshake.is_none();
                let shown = issued.and_then(|token| {
                    QrSymbol::encode(&token.text)
                        .map(|symbol| (token, symbol))
                        .map_err(|e| e.to_string())
                });
                match (shown, first) {
                    (Ok(handshake), _) => {
                        self.handshake = Some(handshake);
                        Action::None
                    }
                    (Err(error), true) => Action::Abandon(Message::alert(words::no_code(&error))),
                    (Err(error), false) => Action::alert(words::no_renewal(&error)),
                }
            }
            Outcome::TokenClaimed(Ok(())) => {
                self.step = DeliveryStep::Scanning;
                Action::info(words::SCAN)
            }
            Outcome::TokenClaimed(Err(error)) => Action::alert(error),
            Outcome::Recorded(Ok(receipt)) => self.recorded(&receipt),
            Outcome::Recorded(Err(error)) => not_recorded(&error),
        }
    }

    fn tick(&mut self, now: DateTime<Utc>) -> Action {
        match self.showing_qr() {
            Some(token) if needs_rotation(&token.claims, now) => issue_token(),
            _ => Action::None,
        }
    }

    fn next_deadline(&self) -> Option<DateTime<Utc>> {
        self.showing_qr()
            .map(|token| rotation_due_at(&token.claims))
    }

    fn wants_full_screen(&self) -> bool {
        self.step == DeliveryStep::Qr
    }

    fn render(&self, frame: &mut Frame, view: &View<'_>, area: Rect) {
        if self.step == DeliveryStep::Qr {
            match &self.handshake {
                Some((token, symbol)) => {
                    render_qr_panel(frame, view, token, symbol, words::QR_HEADING, area)
                }
                None => frame.render_widget(Paragraph::new(words::PREPARING), area),
            }
            return;
        }
        self.render_list(frame, view, area);
    }

    fn keys(&self) -> &'static str {
        match self.step {
            DeliveryStep::Qr => words::KEYS_QR,
            DeliveryStep::Scanning if self.entry == Entry::Shelf => SHELF_KEYS,
            DeliveryStep::Scanning if self.entry == Entry::Badge => words::KEYS_BADGE,
            DeliveryStep::Scanning if self.entry != Entry::Parcel => words::KEYS_RECIPIENT,
            DeliveryStep::Scanning => words::KEYS_SCANNING,
            DeliveryStep::ConfirmPin => words::KEYS_PIN,
            DeliveryStep::Done => words::KEYS_DONE,
        }
    }

    fn help(&self) -> &'static [&'static str] {
        words::HELP
    }

    fn takes_text(&self) -> bool {
        self.step == DeliveryStep::Scanning
    }
}

impl DeliveryFlow {
    fn render_list(&self, frame: &mut Frame, view: &View<'_>, area: Rect) {
        let theme = view.theme;
        let [top, list_area, bottom] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Min(3),
            Constraint::Length(2),
        ])
        .areas(area);
        let received = self.lines.iter().filter(|l| !l.refused_damaged).count();
        let refused = self.lines.len() - received;
        frame.render_widget(
            Paragraph::new(vec![
                Line::styled(words::TITLE, theme.title),
                Line::raw(words::summary(received, refused, &self.badge)),
            ]),
            top,
        );
        let widths = [
            id_column(self.lines.iter().map(|l| &l.tracking_id)),
            Constraint::Length(9),
            Constraint::Min(8),
            Constraint::Length(5),
            Constraint::Length(19),
        ];
        let rows: Vec<Row> = self
            .lines
            .iter()
            .enumerate()
            .map(|(index, line)| {
                let state = match (&line.new_pickup_code, line.refused_damaged) {
                    (_, true) => "✖ REFUSED (damaged)".to_owned(),
                    (Some(code), false) => format!("✔ code {code}"),
                    (None, false) if line.announced => "✔ receive".to_owned(),
                    (None, false) => "✔ receive, new code".to_owned(),
                };
                let style = if index == self.selected && self.step == DeliveryStep::Scanning {
                    theme.focus
                } else if line.refused_damaged {
                    theme.warn
                } else {
                    theme.normal
                };
                let cells = vec![
                    line.tracking_id.to_string(),
                    line.carrier.to_string(),
                    line.recipient.clone(),
                    line.shelf.clone(),
                    state,
                ];
                Row::new(fit_cells(cells, &widths, list_area.width)).style(style)
            })
            .collect();
        let table = Table::new(rows, widths)
            .header(
                Row::new(vec![
                    "Tracking id",
                    "Carrier",
                    "Recipient",
                    "Shelf",
                    "State",
                ])
                .style(theme.title),
            )
            .block(Block::new().borders(Borders::TOP));
        render_table_showing(frame, table, list_area, self.selected);
        let prompt = match self.step {
            DeliveryStep::ConfirmPin => pin_line(view, words::PIN_LABEL, &self.pin),
            DeliveryStep::Done => match &self.receipt {
                Some(receipt) => done_line(view, receipt),
                None => Line::raw(""),
            },
            DeliveryStep::Qr | DeliveryStep::Scanning => {
                let label = match &self.entry {
                    Entry::Parcel => "Scan: ",
                    Entry::Recipient(_) => words::RECIPIENT_LABEL,
                    Entry::Badge => words::BADGE_LABEL,
                    Entry::Shelf => SHELF_LABEL,
                };
                self.scan.line(view, label)
            }
        };
        let mut footer = vec![prompt];
        if self.lines.iter().any(|line| line.new_pickup_code.is_some()) {
            footer.push(Line::styled(words::WRITE_CODES, theme.warn));
        }
        frame.render_widget(Paragraph::new(footer).wrap(Wrap { trim: true }), bottom);
    }
}

/// What follows the recording: the message line already says what was recorded, so this says
/// what it means for the shelves, and what comes next.
fn done_line<'a>(view: &View<'_>, receipt: &DeliveryReceipt) -> Line<'a> {
    let capacity = view.config.store.capacity;
    let mut spans = vec![Span::styled(
        format!(
            "On hand now {}/{capacity}. Enter for home.",
            receipt.on_hand
        ),
        view.theme.normal,
    )];
    if receipt.over_capacity {
        spans.push(Span::styled(" ! OVER CAPACITY", view.theme.alert));
    }
    Line::from(spans)
}
