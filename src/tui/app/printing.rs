//! Paper after the record: once a flow's requests commit, the slips of the committed events go
//! to the printer lane; a failed print is said in words with the key that prints it again, and
//! the record stands either way. Reprints (search history, ledger view) read the same events,
//! are marked REPRINT and are logged on the chain. Slips print in the customer's language for
//! the handoff (F12), else the clerk's; what the counter says about printing is in the clerk's
//! (printing.ftl).

use std::collections::HashMap;

use crate::domain::chain::LedgerEvent;
use crate::domain::custody::EventKind;
use crate::domain::handoff::Receipt;
use crate::domain::ids::TrackingId;
use crate::domain::receipt::{ReceiptClaims, sign_receipt};
use crate::i18n::Lang;
use crate::print::{PrintError, PrintFailure, PrinterConnection, PrinterName, Slip, SlipKind};
use crate::slips::from_ledger::{Extras, slips_for};
use crate::slips::{self, SlipFacts, StoreHeader};
use crate::store::StoreError;
use crate::t;
use crate::tui::message::Message;
use crate::tui::worker::Job;

use super::App;

/// The name a slip goes by in the ledger's reprint log: recorded, so never translated.
pub fn slip_name(facts: &SlipFacts) -> &'static str {
    match facts {
        SlipFacts::Receipt(_) => "receipt",
        SlipFacts::PickupNotice(_) => "pickup notice",
        SlipFacts::DriverManifest(_) => "driver manifest",
        SlipFacts::RunSheet(_) => "run sheet",
        SlipFacts::DayReport(_) => "day report",
    }
}

/// The slip as printing.ftl's messages choose their words for it.
fn slip_key(facts: &SlipFacts) -> &'static str {
    match facts {
        SlipFacts::Receipt(_) => "receipt",
        SlipFacts::PickupNotice(_) => "pickup-notice",
        SlipFacts::DriverManifest(_) => "driver-manifest",
        SlipFacts::RunSheet(_) => "run-sheet",
        SlipFacts::DayReport(_) => "day-report",
    }
}

/// Why a slip did not print, in `lang`: "printer at 192.0.2.7:9100: did not answer in 5 s".
/// The system's own words for an I/O error stay as it said them.
pub fn print_error_text(lang: Lang, error: &PrintError) -> String {
    t!(
        lang,
        "error-print",
        printer = printer_text(lang, &error.printer),
        reason = print_failure_text(lang, &error.reason)
    )
}

fn printer_text(lang: Lang, printer: &PrinterName) -> String {
    match printer {
        PrinterName::Connection(PrinterConnection::Tcp { host, port }) => {
            t!(lang, "error-printer-at", address = format!("{host}:{port}"))
        }
        PrinterName::Connection(PrinterConnection::Device(path)) => t!(
            lang,
            "error-printer-device",
            path = path.display().to_string()
        ),
        PrinterName::Connection(PrinterConnection::Queue(queue)) => {
            t!(lang, "error-printer-queue", queue = queue.as_str())
        }
        PrinterName::PdfFolder(folder) => t!(
            lang,
            "error-printer-pdf",
            folder = folder.display().to_string()
        ),
        PrinterName::None => t!(lang, "error-printer-none"),
        PrinterName::Lane => t!(lang, "printing-lane"),
        PrinterName::Named(name) => name.clone(),
    }
}

fn print_failure_text(lang: Lang, failure: &PrintFailure) -> String {
    match failure {
        PrintFailure::Silent { seconds } => t!(lang, "error-print-silent", seconds = *seconds),
        PrintFailure::Refused => t!(lang, "error-print-refused"),
        PrintFailure::Unreachable => t!(lang, "error-print-unreachable"),
        PrintFailure::NoDevice => t!(lang, "error-print-no-device"),
        PrintFailure::NoPermission => t!(lang, "error-print-no-permission"),
        PrintFailure::NoLp => t!(lang, "error-print-no-lp"),
        PrintFailure::AddressNotFound { host, detail } => t!(
            lang,
            "error-print-address-not-found",
            host = host.as_str(),
            detail = detail.as_str()
        ),
        PrintFailure::NoAddress { host } => {
            t!(lang, "error-print-no-address", host = host.as_str())
        }
        PrintFailure::CannotConnect { detail } => {
            t!(lang, "error-print-cannot-connect", detail = detail.as_str())
        }
        PrintFailure::ConnectionBroke { detail } => {
            t!(
                lang,
                "error-print-connection-broke",
                detail = detail.as_str()
            )
        }
        PrintFailure::CannotOpen { detail } => {
            t!(lang, "error-print-cannot-open", detail = detail.as_str())
        }
        PrintFailure::TakesNoMore => t!(lang, "error-print-takes-no-more"),
        PrintFailure::CannotWrite { detail } => {
            t!(lang, "error-print-cannot-write", detail = detail.as_str())
        }
        PrintFailure::LpCannotStart { detail } => {
            t!(
                lang,
                "error-print-lp-cannot-start",
                detail = detail.as_str()
            )
        }
        PrintFailure::LpTimedOut { seconds } => {
            t!(lang, "error-print-lp-timed-out", seconds = *seconds)
        }
        PrintFailure::LpLost { detail } => {
            t!(lang, "error-print-lp-lost", detail = detail.as_str())
        }
        PrintFailure::LpFailed { complaint } => {
            t!(
                lang,
                "error-print-lp-failed",
                complaint = complaint.as_str()
            )
        }
        PrintFailure::NoFolder { detail } => {
            t!(lang, "error-print-no-folder", detail = detail.as_str())
        }
        PrintFailure::NoFreeName { base } => {
            t!(lang, "error-print-no-free-name", base = base.as_str())
        }
        PrintFailure::NotWritten { path, detail } => t!(
            lang,
            "error-print-not-written",
            path = path.display().to_string(),
            detail = detail.as_str()
        ),
        PrintFailure::NotSetUp => t!(lang, "error-print-not-set-up"),
        PrintFailure::LaneStopped => t!(lang, "printing-lane-stopped"),
    }
}

/// Kinds whose events of one transaction make one receipt (a drop-off and its refusals).
fn receipt_kind(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::CustomerDropOff | EventKind::CustomerReturn | EventKind::DropOffRefused
    )
}

impl App {
    /// After a record commits: every slip its events make, to the printer lane. Nothing is
    /// read or built when no printer is set up.
    pub(crate) fn print_recorded(&mut self, receipt: &Receipt) {
        if !self.worker.prints() {
            return;
        }
        let events: Result<Vec<LedgerEvent>, StoreError> = (receipt.first_seq..=receipt.last_seq)
            .filter_map(|seq| self.kiosk.store.event(seq).transpose())
            .collect();
        let events = match events {
            Ok(events) => events,
            Err(error) => {
                return self.say(Message::alert(
                    self.not_printed(self.refusal_words(&error), 1),
                ));
            }
        };
        let mut extras = self.extras_for(&events);
        extras.notices_for = receipt
            .generated_codes
            .iter()
            .map(|(tracking_id, _)| tracking_id.clone())
            .collect();
        extras.generated_codes = receipt.generated_codes.clone();
        for facts in slips_for(&events, &extras) {
            self.print(&facts, false);
        }
    }

    /// What the events do not hold: the clerk's name, the driver's fallback code, addresses.
    fn extras_for(&self, events: &[LedgerEvent]) -> Extras {
        let store = &self.kiosk.store;
        let clerk = events
            .iter()
            .find_map(|event| event.body.staff_id)
            .and_then(|id| store.staff_member(id).ok().flatten())
            .map(|member| member.display_name)
            .unwrap_or_default();
        let fallback_code = events
            .iter()
            .find_map(|event| event.body.token_id.as_deref())
            .and_then(|token_id| store.token(token_id).ok().flatten())
            .map(|token| token.fallback_code);
        let going_out: Vec<TrackingId> = events
            .iter()
            .filter(|event| event.body.kind == EventKind::LocalDeliveryOut)
            .flat_map(|event| event.body.items.iter())
            .filter_map(|item| TrackingId::parse(&item.tracking_id).ok())
            .collect();
        let addresses = if going_out.is_empty() {
            HashMap::new()
        } else {
            store
                .delivery_addresses(&going_out)
                .unwrap_or_else(|error| {
                    tracing::warn!(reason = %error, "run sheet without addresses");
                    HashMap::new()
                })
        };
        let recipients = going_out
            .iter()
            .filter_map(|tracking_id| store.parcel(tracking_id).ok().flatten())
            .map(|parcel| {
                (
                    parcel.tracking_id.as_str().to_owned(),
                    (parcel.recipient_name, parcel.postal_code),
                )
            })
            .collect();
        Extras {
            clerk,
            fallback_code,
            addresses,
            recipients,
            ..Extras::default()
        }
    }

    /// The language a slip queued now is printed in: the customer's when F12 chose one for
    /// this handoff (or on this screen), else the clerk's. Read when the slip is queued, since
    /// going home forgets the customer's choice; a slip waiting for F9 keeps its words.
    fn slip_lang(&self) -> Lang {
        self.customer_lang()
    }

    /// "Not printed (why). ... F9 prints it again.", in the clerk's language.
    fn not_printed(&self, why: String, waiting: usize) -> String {
        t!(
            self.lang(),
            "printing-not-printed",
            why = why,
            waiting = waiting
        )
    }

    /// The slip of these facts in `lang`; a receipt's token is signed here, with the store's
    /// key, and is the same whatever the language.
    fn slip_of(&self, facts: &SlipFacts, reprint: bool, lang: Lang) -> Slip {
        let store = StoreHeader::from_config(&self.kiosk.config);
        match facts {
            SlipFacts::Receipt(receipt) => {
                let token = receipt.event_hash.map(|event_hash| {
                    let claims = ReceiptClaims {
                        store_id: self.kiosk.config.store.id.clone(),
                        seq: i64::try_from(receipt.seq).unwrap_or(i64::MAX),
                        event_hash,
                        kind: receipt.kind,
                        recorded_at: receipt.recorded_at,
                        parcels: receipt.parcels.iter().map(|(id, _)| id.clone()).collect(),
                    };
                    sign_receipt(&self.kiosk.key, &claims)
                });
                slips::receipt(lang, &store, receipt, token.as_deref(), reprint)
            }
            SlipFacts::PickupNotice(notice) => slips::pickup_notice(lang, &store, notice, reprint),
            SlipFacts::DriverManifest(manifest) => {
                slips::driver_manifest(lang, &store, manifest, reprint)
            }
            SlipFacts::RunSheet(sheet) => slips::run_sheet(lang, &store, sheet, reprint),
            SlipFacts::DayReport(report) => slips::day_report(lang, &store, report),
        }
    }

    /// Sends one slip to the printer lane (never waits for it), in the language of the
    /// moment ([`Self::slip_lang`]).
    pub(crate) fn print(&mut self, facts: &SlipFacts, reprint: bool) {
        let slip = self.slip_of(facts, reprint, self.slip_lang());
        self.submit_print(slip);
    }

    fn submit_print(&mut self, slip: Slip) {
        let job = self.next_job_id();
        self.printing.insert(job, slip.clone());
        if !self.worker.submit(Job::Print {
            job,
            slip: Box::new(slip),
        }) {
            self.printed(
                job,
                Err(PrintError {
                    printer: PrinterName::Lane,
                    reason: PrintFailure::LaneStopped,
                }),
            );
        }
    }

    /// A print job's result: nothing to say when it printed; the reason and the reprint key
    /// when it did not.
    pub(crate) fn printed(&mut self, job: u64, outcome: Result<(), PrintError>) {
        let Some(slip) = self.printing.remove(&job) else {
            return;
        };
        match outcome {
            Ok(()) => tracing::info!(kind = ?slip.kind, "slip printed"),
            Err(error) => {
                tracing::warn!(kind = ?slip.kind, reason = %error, "slip not printed");
                let is_report = slip.kind == SlipKind::DayReport;
                self.failed_prints.push(slip);
                let waiting = self.failed_prints.len();
                let why = print_error_text(self.lang(), &error);
                let said = if is_report {
                    // The report is not a record: "the record stands" would say nothing true.
                    t!(
                        self.lang(),
                        "printing-report-not-printed",
                        why = why,
                        waiting = waiting
                    )
                } else {
                    self.not_printed(why, waiting)
                };
                self.say(Message::alert(said));
            }
        }
    }

    /// F9: the slips that did not print go to the printer again, as they were (they never
    /// reached paper, so they are not reprints).
    pub(crate) fn print_failed_again(&mut self) {
        let slips = std::mem::take(&mut self.failed_prints);
        if slips.is_empty() {
            return;
        }
        self.say(Message::info(t!(self.lang(), "printing-again")));
        for slip in slips {
            self.submit_print(slip);
        }
    }

    /// Prints the slip of record `seq` again, marked REPRINT, and logs it under the signed-in
    /// clerk. `parcel`: the one parcel asked for (from its history), whose notice alone
    /// prints for a driver delivery.
    pub(crate) fn reprint_record(&mut self, seq: u64, parcel: Option<&TrackingId>) {
        if !self.worker.prints() {
            return self.say(Message::warn(t!(self.lang(), "printing-no-printer")));
        }
        let Some(staff_id) = self.session_staff() else {
            return;
        };
        let events = match self.events_printed_with(seq) {
            Ok(events) => events,
            Err(error) => return self.say(Message::alert(self.refusal_words(&error))),
        };
        let delivery = events
            .iter()
            .any(|event| event.seq == seq && event.body.kind == EventKind::DriverDelivery);
        if delivery && parcel.is_none() {
            // A delivery of thirty parcels would print thirty notices: one parcel at a time.
            return self.say(Message::info(t!(
                self.lang(),
                "printing-notice-from-history"
            )));
        }
        let mut extras = self.extras_for(&events);
        extras.notices_for = parcel.into_iter().cloned().collect();
        let slips: Vec<SlipFacts> = slips_for(&events, &extras)
            .into_iter()
            .map(SlipFacts::for_reprint)
            .collect();
        let Some(first) = slips.first() else {
            return self.say(Message::info(t!(
                self.lang(),
                "printing-nothing-to-reprint"
            )));
        };
        let name = slip_name(first);
        // The record the slip stands for (a drop-off's, when its refusal was chosen).
        let copied = first.seq().unwrap_or(seq);
        let now = self.now();
        if let Err(error) = self
            .kiosk
            .store
            .record_slip_reprinted(staff_id, copied, name, now)
        {
            return self.say(Message::alert(t!(
                self.lang(),
                "printing-reprint-not-logged",
                error = self.refusal_words(&error)
            )));
        }
        self.say(Message::ok(t!(
            self.lang(),
            "printing-reprinting",
            slip = slip_key(first),
            seq = copied.to_string()
        )));
        for facts in &slips {
            self.print(facts, true);
        }
    }

    /// From a parcel's history: the slip of the newest record of it that has one.
    pub(crate) fn reprint_last_slip_of(&mut self, tracking_id: &TrackingId) {
        let history = match self.kiosk.store.parcel_history(tracking_id) {
            Ok(history) => history,
            Err(error) => return self.say(Message::alert(self.refusal_words(&error))),
        };
        match history
            .iter()
            .rev()
            .find(|event| slips::has_slip(event.body.kind))
        {
            Some(event) => self.reprint_record(event.seq, Some(tracking_id)),
            None => self.say(Message::info(t!(
                self.lang(),
                "printing-nothing-to-reprint"
            ))),
        }
    }

    /// The event `seq` and, for a drop-off or return, the events recorded with it (its
    /// refusals), which share its instant.
    fn events_printed_with(&self, seq: u64) -> Result<Vec<LedgerEvent>, StoreError> {
        let store = &self.kiosk.store;
        let Some(chosen) = store.event(seq)? else {
            return Ok(Vec::new());
        };
        if !receipt_kind(chosen.body.kind) {
            return Ok(vec![chosen]);
        }
        let mut events = Vec::new();
        let neighbours = [seq.checked_sub(1), Some(seq + 1)];
        if let Some(before) = neighbours[0]
            && let Some(event) = store.event(before)?
            && receipt_kind(event.body.kind)
            && event.body.recorded_at == chosen.body.recorded_at
        {
            events.push(event);
        }
        let at = chosen.body.recorded_at;
        events.push(chosen);
        if let Some(after) = neighbours[1]
            && let Some(event) = store.event(after)?
            && receipt_kind(event.body.kind)
            && event.body.recorded_at == at
        {
            events.push(event);
        }
        Ok(events)
    }

    /// The desk's report, printed on request in the reader's language.
    pub(crate) fn print_day_report(&mut self, report: crate::domain::report::DayReport) {
        if !self.worker.prints() {
            return self.say(Message::warn(t!(self.lang(), "printing-no-printer")));
        }
        self.print(&SlipFacts::DayReport(Box::new(report)), false);
        self.say(Message::info(t!(self.lang(), "printing-day-report")));
    }
}
