//! The kiosk's state and everything that changes it: the current screen, the session, the
//! message line, and the effects. Keys go to the screen or flow on display; a flow answers with
//! an [`Action`], which the app performs (store writes inline, argon2 on the worker). A worker
//! job carries what it is for ([`Then`]), so its result is never matched to whatever screen
//! happens to be current.

use std::any::Any;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

mod desk_acts;
mod desk_keys;
mod ledger_keys;
pub mod printing;
mod results;
mod search_keys;
mod timekeeping;

use crate::domain::chain::Fact;
use crate::domain::clock::Clock;
use crate::domain::handoff::HandoffRequest;
use crate::domain::ids::StaffId;
use crate::domain::pin::Pin;
use crate::domain::staff::Role;
use crate::i18n::Lang;
use crate::service::Kiosk;
use crate::store::StoreError;
use crate::tui::action::{Action, Outcome};
use crate::tui::event::Event;
use crate::tui::flows::{Flow, Lookup, flow_for_key};
use crate::tui::message::{Message, MessageKind};
use crate::tui::screens::desk::{DeskAct, DeskPage, ManagerDesk, StaffFormIntent};
use crate::tui::screens::home::HomeStats;
use crate::tui::screens::ledger::LedgerView;
use crate::tui::screens::search::SearchView;
use crate::tui::screens::signin::{EnrollForm, EnrollKey, SignInForm, SignInKey};
use crate::tui::text;
use crate::tui::theme::Theme;
use crate::tui::view::View;
use crate::tui::worker::{Job, Worker};

/// Who is signed in. Deliberately not a PIN proof: every handoff asks for the PIN again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub staff_id: StaffId,
    pub name: String,
    pub role: Role,
    /// The clerk's language: the counter speaks it from sign-in.
    pub lang: Lang,
}

#[derive(Debug)]
pub enum Screen {
    Enroll(EnrollForm),
    Lock(SignInForm),
    Quit(SignInForm),
    Home,
    /// A counter flow (delivery, pickup, drop-off, ...): see `tui/flows`.
    Flow(Box<dyn Flow>),
    Search(Box<SearchView>),
    Ledger(Box<LedgerView>),
    Manager(Box<ManagerDesk>),
    /// The ledger cannot be written: nothing can be recorded, and the screen says why.
    ReadOnly,
}

/// What a worker job is for: carried with the job, acted on when its result arrives.
#[derive(Debug)]
pub(crate) enum Then {
    Enroll {
        name: String,
        lang: Lang,
    },
    SignIn,
    Quit,
    /// Record these requests of the flow on screen (each with its event's facts) under the
    /// PIN's proof.
    Record(Vec<(HandoffRequest, Vec<Fact>)>),
    DeskEntry,
    DeskAct(DeskAct),
    /// A new PIN for the desk's staff form is hashed; the act then waits for the manager's PIN.
    StaffPinHashed(StaffFormIntent),
}

#[derive(Debug)]
pub(crate) struct Pending {
    pub(crate) job: u64,
    pub(crate) then: Then,
}

pub struct App {
    pub kiosk: Kiosk,
    pub clock: Arc<dyn Clock>,
    pub theme: Theme,
    pub screen: Screen,
    pub session: Option<Session>,
    pub help_open: bool,
    pub message: Option<Message>,
    /// An alert was said and the bell has not rung for it yet.
    bell_pending: bool,
    pub home: HomeStats,
    pub should_quit: bool,
    /// Set by a first Esc that would discard a flow's work; cleared by any other key.
    esc_armed: bool,
    pub(crate) worker: Worker,
    next_job: u64,
    pub(crate) pending: Option<Pending>,
    pub(crate) last_activity: DateTime<Utc>,
    /// The PIN typed to enter the manager's desk.
    pub desk_entry_pin: Pin,
    pub(crate) checkpoint_day: NaiveDate,
    pub(crate) spinner_frame: usize,
    /// Slips on their way to the printer, by job.
    pub(crate) printing: std::collections::HashMap<u64, crate::print::Slip>,
    /// Slips that did not print, waiting for F9.
    pub(crate) failed_prints: Vec<crate::print::Slip>,
    /// The live link to head office, when `[head_office]` is configured.
    pub link: Option<crate::link::LinkHandle>,
    /// The customer's language for the handoff under way, when F12 chose one; cleared when
    /// the counter goes home or locks.
    pub customer_lang: Option<Lang>,
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
        let demo_data = kiosk.store.meta("demo_data").ok().flatten().is_some();
        let mut app = Self {
            kiosk,
            clock,
            theme,
            screen: Screen::Home,
            session: None,
            help_open: false,
            message: None,
            bell_pending: false,
            // Said on every screen from the first frame (one indexed row).
            home: HomeStats {
                demo_data,
                ..HomeStats::default()
            },
            should_quit: false,
            esc_armed: false,
            worker,
            next_job: 0,
            pending: None,
            last_activity: now,
            desk_entry_pin: Pin::default(),
            checkpoint_day,
            spinner_frame: 0,
            printing: std::collections::HashMap::new(),
            failed_prints: Vec::new(),
            link: None,
            customer_lang: None,
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

    /// What screens and flows may read while drawing.
    pub fn view(&self) -> View<'_> {
        View {
            theme: &self.theme,
            config: &self.kiosk.config,
            now: self.now(),
            busy: self.is_busy().then(|| self.spinner()),
            spinner: self.spinner(),
            lang: self.lang(),
            customer_lang: self.customer_lang(),
        }
    }

    /// The language the counter speaks now: the clerk's, or the counter's own when locked
    /// (on the enrolment form, the one chosen there; on the lock screen, once someone has
    /// chosen themselves and types their PIN, theirs, so a refusal reaches them in it).
    pub fn lang(&self) -> Lang {
        match &self.screen {
            Screen::Enroll(form) => return form.lang,
            Screen::Lock(form) | Screen::Quit(form) if form.pin_focused => {
                if let Some(lang) = form.selected_staff().and_then(|member| member.lang) {
                    return lang;
                }
            }
            _ => {}
        }
        self.session
            .as_ref()
            .map_or(self.kiosk.config.counter.language, |session| session.lang)
    }

    /// The language of what the customer reads (and the slips) in this handoff.
    pub fn customer_lang(&self) -> Lang {
        self.customer_lang.unwrap_or_else(|| self.lang())
    }

    /// F12: what the customer reads, and the slips, switch to the next language until the
    /// handoff ends.
    fn switch_customer_lang(&mut self) {
        let lang = self.customer_lang().next();
        self.customer_lang = Some(lang);
        self.say(Message::info(crate::t!(
            self.lang(),
            "customer-language",
            language = lang.name()
        )));
    }

    /// The counter flow on screen, if it is a `T` (for tests and the status line).
    pub fn flow<T: Flow>(&self) -> Option<&T> {
        match &self.screen {
            Screen::Flow(flow) => {
                let flow: &dyn Any = flow.as_ref();
                flow.downcast_ref::<T>()
            }
            _ => None,
        }
    }

    pub(crate) fn say(&mut self, message: Message) {
        if message.kind == MessageKind::Alert && self.kiosk.config.counter.bell {
            self.bell_pending = true;
        }
        self.message = Some(message);
    }

    /// Whether an alert was said since the last call: the loop rings the terminal bell once
    /// for a burst of them.
    pub fn take_bell(&mut self) -> bool {
        std::mem::take(&mut self.bell_pending)
    }

    fn locked_screen(&self) -> Result<Screen, StoreError> {
        if self.kiosk.store.is_read_only() {
            return Ok(Screen::ReadOnly);
        }
        let staff = self.kiosk.store.list_staff()?;
        if staff.is_empty() {
            return Ok(Screen::Enroll(EnrollForm::new(
                self.kiosk.config.counter.language,
            )));
        }
        Ok(Screen::Lock(SignInForm::new(staff, false)))
    }

    /// Reloads the home screen's figures (cheap, bounded queries).
    pub fn refresh_home(&mut self) {
        match HomeStats::load(&self.kiosk, self.now()) {
            Ok(stats) => self.home = stats,
            Err(error) => self.say(Message::alert(crate::t!(
                self.lang(),
                "app-ledger-unreadable",
                error = self.refusal_words(&error)
            ))),
        }
    }

    pub(crate) fn lock(&mut self, message: Option<Message>) {
        if self.session.is_some() {
            tracing::info!("screen locked");
        }
        self.session = None;
        self.customer_lang = None;
        self.pending = None;
        self.esc_armed = false;
        self.help_open = false;
        match self.locked_screen() {
            Ok(screen) => self.screen = screen,
            Err(error) => self.say(Message::alert(self.refusal_words(&error))),
        }
        if message.is_some() {
            self.message = message;
        }
    }

    pub(crate) fn go_home(&mut self) {
        self.screen = Screen::Home;
        self.customer_lang = None;
        self.message = None;
        self.refresh_home();
    }

    pub(crate) fn session_staff(&self) -> Option<StaffId> {
        self.session.as_ref().map(|session| session.staff_id)
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
        // A result may submit more work (a record's slips to print): handled in turn too.
        loop {
            let results = self.worker.take_inline_results();
            if results.is_empty() {
                break;
            }
            for result in results {
                self.handle_job_result(result);
            }
        }
    }

    /// Work deferred until a burst of input has been taken in: a scanner types a whole label
    /// before the search runs once for it. The run loop calls this after draining the queue.
    pub fn settle(&mut self) {
        if let Screen::Search(view) = &mut self.screen
            && let Err(error) = view.run_query_if_stale(&self.kiosk.store)
        {
            self.say(Message::alert(self.refusal_words(&error)));
        }
    }

    fn handle_key(&mut self, key: KeyEvent) {
        self.last_activity = self.now();
        let control = key.modifiers.contains(KeyModifiers::CONTROL);
        // Ctrl-C, Ctrl-Z and Ctrl-\ arrive as keys in raw mode; in kiosk mode they end nothing.
        if control && matches!(key.code, KeyCode::Char('c' | 'z' | '\\' | 'd')) {
            if self.kiosk.config.security.kiosk_mode {
                self.say(Message::warn(text::kiosk_mode_keys(self.lang())));
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
        if key.code == KeyCode::F(9) && self.session.is_some() && !self.failed_prints.is_empty() {
            return self.print_failed_again();
        }
        if key.code == KeyCode::F(12) && self.session.is_some() {
            return self.switch_customer_lang();
        }
        let was_armed = std::mem::take(&mut self.esc_armed);
        match &self.screen {
            Screen::Enroll(_) => self.enroll_key(key),
            Screen::Lock(_) | Screen::Quit(_) => self.sign_in_key(key),
            Screen::Home => self.home_key(key),
            Screen::Flow(_) => self.flow_key(key, was_armed),
            Screen::Search(_) => self.search_key(key),
            Screen::Ledger(_) => self.ledger_key(key),
            Screen::Manager(_) => self.manager_key(key),
            Screen::ReadOnly => self.read_only_key(key),
        }
    }

    /// Whether the focused field takes free text (so `?` is a character there, not help).
    fn typing_text(&self) -> bool {
        match &self.screen {
            Screen::Enroll(form) => form.field == crate::tui::screens::signin::EnrollField::Name,
            Screen::Flow(flow) => flow.takes_text(),
            Screen::Search(_) => true,
            Screen::Manager(desk) => matches!(
                desk.page,
                DeskPage::StaffForm(_)
                    | DeskPage::Import(_)
                    | DeskPage::ShelfCheck(_)
                    | DeskPage::Correct(_)
            ),
            Screen::Lock(_) | Screen::Quit(_) | Screen::Home | Screen::Ledger(_) => false,
            Screen::ReadOnly => false,
        }
    }

    pub(crate) fn next_job_id(&mut self) -> u64 {
        self.next_job += 1;
        self.next_job
    }

    /// Work that must not hold up the keys (the chain check, reports, exports).
    pub(crate) fn submit_background(&mut self, job: Job) {
        if !self.worker.submit(job) {
            self.say(Message::alert(crate::t!(self.lang(), "app-worker-stopped")));
        }
    }

    fn submit_pin_job(&mut self, id: u64, job: Job, then: Then) {
        if self.worker.submit(job) {
            self.pending = Some(Pending { job: id, then });
        } else {
            self.pending = None;
            self.say(Message::alert(crate::t!(
                self.lang(),
                "app-pin-checker-stopped"
            )));
        }
    }

    /// The fast first half of a PIN check (lockout, staff state), then argon2 on the worker.
    /// An empty Enter is not a PIN: it costs no try (five stray Enters must not lock a clerk);
    /// the prompt stays and a gentle hint says what it wants.
    pub(crate) fn start_pin_check(&mut self, staff_id: StaffId, pin: Pin, then: Then) {
        if pin.is_empty() {
            if let Then::DeskAct(act) = then {
                self.give_back_desk_act(act);
            }
            self.say(Message::info(
                crate::tui::widgets::pin_field::words::empty_enter(self.lang()),
            ));
            return;
        }
        let lockout = self.kiosk.config.security.lockout;
        match self
            .kiosk
            .store
            .begin_pin_check(staff_id, &lockout, self.now())
        {
            Err(error) => self.say(Message::alert(format!("{}.", self.refusal_words(&error)))),
            Ok(check) => {
                let job = self.next_job_id();
                self.message = None;
                self.submit_pin_job(job, Job::CheckPin { job, check, pin }, then);
            }
        }
    }

    /// A ledger error as staff read it, in their language; a refused PIN check with its times
    /// in store time and the tries left.
    pub(crate) fn refusal_words(&self, error: &crate::store::StoreError) -> String {
        match error {
            crate::store::StoreError::Auth(auth) => crate::tui::widgets::pin_field::auth_refusal(
                self.lang(),
                auth,
                &self.kiosk.config.store.time_zone,
            ),
            other => crate::tui::reasons::store_error_text(self.lang(), other),
        }
    }

    /// Hashes a new PIN on the worker (enrolment, a new member, a reset).
    pub(crate) fn start_pin_hash(&mut self, pin: Pin, then: Then) {
        let job = self.next_job_id();
        let policy = self.kiosk.config.security.pin_policy;
        self.message = None;
        self.submit_pin_job(job, Job::HashNewPin { job, pin, policy }, then);
    }

    // -----------------------------------------------------------------------------------------
    // First run, sign-in and the home screen

    fn enroll_key(&mut self, key: KeyEvent) {
        let policy = self.kiosk.config.security.pin_policy;
        let Screen::Enroll(form) = &mut self.screen else {
            return;
        };
        match form.handle_key(key, &policy) {
            EnrollKey::None => {}
            EnrollKey::Refused(message) | EnrollKey::Say(message) => self.say(message),
            EnrollKey::Leave => self.should_quit = true,
            EnrollKey::Enrol { name, pin, lang } => {
                self.start_pin_hash(pin, Then::Enroll { name, lang })
            }
        }
    }

    fn sign_in_key(&mut self, key: KeyEvent) {
        let quitting = matches!(self.screen, Screen::Quit(_));
        let kiosk_mode = self.kiosk.config.security.kiosk_mode;
        let lang = self.lang();
        let fresh_staff = self.kiosk.store.list_staff();
        let (Screen::Lock(form) | Screen::Quit(form)) = &mut self.screen else {
            return;
        };
        if let Ok(staff) = fresh_staff {
            form.refresh_staff(staff);
        }
        match form.handle_key(key, quitting, kiosk_mode, lang) {
            SignInKey::None => {}
            SignInKey::Say(message) => self.say(message),
            SignInKey::QuitNow => self.should_quit = true,
            SignInKey::AskManagerToQuit => self.show_quit_form(),
            SignInKey::BackToLock => self.lock(None),
            SignInKey::CheckPin { staff_id, pin } => {
                let then = if quitting { Then::Quit } else { Then::SignIn };
                self.start_pin_check(staff_id, pin, then);
            }
        }
    }

    fn show_quit_form(&mut self) {
        match self.kiosk.store.list_staff() {
            Ok(staff) => {
                self.screen = Screen::Quit(SignInForm::new(staff, true));
                self.say(Message::warn(crate::t!(
                    self.lang(),
                    "signin-manager-to-quit"
                )));
            }
            Err(error) => self.say(Message::alert(self.refusal_words(&error))),
        }
    }

    /// On a read-only ledger only quitting is possible (a manager's PIN in kiosk mode).
    fn read_only_key(&mut self, key: KeyEvent) {
        let kiosk_mode = self.kiosk.config.security.kiosk_mode;
        match key.code {
            KeyCode::F(10) if kiosk_mode => self.show_quit_form(),
            KeyCode::F(10) | KeyCode::Char('q') if !kiosk_mode => self.should_quit = true,
            _ => {}
        }
    }

    fn home_key(&mut self, key: KeyEvent) {
        let KeyCode::Char(pressed) = key.code else {
            if matches!(key.code, KeyCode::Esc) {
                self.lock(Some(Message::ok(crate::t!(self.lang(), "app-locked"))));
            } else if key.code == KeyCode::F(10) {
                self.quit_from_home();
            }
            return;
        };
        if let Some(start) = flow_for_key(pressed) {
            let started = start(&self.lookup());
            match started {
                Ok((flow, first)) => {
                    self.screen = Screen::Flow(flow);
                    self.message = None;
                    self.perform(first);
                }
                Err(refusal) => self.say(refusal),
            }
            return;
        }
        match pressed.to_ascii_lowercase() {
            'f' | '/' => self.start_search(),
            'e' => self.start_ledger_view(),
            'm' => self.open_manager_desk(),
            'l' => self.lock(Some(Message::ok(crate::t!(self.lang(), "app-locked")))),
            'r' => self.refresh_home(),
            'q' => self.quit_from_home(),
            _ => {}
        }
    }

    fn quit_from_home(&mut self) {
        if self.kiosk.config.security.kiosk_mode {
            self.say(Message::warn(crate::t!(self.lang(), "app-quit-from-home")));
        } else {
            self.should_quit = true;
        }
    }

    // -----------------------------------------------------------------------------------------
    // Counter flows

    /// The read-only lookup a flow gets with each key.
    fn lookup(&self) -> Lookup<'_> {
        Lookup::new(
            &self.kiosk.store,
            &self.kiosk.codes,
            &self.kiosk.config,
            self.now(),
            self.session
                .as_ref()
                .map_or("", |session| session.name.as_str()),
        )
        .speaking(self.lang(), self.customer_lang())
    }

    fn flow_key(&mut self, key: KeyEvent, esc_armed: bool) {
        // Built from the fields, not `self.lookup()`, so the flow can be borrowed mutably.
        let lookup = lookup_for(&self.kiosk, self.session.as_ref(), self.clock.now())
            .for_customer(self.customer_lang());
        let Screen::Flow(flow) = &mut self.screen else {
            return;
        };
        let action = flow.handle_key(key, &lookup);
        if let Action::Leave {
            discards_work: true,
        } = action
            && !esc_armed
        {
            self.esc_armed = true;
            self.say(Message::warn(text::esc_again(self.lang())));
            return;
        }
        self.perform(action);
    }

    /// Hands an effect's outcome to the flow on screen and returns what it asks next.
    pub(crate) fn flow_outcome(&mut self, outcome: Outcome) -> Action {
        let lookup = lookup_for(&self.kiosk, self.session.as_ref(), self.clock.now())
            .for_customer(self.customer_lang());
        match &mut self.screen {
            Screen::Flow(flow) => flow.outcome(outcome, &lookup),
            _ => Action::None,
        }
    }

    /// Performs what a flow asked for, feeding each effect's outcome back to it.
    pub(crate) fn perform(&mut self, action: Action) {
        let mut action = action;
        loop {
            action = match action {
                Action::None => return,
                Action::Say(message) => return self.say(message),
                Action::ClearMessage => {
                    self.message = None;
                    return;
                }
                Action::Leave { discards_work } => {
                    self.go_home();
                    if discards_work {
                        self.say(Message::warn(crate::t!(
                            self.lang(),
                            "app-handoff-discarded"
                        )));
                    }
                    return;
                }
                Action::Abandon(message) => {
                    self.go_home();
                    return self.say(message);
                }
                Action::Record { pin, requests } => {
                    let requests = requests
                        .into_iter()
                        .map(|request| (request, Vec::new()))
                        .collect();
                    if let Some(staff_id) = self.session_staff() {
                        self.start_pin_check(staff_id, pin, Then::Record(requests));
                    }
                    return;
                }
                Action::RecordWithFacts { pin, requests } => {
                    if let Some(staff_id) = self.session_staff() {
                        self.start_pin_check(staff_id, pin, Then::Record(requests));
                    }
                    return;
                }
                Action::RecordCodeRefused(message) => {
                    let Some(staff_id) = self.session_staff() else {
                        return;
                    };
                    let now = self.now();
                    return match self.kiosk.store.record_pickup_code_refused(staff_id, now) {
                        Ok(_) => self.say(message),
                        Err(error) => self.say(Message::alert(format!(
                            "{} {}: {error}.",
                            message.text,
                            text::code_refusal_not_recorded(self.lang())
                        ))),
                    };
                }
                Action::IssueToken { direction, cart } => {
                    let issued = self
                        .kiosk
                        .issue_handshake(direction, cart.as_deref(), self.now())
                        .map_err(|error| self.refusal_words(&error));
                    self.flow_outcome(Outcome::TokenIssued(issued))
                }
                Action::ClaimToken { token_id } => {
                    let claimed = self
                        .kiosk
                        .claim_token(&token_id, self.now())
                        .map_err(|error| self.refusal_words(&error));
                    self.flow_outcome(Outcome::TokenClaimed(claimed))
                }
            };
        }
    }
}

/// The read-only lookup for the signed-in clerk at `now`.
fn lookup_for<'a>(
    kiosk: &'a Kiosk,
    session: Option<&'a Session>,
    now: DateTime<Utc>,
) -> Lookup<'a> {
    Lookup::new(
        &kiosk.store,
        &kiosk.codes,
        &kiosk.config,
        now,
        session.map_or("", |session| session.name.as_str()),
    )
    .speaking(
        session.map_or(kiosk.config.counter.language, |session| session.lang),
        // The clerk's for both; the flows' callers add the customer's (F12) with
        // `Lookup::for_customer`.
        session.map_or(kiosk.config.counter.language, |session| session.lang),
    )
}
