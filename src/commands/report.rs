//! `kiosk report` (the end-of-day report) and `kiosk store-feed` (the store as an access point).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use super::Failure;
use crate::config::KioskConfig;
use crate::domain::clock::{Clock, SystemClock};
use crate::domain::store_feed::{AccessPoint, CLOSURES_MAX, store_feed as build_store_feed};
use crate::report::day_report;
use crate::service::Kiosk;

pub fn run(
    config: &KioskConfig,
    date: Option<NaiveDate>,
    out: Option<&Path>,
) -> Result<ExitCode, Failure> {
    let day = date.unwrap_or_else(|| config.calendar.local_date(SystemClock.now()));
    let kiosk = Kiosk::open(config)?;
    let report = day_report(&kiosk, day)?;
    let text = report.to_full_text();
    print!("{text}");
    if let Some(path) = out {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).map_err(|e| {
            Failure::usage(format!(
                "cannot create {} (reports are never overwritten): {e}",
                path.display()
            ))
        })?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| Failure::check(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(if report.reconciles() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(super::EXIT_CHECK_FAILED)
    })
}

/// The store as the feed describes it, from kiosk.toml (`[store]` and `[store_feed]`).
fn access_point(config: &KioskConfig) -> AccessPoint<'_> {
    let store = &config.store;
    AccessPoint {
        id: &store.id,
        name_prefix: &config.store_feed.name_prefix,
        name: &store.name,
        is_active: store.is_active,
        time_zone: store.time_zone.name(),
        capacity: store.capacity,
        capabilities: store
            .capabilities
            .iter()
            .map(|capability| capability.code())
            .filter(|code| matches!(*code, "PICK_UP" | "DROP_OFF"))
            .collect(),
        street: &store.address.street,
        city: &store.address.city,
        region: &store.address.region,
        postal_code: &store.address.postal_code,
        country_code: &store.address.country_code,
        latitude: store.address.latitude,
        longitude: store.address.longitude,
        contact: config
            .store_feed
            .contact
            .as_ref()
            .map(|(phone, email)| (phone.as_str(), email.as_str())),
    }
}

/// `kiosk store-feed`: the Store Feed body (`{"accessPoints": [...]}`) as of the store's
/// today, or exit 2 naming the kiosk.toml setting the feed would refuse.
pub fn store_feed(config: &KioskConfig) -> Result<ExitCode, Failure> {
    let today = config.calendar.local_date(SystemClock.now());
    let feed = build_store_feed(&access_point(config), &config.calendar, today)
        .map_err(|e| Failure::usage(format!("the store feed cannot be made: {e}")))?;
    if feed.closures_left_out > 0 {
        eprintln!(
            "kiosk: {} later closures left out: the feed carries at most {CLOSURES_MAX}",
            feed.closures_left_out
        );
    }
    let text = serde_json::to_string_pretty(&feed.body)
        .map_err(|e| Failure::check(format!("cannot write the feed as JSON: {e}")))?;
    println!("{text}");
    Ok(ExitCode::SUCCESS)
}

/// `kiosk seed`: synthetic activity for demos and benchmarks, only on a fresh or demo ledger.
pub fn seed(
    config: &KioskConfig,
    days: u32,
    per_day: u32,
    start: Option<NaiveDate>,
) -> Result<ExitCode, Failure> {
    if days == 0 || per_day == 0 {
        return Err(Failure::usage("--days and --per-day must be at least 1"));
    }
    crate::setup::init(config)?;
    let mut kiosk = Kiosk::open(config)?;
    let (events, _) = kiosk.store.head()?;
    if events > 0 && kiosk.store.meta("demo_data")?.is_none() {
        return Err(Failure::usage(format!(
            "{} holds real activity ({events} events); seed a fresh ledger (another --config) instead",
            config.ledger.database.display()
        )));
    }
    let today = config.calendar.local_date(SystemClock.now());
    let first = start.unwrap_or(today - chrono::Duration::days(i64::from(days)));
    let started = std::time::Instant::now();
    let summary = crate::seed::seed_days(&mut kiosk, first, days, per_day, &mut |_, _| {})?;
    println!(
        "seeded {} events ({} parcel movements) on {} open days from {first} in {:.1} s; the ledger is marked as demo data",
        summary.events,
        summary.parcels,
        summary.open_days,
        started.elapsed().as_secs_f64()
    );
    println!("demo staff (name, role, PIN):");
    for (name, role, pin) in crate::seed::DEMO_STAFF {
        println!("  {name:<18} {role:<8} {pin}");
    }
    Ok(ExitCode::SUCCESS)
}
