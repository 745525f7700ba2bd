//! The performance figures of issue #8, each measured beside the best alternative in the same
//! run where there is one, because absolute times on a shared machine drift.
//!
//! `benches/suite/main.rs` runs them at full size (`bench/run.sh`); `tests/bench_smoke.rs`
//! runs them tiny inside `cargo test`, so the suite cannot rot. Nothing here asserts a time:
//! the table reports, the reader judges.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use handoff_kiosk::config::{DEFAULT_CONFIG_TEXT, KioskConfig};
use handoff_kiosk::domain::chain::{Counterparty, CounterpartyKind, EventItem};
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::pin::Pin;
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::export::{ExportFormat, ExportWaits, export_days};
use handoff_kiosk::seed::{DEMO_STAFF, tracking_for};
use handoff_kiosk::service::Kiosk;
use handoff_kiosk::store::{HandoffItem, HandoffRequest, OpenMode, PinCheck, Store};
use handoff_kiosk::tui::event::Event;
use handoff_kiosk::tui::worker::{Job, JobResult, Worker};
use rusqlite::{Connection, TransactionBehavior, params};

use crate::pty::PtyKiosk;

/// How much of everything to do.
#[derive(Debug, Clone)]
pub struct Scale {
    /// `kiosk seed --days D --per-day P` for the small and the large ledger.
    pub one_year: (u32, u32),
    pub ten_years: (u32, u32),
    pub commits: usize,
    pub pin_checks: usize,
    pub starts: usize,
    pub idle: Duration,
    pub scans: usize,
    pub queries: usize,
    /// Runs of each whole-ledger figure (export, verify); the best counts. Five on the full
    /// scale: this machine's two cores are shared, and the export needs both quiet at once
    /// where its single-threaded floors need one; in three rounds the export's best was
    /// 1.49x to 1.91x the floor run to run, with the work unchanged.
    pub repeats: usize,
    /// Lines of the carrier announcement file `kiosk import-expected` reads.
    pub import_rows: usize,
}

impl Scale {
    /// What `bench/run.sh` runs: a year and ten years of a busy counter.
    pub fn full() -> Self {
        Self {
            one_year: (365, 300),
            ten_years: (3650, 300),
            commits: 200,
            pin_checks: 10,
            starts: 10,
            idle: Duration::from_secs(60),
            scans: 200,
            queries: 1_000,
            repeats: 5,
            import_rows: 1_000_000,
        }
    }

    /// A few days and a few of each, to prove every figure still runs.
    pub fn smoke() -> Self {
        Self {
            one_year: (2, 20),
            ten_years: (3, 20),
            commits: 3,
            pin_checks: 1,
            starts: 1,
            idle: Duration::from_millis(300),
            scans: 3,
            queries: 5,
            repeats: 1,
            import_rows: 2_000,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Budget {
    /// The measured value itself, in its unit.
    AtMost(f64),
    /// Measured / alternative.
    RatioAtMost(f64),
    /// A figure to report, with no limit.
    Report,
}

#[derive(Debug, Clone)]
pub struct Figure {
    pub name: String,
    pub value: f64,
    pub unit: &'static str,
    /// The best alternative measured in the same run, in the same unit.
    pub alternative: Option<(String, f64)>,
    pub budget: Budget,
    pub note: String,
    /// The floor measured in the same run (what the work cannot go below on this machine), in
    /// the same unit, and the most the figure may be as a multiple of it.
    pub floor: Option<(String, f64, Option<f64>)>,
}

impl Figure {
    fn new(name: impl Into<String>, value: f64, unit: &'static str, budget: Budget) -> Self {
        Self {
            name: name.into(),
            value,
            unit,
            alternative: None,
            budget,
            note: String::new(),
            floor: None,
        }
    }

    fn over_floor(mut self, what: impl Into<String>, value: f64, at_most: Option<f64>) -> Self {
        self.floor = Some((what.into(), value, at_most));
        self
    }

    pub fn floor_ratio(&self) -> Option<f64> {
        self.floor.as_ref().map(|(_, floor, _)| self.value / floor)
    }

    /// Whether the figure is within its multiple of the floor, when it has one.
    pub fn within_floor_budget(&self) -> Option<bool> {
        let (_, _, at_most) = self.floor.as_ref()?;
        Some(self.floor_ratio()? <= (*at_most)?)
    }

    fn beside(mut self, what: impl Into<String>, value: f64) -> Self {
        self.alternative = Some((what.into(), value));
        self
    }

    /// The alternative, if it could be measured here; said in the note when it could not.
    fn beside_if_measured(self, what: &str, value: Option<f64>) -> Self {
        match value {
            Some(value) => self.beside(what, value),
            None => self.noting_also("no sqlite3 shell on this machine: no comparison"),
        }
    }

    fn noting(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }

    fn noting_also(mut self, note: &str) -> Self {
        if !self.note.is_empty() {
            self.note.push_str("; ");
        }
        self.note.push_str(note);
        self
    }

    pub fn ratio(&self) -> Option<f64> {
        self.alternative
            .as_ref()
            .map(|(_, alternative)| self.value / alternative)
    }

    pub fn within_budget(&self) -> Option<bool> {
        let own = match self.budget {
            Budget::AtMost(limit) => Some(self.value <= limit),
            Budget::RatioAtMost(limit) => self.ratio().map(|ratio| ratio <= limit),
            Budget::Report => None,
        };
        match (own, self.within_floor_budget()) {
            (Some(a), Some(b)) => Some(a && b),
            (a, b) => a.or(b),
        }
    }
}

/// A ledger seeded by the real `kiosk seed`.
pub struct Ledger {
    pub dir: PathBuf,
    pub config_path: PathBuf,
    pub config: KioskConfig,
    pub events: u64,
    pub seeded_in: Duration,
    pub days: u32,
}

const WAIT: Duration = Duration::from_secs(60);
/// The last line of the lock screen: once it is there, the whole first frame is.
const LOCK_SCREEN_FOOTER: &str = "F1 help";
/// What the floors measure against: every row of the events table, as stored.
const ALL_EVENTS: &str = "SELECT * FROM events";

/// The floor of reading every event row through the bundled SQLite in one process, touching
/// every column's bytes; returns the time and the bytes read.
fn floor_read_rows(database: &Path) -> (Duration, u64) {
    let conn = Connection::open_with_flags(database, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("the ledger opens");
    let start = Instant::now();
    let mut statement = conn.prepare(ALL_EVENTS).expect("a query");
    let columns = statement.column_count();
    let mut rows = statement.query([]).expect("rows");
    let mut bytes = 0_u64;
    while let Some(row) = rows.next().expect("a row") {
        for column in 0..columns {
            bytes += match row.get_ref(column).expect("a value") {
                rusqlite::types::ValueRef::Text(text) | rusqlite::types::ValueRef::Blob(text) => {
                    text.len() as u64
                }
                _ => 8,
            };
        }
    }
    (start.elapsed(), bytes)
}

/// The floor of chained SHA-256 over `bytes` bytes in pieces of `piece` (an event's size).
fn floor_sha256(bytes: u64, piece: usize) -> Duration {
    use sha2::{Digest, Sha256};
    let data = vec![0x5a_u8; piece.max(1)];
    let start = Instant::now();
    let mut head = [0_u8; 32];
    let mut done = 0_u64;
    while done < bytes {
        let mut hasher = Sha256::new();
        hasher.update(head);
        hasher.update(&data);
        head = hasher.finalize().into();
        done += data.len() as u64;
    }
    std::hint::black_box(head);
    start.elapsed()
}

/// The floor of writing `bytes` bytes to a new file in `folder` and syncing it.
fn floor_write(folder: &Path, bytes: u64) -> Duration {
    use std::io::Write;
    let chunk = vec![b'x'; 1 << 20];
    let path = folder.join("floor-write.bin");
    let start = Instant::now();
    let mut file = std::fs::File::create(&path).expect("a file");
    let mut left = bytes;
    while left > 0 {
        let now = left.min(chunk.len() as u64) as usize;
        file.write_all(&chunk[..now]).expect("written");
        left -= now as u64;
    }
    file.sync_all().expect("synced");
    let took = start.elapsed();
    let _ = std::fs::remove_file(path);
    took
}

/// Bytes of every file under `folder`.
fn folder_bytes(folder: &Path) -> u64 {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| {
                    let path = entry.path();
                    if path.is_dir() {
                        folder_bytes(&path)
                    } else {
                        entry.metadata().map_or(0, |m| m.len())
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn kiosk_program() -> &'static str {
    env!("CARGO_BIN_EXE_kiosk")
}

fn manager_pin() -> &'static str {
    DEMO_STAFF
        .iter()
        .find(|(_, role, _)| *role == Role::Manager)
        .map(|(_, _, pin)| *pin)
        .expect("the demo staff include a manager")
}

/// Runs the kiosk binary to completion; how long it took and what it printed.
fn run_kiosk(config: &Path, args: &[&str]) -> (Duration, String) {
    let start = Instant::now();
    let output = Command::new(kiosk_program())
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
        .expect("the kiosk binary runs");
    let took = start.elapsed();
    assert!(
        output.status.success(),
        "kiosk {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (took, String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Whether the sqlite3 shell is installed. `bench/run.sh` and `.ci/run` install it; a plain
/// `cargo test` on a machine without it still runs every figure, without those comparisons.
pub fn sqlite3_shell_installed() -> bool {
    Command::new("sqlite3")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// The sqlite3 shell reading `sql` from `database`, its output to `out`.
fn run_sqlite3(database: &Path, mode: &[&str], sql: &str, out: Stdio) -> Duration {
    let start = Instant::now();
    let status = Command::new("sqlite3")
        .args(mode)
        .arg(database)
        .arg(sql)
        .stdout(out)
        .status()
        .expect("the sqlite3 shell runs (bench/run.sh and .ci/run install it)");
    assert!(status.success(), "sqlite3 failed on {sql}");
    start.elapsed()
}

/// Whose CPU time a measurement counts: this process (work done in it, its threads
/// included) or the child processes it has waited for.
#[derive(Debug, Clone, Copy)]
enum CpuOf {
    ThisProcess,
    Children,
}

/// CPU time (user + system) used so far by `whom`, to the microsecond (`getrusage`).
fn cpu_time(whom: CpuOf) -> Duration {
    let who = match whom {
        CpuOf::ThisProcess => libc::RUSAGE_SELF,
        CpuOf::Children => libc::RUSAGE_CHILDREN,
    };
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage only writes the struct it is given, which is large enough.
    let usage = unsafe {
        if libc::getrusage(who, usage.as_mut_ptr()) != 0 {
            return Duration::ZERO;
        }
        usage.assume_init()
    };
    let time = |value: libc::timeval| {
        Duration::from_secs(value.tv_sec.max(0) as u64)
            + Duration::from_micros(value.tv_usec.max(0) as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// [`best_of`], with the least CPU time (user + system) any run took beside the best wall
/// time: on a machine other builders share, the CPU time is the steadier figure.
fn best_of_with_cpu(
    runs: usize,
    whom: CpuOf,
    mut run: impl FnMut(usize) -> Duration,
) -> (Duration, Duration) {
    let mut least_cpu = Duration::MAX;
    let best = best_of(runs, |index| {
        let before = cpu_time(whom);
        let took = run(index);
        least_cpu = least_cpu.min(cpu_time(whom).saturating_sub(before));
        took
    });
    (best, least_cpu)
}

fn best_of(runs: usize, mut run: impl FnMut(usize) -> Duration) -> Duration {
    (0..runs.max(1))
        .map(&mut run)
        .min()
        .unwrap_or(Duration::ZERO)
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * fraction).round() as usize]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// A `key: value` line of a `/proc/<pid>/` file, as a number (the first word of the value).
fn proc_number(pid: u32, file: &str, key: &str) -> u64 {
    proc_value(&format!("/proc/{pid}/{file}"), key)
}

fn proc_value(path: &str, key: &str) -> u64 {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|value| value.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// CPU time of every thread of `pid`, in nanoseconds (the scheduler's own count).
fn cpu_nanos(pid: u32) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    tasks
        .filter_map(Result::ok)
        .filter_map(|task| std::fs::read_to_string(task.path().join("schedstat")).ok())
        .filter_map(|line| line.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("a folder to copy") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a copy");
        }
    }
}

/// Seeds a ledger in `work/name` with the real binary, as a person would.
pub fn seed_ledger(work: &Path, name: &str, (days, per_day): (u32, u32)) -> Ledger {
    let dir = work.join(name);
    std::fs::create_dir_all(&dir).expect("a folder");
    let config_path = dir.join("kiosk.toml");
    std::fs::write(&config_path, DEFAULT_CONFIG_TEXT).expect("kiosk.toml");
    let (seeded_in, said) = run_kiosk(
        &config_path,
        &[
            "seed",
            "--days",
            &days.to_string(),
            "--per-day",
            &per_day.to_string(),
        ],
    );
    let events = said
        .split_whitespace()
        .nth(1)
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("seed said {said}"));
    let config = KioskConfig::load(&config_path).expect("the config loads");
    Ledger {
        dir,
        config_path,
        config,
        events,
        seeded_in,
        days,
    }
}

/// The tables the seeder fills, in an order the foreign keys accept.
const SEEDED_TABLES: [&str; 7] = [
    "meta",
    "staff",
    "events",
    "event_parcels",
    "parcels",
    "expected_parcels",
    "custody_totals",
];

/// Bare rusqlite inserts of every row the seeder wrote into `ledger`, into a fresh ledger with
/// the same schema and the seeder's bulk-load pragmas, a transaction per 1,000 rows: what
/// writing the same rows costs without the kiosk's rules, hashing and JSON.
fn bare_inserts_of(ledger: &Ledger, work: &Path) -> Duration {
    let source = Connection::open_with_flags(
        &ledger.config.ledger.database,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("the seeded ledger opens");
    let mut tables = Vec::new();
    for table in SEEDED_TABLES {
        let mut statement = source
            .prepare(&format!("SELECT * FROM {table}"))
            .expect("a query");
        let columns = statement.column_count();
        let rows: Vec<Vec<rusqlite::types::Value>> = statement
            .query_map([], |row| (0..columns).map(|index| row.get(index)).collect())
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("values");
        tables.push((table, columns, rows));
    }
    let target = work.join(format!("bare-seed-{}.sqlite3", ledger.events));
    drop(Store::open(&target, handoff_kiosk::store::OpenMode::CreateIfMissing).expect("a schema"));
    let mut conn = Connection::open(&target).expect("the copy opens");
    conn.execute_batch(
        "DELETE FROM custody_totals; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = MEMORY;",
    )
    .expect("bulk pragmas");
    let start = Instant::now();
    for (table, columns, rows) in &tables {
        let placeholders = vec!["?"; *columns].join(", ");
        for chunk in rows.chunks(1000) {
            let tx = conn.transaction().expect("a transaction");
            {
                let mut insert = tx
                    .prepare_cached(&format!(
                        "INSERT OR REPLACE INTO {table} VALUES ({placeholders})"
                    ))
                    .expect("an insert");
                for row in chunk {
                    insert
                        .execute(rusqlite::params_from_iter(row))
                        .expect("a row");
                }
            }
            tx.commit().expect("a commit");
        }
    }
    start.elapsed()
}

/// Seeding, beside bare inserts of the same rows measured in the same run (an absolute time is
/// no budget on a shared machine, #20).
pub fn seeding(one_year: &Ledger, ten_years: &Ledger, work: &Path) -> Figure {
    let per_million = |ledger: &Ledger| ledger.seeded_in.as_secs_f64() * 1e6 / ledger.events as f64;
    let bare = bare_inserts_of(one_year, work);
    Figure::new(
        format!(
            "seed: `kiosk seed` of {} events, whole process",
            one_year.events
        ),
        one_year.seeded_in.as_secs_f64(),
        "s",
        Budget::Report,
    )
    .noting(format!(
        "per 1,000,000 events: {:.1} s ({} days, {} events in {:.1} s)",
        per_million(ten_years),
        ten_years.days,
        ten_years.events,
        ten_years.seeded_in.as_secs_f64(),
    ))
    .beside(
        "bare rusqlite inserts of the same rows, same pragmas",
        bare.as_secs_f64(),
    )
}

/// `kiosk report --date` for one day, on both ledgers, beside the one-day export of the same
/// day; and the desk's report (the same function, in process) on both ledgers.
pub fn report(one_year: &Ledger, ten_years: &Ledger, work: &Path, scale: &Scale) -> Vec<Figure> {
    let runs = scale.repeats.max(5);
    let day_of = |ledger: &Ledger| {
        let today = ledger.config.calendar.local_date(Utc::now());
        (today - chrono::Duration::days(3)).to_string()
    };
    // The two ledgers take turns, run for run, so a machine getting busier or quieter
    // weighs on both alike (one after the other, the 10-year runs came last and met the
    // heavier load).
    let mut reports = [Vec::new(), Vec::new()];
    for _ in 0..runs {
        for (ledger, times) in [one_year, ten_years].into_iter().zip(&mut reports) {
            let day = day_of(ledger);
            times.push(best_of_with_cpu(1, CpuOf::Children, |_| {
                run_kiosk(&ledger.config_path, &["report", "--date", &day]).0
            }));
        }
    }
    let best = |times: &[(Duration, Duration)]| {
        let wall = times.iter().map(|(wall, _)| *wall).min();
        let cpu = times.iter().map(|(_, cpu)| *cpu).min();
        (wall.unwrap_or_default(), cpu.unwrap_or_default())
    };
    let ((small, small_cpu), (large, large_cpu)) = (best(&reports[0]), best(&reports[1]));
    let export = |ledger: &Ledger| {
        let day = day_of(ledger);
        best_of(runs, |run| {
            let folder = work.join(format!("report-export-{}-{run}", ledger.events));
            run_kiosk(
                &ledger.config_path,
                &[
                    "export",
                    "--date",
                    &day,
                    "--out",
                    folder.to_str().expect("UTF-8"),
                ],
            )
            .0
        })
    };
    let desk = |ledger: &Ledger| {
        let store = Store::open_read_only(&ledger.config.ledger.database).expect("opens");
        let day = ledger.config.calendar.local_date(Utc::now()) - chrono::Duration::days(3);
        best_of(runs, |_| {
            let start = Instant::now();
            let report =
                handoff_kiosk::report::report_from(&store, &ledger.config, day).expect("a report");
            assert!(report.reconciles(), "{report:?}");
            start.elapsed()
        })
    };
    let (desk_small, desk_large) = (desk(one_year), desk(ten_years));
    let stages = startup_stages(one_year, ten_years, runs.max(20));
    vec![
        Figure::new(
            format!(
                "`kiosk report --date` one day, {}-event ledger, whole process",
                ten_years.events
            ),
            ms(large),
            "ms",
            Budget::RatioAtMost(3.0),
        )
        .noting(format!("best of {runs}"))
        .beside(
            "`kiosk export --date` of the same day",
            ms(export(ten_years)),
        ),
        Figure::new(
            "`kiosk report --date` one day: 10-year ledger / 1-year ledger",
            ms(large),
            "ms",
            Budget::RatioAtMost(1.2),
        )
        .noting(format!(
            "best of {runs} each, the two ledgers taking turns; CPU (user + system, least of the runs): {:.1} ms on the 10-year, {:.1} ms on the 1-year",
            ms(large_cpu),
            ms(small_cpu)
        ))
        .beside(format!("{}-event ledger", one_year.events), ms(small)),
        stages,
        Figure::new(
            "the desk's report (same function, in process): 10-year / 1-year",
            ms(desk_large),
            "ms",
            Budget::RatioAtMost(1.2),
        )
        .beside(format!("{}-event ledger", one_year.events), ms(desk_small)),
    ]
}

/// What `kiosk report --date` does after the process starts, stage by stage and in process, on
/// both ledgers taking turns: open the ledger (`Store::open`: header, SQLite's open, pragmas,
/// schema version, WAL, the guard's look at the head), the rest of `Kiosk::open` (store id,
/// pepper, signing key, PIN hasher), the day's report, and closing (SQLite's checkpoint of an
/// empty WAL). Medians, so that one busy moment does not decide.
fn startup_stages(one_year: &Ledger, ten_years: &Ledger, runs: usize) -> Figure {
    const STAGES: [&str; 4] = [
        "`Store::open`",
        "the rest of `Kiosk::open`",
        "report",
        "close",
    ];
    let mut taken = [[(); 4].map(|()| Vec::new()), [(); 4].map(|()| Vec::new())];
    for _ in 0..runs {
        for (ledger, stages) in [one_year, ten_years].into_iter().zip(&mut taken) {
            let day = ledger.config.calendar.local_date(Utc::now()) - chrono::Duration::days(3);
            let started = Instant::now();
            let store = Store::open(&ledger.config.ledger.database, OpenMode::Existing)
                .expect("the ledger opens");
            let opened = started.elapsed();
            drop(store);
            let started = Instant::now();
            let kiosk = Kiosk::open(&ledger.config).expect("the kiosk opens");
            let kiosk_opened = started.elapsed();
            let started = Instant::now();
            let report = handoff_kiosk::report::day_report(&kiosk, day).expect("a report");
            let reported = started.elapsed();
            let started = Instant::now();
            drop(kiosk);
            let closed = started.elapsed();
            assert!(report.reconciles(), "{report:?}");
            for (stage, took) in stages.iter_mut().zip([
                opened,
                kiosk_opened.saturating_sub(opened),
                reported,
                closed,
            ]) {
                stage.push(took);
            }
        }
    }
    let medians = taken.map(|stages| {
        stages.map(|mut times| {
            times.sort();
            percentile(&times, 0.5)
        })
    });
    let total = |stages: &[Duration; 4]| stages.iter().sum::<Duration>();
    let said: Vec<String> = STAGES
        .iter()
        .zip(medians[1].iter().zip(&medians[0]))
        .map(|(stage, (ten, one))| format!("{stage} {:.2} / {:.2} ms", ms(*ten), ms(*one)))
        .collect();
    Figure::new(
        "`kiosk report --date` after the process starts, in process: 10-year / 1-year",
        ms(total(&medians[1])),
        "ms",
        Budget::Report,
    )
    .noting(format!(
        "medians of {runs}, the ledgers taking turns; 10-year / 1-year by stage: {}",
        said.join(", ")
    ))
    .beside(
        format!("{}-event ledger", one_year.events),
        ms(total(&medians[0])),
    )
}

fn new_parcels(prefix: &str, batch: usize) -> Vec<String> {
    (0..10)
        .map(|n| format!("{prefix}{batch:06}{n:02}"))
        .collect()
}

/// A durable commit of a 10-parcel delivery through the kiosk, beside bare rusqlite inserting
/// the same rows (event, its place in the outbox, index rows, parcel rows, the day's custody
/// totals) into an identical copy of the ledger with
/// the same pragmas. Also times the PIN check at the default argon2 parameters.
pub fn durable_commit(ledger: &Ledger, work: &Path, scale: &Scale) -> Vec<Figure> {
    let kiosk_dir = work.join("commit-kiosk");
    copy_dir(&ledger.dir, &kiosk_dir);
    let bare_database = work.join("commit-bare.sqlite3");
    std::fs::copy(&ledger.config.ledger.database, &bare_database).expect("a copy");
    let config = KioskConfig::load(&kiosk_dir.join("kiosk.toml")).expect("the copy's config");
    let mut kiosk = Kiosk::open(&config).expect("the kiosk opens the copy");
    let manager = kiosk
        .store
        .list_staff()
        .expect("staff")
        .into_iter()
        .find(|member| member.role == Role::Manager)
        .expect("a manager");
    let pins = kiosk.pins.clone();
    let lockout = config.security.lockout;
    let pin = Pin::new(manager_pin());
    let mut pin_times = Vec::new();
    let mut proof = None;
    for _ in 0..scale.pin_checks.max(1) {
        let start = Instant::now();
        let checked = kiosk
            .store
            .verify_pin(manager.id, &pin, &pins, &lockout, Utc::now)
            .expect("the demo manager's PIN");
        pin_times.push(start.elapsed());
        proof = Some(checked);
    }
    let proof = proof.expect("a proof");
    // Every handoff carries the same moment as the proof, so it stays fresh however long the
    // run takes; the clock is not what is measured.
    let now: DateTime<Utc> = Utc::now();

    let mut bare = Connection::open(&bare_database).expect("bare connection");
    bare.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000; PRAGMA trusted_schema = OFF;",
    )
    .expect("the same pragmas");
    let bare_head: i64 = bare
        .query_row("SELECT max(seq) FROM events", [], |row| row.get(0))
        .expect("the head");
    let micros = now.timestamp_micros();

    let warmup = 2;
    let (mut kiosk_times, mut bare_times) = (Vec::new(), Vec::new());
    for batch in 0..scale.commits + warmup {
        let ids = new_parcels("BENCHK", batch);
        let request = HandoffRequest {
            kind: EventKind::DriverDelivery,
            counterparty: Counterparty {
                kind: CounterpartyKind::Driver,
                reference: "D-BENCH".into(),
            },
            items: ids
                .iter()
                .map(|id| {
                    HandoffItem::on_shelf(
                        handoff_kiosk::domain::ids::TrackingId::parse(id).expect("an id"),
                        "B",
                    )
                })
                .collect(),
            token_id: None,
            note: String::new(),
        };
        let start = Instant::now();
        kiosk
            .record(&proof, std::slice::from_ref(&request), now)
            .expect("recorded");
        let kiosk_took = start.elapsed();

        let ids = new_parcels("BENCHB", batch);
        // Each parcel's code digest its own, scattered over the index as the kiosk's keyed
        // digests of random codes are (one digest for every parcel wrote a third of the
        // index pages the kiosk writes: a baseline that flattered nobody but itself).
        let digests: Vec<[u8; 32]> = ids
            .iter()
            .map(|id| {
                use sha2::Digest;
                sha2::Sha256::digest(id.as_bytes()).into()
            })
            .collect();
        let items: Vec<EventItem> = ids
            .iter()
            .zip(&digests)
            .map(|(id, digest)| EventItem {
                shelf: "B".into(),
                code: hex::encode(digest),
                hold_until_us: Some(micros),
                ..EventItem::new(id)
            })
            .collect();
        let items_json = serde_json::to_string(&items).expect("json");
        let start = Instant::now();
        {
            let tx = bare
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .expect("a transaction");
            let bare_seq = bare_head + 1 + batch as i64;
            tx.prepare_cached(
                "INSERT INTO events (seq, recorded_at_us, kind, staff_id, counterparty_kind, counterparty_ref, items_json, token_id, note, prev_hash, hash, format, facts_json)
                 VALUES (?1, ?2, 'driver_delivery', ?3, 'driver', 'D-BENCH', ?4, NULL, '', ?5, ?6, 2, '[]')",
            )
            .and_then(|mut insert| {
                insert.execute(params![
                    bare_seq,
                    micros,
                    manager.id.0,
                    items_json,
                    [7_u8; 32].as_slice(),
                    [9_u8; 32].as_slice()
                ])
            })
            .expect("event row");
            // Every event is queued for head office's live link in its own transaction,
            // whether or not a head office is set up yet (store/append.rs).
            tx.prepare_cached("INSERT INTO outbox (seq, queued_at_us) VALUES (?1, ?2)")
                .and_then(|mut insert| insert.execute(params![bare_seq, micros]))
                .expect("outbox row");
            for (id, digest) in ids.iter().zip(&digests) {
                tx.prepare_cached("INSERT INTO event_parcels (tracking_id, seq) VALUES (?1, ?2)")
                    .and_then(|mut insert| insert.execute(params![id, bare_seq]))
                    .expect("index row");
                tx.prepare_cached(
                    "INSERT INTO parcels (tracking_id, status, shelf, recipient_name, postal_code, code_digest, received_at_us, hold_expires_at_us, missing, last_seq, origin, leave_by_us, carrier)
                     VALUES (?1, 'held_for_customer', 'B', '', '', ?2, ?3, ?4, 0, ?5, '', NULL, 'other')",
                )
                .and_then(|mut insert| {
                    insert.execute(params![id, digest.as_slice(), micros, micros, bare_seq])
                })
                .expect("parcel row");
            }
            // The day's custody totals, as the kiosk keeps them beside the events (#20).
            let bucket = handoff_kiosk::domain::report::custody_bucket(micros);
            tx.prepare_cached(
                "INSERT INTO custody_totals (bucket, parcels_in, parcels_out, in_custody_after)
                 VALUES (?1, ?2, 0, ?2 + COALESCE(
                     (SELECT in_custody_after FROM custody_totals WHERE bucket < ?1 ORDER BY bucket DESC LIMIT 1), 0))
                 ON CONFLICT (bucket) DO UPDATE SET parcels_in = parcels_in + excluded.parcels_in,
                     in_custody_after = in_custody_after + ?2",
            )
            .and_then(|mut upsert| upsert.execute(params![bucket, ids.len() as i64]))
            .expect("custody totals");
            tx.prepare_cached(
                "UPDATE custody_totals SET in_custody_after = in_custody_after + ?2 WHERE bucket > ?1",
            )
            .and_then(|mut update| update.execute(params![bucket, ids.len() as i64]))
            .expect("later custody totals");
            tx.commit().expect("bare commit");
        }
        let bare_took = start.elapsed();
        if batch >= warmup {
            kiosk_times.push(kiosk_took);
            bare_times.push(bare_took);
        }
    }
    kiosk_times.sort();
    bare_times.sort();
    pin_times.sort();
    vec![
        Figure::new(
            "durable handoff commit, 10 parcels in one transaction (p50)",
            ms(percentile(&kiosk_times, 0.5)),
            "ms",
            // Issue #20: the durable commit stays within 1.2x bare rusqlite.
            Budget::RatioAtMost(1.2),
        )
        .beside(
            "bare rusqlite inserts of the same rows, same pragmas",
            ms(percentile(&bare_times, 0.5)),
        )
        .noting(format!(
            "{} commits each, alternating, on copies of the {}-day ledger; p99 {:.2} vs {:.2} ms",
            kiosk_times.len(),
            ledger.days,
            ms(percentile(&kiosk_times, 0.99)),
            ms(percentile(&bare_times, 0.99))
        )),
        Figure::new(
            "PIN verify, argon2id at the defaults (p50)",
            ms(percentile(&pin_times, 0.5)),
            "ms",
            Budget::Report,
        )
        .noting(format!(
            "{} checks through the store (counters written); m={} KiB, t={}, p={}",
            pin_times.len(),
            config.security.hash_cost.memory_kib,
            config.security.hash_cost.iterations,
            config.security.hash_cost.parallelism
        )),
    ]
}

/// One start of the kiosk on `ledger` in an 80x24 pty: time to the first whole frame; then,
/// once the start-up work after it (the home figures) is done, RSS and bytes read in all.
fn start_once(ledger: &Ledger) -> (PtyKiosk, Duration, u64, u64) {
    let start = Instant::now();
    let kiosk = PtyKiosk::start(&ledger.config_path, (80, 24), &[]);
    let took = kiosk.wait_for_since(LOCK_SCREEN_FOOTER, start, WAIT);
    let pid = kiosk.pid();
    // Settled: nothing more read for 200 ms (or 5 s passed).
    let mut read_bytes = proc_number(pid, "io", "rchar");
    let settling = Instant::now();
    let mut quiet_since = Instant::now();
    while quiet_since.elapsed() < Duration::from_millis(200)
        && settling.elapsed() < Duration::from_secs(5)
    {
        std::thread::sleep(Duration::from_millis(20));
        let now_read = proc_number(pid, "io", "rchar");
        if now_read != read_bytes {
            read_bytes = now_read;
            quiet_since = Instant::now();
        }
    }
    let rss_kib = proc_number(pid, "status", "VmRSS");
    (kiosk, took, rss_kib, read_bytes)
}

/// The counter as a person meets it, in a pty on the release binary: start, sign in, idle on
/// the home screen, then a driver's scanner.
pub fn counter_session(one_year: &Ledger, ten_years: &Ledger, scale: &Scale) -> Vec<Figure> {
    let starts = scale.starts.max(1);
    let mut small = Vec::new();
    let mut small_read = 0;
    for _ in 0..starts {
        let (kiosk, took, _, read) = start_once(one_year);
        small.push(took);
        small_read = read;
        kiosk.stop();
    }
    let mut large = Vec::new();
    let (mut large_rss, mut large_read) = (0, 0);
    let mut session = None;
    for run in 0..starts {
        let (kiosk, took, rss, read) = start_once(ten_years);
        large.push(took);
        (large_rss, large_read) = (rss, read);
        if run + 1 == starts {
            session = Some(kiosk);
        } else {
            kiosk.stop();
        }
    }
    let mut kiosk = session.expect("a session");
    let pid = kiosk.pid();
    small.sort();
    large.sort();

    // Sign in: the PIN is checked on the worker thread while frames keep coming.
    kiosk.send(&format!("\r{}", manager_pin()));
    kiosk.wait_for("●●●●●●", WAIT);
    let frames_before = kiosk.arrivals();
    let signing_in = Instant::now();
    kiosk.send("\r");
    let signed_in = kiosk.wait_for_since("Signed in as Demo Manager", signing_in, WAIT);
    let frames_while_checking = kiosk.arrivals().saturating_sub(frames_before + 1);
    std::thread::sleep(Duration::from_millis(200));
    let home_rss = proc_number(pid, "status", "VmRSS");
    let peak_rss = proc_number(pid, "status", "VmHWM");

    let cpu_before = cpu_nanos(pid);
    let idle_start = Instant::now();
    std::thread::sleep(scale.idle);
    let idle_cpu = cpu_nanos(pid).saturating_sub(cpu_before) as f64
        / idle_start.elapsed().as_nanos() as f64
        * 100.0;

    kiosk.send("d");
    kiosk.wait_for("Driver: scan this code", WAIT);
    kiosk.send("\r");
    kiosk.wait_for("Scan:", WAIT);
    let mut scans = Vec::new();
    for n in 0..scale.scans.max(1) {
        // A USPS barcode as a wedge scanner types it: `420` + ZIP, GS, a 22-digit tracking
        // number with its check digit, and Enter, in one write. The screen shows the number.
        let tracking_id = usps_tracking_number(n);
        let start = Instant::now();
        kiosk.send(&format!("42085001\u{1d}{tracking_id}\r"));
        scans.push(kiosk.wait_for_since(&tracking_id, start, WAIT));
        // Not announced: the clerk types the recipient's name from the label before the next.
        let named = Instant::now();
        kiosk.send("Sam Xu\r");
        kiosk.wait_for_since(&format!("{tracking_id} unannounced"), named, WAIT);
    }
    scans.sort();
    kiosk.stop();

    vec![
        Figure::new(
            "start to first frame, 10-year ledger (p50)",
            ms(percentile(&large, 0.5)),
            "ms",
            Budget::AtMost(100.0),
        )
        .beside("the same on the 1-year ledger", ms(percentile(&small, 0.5)))
        .noting(format!(
            "exec in an 80x24 pty until the lock screen's last line shows; {} starts each; max {:.1} ms",
            large.len(),
            ms(large[large.len() - 1])
        )),
        Figure::new(
            "bytes read by start-up, 10-year ledger",
            large_read as f64 / 1024.0,
            "KiB",
            Budget::RatioAtMost(1.5),
        )
        .beside("the same on the 1-year ledger", small_read as f64 / 1024.0)
        .noting(format!(
            "rchar of /proc/<pid>/io once settled (first frame, then the home figures: the last 30 days); start work must not grow with the ledger ({} vs {} events)",
            ten_years.events, one_year.events
        )),
        Figure::new(
            "RSS after start, 10-year ledger",
            large_rss as f64 / 1024.0,
            "MiB",
            Budget::AtMost(40.0),
        )
        .noting(format!(
            "on the home screen after sign-in {:.1} MiB; peak {:.1} MiB (argon2's 64 MiB buffer, freed)",
            home_rss as f64 / 1024.0,
            peak_rss as f64 / 1024.0
        )),
        Figure::new(
            "sign-in on the counter: Enter to home screen",
            ms(signed_in),
            "ms",
            Budget::Report,
        )
        .noting(format!(
            "argon2 on the worker thread; {frames_while_checking} frames drawn meanwhile (spinner)"
        )),
        Figure::new(
            "idle CPU, home screen, no input",
            idle_cpu,
            "% of a core",
            Budget::AtMost(1.0),
        )
        .noting(format!(
            "{:.1} s, all threads, from /proc/<pid>/task/*/schedstat",
            scale.idle.as_secs_f64()
        )),
        Figure::new(
            "scan to screen: 30-char burst + Enter (p99)",
            ms(percentile(&scans, 0.99)),
            "ms",
            Budget::AtMost(20.0),
        )
        .noting(format!(
            "{} scans into one delivery on the 10-year ledger; p50 {:.2} ms, max {:.2} ms",
            scans.len(),
            ms(percentile(&scans, 0.5)),
            ms(scans[scans.len() - 1])
        )),
    ]
}

/// Search as the search screen makes it, on the large ledger.
pub fn search(ledger: &Ledger, scale: &Scale) -> Figure {
    let store = Store::open_read_only(&ledger.config.ledger.database).expect("the ledger opens");
    // The seeder numbers parcels from 41 on, about ten for every 23 events.
    let parcels = (ledger.events * 10 / 23).max(1);
    let label = |n: u64| {
        tracking_for(41 + n % parcels)
            .map(|id| id.to_string())
            .unwrap_or_default()
    };
    type QueryMaker<'a> = Box<dyn Fn(u64) -> String + 'a>;
    let kinds: Vec<(&str, QueryMaker)> = vec![
        ("scanned id", Box::new(&label)),
        (
            "last 6 characters",
            Box::new(|n| {
                let id = label(n);
                id[id.len().saturating_sub(6)..].to_owned()
            }),
        ),
        (
            "middle 4 characters",
            Box::new(|n| label(n).chars().skip(8).take(4).collect()),
        ),
        (
            "name fragment",
            Box::new(|n| {
                ["reyes", "tanaka", "okafor", "silva", "moreau"][n as usize % 5].to_owned()
            }),
        ),
        (
            "shelf",
            Box::new(|n| ["R", "L", "P", "D", "N"][n as usize % 5].to_owned()),
        ),
    ];
    let mut worst = (String::new(), Duration::ZERO);
    let mut per_kind = Vec::new();
    for (name, make) in &kinds {
        let mut times = Vec::new();
        for i in 0..scale.queries.max(1) as u64 {
            let query = make(i * 7_919);
            let start = Instant::now();
            let found = store.search_parcels(&query, 50).expect("search");
            times.push(start.elapsed());
            std::hint::black_box(found);
        }
        times.sort();
        let p99 = percentile(&times, 0.99);
        per_kind.push(format!("{name} {:.2}", ms(p99)));
        if p99 >= worst.1 {
            worst = ((*name).to_owned(), p99);
        }
    }
    Figure::new(
        format!("search on {} events, worst kind's p99", ledger.events),
        ms(worst.1),
        "ms",
        Budget::AtMost(10.0),
    )
    .noting(format!(
        "{} queries of each kind; p99 ms: {}",
        scale.queries,
        per_kind.join(", ")
    ))
}

/// The whole large ledger to CSV, beside the sqlite3 shell writing the same rows and columns,
/// and a one-day export as a manager runs it.
pub fn export(ledger: &Ledger, work: &Path, scale: &Scale) -> Vec<Figure> {
    let kiosk = Kiosk::open(&ledger.config).expect("the kiosk opens");
    let calendar = &ledger.config.calendar;
    let today = calendar.local_date(Utc::now());
    let first = today - chrono::Duration::days(i64::from(ledger.days) + 1);
    let out = work.join("exports");
    let mut waits = ExportWaits::default();
    let shell = sqlite3_shell_installed();
    let (mut kiosk_best, mut kiosk_cpu) = (Duration::MAX, Duration::MAX);
    let (mut sqlite_best, mut sqlite_cpu) = (Duration::MAX, Duration::MAX);
    let (mut read, mut write, mut written) = (Duration::MAX, Duration::MAX, 0);
    // Each round runs the export, the shell and both floors one after another, and each
    // figure is the best of its rounds. This machine's speed drifts: the same bare read took
    // 1.07 s and 2.04 s an hour apart, and a floor measured once, at another moment than the
    // export's best run, made the ratio a matter of luck.
    for run in 0..scale.repeats.max(1) {
        let before = cpu_time(CpuOf::ThisProcess);
        let started = Instant::now();
        let folder = out.join(format!("whole-{run}"));
        let outcome = export_days(
            &kiosk,
            first,
            today,
            &[ExportFormat::Csv],
            &folder,
            Utc::now(),
            &mut |_, _| {},
        )
        .expect("export");
        let took = started.elapsed();
        kiosk_cpu = kiosk_cpu.min(cpu_time(CpuOf::ThisProcess).saturating_sub(before));
        if took < kiosk_best {
            kiosk_best = took;
            waits = outcome.waits;
        }
        written = folder_bytes(&outcome.folder);
        let _ = std::fs::remove_dir_all(&folder);
        if shell {
            let before = cpu_time(CpuOf::Children);
            let path = out.join(format!("sqlite3-{run}.csv"));
            let file = std::fs::File::create(&path).expect("a file");
            let took = run_sqlite3(
                &ledger.config.ledger.database,
                &["-csv"],
                &format!("{ALL_EVENTS};"),
                file.into(),
            );
            sqlite_cpu = sqlite_cpu.min(cpu_time(CpuOf::Children).saturating_sub(before));
            sqlite_best = sqlite_best.min(took);
            let _ = std::fs::remove_file(path);
        }
        read = read.min(floor_read_rows(&ledger.config.ledger.database).0);
        write = write.min(floor_write(&out, written));
    }
    drop(kiosk);
    let sqlite_best = shell.then_some((sqlite_best, sqlite_cpu));
    // The export reads and formats on two threads, which take turns hashing and writing: its
    // floor is the slower of the bare reading (on one connection) and the bare writing of the
    // same bytes.
    let floor = read.max(write);
    let busy_day = (today - chrono::Duration::days(3)).to_string();
    let day_best = best_of(scale.repeats.max(5), |run| {
        let folder = out.join(format!("day-{run}"));
        run_kiosk(
            &ledger.config_path,
            &[
                "export",
                "--date",
                &busy_day,
                "--out",
                folder.to_str().expect("a UTF-8 path"),
            ],
        )
        .0
    });
    vec![
        Figure::new(
            format!("export {} events to CSV + signed manifest", ledger.events),
            kiosk_best.as_secs_f64(),
            "s",
            Budget::RatioAtMost(1.0),
        )
        .noting(format!(
            "best of {} rounds, each the export, the shell and both floors in turn; floor = the slower of reading every row ({:.2} s) and writing the {} MB written ({:.2} s); CPU (user + system, least of the runs): the export {:.2} s{}; the best run's two threads, besides reading and formatting: waiting for the writing to catch up {:.2} s, hashing and writing {:.2} s",
            scale.repeats,
            read.as_secs_f64(),
            written / 1_000_000,
            write.as_secs_f64(),
            kiosk_cpu.as_secs_f64(),
            sqlite_best.map_or_else(String::new, |(_, cpu)| format!(
                ", the shell {:.2} s",
                cpu.as_secs_f64()
            )),
            waits.on_window.as_secs_f64(),
            waits.writing.as_secs_f64(),
        ))
        .beside_if_measured(
            "`sqlite3 -csv db 'select * from events'`",
            sqlite_best.map(|(best, _)| best.as_secs_f64()),
        )
        .over_floor("slower of read, write", floor.as_secs_f64(), Some(1.6)),
        Figure::new(
            "`kiosk export --date` one day, whole process",
            ms(day_best),
            "ms",
            Budget::AtMost(50.0),
        )
        .noting("budget from #6; on the 10-year ledger"),
    ]
}

/// The chain walk of the large ledger, beside the sqlite3 shell dumping the same rows.
pub fn verify(ledger: &Ledger, scale: &Scale) -> Vec<Figure> {
    let shell = sqlite3_shell_installed();
    let (mut chain_best, mut chain_cpu) = (Duration::MAX, Duration::MAX);
    let (mut sqlite_best, mut sqlite_cpu) = (Duration::MAX, Duration::MAX);
    let (mut read, mut hash, mut bytes) = (Duration::MAX, Duration::MAX, 0);
    // As for the export: each round runs verify, the shell and the floors in turn, and each
    // figure is the best of its rounds.
    let timed_child = |run: &mut dyn FnMut() -> Duration| {
        let before = cpu_time(CpuOf::Children);
        let took = run();
        (took, cpu_time(CpuOf::Children).saturating_sub(before))
    };
    for _ in 0..scale.repeats.max(1) {
        let (took, cpu) =
            timed_child(&mut || run_kiosk(&ledger.config_path, &["verify", "--chain-only"]).0);
        (chain_best, chain_cpu) = (chain_best.min(took), chain_cpu.min(cpu));
        if shell {
            let (took, cpu) = timed_child(&mut || {
                run_sqlite3(
                    &ledger.config.ledger.database,
                    &[],
                    &format!("{ALL_EVENTS};"),
                    Stdio::null(),
                )
            });
            (sqlite_best, sqlite_cpu) = (sqlite_best.min(took), sqlite_cpu.min(cpu));
        }
        let (took, read_bytes) = floor_read_rows(&ledger.config.ledger.database);
        (read, bytes) = (read.min(took), read_bytes);
        let piece = (bytes / ledger.events.max(1)).max(1) as usize;
        hash = hash.min(floor_sha256(bytes, piece));
    }
    let sqlite_best = shell.then_some((sqlite_best, sqlite_cpu));
    // One thread reads and hashes in turn: its floor is the two together.
    let floor = read + hash;
    let full_best = best_of(scale.repeats, |_| {
        run_kiosk(&ledger.config_path, &["verify"]).0
    });
    vec![
        Figure::new(
            format!("verify the {}-event chain (`kiosk verify --chain-only`)", ledger.events),
            chain_best.as_secs_f64(),
            "s",
            Budget::RatioAtMost(1.5),
        )
        .noting(format!(
            "best of {} rounds, each verify, the shell and the floors in turn; whole process: chain, checkpoints, signatures; floor = reading every row ({:.2} s) + chained SHA-256 over their {} MB ({:.2} s); CPU (user + system, least of the runs): verify {:.2} s{}",
            scale.repeats,
            read.as_secs_f64(),
            bytes / 1_000_000,
            hash.as_secs_f64(),
            chain_cpu.as_secs_f64(),
            sqlite_best.map_or_else(String::new, |(_, cpu)| format!(
                ", the shell {:.2} s",
                cpu.as_secs_f64()
            )),
        ))
        .beside_if_measured(
            "`sqlite3 db 'select * from events' > /dev/null`",
            sqlite_best.map(|(best, _)| best.as_secs_f64()),
        )
        .over_floor("read + SHA-256", floor.as_secs_f64(), Some(1.5)),
        Figure::new(
            "`kiosk verify` with SQLite's full integrity check beside it",
            full_best.as_secs_f64(),
            "s",
            Budget::Report,
        )
        .noting("every index and the search index cross-checked; the check, not the chain, sets this time"),
    ]
}

/// Submits one PIN check to the worker and waits for its result: the time from submit to
/// result, as the counter waits for it. A chain check's result arriving meanwhile goes to
/// `chain_checked`.
fn timed_pin_check(
    worker: &mut Worker,
    results: &Receiver<Event>,
    check: PinCheck,
    job: u64,
    chain_checked: &mut dyn FnMut(Result<u64, String>),
) -> Duration {
    let start = Instant::now();
    let pin = Pin::new(manager_pin());
    assert!(
        worker.submit(Job::CheckPin { job, check, pin }),
        "the worker runs"
    );
    loop {
        match results.recv_timeout(WAIT).expect("the PIN check's result") {
            Event::Worker(JobResult::PinChecked { job: done, .. }) if done == job => {
                return start.elapsed();
            }
            Event::Worker(JobResult::Verified { outcome, .. }) => {
                chain_checked(outcome.map_err(|failure| failure.to_string()))
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

/// Issue #12's "PIN checks never wait": a PIN check through the kiosk's own worker (its real
/// threads) on the 10-year ledger, alone, then while the ledger view's chain check of that
/// ledger runs on the same worker (submitted first, as opening the ledger view does).
pub fn pin_beside_chain_check(ledger: &Ledger, scale: &Scale) -> Figure {
    let kiosk = Kiosk::open(&ledger.config).expect("the kiosk opens");
    let manager = kiosk
        .store
        .list_staff()
        .expect("staff")
        .into_iter()
        .find(|member| member.role == Role::Manager)
        .expect("a manager");
    let lockout = ledger.config.security.lockout;
    // The fast first half stays on the caller's thread, as in the app; only the worker's part
    // is timed. The outcome is not finished, so nothing is written to the shared ledger.
    let begin = || {
        kiosk
            .store
            .begin_pin_check(manager.id, &lockout, Utc::now())
            .expect("a PIN check begins")
    };
    let (events, results) = mpsc::channel();
    let mut worker = Worker::spawn(Arc::clone(&kiosk.pins), events);
    let checks = scale.pin_checks.max(1);
    let mut job = 0_u64;
    let mut next_job = || {
        job += 1;
        job
    };

    let mut alone = Vec::new();
    for _ in 0..checks {
        alone.push(timed_pin_check(
            &mut worker,
            &results,
            begin(),
            next_job(),
            &mut |_| panic!("no chain check was asked for"),
        ));
    }

    let chain_started = Instant::now();
    assert!(worker.submit(Job::VerifyLedger {
        job: next_job(),
        path: ledger.config.ledger.database.clone(),
        store_id: ledger.config.store.id.to_string(),
        public_key: kiosk.key.public(),
    }));
    let mut chain: Option<(Duration, Result<u64, String>)> = None;
    let (mut during, mut after) = (Vec::new(), Vec::new());
    while during.len() < checks && chain.is_none() {
        let took = timed_pin_check(&mut worker, &results, begin(), next_job(), &mut |outcome| {
            chain = Some((chain_started.elapsed(), outcome));
        });
        // A check counts as "during" only if the chain check was still running at its end.
        if chain.is_none() {
            during.push(took);
        } else {
            after.push(took);
        }
    }
    let (chain_took, chain_outcome) = match chain {
        Some(done) => done,
        None => match results.recv_timeout(Duration::from_secs(3600)) {
            Ok(Event::Worker(JobResult::Verified { outcome, .. })) => (
                chain_started.elapsed(),
                outcome.map_err(|failure| failure.to_string()),
            ),
            other => panic!("the chain check's result, not {other:?}"),
        },
    };
    let checked = chain_outcome.expect("the seeded ledger verifies");
    drop(worker);

    alone.sort();
    let overlapped = !during.is_empty();
    let mut with_chain = if overlapped { during } else { after };
    with_chain.sort();
    let with_whom = if overlapped {
        "each ended while the chain check still ran"
    } else {
        "the chain check ended first (a ledger this small): no overlap measured"
    };
    Figure::new(
        format!(
            "PIN check with a chain check running, {}-event ledger (p50)",
            ledger.events
        ),
        ms(percentile(&with_chain, 0.5)),
        "ms",
        Budget::RatioAtMost(1.5),
    )
    .beside("the same PIN check alone", ms(percentile(&alone, 0.5)))
    .noting(format!(
        "submit to result through the kiosk's worker (PIN lane beside the background lane); {} checks alone, then {} submitted after the ledger view's chain check (`Job::VerifyLedger`) of the {checked} events, {with_whom}; the chain check took {:.1} s, what a PIN check queued behind it in one FIFO would have waited; max {:.0} vs {:.0} ms",
        alone.len(),
        with_chain.len(),
        chain_took.as_secs_f64(),
        ms(with_chain[with_chain.len() - 1]),
        ms(alone[alone.len() - 1]),
    ))
}

/// `kiosk import-expected` of a carrier file of `scale.import_rows` lines into a copy of the
/// 1-year ledger, whole process: parse, each id read as a label (Amazon `TBA` numbers, so
/// the store's default `[carriers]` takes them), the linear duplicate check, one indexed
/// look-up per line, the expected rows, and an event per thousand ids with their code digests (#18).
pub fn import(ledger: &Ledger, work: &Path, scale: &Scale) -> Figure {
    let dir = work.join("import-kiosk");
    copy_dir(&ledger.dir, &dir);
    let file = work.join("announcement.csv");
    let mut text = String::from("tracking_id,recipient_name,pickup_code,postal_code\n");
    for n in 0..scale.import_rows {
        text.push_str(&format!(
            "TBA{n:012},Recipient {n},{:06},{:05}\n",
            (n * 7919) % 1_000_000,
            n % 100_000
        ));
    }
    std::fs::write(&file, text).expect("the announcement file");
    let path = file.to_string_lossy().into_owned();
    let (took, out) = run_kiosk(&dir.join("kiosk.toml"), &["import-expected", &path]);
    assert!(
        out.contains(&format!("{} newly announced", scale.import_rows)),
        "{out}"
    );
    Figure::new(
        format!(
            "`kiosk import-expected`, {} announced parcels, whole process",
            scale.import_rows
        ),
        took.as_secs_f64(),
        "s",
        Budget::AtMost(30.0),
    )
    .noting(format!(
        "into the {}-event ledger; {} import events",
        ledger.events,
        scale.import_rows.div_ceil(1000)
    ))
}

/// Only issue #12's figure (`cargo bench --bench suite -- --pin-lanes-only`): seeds just the
/// 10-year ledger, so the figure can be measured again without the whole suite.
pub fn run_pin_lanes(scale: &Scale, work: &Path, say: &mut dyn FnMut(&str)) -> Vec<Figure> {
    say("seeding the 10-year ledger");
    let ten_years = seed_ledger(work, "ten-years", scale.ten_years);
    say("a PIN check beside the ledger view's chain check");
    vec![pin_beside_chain_check(&ten_years, scale)]
}

/// A ledger seeded earlier (by `kiosk seed --days <days>`) in `dir`, measured as found: for
/// re-measuring a few figures without seeding again (`BENCH_LEDGERS`, see `run_some`).
pub fn seeded_earlier(dir: &Path, days: u32) -> Ledger {
    let config_path = dir.join("kiosk.toml");
    let config = KioskConfig::load(&config_path).expect("the config loads");
    let store = Store::open_read_only(&config.ledger.database).expect("the ledger opens");
    let (events, _) = store.head().expect("the head");
    Ledger {
        dir: dir.to_path_buf(),
        config_path,
        config,
        events,
        seeded_in: Duration::ZERO,
        days,
    }
}

/// Only the named figures (`export`, `verify`, `report`), on the ledgers seeded earlier in
/// `<ledgers>/one` (365 days) and `<ledgers>/ten` (3650 days), or seeded now when none is
/// given: `BENCH_LEDGERS=DIR cargo bench --bench suite -- --only=commit,export,verify,report`.
pub fn run_some(
    scale: &Scale,
    work: &Path,
    ledgers: Option<&Path>,
    only: &[&str],
    say: &mut dyn FnMut(&str),
) -> Vec<Figure> {
    // The printer's figure needs no ledger: no seeding for it alone.
    if only == ["print"] {
        say("a receipt to the printer");
        return vec![print_to_first_byte(scale)];
    }
    let (one_year, ten_years) = match ledgers {
        Some(dir) => (
            seeded_earlier(&dir.join("one"), scale.one_year.0),
            seeded_earlier(&dir.join("ten"), scale.ten_years.0),
        ),
        None => {
            say("seeding the 1-year ledger");
            let one_year = seed_ledger(work, "one-year", scale.one_year);
            say("seeding the 10-year ledger");
            (one_year, seed_ledger(work, "ten-years", scale.ten_years))
        }
    };
    let mut figures = Vec::new();
    if only.contains(&"commit") {
        say("durable commits and PIN checks");
        figures.extend(durable_commit(&one_year, work, scale));
    }
    if only.contains(&"export") {
        say("export");
        figures.extend(export(&ten_years, work, scale));
    }
    if only.contains(&"verify") {
        say("verify");
        figures.extend(verify(&ten_years, scale));
    }
    if only.contains(&"report") {
        say("report");
        figures.extend(report(&one_year, &ten_years, work, scale));
    }
    if only.contains(&"print") {
        say("a receipt to the printer");
        figures.push(print_to_first_byte(scale));
    }
    figures
}

/// Every figure, in the order of the issue's table.
pub fn run(scale: &Scale, work: &Path, say: &mut dyn FnMut(&str)) -> Vec<Figure> {
    say("seeding the 1-year ledger");
    let one_year = seed_ledger(work, "one-year", scale.one_year);
    say("seeding the 10-year ledger");
    let ten_years = seed_ledger(work, "ten-years", scale.ten_years);
    let mut figures = vec![seeding(&one_year, &ten_years, work)];
    say("durable commits and PIN checks");
    figures.extend(durable_commit(&one_year, work, scale));
    say("the counter in a pty: start, sign in, idle, scans");
    figures.extend(counter_session(&one_year, &ten_years, scale));
    say("search");
    figures.push(search(&ten_years, scale));
    say("export");
    figures.extend(export(&ten_years, work, scale));
    say("verify");
    figures.extend(verify(&ten_years, scale));
    say("a PIN check beside the ledger view's chain check");
    figures.push(pin_beside_chain_check(&ten_years, scale));
    say("report");
    figures.extend(report(&one_year, &ten_years, work, scale));
    say("import");
    figures.push(import(&one_year, work, scale));
    say("a receipt to the printer");
    figures.push(print_to_first_byte(scale));
    figures
}

/// Issue #15's figure: from a slip handed to the ESC/POS printer (what the printer lane does
/// right after the commit) to the first byte at a printer on loopback TCP port, for a drop-off
/// receipt with its signed QR: layout, PC858 encoding, connect and send. Beside it, in the
/// same run, a bare connect and write of the very bytes the kiosk sent (the network's part).
pub fn print_to_first_byte(scale: &Scale) -> Figure {
    use handoff_kiosk::domain::ids::{StoreId, TrackingId};
    use handoff_kiosk::domain::receipt::{ReceiptClaims, sign_receipt};
    use handoff_kiosk::domain::signing::StoreKey;
    use handoff_kiosk::print::{
        Block, EscPosPrinter, PaperWidth, PrinterConnection, Slip, SlipKind, SlipPrinter,
        encode_slip,
    };
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};

    let parcels = ["9205590164917312751089", "1Z999AA10123456784"];
    let key = StoreKey::generate().expect("a store key");
    let token = sign_receipt(
        &key,
        &ReceiptClaims {
            store_id: StoreId::parse("RVM-0045").expect("a store id"),
            seq: 812,
            event_hash: [0xAB; 32],
            kind: EventKind::CustomerDropOff,
            recorded_at: chrono::DateTime::from_timestamp(1_795_539_900, 0).expect("a time"),
            parcels: parcels
                .iter()
                .map(|id| TrackingId::parse(id).expect("an id"))
                .collect(),
        },
    );
    let mut blocks = vec![
        Block::Heading("Riverside Mall Parcel Point".into()),
        Block::Text("2 E Riverside Mall Dr, Unit 114, Phoenix AZ 85004".into()),
        Block::Heading("DROP-OFF RECEIPT".into()),
        Block::Rule,
    ];
    for id in parcels {
        blocks.push(Block::Code(id.into()));
        blocks.push(Block::Pair {
            label: "Carrier".into(),
            value: "USPS".into(),
        });
    }
    blocks.extend([Block::Rule, Block::Qr(token)]);
    let slip = Slip {
        kind: SlipKind::Receipt,
        reprint: false,
        lang: handoff_kiosk::i18n::Lang::En,
        blocks,
    };
    let bytes = encode_slip(&slip, PaperWidth::Mm80);

    // The printer: notes when each connection's first byte arrives, reads it to its end.
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().expect("its address").port();
    let (arrived, arrivals) = mpsc::channel();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buffer = [0_u8; 4096];
            let mut first = None;
            while let Ok(read) = stream.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                first.get_or_insert_with(Instant::now);
            }
            if let Some(first) = first {
                let _ = arrived.send(first);
            }
        }
    });
    let connection = PrinterConnection::Tcp {
        host: "127.0.0.1".into(),
        port,
    };
    let mut printer = EscPosPrinter::new(connection, PaperWidth::Mm80, Duration::from_secs(5));
    let rounds = scale.commits.max(5);
    let mut kiosk = Vec::with_capacity(rounds);
    let mut bare = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let start = Instant::now();
        printer.print(&slip).expect("the receipt printed");
        let first = arrivals
            .recv_timeout(Duration::from_secs(10))
            .expect("it arrived");
        kiosk.push(first - start);
        let start = Instant::now();
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.write_all(&bytes).expect("write");
        drop(stream);
        let first = arrivals
            .recv_timeout(Duration::from_secs(10))
            .expect("it arrived");
        bare.push(first - start);
    }
    kiosk.sort();
    bare.sort();
    Figure::new(
        format!(
            "a receipt to the printer: slip handed to the ESC/POS printer to its first byte at \
             a loopback TCP printer (p99)<br>{rounds} receipts of {} bytes with a signed QR, \
             80 mm; p50 {:.2} ms",
            bytes.len(),
            ms(percentile(&kiosk, 0.5))
        ),
        ms(percentile(&kiosk, 0.99)),
        "ms",
        Budget::AtMost(200.0),
    )
    .beside(
        "a bare connect and write of the same bytes (p99)",
        ms(percentile(&bare, 0.99)),
    )
    .noting("the commit and the hand-off to the printer lane before it: tests/printing.rs")
}

fn number(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// The figures as one Markdown table.
pub fn markdown(figures: &[Figure]) -> String {
    let mut table = String::from(
        "| figure | measured | best alternative, same run | ratio | floor, same run | to floor | budget | within |\n|---|---|---|---|---|---|---|---|\n",
    );
    for figure in figures {
        let alternative = figure
            .alternative
            .as_ref()
            .map_or_else(String::new, |(what, value)| {
                format!("{what}: {} {}", number(*value), figure.unit)
            });
        let ratio = figure
            .ratio()
            .map_or_else(String::new, |ratio| format!("{ratio:.2}x"));
        let floor = figure
            .floor
            .as_ref()
            .map_or_else(String::new, |(what, value, _)| {
                format!("{what}: {} {}", number(*value), figure.unit)
            });
        let to_floor = figure
            .floor_ratio()
            .map_or_else(String::new, |ratio| format!("{ratio:.2}x"));
        let mut budget = match figure.budget {
            Budget::AtMost(limit) => format!("<= {} {}", number(limit), figure.unit),
            Budget::RatioAtMost(limit) => format!("<= {limit:.1}x"),
            Budget::Report => "report".to_owned(),
        };
        if let Some((_, _, Some(limit))) = &figure.floor {
            budget.push_str(&format!("; <= {limit:.1}x floor"));
        }
        let within = match figure.within_budget() {
            Some(true) => "yes",
            Some(false) => "**NO**",
            None => "",
        };
        let note = if figure.note.is_empty() {
            String::new()
        } else {
            format!("<br>{}", figure.note)
        };
        table.push_str(&format!(
            "| {}{note} | {} {} | {alternative} | {ratio} | {floor} | {to_floor} | {budget} | {within} |\n",
            figure.name,
            number(figure.value),
            figure.unit
        ));
    }
    table
}

/// The machine the table was measured on.
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name")?.split(':').nth(1))
        .map_or("unknown CPU", str::trim)
        .to_owned();
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let memory_gib = proc_value("/proc/meminfo", "MemTotal") as f64 / 1024.0 / 1024.0;
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let tool = |program: &str, arg: &str| {
        Command::new(program)
            .arg(arg)
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
            .unwrap_or_else(|_| format!("{program}: not found"))
    };
    let sqlite3 = tool("sqlite3", "--version");
    format!(
        "Machine: {model}, {cores} cores, {memory_gib:.0} GiB; Linux {}; {}; sqlite3 shell {}; bundled SQLite {}",
        kernel.trim(),
        tool("rustc", "--version"),
        sqlite3.split_whitespace().next().unwrap_or("?"),
        rusqlite::version()
    )
}

/// The `n`th 22-digit USPS tracking number with a valid check digit: the one digit the
/// kiosk's own label reader accepts (so the figure measures a scan the counter takes).
fn usps_tracking_number(n: usize) -> String {
    let body = format!("9400111899223197{:05}", n % 100_000);
    (0..10)
        .map(|digit| format!("{body}{digit}"))
        .find(|candidate| {
            handoff_kiosk::domain::labels::identify_label(
                candidate,
                handoff_kiosk::domain::labels::LabelPolicy::default(),
            )
            .is_ok()
        })
        .unwrap_or(body)
}
