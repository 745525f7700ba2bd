//! Shared helpers for the integration tests: a kiosk in a temp folder with the shipped config.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::{DateTime, Duration, TimeZone, Utc};
use handoff_kiosk::config::{DEFAULT_CONFIG_TEXT, KioskConfig};
use handoff_kiosk::domain::chain::{Counterparty, CounterpartyKind};
use handoff_kiosk::domain::clock::{Clock, FixedClock};
use handoff_kiosk::domain::ids::{StaffId, TrackingId};
use handoff_kiosk::domain::pin::Pin;
use handoff_kiosk::domain::staff::{PinProof, Role};
use handoff_kiosk::service::Kiosk;
use handoff_kiosk::setup;
use handoff_kiosk::store::Actor;

pub const MANAGER_PIN: &str = "480915";
pub const CLERK_PIN: &str = "739162";

pub struct TestKiosk {
    pub dir: tempfile::TempDir,
    pub kiosk: Kiosk,
    pub clock: FixedClock,
}

pub fn config_path(dir: &Path) -> PathBuf {
    dir.join("kiosk.toml")
}

/// A Tuesday morning in the store's time zone (America/Phoenix), when the store is open.
pub fn tuesday_morning() -> DateTime<Utc> {
    chrono_tz::America::Phoenix
        .with_ymd_and_hms(2026, 11, 24, 10, 0, 0)
        .single()
        .expect("valid local time")
        .with_timezone(&Utc)
}

pub fn write_config(dir: &Path, text: &str) -> PathBuf {
    let path = config_path(dir);
    std::fs::write(&path, text).expect("write config");
    path
}

pub fn new_kiosk() -> TestKiosk {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_config(dir.path(), DEFAULT_CONFIG_TEXT);
    let config = KioskConfig::load(&path).expect("default config loads");
    setup::init(&config).expect("init");
    let kiosk = Kiosk::open(&config).expect("open");
    TestKiosk {
        dir,
        kiosk,
        clock: FixedClock::at(tuesday_morning()),
    }
}

impl TestKiosk {
    pub fn enrol(&mut self, name: &str, role: Role, pin: &str) -> StaffId {
        let hash = self
            .kiosk
            .pins
            .hash_new_pin(&Pin::new(pin), &self.kiosk.config.security.pin_policy)
            .expect("PIN accepted");
        self.kiosk
            .store
            .add_staff(name, role, &hash, Actor::AdminCommandLine, self.clock.now())
            .expect("staff added")
    }

    pub fn sign_in(&mut self, id: StaffId, pin: &str) -> PinProof {
        let clock = self.clock.clone();
        self.kiosk
            .store
            .verify_pin(
                id,
                &Pin::new(pin),
                &self.kiosk.pins,
                &self.kiosk.config.security.lockout,
                || clock.now(),
            )
            .expect("PIN verifies")
    }

    pub fn reopen(&mut self) {
        let config = self.kiosk.config.clone();
        self.kiosk = Kiosk::open(&config).expect("reopen");
    }

    pub fn config_path(&self) -> PathBuf {
        config_path(self.dir.path())
    }

    pub fn ledger_path(&self) -> PathBuf {
        self.kiosk.config.ledger.database.clone()
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }
}

pub fn tracking(text: &str) -> TrackingId {
    TrackingId::parse(text).expect("valid tracking id")
}

pub fn driver(badge: &str) -> Counterparty {
    Counterparty {
        kind: CounterpartyKind::Driver,
        reference: badge.to_owned(),
    }
}

pub fn customer(reference: &str) -> Counterparty {
    Counterparty {
        kind: CounterpartyKind::Customer,
        reference: reference.to_owned(),
    }
}

/// Runs the real `kiosk` binary with `--config` pointing into `dir`.
pub fn kiosk_command(config: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kiosk"));
    command
        .arg("--config")
        .arg(config)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("kiosk binary runs");
    if let Some(input) = stdin {
        use std::io::Write;
        let mut pipe = child.stdin.take().expect("stdin");
        // A command may refuse (and exit) before reading its input: a closed pipe is no error.
        if let Err(error) = pipe.write_all(input.as_bytes()) {
            assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "write stdin");
        }
    }
    child.wait_with_output().expect("kiosk finishes")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
pub mod counter;
pub mod printer;
pub mod pty;
