//! The desk's acts, performed once the manager's PIN passes, and the results of its background
//! jobs (report, export) routed to the page that asked for them.

use std::collections::HashMap;
use std::io::Write;

use super::{App, Screen, Then};
use crate::domain::correction::{CORRECTS, correctable};
use crate::domain::expected::parse_announcement;
use crate::domain::ids::TrackingId;
use crate::domain::labels::identify_label;
use crate::domain::pin::{NewPinHash, Pin};
use crate::domain::projection::fact;
use crate::domain::staff::{PinProof, Role};
use crate::store::Actor;
use crate::t;
use crate::tui::message::Message;
use crate::tui::screens::desk::shelf_check::judge_in;
use crate::tui::screens::desk::{
    CorrectionTarget, DeskAct, DeskPage, RecordLine, StaffFormIntent, words,
};
use crate::tui::screens::labels;
use crate::tui::screens::signin::name_refusal;
use crate::tui::widgets::pin_field::pin_refusal;
use crate::tui::worker::JobResult;

impl App {
    pub(crate) fn desk_job_result(&mut self, result: &JobResult) {
        let Screen::Manager(desk) = &mut self.screen else {
            return;
        };
        match (&mut desk.page, result) {
            (DeskPage::Report { job, text, .. }, JobResult::Reported { job: done, outcome })
                if job == done =>
            {
                *text = Some(outcome.clone());
            }
            (
                DeskPage::Export {
                    job: Some(job),
                    progress,
                    ..
                },
                JobResult::ExportProgress {
                    job: done,
                    done: count,
                    total,
                },
            ) if job == done => {
                *progress = (*count, *total);
            }
            (
                DeskPage::Export {
                    job, result: slot, ..
                },
                JobResult::Exported { job: done, outcome },
            ) if *job == Some(*done) => {
                *job = None;
                *slot = Some(outcome.clone());
            }
            _ => {}
        }
    }

    pub(crate) fn desk_entered(&mut self, proof: &PinProof) {
        if proof.role() != Role::Manager {
            self.go_home();
            self.message = Some(Message::alert(t!(self.lang(), "desk-managers-only")));
            return;
        }
        if let Screen::Manager(desk) = &mut self.screen {
            desk.page = DeskPage::Menu;
        }
        self.message = Some(Message::ok(t!(self.lang(), "desk-open")));
    }

    pub(super) fn submit_staff_form(&mut self) {
        let Screen::Manager(desk) = &mut self.screen else {
            return;
        };
        let DeskPage::StaffForm(form) = &mut desk.page else {
            return;
        };
        let policy = self.kiosk.config.security.pin_policy;
        let lang = self
            .session
            .as_ref()
            .map_or(self.kiosk.config.counter.language, |s| s.lang);
        if let Err(reason) = policy.check_pair(&form.pin, &form.repeat) {
            form.pin.clear();
            form.repeat.clear();
            form.field = 1;
            self.message = Some(Message::alert(format!("{}.", pin_refusal(lang, &reason))));
            return;
        }
        if form.reset_for.is_none()
            && let Err(reason) = crate::domain::staff::validate_display_name(&form.name.text)
        {
            self.message = Some(Message::alert(format!("{}.", name_refusal(lang, &reason))));
            form.field = 0;
            return;
        }
        let pin = form.pin.clone();
        form.pin.clear();
        form.repeat.clear();
        let intent = StaffFormIntent {
            reset_for: form.reset_for,
            name: form.name.text.trim().to_owned(),
            role: form.role,
            lang: form.lang,
        };
        self.start_pin_hash(pin, Then::StaffPinHashed(intent));
    }

    /// The new PIN is hashed: the act now waits for the manager's PIN.
    pub(crate) fn desk_pin_hashed(
        &mut self,
        intent: StaffFormIntent,
        hash: Result<NewPinHash, String>,
    ) {
        let hash = match hash {
            Ok(hash) => hash,
            Err(reason) => {
                self.message = Some(Message::alert(reason));
                return;
            }
        };
        let act = match intent.reset_for {
            Some(id) => DeskAct::ResetPin { id, hash },
            None => DeskAct::AddStaff {
                name: intent.name,
                role: intent.role,
                lang: intent.lang,
                hash,
            },
        };
        let lang = self.lang();
        if let Screen::Manager(desk) = &mut self.screen {
            desk.confirming = Some((act, Pin::default()));
            self.message = Some(Message::info(t!(lang, "desk-now-your-pin")));
        }
    }

    pub(super) fn prepare_import(&mut self, typed: Result<String, String>) {
        let path = match typed {
            Ok(path) if !path.trim().is_empty() => std::path::PathBuf::from(path.trim()),
            Ok(_) => return,
            Err(reason) => {
                self.message = Some(Message::alert(reason));
                return;
            }
        };
        let lang = self.lang();
        let shown = path.display().to_string();
        let parsed = std::fs::read(&path)
            .map_err(|e| {
                t!(
                    lang,
                    "desk-import-unreadable",
                    path = shown.as_str(),
                    error = e.to_string()
                )
            })
            .and_then(|bytes| {
                parse_announcement(&bytes, &self.kiosk.config.carriers).map_err(|e| {
                    t!(
                        lang,
                        "desk-import-refused",
                        path = shown.as_str(),
                        error = e.to_string()
                    )
                })
            });
        match parsed {
            Err(reason) => self.message = Some(Message::alert(reason)),
            Ok(parcels) => {
                let source = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                let lang = self.lang();
                if let Screen::Manager(desk) = &mut self.screen {
                    self.message = Some(Message::info(t!(
                        lang,
                        "desk-import-read",
                        count = parcels.len(),
                        source = source.as_str()
                    )));
                    desk.confirming = Some((DeskAct::Import { source, parcels }, Pin::default()));
                }
            }
        }
    }

    /// The manager typed their PIN for the act waiting on the desk: the act travels with the
    /// PIN check, so what is done is what the manager saw when typing.
    pub(crate) fn confirm_desk_act(&mut self, pin: Pin) {
        let Screen::Manager(desk) = &mut self.screen else {
            return;
        };
        let Some((act, _)) = desk.confirming.take() else {
            return;
        };
        match self.session_staff() {
            Some(staff_id) => self.start_pin_check(staff_id, pin, Then::DeskAct(act)),
            None => self.give_back_desk_act(act),
        }
    }

    /// A refused PIN: the act waits on the desk for another try (Esc cancels it).
    pub(crate) fn give_back_desk_act(&mut self, act: DeskAct) {
        if let Screen::Manager(desk) = &mut self.screen {
            desk.confirming = Some((act, Pin::default()));
        }
    }

    /// The manager's PIN passed: do the act, with the fresh proof as its authority.
    pub(crate) fn perform_desk_act(&mut self, proof: &PinProof, act: DeskAct) {
        let now = self.now();
        let lang = self.lang();
        let actor = Actor::Manager(proof);
        let store = &mut self.kiosk.store;
        let outcome = match &act {
            DeskAct::AddStaff {
                name,
                role,
                lang: speaks,
                hash,
            } => store
                .add_staff_speaking(name, *role, Some(*speaks), hash, actor, now)
                .map(|id| t!(lang, "desk-done-added", name = name.as_str(), id = id.0)),
            DeskAct::SetLang { id, lang: speaks } => {
                store.set_staff_lang(*id, *speaks, actor, now).map(|()| {
                    t!(
                        lang,
                        "desk-done-set-lang",
                        id = id.0,
                        language = speaks.name()
                    )
                })
            }
            DeskAct::ResetPin { id, hash } => store
                .reset_pin(*id, hash, actor, now)
                .map(|()| t!(lang, "desk-done-reset-pin", id = id.0)),
            DeskAct::Disable(id) => store
                .disable_staff(*id, actor, now)
                .map(|()| t!(lang, "desk-done-disabled", id = id.0)),
            DeskAct::Unlock(id) => store
                .unlock_staff(*id, actor, now)
                .map(|()| t!(lang, "desk-done-unlocked", id = id.0)),
            DeskAct::Import { source, parcels } => {
                let codes = self.kiosk.codes.clone();
                self.kiosk
                    .store
                    .import_expected(parcels, source, &codes, actor, now)
                    .map(|outcome| words::imported(lang, &outcome))
            }
            DeskAct::Correct {
                tracking_id,
                seq,
                reason,
                ..
            } => store
                .record_correction(proof, tracking_id, *seq, *reason, now)
                .and_then(|_| {
                    let status = store.parcel(tracking_id)?.map(|parcel| parcel.status);
                    Ok(t!(
                        lang,
                        "desk-done-corrected",
                        seq = *seq,
                        id = tracking_id.to_string(),
                        status = status.map_or_else(
                            || t!(lang, "desk-unknown"),
                            |status| labels::status(lang, status)
                        )
                    ))
                }),
            DeskAct::Quit => {
                self.should_quit = true;
                Ok(t!(lang, "desk-done-quitting"))
            }
        };
        match outcome {
            Ok(done) => {
                self.message = Some(Message::ok(t!(lang, "desk-done", done = done)));
                if let Screen::Manager(desk) = &mut self.screen {
                    if matches!(desk.page, DeskPage::StaffForm(_)) {
                        desk.page = DeskPage::Staff;
                    }
                    if matches!(desk.page, DeskPage::Import(_)) {
                        desk.page = DeskPage::Menu;
                    }
                }
                self.reload_desk_staff();
                if let DeskAct::Correct { tracking_id, .. } = &act {
                    self.reload_correction_target(tracking_id);
                }
            }
            Err(error) => self.message = Some(Message::alert(self.refusal_words(&error))),
        }
    }

    /// The parcel typed or scanned on the correction page: its records, the latest chosen.
    pub(super) fn load_correction_target(&mut self, typed: &str) {
        let typed = typed.trim();
        if typed.is_empty() {
            return;
        }
        let policy = self.kiosk.config.carriers.label_policy();
        let parsed = identify_label(typed, policy)
            .map(|label| label.tracking_id)
            .or_else(|_| TrackingId::parse(typed));
        let lang = self.lang();
        match parsed {
            Ok(id) => {
                if self.reload_correction_target(&id) {
                    self.message = Some(Message::info(t!(lang, "desk-correct-choose")));
                } else {
                    self.message = Some(Message::alert(t!(
                        lang,
                        "desk-correct-not-on-record",
                        id = id.to_string()
                    )));
                }
            }
            Err(reason) => {
                self.message = Some(Message::alert(t!(
                    lang,
                    "desk-correct-not-an-id",
                    reason = reason.to_string()
                )))
            }
        }
    }

    /// Shows the parcel's records on the correction page; false when the store has no parcel
    /// of that id.
    fn reload_correction_target(&mut self, id: &TrackingId) -> bool {
        let lang = self.lang();
        let store = &self.kiosk.store;
        let loaded = store.parcel(id).and_then(|parcel| {
            let Some(parcel) = parcel else {
                return Ok(None);
            };
            let names: HashMap<i64, String> = store
                .list_staff()?
                .into_iter()
                .map(|member| (member.id.0, member.display_name))
                .collect();
            let records: Vec<RecordLine> = store
                .parcel_history(id)?
                .into_iter()
                .filter(|event| event.body.kind.is_custody())
                .map(|event| RecordLine {
                    corrects: fact(&event.body.facts, CORRECTS).and_then(|seq| seq.parse().ok()),
                    seq: event.seq,
                    at: event.body.recorded_at,
                    kind: event.body.kind,
                    by: event.body.staff_id.map_or_else(
                        || t!(lang, "desk-correct-command-line"),
                        |staff| {
                            names
                                .get(&staff.0)
                                .cloned()
                                .unwrap_or_else(|| t!(lang, "desk-correct-staff", id = staff.0))
                        },
                    ),
                })
                .collect();
            Ok(Some(CorrectionTarget {
                tracking_id: id.clone(),
                status: parcel.status,
                shelf: parcel.shelf,
                latest: parcel.last_seq,
                selected: records
                    .iter()
                    .position(|record| record.seq == parcel.last_seq)
                    .unwrap_or(records.len().saturating_sub(1)),
                records,
            }))
        });
        match loaded {
            Ok(Some(target)) => {
                if let Screen::Manager(desk) = &mut self.screen
                    && let DeskPage::Correct(form) = &mut desk.page
                {
                    form.target = Some(target);
                }
                true
            }
            Ok(None) => false,
            Err(error) => {
                self.message = Some(Message::alert(self.refusal_words(&error)));
                true
            }
        }
    }

    /// Enter on the correction page with a record chosen: the act waits for the manager's PIN.
    pub(super) fn prepare_correction(&mut self) {
        let Screen::Manager(desk) = &mut self.screen else {
            return;
        };
        let DeskPage::Correct(form) = &desk.page else {
            return;
        };
        let reason = form.reason();
        let lang = self
            .session
            .as_ref()
            .map_or(self.kiosk.config.counter.language, |s| s.lang);
        let Some(target) = &form.target else {
            self.message = Some(Message::warn(t!(lang, "desk-correct-nothing")));
            return;
        };
        let Some(record) = target.chosen() else {
            return;
        };
        if record.seq != target.latest || !correctable(record.kind) {
            self.message = Some(Message::alert(t!(
                lang,
                "desk-correct-refused",
                seq = record.seq,
                kind = labels::kind(lang, record.kind)
            )));
            return;
        }
        let act = DeskAct::Correct {
            tracking_id: target.tracking_id.clone(),
            seq: record.seq,
            kind: record.kind,
            reason,
        };
        self.message = Some(Message::info(t!(
            lang,
            "desk-correct-undo",
            seq = record.seq,
            kind = labels::kind(lang, record.kind),
            reason = labels::reason(lang, reason)
        )));
        desk.confirming = Some((act, Pin::default()));
    }

    /// Compares what was scanned with what the ledger says is on the shelves, shows the
    /// differences and saves them as a report beside the ledger.
    pub(super) fn finish_shelf_check(&mut self) {
        let lang = self.lang();
        let on_record = match self.kiosk.store.parcels_on_shelves() {
            Ok(parcels) => parcels,
            Err(error) => {
                self.message = Some(Message::alert(self.refusal_words(&error)));
                return;
            }
        };
        let local = self.now().with_timezone(&self.kiosk.config.store.time_zone);
        let heading = format!(
            "{} {}",
            self.kiosk.config.store.id, self.kiosk.config.store.name
        );
        let folder = self
            .kiosk
            .config
            .ledger
            .database
            .parent()
            .map(|p| p.join("reports"))
            .unwrap_or_default();
        let Screen::Manager(desk) = &mut self.screen else {
            return;
        };
        let DeskPage::ShelfCheck(check) = &mut desk.page else {
            return;
        };
        let store = &self.kiosk.store;
        let status_of =
            |id: &TrackingId| store.parcel(id).ok().flatten().map(|parcel| parcel.status);
        // The screen and the file beside the ledger both speak the language of the manager who
        // did the check (nothing of it is recorded).
        let shown = judge_in(lang, &check.shelves, &check.scanned, &on_record, status_of);
        // Two checks in one second each keep their own file (never overwritten).
        let stem = format!("shelf-check-{}", local.format("%Y%m%d-%H%M%S"));
        let file = std::iter::once(folder.join(format!("{stem}.txt")))
            .chain((2_u32..100).map(|n| folder.join(format!("{stem}-{n}.txt"))))
            .find(|candidate| !candidate.exists())
            .unwrap_or_else(|| folder.join(format!("{stem}.txt")));
        let on_record_there = on_record
            .iter()
            .filter(|parcel| check.shelves.contains(&parcel.shelf))
            .count();
        let body = [
            t!(
                lang,
                "desk-shelf-file-heading",
                at = local.to_rfc3339(),
                store = heading
            ),
            t!(
                lang,
                "desk-shelf-file-checked",
                shelves = words::shelves_in(lang, &check.shelves)
            ),
            t!(
                lang,
                "desk-shelf-file-counts",
                scanned = check.scanned.len(),
                on_record = on_record_there
            ),
            String::new(),
            shown.lines.join("\n"),
        ]
        .join("\n")
            + "\n";
        let saved = crate::secrets::create_private_dir(&folder).and_then(|()| {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut handle = options.open(&file)?;
            handle.write_all(body.as_bytes())?;
            handle.sync_all()
        });
        check.report = shown.lines;
        check.all_found = shown.all_found;
        self.message = Some(match saved {
            Ok(()) => Message::ok(t!(
                lang,
                "desk-shelf-saved",
                file = file.display().to_string()
            )),
            Err(error) => {
                Message::alert(t!(lang, "desk-shelf-not-saved", error = error.to_string()))
            }
        });
    }
}
