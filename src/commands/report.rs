//! `kiosk report` (the end-of-day report) and `kiosk store-feed` (the store as an access point).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;
use serde_json::json;

use super::Failure;
use crate::config::KioskConfig;
use crate::domain::clock::{Clock, SystemClock};
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
    let text = report.to_text();
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

/// The carrier's store-feed field names and rules, from kiosk.toml.
pub fn store_feed_json(config: &KioskConfig) -> serde_json::Value {
    let store = &config.store;
    let days = [
        "MONDAY",
        "TUESDAY",
        "WEDNESDAY",
        "THURSDAY",
        "FRIDAY",
        "SATURDAY",
        "SUNDAY",
    ];
    let standard_hours: Vec<serde_json::Value> = days
        .iter()
        .zip(&config.calendar.weekly_hours)
        .filter(|(_, intervals)| !intervals.is_empty())
        .map(|(day, intervals)| {
            let first = intervals[0];
            let last = intervals[intervals.len() - 1];
            let closures: Vec<serde_json::Value> = intervals
                .windows(2)
                .map(|pair| json!({ "startTime": pair[0].closes.format("%H:%M:%S").to_string(), "endTime": pair[1].opens.format("%H:%M:%S").to_string() }))
                .collect();
            json!({
                "day": day,
                "openingTime": first.opens.format("%H:%M:%S").to_string(),
                "closingTime": last.closes.format("%H:%M:%S").to_string(),
                "midDayClosures": closures,
            })
        })
        .collect();
    let closures: Vec<serde_json::Value> = config
        .calendar
        .closures
        .iter()
        .map(|closure| json!({ "startDateTime": closure.first_day.to_string(), "endDateTime": closure.last_day.to_string() }))
        .collect();
    let capabilities: Vec<&str> = store
        .capabilities
        .iter()
        .map(|capability| capability.code())
        .filter(|code| matches!(*code, "PICK_UP" | "DROP_OFF"))
        .collect();
    json!({
        "accessPointId": store.id.to_string(),
        "accessPointName": store.name,
        "isActive": store.is_active,
        "timeZone": store.time_zone.name(),
        "capacity": { "threshold": store.capacity },
        "capabilities": capabilities,
        "address": {
            "addressFieldOne": store.address.street,
            "city": store.address.city,
            "region": store.address.region,
            "postalCode": store.address.postal_code,
            "countryCode": store.address.country_code,
            "latitude": store.address.latitude,
            "longitude": store.address.longitude,
        },
        "standardHours": standard_hours,
        "exceptionalClosures": closures,
    })
}

pub fn store_feed(config: &KioskConfig) -> Result<ExitCode, Failure> {
    println!(
        "{}",
        serde_json::to_string_pretty(&store_feed_json(config)).unwrap_or_default()
    );
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
