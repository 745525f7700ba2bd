//! Queries by carrier for the counter: a driver's due list for their carrier, parcels on hand
//! per carrier, and announced parcels that have not arrived. Every query is indexed.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::connection::Store;
use super::error::StoreError;
use super::parcel_rows::{PARCEL_COLUMNS, ParcelRecord, parcel_from_row};
use super::status_sets::{AWAITING_DRIVER, HELD_FOR_CUSTOMER, IN_CUSTODY, ON_SHELF};
use crate::domain::clock::{from_micros, to_micros};
use crate::domain::expected::AnnouncedParcel;
use crate::domain::handoff::ParcelOrigin;
use crate::domain::ids::TrackingId;
use crate::domain::labels::{Carrier, LabelPolicy, carrier_of, identify_label};

/// A parcel whose id names no carrier (`other`: a shop's own number, a drop-off's or return's
/// unknown label; `sscc`: any shipper may print one) is on every driver's list: the clerk and
/// the driver decide, as before the kiosk knew carriers.
const FOR_DRIVER: &str = "carrier IN (?2, ?3, ?4)";

/// "Announced, not here yet": no parcel of that id has arrived since it was announced. A
/// parcel in custody has arrived; one that left before a later re-announcement has not.
fn not_arrived() -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM parcels p WHERE p.tracking_id = e.tracking_id
         AND (p.status IN {IN_CUSTODY} OR p.received_at_us >= e.imported_at_us))"
    )
}

impl Store {
    /// [`Store::parcels_due_to_driver`] for a driver of `carrier`: the same order, only the
    /// parcels of that carrier and those whose id names no carrier (see [`FOR_DRIVER`]).
    /// `None` is every parcel due, for a driver whose carrier the clerk did not pick.
    pub fn parcels_due_to_driver_for(
        &self,
        now: DateTime<Utc>,
        carrier: Option<&Carrier>,
    ) -> Result<Vec<ParcelRecord>, StoreError> {
        let Some(carrier) = carrier else {
            return self.parcels_due_to_driver(now);
        };
        let code = carrier.code();
        let (other, sscc) = (Carrier::Other.code(), Carrier::Sscc.code());
        let order = ParcelOrigin::Order.as_str();
        let rows = |condition: String, first: &dyn rusqlite::ToSql| {
            self.collect_rows(
                &format!("SELECT {PARCEL_COLUMNS} FROM parcels WHERE {condition}"),
                params![first, code, other, sscc],
                parcel_from_row,
            )
        };
        let mut due = rows(
            format!(
                "status = {AWAITING_DRIVER} AND origin = ?1 AND {FOR_DRIVER} ORDER BY leave_by_us, received_at_us"
            ),
            &order,
        )?;
        due.extend(rows(
            format!(
                "status = {HELD_FOR_CUSTOMER} AND hold_expires_at_us <= ?1 AND {FOR_DRIVER} ORDER BY hold_expires_at_us"
            ),
            &to_micros(now),
        )?);
        due.extend(rows(
            format!(
                "status = {AWAITING_DRIVER} AND origin <> ?1 AND {FOR_DRIVER} ORDER BY received_at_us"
            ),
            &order,
        )?);
        Ok(due)
    }

    /// Parcels on the shelves now per carrier, most first (for the home screen). Sums to
    /// [`Store::on_hand`].
    pub fn on_hand_by_carrier(&self) -> Result<Vec<(Carrier, u64)>, StoreError> {
        let rows: Vec<(String, i64)> = self.collect_rows(
            &format!(
                "SELECT carrier, count(*) FROM parcels WHERE status IN {ON_SHELF} GROUP BY carrier"
            ),
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let mut counts: Vec<(Carrier, u64)> = Vec::with_capacity(rows.len());
        for (code, count) in rows {
            // A cell no carrier has (edited behind the kiosk's back; `verify` names it) counts
            // as other rather than vanishing from the total.
            let carrier = Carrier::from_code(&code).unwrap_or(Carrier::Other);
            let count = count.max(0) as u64;
            match counts.iter_mut().find(|(known, _)| *known == carrier) {
                Some((_, total)) => *total += count,
                None => counts.push((carrier, count)),
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.code().cmp(&b.0.code())));
        Ok(counts)
    }

    /// Announced parcels that have not arrived, found by their tracking id (as scanned or
    /// typed: read as a label first) or by the start of the recipient's name in any case,
    /// names in order. At most `limit` (1-200). A name is matched from its start only: the
    /// index serves a prefix, and a million announced rows must not be scanned per keystroke.
    pub fn search_announced(
        &self,
        query: &str,
        limit: usize,
    ) -> Result<Vec<AnnouncedParcel>, StoreError> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let limit = limit.clamp(1, 200);
        let not_arrived = not_arrived();
        let columns = "e.tracking_id, e.recipient_name, e.postal_code, e.imported_at_us";
        let mut found = Vec::new();
        if let Ok(label) = identify_label(query, LabelPolicy { allow_other: true }) {
            found.extend(self.collect_rows(
                &format!(
                    "SELECT {columns} FROM expected_parcels e WHERE e.tracking_id = ?1 AND {not_arrived}"
                ),
                [label.tracking_id.as_str()],
                announced_from_row,
            )?);
        }
        if found.is_empty() {
            // Every name starting with the query (NOCASE folds ASCII only) sorts below the
            // query followed by the highest character.
            let upper = format!("{query}\u{10FFFF}");
            found.extend(self.collect_rows(
                &format!(
                    "SELECT {columns} FROM expected_parcels e
                     WHERE e.recipient_name >= ?1 COLLATE NOCASE AND e.recipient_name < ?2 COLLATE NOCASE
                       AND {not_arrived}
                     ORDER BY e.recipient_name COLLATE NOCASE LIMIT ?3"
                ),
                params![query, upper, limit as i64],
                announced_from_row,
            )?);
        }
        found.truncate(limit);
        Ok(found)
    }
}

fn announced_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<AnnouncedParcel> {
    let text: String = row.get(0)?;
    let tracking_id = TrackingId::parse(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            e.to_string().into(),
        )
    })?;
    Ok(AnnouncedParcel {
        carrier: carrier_of(&tracking_id),
        tracking_id,
        recipient_name: row.get(1)?,
        postal_code: row.get(2)?,
        announced_at: from_micros(row.get(3)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::query_plan::*;

    fn plan(store: &Store, sql: &str) -> String {
        query_plan_with_each(store, sql, "x")
    }

    #[test]
    fn carrier_queries_use_their_indexes() {
        let (_dir, store) = temp_store();
        let due = format!(
            "SELECT {PARCEL_COLUMNS} FROM parcels WHERE status = {AWAITING_DRIVER} AND origin <> ?1 AND {FOR_DRIVER} ORDER BY received_at_us"
        );
        assert!(
            plan(&store, &due).contains("USING INDEX parcels_by_status_carrier"),
            "{}",
            plan(&store, &due)
        );
        let on_hand = format!(
            "SELECT carrier, count(*) FROM parcels WHERE status IN {ON_SHELF} GROUP BY carrier"
        );
        let on_hand_plan = plan(&store, &on_hand);
        assert!(
            on_hand_plan.contains("parcels_by_status_carrier"),
            "{on_hand_plan}"
        );
        let by_name = format!(
            "SELECT e.tracking_id FROM expected_parcels e
             WHERE e.recipient_name >= ?1 COLLATE NOCASE AND e.recipient_name < ?2 COLLATE NOCASE
               AND {} ORDER BY e.recipient_name COLLATE NOCASE LIMIT ?3",
            not_arrived()
        );
        let name_plan = plan(&store, &by_name);
        assert!(
            name_plan.contains("USING INDEX expected_by_name"),
            "{name_plan}"
        );
        assert!(!name_plan.contains("TEMP B-TREE"), "{name_plan}");
    }
}
