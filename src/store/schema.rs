//! Versioned migrations. `PRAGMA user_version` records the version; `PRAGMA application_id`
//! marks the file as ours so a foreign SQLite file is never mistaken for a ledger.

/// "HKLG": handoff-kiosk ledger.
pub const APPLICATION_ID: i64 = 0x484B_4C47;

/// Each entry upgrades from version `index` to `index + 1`. Append only; never edit one that
/// has shipped.
pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE staff (
    id                   INTEGER PRIMARY KEY,
    display_name         TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('clerk', 'manager')),
    active               INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    pin_phc              TEXT NOT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    locked_until_us      INTEGER,
    created_at_us        INTEGER NOT NULL
) STRICT;

-- The ledger. Append-only: the triggers below refuse UPDATE and DELETE, and every row is
-- hash-chained to the one before, so an edit made after dropping the triggers is still caught.
CREATE TABLE events (
    seq               INTEGER PRIMARY KEY,
    recorded_at_us    INTEGER NOT NULL,
    kind              TEXT NOT NULL,
    staff_id          INTEGER,
    counterparty_kind TEXT NOT NULL,
    counterparty_ref  TEXT NOT NULL,
    items_json        TEXT NOT NULL,
    token_id          TEXT,
    note              TEXT NOT NULL,
    prev_hash         BLOB NOT NULL,
    hash              BLOB NOT NULL
) STRICT;
CREATE INDEX events_by_time ON events (recorded_at_us);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: events cannot be changed'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: events cannot be deleted'); END;

-- Which events touched which parcel: the index behind a parcel's history.
CREATE TABLE event_parcels (
    tracking_id TEXT NOT NULL,
    seq         INTEGER NOT NULL REFERENCES events (seq),
    PRIMARY KEY (tracking_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER event_parcels_no_update BEFORE UPDATE ON event_parcels
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER event_parcels_no_delete BEFORE DELETE ON event_parcels
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

-- Where each parcel is now: a projection of the events, updated in the same transaction.
CREATE TABLE parcels (
    tracking_id        TEXT PRIMARY KEY,
    status             TEXT NOT NULL,
    shelf              TEXT NOT NULL DEFAULT '',
    recipient_name     TEXT NOT NULL DEFAULT '',
    postal_code        TEXT NOT NULL DEFAULT '',
    code_digest        BLOB,
    received_at_us     INTEGER,
    hold_expires_at_us INTEGER,
    missing            INTEGER NOT NULL DEFAULT 0,
    last_seq           INTEGER NOT NULL REFERENCES events (seq)
) STRICT;
CREATE INDEX parcels_by_code ON parcels (code_digest) WHERE code_digest IS NOT NULL;
CREATE INDEX parcels_by_status ON parcels (status, hold_expires_at_us);

-- Parcels the carrier announced in advance, with the keyed digest of their pickup code.
CREATE TABLE expected_parcels (
    tracking_id    TEXT PRIMARY KEY,
    recipient_name TEXT NOT NULL,
    code_digest    BLOB NOT NULL,
    postal_code    TEXT NOT NULL DEFAULT '',
    imported_at_us INTEGER NOT NULL
) STRICT;

-- Signed statements of the chain's length and head; a later ledger must still contain them.
CREATE TABLE checkpoints (
    id            INTEGER PRIMARY KEY,
    event_count   INTEGER NOT NULL,
    head_hash     BLOB NOT NULL,
    signed_at_us  INTEGER NOT NULL,
    key_id        TEXT NOT NULL,
    signature     BLOB NOT NULL
) STRICT;
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
"#,
    r#"
-- Handshake tokens the kiosk issued. A token is claimed when the driver's step of the
-- handoff completes (it must still be valid then) and used once, by the event that records
-- the handoff; `used_seq` makes a second use impossible.
CREATE TABLE handshake_tokens (
    token_id       TEXT PRIMARY KEY,
    direction      TEXT NOT NULL,
    issued_at_us   INTEGER NOT NULL,
    expires_at_us  INTEGER NOT NULL,
    parcel_count   INTEGER NOT NULL,
    parcel_digest  BLOB NOT NULL,
    fallback_code  TEXT NOT NULL,
    token_text     TEXT NOT NULL,
    claimed_at_us  INTEGER,
    used_seq       INTEGER REFERENCES events (seq)
) STRICT;
CREATE INDEX handshake_tokens_by_code ON handshake_tokens (fallback_code);
"#,
    r#"
-- Where a parcel came from (carrier, drop_off, return, order) and, for the shop's own orders,
-- when it must leave: the driver pickup list puts the most urgent first.
ALTER TABLE parcels ADD COLUMN origin TEXT NOT NULL DEFAULT '';
ALTER TABLE parcels ADD COLUMN leave_by_us INTEGER;
-- What is on each shelf now, in label order: the shelf search and the shelf check read it
-- without sorting.
CREATE INDEX parcels_on_shelf ON parcels (shelf, tracking_id)
    WHERE status IN ('held_for_customer', 'awaiting_driver');

-- Substring search over tracking ids and recipient names (trigram index, so a clerk can type
-- any 3+ characters, e.g. the last digits of a tracking id), kept in step by triggers.
CREATE VIRTUAL TABLE parcel_search USING fts5(
    tracking_id, recipient_name, content = 'parcels', content_rowid = 'rowid', tokenize = 'trigram'
);
CREATE TRIGGER parcels_search_insert AFTER INSERT ON parcels BEGIN
    INSERT INTO parcel_search (rowid, tracking_id, recipient_name)
    VALUES (new.rowid, new.tracking_id, new.recipient_name);
END;
CREATE TRIGGER parcels_search_update AFTER UPDATE OF tracking_id, recipient_name ON parcels BEGIN
    INSERT INTO parcel_search (parcel_search, rowid, tracking_id, recipient_name)
    VALUES ('delete', old.rowid, old.tracking_id, old.recipient_name);
    INSERT INTO parcel_search (rowid, tracking_id, recipient_name)
    VALUES (new.rowid, new.tracking_id, new.recipient_name);
END;
CREATE TRIGGER parcels_search_delete AFTER DELETE ON parcels BEGIN
    INSERT INTO parcel_search (parcel_search, rowid, tracking_id, recipient_name)
    VALUES ('delete', old.rowid, old.tracking_id, old.recipient_name);
END;
INSERT INTO parcel_search (parcel_search) VALUES ('rebuild');
"#,
    r#"
-- Every wrong PIN at this kiosk, whoever it was for: past a limit per window the kiosk locks
-- for everyone but managers. Kept in the database so a restart resets nothing.
CREATE TABLE pin_failures (
    at_us    INTEGER NOT NULL,
    staff_id INTEGER
) STRICT;
CREATE INDEX pin_failures_by_time ON pin_failures (at_us);
"#,
    r#"
-- Event format 2: events carry the rule-bearing facts (pickup-code digests, recipients, holds,
-- staff changes) so `kiosk verify` can rebuild every derived table from the chain. Rows written
-- before keep format 1; the upgrade seals the state as it stood (see store/evidence.rs).
ALTER TABLE events ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN facts_json TEXT NOT NULL DEFAULT '[]';
-- The kiosk signs the moment a driver's step completed, so a claim time cannot be backdated.
ALTER TABLE handshake_tokens ADD COLUMN claim_signature BLOB;
-- Lets `verify` walk event_parcels in event order beside the chain.
CREATE INDEX event_parcels_by_seq ON event_parcels (seq, tracking_id);
"#,
    r#"
-- Parcels in and out per quarter hour (UTC), with the number in custody after each: the
-- report's opening figure is one look-up instead of a replay of every earlier event. Every
-- time zone's midnight falls on a quarter hour. Kept in the recording transaction; `verify`
-- rebuilds it from the events. The backfill counts what the report counts (CUSTODY_IN/OUT).
CREATE TABLE custody_totals (
    bucket           INTEGER PRIMARY KEY,
    parcels_in       INTEGER NOT NULL,
    parcels_out      INTEGER NOT NULL,
    in_custody_after INTEGER NOT NULL
) STRICT;
INSERT INTO custody_totals (bucket, parcels_in, parcels_out, in_custody_after)
SELECT bucket, parcels_in, parcels_out,
       SUM(parcels_in - parcels_out) OVER (ORDER BY bucket ROWS UNBOUNDED PRECEDING)
FROM (
    SELECT recorded_at_us / 900000000 AS bucket,
           SUM(CASE WHEN kind IN ('driver_delivery', 'customer_drop_off', 'customer_return', 'outgoing_order')
                    THEN json_array_length(items_json) ELSE 0 END) AS parcels_in,
           SUM(CASE WHEN kind IN ('customer_pickup', 'driver_pickup', 'local_delivery_delivered')
                    THEN json_array_length(items_json) ELSE 0 END) AS parcels_out
    FROM events GROUP BY 1
) WHERE parcels_in > 0 OR parcels_out > 0;
-- Holds ending on a day, whatever became of the parcel: the report counts them by range.
CREATE INDEX parcels_by_hold_end ON parcels (hold_expires_at_us) WHERE hold_expires_at_us IS NOT NULL;
"#,
    r#"
-- The carrier of each parcel (`labels::carrier_of` its tracking id, as `Carrier::code`): the
-- driver's due list, the home screen and the report filter and count by it. The events do not
-- carry it; it is a pure function of the id, so replay derives it and `verify` holds the column
-- against that. Filled for existing rows by `backfill_carriers` right after this migration.
ALTER TABLE parcels ADD COLUMN carrier TEXT NOT NULL DEFAULT '';
-- Status first: the due list and the on-hand counts read a few statuses, never all parcels.
CREATE INDEX parcels_by_status_carrier ON parcels (status, carrier);
-- "Announced, not here yet" found by the start of the recipient's name, any case.
CREATE INDEX expected_by_name ON expected_parcels (recipient_name COLLATE NOCASE);
"#,
    r#"
-- The recipient's street and town from the carrier's announcement (optional CSV columns), for
-- the local-delivery run sheet. Not on the chain: an address moves no parcel.
ALTER TABLE expected_parcels ADD COLUMN street TEXT NOT NULL DEFAULT '';
ALTER TABLE expected_parcels ADD COLUMN city TEXT NOT NULL DEFAULT '';
"#,
    r#"
-- The live link to head office (store/outbox.rs). Every committed event is queued here in the
-- transaction that appends it, so no event is committed without being queued; the sender
-- removes what head office has acknowledged. Events already in the ledger are queued now.
CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY REFERENCES events (seq),
    queued_at_us INTEGER NOT NULL
) STRICT;
INSERT INTO outbox (seq, queued_at_us) SELECT seq, recorded_at_us FROM events;
-- Head office's signed receipts, kept as signed: `kiosk verify` holds the chain against the
-- newest, so a past rewritten behind it no longer matches what head office acknowledged.
CREATE TABLE link_receipts (
    id          INTEGER PRIMARY KEY,
    last_seq    INTEGER NOT NULL,
    head_hash   BLOB NOT NULL,
    body_json   TEXT NOT NULL,
    key_id      TEXT NOT NULL,
    signature   BLOB NOT NULL,
    received_at_us INTEGER NOT NULL
) STRICT;
CREATE TRIGGER link_receipts_no_update BEFORE UPDATE ON link_receipts
BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
CREATE TRIGGER link_receipts_no_delete BEFORE DELETE ON link_receipts
BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
"#,
    r#"
-- Head office's announcements imported over the live link (store/announcements.rs): each id
-- once, in the transaction that imports it; the newest id is what the kiosk acknowledges.
CREATE TABLE link_announcements (
    announcement_id INTEGER PRIMARY KEY,
    source          TEXT NOT NULL,
    recorded        INTEGER NOT NULL,
    imported_at_us  INTEGER NOT NULL
) STRICT;
-- Pickup codes of unannounced parcels sealed to head office's key (store/sealed_codes.rs),
-- queued with the delivery's event and sent with its batch; deleted once head office's
-- receipt covers the event. The kiosk cannot open them: it keeps only the keyed digest.
CREATE TABLE link_sealed_codes (
    seq            INTEGER NOT NULL REFERENCES events (seq),
    tracking_id    TEXT NOT NULL,
    store_id       TEXT NOT NULL,
    sealed         BLOB NOT NULL,
    recorded_at_us INTEGER NOT NULL,
    PRIMARY KEY (seq, tracking_id)
) STRICT;
"#,
    r#"
-- Each staff member's language: the counter speaks it from their sign-in. NULL for staff
-- enrolled before, who hear the counter's own (`[counter] language`, "en" by default) until
-- someone sets theirs. Not on the chain: a language decides nothing about custody, so staff
-- events carry the same facts whatever it is, and the events written before still verify.
ALTER TABLE staff ADD COLUMN lang TEXT CHECK (lang IS NULL OR lang IN ('en', 'es'));
"#,
];

/// The kinds the report counts as parcels coming into custody and leaving it, as the backfill
/// above spells them; a unit test holds them against `EventKind::custody_movement`.
#[cfg(test)]
pub const CUSTODY_IN: [&str; 4] = [
    "driver_delivery",
    "customer_drop_off",
    "customer_return",
    "outgoing_order",
];
#[cfg(test)]
pub const CUSTODY_OUT: [&str; 3] = [
    "customer_pickup",
    "driver_pickup",
    "local_delivery_delivered",
];

/// The first version whose events carry the rule-bearing facts (format 2).
pub const FACTS_VERSION: i64 = 5;

/// The first version with `parcels.carrier`; a ledger upgraded across it is backfilled.
pub const CARRIER_VERSION: i64 = 7;

pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::custody::EventKind;
    use crate::domain::custody::Movement;

    #[test]
    fn the_backfill_counts_the_kinds_the_report_counts() {
        for kind in EventKind::ALL {
            let code = kind.code();
            assert_eq!(
                kind.custody_movement() == Movement::In,
                CUSTODY_IN.contains(&code),
                "{code}"
            );
            assert_eq!(
                kind.custody_movement() == Movement::Out,
                CUSTODY_OUT.contains(&code),
                "{code}"
            );
        }
    }
}
