//! A driver delivers: the kiosk shows a signed QR the driver scans, each parcel is scanned and
//! given a shelf, damaged ones are refused, and the clerk's PIN records it all at once.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};

use super::list::{fit_cells, shelf_set};
use super::{
    Flow, Lookup, carrier_name, move_selection, not_recorded, parse_label, refuse_if_held,
};
use crate::domain::chain::{Counterparty, CounterpartyKind};
use crate::domain::custody::{EventKind, shelf_name, suggest_shelf};
use crate::domain::handoff::{HandoffItem, HandoffRequest, Receipt};
use crate::domain::handshake::{Direction, IssuedToken, needs_rotation, rotation_due_at};
use crate::domain::ids::{TrackingId, check_free_text};
use crate::domain::labels::Carrier;
use crate::domain::pin::Pin;
use crate::i18n::Lang;
use crate::t;
use crate::tui::action::{Action, Outcome};
use crate::tui::message::Message;
use crate::tui::reasons::{Refusal, TextField, refusal_text, scan_refusal_text};
use crate::tui::view::View;
use crate::tui::widgets::handshake::render_qr_panel;
use crate::tui::widgets::pin_field::{PinKey, edit_pin, pin_line};
use crate::tui::widgets::qr::QrSymbol;
use crate::tui::widgets::scan_field::{ScanField, ScanRefusal};
use crate::tui::widgets::{id_column, render_table_showing};

/// The words of this flow live in `assets/locales/*/delivery.ftl` (and `flow-list.ftl`).
mod words {
    use crate::i18n::Lang;
    use crate::t;

    pub fn added(lang: Lang, id: &impl std::fmt::Display, announced: bool, shelf: &str) -> String {
        let id = id.to_string();
        if announced {
            t!(lang, "delivery-added-expected", id = id, shelf = shelf)
        } else {
            t!(lang, "delivery-added-unannounced", id = id, shelf = shelf)
        }
    }

    /// Under the title (the customer's): what is received and refused, and who delivers.
    pub fn summary(lang: Lang, received: usize, refused: usize, badge: &str) -> String {
        let driver = if badge.is_empty() {
            t!(lang, "delivery-no-badge")
        } else {
            t!(lang, "delivery-driver", badge = badge)
        };
        t!(
            lang,
            "delivery-summary",
            received = received,
            refused = refused,
            driver = driver
        )
    }
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
            return Action::warn(t!(
                lookup.lang,
                "delivery-duplicate",
                id = tracking_id.to_string()
            ));
        }
        if let Err(refusal) = refuse_if_held(lookup, &tracking_id) {
            return refusal;
        }
        let announced = match lookup.announced_recipient(&tracking_id) {
            Ok(recipient) => recipient,
            Err(error) => return super::store_failed(lookup.lang, &error),
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
            self.push(line, lookup.lang)
        } else {
            let said = Action::info(t!(
                lookup.lang,
                "delivery-unannounced",
                id = line.tracking_id.to_string()
            ));
            self.entry = Entry::Recipient(line);
            said
        }
    }

    fn push(&mut self, line: DeliveryLine, lang: Lang) -> Action {
        let said = Action::ok(words::added(
            lang,
            &line.tracking_id,
            line.announced,
            &line.shelf,
        ));
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
    fn entry_done(&mut self, typed: Result<String, ScanRefusal>, lang: Lang) -> Action {
        let typed = typed.map_err(Refusal::from);
        let cleaned = |field: TextField, max: usize| {
            typed
                .clone()
                .and_then(|t| check_free_text(&t, max).map_err(|e| Refusal::FreeText(field, e)))
        };
        let entry = std::mem::replace(&mut self.entry, Entry::Parcel);
        match entry {
            Entry::Parcel => Action::None,
            Entry::Recipient(mut line) => {
                match cleaned(TextField::RecipientName, 80) {
                    // A second parcel scanned while the name is asked for is a label, not a
                    // name: refused, so it neither becomes an owner nor is lost unseen.
                    Ok(name) if Self::looks_like_a_label(&name) => {
                        let said = Action::alert(t!(
                            lang,
                            "delivery-label-not-name",
                            id = line.tracking_id.to_string()
                        ));
                        self.entry = Entry::Recipient(line);
                        said
                    }
                    Ok(name) if !name.is_empty() => {
                        line.shelf = suggest_shelf(&name);
                        line.recipient = name;
                        self.push(line, lang)
                    }
                    Ok(_) => {
                        self.entry = Entry::Recipient(line);
                        Action::warn(t!(lang, "delivery-need-name"))
                    }
                    Err(reason) => {
                        self.entry = Entry::Recipient(line);
                        Action::alert(refusal_text(lang, &reason))
                    }
                }
            }
            Entry::Badge => match cleaned(TextField::Badge, 40) {
                Ok(badge) if !badge.is_empty() => {
                    let said = Action::ok(t!(lang, "delivery-badge-noted", badge = badge.as_str()));
                    self.badge = badge;
                    said
                }
                Ok(_) => Action::ClearMessage,
                Err(reason) => Action::alert(refusal_text(lang, &reason)),
            },
            Entry::Shelf => match (
                typed
                    .clone()
                    .and_then(|t| shelf_name(&t).map_err(Refusal::from)),
                self.lines.get_mut(self.selected),
            ) {
                (Ok(shelf), Some(line)) => {
                    let said = Action::ok(shelf_set(lang, &line.tracking_id, &shelf));
                    line.shelf = shelf;
                    said
                }
                (Err(reason), _) => Action::alert(refusal_text(lang, &reason)),
                (Ok(_), None) => Action::None,
            },
        }
    }

    /// Esc on the scan line while it takes a name, a badge or a shelf: back to scanning.
    fn entry_cancelled(&mut self, lang: Lang) -> Action {
        let _ = self.scan.take_checked();
        match std::mem::replace(&mut self.entry, Entry::Parcel) {
            Entry::Recipient(line) => Action::warn(t!(
                lang,
                "delivery-not-added",
                id = line.tracking_id.to_string()
            )),
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

    /// The totals are the driver's to confirm: in the customer's language.
    fn recorded(&mut self, receipt: &Receipt, customer_lang: Lang) -> Action {
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
        Action::ok(t!(
            customer_lang,
            "delivery-recorded",
            received = received,
            refused = refused
        ))
    }

    fn scanning_key(&mut self, key: KeyEvent, lookup: &Lookup<'_>) -> Action {
        let lang = lookup.lang;
        if self.entry != Entry::Parcel {
            return match key.code {
                KeyCode::Enter => {
                    let typed = self.scan.take_checked();
                    self.entry_done(typed, lang)
                }
                KeyCode::Esc => self.entry_cancelled(lang),
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
                Action::info(t!(lang, "flow-shelf-entry"))
            }
            KeyCode::F(4) => Action::warn(t!(lang, "flow-shelf-needs-parcel")),
            KeyCode::F(5) => {
                self.entry = Entry::Badge;
                Action::info(t!(lang, "delivery-badge"))
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
                Action::warn(t!(
                    lang,
                    "delivery-removed",
                    id = removed.tracking_id.to_string()
                ))
            }
            KeyCode::Enter => match self.scan.take_label_checked() {
                Err(reason) => Action::alert(scan_refusal_text(lang, &reason)),
                Ok(scanned) if scanned.trim().is_empty() => {
                    if self.lines.is_empty() {
                        Action::warn(t!(lang, "delivery-need-parcel"))
                    } else {
                        self.step = DeliveryStep::ConfirmPin;
                        self.pin.clear();
                        Action::ClearMessage
                    }
                }
                Ok(scanned) => self.add_scan(&scanned, lookup),
            },
            KeyCode::Esc if !self.scan.is_empty() => {
                let _ = self.scan.take_checked();
                Action::warn(t!(lang, "flow-scan-cleared"))
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

    fn outcome(&mut self, outcome: Outcome, lookup: &Lookup<'_>) -> Action {
        let lang = lookup.lang;
        match outcome {
            Outcome::TokenIssued(issued) => {
                let first = self.handshake.is_none();
                let shown = issued.and_then(|token| {
                    QrSymbol::encode(&token.text)
                        .map(|symbol| (token, symbol))
                        .map_err(|e| e.text(lookup.lang))
                });
                match (shown, first) {
                    (Ok(handshake), _) => {
                        self.handshake = Some(handshake);
                        Action::None
                    }
                    (Err(error), true) => {
                        Action::Abandon(Message::alert(t!(lang, "delivery-no-code", error = error)))
                    }
                    (Err(error), false) => {
                        Action::alert(t!(lang, "delivery-no-renewal", error = error))
                    }
                }
            }
            Outcome::TokenClaimed(Ok(())) => {
                self.step = DeliveryStep::Scanning;
                Action::info(t!(lang, "delivery-scan"))
            }
            Outcome::TokenClaimed(Err(error)) => Action::alert(error),
            Outcome::Recorded(Ok(receipt)) => self.recorded(&receipt, lookup.customer_lang),
            Outcome::Recorded(Err(error)) => not_recorded(lang, &error),
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
                    let driver = view.customer_lang;
                    let heading = [
                        t!(driver, "delivery-title"),
                        String::new(),
                        t!(driver, "delivery-qr-ask"),
                        t!(driver, "delivery-qr-ask-app"),
                    ];
                    render_qr_panel(frame, view, token, symbol, &heading, area)
                }
                None => {
                    frame.render_widget(Paragraph::new(t!(view.lang, "delivery-preparing")), area)
                }
            }
            return;
        }
        self.render_list(frame, view, area);
    }

    fn keys(&self, lang: Lang) -> String {
        match self.step {
            DeliveryStep::Qr => t!(lang, "delivery-keys-qr"),
            DeliveryStep::Scanning if self.entry == Entry::Shelf => t!(lang, "flow-shelf-keys"),
            DeliveryStep::Scanning if self.entry == Entry::Badge => t!(lang, "delivery-keys-badge"),
            DeliveryStep::Scanning if self.entry != Entry::Parcel => {
                t!(lang, "delivery-keys-recipient")
            }
            DeliveryStep::Scanning => t!(lang, "delivery-keys-scanning"),
            DeliveryStep::ConfirmPin => t!(lang, "delivery-keys-pin"),
            DeliveryStep::Done => t!(lang, "delivery-keys-done"),
        }
    }

    fn help(&self, lang: Lang) -> Vec<String> {
        super::help_lines(t!(lang, "delivery-help"))
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
        // The list is the driver's to read; the prompts below it are the clerk's.
        let (customer, clerk) = (view.customer_lang, view.lang);
        frame.render_widget(
            Paragraph::new(vec![
                Line::styled(t!(customer, "delivery-title"), theme.title),
                Line::raw(words::summary(customer, received, refused, &self.badge)),
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
                    (_, true) => t!(customer, "delivery-state-refused"),
                    (Some(code), false) => {
                        t!(customer, "delivery-state-code", code = code.as_str())
                    }
                    (None, false) if line.announced => t!(customer, "delivery-state-receive"),
                    (None, false) => t!(customer, "delivery-state-receive-new-code"),
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
                    carrier_name(customer, line.carrier),
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
                    t!(customer, "delivery-column-id"),
                    t!(customer, "delivery-column-carrier"),
                    t!(customer, "delivery-column-recipient"),
                    t!(customer, "delivery-column-shelf"),
                    t!(customer, "delivery-column-state"),
                ])
                .style(theme.title),
            )
            .block(Block::new().borders(Borders::TOP));
        render_table_showing(frame, table, list_area, self.selected);
        let prompt = match self.step {
            DeliveryStep::ConfirmPin => pin_line(view, &t!(clerk, "delivery-pin-label"), &self.pin),
            DeliveryStep::Done => match &self.receipt {
                Some(receipt) => done_line(view, receipt),
                None => Line::raw(""),
            },
            DeliveryStep::Qr | DeliveryStep::Scanning => {
                let label = match &self.entry {
                    Entry::Parcel => t!(clerk, "flow-scan-label"),
                    Entry::Recipient(_) => t!(clerk, "delivery-recipient-label"),
                    Entry::Badge => t!(clerk, "delivery-badge-label"),
                    Entry::Shelf => t!(clerk, "flow-shelf-label"),
                };
                self.scan.line(view, &label)
            }
        };
        let mut footer = vec![prompt];
        if self.lines.iter().any(|line| line.new_pickup_code.is_some()) {
            footer.push(Line::styled(t!(clerk, "delivery-write-codes"), theme.warn));
        }
        frame.render_widget(Paragraph::new(footer).wrap(Wrap { trim: true }), bottom);
    }
}

/// What follows the recording: the message line already says what was recorded, so this says
/// what it means for the shelves, and what comes next.
fn done_line<'a>(view: &View<'_>, receipt: &DeliveryReceipt) -> Line<'a> {
    let capacity = view.config.store.capacity;
    let mut spans = vec![Span::styled(
        t!(
            view.lang,
            "delivery-on-hand",
            on_hand = receipt.on_hand,
            capacity = capacity
        ),
        view.theme.normal,
    )];
    if receipt.over_capacity {
        spans.push(Span::styled(
            t!(view.lang, "delivery-over-capacity"),
            view.theme.alert,
        ));
    }
    Line::from(spans)
}
