//! Writing and reading export folders. The folder is built under a temporary name and renamed
//! into place only when every file and the signed manifest are written, so a crash leaves no
//! half export; an existing export is never overwritten; files are readable by the owner only.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::domain::calendar::StoreCalendar;
use crate::domain::chain::view::{PlainEvent, StoredEvent};
use crate::domain::chain::{ChainHash, CounterpartyKind, GENESIS_HASH, LedgerEvent};
use crate::domain::clock::from_micros;
use crate::domain::custody::EventKind;
use crate::domain::export::{
    CSV_FILE, CSV_HEADER, ExportedEvent, JSON_FILE, MANIFEST_FILE, MANIFEST_FORMAT, ManifestBody,
    ManifestFile, NDJSON_FILE, TIME_FORMAT, sign_manifest, write_csv_event,
};
use crate::service::Kiosk;
use crate::store::StoreError;

mod plain_csv;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExportFormat {
    Csv,
    Json,
    Ndjson,
}

impl ExportFormat {
    fn file_name(self) -> &'static str {
        match self {
            ExportFormat::Csv => CSV_FILE,
            ExportFormat::Json => JSON_FILE,
            ExportFormat::Ndjson => NDJSON_FILE,
        }
    }
}

#[derive(Debug, Error)]
pub enum ExportError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("an export already exists at {0}; exports are never overwritten")]
    Exists(PathBuf),
    #[error("the range ends ({to}) before it starts ({from})")]
    BadRange { from: NaiveDate, to: NaiveDate },
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Other(String),
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A file writer that hashes and counts what it writes.
struct HashingFile {
    file: std::io::BufWriter<std::fs::File>,
    hasher: Sha256,
    bytes: u64,
}

impl Write for HashingFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.file.write(buf)?;
        self.hasher.update(&buf[..written]);
        self.bytes += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

fn create_private_file(path: &Path) -> Result<HashingFile, ExportError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path).map_err(io_error(path))?;
    Ok(HashingFile {
        // A batch's bytes (larger than this) go straight to the file, not copied through the
        // buffer first; the buffer gathers only small pieces (a header, a one-day export).
        file: std::io::BufWriter::with_capacity(1 << 16, file),
        hasher: Sha256::new(),
        bytes: 0,
    })
}

fn finish(name: &str, file: HashingFile, path: &Path) -> Result<ManifestFile, ExportError> {
    let HashingFile {
        file,
        hasher,
        bytes,
    } = file;
    let inner = file.into_inner().map_err(|e| ExportError::Io {
        path: path.to_path_buf(),
        source: e.into_error(),
    })?;
    inner.sync_all().map_err(io_error(path))?;
    Ok(ManifestFile {
        name: name.to_owned(),
        bytes,
        sha256: hex::encode(hasher.finalize()),
    })
}

/// One format's open file. Events are formatted into bytes beforehand (on the formatting
/// threads), so the file only hashes and writes them, in order.
struct Sink {
    format: ExportFormat,
    file: HashingFile,
}

impl Sink {
    fn open(format: ExportFormat, path: &Path) -> Result<Self, ExportError> {
        let mut file = create_private_file(path)?;
        match format {
            ExportFormat::Csv => {
                let mut header = Vec::new();
                csv_into(&mut header, |writer| writer.write_record(CSV_HEADER))?;
                file.write_all(&header).map_err(io_error(path))?;
            }
            ExportFormat::Json => file.write_all(b"[").map_err(io_error(path))?,
            ExportFormat::Ndjson => {}
        }
        Ok(Sink { format, file })
    }

    fn close(self, path: &Path) -> Result<ManifestFile, ExportError> {
        let mut file = self.file;
        if self.format == ExportFormat::Json {
            file.write_all(b"\n]\n").map_err(io_error(path))?;
        }
        finish(self.format.file_name(), file, path)
    }
}

/// Writes CSV records through the `csv` crate into `rows` (the header, and events that are
/// not in the plain form).
fn csv_into(
    rows: &mut Vec<u8>,
    write: impl FnOnce(&mut csv::Writer<&mut Vec<u8>>) -> csv::Result<()>,
) -> Result<(), ExportError> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .has_headers(false)
        .from_writer(rows);
    write(&mut writer).map_err(|e| ExportError::Other(e.to_string()))?;
    writer
        .flush()
        .map_err(|e| ExportError::Other(e.to_string()))
}

/// What formatting a batch needs to know, shared by the formatting threads.
struct Formatting<'a> {
    formats: &'a [ExportFormat],
    names: &'a HashMap<i64, String>,
    zone: chrono_tz::Tz,
    time_items: &'a [chrono::format::Item<'static>],
    ledger_path: &'a Path,
}

/// What a formatting thread keeps from batch to batch.
struct FormatterState<'a> {
    carriers: &'a plain_csv::CarrierCache,
    time: TimeText,
}

impl Formatting<'_> {
    /// Formats every event of `batch` into `out` (one buffer per format, in `formats` order).
    /// `first_batch` says whether the batch opens the export (the JSON array's first element).
    fn batch(
        &self,
        batch: &Batch,
        first_batch: bool,
        out: &mut [Vec<u8>],
        state: &mut FormatterState<'_>,
    ) -> Result<(), ExportError> {
        let mut items = Vec::with_capacity(16);
        for (number, row) in batch.rows.iter().enumerate() {
            let (plain, decoded_already) = match row {
                BatchRow::Stored(spans) => (Some(batch.plain(spans)), None),
                BatchRow::Decoded(event) => (None, Some(event.as_ref())),
            };
            let (recorded_at_us, staff_id) = match (&plain, decoded_already) {
                (Some(plain), _) => (plain.row.recorded_at_us, plain.row.staff_id),
                (None, Some(event)) => (
                    crate::domain::clock::to_micros(event.body.recorded_at),
                    event.body.staff_id.map(|id| id.0),
                ),
                (None, None) => continue,
            };
            let stored = plain.as_ref().map(|plain| plain.row);
            let name = staff_id
                .and_then(|id| self.names.get(&id))
                .map_or("", String::as_str);
            let time = state.time.text(recorded_at_us, self.zone, self.time_items);
            // Decoded at most once, and only for a format or an event that needs it.
            let mut once: Option<LedgerEvent> = None;
            let decoded = |once: &mut Option<LedgerEvent>| -> Result<(), ExportError> {
                if once.is_some() {
                    return Ok(());
                }
                *once = Some(match (decoded_already, &stored) {
                    (Some(event), _) => event.clone(),
                    (None, Some(stored)) => {
                        stored.decode().map_err(|fault| StoreError::Corrupt {
                            path: self.ledger_path.to_path_buf(),
                            detail: fault.to_string(),
                        })?
                    }
                    (None, None) => return Err(ExportError::Other("an event went missing".into())),
                });
                Ok(())
            };
            for (format, bytes) in self.formats.iter().zip(out.iter_mut()) {
                match format {
                    ExportFormat::Csv => {
                        let written = plain.as_ref().is_some_and(|event| {
                            plain_csv::write_plain_csv_event(
                                bytes,
                                event,
                                time,
                                name,
                                state.carriers,
                                &mut items,
                            )
                        });
                        if !written {
                            decoded(&mut once)?;
                            if let Some(event) = &once {
                                csv_into(bytes, |writer| {
                                    write_csv_event(writer, event, time, name)
                                })?;
                            }
                        }
                    }
                    ExportFormat::Json | ExportFormat::Ndjson => {
                        decoded(&mut once)?;
                        let Some(event) = &once else { continue };
                        if *format == ExportFormat::Json {
                            bytes.extend_from_slice(if first_batch && number == 0 {
                                b"\n"
                            } else {
                                b",\n"
                            });
                        }
                        serde_json::to_writer(&mut *bytes, &exported(event, time, name))
                            .map_err(|e| ExportError::Other(e.to_string()))?;
                        if *format == ExportFormat::Ndjson {
                            bytes.push(b'\n');
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// An event's time as the export writes it (`TIME_FORMAT` in the store's zone), worked out by
/// chrono once per local day and offset: within them only the clock changes, so it is written
/// after the day's text. Each time chrono works a day out, the clock written here is checked
/// against chrono's own for that instant; a day whose text is not of the expected shape is
/// left to chrono for every event.
#[derive(Default)]
struct TimeText {
    /// The local day (days since 1970) and offset (seconds east of UTC) `before` and `after`
    /// are for; whether the clock may be written between them.
    day: Option<(i64, i32, bool)>,
    /// The day's text before the clock (`2026-11-23T`) and after it (`-07:00`).
    before: String,
    after: String,
    text: String,
}

/// `HH:MM:SS.ffffff` of a second of the day and its microseconds.
fn clock_text(second_of_day: i64, micros: u32) -> [u8; 15] {
    let mut clock = *b"00:00:00.000000";
    let two = |clock: &mut [u8; 15], at: usize, value: i64| {
        clock[at] = b'0' + (value / 10 % 10) as u8;
        clock[at + 1] = b'0' + (value % 10) as u8;
    };
    two(&mut clock, 0, second_of_day / 3600);
    two(&mut clock, 3, second_of_day / 60 % 60);
    two(&mut clock, 6, second_of_day % 60);
    let mut rest = micros;
    for digit in clock[9..].iter_mut().rev() {
        *digit = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    clock
}

impl TimeText {
    fn text(
        &mut self,
        micros: i64,
        zone: chrono_tz::Tz,
        items: &[chrono::format::Item<'static>],
    ) -> &str {
        use chrono::{Offset, TimeZone};
        use std::fmt::Write as _;
        // As the export always did: a time outside chrono's range is the epoch.
        let utc = from_micros(micros);
        let offset = zone
            .offset_from_utc_datetime(&utc.naive_utc())
            .fix()
            .local_minus_utc();
        let local = utc.timestamp() + i64::from(offset);
        let (day, second_of_day) = (local.div_euclid(86_400), local.rem_euclid(86_400));
        let clock = clock_text(second_of_day, utc.timestamp_subsec_micros());
        let writable = match self.day {
            Some((cached_day, cached_offset, writable))
                if cached_day == day && cached_offset == offset =>
            {
                writable
            }
            _ => {
                self.text.clear();
                let _ = write!(
                    self.text,
                    "{}",
                    utc.with_timezone(&zone).format_with_items(items.iter())
                );
                // The clock follows the first 'T' (the date has none); the offset follows it.
                let at = self.text.find('T').map(|at| at + 1);
                let writable = at.is_some_and(|at| {
                    self.text.as_bytes().get(at..at + clock.len()) == Some(&clock[..])
                });
                if let Some(at) = at.filter(|_| writable) {
                    self.before.clear();
                    self.before.push_str(&self.text[..at]);
                    self.after.clear();
                    self.after.push_str(&self.text[at + clock.len()..]);
                }
                self.day = Some((day, offset, writable));
                // Chrono's text for this very instant is already there.
                return &self.text;
            }
        };
        if writable {
            self.text.clear();
            self.text.push_str(&self.before);
            self.text.extend(clock.iter().map(|byte| char::from(*byte)));
            self.text.push_str(&self.after);
        } else {
            self.text.clear();
            let _ = write!(
                self.text,
                "{}",
                utc.with_timezone(&zone).format_with_items(items.iter())
            );
        }
        &self.text
    }
}

/// Events handed from the reading thread to a formatting thread at a time.
const EXPORT_BATCH: usize = 512;

/// Threads that format batches (the machine the kiosk runs on has two cores).
const FORMATTING_THREADS: usize = 2;

/// An event as the JSON formats write it, its time already written in the store's zone.
fn exported(event: &LedgerEvent, recorded_at: &str, staff_name: &str) -> ExportedEvent {
    let mut exported = ExportedEvent::from_event(event, staff_name, &chrono_tz::UTC);
    exported.recorded_at = recorded_at.to_owned();
    exported
}

/// Events on their way from the reading thread to the writing thread: most as their stored
/// bytes, copied into one text (no decoding on the reading side), the rest decoded.
#[derive(Default)]
struct Batch {
    text: String,
    rows: Vec<BatchRow>,
}

// Nearly every row is stored bytes: boxing them would allocate once a row, which the batch
// exists to avoid.
#[allow(clippy::large_enum_variant)]
enum BatchRow {
    Stored(StoredSpans),
    Decoded(Box<LedgerEvent>),
}

/// A [`PlainEvent`] whose texts lie in [`Batch::text`]: what the reader found of it is kept,
/// so the formatter does not read its kind, counterparty and hashes again.
struct StoredSpans {
    seq: u64,
    recorded_at_us: i64,
    staff_id: Option<i64>,
    kind: EventKind,
    counterparty_kind: CounterpartyKind,
    format: u8,
    stored_format: i64,
    prev_hash: ChainHash,
    hash: ChainHash,
    /// kind, counterparty kind, counterparty, items, token (if any), note, facts.
    texts: [std::ops::Range<usize>; 7],
    has_token: bool,
}

impl Batch {
    fn push_stored(&mut self, event: &PlainEvent<'_>) {
        let stored = &event.row;
        let mut span = |text: &str| {
            let start = self.text.len();
            self.text.push_str(text);
            start..self.text.len()
        };
        let texts = [
            span(stored.kind),
            span(stored.counterparty_kind),
            span(stored.counterparty_ref),
            span(stored.items_json),
            span(stored.token_id.unwrap_or("")),
            span(stored.note),
            span(stored.facts_json),
        ];
        self.rows.push(BatchRow::Stored(StoredSpans {
            seq: event.seq,
            recorded_at_us: stored.recorded_at_us,
            staff_id: stored.staff_id,
            kind: event.kind,
            counterparty_kind: event.counterparty_kind,
            format: event.format,
            stored_format: stored.format,
            prev_hash: event.prev_hash,
            hash: event.hash,
            texts,
            has_token: stored.token_id.is_some(),
        }));
    }

    fn plain<'a>(&'a self, spans: &'a StoredSpans) -> PlainEvent<'a> {
        let text = |index: usize| self.text.get(spans.texts[index].clone()).unwrap_or("");
        PlainEvent {
            seq: spans.seq,
            kind: spans.kind,
            counterparty_kind: spans.counterparty_kind,
            format: spans.format,
            prev_hash: spans.prev_hash,
            hash: spans.hash,
            row: StoredEvent {
                seq: spans.seq as i64,
                recorded_at_us: spans.recorded_at_us,
                kind: text(0),
                staff_id: spans.staff_id,
                counterparty_kind: text(1),
                counterparty_ref: text(2),
                items_json: text(3),
                token_id: spans.has_token.then(|| text(4)),
                note: text(5),
                prev_hash: &spans.prev_hash,
                hash: &spans.hash,
                format: spans.stored_format,
                facts_json: text(6),
            },
        }
    }
}

/// Where an export of these days goes: `<out>/<store>_<from>[_<to>]`.
pub fn export_folder(out: &Path, store_id: &str, from: NaiveDate, to: NaiveDate) -> PathBuf {
    if from == to {
        out.join(format!("{store_id}_{from}"))
    } else {
        out.join(format!("{store_id}_{from}_{to}"))
    }
}

#[derive(Debug, Clone)]
pub struct ExportOutcome {
    pub folder: PathBuf,
    pub body: ManifestBody,
    /// How long the export's threads waited for one another.
    pub waits: ExportWaits,
}

/// How long each stage of an export's pipeline waited for its neighbour (summed over the two
/// formatting threads): which stage set the pace. On a machine with a free core the stage that
/// never waits is the one to make faster.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportWaits {
    /// The reading thread, for a formatting thread to take its next batch.
    pub reader_on_formatters: Duration,
    /// The formatting threads, for the reading thread's next batch.
    pub formatters_on_reader: Duration,
    /// The formatting threads, for the writing thread to take what they formatted.
    pub formatters_on_writer: Duration,
    /// The writing thread, for the next batch in order.
    pub writer_on_formatters: Duration,
}

/// The export folder for the days, or when an export is already there a numbered sibling
/// (`RVM-0045_2026-11-24-2`, `-3`, ...) that is free: a repeated export gets a fresh folder
/// and never touches the earlier one.
pub fn fresh_export_folder(out: &Path, store_id: &str, from: NaiveDate, to: NaiveDate) -> PathBuf {
    let first = export_folder(out, store_id, from, to);
    if !first.exists() {
        return first;
    }
    let name = first
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    (2_u32..)
        .map(|number| out.join(format!("{name}-{number}")))
        .find(|candidate| !candidate.exists())
        .unwrap_or(first)
}

/// Whether the days up to `to` are over at `now` (store time): an export made before then is
/// not complete, since events may still be recorded on its last day.
pub fn days_complete(calendar: &StoreCalendar, to: NaiveDate, now: DateTime<Utc>) -> bool {
    now >= calendar.day_bounds(to).1
}

/// Exports the store-local days `from..=to` into their folder under `out`, which must not
/// exist. `progress` is told (events written, events in the range) every few thousand events.
pub fn export_days(
    kiosk: &Kiosk,
    from: NaiveDate,
    to: NaiveDate,
    formats: &[ExportFormat],
    out: &Path,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ExportOutcome, ExportError> {
    let folder = export_folder(out, &kiosk.config.store.id.to_string(), from, to);
    export_days_into(kiosk, from, to, formats, &folder, now, progress)
}

/// [`export_days`] into `folder` (e.g. a [`fresh_export_folder`]), which must not exist.
pub fn export_days_into(
    kiosk: &Kiosk,
    from: NaiveDate,
    to: NaiveDate,
    formats: &[ExportFormat],
    folder: &Path,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ExportOutcome, ExportError> {
    if to < from {
        return Err(ExportError::BadRange { from, to });
    }
    let config = &kiosk.config;
    let store = &kiosk.store;
    let store_id = config.store.id.to_string();
    let folder = folder.to_path_buf();
    let out = folder.parent().unwrap_or(Path::new("."));
    if folder.exists() {
        return Err(ExportError::Exists(folder));
    }
    crate::secrets::create_private_dir(out).map_err(io_error(out))?;
    let partial = out.join(format!(
        ".{}.partial",
        folder
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    ));
    if partial.exists() {
        // Left by an export that crashed: it was never complete, so it may go.
        std::fs::remove_dir_all(&partial).map_err(io_error(&partial))?;
    }
    crate::secrets::create_private_dir(&partial).map_err(io_error(&partial))?;

    let zone = config.store.time_zone;
    let start = config.calendar.start_of_day(from);
    let end = config.calendar.day_bounds(to).1;
    let names: HashMap<i64, String> = store
        .list_staff()?
        .into_iter()
        .map(|m| (m.id.0, m.display_name))
        .collect();
    // One pass over the time index bounds the range and counts it (for `progress`).
    let span = store.seq_span_between(start, end)?;
    let total = span.count;
    let mut formats: Vec<ExportFormat> = formats.to_vec();
    formats.sort();
    formats.dedup();
    let paths: Vec<PathBuf> = formats
        .iter()
        .map(|format| partial.join(format.file_name()))
        .collect();
    let mut sinks = formats
        .iter()
        .zip(&paths)
        .map(|(format, path)| Sink::open(*format, path))
        .collect::<Result<Vec<_>, _>>()?;
    let (mut first_seq, mut last_seq, mut head_after, mut count) = (None, None, None, 0_u64);
    // The time format is parsed once, not per event.
    let time_items: Vec<chrono::format::Item<'static>> =
        chrono::format::StrftimeItems::new(TIME_FORMAT)
            .parse_to_owned()
            .map_err(|e| ExportError::Other(e.to_string()))?;
    let ledger_path = store.path().to_path_buf();
    let formatting = Formatting {
        formats: &formats,
        names: &names,
        zone,
        time_items: &time_items,
        ledger_path: &ledger_path,
    };
    // This thread reads SQLite and copies each row's stored bytes into numbered batches (no
    // decoding); two threads format batches into bytes, most events straight from those bytes;
    // one more hashes and writes them in order. Formatting is most of the work, so it is the
    // stage split over both cores. Emptied batches come back to the reader, and written
    // buffers to the formatters: after the first few batches nothing is allocated per batch.
    let (batches, inbox) = std::sync::mpsc::sync_channel::<(u64, Batch)>(4);
    // A formatter that fails (or finds the writer gone) drops the inbox, so the reader stops.
    let inbox = std::sync::Mutex::new(Some(inbox));
    let (formatted, outbox) =
        std::sync::mpsc::sync_channel::<Result<(u64, Vec<Vec<u8>>), ExportError>>(4);
    let (emptied, recycled) = std::sync::mpsc::channel::<Batch>();
    let written_buffers = std::sync::Mutex::new(Vec::<Vec<Vec<u8>>>::new());
    let carriers = plain_csv::CarrierCache::default();
    let mut waits = ExportWaits::default();
    let read = std::thread::scope(|scope| -> Result<_, ExportError> {
        let mut formatters = Vec::new();
        for _ in 0..FORMATTING_THREADS {
            let (inbox, formatted, emptied, formatting, written_buffers, carriers) = (
                &inbox,
                formatted.clone(),
                emptied.clone(),
                &formatting,
                &written_buffers,
                &carriers,
            );
            formatters.push(scope.spawn(move || {
                let mut state = FormatterState {
                    carriers,
                    time: TimeText::default(),
                };
                let (mut on_reader, mut on_writer) = (Duration::ZERO, Duration::ZERO);
                let give_up = || {
                    if let Ok(mut inbox) = inbox.lock() {
                        *inbox = None;
                    }
                };
                loop {
                    let waiting = Instant::now();
                    let next = match inbox.lock() {
                        Ok(inbox) => inbox.as_ref().and_then(|inbox| inbox.recv().ok()),
                        Err(_) => None,
                    };
                    on_reader += waiting.elapsed();
                    let Some((index, batch)) = next else {
                        return (on_reader, on_writer);
                    };
                    let mut out = written_buffers
                        .lock()
                        .ok()
                        .and_then(|mut spare| spare.pop())
                        .unwrap_or_else(|| {
                            formatting
                                .formats
                                .iter()
                                .map(|_| Vec::with_capacity(batch.text.len() * 2))
                                .collect()
                        });
                    let result = formatting
                        .batch(&batch, index == 0, &mut out, &mut state)
                        .map(|()| (index, out));
                    let failed = result.is_err();
                    let _ = emptied.send(batch);
                    let waiting = Instant::now();
                    let sent = formatted.send(result);
                    on_writer += waiting.elapsed();
                    if sent.is_err() || failed {
                        give_up();
                        return (on_reader, on_writer);
                    }
                }
            }));
        }
        drop((formatted, emptied));
        let sinks = &mut sinks;
        let paths = &paths;
        let written_buffers = &written_buffers;
        let writer = scope.spawn(move || -> Result<Duration, ExportError> {
            // Batches arrive in any order from the two formatters; they are written in order.
            let mut waiting: BTreeMap<u64, Vec<Vec<u8>>> = BTreeMap::new();
            let mut next = 0_u64;
            let mut on_formatters = Duration::ZERO;
            let mut outbox = outbox.into_iter();
            loop {
                let asked = Instant::now();
                let Some(result) = outbox.next() else { break };
                on_formatters += asked.elapsed();
                let (index, files) = result?;
                waiting.insert(index, files);
                while let Some(mut files) = waiting.remove(&next) {
                    for ((sink, path), bytes) in sinks.iter_mut().zip(paths).zip(&mut files) {
                        sink.file.write_all(bytes).map_err(io_error(path))?;
                        bytes.clear();
                    }
                    if let Ok(mut spare) = written_buffers.lock() {
                        spare.push(files);
                    }
                    next += 1;
                }
            }
            Ok(on_formatters)
        });
        let mut batch = Batch::default();
        let mut sent = 0_u64;
        let mut on_formatters = Duration::ZERO;
        // Owns the channel: dropping it tells the formatters that every batch is sent.
        let mut send = move |batch: Batch| -> Result<(), ExportError> {
            // A closed channel means the formatters or the writer failed; reported below.
            let waiting = Instant::now();
            let sent_now = batches.send((sent, batch));
            on_formatters += waiting.elapsed();
            sent_now.map_err(|_| ExportError::Other("the export writer stopped".into()))?;
            sent += 1;
            Ok(())
        };
        let read = store.for_each_stored_event_in(&span, |stored| -> Result<(), ExportError> {
            match stored.plain() {
                Some(plain) => {
                    head_after = Some(plain.hash);
                    batch.push_stored(&plain);
                }
                None => {
                    let event = stored.decode().map_err(|fault| StoreError::Corrupt {
                        path: store.path().to_path_buf(),
                        detail: fault.to_string(),
                    })?;
                    head_after = Some(event.hash);
                    batch.rows.push(BatchRow::Decoded(Box::new(event)));
                }
            }
            let seq = stored.seq.max(0) as u64;
            first_seq.get_or_insert(seq);
            last_seq = Some(seq);
            count += 1;
            if batch.rows.len() == EXPORT_BATCH {
                let mut next = recycled.try_recv().unwrap_or_default();
                next.text.clear();
                next.rows.clear();
                send(std::mem::replace(&mut batch, next))?;
            }
            if count % 5_000 == 0 {
                progress(count, total);
            }
            Ok(())
        });
        let read = read.and_then(|()| {
            if batch.rows.is_empty() {
                Ok(())
            } else {
                send(batch)
            }
        });
        drop(send);
        waits.reader_on_formatters = on_formatters;
        for formatter in formatters {
            if let Ok((on_reader, on_writer)) = formatter.join() {
                waits.formatters_on_reader += on_reader;
                waits.formatters_on_writer += on_writer;
            }
        }
        let written = writer
            .join()
            .map_err(|_| ExportError::Other("the export writer stopped unexpectedly".to_owned()))?;
        // The writer's (or a formatter's) own error says more than the reader's.
        waits.writer_on_formatters = written?;
        read
    });
    read?;
    progress(count, total);
    let head_before = match first_seq {
        Some(seq) if seq > 1 => store
            .event(seq - 1)?
            .map_or(GENESIS_HASH, |event| event.hash),
        Some(_) => GENESIS_HASH,
        None => store.head_before(start)?,
    };
    let mut files = Vec::new();
    for (sink, path) in sinks.into_iter().zip(&paths) {
        files.push(sink.close(path)?);
    }
    let public = kiosk.key.public();
    let body = ManifestBody {
        format: MANIFEST_FORMAT.to_owned(),
        store_id,
        time_zone: zone.name().to_owned(),
        from_date: from,
        to_date: to,
        first_seq,
        last_seq,
        event_count: count,
        chain_head_before: hex::encode(head_before),
        chain_head_after: hex::encode(head_after.unwrap_or(head_before)),
        generated_at: now.with_timezone(&zone).to_rfc3339(),
        demo_data: store.meta("demo_data")?.is_some(),
        complete: Some(days_complete(&config.calendar, to, now)),
        files,
        key_id: public.key_id(),
        public_key: public.to_hex(),
    };
    let manifest = sign_manifest(&kiosk.key, body.clone()).map_err(ExportError::Other)?;
    let manifest_path = partial.join(MANIFEST_FILE);
    let mut file = create_private_file(&manifest_path)?;
    serde_json::to_writer_pretty(&mut file, &manifest)
        .map_err(|e| ExportError::Other(e.to_string()))?;
    file.write_all(b"\n").map_err(io_error(&manifest_path))?;
    finish(MANIFEST_FILE, file, &manifest_path)?;
    // The folder appears complete or not at all.
    std::fs::rename(&partial, &folder).map_err(io_error(&folder))?;
    if let Ok(parent) = std::fs::File::open(out) {
        let _ = parent.sync_all();
    }
    Ok(ExportOutcome {
        folder,
        body,
        waits,
    })
}

/// Reads an export folder into (manifest bytes, every other file's bytes).
/// The manifest's bytes and every other file's bytes by name.
pub type ExportFolder = (Vec<u8>, BTreeMap<String, Vec<u8>>);

pub fn read_export_folder(folder: &Path) -> Result<ExportFolder, String> {
    let manifest = std::fs::read(folder.join(MANIFEST_FILE))
        .map_err(|e| format!("cannot read {}: {e}", folder.join(MANIFEST_FILE).display()))?;
    let mut files = BTreeMap::new();
    let entries =
        std::fs::read_dir(folder).map_err(|e| format!("cannot read {}: {e}", folder.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == MANIFEST_FILE || !entry.path().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| format!("cannot read {name}: {e}"))?;
        files.insert(name, bytes);
    }
    Ok((manifest, files))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn chrono_text(micros: i64, zone: chrono_tz::Tz) -> String {
        from_micros(micros)
            .with_timezone(&zone)
            .format(TIME_FORMAT)
            .to_string()
    }

    const ZONES: [chrono_tz::Tz; 6] = [
        chrono_tz::UTC,
        chrono_tz::America::Phoenix,
        chrono_tz::Europe::London,
        chrono_tz::Asia::Kolkata,
        chrono_tz::America::St_Johns,
        chrono_tz::Australia::Lord_Howe,
    ];

    proptest! {
        /// The text worked out once a second is chrono's text for every instant, also for
        /// events that follow one another within a second, across the second and before 1970.
        #[test]
        fn the_time_text_is_chronos_text(
            start in -4_000_000_000_000_000_i64..4_000_000_000_000_000,
            steps in proptest::collection::vec(
                prop_oneof![0_i64..3, 0_i64..1_000_000, 0_i64..10_000_000_000],
                1..12,
            ),
            zone in 0..ZONES.len(),
        ) {
            let zone = ZONES[zone];
            let items = chrono::format::StrftimeItems::new(TIME_FORMAT)
                .parse_to_owned()
                .unwrap();
            let mut time = TimeText::default();
            let mut at = start;
            for step in steps {
                at += step;
                prop_assert_eq!(time.text(at, zone, &items), chrono_text(at, zone));
            }
        }
    }

    #[test]
    fn the_time_text_follows_the_zones_changes_and_the_edges_of_time() {
        let items = chrono::format::StrftimeItems::new(TIME_FORMAT)
            .parse_to_owned()
            .unwrap();
        // London's clocks go forward at 01:00 UTC on 2026-03-29 and back on 2026-10-25.
        let forward = 1_774_746_000_000_000_i64;
        let back = 1_792_890_000_000_000_i64;
        let mut time = TimeText::default();
        for edge in [forward, back, 0, -1] {
            for at in [edge - 1_000_001, edge - 1, edge, edge + 1, edge + 999_999] {
                let london = chrono_tz::Europe::London;
                assert_eq!(time.text(at, london, &items), chrono_text(at, london));
            }
        }
        // Outside chrono's range the time collapses to the epoch, as before.
        for at in [i64::MAX, i64::MIN, i64::MAX - 5] {
            assert_eq!(
                time.text(at, chrono_tz::UTC, &items),
                chrono_text(at, chrono_tz::UTC)
            );
        }
    }
}
