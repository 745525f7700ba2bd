//! Looking parcels up: by tracking id, pickup code, status, shelf or typed text, and the lists
//! a driver and the shelf check work from. Every query is indexed.

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;

use super::connection::Store;
use super::error::StoreError;
use super::parcel_rows::{
    PARCEL_COLUMNS, ParcelRecord, held_under_code, on_hand_count, parcel_from_row,
};
use super::status_sets::{AWAITING_DRIVER, HELD_FOR_CUSTOMER, ON_SHELF};
use crate::domain::clock::to_micros;
use crate::domain::codes::{CodeDigester, PickupCode};
use crate::domain::custody::ParcelStatus;
use crate::domain::handoff::ParcelOrigin;
use crate::domain::ids::TrackingId;

impl Store {
    pub fn parcel(&self, tracking_id: &TrackingId) -> Result<Option<ParcelRecord>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {PARCEL_COLUMNS} FROM parcels WHERE tracking_id = ?1"),
                [tracking_id.as_str()],
                parcel_from_row,
            )
            .optional()
            .map_err(|e| self.sql_error(e))
    }

    fn parcels_where(
        &self,
        condition: &str,
        parameters: impl rusqlite::Params,
    ) -> Result<Vec<ParcelRecord>, StoreError> {
        self.collect_rows(
            &format!("SELECT {PARCEL_COLUMNS} FROM parcels WHERE {condition}"),
            parameters,
            parcel_from_row,
        )
    }

    /// The parcels a pickup code unlocks (held for their customer).
    pub fn parcels_for_code(
        &self,
        code: &PickupCode,
        codes: &CodeDigester,
    ) -> Result<Vec<ParcelRecord>, StoreError> {
        let digest = codes.digest(code);
        self.parcels_where(
            &format!("{} ORDER BY shelf, tracking_id", held_under_code()),
            [digest.as_slice()],
        )
    }

    /// Held parcels whose hold has ended: due back to a driver.
    pub fn expired_parcels(&self, now: DateTime<Utc>) -> Result<Vec<ParcelRecord>, StoreError> {
        self.parcels_where(
            &format!(
                "status = {HELD_FOR_CUSTOMER} AND hold_expires_at_us <= ?1 ORDER BY hold_expires_at_us"
            ),
            [to_micros(now)],
        )
    }

    /// Everything a driver should take, most urgent first: the shop's orders by must-leave-by
    /// time, then expired holds, then drop-offs and returns in the order they came in.
    pub fn parcels_due_to_driver(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<ParcelRecord>, StoreError> {
        let order = ParcelOrigin::Order.as_str();
        let mut due = self.parcels_where(
            &format!(
                "status = {AWAITING_DRIVER} AND origin = ?1 ORDER BY leave_by_us, received_at_us"
            ),
            [order],
        )?;
        due.extend(self.expired_parcels(now)?);
        due.extend(self.parcels_where(
            &format!("status = {AWAITING_DRIVER} AND origin <> ?1 ORDER BY received_at_us"),
            [order],
        )?);
        Ok(due)
    }

    /// The shop's orders that must leave before `deadline` and are still here.
    pub fn orders_leaving_before(
        &self,
        deadline: DateTime<Utc>,
    ) -> Result<Vec<ParcelRecord>, StoreError> {
        self.parcels_where(
            &format!(
                "status = {AWAITING_DRIVER} AND origin = ?2 AND leave_by_us <= ?1 ORDER BY leave_by_us"
            ),
            rusqlite::params![to_micros(deadline), ParcelOrigin::Order.as_str()],
        )
    }

    pub fn parcels_with_status(
        &self,
        status: ParcelStatus,
    ) -> Result<Vec<ParcelRecord>, StoreError> {
        self.parcels_where("status = ?1 ORDER BY shelf, tracking_id", [status.code()])
    }

    /// Every parcel that should be on a shelf now, for the shelf check.
    pub fn parcels_on_shelves(&self) -> Result<Vec<ParcelRecord>, StoreError> {
        self.parcels_where(
            &format!("status IN {ON_SHELF} ORDER BY shelf, tracking_id"),
            [],
        )
    }

    /// Finds parcels as a clerk types: an exact tracking id, a shelf, or any 3+ characters of a
    /// tracking id or recipient name (trigram index), newest first. Indexed throughout.
    pub fn search_parcels(
        &self,
        query: &str,
        limit: usize,
    ) -> Result<Vec<ParcelRecord>, StoreError> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let limit = limit.clamp(1, 200) as i64;
        let mut found = Vec::new();
        if let Ok(id) = TrackingId::parse(query)
            && let Some(parcel) = self.parcel(&id)?
        {
            // A scanned label: the parcel itself is the answer.
            return Ok(vec![parcel]);
        }
        let shelf_like =
            query.chars().count() <= 4 && query.chars().all(|c| c.is_ascii_alphanumeric());
        if shelf_like {
            found.extend(self.parcels_where(
                &format!("shelf = ?1 AND status IN {ON_SHELF} ORDER BY tracking_id LIMIT ?2"),
                rusqlite::params![query.to_ascii_uppercase(), limit],
            )?);
        }
        if query.chars().count() >= 3 {
            // A phrase of the raw text: quotes doubled so the query cannot inject FTS syntax.
            let phrase = format!("\"{}\"", query.replace('"', "\"\""));
            found.extend(self.parcels_where(
                "rowid IN (SELECT rowid FROM parcel_search WHERE parcel_search MATCH ?1 ORDER BY rowid DESC LIMIT ?2)
                 ORDER BY rowid DESC",
                rusqlite::params![phrase, limit],
            )?);
        }
        let mut seen = std::collections::HashSet::new();
        found.retain(|parcel| seen.insert(parcel.tracking_id.clone()));
        found.truncate(limit as usize);
        Ok(found)
    }

    /// Parcels on the shelves now.
    pub fn on_hand(&self) -> Result<u64, StoreError> {
        on_hand_count(&self.conn).map_err(|e| self.sql_error(e))
    }

    /// The recipient name and postal code the carrier announced for a parcel, if any.
    pub fn expected_parcel(
        &self,
        tracking_id: &TrackingId,
    ) -> Result<Option<(String, String)>, StoreError> {
        self.conn
            .query_row(
                "SELECT recipient_name, postal_code FROM expected_parcels WHERE tracking_id = ?1",
                [tracking_id.as_str()],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sql_error(e))
    }

    /// Whether a tracking id was announced by the carrier.
    pub fn is_expected(&self, tracking_id: &TrackingId) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM expected_parcels WHERE tracking_id = ?1)",
                [tracking_id.as_str()],
                |row| row.get(0),
            )
            .map_err(|e| self.sql_error(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::query_plan::*;

    fn plan(store: &Store, sql: &str) -> String {
        query_plan(store, sql, [[0_u8; 32].as_slice()])
    }

    #[test]
    fn code_lookups_use_the_code_index_not_a_walk_over_held_parcels() {
        let (_dir, store) = temp_store();
        for sql in [
            format!(
                "SELECT EXISTS (SELECT 1 FROM parcels WHERE {})",
                held_under_code()
            ),
            format!(
                "SELECT {PARCEL_COLUMNS} FROM parcels WHERE {} ORDER BY shelf",
                held_under_code()
            ),
        ] {
            let plan = plan(&store, &sql);
            assert!(
                plan.contains("USING INDEX parcels_by_code"),
                "{sql}:\n{plan}"
            );
        }
    }
}
