//! Crash loop: a child process records handoffs through the library and prints each parcel id
//! only after its commit returned; the parent kills it with SIGKILL at random moments and
//! restarts it. Afterwards every printed id is in the ledger, nothing the child never began is,
//! at most the one handoff in flight per run is there unprinted, and the chain and SQLite's
//! integrity check hold. CRASH_ITERATIONS (default 200) sets the number of kills.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;
use handoff_kiosk::config::{DEFAULT_CONFIG_TEXT, KioskConfig};
use handoff_kiosk::domain::clock::{Clock, SystemClock};
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::ids::StaffId;
use handoff_kiosk::domain::pin::Pin;
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::service::Kiosk;
use handoff_kiosk::setup;
use handoff_kiosk::store::FileCheck;
use handoff_kiosk::store::{Actor, HandoffItem, HandoffRequest, OpenMode, Store};

/// The cheapest argon2 cost allowed, so each restart signs in quickly.
fn cheap_config() -> String {
    DEFAULT_CONFIG_TEXT
        .replace("argon2_memory_kib = 65536", "argon2_memory_kib = 19456")
        .replace("argon2_iterations = 3", "argon2_iterations = 2")
}

#[test]
#[ignore = "the child side of crash_loop_loses_nothing_acknowledged"]
fn crash_child() {
    let Ok(config_path) = std::env::var("CRASH_CONFIG") else {
        return;
    };
    let run: u32 = std::env::var("CRASH_RUN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let config = KioskConfig::load(std::path::Path::new(&config_path)).unwrap();
    let mut kiosk = Kiosk::open(&config).unwrap();
    let pins = kiosk.pins.clone();
    let lockout = config.security.lockout;
    let mut out = std::io::stdout().lock();
    let sign_in = |kiosk: &mut Kiosk| {
        kiosk
            .store
            .verify_pin(StaffId(1), &Pin::new(MANAGER_PIN), &pins, &lockout, || {
                SystemClock.now()
            })
            .unwrap()
    };
    let mut proof = sign_in(&mut kiosk);
    for n in 0_u32.. {
        // A proof is good for 30 seconds: renew it now and then.
        if n % 50 == 49 {
            proof = sign_in(&mut kiosk);
        }
        let id = format!("CR{run:04}-{n:05}");
        writeln!(out, "BEGIN {id}").unwrap();
        out.flush().unwrap();
        let request = HandoffRequest {
            kind: EventKind::DriverDelivery,
            counterparty: driver("D-CRASH"),
            items: vec![HandoffItem::on_shelf(tracking(&id), "C")],
            token_id: None,
            note: String::new(),
        };
        kiosk.record(&proof, &[request], SystemClock.now()).unwrap();
        writeln!(out, "DONE {id}").unwrap();
        out.flush().unwrap();
    }
}

/// The id after a marker anywhere in a line (the test harness may print before it).
fn marked<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    line.find(marker).map(|at| line[at + marker.len()..].trim())
}

/// A small xorshift: random kill moments without another dependency.
struct Moments(u64);

impl Moments {
    fn next_millis(&mut self, max: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % max
    }
}

#[test]
fn crash_loop_loses_nothing_acknowledged() {
    let iterations: u32 = std::env::var("CRASH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let config_path = write_config(dir.path(), &cheap_config());
    let config = KioskConfig::load(&config_path).unwrap();
    setup::init(&config).unwrap();
    {
        let mut kiosk = Kiosk::open(&config).unwrap();
        let hash = kiosk
            .pins
            .hash_new_pin(&Pin::new(MANAGER_PIN), &config.security.pin_policy)
            .unwrap();
        kiosk
            .store
            .add_staff(
                "Ana",
                Role::Manager,
                &hash,
                Actor::AdminCommandLine,
                SystemClock.now(),
            )
            .unwrap();
    }
    let me = std::env::current_exe().unwrap();
    let mut moments = Moments(0x9E37_79B9_7F4A_7C15 ^ u64::from(std::process::id()));
    let (mut begun, mut done) = (Vec::<String>::new(), Vec::<String>::new());
    let started = Instant::now();
    for run in 0..iterations {
        let mut child = Command::new(&me)
            .args([
                "--ignored",
                "--exact",
                "crash_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("CRASH_CONFIG", &config_path)
            .env("CRASH_RUN", run.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (lines_out, lines) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines_out.send(line).is_err() {
                    break;
                }
            }
        });
        // Wait for the first acknowledged handoff, then kill at a random moment after it.
        // Generous: on a machine whose cores are all busy a child's start (a process, an
        // argon2 sign-in) can take many seconds; the wait ends at its first commit.
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            match lines.recv_timeout(Duration::from_millis(50)) {
                Ok(line) => {
                    if let Some(id) = marked(&line, "BEGIN ") {
                        begun.push(id.to_owned());
                    } else if let Some(id) = marked(&line, "DONE ") {
                        done.push(id.to_owned());
                        break;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    assert!(Instant::now() < deadline, "the child never committed")
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the child died on its own"),
            }
        }
        std::thread::sleep(Duration::from_millis(moments.next_millis(25)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        reader.join().unwrap();
        let (mut run_begun, mut run_done) = (0, 0);
        for line in lines.try_iter() {
            if let Some(id) = marked(&line, "BEGIN ") {
                begun.push(id.to_owned());
                run_begun += 1;
            } else if let Some(id) = marked(&line, "DONE ") {
                done.push(id.to_owned());
                run_done += 1;
            }
        }
        assert!(
            run_begun - run_done <= 1,
            "run {run}: at most one handoff in flight"
        );
    }

    let store = Store::open(&config.ledger.database, OpenMode::Existing).unwrap();
    assert!(
        store.integrity_problems().unwrap().is_empty(),
        "PRAGMA integrity_check"
    );
    let key = setup::ledger_public_key(&store).unwrap();
    let report = store.verify("RVM-0045", &key, FileCheck::Full).unwrap();
    assert!(report.is_ok(), "{report:?}");
    let (events, _) = store.head().unwrap();
    let mut in_ledger = std::collections::HashSet::new();
    for seq in 1..=events {
        for item in store.event(seq).unwrap().unwrap().body.items {
            in_ledger.insert(item.tracking_id);
        }
    }
    for id in &done {
        assert!(
            in_ledger.contains(id),
            "{id} was acknowledged but is not in the ledger"
        );
    }
    let begun_set: std::collections::HashSet<&String> = begun.iter().collect();
    for id in &in_ledger {
        assert!(
            begun_set.contains(id),
            "{id} is in the ledger but was never begun"
        );
    }
    let unacknowledged = in_ledger.len() - done.len();
    assert!(
        unacknowledged <= iterations as usize,
        "at most the one in flight per run"
    );
    let verify = kiosk_command(&config_path, &["verify"], None);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify.stdout));
    println!(
        "{iterations} SIGKILLs in {:.1} s: {} handoffs acknowledged, all in the ledger; {unacknowledged} committed just before a kill and not yet printed; {} events verified",
        started.elapsed().as_secs_f64(),
        done.len(),
        report.events_checked
    );
}
