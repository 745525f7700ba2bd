//! The CSV rows of an event written straight from its stored bytes into one buffer: byte for
//! byte what [`crate::domain::export::write_csv_event`] writes through the `csv` crate for the
//! decoded event (a test holds the two side by side), without decoding it first.

use std::collections::HashMap;

use crate::domain::chain::view::{ItemView, PlainEvent, each_plain_fact, each_plain_item};
use crate::domain::labels::carrier_of_text;

/// Tracking ids remembered with their carrier code; then the memory starts again.
const CARRIER_CACHE_IDS: usize = 100_000;

/// The carrier code of recently seen tracking ids: a parcel comes back in the ledger when it is
/// handed over, days later, and reading its label again costs more than remembering it.
#[derive(Default)]
pub(super) struct CarrierCache {
    codes: HashMap<Box<str>, Box<str>>,
}

impl CarrierCache {
    fn code(&mut self, tracking_id: &str) -> &str {
        if !self.codes.contains_key(tracking_id) {
            if self.codes.len() >= CARRIER_CACHE_IDS {
                self.codes.clear();
            }
            let code = carrier_of_text(tracking_id).code();
            self.codes.insert(tracking_id.into(), code.into_boxed_str());
        }
        self.codes.get(tracking_id).map_or("", |code| code)
    }
}

fn needs_quotes(text: &[u8]) -> bool {
    text.iter()
        .any(|byte| matches!(byte, b',' | b'"' | b'\r' | b'\n'))
}

/// Appends a cell as the `csv` crate writes it: quoted (inner quotes doubled) when it holds a
/// comma, a quote or a line break; after a leading apostrophe when `formula_escape` asks.
fn put_cell(out: &mut Vec<u8>, text: &[u8], formula_escape: bool) {
    let quoted = needs_quotes(text);
    if quoted {
        out.push(b'"');
    }
    if formula_escape {
        out.push(b'\'');
    }
    if quoted {
        for piece in text.split_inclusive(|byte| *byte == b'"') {
            out.extend_from_slice(piece);
            if piece.last() == Some(&b'"') {
                out.push(b'"');
            }
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(text);
    }
}

fn cell(out: &mut Vec<u8>, text: &[u8]) {
    put_cell(out, text, false);
}

/// A cell a spreadsheet must not run as a formula (as `escape_cell` writes it): a leading
/// apostrophe where the text starts like one.
fn escaped_cell(out: &mut Vec<u8>, text: &str) {
    let formula = matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\'')
    );
    put_cell(out, text.as_bytes(), formula);
}

/// The parts of an event's rows that are the same on every row.
struct Shared<'a> {
    seq: itoa::Buffer,
    staff: itoa::Buffer,
    format: itoa::Buffer,
    prev_hex: [u8; 64],
    hash_hex: [u8; 64],
    event: &'a PlainEvent<'a>,
    recorded_at: &'a str,
    staff_name: &'a str,
    facts: &'a str,
    /// How many parcels the event has.
    items: usize,
}

fn row(
    out: &mut Vec<u8>,
    shared: &mut Shared<'_>,
    index: usize,
    item: Option<&ItemView<'_>>,
    carriers: &mut CarrierCache,
) {
    let event = shared.event;
    let stored = &event.row;
    let empty = ItemView::default();
    let line = item.unwrap_or(&empty);
    out.extend_from_slice(shared.seq.format(event.seq).as_bytes());
    out.push(b',');
    cell(out, shared.recorded_at.as_bytes());
    out.push(b',');
    out.extend_from_slice(event.kind.code().as_bytes());
    out.push(b',');
    if let Some(staff) = stored.staff_id {
        out.extend_from_slice(shared.staff.format(staff).as_bytes());
    }
    out.push(b',');
    escaped_cell(out, shared.staff_name);
    out.push(b',');
    out.extend_from_slice(event.counterparty_kind.code().as_bytes());
    out.push(b',');
    escaped_cell(out, stored.counterparty_ref);
    out.push(b',');
    let mut index_text = itoa::Buffer::new();
    out.extend_from_slice(index_text.format(index).as_bytes());
    out.push(b',');
    let mut count = itoa::Buffer::new();
    out.extend_from_slice(count.format(shared.items).as_bytes());
    out.push(b',');
    escaped_cell(out, line.tracking_id);
    out.push(b',');
    escaped_cell(out, line.shelf);
    out.push(b',');
    escaped_cell(out, line.detail);
    out.push(b',');
    cell(out, stored.token_id.unwrap_or("").as_bytes());
    out.push(b',');
    escaped_cell(out, stored.note);
    out.push(b',');
    out.extend_from_slice(&shared.prev_hex);
    out.push(b',');
    out.extend_from_slice(&shared.hash_hex);
    out.push(b',');
    out.extend_from_slice(shared.format.format(event.format).as_bytes());
    out.push(b',');
    cell(out, line.code.as_bytes());
    out.push(b',');
    escaped_cell(out, line.recipient);
    out.push(b',');
    escaped_cell(out, line.postal_code);
    out.push(b',');
    let mut time = itoa::Buffer::new();
    if let Some(at) = line.hold_until_us {
        out.extend_from_slice(time.format(at).as_bytes());
    }
    out.push(b',');
    if let Some(at) = line.leave_by_us {
        out.extend_from_slice(time.format(at).as_bytes());
    }
    out.push(b',');
    escaped_cell(out, shared.facts);
    out.push(b',');
    if item.is_some() {
        out.extend_from_slice(carriers.code(line.tracking_id).as_bytes());
    }
    out.extend_from_slice(b"\r\n");
}

/// Appends the event's CSV rows (one per parcel, or one with empty parcel fields) to `out`.
/// `false`, with `out` as it was, when the event's items or facts are not in the plain form
/// (the caller then decodes it in full and writes it the ordinary way).
pub(super) fn write_plain_csv_event(
    out: &mut Vec<u8>,
    event: &PlainEvent<'_>,
    recorded_at: &str,
    staff_name: &str,
    carriers: &mut CarrierCache,
) -> bool {
    let stored = &event.row;
    let Some(fact_count) = each_plain_fact(stored.facts_json, |_, _| {}) else {
        return false;
    };
    // The kiosk's facts text is what the CSV's facts cell holds (`[]` is the empty cell).
    let facts = if fact_count == 0 {
        ""
    } else {
        stored.facts_json
    };
    // A format-1 event carrying format-2 fields is refused by the full decoding: left to it.
    let format_one = event.format < 2;
    let mut uncovered = format_one && fact_count > 0;
    let mut items: Vec<ItemView<'_>> = Vec::new();
    if each_plain_item(stored.items_json, |item| {
        uncovered |= format_one && item.has_format_two_fields();
        items.push(item);
    })
    .is_none()
        || uncovered
    {
        return false;
    }
    let mut shared = Shared {
        seq: itoa::Buffer::new(),
        staff: itoa::Buffer::new(),
        format: itoa::Buffer::new(),
        prev_hex: [0; 64],
        hash_hex: [0; 64],
        event,
        recorded_at,
        staff_name,
        facts,
        items: items.len(),
    };
    let _ = hex::encode_to_slice(event.prev_hash, &mut shared.prev_hex);
    let _ = hex::encode_to_slice(event.hash, &mut shared.hash_hex);
    if items.is_empty() {
        row(out, &mut shared, 0, None, carriers);
    }
    for (index, item) in items.iter().enumerate() {
        row(out, &mut shared, index, Some(item), carriers);
    }
    true
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::chain::view::StoredEvent;
    use crate::domain::chain::{
        Counterparty, CounterpartyKind, EventBody, EventItem, GENESIS_HASH, LedgerEvent,
    };
    use crate::domain::custody::EventKind;
    use crate::domain::export::write_csv_event;
    use crate::domain::ids::StaffId;

    /// The rows the `csv` crate writes for the decoded event.
    fn through_the_csv_crate(event: &LedgerEvent, recorded_at: &str, staff_name: &str) -> Vec<u8> {
        let mut out = Vec::new();
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .has_headers(false)
            .from_writer(&mut out);
        write_csv_event(&mut writer, event, recorded_at, staff_name).unwrap();
        drop(writer);
        out
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[A-Za-z0-9 ./]{1,10}",
            // Quotes, commas, line breaks, formula starts, beyond ASCII.
            "[=+@'\\t\r\n,\"a-é-]{0,6}",
        ]
    }

    fn item() -> impl Strategy<Value = EventItem> {
        (
            prop_oneof![
                "[A-Z0-9]{1,22}".boxed(),
                Just("1Z999AA10123456784".to_owned()).boxed(),
                Just("=1Z".to_owned()).boxed()
            ],
            (text(), text(), text()),
            (text(), text()),
            proptest::option::of(any::<i64>()),
            proptest::option::of(any::<i64>()),
        )
            .prop_map(
                |(tracking_id, (shelf, detail, code), (recipient, postal_code), hold, leave)| {
                    EventItem {
                        tracking_id,
                        shelf,
                        detail,
                        code,
                        recipient,
                        postal_code,
                        hold_until_us: hold,
                        leave_by_us: leave,
                    }
                },
            )
    }

    proptest! {
        /// Byte for byte the rows the `csv` crate writes, or a refusal where the stored text is
        /// not plain (then the export writes through the crate).
        #[test]
        fn plain_rows_are_the_csv_crates_rows(
            items in proptest::collection::vec(item(), 0..4),
            facts in proptest::collection::vec((text(), text()), 0..3),
            (reference, note, staff_name) in (text(), text(), text()),
            token in proptest::option::of("[a-z0-9,\"]{0,8}"),
            staff in proptest::option::of(any::<i64>()),
            format in 1_u8..=2,
        ) {
            let event = LedgerEvent {
                seq: 42,
                body: EventBody {
                    recorded_at: chrono::DateTime::from_timestamp(1_800_000_000, 5_000).unwrap(),
                    kind: EventKind::CustomerPickup,
                    staff_id: staff.map(StaffId),
                    counterparty: Counterparty { kind: CounterpartyKind::Customer, reference },
                    items,
                    token_id: token,
                    note,
                    format,
                    facts,
                },
                prev_hash: GENESIS_HASH,
                hash: [0xab; 32],
            };
            let items_json = serde_json::to_string(&event.body.items).unwrap();
            let facts_json = serde_json::to_string(&event.body.facts).unwrap();
            let stored = StoredEvent {
                seq: 42,
                recorded_at_us: event.body.recorded_at.timestamp_micros(),
                kind: event.body.kind.code(),
                staff_id: staff,
                counterparty_kind: "customer",
                counterparty_ref: &event.body.counterparty.reference,
                items_json: &items_json,
                token_id: event.body.token_id.as_deref(),
                note: &event.body.note,
                prev_hash: &event.prev_hash,
                hash: &event.hash,
                format: i64::from(format),
                facts_json: &facts_json,
            };
            let plain = stored.plain().unwrap();
            let recorded_at = "2027-01-15T01:00:00.005000-07:00";
            let mut out = b"before".to_vec();
            let mut carriers = CarrierCache::default();
            let wrote =
                write_plain_csv_event(&mut out, &plain, recorded_at, &staff_name, &mut carriers);
            let escapes = items_json.contains('\\') || facts_json.contains('\\');
            prop_assert_eq!(wrote, !escapes && event.body.format_problem().is_none());
            if wrote {
                let wanted = through_the_csv_crate(&event, recorded_at, &staff_name);
                prop_assert_eq!(
                    String::from_utf8_lossy(&out[6..]),
                    String::from_utf8_lossy(&wanted)
                );
            } else {
                prop_assert_eq!(&out, b"before");
            }
        }
    }
}
