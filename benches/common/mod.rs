//! What the benchmarks share: a ledger seeded through the real recording path.

use handoff_kiosk::config::{DEFAULT_CONFIG_TEXT, KioskConfig};
use handoff_kiosk::domain::clock::{Clock, FixedClock};
use handoff_kiosk::domain::pin::Pin;
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::setup::{self, Kiosk};
use handoff_kiosk::store::Actor;

/// A kiosk in `dir` with about `events` events of synthetic activity; also the number the
/// seeder wrote.
pub fn seeded(dir: &std::path::Path, events: u64, clock: &FixedClock) -> (KioskConfig, Kiosk, u64) {
    let path = dir.join("kiosk.toml");
    std::fs::write(
        &path,
        DEFAULT_CONFIG_TEXT.replace("capacity = 20", "capacity = 100000"),
    )
    .expect("config");
    let config = KioskConfig::load(&path).expect("config loads");
    setup::init(&config).expect("init");
    let mut kiosk = Kiosk::open(&config).expect("open");
    let pin = Pin::new("480915");
    let hash = kiosk
        .pins
        .hash_new_pin(&pin, &config.security.pin_policy)
        .expect("hash");
    let id = kiosk
        .store
        .add_staff(
            "Bench",
            Role::Manager,
            &hash,
            Actor::AdminCommandLine,
            clock.now(),
        )
        .expect("staff");
    let pins = kiosk.pins.clone();
    let proof = kiosk
        .store
        .verify_pin(id, &pin, &pins, &config.security.lockout, || clock.now())
        .expect("proof");
    let written =
        handoff_kiosk::seed::seed_activity(&mut kiosk, &proof, events, 2_000, clock.now())
            .expect("seed");
    (config, kiosk, written)
}
