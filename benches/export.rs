//! Export benchmark, side by side in one run:
//! 1. 1,000,000 events (EXPORT_BENCH_EVENTS) to CSV by the kiosk vs `sqlite3 -csv` selecting
//!    the same columns from the same database into a file;
//! 2. a store day of ~300 events exported by the whole `kiosk export` process.
//!
//! Run: `cargo bench --bench export` (needs the sqlite3 shell; prints a table).

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use chrono::Utc;
use handoff_kiosk::domain::clock::{Clock, FixedClock};
use handoff_kiosk::export::{ExportFormat, export_days};

fn best_of<T>(runs: usize, mut run: impl FnMut(usize) -> T) -> (Duration, Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for index in 0..runs {
        let start = Instant::now();
        last = Some(run(index));
        times.push(start.elapsed());
    }
    times.sort();
    (
        times[0],
        times[times.len() / 2],
        last.expect("at least one run"),
    )
}

fn main() {
    let events: u64 = std::env::var("EXPORT_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let clock = FixedClock::at(Utc::now());
    let big = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let (config, kiosk, _) = common::seeded(big.path(), events, &clock);
    let (total, _) = kiosk.store.head().expect("head");
    println!(
        "seeded {total} events in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let day = config.calendar.local_date(clock.now());
    let (start, end) = config.calendar.day_bounds(day);

    let (kiosk_best, kiosk_median, _) = best_of(3, |run| {
        let out = big.path().join(format!("out{run}"));
        export_days(
            &kiosk,
            day,
            day,
            &[ExportFormat::Csv],
            &out,
            clock.now(),
            &mut |_, _| {},
        )
        .expect("export")
    });
    let query = format!(
        "SELECT seq, recorded_at_us, kind, staff_id, counterparty_kind, counterparty_ref, items_json, token_id, note, hex(prev_hash), hex(hash) \
         FROM events WHERE recorded_at_us >= {} AND recorded_at_us < {} ORDER BY seq;",
        start.timestamp_micros(),
        end.timestamp_micros()
    );
    let database = config.ledger.database.clone();
    let (sqlite_best, sqlite_median, _) = best_of(3, |run| {
        let out = std::fs::File::create(big.path().join(format!("sqlite{run}.csv"))).expect("file");
        let status = Command::new("sqlite3")
            .arg("-csv")
            .arg(&database)
            .arg(&query)
            .stdout(out)
            .status()
            .expect("sqlite3 runs");
        assert!(status.success());
    });
    println!("{:<44} {:>10} {:>10}", "figure", "best s", "median s");
    println!(
        "{:<44} {:>10.3} {:>10.3}",
        format!("kiosk export, {total} events, CSV + manifest"),
        kiosk_best.as_secs_f64(),
        kiosk_median.as_secs_f64()
    );
    println!(
        "{:<44} {:>10.3} {:>10.3}",
        "sqlite3 -csv, same rows and columns",
        sqlite_best.as_secs_f64(),
        sqlite_median.as_secs_f64()
    );
    println!(
        "{:<44} {:>10.2}",
        "ratio kiosk / sqlite3 (best)",
        kiosk_best.as_secs_f64() / sqlite_best.as_secs_f64()
    );
    drop(kiosk);

    // A busy day: ~300 events, exported by the whole process as a manager would run it.
    let small = tempfile::tempdir().expect("temp dir");
    let (config, kiosk, _) = common::seeded(small.path(), 300, &clock);
    drop(kiosk);
    let config_path = config.source.clone();
    let day_text = day.to_string();
    let (process_best, process_median, _) = best_of(11, |run| {
        let out = small.path().join(format!("day{run}"));
        let status = Command::new(env!("CARGO_BIN_EXE_kiosk"))
            .arg("--config")
            .arg(&config_path)
            .args(["export", "--date", &day_text, "--out"])
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("kiosk runs");
        assert!(status.success());
    });
    println!(
        "{:<44} {:>10.3} {:>10.3}   (budget 0.050)",
        "kiosk export process, one day of ~300 events",
        process_best.as_secs_f64(),
        process_median.as_secs_f64()
    );
}
