//! Staff records, PIN checks and their failure counters. Counters live in the database so a
//! restart, or a kill -9, resets nothing.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::append::append_event;
use super::connection::{Commit, Store};
use super::error::StoreError;
use crate::domain::chain::{CURRENT_FORMAT, Counterparty, CounterpartyKind, EventBody, Fact};
use crate::domain::clock::{from_micros, to_micros};
use crate::domain::custody::EventKind;
use crate::domain::ids::StaffId;
use crate::domain::pin::{AfterFailure, LockoutPolicy, NewPinHash, Pin, PinHasher};
use crate::domain::projection::{StaffRow, staff_pin_digest};
use crate::domain::staff::{
    AuthError, PinProof, Role, StaffMember, WARN_AFTER_FAILURES, check_name_unique,
    validate_display_name,
};
use crate::i18n::Lang;

/// Who performs an administrative act on staff.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'proof> {
    /// Someone at the counter PC's shell. They can read the database file anyway; the act is
    /// still written to the ledger as done from the command line.
    AdminCommandLine,
    /// A manager who has just entered their PIN (the TUI's manager desk).
    Manager(&'proof PinProof),
}

impl Actor<'_> {
    fn staff_id(&self, now: DateTime<Utc>) -> Result<Option<StaffId>, StoreError> {
        match self {
            Actor::AdminCommandLine => Ok(None),
            Actor::Manager(proof) => {
                if proof.role() != Role::Manager {
                    return Err(StoreError::NotManager);
                }
                if !proof.is_fresh(now) {
                    return Err(StoreError::ProofExpired);
                }
                Ok(Some(proof.staff_id()))
            }
        }
    }
}

/// The first, fast half of a PIN check: what the database says about the staff member. Running
/// the slow argon2 half ([`PinCheck::run`]) needs no database, so the TUI can do it on its
/// worker thread while the UI thread keeps drawing.
#[derive(Debug, Clone)]
pub struct PinCheck {
    staff: Option<StaffMember>,
    pin_phc: Option<String>,
}

/// The result of the slow half; only [`PinCheck::run`] makes one.
#[derive(Debug, Clone)]
pub struct PinCheckOutcome {
    staff: Option<StaffMember>,
    pin_matches: bool,
}

impl PinCheck {
    /// Verifies the PIN (slow, ~0.1-0.3 s). An unknown staff member is checked against a dummy
    /// hash so both cases take the same time.
    pub fn run(self, pin: &Pin, hasher: &PinHasher) -> PinCheckOutcome {
        let pin_matches = hasher.verify(pin, self.pin_phc.as_deref());
        PinCheckOutcome {
            staff: self.staff,
            pin_matches: pin_matches && self.pin_phc.is_some(),
        }
    }
}

const STAFF_COLUMNS: &str =
    "id, display_name, role, active, consecutive_failures, locked_until_us, lang";

fn staff_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<StaffMember> {
    let role: String = row.get(2)?;
    Ok(StaffMember {
        id: StaffId(row.get(0)?),
        display_name: row.get(1)?,
        role: role.parse().unwrap_or(Role::Clerk),
        active: row.get::<_, i64>(3)? == 1,
        consecutive_failures: u32::try_from(row.get::<_, i64>(4)?).unwrap_or(u32::MAX),
        locked_until: row.get::<_, Option<i64>>(5)?.map(from_micros),
        // The column's CHECK admits only codes the kiosk speaks.
        lang: row
            .get::<_, Option<String>>(6)?
            .as_deref()
            .and_then(Lang::parse),
    })
}

impl Store {
    pub fn staff_count(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM staff", [], |row| row.get::<_, i64>(0))
            .map(|count| count.max(0) as u64)
            .map_err(|e| self.sql_error(e))
    }

    pub fn list_staff(&self) -> Result<Vec<StaffMember>, StoreError> {
        self.collect_rows(
            &format!("SELECT {STAFF_COLUMNS} FROM staff ORDER BY id"),
            [],
            staff_from_row,
        )
    }

    pub fn staff_member(&self, id: StaffId) -> Result<Option<StaffMember>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {STAFF_COLUMNS} FROM staff WHERE id = ?1"),
                [id.0],
                staff_from_row,
            )
            .optional()
            .map_err(|e| self.sql_error(e))
    }

    /// Enrols a staff member. The PIN was checked and hashed before (see
    /// [`PinHasher::hash_new_pin`]), so the slow part holds no lock. The enrolment itself is an event in the ledger.
    pub fn add_staff(
        &mut self,
        name: &str,
        role: Role,
        pin_hash: &NewPinHash,
        actor: Actor<'_>,
        now: DateTime<Utc>,
    ) -> Result<StaffId, StoreError> {
        self.add_staff_speaking(name, role, None, pin_hash, actor, now)
    }

    /// Enrols a staff member who reads the counter in `lang` (`None`: the counter's own). The
    /// language is kept beside the member, not in the enrolment event: the event is the same
    /// whichever language they speak.
    pub fn add_staff_speaking(
        &mut self,
        name: &str,
        role: Role,
        lang: Option<Lang>,
        pin_hash: &NewPinHash,
        actor: Actor<'_>,
        now: DateTime<Utc>,
    ) -> Result<StaffId, StoreError> {
        let display_name =
            validate_display_name(name).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let actor_id = actor.staff_id(now)?;
        let phc = pin_hash.phc();
        self.write(now, |tx, sql| {
            // Checked inside the write transaction, so two enrolments cannot race past it.
            let names: Vec<(StaffId, String)> = {
                let mut statement = tx
                    .prepare("SELECT id, display_name FROM staff")
                    .map_err(sql)?;
                let rows = statement
                    .query_map([], |row| Ok((StaffId(row.get(0)?), row.get(1)?)))
                    .map_err(sql)?;
                rows.collect::<rusqlite::Result<_>>().map_err(sql)?
            };
            check_name_unique(&display_name, &names)
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
            tx.execute(
                "INSERT INTO staff (display_name, role, pin_phc, created_at_us, lang) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![display_name, role.code(), phc, to_micros(now), lang.map(Lang::code)],
            )
            .map_err(sql)?;
            let id = StaffId(tx.last_insert_rowid());
            let facts = staff_facts(tx, id).map_err(sql)?;
            append_event(
                tx,
                &admin_event(
                    EventKind::StaffEnrolled,
                    actor_id,
                    id,
                    format!("{display_name} ({role})"),
                    facts,
                    now,
                ),
            )
            .map_err(sql)?;
            Ok(id)
        })
    }

    /// Disables a staff member: they can no longer sign in or record anything.
    pub fn disable_staff(
        &mut self,
        id: StaffId,
        actor: Actor<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let actor_id = actor.staff_id(now)?;
        self.change_staff(
            id,
            actor_id,
            EventKind::StaffDisabled,
            "disabled",
            now,
            |tx| tx.execute("UPDATE staff SET active = 0 WHERE id = ?1", [id.0]),
        )
    }

    /// Sets a new PIN, re-enables the account and clears its failure counters.
    pub fn reset_pin(
        &mut self,
        id: StaffId,
        pin_hash: &NewPinHash,
        actor: Actor<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let actor_id = actor.staff_id(now)?;
        let phc = pin_hash.phc();
        self.change_staff(id, actor_id, EventKind::StaffPinReset, "PIN reset, account enabled", now, |tx| {
            tx.execute(
                "UPDATE staff SET pin_phc = ?1, active = 1, consecutive_failures = 0, locked_until_us = NULL WHERE id = ?2",
                params![phc, id.0],
            )
        })
    }

    /// Sets the language the counter speaks to a member from their next sign-in. Not a ledger
    /// event: who may record is unchanged, and nothing translated is ever recorded.
    pub fn set_staff_lang(
        &mut self,
        id: StaffId,
        lang: Lang,
        actor: Actor<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        actor.staff_id(now)?;
        self.write(now, |tx, sql| {
            let changed = tx
                .execute(
                    "UPDATE staff SET lang = ?1 WHERE id = ?2",
                    params![lang.code(), id.0],
                )
                .map_err(sql)?;
            if changed == 0 {
                return Err(StoreError::Invalid(format!(
                    "there is no staff member {id}"
                )));
            }
            Ok(())
        })
    }

    /// Clears a lockout wait (not a disable: that needs a new PIN).
    pub fn unlock_staff(
        &mut self,
        id: StaffId,
        actor: Actor<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let actor_id = actor.staff_id(now)?;
        self.change_staff(id, actor_id, EventKind::StaffUnlocked, "lockout cleared", now, |tx| {
            tx.execute(
                "UPDATE staff SET consecutive_failures = 0, locked_until_us = NULL WHERE id = ?1 AND active = 1",
                [id.0],
            )
        })
    }

    fn change_staff(
        &mut self,
        id: StaffId,
        actor_id: Option<StaffId>,
        kind: EventKind,
        what: &str,
        now: DateTime<Utc>,
        change: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<usize>,
    ) -> Result<(), StoreError> {
        self.write(now, |tx, sql| {
            if change(tx).map_err(sql)? == 0 {
                return Err(StoreError::Invalid(format!(
                    "there is no staff member {id}"
                )));
            }
            let facts = staff_facts(tx, id).map_err(sql)?;
            append_event(
                tx,
                &admin_event(kind, actor_id, id, what.to_owned(), facts, now),
            )
            .map_err(sql)?;
            Ok(())
        })
    }

    /// The fast first half of a PIN check. Refuses at once (without hashing) when the account is
    /// disabled or waiting out a lockout; an unknown id goes on to a dummy check.
    pub fn begin_pin_check(
        &self,
        id: StaffId,
        lockout: &LockoutPolicy,
        now: DateTime<Utc>,
    ) -> Result<PinCheck, StoreError> {
        let record: Option<(StaffMember, String)> = self
            .conn
            .query_row(
                &format!("SELECT {STAFF_COLUMNS}, pin_phc FROM staff WHERE id = ?1"),
                [id.0],
                |row| Ok((staff_from_row(row)?, row.get(7)?)),
            )
            .optional()
            .map_err(|e| self.sql_error(e))?;
        let is_manager = record
            .as_ref()
            .is_some_and(|(staff, _)| staff.role == Role::Manager);
        if !is_manager && let Some(until) = self.kiosk_locked_until(lockout, now)? {
            return Err(AuthError::KioskLocked { until }.into());
        }
        match record {
            None => Ok(PinCheck {
                staff: None,
                pin_phc: None,
            }),
            Some((staff, _)) if !staff.active => Err(AuthError::Disabled.into()),
            Some((staff, _))
                if let Some(until) = staff
                    .locked_until
                    .and_then(|until| lockout.wait_ends(until, now)) =>
            {
                Err(AuthError::LockedOut { until }.into())
            }
            Some((staff, phc)) => Ok(PinCheck {
                staff: Some(staff),
                pin_phc: Some(phc),
            }),
        }
    }

    /// When too many wrong PINs were typed at this kiosk lately: until when only managers may
    /// sign in.
    pub fn kiosk_locked_until(
        &self,
        lockout: &LockoutPolicy,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let window_start = to_micros(now - lockout.kiosk_window);
        let (count, oldest): (i64, Option<i64>) = self
            .conn
            .query_row(
                "SELECT count(*), min(at_us) FROM pin_failures WHERE at_us > ?1",
                [window_start],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(|e| self.sql_error(e))?;
        if count < i64::from(lockout.kiosk_failure_limit) {
            return Ok(None);
        }
        // Locked until enough of the failures have aged out of the window.
        let keep = i64::from(lockout.kiosk_failure_limit) - 1;
        let releasing: Option<i64> = self
            .conn
            .query_row(
                "SELECT at_us FROM pin_failures WHERE at_us > ?1 ORDER BY at_us DESC LIMIT 1 OFFSET ?2",
                [window_start, keep],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.sql_error(e))?;
        Ok(releasing
            .or(oldest)
            .and_then(|at| lockout.kiosk_lock_ends(from_micros(at) + lockout.kiosk_window, now)))
    }

    /// The second fast half: records the outcome and, on success, returns the proof that
    /// recording a handoff requires.
    pub fn finish_pin_check(
        &mut self,
        outcome: PinCheckOutcome,
        lockout: &LockoutPolicy,
        now: DateTime<Utc>,
    ) -> Result<PinProof, StoreError> {
        let Some(staff) = outcome.staff else {
            self.note_pin_failure(None, now)?;
            return Err(AuthError::WrongStaffOrPin.into());
        };
        // Unguarded: the counters are not custody records, and a manager must still be able to
        // sign in to see why recording stopped. Deferred on a read-only ledger, which takes no
        // write lock (a correct PIN there writes nothing).
        let behavior = if self.read_only {
            TransactionBehavior::Deferred
        } else {
            TransactionBehavior::Immediate
        };
        self.write_with(behavior, Commit::Unguarded, |tx, sql| {
            // Re-read inside the transaction: the account may have been disabled meanwhile.
            let (active, failures): (i64, i64) = tx
                .query_row(
                    "SELECT active, consecutive_failures FROM staff WHERE id = ?1",
                    [staff.id.0],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .map_err(sql)?;
            if active != 1 {
                // Nothing was written: rolling back loses nothing.
                return Err(AuthError::Disabled.into());
            }
            if outcome.pin_matches {
                // Write only what changes, so a read-only ledger can still check a manager's PIN.
                if failures > 0 || staff.locked_until.is_some() {
                    tx.execute(
                        "UPDATE staff SET consecutive_failures = 0, locked_until_us = NULL WHERE id = ?1",
                        [staff.id.0],
                    )
                    .map_err(sql)?;
                }
                let kiosk_failures: bool = tx
                    .query_row("SELECT EXISTS (SELECT 1 FROM pin_failures)", [], |row| {
                        row.get(0)
                    })
                    .map_err(sql)?;
                if staff.role == Role::Manager && kiosk_failures {
                    // A manager at the counter has seen the alarm: the kiosk opens again.
                    tx.execute("DELETE FROM pin_failures", []).map_err(sql)?;
                }
                return Ok(Ok(PinProof::new(
                    staff.id,
                    staff.role,
                    staff.display_name.clone(),
                    now,
                )
                .speaking(staff.lang)));
            }
            let failures = u32::try_from(failures + 1).unwrap_or(u32::MAX);
            match lockout.after_failure(failures, now) {
                AfterFailure::TryAgain { .. } => tx.execute(
                    "UPDATE staff SET consecutive_failures = ?1 WHERE id = ?2",
                    params![failures, staff.id.0],
                ),
                AfterFailure::WaitUntil(until) => tx.execute(
                    "UPDATE staff SET consecutive_failures = ?1, locked_until_us = ?2 WHERE id = ?3",
                    params![failures, to_micros(until), staff.id.0],
                ),
                AfterFailure::Disable => tx
                    .execute(
                        "UPDATE staff SET consecutive_failures = ?1, active = 0 WHERE id = ?2",
                        params![failures, staff.id.0],
                    )
                    .and_then(|changed| {
                        // Who may record is a rule: the disable goes on the chain like a manager's.
                        let facts = staff_facts(tx, staff.id)?;
                        let note = format!("disabled after {failures} wrong PINs in a row");
                        let event =
                            admin_event(EventKind::StaffDisabled, None, staff.id, note, facts, now);
                        append_event(tx, &event).map(|_| changed)
                    }),
            }
            .map_err(sql)?;
            tx.execute(
                "INSERT INTO pin_failures (at_us, staff_id) VALUES (?1, ?2)",
                params![to_micros(now), staff.id.0],
            )
            .map_err(sql)?;
            // Committed: the failure must count even though the check fails.
            let refusal = match lockout.after_failure(failures, now) {
                AfterFailure::TryAgain {
                    failures_left_before_wait,
                } if failures >= WARN_AFTER_FAILURES => AuthError::WrongPinWarned {
                    tries_left: failures_left_before_wait,
                    wait: lockout.base_wait,
                },
                _ => AuthError::WrongStaffOrPin,
            };
            Ok(Err(refusal.into()))
        })?
    }

    fn note_pin_failure(
        &self,
        staff: Option<StaffId>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO pin_failures (at_us, staff_id) VALUES (?1, ?2)",
                params![to_micros(now), staff.map(|id| id.0)],
            )
            .map(|_| ())
            .map_err(|e| self.sql_error(e))
    }

    /// The whole PIN check in one call, for the command line and tests. The TUI uses the three
    /// halves so the slow one runs off the UI thread.
    pub fn verify_pin(
        &mut self,
        id: StaffId,
        pin: &Pin,
        hasher: &PinHasher,
        lockout: &LockoutPolicy,
        now: impl Fn() -> DateTime<Utc>,
    ) -> Result<PinProof, StoreError> {
        let check = self.begin_pin_check(id, lockout, now())?;
        let outcome = check.run(pin, hasher);
        self.finish_pin_check(outcome, lockout, now())
    }
}

/// The staff member's state as a staff event carries it (see [`StaffRow::facts`]).
fn staff_facts(tx: &rusqlite::Transaction<'_>, id: StaffId) -> rusqlite::Result<Vec<Fact>> {
    tx.query_row(
        "SELECT display_name, role, active, pin_phc, created_at_us FROM staff WHERE id = ?1",
        [id.0],
        |row| {
            let phc: String = row.get(3)?;
            Ok(StaffRow {
                id: id.0,
                display_name: row.get(0)?,
                role: row.get(1)?,
                active: row.get::<_, i64>(2)? == 1,
                pin_digest: staff_pin_digest(id.0, &phc),
                created_at_us: row.get(4)?,
            }
            .facts())
        },
    )
}

fn admin_event(
    kind: EventKind,
    actor: Option<StaffId>,
    subject: StaffId,
    note: String,
    facts: Vec<Fact>,
    now: DateTime<Utc>,
) -> EventBody {
    EventBody {
        recorded_at: now,
        kind,
        staff_id: actor,
        counterparty: Counterparty {
            kind: CounterpartyKind::Store,
            reference: format!("staff:{subject}"),
        },
        items: Vec::new(),
        token_id: None,
        note,
        format: CURRENT_FORMAT,
        facts,
    }
}
