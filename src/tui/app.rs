//! The kiosk's state and everything that changes it. Keys become actions; `apply` performs an
//! action's effects (fast SQLite inline, argon2 on the worker); screens render from `&App`.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::event::Event;
use super::screens::delivery::{DeliveryFlow, DeliveryLine, DeliveryStep};
use super::screens::home::HomeStats;
use super::screens::ledger::{ChainState, LedgerView};
use super::screens::lists::Step;
use super::screens::manager::{DeskPage, ManagerDesk};
use super::screens::outbound::{DriverPickupFlow, LocalDeliveryFlow};
use super::screens::pickup::{LineState, PickupFlow, PickupStep};
use super::screens::search::SearchView;
use super::screens::shipping::{DropOffFlow, OrderFlow};
use super::text;
use super::theme::Theme;
use super::widgets::qr::QrSymbol;
use super::worker::{Job, JobResult, Worker};
use crate::domain::chain::{Counterparty, CounterpartyKind};
use crate::domain::clock::Clock;
use crate::domain::codes::PickupCode;
use crate::domain::custody::{EventKind, suggest_shelf};
use crate::domain::handshake::{Direction, needs_rotation, rotation_due_at};
use crate::domain::ids::{StaffId, TrackingId, is_disguising_char};
use crate::domain::pin::{NewPinHash, Pin};
use crate::domain::staff::{PinProof, Role, StaffMember};
use crate::setup::Kiosk;
use crate::store::{HandoffItem, HandoffRequest, StoreError};

/// The longest thing a scan field keeps; anything longer is a stuck or misconfigured scanner.
pub const SCAN_MAX_CHARS: usize = 64;

/// A text field fed by a keyboard-wedge scanner or a person. Only printable characters get in;
/// what goes past the limit is counted, not kept, so a 10 kB burst costs nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanField {
    pub text: String,
    pub overflow: usize,
    /// Invisible or control characters seen (never kept, never shown).
    pub hidden_characters: usize,
    /// The first of them, named in the refusal.
    pub first_hidden: Option<char>,
}

impl ScanField {
    pub fn push(&mut self, character: char) {
        if is_disguising_char(character) {
            self.hidden_characters += 1;
            self.first_hidden.get_or_insert(character);
            return;
        }
        if self.text.chars().count() >= SCAN_MAX_CHARS {
            self.overflow += 1;
        } else {
            self.text.push(character);
        }
    }

    pub fn backspace(&mut self) {
        if self.overflow > 0 {
            self.overflow -= 1;
        } else {
            self.text.pop();
        }
    }

    /// A key from a scanner or keyboard in a scan field. A Tab, or a control character (a
    /// terminal reports GS, the GS1 barcode field separator, as Ctrl+] or Ctrl+5), is not
    /// dropped: it spoils the scan, which is refused naming it, so two fields are never joined
    /// into one id silently. Returns whether the key was taken.
    pub fn push_key(&mut self, key: &KeyEvent) -> bool {
        match key.code {
            KeyCode::Tab => self.push('\t'),
            KeyCode::Char(c) if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.push(control_character(c))
            }
            KeyCode::Char(c) => self.push(c),
            _ => return false,
        }
        true
    }

    /// Empties the field, returning what was scanned, or the reason it cannot be used.
    pub fn take(&mut self) -> Result<String, String> {
        let overflow = std::mem::take(&mut self.overflow);
        let hidden = std::mem::take(&mut self.hidden_characters);
        let first_hidden = self.first_hidden.take();
        let text = std::mem::take(&mut self.text);
        if hidden > 0 {
            return Err(format!(
                "That scan held {hidden} invisible or control character(s), the first {}, and was refused; scan again.",
                first_hidden
                    .map_or_else(|| "unknown".to_owned(), crate::domain::ids::describe_char)
            ));
        }
        if overflow > 0 {
            return Err(format!(
                "That scan was {} characters long and was refused; scan again.",
                text.chars().count() + overflow
            ));
        }
        Ok(text)
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.overflow == 0 && self.hidden_characters == 0
    }
}

/// The control character a terminal reports as Ctrl + `key`: Ctrl+A..Z and Ctrl+@[\\]^_ by
/// their ASCII control codes, and Ctrl+4..7 as FS, GS, RS, US (how crossterm reports 0x1C-0x1F).
fn control_character(key: char) -> char {
    let code = match key {
        '4'..='7' => u32::from(key) - u32::from('4') + 0x1C,
        '@'..='_' | 'a'..='z' => u32::from(key.to_ascii_uppercase()) & 0x1F,
        // Any other Ctrl combination: some control character all the same.
        _ => 0x1A,
    };
    char::from_u32(code).unwrap_or('\u{1A}')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashKind {
    Ok,
    Warn,
    Alert,
}

/// A message in the message line until the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub kind: FlashKind,
    pub text: String,
}

impl Flash {
    pub fn ok(text: impl Into<String>) -> Self {
        Self {
            kind: FlashKind::Ok,
            text: text.into(),
        }
    }
    pub fn warn(text: impl Into<String>) -> Self {
        Self {
            kind: FlashKind::Warn,
            text: text.into(),
        }
    }
    pub fn alert(text: impl Into<String>) -> Self {
        Self {
            kind: FlashKind::Alert,
            text: text.into(),
        }
    }
}

/// Who is signed in. Deliberately not a PIN proof: every handoff asks for the PIN again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub staff_id: StaffId,
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnrollField {
    Name,
    Pin,
    Repeat,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrollForm {
    pub name: String,
    pub pin: Pin,
    pub repeat: Pin,
    pub field: EnrollField,
}

impl PartialEq for Pin {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}
impl Eq for Pin {}

/// Choosing a staff member and typing their PIN: the lock screen, and the quit screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInForm {
    pub staff: Vec<StaffMember>,
    pub selected: usize,
    pub typed_number: String,
    pub pin: Pin,
    pub pin_focused: bool,
    /// Only managers may complete this form (the quit screen).
    pub managers_only: bool,
}

impl SignInForm {
    pub fn selected_staff(&self) -> Option<&StaffMember> {
        self.staff.get(self.selected)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Enroll(EnrollForm),
    Lock(SignInForm),
    Quit(SignInForm),
    Home,
    Delivery(Box<DeliveryFlow>),
    Pickup(Box<PickupFlow>),
    DropOff(Box<DropOffFlow>),
    Order(Box<OrderFlow>),
    DriverPickup(Box<DriverPickupFlow>),
    LocalDelivery(Box<LocalDeliveryFlow>),
    Search(Box<SearchView>),
    Ledger(Box<LedgerView>),
    Manager(Box<ManagerDesk>),
    /// The ledger cannot be written: nothing can be recorded, and the screen says why.
    ReadOnly,
}

/// What a running worker job is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pending {
    Enroll {
        job: u64,
        name: String,
    },
    SignIn {
        job: u64,
    },
    Quit {
        job: u64,
    },
    ConfirmDelivery {
        job: u64,
    },
    ConfirmPickup {
        job: u64,
    },
    /// Record whatever list flow is on screen.
    Counter {
        job: u64,
    },
    DeskEntry {
        job: u64,
    },
    DeskAct {
        job: u64,
    },
    DeskHash {
        job: u64,
    },
}

impl Pending {
    fn job(&self) -> u64 {
        match self {
            Pending::Enroll { job, .. }
            | Pending::SignIn { job }
            | Pending::Quit { job }
            | Pending::ConfirmDelivery { job }
            | Pending::ConfirmPickup { job }
            | Pending::Counter { job }
            | Pending::DeskEntry { job }
            | Pending::DeskAct { job }
            | Pending::DeskHash { job } => *job,
        }
    }
}

pub struct App {
    pub kiosk: Kiosk,
    pub clock: Arc<dyn Clock>,
    pub theme: Theme,
    pub screen: Screen,
    pub session: Option<Session>,
    pub help_open: bool,
    pub flash: Option<Flash>,
    pub home: HomeStats,
    pub should_quit: bool,
    /// Set by a second Esc press within a flow; cleared by any other key.
    pub(crate) esc_armed: bool,
    pub(crate) worker: Worker,
    next_job: u64,
    pub(crate) pending: Option<Pending>,
    pub(crate) last_activity: DateTime<Utc>,
    /// The PIN typed to enter the manager's desk.
    pub desk_entry_pin: Pin,
    checkpoint_day: NaiveDate,
    spinner_frame: usize,
}

impl App {
    pub fn new(
        kiosk: Kiosk,
        clock: Arc<dyn Clock>,
        theme: Theme,
        worker: Worker,
    ) -> Result<Self, StoreError> {
        let mut kiosk = kiosk;
        let now = clock.now();
        let checkpoint_day = kiosk.config.calendar.local_date(now);
        if !kiosk.store.is_read_only()
            && let Err(error) = kiosk.sign_overdue_checkpoint(now)
        {
            // Not fatal: the counter works, and `verify` names the days still unsigned.
            tracing::warn!(reason = %error, "could not sign the overdue checkpoint");
        }
        let mut app = Self {
            kiosk,
            clock,
            theme,
            screen: Screen::Home,
            session: None,
            help_open: false,
            flash: None,
            home: HomeStats::default(),
            should_quit: false,
            esc_armed: false,
            worker,
            next_job: 0,
            pending: None,
            last_activity: now,
            desk_entry_pin: Pin::default(),
            checkpoint_day,
            spinner_frame: 0,
        };
        app.screen = app.locked_screen()?;
        Ok(app)
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn is_busy(&self) -> bool {
        self.pending.is_some()
    }

    pub fn spinner(&self) -> char {
        const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
        FRAMES[self.spinner_frame % FRAMES.len()]
    }

    fn locked_screen(&self) -> Result<Screen, StoreError> {
        if self.kiosk.store.is_read_only() {
            return Ok(Screen::ReadOnly);
        }
        let staff = self.kiosk.store.list_staff()?;
        if staff.is_empty() {
            return Ok(Screen::Enroll(EnrollForm {
                name: String::new(),
                pin: Pin::default(),
                repeat: Pin::default(),
                field: EnrollField::Name,
            }));
        }
        Ok(Screen::Lock(SignInForm {
            staff,
            selected: 0,
            typed_number: String::new(),
            pin: Pin::default(),
            pin_focused: false,
            managers_only: false,
        }))
    }

    /// Reloads the home screen's figures (cheap, bounded queries).
    pub fn refresh_home(&mut self) {
        match HomeStats::load(&self.kiosk, self.now()) {
            Ok(stats) => self.home = stats,
            Err(error) => {
                self.flash = Some(Flash::alert(format!("Could not read the ledger: {error}")))
            }
        }
    }

    pub(crate) fn lock(&mut self, flash: Option<Flash>) {
        if self.session.is_some() {
            tracing::info!("screen locked");
        }
        self.session = None;
        self.pending = None;
        self.esc_armed = false;
        self.help_open = false;
        match self.locked_screen() {
            Ok(screen) => self.screen = screen,
            Err(error) => self.flash = Some(Flash::alert(error.to_string())),
        }
        if flash.is_some() {
            self.flash = flash;
        }
    }

    // -----------------------------------------------------------------------------------------
    // Events

    pub fn handle(&mut self, event: Event) {
        match event {
            Event::Key(key) => self.handle_key(key),
            Event::Resize => {}
            Event::Terminate(_) | Event::InputClosed(_) => self.should_quit = true,
            Event::Worker(result) => self.handle_job_result(result),
        }
        for result in self.worker.take_inline_results() {
            self.handle_job_result(result);
        }
    }

    fn handle_key(&mut self, key: KeyEvent) {
        self.last_activity = self.now();
        let control = key.modifiers.contains(KeyModifiers::CONTROL);
        // Ctrl-C, Ctrl-Z and Ctrl-\ arrive as keys in raw mode; in kiosk mode they end nothing.
        if control && matches!(key.code, KeyCode::Char('c' | 'z' | '\\' | 'd')) {
            if self.kiosk.config.security.kiosk_mode {
                self.flash = Some(Flash::warn(text::KIOSK_MODE_KEYS));
            } else if key.code == KeyCode::Char('c') {
                self.should_quit = true;
            }
            return;
        }
        if key.code == KeyCode::F(1) || (key.code == KeyCode::Char('?') && !self.typing_text()) {
            self.help_open = !self.help_open;
            return;
        }
        if self.help_open {
            if matches!(key.code, KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q')) {
                self.help_open = false;
            }
            return;
        }
        if self.pending.is_some() {
            // A PIN is being checked; keys wait (a scanner will not fire at a PIN screen).
            return;
        }
        let was_armed = std::mem::take(&mut self.esc_armed);
        match &self.screen {
            Screen::Enroll(_) => self.enroll_key(key),
            Screen::Lock(_) | Screen::Quit(_) => self.sign_in_key(key),
            Screen::Home => self.home_key(key),
            Screen::Delivery(_) => self.delivery_key(key, was_armed),
            Screen::Pickup(_) => self.pickup_key(key, was_armed),
            Screen::DropOff(_) => self.drop_off_key(key, was_armed),
            Screen::Order(_) => self.order_key(key, was_armed),
            Screen::DriverPickup(_) => self.driver_pickup_key(key, was_armed),
            Screen::LocalDelivery(_) => self.local_delivery_key(key, was_armed),
            Screen::Search(_) => self.search_key(key),
            Screen::Ledger(_) => self.ledger_key(key),
            Screen::Manager(_) => self.manager_key(key),
            Screen::ReadOnly => self.read_only_key(key),
        }
    }

    /// Whether the focused field takes free text (so `?` is a character there, not help).
    fn typing_text(&self) -> bool {
        match &self.screen {
            Screen::Enroll(form) => form.field == EnrollField::Name,
            Screen::Delivery(flow) => flow.step == DeliveryStep::Scanning,
            Screen::Pickup(flow) => matches!(flow.step, PickupStep::Parcels),
            Screen::DropOff(flow) => matches!(flow.list.step, Step::Setup | Step::Scanning),
            Screen::Order(flow) => matches!(flow.list.step, Step::Setup | Step::Scanning),
            Screen::DriverPickup(flow) => flow.list.step == Step::Scanning,
            Screen::LocalDelivery(flow) => flow.list.step == Step::Scanning,
            Screen::Search(_) => true,
            Screen::Manager(desk) => matches!(
                desk.page,
                DeskPage::StaffForm(_) | DeskPage::Import(_) | DeskPage::ShelfCheck(_)
            ),
            _ => false,
        }
    }

    /// Work that must not hold up the keys (the ledger view's chain check).
    pub(crate) fn submit_background(&mut self, job: Job) {
        if !self.worker.submit(job) {
            self.flash = Some(Flash::alert(
                "The background worker stopped; restart the kiosk.",
            ));
        }
    }

    pub(crate) fn next_job_id(&mut self) -> u64 {
        self.next_job += 1;
        self.next_job
    }

    // -----------------------------------------------------------------------------------------
    // First run and sign-in

    fn enroll_key(&mut self, key: KeyEvent) {
        let Screen::Enroll(form) = &mut self.screen else {
            return;
        };
        let policy = self.kiosk.config.security.pin_policy;
        match (key.code, form.field) {
            (KeyCode::Tab | KeyCode::Down, field)
            | (KeyCode::Enter, field @ (EnrollField::Name | EnrollField::Pin)) => {
                form.field = match field {
                    EnrollField::Name => EnrollField::Pin,
                    EnrollField::Pin => EnrollField::Repeat,
                    EnrollField::Repeat => EnrollField::Name,
                };
            }
            (KeyCode::BackTab | KeyCode::Up, field) => {
                form.field = match field {
                    EnrollField::Name => EnrollField::Repeat,
                    EnrollField::Pin => EnrollField::Name,
                    EnrollField::Repeat => EnrollField::Pin,
                };
            }
            (KeyCode::Backspace, EnrollField::Name) => {
                form.name.pop();
            }
            (KeyCode::Backspace, EnrollField::Pin) => form.pin.pop(),
            (KeyCode::Backspace, EnrollField::Repeat) => form.repeat.pop(),
            (KeyCode::Char(c), EnrollField::Name)
                if !is_disguising_char(c) && form.name.chars().count() < 40 =>
            {
                form.name.push(c);
            }
            (KeyCode::Char(c), EnrollField::Pin) if c.is_ascii_digit() && form.pin.len() < 12 => {
                form.pin.push(c)
            }
            (KeyCode::Char(c), EnrollField::Repeat)
                if c.is_ascii_digit() && form.repeat.len() < 12 =>
            {
                form.repeat.push(c)
            }
            (KeyCode::Enter, EnrollField::Repeat) => {
                let checked = crate::domain::staff::validate_display_name(&form.name)
                    .map_err(|e| e.to_string())
                    .and_then(|name| {
                        policy
                            .check_pair(&form.pin, &form.repeat)
                            .map(|()| name)
                            .map_err(|e| e.to_string())
                    });
                match checked {
                    Err(reason) => {
                        form.pin.clear();
                        form.repeat.clear();
                        form.field = EnrollField::Pin;
                        self.flash = Some(Flash::alert(format!(
                            "{} {}.",
                            text::SYMBOL_ALERT,
                            capitalised(&reason)
                        )));
                    }
                    Ok(name) => {
                        let pin = form.pin.clone();
                        form.pin.clear();
                        form.repeat.clear();
                        let job = self.next_job_id();
                        self.pending = Some(Pending::Enroll { job, name });
                        self.flash = None;
                        self.submit(Job::HashNewPin { job, pin, policy });
                    }
                }
            }
            _ => {}
        }
    }

    /// On a read-only ledger only quitting is possible (a manager's PIN in kiosk mode).
    fn read_only_key(&mut self, key: KeyEvent) {
        let kiosk_mode = self.kiosk.config.security.kiosk_mode;
        match key.code {
            KeyCode::F(10) if kiosk_mode => match self.kiosk.store.list_staff() {
                Ok(staff) => {
                    let selected = staff
                        .iter()
                        .position(|member| member.role == Role::Manager)
                        .unwrap_or(0);
                    self.screen = Screen::Quit(SignInForm {
                        staff,
                        selected,
                        typed_number: String::new(),
                        pin: Pin::default(),
                        pin_focused: false,
                        managers_only: true,
                    });
                }
                Err(error) => self.flash = Some(Flash::alert(error.to_string())),
            },
            KeyCode::F(10) | KeyCode::Char('q') if !kiosk_mode => self.should_quit = true,
            _ => {}
        }
    }

    pub(crate) fn submit(&mut self, job: Job) {
        if !self.worker.submit(job) {
            self.pending = None;
            self.flash = Some(Flash::alert("The PIN checker stopped; restart the kiosk."));
        }
    }

    fn sign_in_key(&mut self, key: KeyEvent) {
        let quitting = matches!(self.screen, Screen::Quit(_));
        let kiosk_mode = self.kiosk.config.security.kiosk_mode;
        // Staff may have been added or disabled from the command line meanwhile: choose from
        // the list as it is now (a handful of rows), keeping the current choice.
        let fresh_staff = self.kiosk.store.list_staff();
        let (Screen::Lock(form) | Screen::Quit(form)) = &mut self.screen else {
            return;
        };
        if let (Ok(staff), false) = (fresh_staff, form.pin_focused) {
            let chosen = form.selected_staff().map(|member| member.id);
            form.selected = chosen
                .and_then(|id| staff.iter().position(|member| member.id == id))
                .unwrap_or(0);
            form.staff = staff;
        }
        match key.code {
            KeyCode::F(10) if !quitting => {
                if kiosk_mode {
                    let mut quit_form = form.clone();
                    quit_form.pin.clear();
                    quit_form.pin_focused = false;
                    quit_form.managers_only = true;
                    quit_form.selected = quit_form
                        .staff
                        .iter()
                        .position(|s| s.role == Role::Manager)
                        .unwrap_or(0);
                    self.screen = Screen::Quit(quit_form);
                    self.flash = Some(Flash::warn("To quit the kiosk a manager enters their PIN."));
                } else {
                    self.should_quit = true;
                }
            }
            KeyCode::Char('q') if !kiosk_mode && !form.pin_focused => self.should_quit = true,
            KeyCode::Esc if quitting && !form.pin_focused => {
                self.lock(None);
            }
            _ if form.pin_focused => match edit_pin(&mut form.pin, key.code) {
                PinKey::Back => form.pin_focused = false,
                PinKey::Submit(pin) => {
                    let Some(member) = form.selected_staff().cloned() else {
                        return;
                    };
                    if quitting && member.role != Role::Manager {
                        self.flash = Some(Flash::alert("Only a manager can quit the kiosk."));
                        return;
                    }
                    self.start_pin_check(member.id, pin, |job| {
                        if quitting {
                            Pending::Quit { job }
                        } else {
                            Pending::SignIn { job }
                        }
                    });
                }
                PinKey::Edited | PinKey::Other => {}
            },
            KeyCode::Up => {
                form.selected = form.selected.saturating_sub(1);
                form.typed_number.clear();
            }
            KeyCode::Down => {
                form.selected = (form.selected + 1).min(form.staff.len().saturating_sub(1));
                form.typed_number.clear();
            }
            KeyCode::Char(c) if c.is_ascii_digit() => {
                form.typed_number.push(c);
                let number: i64 = form.typed_number.parse().unwrap_or(0);
                match form.staff.iter().position(|s| s.id.0 == number) {
                    Some(index) => form.selected = index,
                    None if form.typed_number.len() >= 4 => form.typed_number.clear(),
                    None => {}
                }
            }
            KeyCode::Enter | KeyCode::Tab => {
                form.typed_number.clear();
                form.pin_focused = true;
            }
            _ => {}
        }
    }

    /// The fast first half of a PIN check, then the slow half on the worker.
    pub(crate) fn start_pin_check(
        &mut self,
        staff_id: StaffId,
        pin: Pin,
        pending: impl FnOnce(u64) -> Pending,
    ) {
        let lockout = self.kiosk.config.security.lockout;
        match self
            .kiosk
            .store
            .begin_pin_check(staff_id, &lockout, self.now())
        {
            Err(error) => self.flash = Some(Flash::alert(error.to_string())),
            Ok(check) => {
                let job = self.next_job_id();
                self.pending = Some(pending(job));
                self.flash = None;
                self.submit(Job::CheckPin { job, check, pin });
            }
        }
    }

    fn handle_job_result(&mut self, result: JobResult) {
        if matches!(
            result,
            JobResult::Reported { .. }
                | JobResult::ExportProgress { .. }
                | JobResult::Exported { .. }
        ) {
            self.desk_job_result(&result);
            return;
        }
        if let JobResult::Verified { job, outcome } = &result {
            if let Screen::Ledger(view) = &mut self.screen
                && view.chain == (ChainState::Checking { job: *job })
            {
                view.chain = match outcome {
                    Ok(events) => ChainState::Verified { events: *events },
                    Err(reason) => ChainState::Failed(reason.clone()),
                };
            }
            return;
        }
        let Some(pending) = self.pending.clone() else {
            return;
        };
        if pending.job() != result.job() {
            return; // stale: the screen moved on
        }
        self.pending = None;
        match (pending, result) {
            (Pending::Enroll { name, .. }, JobResult::NewPinHashed { hash, .. }) => {
                self.finish_enrollment(&name, hash)
            }
            (Pending::DeskHash { .. }, JobResult::NewPinHashed { hash, .. }) => {
                self.desk_pin_hashed(hash)
            }
            (pending, JobResult::PinChecked { outcome, .. }) => {
                let lockout = self.kiosk.config.security.lockout;
                match self
                    .kiosk
                    .store
                    .finish_pin_check(outcome, &lockout, self.now())
                {
                    Ok(proof) => {
                        tracing::info!(staff = %proof.staff_id(), "PIN verified");
                        self.continue_with_proof(pending, proof)
                    }
                    Err(error) => {
                        tracing::warn!(reason = %error, "PIN refused");
                        self.flash = Some(Flash::alert(
                            format!(
                                "{error}. {}",
                                if matches!(
                                    pending,
                                    Pending::ConfirmDelivery { .. }
                                        | Pending::ConfirmPickup { .. }
                                        | Pending::Counter { .. }
                                        | Pending::DeskAct { .. }
                                ) {
                                    text::RECORDED_NOTHING
                                } else {
                                    ""
                                }
                            )
                            .trim()
                            .to_owned(),
                        ))
                    }
                }
            }
            _ => {}
        }
    }

    fn finish_enrollment(&mut self, name: &str, hash: Result<NewPinHash, String>) {
        let outcome = hash.and_then(|hash| {
            self.kiosk
                .store
                .add_staff(
                    name,
                    Role::Manager,
                    &hash,
                    crate::store::Actor::AdminCommandLine,
                    self.now(),
                )
                .map_err(|e| e.to_string())
        });
        match outcome {
            Ok(id) => {
                self.lock(Some(Flash::ok(format!(
                    "{} {name} is manager number {id}. Sign in with the new PIN.",
                    text::SYMBOL_OK
                ))));
            }
            Err(reason) => self.flash = Some(Flash::alert(reason)),
        }
    }

    fn continue_with_proof(&mut self, pending: Pending, proof: PinProof) {
        match pending {
            Pending::SignIn { .. } => {
                self.session = Some(Session {
                    staff_id: proof.staff_id(),
                    name: proof.display_name().to_owned(),
                    role: proof.role(),
                });
                self.screen = Screen::Home;
                self.flash = Some(Flash::ok(format!("Signed in as {}.", proof.display_name())));
                self.refresh_home();
            }
            Pending::Quit { .. } => {
                if proof.role() == Role::Manager {
                    self.should_quit = true;
                } else {
                    self.flash = Some(Flash::alert("Only a manager can quit the kiosk."));
                }
            }
            Pending::ConfirmDelivery { .. } => self.record_delivery(&proof),
            Pending::ConfirmPickup { .. } => self.record_pickup(&proof),
            Pending::Counter { .. } => match &self.screen {
                Screen::DropOff(_) => self.record_drop_off(&proof),
                Screen::Order(_) => self.record_order(&proof),
                Screen::DriverPickup(_) => self.record_driver_pickup(&proof),
                Screen::LocalDelivery(_) => self.record_local_delivery(&proof),
                _ => {}
            },
            Pending::DeskEntry { .. } => self.desk_entered(&proof),
            Pending::DeskAct { .. } => self.perform_desk_act(&proof),
            Pending::DeskHash { .. } => {}
            Pending::Enroll { .. } => {}
        }
    }

    // -----------------------------------------------------------------------------------------
    // Home

    fn home_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Char('d' | 'D') => self.start_delivery(),
            KeyCode::Char('p' | 'P') => self.start_pickup(),
            KeyCode::Char('o' | 'O') => self.start_drop_off(),
            KeyCode::Char('s' | 'S') => self.start_order(),
            KeyCode::Char('t' | 'T') => self.start_driver_pickup(),
            KeyCode::Char('v' | 'V') => self.start_local_delivery(),
            KeyCode::Char('f' | 'F') | KeyCode::Char('/') => self.start_search(),
            KeyCode::Char('e' | 'E') => self.start_ledger_view(),
            KeyCode::Char('m' | 'M') => self.open_manager_desk(),
            KeyCode::Char('l' | 'L') | KeyCode::Esc => self.lock(Some(Flash::ok("Locked."))),
            KeyCode::Char('r' | 'R') => self.refresh_home(),
            KeyCode::F(10) | KeyCode::Char('q') => {
                if self.kiosk.config.security.kiosk_mode {
                    self.flash = Some(Flash::warn(
                        "To quit, lock the screen (L) and press F10: a manager's PIN is needed.",
                    ));
                } else {
                    self.should_quit = true;
                }
            }
            _ => {}
        }
    }

    pub(crate) fn session_staff(&self) -> Option<StaffId> {
        self.session.as_ref().map(|session| session.staff_id)
    }

    // -----------------------------------------------------------------------------------------
    // Driver delivery

    fn start_delivery(&mut self) {
        match self.new_delivery_token() {
            Ok((token, symbol)) => {
                self.screen = Screen::Delivery(Box::new(DeliveryFlow::new(token, symbol)));
                self.flash = None;
            }
            Err(error) => {
                self.flash = Some(Flash::alert(format!(
                    "Cannot show the driver's code: {error}"
                )))
            }
        }
    }

    fn new_delivery_token(
        &self,
    ) -> Result<(crate::domain::handshake::IssuedToken, QrSymbol), String> {
        let token = self
            .kiosk
            .issue_handshake(Direction::DeliveryToStore, None, self.now())
            .map_err(|e| e.to_string())?;
        let symbol = QrSymbol::encode(&token.text).map_err(|e| e.to_string())?;
        Ok((token, symbol))
    }

    fn delivery_key(&mut self, key: KeyEvent, esc_armed: bool) {
        let now = self.now();
        let Screen::Delivery(flow) = &mut self.screen else {
            return;
        };
        match (flow.step, key.code) {
            (DeliveryStep::Qr, KeyCode::Enter) => {
                // The driver has scanned: the token must still be valid at this moment.
                match self.kiosk.claim_token(&flow.token.token_id(), now) {
                    Ok(()) => {
                        flow.step = DeliveryStep::Scanning;
                        self.flash = Some(Flash::ok(
                            "Scan each parcel. Enter on an empty line when all are scanned.",
                        ));
                    }
                    Err(error) => self.flash = Some(Flash::alert(format!("{error}"))),
                }
            }
            (DeliveryStep::Qr, KeyCode::Esc)
            | (DeliveryStep::Done, KeyCode::Enter | KeyCode::Esc) => self.go_home(),
            (DeliveryStep::Scanning, KeyCode::Char(_) | KeyCode::Tab) => {
                flow.scan.push_key(&key);
            }
            (DeliveryStep::Scanning, KeyCode::Backspace) => flow.scan.backspace(),
            (DeliveryStep::Scanning, KeyCode::Up) => {
                flow.selected = flow.selected.saturating_sub(1)
            }
            (DeliveryStep::Scanning, KeyCode::Down) => {
                flow.selected = (flow.selected + 1).min(flow.lines.len().saturating_sub(1))
            }
            (DeliveryStep::Scanning, KeyCode::F(2)) => {
                if let Some(line) = flow.lines.get_mut(flow.selected) {
                    line.refused_damaged = !line.refused_damaged;
                }
            }
            (DeliveryStep::Scanning, KeyCode::Delete) if flow.selected < flow.lines.len() => {
                let removed = flow.lines.remove(flow.selected);
                flow.selected = flow.selected.min(flow.lines.len().saturating_sub(1));
                self.flash = Some(Flash::warn(format!(
                    "{} removed from this delivery.",
                    removed.tracking_id
                )));
            }
            (DeliveryStep::Scanning, KeyCode::Enter) => match flow.scan.take() {
                Err(reason) => self.flash = Some(Flash::alert(reason)),
                Ok(scanned) if scanned.trim().is_empty() => {
                    if flow.lines.is_empty() {
                        self.flash = Some(Flash::warn("Scan at least one parcel first."));
                    } else {
                        flow.step = DeliveryStep::ConfirmPin;
                        flow.pin.clear();
                        self.flash = None;
                    }
                }
                Ok(scanned) => self.add_delivery_scan(&scanned),
            },
            (DeliveryStep::Scanning, KeyCode::Esc) if !flow.scan.is_empty() => {
                let _ = flow.scan.take();
                self.flash = Some(Flash::warn("Scan line cleared."));
            }
            (DeliveryStep::Scanning, KeyCode::Esc) => self.discard_or_arm(esc_armed),
            (DeliveryStep::ConfirmPin, code) => match edit_pin(&mut flow.pin, code) {
                PinKey::Back => flow.step = DeliveryStep::Scanning,
                PinKey::Submit(pin) => {
                    if let Some(staff_id) = self.session_staff() {
                        self.start_pin_check(staff_id, pin, |job| Pending::ConfirmDelivery { job });
                    }
                }
                PinKey::Edited | PinKey::Other => {}
            },
            _ => {}
        }
    }

    pub(crate) fn discard_or_arm(&mut self, armed: bool) {
        if armed {
            self.go_home();
            self.flash = Some(Flash::warn(format!(
                "Handoff discarded. {}",
                text::RECORDED_NOTHING
            )));
        } else {
            self.esc_armed = true;
            self.flash = Some(Flash::warn(text::ESC_AGAIN));
        }
    }

    pub(crate) fn go_home(&mut self) {
        self.screen = Screen::Home;
        self.flash = None;
        self.refresh_home();
    }

    fn add_delivery_scan(&mut self, scanned: &str) {
        let tracking_id = match TrackingId::parse(scanned) {
            Ok(id) => id,
            Err(reason) => {
                self.flash = Some(Flash::alert(format!(
                    "{} Not a parcel label: {reason}.",
                    text::SYMBOL_ALERT
                )));
                return;
            }
        };
        let Screen::Delivery(flow) = &mut self.screen else {
            return;
        };
        if let Some(index) = flow
            .lines
            .iter()
            .position(|line| line.tracking_id == tracking_id)
        {
            flow.selected = index;
            self.flash = Some(Flash::warn(format!(
                "{} {tracking_id} is already in this delivery (duplicate scan).",
                text::SYMBOL_WARN
            )));
            return;
        }
        let store = &self.kiosk.store;
        let looked_up = store
            .parcel(&tracking_id)
            .and_then(|parcel| Ok((parcel, store.expected_parcel(&tracking_id)?)));
        match looked_up {
            Err(error) => self.flash = Some(Flash::alert(error.to_string())),
            Ok((Some(parcel), _)) if parcel.status.in_store_custody() => {
                self.flash = Some(Flash::alert(format!(
                    "{} {tracking_id} is already held here ({}, shelf {}); it cannot be received twice.",
                    text::SYMBOL_ALERT,
                    parcel.status.label(),
                    parcel.shelf
                )));
            }
            Ok((_, expected)) => {
                let recipient = expected.map(|(name, _)| name).unwrap_or_default();
                let shelf = suggest_shelf(&recipient);
                let announced = !recipient.is_empty();
                flow.lines.push(DeliveryLine {
                    tracking_id: tracking_id.clone(),
                    recipient,
                    shelf: shelf.clone(),
                    refused_damaged: false,
                    new_pickup_code: None,
                });
                flow.selected = flow.lines.len() - 1;
                self.flash = Some(Flash::ok(format!(
                    "{} {tracking_id} {} -> shelf {shelf}",
                    text::SYMBOL_OK,
                    if announced {
                        "expected"
                    } else {
                        "unannounced (a pickup code will be made)"
                    }
                )));
            }
        }
    }

    fn record_delivery(&mut self, proof: &PinProof) {
        let Screen::Delivery(flow) = &self.screen else {
            return;
        };
        let driver = Counterparty {
            kind: CounterpartyKind::Driver,
            reference: String::new(),
        };
        let token_id = Some(flow.token.token_id());
        let (refused, accepted): (Vec<&DeliveryLine>, Vec<&DeliveryLine>) =
            flow.lines.iter().partition(|line| line.refused_damaged);
        let mut requests = Vec::new();
        if !accepted.is_empty() {
            requests.push(HandoffRequest {
                kind: EventKind::DriverDelivery,
                counterparty: driver.clone(),
                items: accepted
                    .iter()
                    .map(|line| HandoffItem::on_shelf(line.tracking_id.clone(), &line.shelf))
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
        let (accepted_count, refused_count) = (accepted.len(), refused.len());
        match self.kiosk.record(proof, &requests, self.now()) {
            Ok(receipt) => {
                let Screen::Delivery(flow) = &mut self.screen else {
                    return;
                };
                flow.step = DeliveryStep::Done;
                for (tracking_id, code) in &receipt.generated_codes {
                    if let Some(line) = flow
                        .lines
                        .iter_mut()
                        .find(|line| &line.tracking_id == tracking_id)
                    {
                        line.new_pickup_code = Some(code.expose().to_owned());
                    }
                }
                flow.receipt = Some(super::screens::delivery::DeliveryReceipt {
                    received: accepted_count,
                    refused: refused_count,
                    on_hand: receipt.on_hand,
                    over_capacity: receipt.over_capacity(),
                });
                self.flash = Some(Flash::ok(format!(
                    "{} Recorded: {accepted_count} parcels received{}.",
                    text::SYMBOL_OK,
                    if refused_count > 0 {
                        format!(", {refused_count} refused as damaged")
                    } else {
                        String::new()
                    }
                )));
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

    // -----------------------------------------------------------------------------------------
    // Customer pickup

    fn start_pickup(&mut self) {
        self.screen = Screen::Pickup(Box::default());
        self.flash = Some(Flash::ok("Type or scan the customer's pickup code."));
    }

    fn pickup_key(&mut self, key: KeyEvent, esc_armed: bool) {
        let Screen::Pickup(flow) = &mut self.screen else {
            return;
        };
        match (flow.step, key.code) {
            (PickupStep::Code, KeyCode::Char(_) | KeyCode::Tab) => {
                flow.code.push_key(&key);
            }
            (PickupStep::Code, KeyCode::Backspace) => flow.code.backspace(),
            (PickupStep::Code, KeyCode::Esc)
            | (PickupStep::Done, KeyCode::Enter | KeyCode::Esc) => self.go_home(),
            (PickupStep::Code, KeyCode::Enter) => {
                let entered = flow.code.take();
                self.lookup_pickup_code(entered);
            }
            (PickupStep::Parcels, KeyCode::Char(_) | KeyCode::Tab) => {
                flow.scan.push_key(&key);
            }
            (PickupStep::Parcels, KeyCode::Backspace) => flow.scan.backspace(),
            (PickupStep::Parcels, KeyCode::Up) => flow.selected = flow.selected.saturating_sub(1),
            (PickupStep::Parcels, KeyCode::Down) => {
                flow.selected = (flow.selected + 1).min(flow.lines.len().saturating_sub(1))
            }
            (PickupStep::Parcels, KeyCode::F(4)) => flow.mark_selected(LineState::UnableToFind),
            (PickupStep::Parcels, KeyCode::F(6)) => flow.mark_selected(LineState::CustomerRefused),
            (PickupStep::Parcels, KeyCode::Esc) if !flow.scan.is_empty() => {
                let _ = flow.scan.take();
                self.flash = Some(Flash::warn("Scan line cleared."));
            }
            (PickupStep::Parcels, KeyCode::Esc) => self.discard_or_arm(esc_armed),
            (PickupStep::Parcels, KeyCode::Enter) => match flow.scan.take() {
                Err(reason) => self.flash = Some(Flash::alert(reason)),
                Ok(scanned) if scanned.trim().is_empty() => {
                    if flow
                        .lines
                        .iter()
                        .any(|line| line.state != LineState::Waiting)
                    {
                        flow.step = PickupStep::ConfirmPin;
                        flow.pin.clear();
                        self.flash = None;
                    } else {
                        self.flash = Some(Flash::warn(
                            "Scan each parcel as you hand it over (or mark it with F4/F6) first.",
                        ));
                    }
                }
                Ok(scanned) => {
                    let outcome = flow.scan_handed_over(&scanned);
                    self.flash = Some(outcome);
                }
            },
            (PickupStep::ConfirmPin, code) => match edit_pin(&mut flow.pin, code) {
                PinKey::Back => flow.step = PickupStep::Parcels,
                PinKey::Submit(pin) => {
                    if let Some(staff_id) = self.session_staff() {
                        self.start_pin_check(staff_id, pin, |job| Pending::ConfirmPickup { job });
                    }
                }
                PinKey::Edited | PinKey::Other => {}
            },
            _ => {}
        }
    }

    fn lookup_pickup_code(&mut self, entered: Result<String, String>) {
        let code =
            match entered.and_then(|text| PickupCode::parse(&text).map_err(|e| e.to_string())) {
                Ok(code) => code,
                Err(reason) => {
                    self.flash = Some(Flash::alert(format!("{} {reason}.", text::SYMBOL_ALERT)));
                    return;
                }
            };
        match self.kiosk.store.parcels_for_code(&code, &self.kiosk.codes) {
            Err(error) => self.flash = Some(Flash::alert(error.to_string())),
            Ok(parcels) if parcels.is_empty() => {
                self.flash = Some(Flash::alert(format!(
                    "{} No parcels wait for this code. Check the code with the customer.",
                    text::SYMBOL_ALERT
                )));
            }
            Ok(parcels) => {
                let Screen::Pickup(flow) = &mut self.screen else {
                    return;
                };
                let count = parcels.len();
                flow.load(parcels);
                self.flash = Some(Flash::ok(format!(
                    "{count} parcel(s) for {}. Scan each as you hand it over.",
                    flow.customer
                )));
            }
        }
    }

    fn record_pickup(&mut self, proof: &PinProof) {
        let Screen::Pickup(flow) = &self.screen else {
            return;
        };
        let customer = Counterparty {
            kind: CounterpartyKind::Customer,
            reference: flow.customer.clone(),
        };
        let mut requests = Vec::new();
        for (state, kind, detail) in [
            (LineState::HandedOver, EventKind::CustomerPickup, ""),
            (
                LineState::UnableToFind,
                EventKind::UnableToFind,
                "not found on the shelf at pickup",
            ),
            (
                LineState::CustomerRefused,
                EventKind::CustomerRefused,
                "refused by the customer at the counter",
            ),
        ] {
            let items: Vec<HandoffItem> = flow
                .lines
                .iter()
                .filter(|line| line.state == state)
                .map(|line| HandoffItem::with_detail(line.parcel.tracking_id.clone(), detail))
                .collect();
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
        let handed = flow
            .lines
            .iter()
            .filter(|line| line.state == LineState::HandedOver)
            .count();
        let exceptions = flow
            .lines
            .iter()
            .filter(|line| {
                matches!(
                    line.state,
                    LineState::UnableToFind | LineState::CustomerRefused
                )
            })
            .count();
        match self.kiosk.record(proof, &requests, self.now()) {
            Ok(_) => {
                let Screen::Pickup(flow) = &mut self.screen else {
                    return;
                };
                flow.step = PickupStep::Done;
                self.flash = Some(Flash::ok(format!(
                    "{} Recorded: {handed} parcel(s) handed over{}.",
                    text::SYMBOL_OK,
                    if exceptions > 0 {
                        format!(", {exceptions} exception(s)")
                    } else {
                        String::new()
                    }
                )));
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

    // -----------------------------------------------------------------------------------------
    // Time

    /// Does whatever time makes due: idle lock, token rotation, the end-of-day checkpoint.
    pub fn tick(&mut self) {
        let now = self.now();
        let checking = matches!(&self.screen, Screen::Ledger(view) if matches!(view.chain, ChainState::Checking { .. }))
            || matches!(&self.screen, Screen::Manager(desk) if matches!(desk.page, DeskPage::Report { text: None, .. } | DeskPage::Export { job: Some(_), .. }));
        if self.pending.is_some() || checking {
            self.spinner_frame = self.spinner_frame.wrapping_add(1);
        }
        let idle_for = now - self.last_activity;
        let has_something_to_lose = self.session.is_some()
            || matches!(&self.screen, Screen::Lock(form) | Screen::Quit(form) if !form.pin.is_empty())
            || matches!(self.screen, Screen::Quit(_));
        if has_something_to_lose && idle_for >= self.kiosk.config.security.idle_lock {
            self.last_activity = now;
            self.lock(Some(Flash::warn(text::IDLE_LOCKED)));
        }
        if let Screen::Delivery(flow) = &mut self.screen
            && flow.step == DeliveryStep::Qr
            && needs_rotation(&flow.token.claims, now)
        {
            match self
                .kiosk
                .issue_handshake(Direction::DeliveryToStore, None, now)
            {
                Ok(token) => {
                    if let Ok(symbol) = QrSymbol::encode(&token.text) {
                        flow.token = token;
                        flow.symbol = symbol;
                    }
                }
                Err(error) => {
                    self.flash = Some(Flash::alert(format!(
                        "Cannot renew the driver's code: {error}"
                    )))
                }
            }
        }
        self.rotate_pickup_token(now);
        let today = self.kiosk.config.calendar.local_date(now);
        if today != self.checkpoint_day {
            self.write_day_checkpoint(today);
        }
    }

    /// Signs the ledger's head when a store day ends, so a later cut-off tail is caught.
    fn write_day_checkpoint(&mut self, today: NaiveDate) {
        tracing::info!(day = %today, "signing the end-of-day checkpoint");
        let store_id = self.kiosk.config.store.id.to_string();
        let now = self.now();
        match self
            .kiosk
            .store
            .write_checkpoint(&self.kiosk.key, &store_id, now)
        {
            Ok(_) => self.checkpoint_day = today,
            Err(error) => {
                self.flash = Some(Flash::alert(format!(
                    "The end-of-day checkpoint failed: {error}"
                )))
            }
        }
        if matches!(self.screen, Screen::Home) {
            self.refresh_home();
        }
    }

    /// Writes a checkpoint on the way out, so the last events are covered by a signature.
    pub fn shutdown(&mut self) {
        let store_id = self.kiosk.config.store.id.to_string();
        let now = self.now();
        let _ = self
            .kiosk
            .store
            .write_checkpoint(&self.kiosk.key, &store_id, now);
    }

    /// The next instant something on screen or in the state changes by itself. The loop sleeps
    /// until then unless input arrives, so an idle kiosk uses no CPU.
    pub fn next_deadline(&self) -> DateTime<Utc> {
        let now = self.now();
        let next_minute = now
            .with_second(0)
            .and_then(|t| t.with_nanosecond(0))
            .map_or(now + Duration::minutes(1), |t| t + Duration::minutes(1));
        let mut deadline = next_minute;
        if self.pending.is_some() {
            deadline = deadline.min(now + Duration::milliseconds(120));
        }
        if self.session.is_some() || matches!(self.screen, Screen::Quit(_)) {
            deadline = deadline.min(self.last_activity + self.kiosk.config.security.idle_lock);
        }
        if let Screen::Delivery(flow) = &self.screen
            && flow.step == DeliveryStep::Qr
        {
            deadline = deadline.min(rotation_due_at(&flow.token.claims));
        }
        if let Screen::DriverPickup(flow) = &self.screen
            && flow.list.step == Step::Qr
            && let Some((token, _)) = &flow.handshake
        {
            deadline = deadline.min(rotation_due_at(&token.claims));
        }
        if matches!(&self.screen, Screen::Manager(desk) if matches!(desk.page, DeskPage::Report { text: None, .. } | DeskPage::Export { job: Some(_), .. }))
        {
            deadline = deadline.min(now + Duration::milliseconds(120));
        }
        if let Screen::Ledger(view) = &self.screen
            && matches!(view.chain, ChainState::Checking { .. })
        {
            deadline = deadline.min(now + Duration::milliseconds(120));
        }
        let tomorrow = self.kiosk.config.calendar.local_date(now).succ_opt();
        if let Some(day) = tomorrow {
            deadline = deadline.min(self.kiosk.config.calendar.start_of_day(day));
        }
        deadline.max(now)
    }
}

fn capitalised(text: &str) -> String {
    let mut characters = text.chars();
    characters.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(characters).collect()
    })
}

/// What a key did to a PIN field.
pub(crate) enum PinKey {
    Edited,
    /// Enter: the PIN as typed; the field is already wiped.
    Submit(Pin),
    /// Esc: the field is wiped.
    Back,
    Other,
}

/// The one way every PIN field (sign-in, confirm, quit) takes keys: digits only, at most 12.
pub(crate) fn edit_pin(pin: &mut Pin, code: KeyCode) -> PinKey {
    match code {
        KeyCode::Char(c) if c.is_ascii_digit() => {
            if pin.len() < crate::domain::pin::PIN_MAX_LEN {
                pin.push(c);
            }
            PinKey::Edited
        }
        KeyCode::Backspace => {
            pin.pop();
            PinKey::Edited
        }
        KeyCode::Enter => {
            let typed = pin.clone();
            pin.clear();
            PinKey::Submit(typed)
        }
        KeyCode::Esc => {
            pin.clear();
            PinKey::Back
        }
        _ => PinKey::Other,
    }
}
