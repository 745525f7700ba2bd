//! The CSV rows of an event written straight from its stored bytes into one buffer: byte for
//! byte what [`crate::domain::export::write_csv_event`] writes through the `csv` crate for the
//! decoded event (a test holds the two side by side), without decoding it first.

use std::hash::Hasher;

use crate::domain::byte_words::{equal_to, first_marked, word_of};
use crate::domain::chain::ChainHash;
use crate::domain::chain::view::{ItemView, PlainEvent, each_plain_fact, each_plain_item};
use crate::domain::labels::carrier_of_text;

/// Slots of a formatting thread's carrier memory: each slot holds the last id whose hash fell
/// there, so the memory keeps the recent ids without any bookkeeping. A parcel comes back
/// within a few thousand ids: on the 10-year ledger 8,192 slots found the carrier again for
/// 1,168,252 of the 1,189,900 rows that could (2,048 slots: 1,145,545; 65,536: 1,173,845;
/// counted with the earlier 46-byte slots, which held the same ids). Their 256 KB do not stay
/// in the core's cache while the rows stream through it: see [`CarrierMemory::fetch_ahead`].
const CARRIER_SLOTS: usize = 1 << 13;

/// Bytes of an id the memory keeps: the ids the carriers print are shorter (a UPS id is 18, a
/// USPS one 22, or 30 with its ZIP code); a longer one is read each time and not remembered.
const KEPT_ID_BYTES: usize = 30;

/// A slot: an id (its first `length` bytes) and its carrier code's number in
/// [`CarrierMemory::codes`]; 32 bytes aligned, so looking at one reads one cache line.
#[derive(Clone, Copy)]
#[repr(C, align(32))]
struct CarrierSlot {
    length: u8,
    code: u8,
    id: [u8; KEPT_ID_BYTES],
}

/// A slot no id matches: no id is [`u8::MAX`] bytes long.
const EMPTY_SLOT: CarrierSlot = CarrierSlot {
    length: u8::MAX,
    code: 0,
    id: [0; KEPT_ID_BYTES],
};

impl CarrierSlot {
    /// Whether the slot holds `id`. Compared where it lies, not copied into a key first: a
    /// key built on the stack and read back at once stalled each lookup (the processor cannot
    /// hand a copy's bytes straight on to a wider read).
    fn holds(&self, id: &[u8]) -> bool {
        usize::from(self.length) == id.len() && self.id.get(..id.len()) == Some(id)
    }
}

/// Where `id` goes in the memory.
fn slot_of(id: &[u8]) -> usize {
    let mut hasher = ShortKeyHasher::default();
    hasher.write(id);
    hasher.finish() as usize % CARRIER_SLOTS
}

/// The carrier code of recently seen tracking ids: a parcel comes back in the ledger when it is
/// handed over, days later, and reading its label again costs more than remembering it. Each
/// formatting thread has its own (a memory shared behind locks was a tenth of the export's
/// CPU: the locks' cache lines went back and forth between the cores); a slot is looked at
/// once, compared in full, and overwritten on a miss.
pub(super) struct CarrierMemory {
    slots: Vec<CarrierSlot>,
    codes: Vec<Box<str>>,
}

impl Default for CarrierMemory {
    fn default() -> Self {
        Self {
            slots: vec![EMPTY_SLOT; CARRIER_SLOTS],
            codes: Vec::new(),
        }
    }
}

impl CarrierMemory {
    /// Asks the processor to bring `tracking_id`'s slot into the cache, for [`Self::put_code`]
    /// at the end of its row. The slots are read at random, one a row, and the rows streaming
    /// through the cache in between push them out: waiting for each was a tenth of the
    /// formatting (perf: the slot's first read took three quarters of the lookup's time).
    /// Asked for as the item is read, the slot arrives while the row is written.
    fn fetch_ahead(&self, tracking_id: &str) {
        #[cfg(target_arch = "x86_64")]
        if let Some(slot) = self.slots.get(slot_of(tracking_id.as_bytes())) {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            // SAFETY: a prefetch is a hint: it reads nothing the program sees and cannot fault
            // (the address is a live slot besides), and every x86-64 processor has SSE.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(slot).cast()) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = tracking_id;
    }

    /// Appends the carrier code of `tracking_id` to `out`.
    fn put_code(&mut self, out: &mut Vec<u8>, tracking_id: &str) {
        let id = tracking_id.as_bytes();
        let slot = slot_of(id);
        if let Some(known) = self.slots.get(slot)
            && known.holds(id)
            && let Some(code) = self.codes.get(usize::from(known.code))
        {
            out.extend_from_slice(code.as_bytes());
            return;
        }
        let code = carrier_of_text(tracking_id).code();
        out.extend_from_slice(code.as_bytes());
        let number = match self.codes.iter().position(|known| **known == *code) {
            Some(number) => number,
            None => {
                self.codes.push(code.into_boxed_str());
                self.codes.len() - 1
            }
        };
        if let (Ok(code), Ok(length), Some(place)) = (
            u8::try_from(number),
            u8::try_from(id.len()),
            self.slots.get_mut(slot),
        ) && let Some(kept) = place.id.get_mut(..id.len())
        {
            // An id longer than a slot holds is not remembered.
            kept.copy_from_slice(id);
            place.length = length;
            place.code = code;
        }
    }
}

/// A hasher for the memory's short keys, eight bytes at a step (the multiply-rotate of rustc's
/// own hash maps). The keys are the ledger's own tracking ids, read back by the kiosk, and a
/// clash only costs reading a label again; SipHash was a tenth of the export.
#[derive(Default)]
pub(super) struct ShortKeyHasher(u64);

impl ShortKeyHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for ShortKeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(word_of(chunk));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // The last eight bytes where there are eight (read where they lie: copied into a
            // word on the stack first, the read waited for the copy), else the few there are.
            let word = match bytes
                .len()
                .checked_sub(8)
                .and_then(|last| bytes.get(last..))
            {
                Some(last) => word_of(last),
                None => rest
                    .iter()
                    .rev()
                    .fold(0, |word, byte| (word << 8) | u64::from(*byte)),
            };
            self.add(word ^ ((rest.len() as u64) << 56));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        // The map takes its control bits from the top: fold the low bits up as well.
        self.0.rotate_left(26)
    }
}

/// Whether the `csv` crate quotes a cell: it holds a comma, a quote or a line break.
#[inline]
fn needs_quotes(text: &[u8]) -> bool {
    first_marked(text, b'a', |word| {
        equal_to(word, b',') | equal_to(word, b'"') | equal_to(word, b'\r') | equal_to(word, b'\n')
    })
    .is_some()
}

/// Appends a cell as the `csv` crate writes it: quoted (inner quotes doubled) when it holds a
/// comma, a quote or a line break; after a leading apostrophe when `formula_escape` asks.
#[inline]
fn put_cell(out: &mut Vec<u8>, text: &[u8], formula_escape: bool) {
    // Most cells are empty or plain: written here, in the row's own code.
    if text.is_empty() {
        if formula_escape {
            out.push(b'\'');
        }
    } else if !formula_escape && !needs_quotes(text) {
        out.extend_from_slice(text);
    } else {
        put_any_cell(out, text, formula_escape);
    }
}

/// [`put_cell`] for any cell.
#[inline(never)]
fn put_any_cell(out: &mut Vec<u8>, text: &[u8], formula_escape: bool) {
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

/// The 64 lower-case hex digits of a hash, as `hex::encode` writes them. Each digit is
/// worked out without a table or a branch, so the compiler does many bytes at a step (the
/// crate's table goes a byte at a time, twice an event).
fn hex_digits(hash: &ChainHash) -> [u8; 64] {
    // Past 9 (where `9 - nibble` wraps and its top bit is set) the digits go on at `a`.
    let digit = |nibble: u8| nibble + b'0' + (9_u8.wrapping_sub(nibble) >> 7) * (b'a' - b'0' - 10);
    let mut text = [0; 64];
    for (pair, byte) in text.chunks_exact_mut(2).zip(hash) {
        pair[0] = digit(byte >> 4);
        pair[1] = digit(byte & 0x0f);
    }
    text
}

fn cell(out: &mut Vec<u8>, text: &[u8]) {
    put_cell(out, text, false);
}

/// A cell a spreadsheet must not run as a formula (as `escape_cell` writes it): a leading
/// apostrophe where the text starts like one.
fn escaped_cell(out: &mut Vec<u8>, text: &str) {
    put_cell(out, text.as_bytes(), starts_like_a_formula(text));
}

fn starts_like_a_formula(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\'')
    )
}

/// [`escaped_cell`] for a string of an item's plain JSON, which holds no quote and no line
/// break (JSON escapes them, and the plain reading takes no escapes): only a comma makes it
/// quoted, so only commas are looked for.
#[inline]
fn escaped_item_cell(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let formula = starts_like_a_formula(text);
    if formula || first_marked(bytes, b'a', |word| equal_to(word, b',')).is_some() {
        put_any_cell(out, bytes, formula);
    } else {
        out.extend_from_slice(bytes);
    }
}

/// Appends the event's CSV rows (one per parcel, or one with empty parcel fields) to `out`.
/// `false`, with `out` as it was, when the event's items or facts are not in the plain form
/// (the caller then decodes it in full and writes it the ordinary way). `items` is scratch
/// space, reused from event to event.
pub(super) fn write_plain_csv_event<'a>(
    out: &mut Vec<u8>,
    event: &PlainEvent<'a>,
    recorded_at: &str,
    staff_name: &str,
    carriers: &mut CarrierMemory,
    items: &mut Vec<ItemView<'a>>,
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
    items.clear();
    if each_plain_item(stored.items_json, |item| {
        uncovered |= format_one && item.has_format_two_fields();
        carriers.fetch_ahead(item.tracking_id);
        items.push(item);
    })
    .is_none()
        || uncovered
    {
        return false;
    }
    let mut number = itoa::Buffer::new();
    let item_count = items.len();
    // The event's own cells are written once, on its first row, and copied onto the others.
    let (mut head, mut middle, mut tail) = (0..0, 0..0, 0..0);
    for index in 0..item_count.max(1) {
        let item = items.get(index);
        let line = item.copied().unwrap_or_default();
        if index == 0 {
            let start = out.len();
            out.extend_from_slice(number.format(event.seq).as_bytes());
            out.push(b',');
            cell(out, recorded_at.as_bytes());
            out.push(b',');
            out.extend_from_slice(event.kind.code().as_bytes());
            out.push(b',');
            if let Some(staff) = stored.staff_id {
                out.extend_from_slice(number.format(staff).as_bytes());
            }
            out.push(b',');
            escaped_cell(out, staff_name);
            out.push(b',');
            out.extend_from_slice(event.counterparty_kind.code().as_bytes());
            out.push(b',');
            escaped_cell(out, stored.counterparty_ref);
            out.push(b',');
            head = start..out.len();
        } else {
            out.extend_from_within(head.clone());
        }
        out.extend_from_slice(number.format(index).as_bytes());
        out.push(b',');
        out.extend_from_slice(number.format(item_count).as_bytes());
        out.push(b',');
        escaped_item_cell(out, line.tracking_id);
        out.push(b',');
        escaped_item_cell(out, line.shelf);
        out.push(b',');
        escaped_item_cell(out, line.detail);
        out.push(b',');
        if index == 0 {
            let start = out.len();
            cell(out, stored.token_id.unwrap_or("").as_bytes());
            out.push(b',');
            escaped_cell(out, stored.note);
            out.push(b',');
            out.extend_from_slice(&hex_digits(&event.prev_hash));
            out.push(b',');
            out.extend_from_slice(&hex_digits(&event.hash));
            out.push(b',');
            out.extend_from_slice(number.format(event.format).as_bytes());
            out.push(b',');
            middle = start..out.len();
        } else {
            out.extend_from_within(middle.clone());
        }
        cell(out, line.code.as_bytes());
        out.push(b',');
        escaped_item_cell(out, line.recipient);
        out.push(b',');
        escaped_item_cell(out, line.postal_code);
        out.push(b',');
        if let Some(at) = line.hold_until_us {
            out.extend_from_slice(number.format(at).as_bytes());
        }
        out.push(b',');
        if let Some(at) = line.leave_by_us {
            out.extend_from_slice(number.format(at).as_bytes());
        }
        out.push(b',');
        if index == 0 {
            let start = out.len();
            escaped_cell(out, facts);
            out.push(b',');
            tail = start..out.len();
        } else {
            out.extend_from_within(tail.clone());
        }
        if item.is_some() {
            carriers.put_code(out, line.tracking_id);
        }
        out.extend_from_slice(b"\r\n");
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

    #[test]
    fn the_carrier_memory_says_what_the_label_says() {
        let mut cache = CarrierMemory::default();
        let long = "1Z".repeat(30);
        let (kept, not_kept) = ("9".repeat(KEPT_ID_BYTES), "9".repeat(KEPT_ID_BYTES + 1));
        let mut ids: Vec<String> = ["1Z999AA10123456784", "9205590164917312751089", "ZZ", ""]
            .iter()
            .map(|id| (*id).to_owned())
            .chain([long, kept, not_kept])
            .collect();
        // More than the memory holds, so its parts start again on the way.
        ids.extend((0..CARRIER_SLOTS as u64 + 5_000).map(|n| format!("RR{n:09}GB")));
        for round in 0..2 {
            for id in ids.iter().step_by(if round == 0 { 1 } else { 997 }) {
                let mut out = Vec::new();
                cache.put_code(&mut out, id);
                assert_eq!(out, carrier_of_text(id).code().as_bytes(), "{id}");
            }
        }
    }

    /// Every carrier's published sample ids, read from the label the first time and from the
    /// memory after, give the carrier the samples are published for.
    #[test]
    fn published_samples_keep_their_carrier_when_remembered() {
        let samples = crate::domain::labels::tests::samples::VALID;
        let mut memory = CarrierMemory::default();
        for _ in 0..2 {
            for (_, tracking_id, carrier, ..) in samples {
                let mut out = Vec::new();
                memory.put_code(&mut out, tracking_id);
                assert_eq!(String::from_utf8_lossy(&out), *carrier, "{tracking_id}");
            }
        }
        // Of every carrier the kiosk reads, remembered or not.
        for code in [
            "ups", "usps", "fedex", "dhl", "dpd", "amazon", "post-GB", "sscc",
        ] {
            assert!(samples.iter().any(|sample| sample.2 == code), "{code}");
        }
    }

    proptest! {
        #[test]
        fn hex_digits_are_the_hex_crates(hash in any::<[u8; 32]>()) {
            let wanted = hex::encode(hash);
            prop_assert_eq!(&hex_digits(&hash)[..], wanted.as_bytes());
        }

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
            let mut carriers = CarrierMemory::default();
            let mut items = Vec::new();
            let wrote = write_plain_csv_event(
                &mut out,
                &plain,
                recorded_at,
                &staff_name,
                &mut carriers,
                &mut items,
            );
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
