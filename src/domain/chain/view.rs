//! An event as the ledger stores it, borrowed from the row: its chain hash computed straight from
//! the stored bytes into a reused buffer, without building an owned event or a JSON tree.
//! `verify --chain-only` and the export read a million of these.
//!
//! Only the plain form the kiosk itself writes is read here (`serde_json::to_string` of the
//! items and facts: no whitespace, fields in declaration order, no escapes in strings). Anything
//! else, and anything odd (an unknown kind, a bad hash length, a format problem), makes these
//! functions return `None`, and the caller decodes that row in full the ordinary way, which then
//! gives the very same verdict. So the plain path never accepts what the full decoding refuses,
//! and always gives the same canonical bytes ([`super::canonical_bytes`]); tests hold the two
//! side by side.

use sha2::{Digest, Sha256};

use super::{
    ChainFault, ChainHash, Counterparty, CounterpartyKind, EventBody, EventItem, Fact, LedgerEvent,
    event_tag,
};
use crate::domain::byte_words::{below, equal_to, first_marked};
use crate::domain::clock::from_micros;
use crate::domain::custody::EventKind;
use crate::domain::ids::StaffId;

/// One parcel's line of an event, borrowed from the stored items text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ItemView<'a> {
    pub tracking_id: &'a str,
    pub shelf: &'a str,
    pub detail: &'a str,
    pub code: &'a str,
    pub recipient: &'a str,
    pub postal_code: &'a str,
    pub hold_until_us: Option<i64>,
    pub leave_by_us: Option<i64>,
}

impl ItemView<'_> {
    /// Whether the item carries any field that only format 2 covers.
    pub fn has_format_two_fields(&self) -> bool {
        !self.code.is_empty()
            || !self.recipient.is_empty()
            || !self.postal_code.is_empty()
            || self.hold_until_us.is_some()
            || self.leave_by_us.is_some()
    }
}

/// An event row's columns, borrowed, before anything is decoded.
#[derive(Debug, Clone, Copy)]
pub struct StoredEvent<'a> {
    pub seq: i64,
    pub recorded_at_us: i64,
    pub kind: &'a str,
    pub staff_id: Option<i64>,
    pub counterparty_kind: &'a str,
    pub counterparty_ref: &'a str,
    pub items_json: &'a str,
    pub token_id: Option<&'a str>,
    pub note: &'a str,
    pub prev_hash: &'a [u8],
    pub hash: &'a [u8],
    pub format: i64,
    pub facts_json: &'a str,
}

/// What the plain path read of a stored event: enough to write its canonical bytes and its
/// export rows.
#[derive(Debug, Clone, Copy)]
pub struct PlainEvent<'a> {
    pub seq: u64,
    pub kind: EventKind,
    pub counterparty_kind: CounterpartyKind,
    pub format: u8,
    pub prev_hash: ChainHash,
    pub hash: ChainHash,
    pub row: StoredEvent<'a>,
}

impl<'a> StoredEvent<'a> {
    /// The row's plain reading, or `None` when it must be decoded in full.
    pub fn plain(&self) -> Option<PlainEvent<'a>> {
        let seq = u64::try_from(self.seq).ok()?;
        // Outside chrono's range the full decoding collapses the time to the epoch.
        if !within_chrono(self.recorded_at_us) {
            return None;
        }
        let kind: EventKind = self.kind.parse().ok()?;
        let counterparty_kind = CounterpartyKind::from_code(self.counterparty_kind)?;
        let format = u8::try_from(self.format).ok()?;
        event_tag(format)?;
        Some(PlainEvent {
            seq,
            kind,
            counterparty_kind,
            format,
            prev_hash: self.prev_hash.try_into().ok()?,
            hash: self.hash.try_into().ok()?,
            row: *self,
        })
    }
}

/// Whether chrono has a time for `micros` since the epoch: the bounds compared, not a date
/// worked out (once a row, that was a fiftieth of the export).
fn within_chrono(micros: i64) -> bool {
    let (earliest, latest) = (
        chrono::DateTime::<chrono::Utc>::MIN_UTC.timestamp_micros(),
        chrono::DateTime::<chrono::Utc>::MAX_UTC.timestamp_micros(),
    );
    (earliest..=latest).contains(&micros)
}

impl StoredEvent<'_> {
    /// The row decoded in full into an owned event (what the store's row decoding does); a
    /// fault when it cannot be an event as written.
    pub fn decode(&self) -> Result<LedgerEvent, ChainFault> {
        let seq = self.seq.max(0) as u64;
        let undecodable = |reason: String| Err(ChainFault::Undecodable { seq, reason });
        let Ok(kind) = self.kind.parse::<EventKind>() else {
            return undecodable(format!("unknown kind {:?}", self.kind));
        };
        let Some(counterparty_kind) = CounterpartyKind::from_code(self.counterparty_kind) else {
            return undecodable(format!("unknown counterparty {:?}", self.counterparty_kind));
        };
        let Ok(items) = serde_json::from_str::<Vec<EventItem>>(self.items_json) else {
            return undecodable("parcel list is not valid".into());
        };
        let (Ok(prev_hash), Ok(hash)) = (
            ChainHash::try_from(self.prev_hash),
            ChainHash::try_from(self.hash),
        ) else {
            return undecodable("hash is not 32 bytes".into());
        };
        let Ok(format) = u8::try_from(self.format) else {
            return undecodable("the format is not valid".into());
        };
        let Ok(facts) = serde_json::from_str::<Vec<Fact>>(self.facts_json) else {
            return undecodable("the facts are not valid".into());
        };
        let body = EventBody {
            recorded_at: from_micros(self.recorded_at_us),
            kind,
            staff_id: self.staff_id.map(StaffId),
            counterparty: Counterparty {
                kind: counterparty_kind,
                reference: self.counterparty_ref.to_owned(),
            },
            items,
            token_id: self.token_id.map(str::to_owned),
            note: self.note.to_owned(),
            format,
            facts,
        };
        if let Some(reason) = body.format_problem() {
            return undecodable(reason);
        }
        Ok(LedgerEvent {
            seq,
            body,
            prev_hash,
            hash,
        })
    }
}

impl<'a> PlainEvent<'a> {
    /// Writes the canonical bytes into `out` (cleared first), as [`super::canonical_bytes`]
    /// writes them for the decoded event. `false` (and `out` unspecified) when the items or
    /// facts are not in plain form, or a format-1 event carries format-2 fields.
    pub fn canonical_bytes_into(&self, out: &mut Vec<u8>) -> bool {
        let row = &self.row;
        out.clear();
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&row.recorded_at_us.to_be_bytes());
        put_text(out, self.kind.code());
        out.extend_from_slice(&row.staff_id.unwrap_or(0).to_be_bytes());
        put_text(out, self.counterparty_kind.code());
        put_text(out, row.counterparty_ref);
        let count_at = out.len();
        out.extend_from_slice(&[0; 4]);
        let format_two = self.format >= 2;
        let mut uncovered = false;
        let count = each_plain_item(row.items_json, |item| {
            put_text(out, item.tracking_id);
            put_text(out, item.shelf);
            put_text(out, item.detail);
            if format_two {
                put_text(out, item.code);
                put_text(out, item.recipient);
                put_text(out, item.postal_code);
                put_optional_time(out, item.hold_until_us);
                put_optional_time(out, item.leave_by_us);
            } else {
                uncovered |= item.has_format_two_fields();
            }
        });
        let Some(count) = count else {
            return false;
        };
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        out[count_at..count_at + 4].copy_from_slice(&count.to_be_bytes());
        put_text(out, row.token_id.unwrap_or(""));
        put_text(out, row.note);
        let count_at = out.len();
        if format_two {
            out.extend_from_slice(&[0; 4]);
        }
        let facts = each_plain_fact(row.facts_json, |name, value| {
            if format_two {
                put_text(out, name);
                put_text(out, value);
            }
        });
        let Some(facts) = facts else {
            return false;
        };
        if format_two {
            let facts = u32::try_from(facts).unwrap_or(u32::MAX);
            out[count_at..count_at + 4].copy_from_slice(&facts.to_be_bytes());
        }
        !uncovered && (format_two || facts == 0)
    }

    /// The chain hash of this event after `prev_hash`, its canonical bytes built in `scratch`;
    /// `None` when the row must be decoded in full.
    pub fn chain_hash(&self, prev_hash: &ChainHash, scratch: &mut Vec<u8>) -> Option<ChainHash> {
        if !self.canonical_bytes_into(scratch) {
            return None;
        }
        let mut hasher = Sha256::new();
        hasher.update(event_tag(self.format)?);
        hasher.update(prev_hash);
        hasher.update(&scratch[..]);
        Some(hasher.finalize().into())
    }
}

impl super::ChainVerifier {
    /// [`super::ChainVerifier::check`] for a stored row read the plain way; `None` when the row
    /// must be decoded in full and checked with `check` (nothing has changed then).
    pub fn check_plain(
        &mut self,
        event: &PlainEvent<'_>,
        scratch: &mut Vec<u8>,
    ) -> Option<Result<(), ChainFault>> {
        // Decoding comes first in the full path, so a row it would refuse is left to it.
        let hash = event.chain_hash(&event.prev_hash, scratch)?;
        Some(if event.seq != self.next_seq {
            Err(ChainFault::Gap {
                expected_seq: self.next_seq,
                found_seq: event.seq,
            })
        } else if event.prev_hash != self.head {
            Err(ChainFault::BrokenLink { seq: event.seq })
        } else if hash != event.hash {
            Err(ChainFault::ContentAltered { seq: event.seq })
        } else {
            self.head = event.hash;
            self.next_seq += 1;
            Ok(())
        })
    }
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    let length = u32::try_from(text.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(text.as_bytes());
}

fn put_optional_time(out: &mut Vec<u8>, value: Option<i64>) {
    match value {
        None => out.push(0),
        Some(micros) => {
            out.push(1);
            out.extend_from_slice(&micros.to_be_bytes());
        }
    }
}

/// A cursor over plain JSON text.
struct Plain<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Plain<'a> {
    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.text.as_bytes().get(self.at) == Some(&byte)).then(|| self.at += 1)
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// A string with no escapes and no control characters (what JSON would need escaped).
    fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.at;
        let bytes = self.text.as_bytes();
        let end = start + first_marked(bytes.get(start..)?, b'a', string_stops)?;
        if bytes.get(end) != Some(&b'"') {
            return None;
        }
        let value = self.text.get(start..end)?;
        self.at = end + 1;
        Some(value)
    }

    /// Steps over `key` (a field's name, its closing quote and the colon) if the text goes on
    /// with it.
    fn eat_key(&mut self, key: &[u8]) -> bool {
        let found = self
            .text
            .as_bytes()
            .get(self.at..)
            .is_some_and(|rest| rest.starts_with(key));
        if found {
            self.at += key.len();
        }
        found
    }

    /// An integer as serde writes an `i64` (`-`, then digits without a leading zero), or
    /// `null`.
    fn optional_integer(&mut self) -> Option<Option<i64>> {
        if self.text.as_bytes()[self.at..].starts_with(b"null") {
            self.at += 4;
            return Some(None);
        }
        let start = self.at;
        let _ = self.eat(b'-');
        let digits = self.at;
        while self.peek().is_some_and(|byte| byte.is_ascii_digit()) {
            self.at += 1;
        }
        let count = self.at - digits;
        if count == 0 || (count > 1 && self.text.as_bytes()[digits] == b'0') {
            return None;
        }
        self.text.get(start..self.at)?.parse().ok().map(Some)
    }

    fn done(&self) -> bool {
        self.at == self.text.len()
    }
}

/// What ends a plain string, or refuses it: its closing quote, a backslash (an escape), a control
/// character (JSON escapes them).
fn string_stops(word: u64) -> u64 {
    equal_to(word, b'"') | equal_to(word, b'\\') | below(word, 0x20)
}

/// The item fields in the order serde writes them, each as the text after its opening quote
/// (no name is the start of another's).
const ITEM_KEYS: [&[u8]; 8] = [
    b"tracking_id\":",
    b"shelf\":",
    b"detail\":",
    b"code\":",
    b"recipient\":",
    b"postal_code\":",
    b"hold_until_us\":",
    b"leave_by_us\":",
];

/// Calls `each` for every item of a stored items text in plain form and returns how many there
/// were; `None` when the text is not in plain form (some items may have been passed already).
pub fn each_plain_item<'a>(json: &'a str, mut each: impl FnMut(ItemView<'a>)) -> Option<usize> {
    let mut cursor = Plain { text: json, at: 0 };
    cursor.eat(b'[')?;
    let mut count = 0;
    if cursor.eat(b']').is_none() {
        loop {
            cursor.eat(b'{')?;
            let mut item = ItemView::default();
            let mut next_field = 0;
            loop {
                cursor.eat(b'"')?;
                // In order, each once, the tracking id first: anything else is decoded in full.
                // So only the fields after the last one read are looked for.
                let index = next_field
                    + ITEM_KEYS
                        .get(next_field..)?
                        .iter()
                        .position(|key| cursor.eat_key(key))?;
                if next_field == 0 && index != 0 {
                    return None;
                }
                next_field = index + 1;
                match index {
                    0 => item.tracking_id = cursor.string()?,
                    1 => item.shelf = cursor.string()?,
                    2 => item.detail = cursor.string()?,
                    3 => item.code = cursor.string()?,
                    4 => item.recipient = cursor.string()?,
                    5 => item.postal_code = cursor.string()?,
                    6 => item.hold_until_us = cursor.optional_integer()?,
                    _ => item.leave_by_us = cursor.optional_integer()?,
                }
                if cursor.eat(b',').is_none() {
                    break;
                }
            }
            cursor.eat(b'}')?;
            each(item);
            count += 1;
            if cursor.eat(b',').is_none() {
                break;
            }
        }
        cursor.eat(b']')?;
    }
    cursor.done().then_some(count)
}

/// Calls `each` for every `[name, value]` pair of a stored facts text in plain form and returns
/// how many there were; `None` when the text is not in plain form.
pub fn each_plain_fact<'a>(json: &'a str, mut each: impl FnMut(&'a str, &'a str)) -> Option<usize> {
    if json == "[]" {
        return Some(0);
    }
    let mut cursor = Plain { text: json, at: 0 };
    cursor.eat(b'[')?;
    let mut count = 0;
    loop {
        cursor.eat(b'[')?;
        let name = cursor.string()?;
        cursor.eat(b',')?;
        let value = cursor.string()?;
        cursor.eat(b']')?;
        each(name, value);
        count += 1;
        if cursor.eat(b',').is_none() {
            break;
        }
    }
    cursor.eat(b']')?;
    cursor.done().then_some(count)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::chain::{
        ChainVerifier, Counterparty, EventBody, EventItem, GENESIS_HASH, LedgerEvent,
        canonical_bytes, chain_hash,
    };
    use crate::domain::ids::StaffId;

    /// The bounds say what chrono says, at them, beside them and at the far ends.
    #[test]
    fn within_chrono_is_chronos_own_range() {
        let earliest = chrono::DateTime::<chrono::Utc>::MIN_UTC.timestamp_micros();
        let latest = chrono::DateTime::<chrono::Utc>::MAX_UTC.timestamp_micros();
        for micros in [
            i64::MIN,
            earliest - 1,
            earliest,
            earliest + 1,
            -1,
            0,
            1_800_000_000_000_000,
            latest - 1,
            latest,
            latest + 1,
            i64::MAX,
        ] {
            assert_eq!(
                within_chrono(micros),
                chrono::DateTime::from_timestamp_micros(micros).is_some(),
                "{micros}"
            );
        }
    }

    fn stored<'a>(event: &'a LedgerEvent, items: &'a str, facts: &'a str) -> StoredEvent<'a> {
        let body = &event.body;
        StoredEvent {
            seq: event.seq as i64,
            recorded_at_us: body.recorded_at.timestamp_micros(),
            kind: body.kind.code(),
            staff_id: body.staff_id.map(|id| id.0),
            counterparty_kind: body.counterparty.kind.code(),
            counterparty_ref: &body.counterparty.reference,
            items_json: items,
            token_id: body.token_id.as_deref(),
            note: &body.note,
            prev_hash: &event.prev_hash,
            hash: &event.hash,
            format: i64::from(body.format),
            facts_json: facts,
        }
    }

    fn event(items: Vec<EventItem>, facts: Vec<(String, String)>, format: u8) -> LedgerEvent {
        let body = EventBody {
            recorded_at: chrono::DateTime::from_timestamp(1_800_000_000, 123_000).unwrap(),
            kind: EventKind::DriverDelivery,
            staff_id: Some(StaffId(4)),
            counterparty: Counterparty {
                kind: CounterpartyKind::Driver,
                reference: "D-9".into(),
            },
            items,
            token_id: Some("tok".into()),
            note: "a note".into(),
            format,
            facts,
        };
        let hash = chain_hash(&GENESIS_HASH, 1, &body);
        LedgerEvent {
            seq: 1,
            body,
            prev_hash: GENESIS_HASH,
            hash,
        }
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[A-Za-z0-9 ./-]{1,12}",
            // What JSON escapes, and text beyond ASCII.
            "[a\"\\\\\n\u{1}é☃]{0,6}",
        ]
    }

    fn item() -> impl Strategy<Value = EventItem> {
        (
            "[A-Z0-9]{1,20}",
            text(),
            text(),
            text(),
            text(),
            text(),
            proptest::option::of(any::<i64>()),
            proptest::option::of(any::<i64>()),
        )
            .prop_map(
                |(tracking_id, shelf, detail, code, recipient, postal_code, hold, leave)| {
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
        /// Whatever the kiosk writes, the plain path either steps aside or gives exactly the
        /// bytes and the verdict of the full decoding; and it does not step aside for text that
        /// needs no escapes.
        #[test]
        fn the_plain_path_gives_the_full_decodings_bytes(
            items in proptest::collection::vec(item(), 0..5),
            facts in proptest::collection::vec((text(), text()), 0..3),
            format in 1_u8..=2,
        ) {
            let event = event(items, facts, format);
            let items_json = serde_json::to_string(&event.body.items).unwrap();
            let facts_json = serde_json::to_string(&event.body.facts).unwrap();
            let row = stored(&event, &items_json, &facts_json);
            match event.body.format_problem() {
                None => prop_assert_eq!(row.decode(), Ok(event.clone())),
                Some(_) => prop_assert!(row.decode().is_err()),
            }
            let plain = row.plain().expect("the columns are plain");
            let mut scratch = Vec::new();
            let wrote = plain.canonical_bytes_into(&mut scratch);
            let needs_escapes = items_json.contains('\\') || facts_json.contains('\\');
            let format_problem = event.body.format_problem().is_some();
            prop_assert_eq!(wrote, !needs_escapes && !format_problem);
            if wrote {
                prop_assert_eq!(&scratch, &canonical_bytes(1, &event.body));
                let mut verifier = ChainVerifier::default();
                prop_assert_eq!(verifier.check_plain(&plain, &mut scratch), Some(Ok(())));
            }
        }
    }

    #[test]
    fn text_not_in_the_kiosks_own_form_is_left_to_the_full_decoding() {
        let refused = [
            r#"[{"shelf":"A","tracking_id":"X"}]"#,
            r#"[ {"tracking_id":"X"}]"#,
            r#"[{"tracking_id":"X","tracking_id":"Y"}]"#,
            r#"[{"tracking_id":"X","colour":"red"}]"#,
            r#"[{"tracking_id":"X","hold_until_us":01}]"#,
            r#"[{"tracking_id":"X","hold_until_us":1.5}]"#,
            r#"[{"tracking_id":"X","hold_until_us":99999999999999999999}]"#,
            r#"[{"tracking_id":"X\u0041"}]"#,
            r#"[{"tracking_id":"X"}] "#,
            r#"[{"tracking_id":"X"},]"#,
            r#"[{}]"#,
            r#"{}"#,
            "",
        ];
        for text in refused {
            assert_eq!(each_plain_item(text, |_| {}), None, "{text}");
        }
        let mut seen = Vec::new();
        let read = each_plain_item(
            r#"[{"tracking_id":"X","hold_until_us":-5},{"tracking_id":"Y","leave_by_us":null}]"#,
            |item| seen.push((item.tracking_id, item.hold_until_us, item.leave_by_us)),
        );
        assert_eq!(read, Some(2));
        assert_eq!(seen, [("X", Some(-5), None), ("Y", None, None)]);
        assert_eq!(each_plain_fact(r#"[["a","b"]] "#, |_, _| {}), None);
        assert_eq!(each_plain_fact(r#"[["a"]]"#, |_, _| {}), None);
    }

    #[test]
    fn odd_columns_are_left_to_the_full_decoding() {
        let event = event(vec![EventItem::new("X")], Vec::new(), 2);
        let items = serde_json::to_string(&event.body.items).unwrap();
        let row = stored(&event, &items, "[]");
        assert!(row.plain().is_some());
        let short = [0_u8; 31];
        for odd in [
            StoredEvent {
                kind: "driver_deliveryX",
                ..row
            },
            StoredEvent {
                counterparty_kind: "Driver",
                ..row
            },
            StoredEvent { format: 3, ..row },
            StoredEvent { seq: -1, ..row },
            StoredEvent {
                recorded_at_us: i64::MAX,
                ..row
            },
            StoredEvent {
                hash: &short,
                ..row
            },
        ] {
            assert!(odd.plain().is_none(), "{odd:?}");
        }
    }

    #[test]
    fn the_plain_check_names_the_same_faults() {
        let event = event(vec![EventItem::new("X")], Vec::new(), 2);
        let items = serde_json::to_string(&event.body.items).unwrap();
        let mut scratch = Vec::new();
        let altered_note = LedgerEvent {
            body: EventBody {
                note: "changed".into(),
                ..event.body.clone()
            },
            ..event.clone()
        };
        let row = stored(&altered_note, &items, "[]");
        let plain = row.plain().unwrap();
        assert_eq!(
            ChainVerifier::default().check_plain(&plain, &mut scratch),
            Some(Err(ChainFault::ContentAltered { seq: 1 }))
        );
        let row = stored(&event, &items, "[]");
        let plain = row.plain().unwrap();
        assert_eq!(
            ChainVerifier::resume(1, GENESIS_HASH).check_plain(&plain, &mut scratch),
            Some(Err(ChainFault::Gap {
                expected_seq: 2,
                found_seq: 1
            }))
        );
        assert_eq!(
            ChainVerifier::resume(0, [1; 32]).check_plain(&plain, &mut scratch),
            Some(Err(ChainFault::BrokenLink { seq: 1 }))
        );
        // A format-1 event with format-2 fields is refused by the full decoding: left to it.
        let sneaky = super::tests::event(
            vec![EventItem {
                code: "ab".into(),
                ..EventItem::new("X")
            }],
            Vec::new(),
            1,
        );
        let items = serde_json::to_string(&sneaky.body.items).unwrap();
        let row = stored(&sneaky, &items, "[]");
        assert_eq!(
            ChainVerifier::default().check_plain(&row.plain().unwrap(), &mut scratch),
            None
        );
    }
}
