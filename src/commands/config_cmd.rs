//! `kiosk config check` and `kiosk config default`.

use std::process::ExitCode;

use super::Failure;
use crate::config::{DEFAULT_CONFIG_TEXT, KioskConfig};

pub fn print_default() -> Result<ExitCode, Failure> {
    print!("{DEFAULT_CONFIG_TEXT}");
    Ok(ExitCode::SUCCESS)
}

pub fn check(config: &KioskConfig) -> Result<ExitCode, Failure> {
    let store = &config.store;
    let capabilities: Vec<&str> = store.capabilities.iter().map(|c| c.code()).collect();
    println!("{}: ok", config.source.display());
    println!(
        "  store        {} {} ({})",
        store.id, store.name, store.time_zone
    );
    println!(
        "  capacity     {} parcels; {}",
        store.capacity,
        capabilities.join(", ")
    );
    let open_days = config
        .calendar
        .weekly_hours
        .iter()
        .filter(|day| !day.is_empty())
        .count();
    println!(
        "  calendar     open {open_days} days a week, {} exceptional closures; holds {} days{}",
        config.calendar.closures.len(),
        config.calendar.holds.pickup_days,
        if config.calendar.holds.count_closed_days {
            " (closed days count)"
        } else {
            ""
        }
    );
    let cost = config.security.hash_cost;
    println!(
        "  PINs         argon2id m={} t={} p={}, at least {} digits",
        cost.memory_kib, cost.iterations, cost.parallelism, config.security.pin_policy.min_length
    );
    println!("  ledger       {}", config.ledger.database.display());
    Ok(ExitCode::SUCCESS)
}
