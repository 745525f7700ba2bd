//! Putting a reprinted slip on the chain: which record's slip, and which signed-in clerk asked.
//! The event moves no parcel and names none (no items), so no count, replay or export takes
//! it for a handoff.

use chrono::{DateTime, Utc};

use super::append::append_event;
use super::connection::{Store, require_active_staff};
use super::error::StoreError;
use crate::domain::chain::{CURRENT_FORMAT, Counterparty, CounterpartyKind, EventBody};
use crate::domain::custody::EventKind;
use crate::domain::ids::StaffId;

/// The fact naming the record whose slip was printed again.
pub const REPRINTS_SEQ: &str = "reprints_seq";
/// The fact naming the slip ("receipt", "pickup notice", ...).
pub const SLIP: &str = "slip";

impl Store {
    /// Logs that `clerk` printed the slip of record `seq` again; returns the new event's seq.
    pub fn record_slip_reprinted(
        &mut self,
        clerk: StaffId,
        seq: u64,
        slip: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        self.write(now, |tx, sql| {
            require_active_staff(tx, clerk.0, sql)?;
            let body = EventBody {
                recorded_at: now,
                kind: EventKind::SlipReprinted,
                staff_id: Some(clerk),
                counterparty: Counterparty {
                    kind: CounterpartyKind::Store,
                    reference: String::new(),
                },
                items: Vec::new(),
                token_id: None,
                note: format!("{slip} of record #{seq} printed again"),
                format: CURRENT_FORMAT,
                facts: vec![
                    (REPRINTS_SEQ.to_owned(), seq.to_string()),
                    (SLIP.to_owned(), slip.to_owned()),
                ],
            };
            Ok(append_event(tx, &body).map_err(sql)?.seq)
        })
    }
}
