//! Writing and reading export folders. The folder is built under a temporary name and renamed
//! into place only when every file and the signed manifest are written, so a crash leaves no
//! half export; an existing export is never overwritten; files are readable by the owner only.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::domain::calendar::StoreCalendar;
use crate::domain::chain::{GENESIS_HASH, LedgerEvent};
use crate::domain::export::{
    CSV_FILE, CSV_HEADER, ExportedEvent, JSON_FILE, MANIFEST_FILE, MANIFEST_FORMAT, ManifestBody,
    ManifestFile, NDJSON_FILE, TIME_FORMAT, sign_manifest, write_csv_event,
};
use crate::service::Kiosk;
use crate::store::StoreError;

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
        file: std::io::BufWriter::with_capacity(1 << 20, file),
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

/// One format's open file and how far it has got.
enum Sink {
    Csv(Box<csv::Writer<HashingFile>>),
    Json { file: HashingFile, first: bool },
    Ndjson(HashingFile),
}

impl Sink {
    fn open(format: ExportFormat, path: &Path) -> Result<Self, ExportError> {
        let file = create_private_file(path)?;
        Ok(match format {
            ExportFormat::Csv => {
                let mut writer = csv::WriterBuilder::new()
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(file);
                writer
                    .write_record(CSV_HEADER)
                    .map_err(|e| ExportError::Other(e.to_string()))?;
                Sink::Csv(Box::new(writer))
            }
            ExportFormat::Json => {
                let mut file = file;
                file.write_all(b"[").map_err(io_error(path))?;
                Sink::Json { file, first: true }
            }
            ExportFormat::Ndjson => Sink::Ndjson(file),
        })
    }

    fn write(&mut self, event: &Prepared<'_>, path: &Path) -> Result<(), ExportError> {
        match self {
            Sink::Csv(writer) => {
                write_csv_event(writer, event.event, event.recorded_at, event.staff_name)
                    .map_err(|e| ExportError::Other(e.to_string()))?;
            }
            Sink::Json { file, first } => {
                file.write_all(if *first { b"\n" } else { b",\n" })
                    .map_err(io_error(path))?;
                serde_json::to_writer(&mut *file, &event.exported())
                    .map_err(|e| ExportError::Other(e.to_string()))?;
                *first = false;
            }
            Sink::Ndjson(file) => {
                serde_json::to_writer(&mut *file, &event.exported())
                    .map_err(|e| ExportError::Other(e.to_string()))?;
                file.write_all(b"\n").map_err(io_error(path))?;
            }
        }
        Ok(())
    }

    fn close(self, name: &str, path: &Path) -> Result<ManifestFile, ExportError> {
        match self {
            Sink::Csv(writer) => {
                let file = writer
                    .into_inner()
                    .map_err(|e| ExportError::Other(e.to_string()))?;
                finish(name, file, path)
            }
            Sink::Json { mut file, .. } => {
                file.write_all(b"\n]\n").map_err(io_error(path))?;
                finish(name, file, path)
            }
            Sink::Ndjson(file) => finish(name, file, path),
        }
    }
}

/// Events handed from the reading thread to the writing thread at a time.
const EXPORT_BATCH: usize = 512;

/// An event with what every format needs computed once.
struct Prepared<'a> {
    event: &'a LedgerEvent,
    recorded_at: &'a str,
    staff_name: &'a str,
}

impl Prepared<'_> {
    fn exported(&self) -> ExportedEvent {
        let mut exported = ExportedEvent::from_event(self.event, self.staff_name, &chrono_tz::UTC);
        exported.recorded_at = self.recorded_at.to_owned();
        exported
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
    let total = store.count_events_between(start, end)?;
    let mut formats: Vec<ExportFormat> = formats.to_vec();
    formats.sort();
    formats.dedup();
    let sinks = formats
        .iter()
        .map(|format| {
            Sink::open(*format, &partial.join(format.file_name())).map(|sink| (*format, sink))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (mut first_seq, mut last_seq, mut head_after, mut count) = (None, None, None, 0_u64);
    // The time format is parsed once, not per event.
    let time_items: Vec<chrono::format::Item<'static>> =
        chrono::format::StrftimeItems::new(TIME_FORMAT)
            .parse_to_owned()
            .map_err(|e| ExportError::Other(e.to_string()))?;
    let paths: Vec<PathBuf> = sinks
        .iter()
        .map(|(format, _)| partial.join(format.file_name()))
        .collect();
    // Two stages on two threads: this one reads SQLite, the writer formats, hashes and writes.
    // Each is about half the work, so the export takes about as long as the slower half.
    let (batches, inbox) = std::sync::mpsc::sync_channel::<Vec<LedgerEvent>>(4);
    let sinks = std::thread::scope(|scope| -> Result<_, ExportError> {
        let writer = scope.spawn(|| -> Result<_, ExportError> {
            let mut sinks = sinks;
            let mut time = String::with_capacity(40);
            for batch in inbox {
                for event in &batch {
                    let name = event
                        .body
                        .staff_id
                        .and_then(|id| names.get(&id.0))
                        .map_or("", String::as_str);
                    time.clear();
                    use std::fmt::Write as _;
                    let _ = write!(
                        time,
                        "{}",
                        event
                            .body
                            .recorded_at
                            .with_timezone(&zone)
                            .format_with_items(time_items.iter())
                    );
                    let prepared = Prepared {
                        event,
                        recorded_at: &time,
                        staff_name: name,
                    };
                    for ((_, sink), path) in sinks.iter_mut().zip(&paths) {
                        sink.write(&prepared, path)?;
                    }
                }
            }
            Ok(sinks)
        });
        let mut batch = Vec::with_capacity(EXPORT_BATCH);
        let read = store.for_each_event_between(start, end, |event| -> Result<(), ExportError> {
            first_seq.get_or_insert(event.seq);
            last_seq = Some(event.seq);
            head_after = Some(event.hash);
            count += 1;
            batch.push(event);
            if batch.len() == EXPORT_BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(EXPORT_BATCH));
                // A closed channel means the writer failed; its error is reported below.
                if batches.send(full).is_err() {
                    return Ok(());
                }
            }
            if count % 5_000 == 0 {
                progress(count, total);
            }
            Ok(())
        });
        if read.is_ok() && !batch.is_empty() {
            let _ = batches.send(batch);
        }
        drop(batches);
        let written = writer
            .join()
            .map_err(|_| ExportError::Other("the export writer stopped unexpectedly".to_owned()))?;
        read?;
        written
    })?;
    progress(count, total);
    let head_before = match first_seq {
        Some(seq) if seq > 1 => store
            .event(seq - 1)?
            .map_or(GENESIS_HASH, |event| event.hash),
        Some(_) => GENESIS_HASH,
        None => store.head_before(start)?,
    };
    let mut files = Vec::new();
    for (format, sink) in sinks {
        files.push(sink.close(format.file_name(), &partial.join(format.file_name()))?);
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
    Ok(ExportOutcome { folder, body })
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
