-- The carrier of each parcel line, for the monthly report by carrier. The export carries it
-- (`item_carriers`, since the kiosk's carrier column; checked against the tracking id when the
-- export is verified); the loader fills it from there, or from the tracking id through the
-- kiosk library for exports made before the column. Lines loaded before this migration take it
-- from the event kept whole; lines of exports without carriers stay NULL ("unknown").
ALTER TABLE event_parcels ADD COLUMN carrier text;
UPDATE event_parcels p
SET carrier = e.event -> 'item_carriers' ->> p.item_index
FROM events e
WHERE e.store_id = p.store_id AND e.seq = p.seq AND e.recorded_at = p.recorded_at
  AND jsonb_typeof(e.event -> 'item_carriers') = 'array';

-- Which stores have recorded each tracking id: `kiosk-hq parcel` reads this first and then
-- only those stores' rows. Under Citus it is distributed by tracking_id (the one table whose
-- key does not lead with store_id, on purpose), so a lookup is routed to one shard and then
-- to the shards of the stores found, instead of fanning out to every shard of event_parcels.
-- Filled in each export's own load transaction.
CREATE TABLE parcel_stores (
    tracking_id text NOT NULL,
    store_id    text NOT NULL,
    PRIMARY KEY (tracking_id, store_id)
);
INSERT INTO parcel_stores (tracking_id, store_id)
SELECT DISTINCT tracking_id, store_id FROM event_parcels;
