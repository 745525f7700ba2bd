-- Head office's copy of every store's ledger. Every table leads its key with store_id, so the
-- whole schema can be distributed by store_id (Citus) with the keys unchanged: see README.

-- A store, and how far head office holds its chain: events 1..loaded_seq, ending in loaded_head.
-- Exports beyond a gap wait (exports.state = 'waiting') until the gap is filled.
CREATE TABLE stores (
    store_id       text        NOT NULL,
    registered_at  timestamptz NOT NULL DEFAULT now(),
    loaded_seq     bigint      NOT NULL DEFAULT 0,
    loaded_head    bytea       NOT NULL DEFAULT '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea,
    last_event_at  timestamptz,
    PRIMARY KEY (store_id)
);

-- The key registry with its history: one current key per store; a rotation retires the old one
-- (kept, so exports signed before the rotation still verify under the key registered then).
CREATE TABLE store_keys (
    store_id       text        NOT NULL REFERENCES stores (store_id),
    key_id         text        NOT NULL,
    public_key     bytea       NOT NULL,
    registered_at  timestamptz NOT NULL DEFAULT now(),
    retired_at     timestamptz,
    PRIMARY KEY (store_id, key_id)
);
CREATE UNIQUE INDEX store_keys_one_current ON store_keys (store_id) WHERE retired_at IS NULL;

-- Every export received, by the SHA-256 of its manifest (which binds every file's hash): the
-- same export loaded twice is found by this key alone.
CREATE TABLE exports (
    store_id          text        NOT NULL REFERENCES stores (store_id),
    manifest_sha256   bytea       NOT NULL,
    state             text        NOT NULL CHECK (state IN ('loaded', 'waiting')),
    from_date         date        NOT NULL,
    to_date           date        NOT NULL,
    first_seq         bigint,
    last_seq          bigint,
    event_count       bigint      NOT NULL,
    chain_head_before bytea       NOT NULL,
    chain_head_after  bytea       NOT NULL,
    key_id            text        NOT NULL,
    demo_data         boolean     NOT NULL,
    manifest          jsonb       NOT NULL,
    source            text        NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now(),
    loaded_at         timestamptz,
    -- Events this export added; the rest were already loaded from an overlapping export.
    new_events        bigint,
    PRIMARY KEY (store_id, manifest_sha256)
);
CREATE INDEX exports_by_day ON exports (store_id, from_date);

-- A waiting export's files (manifest included), kept until the gap before it is filled; then it
-- is verified again from these bytes and loaded, and they are deleted.
CREATE TABLE waiting_files (
    store_id        text  NOT NULL,
    manifest_sha256 bytea NOT NULL,
    name            text  NOT NULL,
    bytes           bytea NOT NULL,
    PRIMARY KEY (store_id, manifest_sha256, name),
    FOREIGN KEY (store_id, manifest_sha256) REFERENCES exports (store_id, manifest_sha256) ON DELETE CASCADE
);

-- The events, by month of the time they were recorded. `event` is the event exactly as the
-- export's data file gives it (every field, including ones newer than these typed columns).
-- (store_id, seq) is unique by construction: the loader appends only at loaded_seq + 1 under
-- the store row's lock; a partitioned table's unique keys must include recorded_at.
CREATE TABLE events (
    store_id          text        NOT NULL,
    seq               bigint      NOT NULL,
    recorded_at       timestamptz NOT NULL,
    kind              text        NOT NULL,
    staff_id          bigint,
    counterparty_kind text        NOT NULL,
    counterparty      text        NOT NULL,
    item_count        integer     NOT NULL,
    prev_hash         bytea       NOT NULL,
    hash              bytea       NOT NULL,
    manifest_sha256   bytea       NOT NULL,
    event             jsonb       NOT NULL,
    PRIMARY KEY (store_id, seq, recorded_at)
) PARTITION BY RANGE (recorded_at);

-- One row per parcel line of an event, for the parcel history and the reports.
CREATE TABLE event_parcels (
    store_id          text        NOT NULL,
    seq               bigint      NOT NULL,
    item_index        integer     NOT NULL,
    recorded_at       timestamptz NOT NULL,
    kind              text        NOT NULL,
    counterparty_kind text        NOT NULL,
    tracking_id       text        NOT NULL,
    shelf             text        NOT NULL,
    detail            text        NOT NULL,
    PRIMARY KEY (store_id, seq, item_index, recorded_at)
) PARTITION BY RANGE (recorded_at);
CREATE INDEX event_parcels_tracking ON event_parcels (tracking_id, recorded_at);

-- Exports refused as conflicting evidence (they disagree with the loaded chain): nothing of
-- them is loaded, but the break is head office's to follow up, so `gaps` lists it.
CREATE TABLE chain_breaks (
    store_id        text        NOT NULL REFERENCES stores (store_id),
    manifest_sha256 bytea       NOT NULL,
    seq             bigint      NOT NULL,
    loaded_hash     bytea       NOT NULL,
    export_hash     bytea       NOT NULL,
    source          text        NOT NULL,
    refused_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (store_id, manifest_sha256)
);
