//! The pickup counter's guards: finding a customer's held parcels by name when the code is lost
//! (the clerk then checks ID), and putting each refused pickup code on the chain, so the wait
//! after too many wrong codes is read back from the ledger, also after a restart.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::append::append_event;
use super::connection::{Store, require_active_staff};
use super::error::StoreError;
use super::parcel_rows::{PARCEL_COLUMNS, ParcelRecord, parcel_from_row};
use super::status_sets::HELD_FOR_CUSTOMER;
use crate::domain::chain::{CURRENT_FORMAT, Counterparty, CounterpartyKind, EventBody};
use crate::domain::clock::{from_micros, to_micros};
use crate::domain::custody::EventKind;
use crate::domain::ids::StaffId;

/// The fewest characters of a name searched for: fewer would list half the shelf.
pub const NAME_SEARCH_MIN_CHARS: usize = 3;

/// What a refused code's event says in the ledger view (the code itself is never kept).
const CODE_REFUSED_NOTE: &str = "a pickup code that opens no parcel here (the code is not kept)";

/// Parcels held for their customers whose recipient name contains `name` (any case), by
/// name, shelf and id. Only held parcels are read (through the status index), at most `limit`.
fn held_named_sql() -> String {
    format!(
        "SELECT {PARCEL_COLUMNS} FROM parcels
         WHERE status = {HELD_FOR_CUSTOMER} AND recipient_name LIKE ?1 ESCAPE '\\'
         ORDER BY recipient_name COLLATE NOCASE, shelf, tracking_id LIMIT ?2"
    )
}

/// `name` as a LIKE pattern matching it anywhere, its own `%`, `_` and `\` taken literally.
fn contains_pattern(name: &str) -> String {
    let mut pattern = String::with_capacity(name.len() + 2);
    pattern.push('%');
    for character in name.chars() {
        if matches!(character, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(character);
    }
    pattern.push('%');
    pattern
}

impl Store {
    /// Parcels held for customers whose name contains `name` (at least
    /// [`NAME_SEARCH_MIN_CHARS`] characters; fewer find nothing), for a pickup without the code.
    pub fn held_parcels_named(
        &self,
        name: &str,
        limit: usize,
    ) -> Result<Vec<ParcelRecord>, StoreError> {
        let name = name.trim();
        if name.chars().count() < NAME_SEARCH_MIN_CHARS {
            return Ok(Vec::new());
        }
        let limit = limit.clamp(1, 500) as i64;
        self.collect_rows(
            &held_named_sql(),
            params![contains_pattern(name), limit],
            parcel_from_row,
        )
    }

    /// Puts a refused pickup code on the chain: when, and which signed-in clerk typed it. The
    /// code is not kept, not even as a digest: a wrong code names no parcel, and six digits
    /// are quickly found from any digest of them.
    pub fn record_pickup_code_refused(
        &mut self,
        clerk: StaffId,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        self.write(now, |tx, sql| {
            require_active_staff(tx, clerk.0, sql)?;
            let body = EventBody {
                recorded_at: now,
                kind: EventKind::PickupCodeRefused,
                staff_id: Some(clerk),
                counterparty: Counterparty {
                    kind: CounterpartyKind::Customer,
                    reference: String::new(),
                },
                items: Vec::new(),
                token_id: None,
                note: CODE_REFUSED_NOTE.to_owned(),
                format: CURRENT_FORMAT,
                facts: Vec::new(),
            };
            Ok(append_event(tx, &body).map_err(sql)?.seq)
        })
    }

    /// When pickup codes were refused at or after `since`, oldest first (the time index).
    pub fn pickup_codes_refused_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>, StoreError> {
        self.collect_rows(
            "SELECT recorded_at_us FROM events WHERE recorded_at_us >= ?1 AND kind = ?2
             ORDER BY recorded_at_us",
            params![to_micros(since), EventKind::PickupCodeRefused.code()],
            |row| row.get::<_, i64>(0).map(from_micros),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::query_plan::*;

    fn plan(store: &Store, sql: &str) -> String {
        query_plan(store, sql, params!["%a%", 10])
    }

    #[test]
    fn the_name_search_reads_held_parcels_only_through_an_index() {
        let (_dir, store) = temp_store();
        let plan = plan(&store, &held_named_sql());
        assert!(plan.contains("USING INDEX"), "{plan}");
        assert!(!plan.contains("SCAN parcels"), "{plan}");
        let refused = plan_of_refusals(&store);
        assert!(refused.contains("events_by_time"), "{refused}");
    }

    fn plan_of_refusals(store: &Store) -> String {
        query_plan(
            store,
            "SELECT recorded_at_us FROM events WHERE recorded_at_us >= ?1 AND kind = ?2",
            params![0, "pickup_code_refused"],
        )
    }

    #[test]
    fn like_wildcards_in_a_name_are_taken_literally() {
        assert_eq!(contains_pattern("Ana"), "%Ana%");
        assert_eq!(contains_pattern("5%_\\"), "%5\\%\\_\\\\%");
    }
}
