//! What `kiosk verify` holds the derived tables against: the replayed events. Also the sealed
//! state a ledger from before event format 2 gets when it is upgraded, so replay can start there.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension, Transaction};

use super::append::{append_event, chain_head};
use super::connection::cached_row;
use super::parcel_rows::{ALL_PARCEL_ROWS, parcel_row_from};
use crate::domain::chain::{CURRENT_FORMAT, Counterparty, CounterpartyKind, EventBody};
use crate::domain::clock::{from_micros, to_micros};
use crate::domain::custody::EventKind;
use crate::domain::handshake::verify_token_signature;
use crate::domain::ids::StoreId;
use crate::domain::projection::{ExpectedRow, ParcelRow, StaffRow, carrier_cell, staff_pin_digest};
use crate::domain::replay::{Replay, seal_parts};
use crate::domain::signing::{StorePublicKey, token_claim_message};

/// Rows per sealed-state event.
const SEAL_ROWS_PER_EVENT: usize = 2000;

/// How many differences of one table `verify` lists before it says "and N more".
const LISTED_PER_TABLE: usize = 20;

fn all_expected(conn: &Connection) -> rusqlite::Result<Vec<ExpectedRow>> {
    let mut statement = conn.prepare(
        "SELECT tracking_id, recipient_name, code_digest, postal_code, imported_at_us FROM expected_parcels ORDER BY tracking_id",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(ExpectedRow {
            tracking_id: row.get(0)?,
            recipient_name: row.get(1)?,
            code_digest: hex::encode(row.get::<_, Vec<u8>>(2)?),
            postal_code: row.get(3)?,
            imported_at_us: row.get(4)?,
        })
    })?;
    rows.collect()
}

fn all_staff(conn: &Connection) -> rusqlite::Result<Vec<StaffRow>> {
    let mut statement = conn.prepare(
        "SELECT id, display_name, role, active, pin_phc, created_at_us FROM staff ORDER BY id",
    )?;
    let rows = statement.query_map([], |row| {
        let id: i64 = row.get(0)?;
        let phc: String = row.get(4)?;
        Ok(StaffRow {
            id,
            display_name: row.get(1)?,
            role: row.get(2)?,
            active: row.get::<_, i64>(3)? == 1,
            pin_digest: staff_pin_digest(id, &phc),
            created_at_us: row.get(5)?,
        })
    })?;
    rows.collect()
}

fn all_parcels(conn: &Connection) -> rusqlite::Result<Vec<ParcelRow>> {
    let mut statement = conn.prepare(ALL_PARCEL_ROWS)?;
    let rows = statement.query_map([], parcel_row_from)?;
    rows.collect()
}

fn demo_flag(conn: &Connection) -> rusqlite::Result<bool> {
    let value: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'demo_data'",
            [],
            |row| row.get(0),
        )
        .optional()?;
    Ok(value.as_deref() == Some("1"))
}

/// Fills `parcels.carrier` for rows written before the column: each id's carrier, the value
/// recording and replay give it. Runs once, in the upgrade's transaction.
pub(crate) fn backfill_carriers(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let ids: Vec<String> = {
        let mut statement = tx.prepare("SELECT tracking_id FROM parcels WHERE carrier = ''")?;
        let rows = statement.query_map([], |row| row.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut update = tx.prepare("UPDATE parcels SET carrier = ?2 WHERE tracking_id = ?1")?;
    for id in ids {
        update.execute(rusqlite::params![id, carrier_cell(&id)])?;
    }
    Ok(())
}

/// Writes the derived tables as they stand into the chain (kind `state_sealed`), inside the
/// upgrade's transaction. Only a ledger that already holds format-1 events needs it. Its time is
/// the last event's: it is the state as of that event, and no clock is read during an upgrade.
pub(crate) fn seal_state(tx: &Transaction<'_>) -> rusqlite::Result<u64> {
    let (last_seq, _) = chain_head(tx)?;
    if last_seq == 0 {
        return Ok(0);
    }
    let last_time: i64 = cached_row(
        tx,
        "SELECT recorded_at_us FROM events WHERE seq = ?1",
        [last_seq as i64],
        |row| row.get(0),
    )?;
    let parts = seal_parts(
        &all_parcels(tx)?,
        &all_expected(tx)?,
        &all_staff(tx)?,
        demo_flag(tx)?,
        SEAL_ROWS_PER_EVENT,
    )
    .map_err(|reason| rusqlite::Error::ToSqlConversionFailure(reason.into()))?;
    let count = parts.len();
    for (index, facts) in parts.into_iter().enumerate() {
        let body = EventBody {
            recorded_at: from_micros(last_time),
            kind: EventKind::StateSealed,
            staff_id: None,
            counterparty: Counterparty {
                kind: CounterpartyKind::Store,
                reference: "upgrade".into(),
            },
            items: Vec::new(),
            token_id: None,
            note: format!(
                "the records as of event {last_seq}, sealed when the ledger was upgraded (part {} of {count})",
                index + 1
            ),
            format: CURRENT_FORMAT,
            facts,
        };
        append_event(tx, &body)?;
    }
    Ok(count as u64)
}

/// The differences between one table and its replay, listed with the row and field.
struct TableDiff<'a> {
    table: &'a str,
    problems: Vec<String>,
    unlisted: usize,
}

impl<'a> TableDiff<'a> {
    fn new(table: &'a str) -> Self {
        Self {
            table,
            problems: Vec::new(),
            unlisted: 0,
        }
    }

    fn push(&mut self, problem: String) {
        if self.problems.len() < LISTED_PER_TABLE {
            self.problems.push(format!("{}: {problem}", self.table));
        } else {
            self.unlisted += 1;
        }
    }

    fn compare(
        &mut self,
        key: &str,
        table: Option<Vec<(&'static str, String)>>,
        events: Option<Vec<(&'static str, String)>>,
    ) {
        match (table, events) {
            (Some(_), None) => self.push(format!(
                "row {key} is made by no event (added behind the kiosk's back)"
            )),
            (None, Some(_)) => self.push(format!(
                "row {key} is missing (the events make it; it was deleted)"
            )),
            (Some(table), Some(events)) => {
                for ((field, in_table), (_, from_events)) in table.iter().zip(&events) {
                    if in_table != from_events {
                        self.push(format!(
                            "row {key}, field {field}: the table says {:?}, the events say {:?} (edited behind the kiosk's back)",
                            short(in_table),
                            short(from_events)
                        ));
                    }
                }
            }
            (None, None) => {}
        }
    }

    fn finish(mut self, into: &mut Vec<String>) {
        if self.unlisted > 0 {
            self.problems.push(format!(
                "{}: and {} more differences",
                self.table, self.unlisted
            ));
        }
        into.extend(self.problems);
    }
}

/// Long values (digests) shortened for a line a person reads.
fn short(text: &str) -> String {
    if text.chars().count() > 24 {
        format!("{}…", text.chars().take(16).collect::<String>())
    } else {
        text.to_owned()
    }
}

/// Holds parcels, expected parcels, staff, tokens and the demo flag against the replay.
pub(crate) fn compare_with_replay(
    conn: &Connection,
    replay: &mut Replay,
    store_id: &str,
    key: &StorePublicKey,
) -> rusqlite::Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut parcels = TableDiff::new("parcels");
    for row in all_parcels(conn)? {
        let from_events = replay.parcels.remove(&row.tracking_id);
        parcels.compare(
            &row.tracking_id,
            Some(row.fields()),
            from_events.map(|r| r.fields()),
        );
    }
    let mut left: Vec<_> = replay.parcels.drain().collect();
    left.sort_by(|a, b| a.0.cmp(&b.0));
    for (id, row) in left {
        parcels.compare(&id, None, Some(row.fields()));
    }
    parcels.finish(&mut problems);

    let mut expected = TableDiff::new("expected_parcels");
    for row in all_expected(conn)? {
        let from_events = replay.expected.remove(&row.tracking_id);
        expected.compare(
            &row.tracking_id,
            Some(row.fields()),
            from_events.map(|r| r.fields()),
        );
    }
    let mut left: Vec<_> = replay.expected.drain().collect();
    left.sort_by(|a, b| a.0.cmp(&b.0));
    for (id, row) in left {
        expected.compare(&id, None, Some(row.fields()));
    }
    expected.finish(&mut problems);

    let mut staff = TableDiff::new("staff");
    for row in all_staff(conn)? {
        let from_events = replay.staff.remove(&row.id);
        staff.compare(
            &row.id.to_string(),
            Some(row.fields()),
            from_events.map(|r| r.fields()),
        );
    }
    for (id, row) in std::mem::take(&mut replay.staff) {
        staff.compare(&id.to_string(), None, Some(row.fields()));
    }
    staff.finish(&mut problems);

    let mut totals = TableDiff::new("custody_totals");
    let mut statement = conn.prepare(
        "SELECT bucket, parcels_in, parcels_out, in_custody_after FROM custody_totals ORDER BY bucket",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, i64>(2)?,
            row.get::<_, i64>(3)?,
        ))
    })?;
    let mut in_table = std::collections::BTreeMap::new();
    for row in rows {
        let (bucket, parcels_in, parcels_out, after) = row?;
        in_table.insert(bucket, (parcels_in, parcels_out, after));
    }
    let mut in_custody: i64 = 0;
    let mut from_events = std::collections::BTreeMap::new();
    for (bucket, (parcels_in, parcels_out)) in &replay.custody_totals {
        in_custody += *parcels_in as i64 - *parcels_out as i64;
        from_events.insert(
            *bucket,
            (*parcels_in as i64, *parcels_out as i64, in_custody),
        );
    }
    let buckets: BTreeSet<i64> = in_table.keys().chain(from_events.keys()).copied().collect();
    let fields = |(parcels_in, parcels_out, after): (i64, i64, i64)| {
        vec![
            ("parcels_in", parcels_in.to_string()),
            ("parcels_out", parcels_out.to_string()),
            ("in_custody_after", after.to_string()),
        ]
    };
    for bucket in buckets {
        totals.compare(
            &bucket.to_string(),
            in_table.get(&bucket).copied().map(fields),
            from_events.get(&bucket).copied().map(fields),
        );
    }
    totals.finish(&mut problems);
    problems.extend(check_tokens(conn, replay, store_id, key)?);
    if demo_flag(conn)? != replay.demo_data {
        problems.push(format!(
            "meta: demo_data is {} but the events say {} (edited behind the kiosk's back)",
            demo_flag(conn)?,
            replay.demo_data
        ));
    }
    Ok(problems)
}

/// Each issued token row against the token the kiosk signed, its use against the events, and
/// its claim time against the kiosk's signature of it.
fn check_tokens(
    conn: &Connection,
    replay: &Replay,
    store_id: &str,
    key: &StorePublicKey,
) -> rusqlite::Result<Vec<String>> {
    let mut diff = TableDiff::new("handshake_tokens");
    let store = StoreId::parse(store_id).ok();
    let sealed_at = replay.sealed_at.map(|(_, at)| to_micros(at));
    let mut statement = conn.prepare(
        "SELECT token_id, direction, issued_at_us, expires_at_us, parcel_count, parcel_digest, fallback_code, token_text, claimed_at_us, used_seq, claim_signature FROM handshake_tokens ORDER BY token_id",
    )?;
    let mut rows = statement.query([])?;
    let mut seen = BTreeSet::new();
    while let Some(row) = rows.next()? {
        let token_id: String = row.get(0)?;
        seen.insert(token_id.clone());
        let text: String = row.get(7)?;
        let (claims, fallback) = match verify_token_signature(&text, key, store.as_ref()) {
            Ok(found) => found,
            Err(error) => {
                diff.push(format!(
                    "row {token_id}: its token text is not one this store signed ({error})"
                ));
                continue;
            }
        };
        let direction: String = row.get(1)?;
        let checks: [(&str, String, String); 7] = [
            ("token_id", token_id.clone(), claims.token_id()),
            ("direction", direction, claims.direction.code().to_owned()),
            (
                "issued_at_us",
                row.get::<_, i64>(2)?.to_string(),
                to_micros(claims.issued_at).to_string(),
            ),
            (
                "expires_at_us",
                row.get::<_, i64>(3)?.to_string(),
                to_micros(claims.expires_at()).to_string(),
            ),
            (
                "parcel_count",
                row.get::<_, i64>(4)?.to_string(),
                claims.parcel_count.to_string(),
            ),
            (
                "parcel_digest",
                hex::encode(row.get::<_, Vec<u8>>(5)?),
                hex::encode(claims.parcel_digest),
            ),
            ("fallback_code", row.get(6)?, fallback),
        ];
        for (field, in_table, signed) in checks {
            if in_table != signed {
                diff.push(format!(
                    "row {token_id}, field {field}: the table says {:?}, the signed token says {:?} (edited behind the kiosk's back)",
                    short(&in_table),
                    short(&signed)
                ));
            }
        }
        let used: Option<i64> = row.get(9)?;
        let used_by_events = replay.token_uses.get(&token_id).map(|seq| *seq as i64);
        if used != used_by_events {
            diff.push(format!(
                "row {token_id}, field used_seq: the table says {}, the events say {} (a used token was reset, or marked used behind the kiosk's back)",
                used.map_or("unused".to_owned(), |seq| format!("event {seq}")),
                used_by_events.map_or("unused".to_owned(), |seq| format!("event {seq}")),
            ));
        }
        let claimed: Option<i64> = row.get(8)?;
        let signature: Option<Vec<u8>> = row.get(10)?;
        if let Some(claimed) = claimed {
            let issued_before_seal =
                sealed_at.is_some_and(|sealed| to_micros(claims.issued_at) <= sealed);
            let signed = signature.is_some_and(|signature| {
                key.verify(&token_claim_message(&token_id, claimed), &signature)
            });
            if !signed && !issued_before_seal {
                diff.push(format!(
                    "row {token_id}, field claimed_at_us: the claim time is not the one the kiosk signed (backdated behind the kiosk's back)"
                ));
            }
        }
    }
    for (token_id, seq) in &replay.token_uses {
        if !seen.contains(token_id) {
            diff.push(format!(
                "row {token_id} is missing (event {seq} used it; it was deleted)"
            ));
        }
    }
    let mut problems = Vec::new();
    diff.finish(&mut problems);
    Ok(problems)
}

/// Walks `event_parcels` in event order beside the chain: each event's parcels must be exactly
/// its rows there (the index behind every parcel's history).
pub(crate) struct EventParcelsWalk<'stmt> {
    rows: rusqlite::Rows<'stmt>,
    peeked: Option<(u64, String)>,
    diff: Vec<String>,
    unlisted: usize,
}

impl<'stmt> EventParcelsWalk<'stmt> {
    pub(crate) fn prepare(conn: &Connection) -> rusqlite::Result<rusqlite::Statement<'_>> {
        conn.prepare(
            "SELECT seq, tracking_id FROM event_parcels INDEXED BY event_parcels_by_seq ORDER BY seq, tracking_id",
        )
    }

    pub(crate) fn new(statement: &'stmt mut rusqlite::Statement<'_>) -> rusqlite::Result<Self> {
        let mut walk = Self {
            rows: statement.query([])?,
            peeked: None,
            diff: Vec::new(),
            unlisted: 0,
        };
        walk.advance()?;
        Ok(walk)
    }

    fn advance(&mut self) -> rusqlite::Result<()> {
        self.peeked = match self.rows.next()? {
            Some(row) => Some((row.get::<_, i64>(0)?.max(0) as u64, row.get(1)?)),
            None => None,
        };
        Ok(())
    }

    fn push(&mut self, problem: String) {
        if self.diff.len() < LISTED_PER_TABLE {
            self.diff.push(format!("event_parcels: {problem}"));
        } else {
            self.unlisted += 1;
        }
    }

    /// Checks the rows of event `seq` against its parcels.
    pub(crate) fn check_event(
        &mut self,
        seq: u64,
        parcels: impl Iterator<Item = String>,
    ) -> rusqlite::Result<()> {
        let mut wanted: BTreeSet<String> = parcels.collect();
        while let Some((row_seq, tracking)) = self.peeked.take() {
            if row_seq > seq {
                self.peeked = Some((row_seq, tracking));
                break;
            }
            if row_seq < seq || !wanted.remove(&tracking) {
                self.push(format!(
                    "row ({tracking}, event {row_seq}) is made by no event (added behind the kiosk's back)"
                ));
            }
            self.advance()?;
        }
        for tracking in wanted {
            self.push(format!(
                "row ({tracking}, event {seq}) is missing (deleted behind the kiosk's back)"
            ));
        }
        Ok(())
    }

    /// Rows left after the last event are made by no event.
    pub(crate) fn finish(mut self) -> rusqlite::Result<Vec<String>> {
        while let Some((seq, tracking)) = self.peeked.take() {
            self.push(format!(
                "row ({tracking}, event {seq}) is made by no event (added behind the kiosk's back)"
            ));
            self.advance()?;
        }
        if self.unlisted > 0 {
            let more = self.unlisted;
            self.diff
                .push(format!("event_parcels: and {more} more differences"));
        }
        Ok(self.diff)
    }
}
