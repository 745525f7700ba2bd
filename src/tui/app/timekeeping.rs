//! What time makes due on its own: the idle lock, a flow's QR renewal, the end-of-day
//! checkpoint, and when the loop must wake next so an idle kiosk uses no CPU.

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};

use super::{App, Screen};
use crate::tui::message::Message;
use crate::tui::screens::desk::DeskPage;
use crate::tui::screens::ledger::ChainState;
use crate::tui::text;

impl App {
    /// Whether something runs in the background that the screen shows a spinner for.
    fn background_on_screen(&self) -> bool {
        match &self.screen {
            Screen::Ledger(view) => matches!(view.chain, ChainState::Checking { .. }),
            Screen::Manager(desk) => matches!(
                desk.page,
                DeskPage::Report { text: None, .. } | DeskPage::Export { job: Some(_), .. }
            ),
            _ => false,
        }
    }

    /// Whether the idle lock would take something away: a session, a half-typed PIN, the quit
    /// screen.
    fn has_something_to_lose(&self) -> bool {
        self.session.is_some()
            || matches!(&self.screen, Screen::Lock(form) if !form.pin.is_empty())
            || matches!(self.screen, Screen::Quit(_))
    }

    /// Whole seconds left before the idle lock, in its last [`text::IDLE_WARNING_SECONDS`]
    /// (the screen warns then); `None` before that or when there is nothing to lose.
    pub fn idle_lock_in(&self) -> Option<i64> {
        if !self.has_something_to_lose() {
            return None;
        }
        let left = self.last_activity + self.kiosk.config.security.idle_lock - self.now();
        let seconds = (left.num_milliseconds() + 999) / 1000;
        (seconds > 0 && seconds <= text::IDLE_WARNING_SECONDS).then_some(seconds)
    }

    /// Does whatever time makes due: idle lock, token rotation, the end-of-day checkpoint.
    pub fn tick(&mut self) {
        let now = self.now();
        if self.pending.is_some() || self.background_on_screen() {
            self.spinner_frame = self.spinner_frame.wrapping_add(1);
        }
        let idle_for = now - self.last_activity;
        if self.has_something_to_lose() && idle_for >= self.kiosk.config.security.idle_lock {
            self.last_activity = now;
            // Said before the lock: the counter then speaks its own language again.
            let words = text::idle_locked(self.lang());
            self.lock(Some(Message::warn(words)));
        }
        if let Screen::Flow(flow) = &mut self.screen {
            let action = flow.tick(now);
            self.perform(action);
        }
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
            Err(error) => self.say(Message::alert(crate::t!(
                self.lang(),
                "app-checkpoint-failed",
                error = self.refusal_words(&error)
            ))),
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
        if self.pending.is_some() || self.background_on_screen() {
            deadline = deadline.min(now + Duration::milliseconds(120));
        }
        if self.has_something_to_lose() {
            let lock_at = self.last_activity + self.kiosk.config.security.idle_lock;
            deadline = deadline.min(lock_at);
            // The warning counts down each second before the lock.
            let warn_from = lock_at - Duration::seconds(text::IDLE_WARNING_SECONDS);
            if now >= warn_from {
                let into = (now - warn_from).num_milliseconds().rem_euclid(1000);
                deadline = deadline.min(now + Duration::milliseconds(1000 - into));
            } else {
                deadline = deadline.min(warn_from);
            }
        }
        if let Screen::Flow(flow) = &self.screen
            && let Some(due) = flow.next_deadline()
        {
            deadline = deadline.min(due);
        }
        let tomorrow = self.kiosk.config.calendar.local_date(now).succ_opt();
        if let Some(day) = tomorrow {
            deadline = deadline.min(self.kiosk.config.calendar.start_of_day(day));
        }
        deadline.max(now)
    }
}
