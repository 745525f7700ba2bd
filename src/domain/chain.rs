//! Ledger events and the hash chain that makes them tamper-evident:
//! `h(n) = SHA-256(EVENT_TAG || h(n-1) || canonical_bytes(event n))`, with `h(0)` all zeros.
//! Anyone with an export can recompute it; the canonical form below is the contract.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::clock::to_micros;
use super::custody::EventKind;
use super::ids::StaffId;

pub mod view;

/// Domain separation: an event hash can never be confused with any other SHA-256 in the system.
/// Format 1: the events written before the chain carried the rule-bearing facts.
pub const EVENT_TAG: &[u8] = b"handoff-kiosk/event/v1\0";
/// Format 2: each item also carries its pickup-code digest, recipient, postal code, hold and
/// leave-by times, and the event carries its facts (staff changes, the sealed state). The tag
/// differs, so an event cannot be passed off as the other format.
pub const EVENT_TAG_V2: &[u8] = b"handoff-kiosk/event/v2\0";

/// The format every new event is written in.
pub const CURRENT_FORMAT: u8 = 2;

pub type ChainHash = [u8; 32];

/// The hash before the first event.
pub const GENESIS_HASH: ChainHash = [0; 32];

/// Who was on the other side of a handoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CounterpartyKind {
    Driver,
    Customer,
    Carrier,
    /// The store itself (its own outgoing orders, its courier, administrative acts).
    Store,
}

impl CounterpartyKind {
    pub fn code(self) -> &'static str {
        match self {
            CounterpartyKind::Driver => "driver",
            CounterpartyKind::Customer => "customer",
            CounterpartyKind::Carrier => "carrier",
            CounterpartyKind::Store => "store",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Driver, Self::Customer, Self::Carrier, Self::Store]
            .into_iter()
            .find(|kind| kind.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counterparty {
    pub kind: CounterpartyKind,
    /// A driver badge id, a customer's name or reference, a carrier file name; may be empty.
    pub reference: String,
}

/// One parcel's line within an event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventItem {
    pub tracking_id: String,
    /// Shelf or bin the parcel went to, where it went onto a shelf.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub shelf: String,
    /// Per-parcel detail: a refusal reason, "left with neighbour", a must-leave-by time.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// Format 2: the hex of the pepper-keyed digest of the pickup code that opens this parcel
    /// from now on (never the code). Which code opens which parcel is a rule, so the chain
    /// carries it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub code: String,
    /// Format 2: who the parcel is for, as announced or as the clerk entered it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub recipient: String,
    /// Format 2: the recipient's postal code (the local-delivery service area reads it).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub postal_code: String,
    /// Format 2: when the hold ends (microseconds since the epoch, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_until_us: Option<i64>,
    /// Format 2: when one of the shop's own orders must leave (microseconds, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leave_by_us: Option<i64>,
}

impl EventItem {
    pub fn new(tracking_id: &str) -> Self {
        Self {
            tracking_id: tracking_id.to_owned(),
            ..Self::default()
        }
    }
}

/// One named fact of a format-2 event: what a staff change set, what the sealed state held.
/// An ordered list, not a map: the canonical bytes keep the order they were written in.
pub type Fact = (String, String);

/// An event's content: everything the hash covers except its position in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventBody {
    pub recorded_at: DateTime<Utc>,
    pub kind: EventKind,
    /// The staff member whose PIN was verified; `None` for acts done from the admin command line.
    pub staff_id: Option<StaffId>,
    pub counterparty: Counterparty,
    pub items: Vec<EventItem>,
    /// The handshake token this handoff used, if any.
    pub token_id: Option<String>,
    pub note: String,
    /// 1 or 2 (see [`EVENT_TAG_V2`]); new events are [`CURRENT_FORMAT`].
    pub format: u8,
    /// Format 2: named facts (empty for most handoffs).
    pub facts: Vec<Fact>,
}

impl EventBody {
    /// Why this body cannot be an event as written, if it cannot: an unknown format, or a
    /// format-1 event carrying format-2 fields, which its hash would not cover (so they could
    /// have been added by anyone).
    pub fn format_problem(&self) -> Option<String> {
        if event_tag(self.format).is_none() {
            return Some(format!("unknown event format {}", self.format));
        }
        let uncovered = self.format == 1
            && (!self.facts.is_empty()
                || self.items.iter().any(|item| {
                    !item.code.is_empty()
                        || !item.recipient.is_empty()
                        || !item.postal_code.is_empty()
                        || item.hold_until_us.is_some()
                        || item.leave_by_us.is_some()
                }));
        uncovered.then(|| "a format-1 event carries format-2 fields its hash does not cover".into())
    }
}

/// An event as stored: its body, its sequence number (1-based, gapless) and its chain links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEvent {
    pub seq: u64,
    pub body: EventBody,
    pub prev_hash: ChainHash,
    pub hash: ChainHash,
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

fn put_text(out: &mut Vec<u8>, text: &str) {
    // Length prefixes make the encoding unambiguous: no two different events share bytes.
    let length = u32::try_from(text.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(text.as_bytes());
}

/// The canonical byte form of event `seq`: big-endian integers and length-prefixed UTF-8, in a
/// fixed field order. Changing this breaks every existing chain: add a new tag version instead.
/// Format 2 adds, per item, the code, recipient, postal code and the two optional times (a
/// presence byte, then 8 bytes), and at the end the facts (a count, then each name and value).
pub fn canonical_bytes(seq: u64, body: &EventBody) -> Vec<u8> {
    let mut out = Vec::with_capacity(128);
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&to_micros(body.recorded_at).to_be_bytes());
    put_text(&mut out, body.kind.code());
    let staff = body.staff_id.map_or(0, |id| id.0);
    out.extend_from_slice(&staff.to_be_bytes());
    put_text(&mut out, body.counterparty.kind.code());
    put_text(&mut out, &body.counterparty.reference);
    let count = u32::try_from(body.items.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&count.to_be_bytes());
    for item in &body.items {
        put_text(&mut out, &item.tracking_id);
        put_text(&mut out, &item.shelf);
        put_text(&mut out, &item.detail);
        if body.format >= 2 {
            put_text(&mut out, &item.code);
            put_text(&mut out, &item.recipient);
            put_text(&mut out, &item.postal_code);
            put_optional_time(&mut out, item.hold_until_us);
            put_optional_time(&mut out, item.leave_by_us);
        }
    }
    put_text(&mut out, body.token_id.as_deref().unwrap_or(""));
    put_text(&mut out, &body.note);
    if body.format >= 2 {
        let count = u32::try_from(body.facts.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&count.to_be_bytes());
        for (name, value) in &body.facts {
            put_text(&mut out, name);
            put_text(&mut out, value);
        }
    }
    out
}

/// The tag of an event format; `None` for a format this build does not know.
pub fn event_tag(format: u8) -> Option<&'static [u8]> {
    match format {
        1 => Some(EVENT_TAG),
        2 => Some(EVENT_TAG_V2),
        _ => None,
    }
}

/// The chain hash of event `seq` given the previous hash. An unknown format hashes under no
/// valid tag, so it can never verify.
pub fn chain_hash(prev_hash: &ChainHash, seq: u64, body: &EventBody) -> ChainHash {
    let mut hasher = Sha256::new();
    hasher.update(event_tag(body.format).unwrap_or(b"handoff-kiosk/event/unknown\0"));
    hasher.update(prev_hash);
    hasher.update(canonical_bytes(seq, body));
    hasher.finalize().into()
}

/// What is wrong with an event found while walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainFault {
    /// The sequence jumps: events in between were deleted (or numbers rewritten).
    Gap { expected_seq: u64, found_seq: u64 },
    /// The event's stored link does not name the event before it.
    BrokenLink { seq: u64 },
    /// The event's content no longer hashes to its stored hash: it was altered.
    ContentAltered { seq: u64 },
    /// The event could not even be decoded (a field was overwritten with garbage).
    Undecodable { seq: u64, reason: String },
}

impl ChainFault {
    pub fn seq(&self) -> u64 {
        match self {
            ChainFault::Gap { expected_seq, .. } => *expected_seq,
            ChainFault::BrokenLink { seq }
            | ChainFault::ContentAltered { seq }
            | ChainFault::Undecodable { seq, .. } => *seq,
        }
    }
}

impl std::fmt::Display for ChainFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainFault::Gap {
                expected_seq,
                found_seq,
            } => write!(
                f,
                "event {expected_seq} is missing: the ledger jumps from event {} to event {found_seq} (deleted or renumbered)",
                expected_seq - 1
            ),
            ChainFault::BrokenLink { seq } => write!(
                f,
                "event {seq} does not link to event {}: an event was inserted, removed or reordered here",
                seq - 1
            ),
            ChainFault::ContentAltered { seq } => write!(
                f,
                "event {seq} was altered: its content no longer matches its hash"
            ),
            ChainFault::Undecodable { seq, reason } => {
                write!(f, "event {seq} is unreadable ({reason}): it was altered")
            }
        }
    }
}

/// Walks events in order and reports the first fault. Feed it every event, then read `head`.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    next_seq: u64,
    head: ChainHash,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            next_seq: 1,
            head: GENESIS_HASH,
        }
    }
}

impl ChainVerifier {
    /// Resumes after a known-good prefix (e.g. an export that starts mid-ledger).
    pub fn resume(after_seq: u64, head: ChainHash) -> Self {
        Self {
            next_seq: after_seq + 1,
            head,
        }
    }

    pub fn check(&mut self, event: &LedgerEvent) -> Result<(), ChainFault> {
        if event.seq != self.next_seq {
            return Err(ChainFault::Gap {
                expected_seq: self.next_seq,
                found_seq: event.seq,
            });
        }
        if event.prev_hash != self.head {
            return Err(ChainFault::BrokenLink { seq: event.seq });
        }
        if let Some(reason) = event.body.format_problem() {
            return Err(ChainFault::Undecodable {
                seq: event.seq,
                reason,
            });
        }
        if chain_hash(&event.prev_hash, event.seq, &event.body) != event.hash {
            return Err(ChainFault::ContentAltered { seq: event.seq });
        }
        self.head = event.hash;
        self.next_seq += 1;
        Ok(())
    }

    /// The number of events verified so far.
    pub fn count(&self) -> u64 {
        self.next_seq - 1
    }

    pub fn head(&self) -> ChainHash {
        self.head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(note: &str) -> EventBody {
        EventBody {
            recorded_at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
            kind: EventKind::DriverDelivery,
            staff_id: Some(StaffId(1)),
            counterparty: Counterparty {
                kind: CounterpartyKind::Driver,
                reference: "D-17".into(),
            },
            items: vec![EventItem {
                shelf: "A1".into(),
                ..EventItem::new("1Z0001")
            }],
            token_id: None,
            note: note.into(),
            format: CURRENT_FORMAT,
            facts: Vec::new(),
        }
    }

    fn chain(notes: &[&str]) -> Vec<LedgerEvent> {
        let mut prev = GENESIS_HASH;
        notes
            .iter()
            .enumerate()
            .map(|(index, note)| {
                let seq = index as u64 + 1;
                let body = body(note);
                let hash = chain_hash(&prev, seq, &body);
                let event = LedgerEvent {
                    seq,
                    body,
                    prev_hash: prev,
                    hash,
                };
                prev = hash;
                event
            })
            .collect()
    }

    fn first_fault(events: &[LedgerEvent]) -> Option<ChainFault> {
        let mut verifier = ChainVerifier::default();
        events.iter().find_map(|event| verifier.check(event).err())
    }

    #[test]
    fn intact_chain_verifies() {
        assert_eq!(first_fault(&chain(&["a", "b", "c"])), None);
    }

    #[test]
    fn each_tampering_is_named() {
        let mut altered = chain(&["a", "b", "c"]);
        altered[1].body.note = "B".into();
        assert_eq!(
            first_fault(&altered),
            Some(ChainFault::ContentAltered { seq: 2 })
        );

        let mut deleted = chain(&["a", "b", "c"]);
        deleted.remove(1);
        assert_eq!(
            first_fault(&deleted),
            Some(ChainFault::Gap {
                expected_seq: 2,
                found_seq: 3
            })
        );

        let mut swapped = chain(&["a", "b", "c"]);
        swapped.swap(0, 1);
        swapped[0].seq = 1;
        swapped[1].seq = 2;
        assert_eq!(
            first_fault(&swapped),
            Some(ChainFault::BrokenLink { seq: 1 })
        );
    }

    #[test]
    fn canonical_bytes_are_unambiguous() {
        // Moving a character between adjacent fields must change the bytes.
        let mut first = body("");
        first.counterparty.reference = "D-1".into();
        first.note = "7x".into();
        let mut second = first.clone();
        second.counterparty.reference = "D-17".into();
        second.note = "x".into();
        assert_ne!(canonical_bytes(1, &first), canonical_bytes(1, &second));
    }

    #[test]
    fn format_two_covers_every_rule_bearing_field_and_the_format_itself() {
        let base = body("");
        let hash = |body: &EventBody| chain_hash(&GENESIS_HASH, 1, body);
        type Change = Box<dyn Fn(&mut EventBody)>;
        let changes: Vec<(&str, Change)> = vec![
            ("code", Box::new(|b| b.items[0].code = "ab".into())),
            (
                "recipient",
                Box::new(|b| b.items[0].recipient = "Ana".into()),
            ),
            (
                "postal",
                Box::new(|b| b.items[0].postal_code = "85001".into()),
            ),
            ("hold", Box::new(|b| b.items[0].hold_until_us = Some(1))),
            ("leave", Box::new(|b| b.items[0].leave_by_us = Some(1))),
            (
                "facts",
                Box::new(|b| b.facts.push(("role".into(), "manager".into()))),
            ),
            ("format", Box::new(|b| b.format = 1)),
        ];
        for (what, change) in changes {
            let mut changed = base.clone();
            change(&mut changed);
            assert_ne!(hash(&base), hash(&changed), "{what} is not covered");
        }
        // Moving the same byte from the hold time to the leave-by time changes the bytes.
        let mut hold = base.clone();
        hold.items[0].hold_until_us = Some(7);
        let mut leave = base.clone();
        leave.items[0].leave_by_us = Some(7);
        assert_ne!(canonical_bytes(1, &hold), canonical_bytes(1, &leave));
    }
}
