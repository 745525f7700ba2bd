//! The read side: `gaps`, `parcel`, `report` and `overdue`.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use postgres::Client;
use postgres::types::{ToSql, Type};
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

/// How `parcel` reaches a tracking id's steps on the server it is connected to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParcelRouting {
    /// Plain PostgreSQL: one statement, the tracking id's index on `event_parcels` joined to
    /// each step's event. One round trip.
    Joined,
    /// Citus: first `parcel_stores` (distributed by tracking id: one shard), then each store
    /// found by `store_id` and tracking id (one shard each), instead of one statement that
    /// asks every shard of `event_parcels`. One round trip more per store.
    Routed,
}

impl ParcelRouting {
    /// Routed when the Citus extension is installed in the database, else joined. Asked once
    /// per connection: the catalog says exactly whether tables can be distributed, where a
    /// plan check would cost an EXPLAIN and depend on the statistics of the moment. (With
    /// Citus installed but nothing distributed, the routed lookup is still right, only a round
    /// trip longer.)
    pub fn detect(client: &mut Client) -> Result<Self, DbError> {
        let citus: bool = client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')",
                &[],
            )?
            .get(0);
        Ok(if citus { Self::Routed } else { Self::Joined })
    }
}

/// What each lookup reads of a step: the time to sort by, then the [`ParcelStep`] fields.
/// `$1` names the store on the routed path (Citus needs the distribution column named by a
/// parameter to route the join to one shard); the joined path takes it from the parcel line.
/// The LATERAL LIMIT keeps each event a primary-key lookup (no hash join over all events),
/// also right after a bulk load, before the planner has statistics.
macro_rules! parcel_steps_sql {
    ($store:literal, $where:literal, $order:literal) => {
        concat!(
            "SELECT p.recorded_at, e.event->>'recorded_at', p.store_id, p.seq, p.kind,
                    e.counterparty_kind, e.counterparty, p.shelf, p.detail,
                    COALESCE(e.event->>'staff_name', '')
             FROM event_parcels p
             CROSS JOIN LATERAL (
                 SELECT counterparty_kind, counterparty, event FROM events
                 WHERE store_id = ",
            $store,
            " AND seq = p.seq AND recorded_at = p.recorded_at
                 LIMIT 1) AS e
             WHERE ",
            $where,
            $order
        )
    };
}

/// A parcel's whole history across stores, oldest first, on a connection whose routing is
/// asked first (one query more: for one lookup, as the `parcel` command makes; keep a
/// [`ParcelRouting`] per connection for many).
pub fn parcel_history(client: &mut Client, tracking_id: &str) -> Result<Vec<ParcelStep>, DbError> {
    let routing = ParcelRouting::detect(client)?;
    parcel_history_routed(client, routing, tracking_id)
}

/// A parcel's whole history across stores, oldest first (by time, store, event number),
/// either way the same steps. Each query goes with its parameter types (`query_typed`): one
/// round trip, no prepare.
pub fn parcel_history_routed(
    client: &mut Client,
    routing: ParcelRouting,
    tracking_id: &str,
) -> Result<Vec<ParcelStep>, DbError> {
    if routing == ParcelRouting::Joined {
        let rows = client.query_typed(
            parcel_steps_sql!(
                "p.store_id",
                "p.tracking_id = $1",
                " ORDER BY p.recorded_at, p.store_id, p.seq"
            ),
            &[(&tracking_id, Type::TEXT)],
        )?;
        return Ok(rows.iter().map(parcel_step).collect());
    }
    let stores: Vec<String> = client
        .query_typed(
            "SELECT store_id FROM parcel_stores WHERE tracking_id = $1",
            &[(&tracking_id, Type::TEXT)],
        )?
        .into_iter()
        .map(|row| row.get(0))
        .collect();
    if stores.is_empty() {
        return Ok(Vec::new());
    }
    let steps_in_store = parcel_steps_sql!("$1", "p.store_id = $1 AND p.tracking_id = $2", "");
    let mut steps: Vec<(DateTime<Utc>, ParcelStep)> = Vec::new();
    for store in &stores {
        let params: [(&(dyn ToSql + Sync), Type); 2] =
            [(store, Type::TEXT), (&tracking_id, Type::TEXT)];
        for row in client.query_typed(steps_in_store, &params)? {
            steps.push((row.get(0), parcel_step(&row)));
        }
    }
    steps.sort_by(|(at_a, a), (at_b, b)| {
        (at_a, &a.store_id, a.seq).cmp(&(at_b, &b.store_id, b.seq))
    });
    Ok(steps.into_iter().map(|(_, step)| step).collect())
}

/// A step from a row of `parcel_steps_sql!` (column 0, the time to sort by, is skipped).
fn parcel_step(row: &postgres::Row) -> ParcelStep {
    ParcelStep {
        recorded_at: row.get(1),
        store_id: row.get(2),
        seq: row.get(3),
        kind: row.get(4),
        counterparty_kind: row.get(5),
        counterparty: row.get(6),
        shelf: row.get(7),
        detail: row.get(8),
        staff_name: row.get(9),
    }
}

/// What a line of the monthly report counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportLevel {
    /// One store, one kind, one carrier.
    Carrier,
    /// One store, one kind, every carrier.
    Kind,
    /// One store, every kind.
    Store,
    /// Every store in the report.
    All,
}

/// One line of the monthly report. `kind`, `carrier` and `store_id` are `None` on the totals
/// that span them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportLine {
    pub level: ReportLevel,
    pub store_id: Option<String>,
    pub kind: Option<String>,
    /// The carrier code (`ups`, `usps`, `post-GB`, `other`), or `unknown` for parcel lines
    /// loaded from exports made before carriers were exported.
    pub carrier: Option<String>,
    /// Events with at least one parcel of this carrier: an event handing over parcels of two
    /// carriers counts once for each, and once in its kind's total.
    pub handoffs: i64,
    pub parcels: i64,
}

/// Handoffs and parcels per store, kind and carrier in the store-local month `month`
/// (`YYYY-MM`), with totals per store and kind, per store, and over all stores. Counts only
/// verified, loaded events: the store's own signed count, to check what a carrier pays it.
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
    // The parcel lines of the month, with the event's local time to cut the month by.
    let month_lines = "FROM event_parcels p
         JOIN events e ON e.store_id = p.store_id AND e.seq = p.seq
                      AND e.recorded_at = p.recorded_at
         WHERE p.recorded_at >= $1 AND p.recorded_at < $2
           AND e.recorded_at >= $1 AND e.recorded_at < $2
           AND left(e.event->>'recorded_at', 7) = $3
           AND ($4::text IS NULL OR p.store_id = $4)";
    let params: [&(dyn ToSql + Sync); 4] = [&from, &to, &local_month, &store];
    let by_carrier = client.query(
        &format!(
            "SELECT p.store_id, p.kind, COALESCE(p.carrier, 'unknown'),
                    count(DISTINCT p.seq), count(*)
             {month_lines}
             GROUP BY 1, 2, 3"
        ),
        &params,
    )?;
    let by_kind = client.query(
        &format!(
            "SELECT p.store_id, p.kind, count(DISTINCT p.seq), count(*)
             {month_lines}
             GROUP BY 1, 2"
        ),
        &params,
    )?;
    let mut lines: Vec<ReportLine> = by_carrier
        .into_iter()
        .map(|row| ReportLine {
            level: ReportLevel::Carrier,
            store_id: Some(row.get(0)),
            kind: Some(row.get(1)),
            carrier: Some(row.get(2)),
            handoffs: row.get(3),
            parcels: row.get(4),
        })
        .collect();
    lines.extend(by_kind.into_iter().map(|row| ReportLine {
        level: ReportLevel::Kind,
        store_id: Some(row.get(0)),
        kind: Some(row.get(1)),
        carrier: None,
        handoffs: row.get(2),
        parcels: row.get(3),
    }));
    Ok(with_totals(lines))
}

/// Adds each store's total and, for more than one store, the total over all stores (an event
/// has one kind, so a store's handoffs are the sum over its kinds), and puts every line in
/// reading order: per store, per kind, its carriers and then the kind's total; then the
/// store's total; at the end, all.
fn with_totals(mut lines: Vec<ReportLine>) -> Vec<ReportLine> {
    let mut stores: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
    for line in lines.iter().filter(|l| l.level == ReportLevel::Kind) {
        let total = stores
            .entry(line.store_id.clone().unwrap_or_default())
            .or_default();
        total.0 += line.handoffs;
        total.1 += line.parcels;
    }
    let (mut handoffs, mut parcels) = (0, 0);
    // One store's total is already the total over all of them.
    let more_than_one = stores.len() > 1;
    for (store_id, (store_handoffs, store_parcels)) in stores {
        handoffs += store_handoffs;
        parcels += store_parcels;
        lines.push(ReportLine {
            level: ReportLevel::Store,
            store_id: Some(store_id),
            kind: None,
            carrier: None,
            handoffs: store_handoffs,
            parcels: store_parcels,
        });
    }
    if more_than_one {
        lines.push(ReportLine {
            level: ReportLevel::All,
            store_id: None,
            kind: None,
            carrier: None,
            handoffs,
            parcels,
        });
    }
    // None sorts first: a total goes after its details by the level's rank.
    let rank = |line: &ReportLine| match line.level {
        ReportLevel::Carrier => 0,
        ReportLevel::Kind => 1,
        ReportLevel::Store => 2,
        ReportLevel::All => 3,
    };
    lines.sort_by(|a, b| {
        let key = |l: &ReportLine| {
            (
                l.level == ReportLevel::All,
                l.store_id.clone(),
                l.level == ReportLevel::Store,
                l.kind.clone(),
                rank(l),
                l.carrier.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    lines
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
