//! Rows in PostgreSQL's COPY text format, built from the library's exported events. The same
//! bytes go to the server by `kiosk-hq load` and, in the benchmark, by `psql \copy`.

use std::fmt::Write as _;

use handoff_kiosk::domain::export::{CarrierMemo, ExportedEvent};

/// The columns `events` is loaded with, in the order of [`push_event_rows`].
pub const EVENT_COLUMNS: &str = "store_id, seq, recorded_at, kind, staff_id, counterparty_kind, counterparty, item_count, prev_hash, hash, manifest_sha256, event";
/// The columns `event_parcels` is loaded with.
pub const PARCEL_COLUMNS: &str = "store_id, seq, item_index, recorded_at, kind, counterparty_kind, tracking_id, shelf, detail, carrier";
/// The columns `parcel_stores` is loaded with (the baseline's `\copy`; the loader inserts).
pub const PARCEL_STORE_COLUMNS: &str = "tracking_id, store_id";

/// Appends `text` escaped for a COPY text field: backslash, tab, newline and carriage return
/// are the only bytes the format gives meaning to.
pub fn push_field(out: &mut String, text: &str) {
    // Runs without a special byte are copied whole (the four are ASCII, so every cut falls on
    // a character boundary).
    let mut rest = text;
    while let Some(at) = rest
        .bytes()
        .position(|byte| matches!(byte, b'\\' | b'\t' | b'\n' | b'\r'))
    {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'\\' => "\\\\",
            b'\t' => "\\t",
            b'\n' => "\\n",
            _ => "\\r",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

/// A bytea field given as hex (`\x...`, with its backslash escaped for COPY).
fn push_bytea_hex(out: &mut String, hex_text: &str) {
    out.push_str("\\\\x");
    out.push_str(hex_text);
}

/// Appends the `events` row and the `event_parcels` rows of one event. `event_json` is the
/// event as JSON (kept whole in the `event` column). Each parcel's carrier is the one the
/// verified export gives, or, in an export made before carriers, the one its tracking id gives
/// (`carriers`, the kiosk library's reading).
pub fn push_event_rows(
    events: &mut String,
    parcels: &mut String,
    store_id: &str,
    manifest_sha256: &str,
    event: &ExportedEvent,
    event_json: &str,
    carriers: &mut CarrierMemo,
) {
    push_field(events, store_id);
    let _ = write!(events, "\t{}\t", event.seq);
    push_field(events, &event.recorded_at);
    events.push('\t');
    push_field(events, &event.kind);
    events.push('\t');
    match event.staff_id {
        Some(id) => {
            let _ = write!(events, "{id}");
        }
        None => events.push_str("\\N"),
    }
    events.push('\t');
    push_field(events, &event.counterparty_kind);
    events.push('\t');
    push_field(events, &event.counterparty);
    let _ = write!(events, "\t{}\t", event.items.len());
    push_bytea_hex(events, &event.prev_hash);
    events.push('\t');
    push_bytea_hex(events, &event.hash);
    events.push('\t');
    push_bytea_hex(events, manifest_sha256);
    events.push('\t');
    push_field(events, event_json);
    events.push('\n');
    for (index, item) in event.items.iter().enumerate() {
        push_field(parcels, store_id);
        let _ = write!(parcels, "\t{}\t{index}\t", event.seq);
        push_field(parcels, &event.recorded_at);
        parcels.push('\t');
        push_field(parcels, &event.kind);
        parcels.push('\t');
        push_field(parcels, &event.counterparty_kind);
        parcels.push('\t');
        push_field(parcels, &item.tracking_id);
        parcels.push('\t');
        push_field(parcels, &item.shelf);
        parcels.push('\t');
        push_field(parcels, &item.detail);
        parcels.push('\t');
        match event.item_carriers.get(index) {
            Some(carrier) => push_field(parcels, carrier),
            None => push_field(parcels, carriers.code(&item.tracking_id)),
        }
        parcels.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_bytes_are_escaped() {
        let mut out = String::new();
        push_field(&mut out, "a\\b\tc\nd\re");
        assert_eq!(out, "a\\\\b\\tc\\nd\\re");
        let mut out = String::new();
        push_field(&mut out, "\\é\t\n\rü\\");
        assert_eq!(out, "\\\\é\\t\\n\\rü\\\\");
    }
}
