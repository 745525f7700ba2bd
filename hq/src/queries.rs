//! The read side: `gaps`, `parcel`, `report` and `overdue`.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use postgres::Client;
use serde::Serialize;

use crate::db::DbError;

/// One thing missing or wrong in a store's ledger as head office holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub store_id: String,
    pub problem: GapKind,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapKind {
    /// Events head office does not have, before an export that waits for them.
    MissingEvents,
    /// A store day no export covers, between the store's first and last export.
    DayWithoutExport,
    /// An export refused because it disagrees with the loaded chain.
    ChainBreak,
    /// No export for more than the allowed days (or none at all).
    Silent,
}

impl GapKind {
    pub fn label(self) -> &'static str {
        match self {
            GapKind::MissingEvents => "missing events",
            GapKind::DayWithoutExport => "day without export",
            GapKind::ChainBreak => "chain break",
            GapKind::Silent => "silent",
        }
    }
}

fn to_u64(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// Every gap of every store (or of one), in store order.
pub fn gaps(
    client: &mut Client,
    store: Option<&str>,
    today: NaiveDate,
    silent_days: i64,
) -> Result<Vec<Gap>, DbError> {
    let mut found = Vec::new();
    // Missing sequence ranges: between the loaded prefix and each waiting export.
    let rows = client.query(
        "SELECT s.store_id, s.loaded_seq, e.first_seq, e.last_seq, e.from_date, e.to_date
         FROM stores s JOIN exports e USING (store_id)
         WHERE e.state = 'waiting' AND ($1::text IS NULL OR s.store_id = $1)
         ORDER BY s.store_id, e.first_seq",
        &[&store],
    )?;
    let mut cursor: Option<(String, u64)> = None;
    for row in rows {
        let store_id: String = row.get(0);
        let loaded = to_u64(row.get(1));
        let first = to_u64(row.get::<_, Option<i64>>(2).unwrap_or(0));
        let last = to_u64(row.get::<_, Option<i64>>(3).unwrap_or(0));
        let from: NaiveDate = row.get(4);
        let to: NaiveDate = row.get(5);
        let next = match &cursor {
            Some((id, next)) if *id == store_id => *next,
            _ => loaded + 1,
        };
        if first > next {
            found.push(Gap {
                store_id: store_id.clone(),
                problem: GapKind::MissingEvents,
                detail: format!(
                    "events {next} to {} are missing; the export of {} waits for them",
                    first - 1,
                    span(from, to)
                ),
            });
        }
        cursor = Some((store_id, next.max(last + 1)));
    }
    // Store days no export covers, between each store's first and last export.
    let rows = client.query(
        "WITH bounds AS (
             SELECT store_id, min(from_date) AS first_day, max(to_date) AS last_day
             FROM exports WHERE $1::text IS NULL OR store_id = $1 GROUP BY store_id)
         SELECT b.store_id, d::date
         FROM bounds b, generate_series(b.first_day, b.last_day, interval '1 day') AS d
         WHERE NOT EXISTS (SELECT 1 FROM exports e WHERE e.store_id = b.store_id
                           AND d::date BETWEEN e.from_date AND e.to_date)
         ORDER BY 1, 2",
        &[&store],
    )?;
    for row in rows {
        let day: NaiveDate = row.get(1);
        found.push(Gap {
            store_id: row.get(0),
            problem: GapKind::DayWithoutExport,
            detail: format!("no export covers {day}"),
        });
    }
    let rows = client.query(
        "SELECT store_id, seq, loaded_hash, export_hash, source FROM chain_breaks
         WHERE $1::text IS NULL OR store_id = $1 ORDER BY store_id, seq",
        &[&store],
    )?;
    for row in rows {
        let loaded: Vec<u8> = row.get(2);
        let export: Vec<u8> = row.get(3);
        let source: String = row.get(4);
        found.push(Gap {
            store_id: row.get(0),
            problem: GapKind::ChainBreak,
            detail: format!(
                "{source} disagrees at event {}: loaded {}, export {}",
                row.get::<_, i64>(1),
                hex::encode(loaded),
                hex::encode(export)
            ),
        });
    }
    let rows = client.query(
        "SELECT s.store_id, max(e.to_date)
         FROM stores s LEFT JOIN exports e USING (store_id)
         WHERE $1::text IS NULL OR s.store_id = $1
         GROUP BY s.store_id
         HAVING max(e.to_date) IS NULL OR max(e.to_date) < $2::date - $3::integer
         ORDER BY 1",
        &[
            &store,
            &today,
            &i32::try_from(silent_days).unwrap_or(i32::MAX),
        ],
    )?;
    for row in rows {
        let last: Option<NaiveDate> = row.get(1);
        found.push(Gap {
            store_id: row.get(0),
            problem: GapKind::Silent,
            detail: match last {
                Some(day) => format!(
                    "no export since {day} ({} days before {today})",
                    (today - day).num_days()
                ),
                None => "registered, but no export has arrived".to_owned(),
            },
        });
    }
    found.sort_by(|a, b| a.store_id.cmp(&b.store_id));
    Ok(found)
}

fn span(from: NaiveDate, to: NaiveDate) -> String {
    if from == to {
        from.to_string()
    } else {
        format!("{from} to {to}")
    }
}

/// One step of a parcel's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParcelStep {
    /// As the store recorded it, in the store's zone.
    pub recorded_at: String,
    pub store_id: String,
    pub seq: i64,
    pub kind: String,
    pub counterparty_kind: String,
    pub counterparty: String,
    pub shelf: String,
    pub detail: String,
    pub staff_name: String,
}

/// A parcel's whole history across stores, oldest first.
pub fn parcel_history(client: &mut Client, tracking_id: &str) -> Result<Vec<ParcelStep>, DbError> {
    let rows = client.query(
        "SELECT e.event->>'recorded_at', p.store_id, p.seq, p.kind, e.counterparty_kind,
                e.counterparty, p.shelf, p.detail, COALESCE(e.event->>'staff_name', '')
         FROM event_parcels p
         -- LIMIT keeps this a per-row primary-key lookup (no hash join over all events), also
         -- right after a bulk load, before the planner has statistics.
         CROSS JOIN LATERAL (
             SELECT counterparty_kind, counterparty, event FROM events
             WHERE store_id = p.store_id AND seq = p.seq AND recorded_at = p.recorded_at
             LIMIT 1) AS e
         WHERE p.tracking_id = $1
         ORDER BY p.recorded_at, p.store_id, p.seq",
        &[&tracking_id],
    )?;
    Ok(rows
        .into_iter()
        .map(|row| ParcelStep {
            recorded_at: row.get(0),
            store_id: row.get(1),
            seq: row.get(2),
            kind: row.get(3),
            counterparty_kind: row.get(4),
            counterparty: row.get(5),
            shelf: row.get(6),
            detail: row.get(7),
            staff_name: row.get(8),
        })
        .collect())
}

/// One line of the monthly report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportLine {
    pub store_id: String,
    pub kind: String,
    /// Who the store handed to or received from: driver, customer, carrier or store.
    pub counterparty_kind: String,
    pub handoffs: i64,
    pub parcels: i64,
}

/// Handoffs per store, kind and counterparty in the store-local month `month` (`YYYY-MM`).
/// Counts only verified, loaded events: the store's own signed count.
pub fn monthly_report(
    client: &mut Client,
    month: NaiveDate,
    store: Option<&str>,
) -> Result<Vec<ReportLine>, DbError> {
    let local_month = month.format("%Y-%m").to_string();
    let next = month
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(month);
    // A store-local month lies within a day of the UTC month: the range lets PostgreSQL prune
    // partitions; the local month is then read from the time as the store wrote it.
    let from = month.and_time(chrono::NaiveTime::MIN).and_utc() - Duration::days(1);
    let to = next.and_time(chrono::NaiveTime::MIN).and_utc() + Duration::days(1);
    let rows = client.query(
        "SELECT store_id, kind, counterparty_kind, count(*), COALESCE(sum(item_count), 0)::bigint
         FROM events
         WHERE recorded_at >= $1 AND recorded_at < $2
           AND left(event->>'recorded_at', 7) = $3
           AND item_count > 0
           AND ($4::text IS NULL OR store_id = $4)
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        &[&from, &to, &local_month, &store],
    )?;
    Ok(rows
        .into_iter()
        .map(|row| ReportLine {
            store_id: row.get(0),
            kind: row.get(1),
            counterparty_kind: row.get(2),
            handoffs: row.get(3),
            parcels: row.get(4),
        })
        .collect())
}

/// A parcel still held for its customer past its hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueParcel {
    pub tracking_id: String,
    pub store_id: String,
    pub received_at: String,
    pub shelf: String,
    pub days_held: i64,
}

/// Parcels whose last custody step anywhere left them on a shelf for their customer more than
/// `hold_days` before `now`. (A version-1 export does not carry the store's hold rule; the
/// kiosk's default hold is 14 days.)
pub fn overdue(
    client: &mut Client,
    now: DateTime<Utc>,
    hold_days: i32,
) -> Result<Vec<OverdueParcel>, DbError> {
    let rows = client.query(
        "WITH latest AS (
             SELECT DISTINCT ON (tracking_id) tracking_id, store_id, seq, recorded_at, kind, shelf
             FROM event_parcels
             WHERE kind <> 'unable_to_find'
             ORDER BY tracking_id, recorded_at DESC, seq DESC)
         SELECT l.tracking_id, l.store_id, e.event->>'recorded_at', l.shelf,
                extract(day FROM $1 - l.recorded_at)::bigint
         FROM latest l
         JOIN events e ON e.store_id = l.store_id AND e.seq = l.seq AND e.recorded_at = l.recorded_at
         WHERE l.kind IN ('driver_delivery', 'local_delivery_returned')
           AND l.recorded_at < $1 - make_interval(days => $2)
         ORDER BY l.recorded_at, l.store_id, l.tracking_id",
        &[&now, &hold_days],
    )?;
    Ok(rows
        .into_iter()
        .map(|row| OverdueParcel {
            tracking_id: row.get(0),
            store_id: row.get(1),
            received_at: row.get(2),
            shelf: row.get(3),
            days_held: row.get(4),
        })
        .collect())
}
