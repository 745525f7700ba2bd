//! `kiosk` with no subcommand. Until the counter screen lands, it initialises the kiosk on
//! first run and prints where things stand and what to do next.

use std::process::ExitCode;

use super::Failure;
use crate::config::KioskConfig;
use crate::domain::clock::{Clock, SystemClock};
use crate::setup::Kiosk;

pub fn run(config: &KioskConfig) -> Result<ExitCode, Failure> {
    let (kiosk, report) = Kiosk::open_or_init(config)?;
    for made in &report.created {
        println!("created {made}");
    }
    let now = SystemClock.now();
    let open = if config.calendar.is_open_at(now) {
        "open"
    } else {
        "closed"
    };
    println!("{} {} — {open} now", config.store.id, config.store.name);
    println!(
        "on hand: {} of {} parcels; {} expired awaiting a driver",
        kiosk.store.on_hand()?,
        config.store.capacity,
        kiosk.store.expired_parcels(now)?.len()
    );
    if kiosk.store.staff_count()? == 0 {
        println!(
            "no staff yet: enrol the first manager with `kiosk staff add --name NAME --role manager`"
        );
    }
    println!(
        "The full-screen counter is not part of this build yet; admin commands: `kiosk --help`."
    );
    Ok(ExitCode::SUCCESS)
}
