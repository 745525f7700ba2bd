//! Search benchmark: a ledger of SEARCH_BENCH_EVENTS events (default 1,000,000) seeded through
//! the real recording path, then timed queries of each kind the search screen makes.
//! Run: `cargo bench --bench search` (prints a table; no assertion: numbers, not a test).

mod common;

use std::time::{Duration, Instant};

use chrono::Utc;
use handoff_kiosk::domain::clock::FixedClock;
use handoff_kiosk::seed::tracking_for;

fn tail(n: u64, length: usize) -> String {
    tracking_for(n)
        .map(|id| id.as_str()[id.as_str().len() - length..].to_owned())
        .unwrap_or_default()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let events: u64 = std::env::var("SEARCH_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = FixedClock::at(Utc::now());
    let started = Instant::now();
    let (_config, kiosk, written) = common::seeded(dir.path(), events, &clock);
    let seeded_in = started.elapsed();
    let (total, _) = kiosk.store.head().expect("head");
    // About 10 parcels for every 23 events the seeder writes.
    let parcels = written * 10 / 23;
    println!(
        "seeded {total} events (about {parcels} parcels) in {:.1} s",
        seeded_in.as_secs_f64()
    );

    type QueryMaker = Box<dyn Fn(u64) -> String>;
    let kinds: Vec<(&str, QueryMaker)> = vec![
        (
            "full tracking id (scanned)",
            Box::new(|n| tracking_for(n).map(|id| id.to_string()).unwrap_or_default()),
        ),
        (
            "last 6 characters of a tracking id",
            Box::new(|n| tail(n, 6)),
        ),
        (
            "middle 4 characters of a tracking id",
            Box::new(|n| {
                tracking_for(n)
                    .map(|id| id.as_str()[8..12].to_owned())
                    .unwrap_or_default()
            }),
        ),
        (
            "recipient name fragment",
            Box::new(|n| {
                ["reyes", "tanaka", "okafor", "silva", "moreau"][n as usize % 5].to_owned()
            }),
        ),
        (
            "shelf",
            Box::new(|n| ["R", "L", "P", "D", "N"][n as usize % 5].to_owned()),
        ),
        // The worst case: a fragment that one label in 36 contains.
        (
            "\"1Z\" + 1 char (1 in 36 match)",
            Box::new(|n| format!("1Z{}", tail(n, 1))),
        ),
    ];
    println!(
        "{:<34} {:>8} {:>9} {:>9} {:>9} {:>9}",
        "query", "queries", "first ms", "p50 ms", "p99 ms", "max ms"
    );
    for (name, make) in kinds {
        let mut times = Vec::new();
        let mut slowest = (Duration::ZERO, String::new());
        for i in 0..1_000_u64 {
            let query = make((i * 7_919) % parcels.max(1));
            let start = Instant::now();
            let found = kiosk.store.search_parcels(&query, 50).expect("search");
            let took = start.elapsed();
            if took > slowest.0 {
                slowest = (took, query.clone());
            }
            times.push(took);
            std::hint::black_box(found);
        }
        let first = times[0];
        times.sort();
        println!(
            "{name:<34} {:>8} {:>9.3} {:>9.3} {:>9.3} {:>9.3}  slowest {:?}",
            times.len(),
            first.as_secs_f64() * 1e3,
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3,
            times[times.len() - 1].as_secs_f64() * 1e3,
            slowest.1
        );
    }
}
