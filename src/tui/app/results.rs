//! Routing worker results by the intent that travelled with each job ([`Then`]): PIN checks
//! that open a session, record a flow's requests or confirm a desk act, and new PIN hashes.

use super::{App, Screen, Session, Then};
use crate::domain::pin::NewPinHash;
use crate::domain::staff::{PinProof, Role};
use crate::i18n::Lang;
use crate::tui::action::Outcome;
use crate::tui::message::Message;
use crate::tui::screens::ledger::ChainState;
use crate::tui::text;
use crate::tui::worker::JobResult;

impl App {
    pub(crate) fn handle_job_result(&mut self, result: JobResult) {
        match result {
            JobResult::Reported { .. }
            | JobResult::ExportProgress { .. }
            | JobResult::Exported { .. } => return self.desk_job_result(&result),
            JobResult::Verified { job, outcome } => {
                if let Screen::Ledger(view) = &mut self.screen
                    && view.chain == (ChainState::Checking { job })
                {
                    view.chain = match outcome {
                        Ok(events) => ChainState::Verified { events },
                        Err(reason) => ChainState::Failed(reason),
                    };
                }
                return;
            }
            JobResult::Printed { job, outcome } => return self.printed(job, outcome),
            JobResult::PinChecked { .. } | JobResult::NewPinHashed { .. } => {}
        }
        // A result for a job the screen has moved on from (e.g. locked meanwhile) is dropped.
        let Some(pending) = self.pending.take_if(|pending| pending.job == result.job()) else {
            return;
        };
        match (pending.then, result) {
            (Then::Enroll { name, lang }, JobResult::NewPinHashed { hash, .. }) => {
                self.finish_enrollment(&name, lang, hash)
            }
            (Then::StaffPinHashed(intent), JobResult::NewPinHashed { hash, .. }) => {
                self.desk_pin_hashed(intent, hash)
            }
            (then, JobResult::PinChecked { outcome, .. }) => {
                let lockout = self.kiosk.config.security.lockout;
                match self
                    .kiosk
                    .store
                    .finish_pin_check(outcome, &lockout, self.now())
                {
                    Ok(proof) => {
                        tracing::info!(staff = %proof.staff_id(), "PIN verified");
                        self.continue_with_proof(then, proof)
                    }
                    Err(error) => {
                        tracing::warn!(reason = %error, "PIN refused");
                        let reason = self.refusal_words(&error);
                        self.pin_refused(then, &reason);
                    }
                }
            }
            (then, other) => {
                tracing::warn!(?then, result = ?other, "a worker result did not fit its job");
            }
        }
    }

    fn pin_refused(&mut self, then: Then, reason: &str) {
        let records = matches!(then, Then::Record(_) | Then::DeskAct(_));
        if let Then::DeskAct(act) = then {
            // The act waits for another try; the manager can still cancel it with Esc.
            self.give_back_desk_act(act);
        }
        let text = if records {
            format!("{reason}. {}", text::recorded_nothing(self.lang()))
        } else {
            format!("{reason}.")
        };
        self.say(Message::alert(text));
    }

    fn finish_enrollment(&mut self, name: &str, lang: Lang, hash: Result<NewPinHash, String>) {
        let outcome = hash.and_then(|hash| {
            self.kiosk
                .store
                .add_staff_speaking(
                    name,
                    Role::Manager,
                    Some(lang),
                    &hash,
                    crate::store::Actor::AdminCommandLine,
                    self.now(),
                )
                .map_err(|e| self.refusal_words(&e))
        });
        match outcome {
            // Said in the language they chose, which the lock screen no longer speaks.
            Ok(id) => self.lock(Some(Message::ok(crate::t!(
                lang,
                "signin-enrolled",
                name = name,
                id = id.0
            )))),
            Err(reason) => self.say(Message::alert(reason)),
        }
    }

    fn continue_with_proof(&mut self, then: Then, proof: PinProof) {
        match then {
            Then::SignIn => {
                self.session = Some(Session {
                    staff_id: proof.staff_id(),
                    name: proof.display_name().to_owned(),
                    role: proof.role(),
                    // Their own language, or the counter's for staff who have none.
                    lang: proof.lang().unwrap_or(self.kiosk.config.counter.language),
                });
                self.screen = Screen::Home;
                self.say(Message::ok(crate::t!(
                    self.lang(),
                    "signin-signed-in",
                    name = proof.display_name()
                )));
                self.refresh_home();
            }
            Then::Quit if proof.role() == Role::Manager => self.should_quit = true,
            Then::Quit => self.say(Message::alert(crate::t!(
                self.lang(),
                "signin-only-manager-quits"
            ))),
            Then::Record(requests) => {
                let recorded = self
                    .kiosk
                    .record_with_facts(&proof, &requests, self.now())
                    .map_err(|error| self.refusal_words(&error));
                // After the commit, never before; the printer lane never holds up the flow.
                if let Ok(receipt) = &recorded {
                    self.print_recorded(receipt);
                }
                let next = self.flow_outcome(Outcome::Recorded(recorded));
                self.perform(next);
            }
            Then::DeskEntry => self.desk_entered(&proof),
            Then::DeskAct(act) => self.perform_desk_act(&proof, act),
            // A hash job never comes back as a PIN check.
            Then::Enroll { .. } | Then::StaffPinHashed(_) => {}
        }
    }
}
