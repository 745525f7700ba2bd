//! The sender: one batch per step, from the oldest event waiting (or from where head office
//! asks to resume), each receipt checked before the outbox lets go of what it acknowledges.
//! Failures back off (1 s doubling to 60 s); the outbox is in the ledger, so a restart resumes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::https::HttpsClient;
use super::problem::LinkProblem;
use crate::config::{HeadOfficeSettings, KioskConfig};
use crate::domain::carriers::CarrierRules;
use crate::domain::clock::Clock;
use crate::domain::codes::CodeDigester;
use crate::domain::expected::parse_announcement;
use crate::domain::link_wire::{
    ANNOUNCEMENTS_PATH, AnnouncementRequest, AnnouncementsReply, BATCH_PATH, BatchSource, Reply,
    build_batch, verify_announcements, verify_receipt,
};
use crate::domain::signing::StoreKey;
use crate::store::{ImportOutcome, LinkLedger, StoredReceipt};

/// How long one connection attempt or answer may take.
const NETWORK_TIMEOUT: Duration = Duration::from_secs(10);
/// How often an idle sender looks at the outbox again.
const IDLE_POLL: Duration = Duration::from_millis(500);
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// How often the sender asks head office for announcements while it has nothing to send.
const ANNOUNCEMENT_POLL: Duration = Duration::from_secs(60);

/// What one step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Nothing waits.
    Idle,
    /// Head office acknowledged its chain up to this event.
    Acknowledged(u64),
    /// Head office holds less than the batch assumed: the next batch starts here.
    Resend(u64),
    /// Not delivered (head office unreachable, a refusal, a receipt that does not check).
    Failed(LinkProblem),
}

/// The link as the status bar and the desk show it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinkStatus {
    /// Events waiting for head office.
    pub waiting: u64,
    /// When head office last acknowledged a batch.
    pub last_acknowledged: Option<DateTime<Utc>>,
    /// Since when head office has not been reached, while it is not.
    pub offline_since: Option<DateTime<Utc>>,
    /// The latest failure.
    pub problem: Option<LinkProblem>,
    /// Why the latest announcements from head office were not imported (a signature that
    /// does not verify, a file the store's rules refuse), until a later sync succeeds.
    pub announcement_problem: Option<LinkProblem>,
}

/// Why an announcement sync failed: head office could not be reached (the link is offline),
/// or what it answered was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncFailure {
    pub problem: LinkProblem,
    pub unreachable: bool,
}

impl std::fmt::Display for SyncFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.problem.fmt(f)
    }
}

impl From<LinkProblem> for SyncFailure {
    fn from(problem: LinkProblem) -> Self {
        Self {
            problem,
            unreachable: false,
        }
    }
}

/// What one announcement sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnnouncementSync {
    /// Announcements imported now, by id, with what each import did.
    pub imported: Vec<(u64, ImportOutcome)>,
    /// Announcements head office sent again that were imported before: nothing done.
    pub already_imported: u64,
}

/// Pushes batches: the ledger side, the HTTPS client and what a batch is signed with.
pub struct Sender {
    ledger: LinkLedger,
    client: HttpsClient,
    settings: HeadOfficeSettings,
    key: StoreKey,
    /// The store's carrier rules and pickup-code key: announcements import as
    /// `kiosk import-expected` imports a file.
    carriers: CarrierRules,
    codes: CodeDigester,
    store_id: String,
    zone: chrono_tz::Tz,
    clock: Arc<dyn Clock>,
    /// Where head office asked to resume, when that is before the oldest event waiting.
    resend_from: Option<u64>,
}

impl Sender {
    /// `None` when the configuration has no head office.
    pub fn open(
        config: &KioskConfig,
        key: &StoreKey,
        clock: Arc<dyn Clock>,
    ) -> Result<Option<Self>, LinkProblem> {
        let Some(settings) = config.head_office.clone() else {
            return Ok(None);
        };
        let ledger = LinkLedger::open(&config.ledger.database).map_err(LinkProblem::ledger)?;
        let client = HttpsClient::with_clock(&settings, NETWORK_TIMEOUT, Arc::clone(&clock))?;
        let key = StoreKey::from_secret_bytes(key.secret_bytes().as_ref())
            .map_err(LinkProblem::ledger)?;
        let pepper =
            crate::secrets::read_secret_file(&config.security.pepper_file, crate::setup::PEPPER)
                .map_err(LinkProblem::ledger)?;
        Ok(Some(Self {
            ledger,
            client,
            settings,
            key,
            carriers: config.carriers.clone(),
            codes: CodeDigester::new(&pepper),
            store_id: config.store.id.to_string(),
            zone: config.store.time_zone,
            clock,
            resend_from: None,
        }))
    }

    pub fn waiting(&self) -> u64 {
        self.ledger.state().map(|state| state.waiting).unwrap_or(0)
    }

    /// Sends at most one batch and handles the answer.
    pub fn step(&mut self) -> Step {
        match self.try_step() {
            Ok(step) => step,
            Err(problem) => Step::Failed(problem),
        }
    }

    /// Asks head office for the store's pending announcements, acknowledging those imported
    /// so far; checks head office's signature over the answer under the key kiosk.toml pins,
    /// reads every file with the store's rules, and only then imports each not imported
    /// before, each in its own transaction. A signature that does not verify or a file that
    /// does not read refuses the whole answer: nothing of it is imported. What was imported
    /// is acknowledged at once, so head office marks it delivered.
    pub fn sync_announcements(&mut self) -> Result<AnnouncementSync, SyncFailure> {
        let applied = self
            .ledger
            .announcements_applied_through()
            .map_err(LinkProblem::ledger)?;
        let (body, signature) = self.request_announcements(applied)?;
        let sync = self.apply_signed_announcements(&body, &signature)?;
        if !sync.imported.is_empty() {
            // The acknowledgement; what its answer brings is imported at the next sync.
            let applied = self
                .ledger
                .announcements_applied_through()
                .map_err(LinkProblem::ledger)?;
            self.request_announcements(applied)?;
        }
        Ok(sync)
    }

    /// Imports head office's signed announcements (`body` exactly as signed, the signature in
    /// hex): all of them checked and read first, then each not imported before in its own
    /// transaction. Anything that does not check refuses the whole answer.
    pub fn apply_signed_announcements(
        &mut self,
        body: &str,
        signature: &str,
    ) -> Result<AnnouncementSync, LinkProblem> {
        let checked =
            verify_announcements(body, signature, &self.settings.public_key, &self.store_id)
                .map_err(|reason| LinkProblem::AnnouncementsRefused {
                    detail: reason.to_string(),
                })?;
        let applied = self
            .ledger
            .announcements_applied_through()
            .map_err(LinkProblem::ledger)?;
        let mut parsed = Vec::with_capacity(checked.announcements.len());
        for announcement in checked.announcements {
            if announcement.id <= applied {
                parsed.push((announcement, None));
                continue;
            }
            let parcels = parse_announcement(announcement.csv.as_bytes(), &self.carriers).map_err(
                |error| LinkProblem::AnnouncementUnreadable {
                    id: announcement.id,
                    source: announcement.source.clone(),
                    detail: error.to_string(),
                },
            )?;
            parsed.push((announcement, Some(parcels)));
        }
        let mut sync = AnnouncementSync::default();
        for (announcement, parcels) in parsed {
            let Some(parcels) = parcels else {
                sync.already_imported += 1;
                continue;
            };
            let source = format!("head office #{}: {}", announcement.id, announcement.source);
            let source: String = source.chars().take(80).collect();
            match self
                .ledger
                .import_announcement(
                    announcement.id,
                    &parcels,
                    &source,
                    &self.codes,
                    self.clock.now(),
                )
                .map_err(|e| LinkProblem::AnnouncementNotImported {
                    id: announcement.id,
                    detail: e.to_string(),
                })? {
                Some(outcome) => sync.imported.push((announcement.id, outcome)),
                None => sync.already_imported += 1,
            }
        }
        Ok(sync)
    }

    /// One signed request for announcements; head office's answer as (body, signature), not
    /// yet checked.
    fn request_announcements(&self, applied_through: u64) -> Result<(String, String), SyncFailure> {
        let request = AnnouncementRequest::signed(
            &self.key,
            &self.store_id,
            applied_through,
            self.clock.now(),
        );
        let body = serde_json::to_vec(&request).map_err(LinkProblem::encoding)?;
        let path = format!("{}{ANNOUNCEMENTS_PATH}", self.settings.base_path);
        let (status, answer) =
            self.client
                .post_json(&path, &body)
                .map_err(|problem| SyncFailure {
                    problem,
                    unreachable: true,
                })?;
        match serde_json::from_slice::<AnnouncementsReply>(&answer) {
            Ok(AnnouncementsReply::Signed {
                body, signature, ..
            }) if status == 200 => Ok((body, signature)),
            Ok(AnnouncementsReply::Refused { reason }) => {
                Err(LinkProblem::AnnouncementRequestRefused { reason }.into())
            }
            _ => Err(LinkProblem::AnnouncementStatus { status }.into()),
        }
    }

    fn try_step(&mut self) -> Result<Step, LinkProblem> {
        let from = match self.resend_from.take() {
            Some(seq) => seq,
            None => match self.ledger.first_waiting().map_err(LinkProblem::ledger)? {
                Some(seq) => seq,
                None => return Ok(Step::Idle),
            },
        };
        let limit = self.settings.batch_events as usize;
        let events = self
            .ledger
            .events_from(from, limit)
            .map_err(LinkProblem::ledger)?;
        if events.is_empty() {
            return Ok(Step::Idle);
        }
        let head_before = self
            .ledger
            .event_hash(from.saturating_sub(1))
            .map_err(LinkProblem::ledger)?
            .ok_or(LinkProblem::EventMissing { seq: from - 1 })?;
        let demo_data = self
            .ledger
            .meta("demo_data")
            .map_err(LinkProblem::ledger)?
            .is_some();
        let source = BatchSource {
            key: &self.key,
            store_id: &self.store_id,
            zone: self.zone,
            head_before,
            demo_data,
            now: self.clock.now(),
        };
        let Some(mut batch) = build_batch(&source, &events)
            .map_err(|detail| LinkProblem::BatchNotBuilt { detail })?
        else {
            return Ok(Step::Idle);
        };
        let last_in_batch = events.last().map_or(from, |(event, _)| event.seq);
        batch.sealed_codes = self
            .ledger
            .sealed_codes_between(from, last_in_batch)
            .map_err(LinkProblem::ledger)?;
        let body = serde_json::to_vec(&batch).map_err(LinkProblem::encoding)?;
        let path = format!("{}{BATCH_PATH}", self.settings.base_path);
        let (status, answer) = self.client.post_json(&path, &body)?;
        let reply: Option<Reply> = serde_json::from_slice(&answer).ok();
        match (status, reply) {
            (200, Some(Reply::Acknowledged { receipt })) => {
                let signature = hex::decode(&receipt.signature)
                    .map_err(|_| LinkProblem::ReceiptSignatureNotHex)?;
                let body = verify_receipt(
                    &receipt.body,
                    &signature,
                    &self.settings.public_key,
                    &self.store_id,
                )
                .map_err(|detail| LinkProblem::ReceiptUnchecked { detail })?;
                let head_hash = body
                    .head_hash()
                    .ok_or(LinkProblem::ReceiptHeadHashInvalid)?;
                let ours = self
                    .ledger
                    .event_hash(body.last_seq)
                    .map_err(LinkProblem::ledger)?;
                if ours != Some(head_hash) {
                    return Err(LinkProblem::ChainsDiffer { seq: body.last_seq });
                }
                let stored = StoredReceipt {
                    last_seq: body.last_seq,
                    head_hash,
                    body_json: receipt.body,
                    key_id: receipt.key_id,
                    signature,
                    received_at: self.clock.now(),
                };
                self.ledger
                    .record_receipt(&stored, self.clock.now())
                    .map_err(LinkProblem::ledger)?;
                Ok(Step::Acknowledged(body.last_seq))
            }
            (200, Some(Reply::Gap { expected_seq })) => {
                let last = self.ledger.last_seq().map_err(LinkProblem::ledger)?;
                if expected_seq == 0 || expected_seq >= from || expected_seq > last {
                    return Err(LinkProblem::GapDoesNotFit {
                        expected: expected_seq,
                        from,
                    });
                }
                self.resend_from = Some(expected_seq);
                Ok(Step::Resend(expected_seq))
            }
            (_, Some(Reply::Refused { reason })) => Err(LinkProblem::BatchRefused { reason }),
            (status, _) => Err(LinkProblem::BatchStatus { status }),
        }
    }
}

/// The running sender thread. Dropping it asks the thread to stop (it is not waited for: a
/// network timeout must not hold up the counter's exit).
pub struct LinkHandle {
    status: Arc<Mutex<LinkStatus>>,
    stop: Arc<AtomicBool>,
}

impl LinkHandle {
    /// A handle with no thread behind it that shows `status`: for a link that could not start
    /// (and for screen tests).
    pub fn detached(status: LinkStatus) -> Self {
        Self {
            status: Arc::new(Mutex::new(status)),
            stop: Arc::new(AtomicBool::new(true)),
        }
    }

    pub fn status(&self) -> LinkStatus {
        self.status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for LinkHandle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Starts the sender thread when `[head_office]` is configured; `Ok(None)` when it is not.
pub fn start(
    config: &KioskConfig,
    key: &StoreKey,
    clock: Arc<dyn Clock>,
) -> Result<Option<LinkHandle>, LinkProblem> {
    let Some(mut sender) = Sender::open(config, key, clock.clone())? else {
        return Ok(None);
    };
    let state = sender.ledger.state().map_err(LinkProblem::ledger)?;
    let status = Arc::new(Mutex::new(LinkStatus {
        waiting: state.waiting,
        last_acknowledged: state.last_receipt.map(|receipt| receipt.received_at),
        ..LinkStatus::default()
    }));
    let stop = Arc::new(AtomicBool::new(false));
    let (shared, stopping) = (Arc::clone(&status), Arc::clone(&stop));
    std::thread::Builder::new()
        .name("link-sender".to_owned())
        .spawn(move || run(&mut sender, &shared, &stopping, clock.as_ref()))
        .map_err(|e| LinkProblem::ThreadNotStarted {
            detail: e.to_string(),
        })?;
    Ok(Some(LinkHandle { status, stop }))
}

/// [`start`] for the counter: a link that cannot start (a missing CA file, an unreadable
/// ledger) is logged and shown as offline with its reason, and the counter goes on.
pub fn start_or_report(
    config: &KioskConfig,
    key: &StoreKey,
    clock: Arc<dyn Clock>,
) -> Option<LinkHandle> {
    match start(config, key, Arc::clone(&clock)) {
        Ok(handle) => handle,
        Err(problem) => {
            tracing::error!(%problem, "the link to head office cannot start");
            let status = LinkStatus {
                offline_since: Some(clock.now()),
                problem: Some(problem),
                ..LinkStatus::default()
            };
            Some(LinkHandle::detached(status))
        }
    }
}

fn run(sender: &mut Sender, status: &Mutex<LinkStatus>, stop: &AtomicBool, clock: &dyn Clock) {
    let mut backoff = FIRST_BACKOFF;
    let mut last_announcement_sync: Option<std::time::Instant> = None;
    while !stop.load(Ordering::SeqCst) {
        let step = sender.step();
        if step == Step::Idle
            && last_announcement_sync.is_none_or(|at| at.elapsed() >= ANNOUNCEMENT_POLL)
        {
            last_announcement_sync = Some(std::time::Instant::now());
            let outcome = sender.sync_announcements();
            let mut shown = status.lock().unwrap_or_else(PoisonError::into_inner);
            match outcome {
                Ok(_) => {
                    shown.announcement_problem = None;
                    // Head office answered: the link is up, whatever an earlier try said.
                    shown.offline_since = None;
                    shown.problem = None;
                }
                Err(failure) if failure.unreachable => {
                    tracing::warn!(problem = %failure, "link: head office not reached");
                    shown.offline_since.get_or_insert(clock.now());
                    shown.problem = Some(failure.problem);
                }
                Err(failure) => {
                    tracing::warn!(problem = %failure, "link: announcements not imported");
                    shown.announcement_problem = Some(failure.problem);
                }
            }
        }
        let now = clock.now();
        let wait = {
            let mut shown = status.lock().unwrap_or_else(PoisonError::into_inner);
            shown.waiting = sender.waiting();
            match &step {
                Step::Idle => IDLE_POLL,
                Step::Acknowledged(_) | Step::Resend(_) => {
                    if matches!(step, Step::Acknowledged(_)) {
                        shown.last_acknowledged = Some(now);
                    }
                    shown.offline_since = None;
                    shown.problem = None;
                    backoff = FIRST_BACKOFF;
                    Duration::ZERO
                }
                Step::Failed(problem) => {
                    tracing::warn!(%problem, "link: batch not delivered");
                    shown.offline_since.get_or_insert(now);
                    shown.problem = Some(problem.clone());
                    let wait = backoff;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    wait
                }
            }
        };
        sleep_unless_stopped(wait, stop);
    }
}

fn sleep_unless_stopped(wait: Duration, stop: &AtomicBool) {
    let tick = Duration::from_millis(100);
    let mut left = wait;
    while !left.is_zero() && !stop.load(Ordering::SeqCst) {
        let nap = left.min(tick);
        std::thread::sleep(nap);
        left -= nap;
    }
}
