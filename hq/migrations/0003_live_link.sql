-- The live link's traffic towards the stores (hq/src/announce.rs, serve/).
-- Announcements of expected parcels queued by `kiosk-hq announce` for one store: the carrier's
-- CSV as given. The link hands a store's pending ones to its kiosk, signed by head office, and
-- marks them delivered only when the kiosk says it has imported them, so a lost answer is sent
-- again rather than lost.
CREATE TABLE announcements (
    store_id        text        NOT NULL REFERENCES stores (store_id),
    announcement_id bigint      GENERATED ALWAYS AS IDENTITY,
    source          text        NOT NULL,
    csv             text        NOT NULL,
    parcels         integer     NOT NULL,
    queued_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    PRIMARY KEY (store_id, announcement_id)
);
CREATE INDEX announcements_pending ON announcements (store_id, announcement_id)
    WHERE delivered_at IS NULL;

-- Pickup codes of unannounced parcels, sealed by the kiosk to head office's X25519 key and
-- sent with the batch of their event. Kept sealed; `kiosk-hq codes --since T` opens the new
-- ones for a notification service.
CREATE TABLE sealed_codes (
    store_id    text        NOT NULL REFERENCES stores (store_id),
    seq         bigint      NOT NULL,
    tracking_id text        NOT NULL,
    sealed      bytea       NOT NULL,
    recorded_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (store_id, seq, tracking_id)
);
CREATE INDEX sealed_codes_by_arrival ON sealed_codes (received_at);
