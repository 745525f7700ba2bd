//! The daily ledger export: what goes in the files, and how head office checks them offline.
//! Each exported event carries everything its chain hash covers, so the chain can be recomputed
//! from the files alone; a signed manifest binds the files, the range and the chain heads.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::chain::{
    ChainHash, Counterparty, CounterpartyKind, EventBody, EventItem, Fact, LedgerEvent,
};
use super::custody::EventKind;
pub use super::export_manifest::{
    ExportSummary, MANIFEST_FORMAT, MANIFEST_TAG, Manifest, ManifestBody, ManifestFile, sha256_hex,
    sign_manifest,
};
use super::ids::StaffId;
use super::labels::carrier_of_text;

pub const MANIFEST_FILE: &str = "manifest.json";
pub const CSV_FILE: &str = "ledger.csv";
pub const JSON_FILE: &str = "ledger.json";
pub const NDJSON_FILE: &str = "ledger.ndjson";
/// Times keep microseconds: the hash covers them exactly.
pub const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6f%:z";

/// The columns of a CSV export. `item_code` to `facts` came with event format 2; `carrier`
/// after them. Files written before either (16 or 23 columns) still read.
pub const CSV_HEADER: [&str; 24] = [
    "seq",
    "recorded_at",
    "kind",
    "staff_id",
    "staff_name",
    "counterparty_kind",
    "counterparty",
    "item_index",
    "item_count",
    "tracking_id",
    "shelf",
    "detail",
    "token_id",
    "note",
    "prev_hash",
    "hash",
    "format",
    "item_code",
    "item_recipient",
    "item_postal_code",
    "item_hold_until_us",
    "item_leave_by_us",
    "facts",
    "carrier",
];

/// How many columns a CSV export had before event format 2.
pub(crate) const CSV_COLUMNS_V1: usize = 16;
/// How many columns a CSV export had before the `carrier` column.
pub(crate) const CSV_COLUMNS_V2: usize = 23;

/// One event as exported (JSON, NDJSON; CSV spreads it over one row per parcel).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedEvent {
    pub seq: u64,
    pub recorded_at: String,
    pub kind: String,
    pub staff_id: Option<i64>,
    pub staff_name: String,
    pub counterparty_kind: String,
    pub counterparty: String,
    pub items: Vec<EventItem>,
    pub token_id: Option<String>,
    pub note: String,
    pub prev_hash: String,
    pub hash: String,
    /// The event's format (1 or 2); absent in exports made before format 2.
    #[serde(default = "format_one")]
    pub format: u8,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<Fact>,
    /// [`super::labels::Carrier::code`] of each item's tracking id, in item order. Not part of the event and
    /// not under its hash: derived from the ids the hash covers, and checked against them when
    /// the export is read ([`check_carriers`]), so it cannot say anything the ids do not. Empty
    /// in exports made before it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub item_carriers: Vec<String>,
}

/// The carrier code an exported item's tracking id gives.
fn carrier_code(item: &EventItem) -> String {
    carrier_of_text(&item.tracking_id).code()
}

/// The carrier code of each distinct tracking id, worked out once per export: an id's carrier
/// is a pure function of its text ([`carrier_of_text`]), and an export names each parcel many
/// times (at every step, in every data file), so the answer for the same text is the same.
#[derive(Debug, Default)]
pub struct CarrierMemo {
    codes: std::collections::HashMap<String, String, std::hash::BuildHasherDefault<Fnv1a>>,
}

/// FNV-1a: the memo's keys are short ids from one export, looked up twice per parcel line, so
/// a simple hash beats the default SipHash (which guards against chosen keys; a signed export
/// choosing its ids to collide could only slow its own check down).
#[derive(Debug)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl CarrierMemo {
    /// [`carrier_of_text`]`(tracking_id).code()`.
    pub fn code(&mut self, tracking_id: &str) -> &str {
        if !self.codes.contains_key(tracking_id) {
            self.codes
                .insert(tracking_id.to_owned(), carrier_of_text(tracking_id).code());
        }
        self.codes.get(tracking_id).map_or("", String::as_str)
    }
}

/// Refuses carriers that are not what the items' ids give (an export edited after signing
/// would already fail its hash; this catches a writer that got them wrong).
pub fn check_carriers(event: &ExportedEvent) -> Result<(), String> {
    check_carriers_with(event, &mut CarrierMemo::default())
}

/// [`check_carriers`], the carrier of each id looked up in `memo`.
pub fn check_carriers_with(event: &ExportedEvent, memo: &mut CarrierMemo) -> Result<(), String> {
    if event.item_carriers.is_empty() {
        return Ok(());
    }
    if event.item_carriers.len() != event.items.len() {
        return Err(format!(
            "event {}: {} carriers for {} parcels",
            event.seq,
            event.item_carriers.len(),
            event.items.len()
        ));
    }
    for (item, carrier) in event.items.iter().zip(&event.item_carriers) {
        let derived = memo.code(&item.tracking_id);
        if carrier != derived {
            return Err(format!(
                "event {}: parcel {} is given carrier {carrier:?}, its id says {derived:?}",
                event.seq, item.tracking_id
            ));
        }
    }
    Ok(())
}

fn format_one() -> u8 {
    1
}

impl ExportedEvent {
    /// Times are written in the store's zone with the offset in force at that instant.
    pub fn from_event(event: &LedgerEvent, staff_name: &str, zone: &chrono_tz::Tz) -> Self {
        let body = &event.body;
        Self {
            seq: event.seq,
            recorded_at: body
                .recorded_at
                .with_timezone(zone)
                .format(TIME_FORMAT)
                .to_string(),
            kind: body.kind.code().to_owned(),
            staff_id: body.staff_id.map(|id| id.0),
            staff_name: staff_name.to_owned(),
            counterparty_kind: body.counterparty.kind.code().to_owned(),
            counterparty: body.counterparty.reference.clone(),
            items: body.items.clone(),
            token_id: body.token_id.clone(),
            note: body.note.clone(),
            prev_hash: hex::encode(event.prev_hash),
            hash: hex::encode(event.hash),
            format: body.format,
            facts: body.facts.clone(),
            item_carriers: body.items.iter().map(carrier_code).collect(),
        }
    }

    /// The parsed fields of [`ExportedEvent::to_event`], in the order it checks them.
    fn parsed_parts(&self) -> Result<ParsedParts, String> {
        let seq = self.seq;
        let fail = |what: &str| format!("event {seq}: {what}");
        let recorded_at = DateTime::parse_from_str(&self.recorded_at, TIME_FORMAT)
            .map_err(|_| fail("the time is not valid"))?
            .with_timezone(&Utc);
        let kind: EventKind = self.kind.parse().map_err(|_| fail("unknown kind"))?;
        let counterparty_kind = CounterpartyKind::from_code(&self.counterparty_kind)
            .ok_or_else(|| fail("unknown counterparty"))?;
        let hash = |text: &str| -> Result<ChainHash, String> {
            let mut bytes = [0_u8; 32];
            hex::decode_to_slice(text, &mut bytes)
                .map(|()| bytes)
                .map_err(|_| fail("a hash is not 32 bytes of hex"))
        };
        Ok(ParsedParts {
            recorded_at,
            kind,
            counterparty_kind,
            prev_hash: hash(&self.prev_hash)?,
            hash: hash(&self.hash)?,
        })
    }

    /// Back to a ledger event, so its hash can be recomputed.
    pub fn to_event(&self) -> Result<LedgerEvent, String> {
        let parts = self.parsed_parts()?;
        Ok(LedgerEvent {
            seq: self.seq,
            body: EventBody {
                recorded_at: parts.recorded_at,
                kind: parts.kind,
                staff_id: self.staff_id.map(StaffId),
                counterparty: Counterparty {
                    kind: parts.counterparty_kind,
                    reference: self.counterparty.clone(),
                },
                items: self.items.clone(),
                token_id: self.token_id.clone(),
                note: self.note.clone(),
                format: self.format,
                facts: self.facts.clone(),
            },
            prev_hash: parts.prev_hash,
            hash: parts.hash,
        })
    }

    /// [`ExportedEvent::to_event`] lent to `use_event`: the texts and parcels move into the
    /// ledger event and back afterwards instead of being copied (verifying an export does this
    /// for every event of every data file). Fails exactly when `to_event` fails.
    pub fn with_event<T>(
        &mut self,
        use_event: impl FnOnce(&LedgerEvent) -> T,
    ) -> Result<T, String> {
        let parts = self.parsed_parts()?;
        let event = LedgerEvent {
            seq: self.seq,
            body: EventBody {
                recorded_at: parts.recorded_at,
                kind: parts.kind,
                staff_id: self.staff_id.map(StaffId),
                counterparty: Counterparty {
                    kind: parts.counterparty_kind,
                    reference: std::mem::take(&mut self.counterparty),
                },
                items: std::mem::take(&mut self.items),
                token_id: self.token_id.take(),
                note: std::mem::take(&mut self.note),
                format: self.format,
                facts: std::mem::take(&mut self.facts),
            },
            prev_hash: parts.prev_hash,
            hash: parts.hash,
        };
        let result = use_event(&event);
        let body = event.body;
        self.counterparty = body.counterparty.reference;
        self.items = body.items;
        self.token_id = body.token_id;
        self.note = body.note;
        self.facts = body.facts;
        Ok(result)
    }
}

struct ParsedParts {
    recorded_at: DateTime<Utc>,
    kind: EventKind,
    counterparty_kind: CounterpartyKind,
    prev_hash: ChainHash,
    hash: ChainHash,
}

/// Cells a spreadsheet would run as a formula get a leading apostrophe; so does a cell that
/// already starts with one, which keeps the escape reversible (the hash needs the original).
pub fn escape_cell(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

pub fn unescape_cell(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

fn escape_cow(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => {
            std::borrow::Cow::Owned(format!("'{cell}"))
        }
        _ => std::borrow::Cow::Borrowed(cell),
    }
}

/// Writes one event's CSV rows straight from the ledger event: the same rows as [`csv_rows`],
/// without building them as strings first (an export of a million events spends its time here).
pub fn write_csv_event<W: std::io::Write>(
    writer: &mut csv::Writer<W>,
    event: &LedgerEvent,
    recorded_at: &str,
    staff_name: &str,
) -> csv::Result<()> {
    let body = &event.body;
    let mut seq = itoa_buffer();
    let seq = seq.format(event.seq);
    let mut staff = itoa_buffer();
    let staff = body.staff_id.map_or("", |id| staff.format(id.0));
    let mut prev_hex = [0_u8; 64];
    let mut hash_hex = [0_u8; 64];
    let _ = hex::encode_to_slice(event.prev_hash, &mut prev_hex);
    let _ = hex::encode_to_slice(event.hash, &mut hash_hex);
    let count = body.items.len();
    let mut count_text = itoa_buffer();
    let count_text = count_text.format(count);
    let staff_name = escape_cow(staff_name);
    let reference = escape_cow(&body.counterparty.reference);
    let note = escape_cow(&body.note);
    let token = body.token_id.as_deref().unwrap_or("");
    let mut index_buffer = itoa_buffer();
    let empty = EventItem::default();
    let mut format = itoa_buffer();
    let format = format.format(body.format);
    let facts = facts_cell(&body.facts);
    let rows: Box<dyn Iterator<Item = (usize, &EventItem)>> = if count == 0 {
        Box::new(std::iter::once((0, &empty)))
    } else {
        Box::new(body.items.iter().enumerate())
    };
    for (index, item) in rows {
        let carrier = if count == 0 {
            String::new()
        } else {
            carrier_code(item)
        };
        let index = index_buffer.format(index);
        let mut hold = itoa_buffer();
        let hold = item.hold_until_us.map_or("", |at| hold.format(at));
        let mut leave = itoa_buffer();
        let leave = item.leave_by_us.map_or("", |at| leave.format(at));
        writer.write_record([
            seq.as_bytes(),
            recorded_at.as_bytes(),
            body.kind.code().as_bytes(),
            staff.as_bytes(),
            staff_name.as_bytes(),
            body.counterparty.kind.code().as_bytes(),
            reference.as_bytes(),
            index.as_bytes(),
            count_text.as_bytes(),
            escape_cow(&item.tracking_id).as_bytes(),
            escape_cow(&item.shelf).as_bytes(),
            escape_cow(&item.detail).as_bytes(),
            token.as_bytes(),
            note.as_bytes(),
            &prev_hex,
            &hash_hex,
            format.as_bytes(),
            item.code.as_bytes(),
            escape_cow(&item.recipient).as_bytes(),
            escape_cow(&item.postal_code).as_bytes(),
            hold.as_bytes(),
            leave.as_bytes(),
            escape_cow(&facts).as_bytes(),
            carrier.as_bytes(),
        ])?;
    }
    Ok(())
}

fn itoa_buffer() -> itoa::Buffer {
    itoa::Buffer::new()
}

/// An event's facts in one CSV cell: a JSON array of `[name, value]` pairs, empty for none.
fn facts_cell(facts: &[Fact]) -> String {
    if facts.is_empty() {
        String::new()
    } else {
        serde_json::to_string(facts).unwrap_or_default()
    }
}

fn optional_number(cell: &str) -> Result<Option<i64>, ()> {
    if cell.is_empty() {
        Ok(None)
    } else {
        cell.parse().map(Some).map_err(|_| ())
    }
}

/// The CSV rows of one event: one per parcel, or one with empty parcel fields.
pub fn csv_rows(event: &ExportedEvent) -> Vec<[String; 24]> {
    let count = event.items.len();
    let row = |index: usize, item: Option<&EventItem>| {
        [
            event.seq.to_string(),
            event.recorded_at.clone(),
            event.kind.clone(),
            event.staff_id.map(|id| id.to_string()).unwrap_or_default(),
            escape_cell(&event.staff_name),
            event.counterparty_kind.clone(),
            escape_cell(&event.counterparty),
            index.to_string(),
            count.to_string(),
            item.map(|i| escape_cell(&i.tracking_id))
                .unwrap_or_default(),
            item.map(|i| escape_cell(&i.shelf)).unwrap_or_default(),
            item.map(|i| escape_cell(&i.detail)).unwrap_or_default(),
            event.token_id.clone().unwrap_or_default(),
            escape_cell(&event.note),
            event.prev_hash.clone(),
            event.hash.clone(),
            event.format.to_string(),
            item.map(|i| i.code.clone()).unwrap_or_default(),
            item.map(|i| escape_cell(&i.recipient)).unwrap_or_default(),
            item.map(|i| escape_cell(&i.postal_code))
                .unwrap_or_default(),
            item.and_then(|i| i.hold_until_us)
                .map(|at| at.to_string())
                .unwrap_or_default(),
            item.and_then(|i| i.leave_by_us)
                .map(|at| at.to_string())
                .unwrap_or_default(),
            escape_cell(&facts_cell(&event.facts)),
            item.map(carrier_code).unwrap_or_default(),
        ]
    };
    if count == 0 {
        return vec![row(0, None)];
    }
    event
        .items
        .iter()
        .enumerate()
        .map(|(index, item)| row(index, Some(item)))
        .collect()
}

/// One CSV row's cells, however they are held (owned strings, or the reader's record).
pub trait CsvCells {
    fn cell_count(&self) -> usize;
    /// The cell at `index` (`index < cell_count()`).
    fn cell(&self, index: usize) -> &str;
}

impl CsvCells for Vec<String> {
    fn cell_count(&self) -> usize {
        self.len()
    }
    fn cell(&self, index: usize) -> &str {
        self.get(index).map_or("", String::as_str)
    }
}

impl CsvCells for csv::StringRecord {
    fn cell_count(&self) -> usize {
        self.len()
    }
    fn cell(&self, index: usize) -> &str {
        self.get(index).unwrap_or("")
    }
}

/// Regroups CSV rows into events, checking that each event's rows are complete and in order.
pub fn events_from_csv_rows(rows: &[Vec<String>]) -> Result<Vec<ExportedEvent>, String> {
    let mut memo = CarrierMemo::default();
    let mut events = CsvEvents::new(&mut memo);
    for row in rows {
        events.push_row(row)?;
    }
    events.finish()
}

/// [`events_from_csv_rows`] fed one row at a time, straight from the reader's record.
pub struct CsvEvents<'memo> {
    events: Vec<ExportedEvent>,
    /// How many parcel rows each event announced (its `item_count`).
    announced: Vec<usize>,
    rows: usize,
    carriers: &'memo mut CarrierMemo,
}

impl<'memo> CsvEvents<'memo> {
    pub fn new(carriers: &'memo mut CarrierMemo) -> Self {
        Self {
            events: Vec::new(),
            announced: Vec::new(),
            rows: 0,
            carriers,
        }
    }

    pub fn push_row(&mut self, row: &impl CsvCells) -> Result<(), String> {
        let line = self.rows + 2;
        self.rows += 1;
        let cells = row.cell_count();
        let with_carrier = cells == CSV_HEADER.len();
        let with_format_two = with_carrier || cells == CSV_COLUMNS_V2;
        if !with_format_two && cells != CSV_COLUMNS_V1 {
            return Err(format!(
                "CSV line {line}: {cells} fields, expected {}",
                CSV_HEADER.len()
            ));
        }
        let number_in = |index: usize, what: &str| -> Result<usize, String> {
            row.cell(index)
                .parse()
                .map_err(|_| format!("CSV line {line}: {what} is not a number"))
        };
        let seq = number_in(0, "the sequence number")? as u64;
        let index = number_in(7, "item_index")?;
        let count = number_in(8, "item_count")?;
        let time_in = |index: usize, what: &str| -> Result<Option<i64>, String> {
            optional_number(row.cell(index))
                .map_err(|()| format!("CSV line {line}: {what} is not a number"))
        };
        let item = if count == 0 {
            None
        } else if with_format_two {
            Some(EventItem {
                tracking_id: unescape_cell(row.cell(9)).to_owned(),
                shelf: unescape_cell(row.cell(10)).to_owned(),
                detail: unescape_cell(row.cell(11)).to_owned(),
                code: row.cell(17).to_owned(),
                recipient: unescape_cell(row.cell(18)).to_owned(),
                postal_code: unescape_cell(row.cell(19)).to_owned(),
                hold_until_us: time_in(20, "item_hold_until_us")?,
                leave_by_us: time_in(21, "item_leave_by_us")?,
            })
        } else {
            Some(EventItem {
                tracking_id: unescape_cell(row.cell(9)).to_owned(),
                shelf: unescape_cell(row.cell(10)).to_owned(),
                detail: unescape_cell(row.cell(11)).to_owned(),
                ..EventItem::default()
            })
        };
        let carrier = match (&item, with_carrier) {
            (Some(item), true) => {
                let carrier = row.cell(23);
                if carrier != self.carriers.code(&item.tracking_id) {
                    return Err(format!(
                        "CSV line {line}: carrier {carrier:?} is not what tracking id {} gives",
                        item.tracking_id
                    ));
                }
                Some(carrier.to_owned())
            }
            _ => None,
        };
        if let Some(last) = self.events.last_mut().filter(|last| last.seq == seq) {
            if index != last.items.len() {
                return Err(format!(
                    "CSV line {line}: parcel {index} of event {seq} is out of order"
                ));
            }
            last.items.extend(item);
            last.item_carriers.extend(carrier);
            return Ok(());
        }
        if index != 0 {
            return Err(format!(
                "CSV line {line}: event {seq} starts at parcel {index}, not 0"
            ));
        }
        let token = row.cell(12);
        self.events.push(ExportedEvent {
            seq,
            recorded_at: row.cell(1).to_owned(),
            kind: row.cell(2).to_owned(),
            staff_id: if row.cell(3).is_empty() {
                None
            } else {
                Some(number_in(3, "staff_id")? as i64)
            },
            staff_name: unescape_cell(row.cell(4)).to_owned(),
            counterparty_kind: row.cell(5).to_owned(),
            counterparty: unescape_cell(row.cell(6)).to_owned(),
            items: item.into_iter().collect(),
            item_carriers: carrier.into_iter().collect(),
            token_id: if token.is_empty() {
                None
            } else {
                Some(token.to_owned())
            },
            note: unescape_cell(row.cell(13)).to_owned(),
            prev_hash: row.cell(14).to_owned(),
            hash: row.cell(15).to_owned(),
            format: if with_format_two {
                row.cell(16)
                    .parse()
                    .map_err(|_| format!("CSV line {line}: the format is not a number"))?
            } else {
                1
            },
            facts: match (cells > 22).then(|| unescape_cell(row.cell(22))) {
                None | Some("") => Vec::new(),
                Some(cell) => serde_json::from_str(cell)
                    .map_err(|_| format!("CSV line {line}: the facts are not valid"))?,
            },
        });
        self.announced.push(count);
        Ok(())
    }

    pub fn finish(self) -> Result<Vec<ExportedEvent>, String> {
        for (event, count) in self.events.iter().zip(&self.announced) {
            let count = *count;
            if event.items.len() != count {
                return Err(format!(
                    "event {} lists {count} {} but the CSV holds {} of them (a row was deleted or added)",
                    event.seq,
                    if count == 1 { "parcel" } else { "parcels" },
                    event.items.len()
                ));
            }
        }
        Ok(self.events)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event_with(items: Vec<EventItem>) -> ExportedEvent {
        ExportedEvent {
            seq: 1,
            recorded_at: "2026-11-25T10:00:00.000000+00:00".into(),
            kind: "driver_delivery".into(),
            staff_id: Some(1),
            staff_name: "Ana".into(),
            counterparty_kind: "carrier".into(),
            counterparty: "UPS".into(),
            item_carriers: items.iter().map(carrier_code).collect(),
            items,
            token_id: None,
            note: String::new(),
            prev_hash: "00".repeat(32),
            hash: "00".repeat(32),
            format: 2,
            facts: Vec::new(),
        }
    }

    #[test]
    fn the_carrier_column_is_the_ids_and_older_files_still_read() {
        let event = event_with(vec![
            EventItem::new("1Z999AA10123456784"),
            EventItem::new("9205590164917312751089"),
            EventItem::new("SHOP-1"),
        ]);
        assert_eq!(event.item_carriers, ["ups", "usps", "other"]);
        let rows: Vec<Vec<String>> = csv_rows(&event).into_iter().map(Vec::from).collect();
        assert_eq!(rows[1][23], "usps");
        let read = events_from_csv_rows(&rows).unwrap();
        assert_eq!(read, vec![event.clone()]);

        let before_carriers: Vec<Vec<String>> = rows
            .iter()
            .map(|row| row[..CSV_COLUMNS_V2].to_vec())
            .collect();
        let read = events_from_csv_rows(&before_carriers).unwrap();
        assert!(read[0].item_carriers.is_empty());
        assert_eq!(read[0].items, event.items);

        let mut wrong = rows.clone();
        wrong[0][23] = "fedex".into();
        let error = events_from_csv_rows(&wrong).unwrap_err();
        assert!(
            error.contains("line 2") && error.contains("fedex"),
            "{error}"
        );
        let mut json_wrong = event;
        json_wrong.item_carriers[2] = "dhl".into();
        assert!(check_carriers(&json_wrong).unwrap_err().contains("SHOP-1"));
    }

    #[test]
    fn a_lent_event_is_the_copied_one_and_comes_back_unchanged() {
        let mut event = event_with(vec![EventItem::new("1Z999AA10123456784")]);
        event.note = "note".into();
        event.token_id = Some("T1".into());
        event.facts = vec![("a".into(), "b".into())];
        let before = event.clone();
        let copied = event.to_event().unwrap();
        assert_eq!(event.with_event(|lent| lent.clone()).unwrap(), copied);
        assert_eq!(event, before);
        event.kind = "no_such_kind".into();
        assert_eq!(
            event.with_event(|_| ()).unwrap_err(),
            event.to_event().unwrap_err()
        );
    }

    #[test]
    fn the_carrier_memo_says_what_the_id_says() {
        let mut memo = CarrierMemo::default();
        for id in ["1Z999AA10123456784", "9205590164917312751089", "SHOP-1", ""] {
            for _ in 0..2 {
                assert_eq!(memo.code(id), carrier_of_text(id).code(), "{id}");
            }
        }
    }

    #[test]
    fn formula_cells_are_escaped_reversibly() {
        for cell in [
            "=SUM(A1:A9)",
            "+1",
            "-2",
            "@cmd",
            "\tx",
            "\rx",
            "'quoted",
            "''=x",
            "plain",
            "",
        ] {
            let escaped = escape_cell(cell);
            assert!(
                !escaped.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} -> {escaped:?}"
            );
            assert_eq!(unescape_cell(&escaped), cell);
        }
    }
}
