//! Writing and reading export folders. The folder is built under a temporary name and renamed
//! into place only when every file and the signed manifest are written, so a crash leaves no
//! half export; an existing export is never overwritten; files are readable by the owner only.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::domain::calendar::StoreCalendar;
use crate::domain::chain::view::{ItemView, PlainEvent};
use crate::domain::chain::{ChainHash, GENESIS_HASH, LedgerEvent};
use crate::domain::clock::from_micros;
use crate::domain::export::{
    CSV_FILE, CSV_HEADER, ExportedEvent, JSON_FILE, MANIFEST_FILE, MANIFEST_FORMAT, ManifestBody,
    ManifestFile, NDJSON_FILE, TIME_FORMAT, sign_manifest, write_csv_event,
};
use crate::service::Kiosk;
use crate::store::{Instants, SeqSpan, Store, StoreError};

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
    /// Bytes written since the disk was last asked to make the file durable.
    unsynced: u64,
    /// Started once the file is large enough to be worth it.
    sync_ahead: Option<SyncAhead>,
}

/// Every this many bytes written, the file's [`SyncAhead`] thread is asked to make what is
/// written so far durable.
const SYNC_EVERY: u64 = 32 << 20;

/// A thread that makes a large file durable (`fdatasync`) while it is still being written, so
/// the disk works beside the export instead of after it. On this machine's virtual disk the
/// kernel's own write-back did not: the closing `fsync` of a 590 MB export waited 0.23 to
/// 0.8 s, even with the kernel asked every 16 MB to start writing (`sync_file_range`), and
/// 0.03 s with this thread (a 590 MB file written over 1.7 s: 1.83 s in all against 2.6 s).
struct SyncAhead {
    /// One request waits at most: asking while one waits adds nothing.
    ask: std::sync::mpsc::SyncSender<()>,
    /// The first failure, which this thread's `fdatasync` may be the only one to see (Linux
    /// reports a write-back error once per open file, and the clone shares it).
    thread: std::thread::JoinHandle<std::io::Result<()>>,
}

impl SyncAhead {
    /// A thread syncing a clone of `file`; `None` when no thread or clone can be had (the
    /// closing `fsync` then does all of it).
    fn start(file: &std::fs::File) -> Option<Self> {
        let clone = file.try_clone().ok()?;
        let (ask, asked) = std::sync::mpsc::sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("export-sync".to_owned())
            .spawn(move || -> std::io::Result<()> {
                for () in asked {
                    clone.sync_data()?;
                }
                Ok(())
            })
            .ok()?;
        Some(Self { ask, thread })
    }

    /// Waits for the thread's last sync; its failure, if it had one.
    fn finish(self) -> std::io::Result<()> {
        drop(self.ask);
        self.thread
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the export's sync thread stopped")))
    }
}

impl HashingFile {
    /// Asks for the bytes written so far to be made durable, starting the thread that does
    /// it the first time.
    fn sync_ahead(&mut self) {
        self.unsynced = 0;
        if self.sync_ahead.is_none() {
            self.sync_ahead = SyncAhead::start(self.file.get_ref());
        }
        if let Some(sync) = &self.sync_ahead {
            // Full: a sync is asked for already and will cover these bytes too. Gone: the
            // thread failed, and `finish` says why.
            let _ = sync.ask.try_send(());
        }
    }
}

impl Write for HashingFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.file.write(buf)?;
        self.hasher.update(&buf[..written]);
        self.bytes += written as u64;
        self.unsynced += written as u64;
        if self.unsynced >= SYNC_EVERY {
            self.sync_ahead();
        }
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
        unsynced: 0,
        sync_ahead: None,
    })
}

fn finish(name: &str, file: HashingFile, path: &Path) -> Result<ManifestFile, ExportError> {
    let HashingFile {
        file,
        hasher,
        bytes,
        sync_ahead,
        ..
    } = file;
    let inner = file.into_inner().map_err(|e| ExportError::Io {
        path: path.to_path_buf(),
        source: e.into_error(),
    })?;
    if let Some(sync) = sync_ahead {
        sync.finish().map_err(io_error(path))?;
    }
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
    names: &'a BTreeMap<i64, String>,
    zone: chrono_tz::Tz,
    time_items: &'a [chrono::format::Item<'static>],
    ledger_path: &'a Path,
}

/// What a formatting thread keeps from event to event.
#[derive(Default)]
struct FormatterState {
    carriers: plain_csv::CarrierMemory,
    time: TimeText,
    /// The allocation an event's items are read into, empty between events.
    items: Vec<ItemView<'static>>,
}

/// An empty vector in `vector`'s allocation, for items borrowed for another lifetime (the
/// standard library collects a vector's iterator into its own buffer).
#[allow(
    clippy::unnecessary_filter_map,
    reason = "the item's type changes (its lifetime), which `filter` cannot do"
)]
fn emptied<'a, 'b>(vector: Vec<ItemView<'a>>) -> Vec<ItemView<'b>> {
    vector.into_iter().filter_map(|_| None).collect()
}

/// An event as a formatting thread gets it: most as their stored bytes, borrowed from the
/// row; the rest (a row the plain writer does not take) decoded.
// Built on the stack once an event and never stored: boxing the plain form would allocate
// once a row, which reading rows in place exists to avoid.
#[allow(clippy::large_enum_variant)]
enum EventRow<'a> {
    Plain(PlainEvent<'a>),
    Decoded(&'a LedgerEvent),
}

impl Formatting<'_> {
    /// Formats one event into `out` (one buffer per format, in `formats` order). The JSON
    /// array's elements each start with `,`; the writer drops the first one's.
    fn event(
        &self,
        row: &EventRow<'_>,
        out: &mut [Vec<u8>],
        state: &mut FormatterState,
    ) -> Result<(), ExportError> {
        let (recorded_at_us, staff_id) = match row {
            EventRow::Plain(plain) => (plain.row.recorded_at_us, plain.row.staff_id),
            EventRow::Decoded(event) => (
                crate::domain::clock::to_micros(event.body.recorded_at),
                event.body.staff_id.map(|id| id.0),
            ),
        };
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
            *once = Some(match row {
                EventRow::Decoded(event) => (*event).clone(),
                EventRow::Plain(plain) => {
                    plain.row.decode().map_err(|fault| StoreError::Corrupt {
                        path: self.ledger_path.to_path_buf(),
                        detail: fault.to_string(),
                    })?
                }
            });
            Ok(())
        };
        for (format, bytes) in self.formats.iter().zip(out.iter_mut()) {
            match format {
                ExportFormat::Csv => {
                    let written = match row {
                        EventRow::Plain(event) => {
                            let mut items = emptied(std::mem::take(&mut state.items));
                            let written = plain_csv::write_plain_csv_event(
                                bytes,
                                event,
                                time,
                                name,
                                &mut state.carriers,
                                &mut items,
                            );
                            state.items = emptied(items);
                            written
                        }
                        EventRow::Decoded(_) => false,
                    };
                    if !written {
                        decoded(&mut once)?;
                        if let Some(event) = &once {
                            csv_into(bytes, |writer| write_csv_event(writer, event, time, name))?;
                        }
                    }
                }
                ExportFormat::Json | ExportFormat::Ndjson => {
                    decoded(&mut once)?;
                    let Some(event) = &once else { continue };
                    if *format == ExportFormat::Json {
                        bytes.extend_from_slice(b",\n");
                    }
                    serde_json::to_writer(&mut *bytes, &exported(event, time, name))
                        .map_err(|e| ExportError::Other(e.to_string()))?;
                    if *format == ExportFormat::Ndjson {
                        bytes.push(b'\n');
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
            // Digits, a colon and a point: ASCII, so always text.
            self.text
                .push_str(std::str::from_utf8(&clock).unwrap_or_default());
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

/// Sequence numbers a formatting thread reads and formats at a time. The two threads take
/// chunks as each frees up; the chunks are written in their order (see [`ChunkWriting`]).
const EXPORT_CHUNK: i64 = 2_048;

/// An event as the JSON formats write it, its time already written in the store's zone.
fn exported(event: &LedgerEvent, recorded_at: &str, staff_name: &str) -> ExportedEvent {
    let mut exported = ExportedEvent::from_event(event, staff_name, &chrono_tz::UTC);
    exported.recorded_at = recorded_at.to_owned();
    exported
}

/// One chunk's events formatted, and what the manifest needs of them.
struct Formatted {
    /// One buffer per format, in `formats` order.
    files: Vec<Vec<u8>>,
    count: u64,
    first_seq: Option<u64>,
    /// The chunk's last event: its sequence number and hash.
    last: Option<(u64, ChainHash)>,
}

/// Chunks a formatting thread may run ahead of the writing: a thread that falls behind holds
/// the other back by no more than this, so memory stays bounded.
const CHUNKS_AHEAD: usize = 8;

/// The sequence numbers an export covers, once they are known (see `export_days_into`):
/// chunks of `first..=last`, and the hash of event `last` (each reading connection must see
/// it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ChunkRange {
    first: i64,
    last: i64,
    count: usize,
    head: ChainHash,
}

impl ChunkRange {
    fn new(first: i64, last: i64, head: ChainHash) -> Self {
        let count = if last >= first {
            usize::try_from((last - first) / EXPORT_CHUNK + 1).unwrap_or(usize::MAX)
        } else {
            0
        };
        Self {
            first,
            last,
            count,
            head,
        }
    }
}

/// Hands out the chunks of an export's range to the formatting threads, each as soon as a
/// thread is free (neither waits its turn behind the other), never more than
/// [`CHUNKS_AHEAD`] ahead of the writing. The range is set once known (see [`Self::begin`]);
/// until then a thread asking waits.
#[derive(Default)]
struct ChunkQueue {
    turns: std::sync::Mutex<ChunkTurns>,
    changed: std::sync::Condvar,
}

#[derive(Default)]
struct ChunkTurns {
    range: Option<ChunkRange>,
    next: usize,
    written: usize,
    stopped: bool,
}

impl ChunkQueue {
    /// Sets the range: threads waiting for it go on.
    fn begin(&self, range: ChunkRange) {
        if let Ok(mut turns) = self.turns.lock() {
            turns.range = Some(range);
        }
        self.changed.notify_all();
    }

    /// The range once it is set; `None` if the export stopped first.
    fn range(&self) -> Option<ChunkRange> {
        let mut turns = self.turns.lock().ok()?;
        loop {
            if turns.stopped {
                return None;
            }
            if let Some(range) = turns.range {
                return Some(range);
            }
            turns = self.changed.wait(turns).ok()?;
        }
    }

    /// The next chunk (its number, first and last sequence numbers) once it is within reach of
    /// the writing; `None` when every chunk is taken or the export stopped.
    fn take(&self) -> Option<(usize, i64, i64)> {
        let mut turns = self.turns.lock().ok()?;
        loop {
            if turns.stopped {
                return None;
            }
            if let Some(range) = turns.range {
                if turns.next >= range.count {
                    return None;
                }
                if turns.next < turns.written + CHUNKS_AHEAD {
                    let number = turns.next;
                    turns.next += 1;
                    let first = range.first + number as i64 * EXPORT_CHUNK;
                    return Some((number, first, (first + EXPORT_CHUNK - 1).min(range.last)));
                }
            }
            turns = self.changed.wait(turns).ok()?;
        }
    }

    /// The first `chunks` chunks are written.
    fn written(&self, chunks: usize) {
        if let Ok(mut turns) = self.turns.lock() {
            turns.written = chunks;
        }
        self.changed.notify_all();
    }

    /// The export stopped: no more chunks are handed out.
    fn stop(&self) {
        if let Ok(mut turns) = self.turns.lock() {
            turns.stopped = true;
        }
        self.changed.notify_all();
    }

    /// How many chunks the range has (none before it is set).
    fn count(&self) -> usize {
        self.turns
            .lock()
            .ok()
            .and_then(|turns| turns.range)
            .map_or(0, |range| range.count)
    }
}

/// Stops a [`ChunkQueue`] when the thread holding it unwinds from a panic.
struct StopOnPanic<'a>(&'a ChunkQueue);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

/// What has been written of an export so far, in order.
#[derive(Default)]
struct WrittenSoFar {
    count: u64,
    first_seq: Option<u64>,
    /// The last event written: its sequence number and hash.
    last: Option<(u64, ChainHash)>,
}

/// The export's files and what has gone into them, held by the thread writing at the time.
struct OrderedFiles<'a> {
    sinks: Vec<Sink>,
    paths: &'a [PathBuf],
    /// The chunk to write next.
    next: usize,
    json_started: bool,
    so_far: WrittenSoFar,
}

impl OrderedFiles<'_> {
    /// Hashes and writes the next chunk; its emptied buffers come back for another chunk.
    fn write(&mut self, mut formatted: Formatted) -> Result<Vec<Vec<u8>>, ExportError> {
        for ((sink, path), bytes) in self
            .sinks
            .iter_mut()
            .zip(self.paths)
            .zip(&mut formatted.files)
        {
            let mut from = 0;
            if sink.format == ExportFormat::Json && !self.json_started && !bytes.is_empty() {
                // The array's first element has no comma before it.
                from = 1;
                self.json_started = true;
            }
            let wrote = sink.file.write_all(bytes.get(from..).unwrap_or_default());
            bytes.clear();
            wrote.map_err(io_error(path))?;
        }
        let so_far = &mut self.so_far;
        so_far.count += formatted.count;
        if so_far.first_seq.is_none() {
            so_far.first_seq = formatted.first_seq;
        }
        if formatted.last.is_some() {
            so_far.last = formatted.last;
        }
        self.next += 1;
        Ok(formatted.files)
    }
}

/// Locks `mutex` even if a thread panicked holding it: what it guards here (chunks waiting,
/// spare buffers, the first failure) stays whole across any one step.
fn locked<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Chunks formatted and not yet written, and the files they go to. There is no writing
/// thread: the formatting thread that delivers the chunk next in line writes it, and any
/// after it that are waiting, while the other goes on formatting. On two cores a third thread
/// for the writing left a fifth of the cores' time unused (three threads taking turns on two
/// cores, each stalling the others).
struct ChunkWriting<'a> {
    queue: &'a ChunkQueue,
    arrived: std::sync::Mutex<BTreeMap<usize, Formatted>>,
    files: std::sync::Mutex<OrderedFiles<'a>>,
    /// Buffers emptied by the writing, for the next chunks: after the first few chunks
    /// nothing is allocated per chunk.
    spare: std::sync::Mutex<Vec<Vec<Vec<u8>>>>,
    /// Events written so far, for `progress`.
    written_events: std::sync::atomic::AtomicU64,
    /// The first failure; the queue stops at it.
    failure: std::sync::Mutex<Option<ExportError>>,
}

impl ChunkWriting<'_> {
    fn fail(&self, error: ExportError) {
        locked(&self.failure).get_or_insert(error);
        self.queue.stop();
    }

    /// Hands over chunk `number`, then writes every chunk next in line unless another thread
    /// is writing (it then writes this one too). Returns the time spent writing.
    fn deliver(&self, number: usize, formatted: Formatted) -> Duration {
        let started = Instant::now();
        locked(&self.arrived).insert(number, formatted);
        loop {
            // Busy: the thread writing takes this chunk when its turn comes. Poisoned: the
            // thread that panicked stopped the queue, and the export fails.
            let Ok(mut files) = self.files.try_lock() else {
                return started.elapsed();
            };
            loop {
                let next = files.next;
                let Some(chunk) = locked(&self.arrived).remove(&next) else {
                    break;
                };
                let count = chunk.count;
                match files.write(chunk) {
                    Ok(buffers) => locked(&self.spare).push(buffers),
                    Err(error) => {
                        self.fail(error);
                        return started.elapsed();
                    }
                }
                self.written_events
                    .fetch_add(count, std::sync::atomic::Ordering::Relaxed);
                self.queue.written(files.next);
            }
            let next = files.next;
            drop(files);
            // A chunk delivered while this thread was writing, whose thread found the files
            // busy, is written now: nobody else will.
            if !locked(&self.arrived).contains_key(&next) {
                return started.elapsed();
            }
        }
    }
}

/// How a formatting thread spent its time waiting and writing.
#[derive(Default)]
struct ThreadTimes {
    on_window: Duration,
    writing: Duration,
}

/// Reads and formats chunks from the queue through `reader` until none is left, writing each
/// in its turn (see [`ChunkWriting`]); `after_chunk` runs after each.
fn format_chunks(
    formatting: &Formatting<'_>,
    reader: &Store,
    span: &SeqSpan,
    writing: &ChunkWriting<'_>,
    after_chunk: &mut dyn FnMut(),
) -> ThreadTimes {
    let mut state = FormatterState::default();
    let mut times = ThreadTimes::default();
    loop {
        let asked = Instant::now();
        let taken = writing.queue.take();
        times.on_window += asked.elapsed();
        let Some((number, first, last)) = taken else {
            return times;
        };
        let mut files = locked(&writing.spare)
            .pop()
            .unwrap_or_else(|| formatting.formats.iter().map(|_| Vec::new()).collect());
        let (mut count, mut first_seq, mut last_event) = (0_u64, None, None);
        let chunk = SeqSpan {
            first: Some(first),
            last: Some(last),
            ..*span
        };
        let read = reader.for_each_stored_event_in(&chunk, |stored| -> Result<(), ExportError> {
            let seq = stored.seq.max(0) as u64;
            let hash = match stored.plain() {
                Some(plain) => {
                    formatting.event(&EventRow::Plain(plain), &mut files, &mut state)?;
                    plain.hash
                }
                None => {
                    let event = stored.decode().map_err(|fault| StoreError::Corrupt {
                        path: formatting.ledger_path.to_path_buf(),
                        detail: fault.to_string(),
                    })?;
                    formatting.event(&EventRow::Decoded(&event), &mut files, &mut state)?;
                    event.hash
                }
            };
            first_seq.get_or_insert(seq);
            last_event = Some((seq, hash));
            count += 1;
            Ok(())
        });
        match read {
            Ok(()) => {
                let formatted = Formatted {
                    files,
                    count,
                    first_seq,
                    last: last_event,
                };
                times.writing += writing.deliver(number, formatted);
            }
            Err(error) => {
                writing.fail(error);
                return times;
            }
        }
        after_chunk();
    }
}

/// Refuses a formatting thread's own connection unless it reads the same chain up to the
/// range's last event as the kiosk's own (the same file, not one put in its place).
fn sees_the_same_chain(reader: &Store, range: &ChunkRange) -> Result<(), ExportError> {
    if range.count == 0 {
        return Ok(());
    }
    let seen = reader
        .event(range.last.max(0) as u64)?
        .map(|event| event.hash);
    if seen == Some(range.head) {
        Ok(())
    } else {
        Err(ExportError::Other(format!(
            "the ledger at {} changed while the export was starting; export again",
            reader.path().display()
        )))
    }
}

/// The two halves of `[from, to)` the two threads bound and count at once: split at the
/// middle of the times recorded within it (the index's first and last, found without reading
/// it through).
fn halves(
    store: &Store,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<[Instants; 2], ExportError> {
    let middle = match store.time_bounds_between(from, to)? {
        Some((first, last)) => first + (last - first) / 2,
        None => from,
    };
    Ok([(from, middle), (middle, to)])
}

/// The span of both halves together.
fn joined(one: SeqSpan, other: SeqSpan) -> SeqSpan {
    let either = |a: Option<i64>, b: Option<i64>, pick: fn(i64, i64) -> i64| match (a, b) {
        (Some(a), Some(b)) => Some(pick(a, b)),
        (a, b) => a.or(b),
    };
    SeqSpan {
        first: either(one.first, other.first, i64::min),
        last: either(one.last, other.last, i64::max),
        count: one.count + other.count,
        from: one.from.min(other.from),
        to: one.to.max(other.to),
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
    /// Where the export's threads spent time other than formatting.
    pub waits: ExportWaits,
}

/// Where the export's threads spent time other than reading and formatting, summed over the
/// two: waiting for the writing to catch up (a thread at most [`CHUNKS_AHEAD`] chunks ahead
/// of it), and hashing and writing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportWaits {
    /// Waiting for a chunk to be written before taking another.
    pub on_window: Duration,
    /// Hashing and writing chunks in order.
    pub writing: Duration,
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
    // Looked up once an event: a handful of staff, so a few comparisons, not a keyed hash.
    let names: BTreeMap<i64, String> = store
        .list_staff()?
        .into_iter()
        .map(|m| (m.id.0, m.display_name))
        .collect();
    // The range is bounded in two steps into the time index when it reaches (nearly) to
    // either end of the ledger; otherwise each thread bounds and counts half of it.
    let known_span = store.seq_span_near_the_ends(start, end)?;
    let split = match known_span {
        Some(_) => None,
        None => Some(halves(store, start, end)?),
    };
    let mut formats: Vec<ExportFormat> = formats.to_vec();
    formats.sort();
    formats.dedup();
    let paths: Vec<PathBuf> = formats
        .iter()
        .map(|format| partial.join(format.file_name()))
        .collect();
    let sinks = formats
        .iter()
        .zip(&paths)
        .map(|(format, path)| Sink::open(*format, path))
        .collect::<Result<Vec<_>, _>>()?;
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
    // This thread and one more read and format chunks of the range as each frees up, the
    // other through a connection of its own (reading is as much of the work as formatting,
    // so both are split over the two cores); whichever delivers the chunk next in line
    // hashes and writes it (see `ChunkWriting`). First each bounds and counts half of the
    // range in one pass over the time index (for the chunks and for `progress`).
    let queue = ChunkQueue::default();
    let writing = ChunkWriting {
        queue: &queue,
        arrived: std::sync::Mutex::default(),
        files: std::sync::Mutex::new(OrderedFiles {
            sinks,
            paths: &paths,
            next: 0,
            json_started: false,
            so_far: WrittenSoFar::default(),
        }),
        spare: std::sync::Mutex::default(),
        written_events: std::sync::atomic::AtomicU64::new(0),
        failure: std::sync::Mutex::new(None),
    };
    let mut waits = ExportWaits::default();
    let mut total = 0;
    std::thread::scope(|scope| {
        // The helper may be waiting for the range or for the window: were this thread to
        // panic, it would wait forever, and the scope for it.
        let _stop_on_panic = StopOnPanic(&queue);
        let (half_sender, half_counted) =
            std::sync::mpsc::channel::<Result<SeqSpan, ExportError>>();
        let (formatting, writing) = (&formatting, &writing);
        let helper = scope.spawn(move || -> ThreadTimes {
            // Were this thread to panic midway, the chunk it held would never come and the
            // other thread would wait for the window forever: stop handing out.
            let _stop_on_panic = StopOnPanic(writing.queue);
            let reader = match Store::open_read_only(formatting.ledger_path) {
                Ok(reader) => reader,
                Err(error) => {
                    let _ = half_sender.send(Err(error.into()));
                    return ThreadTimes::default();
                }
            };
            if let Some([_, (from, to)]) = split {
                let counted = reader.seq_span_between(from, to).map_err(ExportError::from);
                let _ = half_sender.send(counted);
            }
            drop(half_sender);
            let Some(range) = writing.queue.range() else {
                return ThreadTimes::default();
            };
            if let Err(error) = sees_the_same_chain(&reader, &range) {
                writing.fail(error);
                return ThreadTimes::default();
            }
            let whole = SeqSpan {
                first: None,
                last: None,
                count: 0,
                from: start,
                to: end,
            };
            format_chunks(formatting, &reader, &whole, writing, &mut || {})
        });
        let planned = (|| -> Result<SeqSpan, ExportError> {
            let Some([(from, to), _]) = split else {
                return Ok(known_span.unwrap_or(SeqSpan {
                    first: None,
                    last: None,
                    count: 0,
                    from: start,
                    to: end,
                }));
            };
            let own = store.seq_span_between(from, to)?;
            let other = half_counted.recv().map_err(|_| {
                ExportError::Other("an export thread stopped unexpectedly".to_owned())
            })??;
            Ok(joined(own, other))
        })();
        match planned.and_then(|span| {
            let (Some(first), Some(last)) = (span.first, span.last) else {
                return Ok((span, ChunkRange::new(0, -1, GENESIS_HASH)));
            };
            let head = store
                .event(last.max(0) as u64)?
                .map_or(GENESIS_HASH, |event| event.hash);
            Ok((span, ChunkRange::new(first, last, head)))
        }) {
            Ok((span, range)) => {
                total = span.count;
                writing.queue.begin(range);
            }
            Err(error) => writing.fail(error),
        }
        let whole = SeqSpan {
            first: None,
            last: None,
            count: total,
            from: start,
            to: end,
        };
        let mut times = vec![format_chunks(
            formatting,
            store,
            &whole,
            writing,
            &mut || {
                let written = writing
                    .written_events
                    .load(std::sync::atomic::Ordering::Relaxed);
                progress(written, total);
            },
        )];
        match helper.join() {
            Ok(helper_times) => times.push(helper_times),
            Err(_) => writing.fail(ExportError::Other(
                "an export thread stopped unexpectedly".to_owned(),
            )),
        }
        for thread in times {
            waits.on_window += thread.on_window;
            waits.writing += thread.writing;
        }
    });
    if let Some(error) = locked(&writing.failure).take() {
        return Err(error);
    }
    let files = writing
        .files
        .into_inner()
        .map_err(|_| ExportError::Other("an export thread stopped unexpectedly".to_owned()))?;
    if files.next < queue.count() {
        return Err(ExportError::Other(
            "an export thread stopped before the export was whole".to_owned(),
        ));
    }
    let OrderedFiles { sinks, so_far, .. } = files;
    let WrittenSoFar {
        count,
        first_seq,
        last,
    } = so_far;
    let (last_seq, head_after) = (last.map(|(seq, _)| seq), last.map(|(_, hash)| hash));
    // Whole: the range's every event is written (`total` may have counted sequence numbers
    // of events recorded outside it, see `Store::seq_span_near_the_ends`).
    progress(count, count);
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

    /// Items borrowed from one row go into the allocation the last row's items left.
    #[test]
    fn an_emptied_item_vector_keeps_its_allocation() {
        let text = String::from("1Z");
        let mut items = Vec::with_capacity(16);
        items.push(ItemView {
            tracking_id: &text,
            ..ItemView::default()
        });
        let (at, capacity) = (items.as_ptr() as usize, items.capacity());
        let again: Vec<ItemView<'static>> = emptied(items);
        assert!(again.is_empty());
        assert_eq!((again.as_ptr() as usize, again.capacity()), (at, capacity));
    }

    /// A formatting thread that panics midway would leave its chunk unwritten and the other
    /// thread waiting for the window forever: the queue stops handing out instead. A thread
    /// that asks before the range is known waits for it.
    #[test]
    fn a_thread_that_panics_midway_stops_the_chunk_queue() {
        let range = ChunkRange::new(1, EXPORT_CHUNK * 20, GENESIS_HASH);
        assert_eq!(range.count, 20);
        let queue = ChunkQueue::default();
        std::thread::scope(|scope| {
            // A thread that asks before the range is known waits for it.
            let early = scope.spawn(|| queue.take());
            queue.begin(range);
            assert_eq!(early.join().ok(), Some(Some((0, 1, EXPORT_CHUNK))));
            let failing = scope.spawn(|| {
                let _stop_on_panic = StopOnPanic(&queue);
                assert_eq!(queue.take(), Some((1, EXPORT_CHUNK + 1, 2 * EXPORT_CHUNK)));
                panic!("a formatting thread fails midway");
            });
            assert!(failing.join().is_err());
        });
        assert_eq!(queue.take(), None, "nothing more is handed out");
        assert_eq!(queue.range(), None, "nor waited for");
        // A thread that ends normally leaves the queue as it was.
        let queue = ChunkQueue::default();
        queue.begin(range);
        drop(StopOnPanic(&queue));
        assert_eq!(queue.take(), Some((0, 1, EXPORT_CHUNK)));
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
