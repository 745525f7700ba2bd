//! End to end: the real binary in a pseudo-terminal, typed at as a person and a scanner would.

mod common;

use std::time::Duration;

use common::pty::PtyKiosk;
use common::*;
use handoff_kiosk::config::DEFAULT_CONFIG_TEXT;

/// How long a screen may take to show: generous, for a machine whose cores are all busy (CI
/// beside other builds). A wait ends as soon as the text appears, so this costs nothing when
/// things go well.
const WAIT: Duration = Duration::from_secs(120);
const F10: &str = "\u{1b}[21~";
const PARCELS: [&str; 5] = [
    "1Z999AA10123456784",
    "1Z879E930346834440",
    "JD014600006281234567",
    "TBA123456789000",
    "9205590164917312751089",
];

fn fresh_config() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    // Made-up ids (PKG0001) beside published samples: this store takes ids of no known format.
    let config = write_config(
        dir.path(),
        &DEFAULT_CONFIG_TEXT.replace("allow_other = false", "allow_other = true"),
    );
    (dir, config)
}

#[test]
fn enrol_sign_in_receive_five_pick_one_up_and_verify() {
    let (dir, config) = fresh_config();
    let mut kiosk = PtyKiosk::start(&config, (80, 24), &[]);
    kiosk.enrol_first_manager("480915", WAIT);

    kiosk.send("d");
    kiosk.wait_for("Driver: scan this code", WAIT);
    kiosk.send("\r");
    kiosk.wait_for("Scan:", WAIT);
    let mut latencies = Vec::new();
    for id in PARCELS {
        kiosk.send(&format!("{id}\r"));
        latencies.push(kiosk.wait_for(&format!("{id} was not announced"), WAIT));
        kiosk.send("Sam Xu\r");
        kiosk.wait_for(&format!("{id} unannounced"), WAIT);
    }
    kiosk.wait_for("5 to receive, 0 refused", WAIT);
    kiosk.send("\r");
    kiosk.wait_for("Your PIN to record this delivery", WAIT);
    kiosk.send("480915\r");
    kiosk.wait_for("Recorded: 5 parcels received", WAIT);
    let screen = kiosk.contents();
    let code = screen
        .lines()
        .find(|line| line.contains(PARCELS[0]))
        .and_then(|line| line.split("code ").nth(1))
        .map(|rest| rest.trim().chars().take(6).collect::<String>())
        .unwrap_or_else(|| panic!("no pickup code on screen:\n{screen}"));
    assert_eq!(code.len(), 6, "{screen}");

    kiosk.send("\rp");
    kiosk.wait_for("CUSTOMER PICKUP", WAIT);
    kiosk.send(&format!("{code}\r"));
    kiosk.wait_for(": 1 parcel", WAIT);
    kiosk.send(&format!("{}\r", PARCELS[0]));
    kiosk.wait_for("handed over", WAIT);
    kiosk.send("\r");
    kiosk.wait_for("Your PIN to record this pickup", WAIT);
    kiosk.send("480915\r");
    kiosk.wait_for("Recorded: 1 parcel handed over", WAIT);

    // Quitting in kiosk mode takes a manager's PIN from the lock screen.
    kiosk.send("\rl");
    kiosk.wait_for("LOCKED", WAIT);
    kiosk.send(F10);
    kiosk.wait_for("QUIT THE KIOSK", WAIT);
    kiosk.send("\r480915\r");
    assert_eq!(kiosk.wait_exit(WAIT), 0);
    // The kiosk never asks the terminal where its cursor is: some terminals never answer, and
    // waiting for one held the first frame back by 2 s.
    let raw = kiosk.raw_output();
    assert!(
        !raw.windows(4).any(|window| window == b"\x1b[6n"),
        "a cursor position query was sent"
    );

    let mut sorted = latencies.clone();
    sorted.sort();
    println!("scan burst + Enter to parcel on screen (pty, debug build): {sorted:?}");

    let verify = kiosk_command(&config, &["verify"], None);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify.stdout));
    let conn = rusqlite::Connection::open(dir.path().join("data/ledger.sqlite3")).unwrap();
    let mut statement = conn
        .prepare("SELECT kind, json_array_length(items_json), staff_id FROM events ORDER BY seq")
        .unwrap();
    let events: Vec<(String, i64, Option<i64>)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        events,
        [
            ("staff_enrolled".to_owned(), 0, None),
            ("driver_delivery".to_owned(), 5, Some(1)),
            ("customer_pickup".to_owned(), 1, Some(1)),
        ]
    );
    let checkpoints: i64 = conn
        .query_row("SELECT count(*) FROM checkpoints", [], |r| r.get(0))
        .unwrap();
    assert!(checkpoints >= 1, "a checkpoint is signed on the way out");

    // Secrets stay secret: not in the logs, not in an export, not left on the terminal.
    let export = kiosk_command(
        &config,
        &[
            "export", "--format", "csv", "--format", "json", "--format", "ndjson",
        ],
        None,
    );
    assert_eq!(export.status.code(), Some(0), "{}", text(&export.stderr));
    let pepper = std::fs::read(dir.path().join("data/pepper.bin")).unwrap();
    let secrets: Vec<Vec<u8>> = vec![
        b"480915".to_vec(),
        code.as_bytes().to_vec(),
        pepper.clone(),
        hex::encode(&pepper).into_bytes(),
    ];
    let mut searched = Vec::new();
    let mut walk = vec![dir.path().join("data/logs"), dir.path().join("exports")];
    while let Some(folder) = walk.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            for secret in &secrets {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_slice()),
                    "a secret is in {}",
                    path.display()
                );
            }
            searched.push(path);
        }
    }
    let logs: String = searched
        .iter()
        .filter(|p| p.starts_with(dir.path().join("data/logs")))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(
        logs.contains("recorded")
            && logs.contains("PIN verified")
            && logs.contains("kiosk stopped"),
        "{logs}"
    );
    let left_on_terminal = kiosk.contents();
    for secret in ["480915", code.as_str()] {
        assert!(
            !left_on_terminal.contains(secret),
            "{secret} is left on the terminal"
        );
    }
    // Nothing the kiosk made is reachable by other users.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode =
            |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir.path().join("data")), 0o700);
        assert_eq!(mode(&dir.path().join("data/logs")), 0o700);
        assert_eq!(mode(&dir.path().join("exports")), 0o700);
        for entry in std::fs::read_dir(dir.path().join("data")).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                assert_eq!(
                    mode(&path) & 0o077,
                    0,
                    "{} is readable by others",
                    path.display()
                );
            }
        }
    }
}

/// Where the terminal was first restored (alternate screen left, cursor shown) after the last
/// time the kiosk entered the alternate screen.
fn restored_at(raw: &[u8]) -> Option<usize> {
    let text = String::from_utf8_lossy(raw);
    let entered = text.rfind("\u{1b}[?1049h")?;
    let left = entered + text[entered..].find("\u{1b}[?1049l")?;
    let cursor_shown = entered + text[entered..].find("\u{1b}[?25h")?;
    Some(left.max(cursor_shown))
}

fn terminal_was_restored(raw: &[u8]) -> bool {
    restored_at(raw).is_some()
}

#[test]
fn sigterm_and_sighup_restore_the_terminal_and_exit_cleanly() {
    for signal in ["-TERM", "-HUP"] {
        let (_dir, config) = fresh_config();
        let mut kiosk = PtyKiosk::start(&config, (80, 24), &[]);
        kiosk.wait_for("WELCOME", WAIT);
        let killed = std::process::Command::new("kill")
            .arg(signal)
            .arg(kiosk.pid().to_string())
            .status()
            .unwrap();
        assert!(killed.success());
        assert_eq!(kiosk.wait_exit(WAIT), 0, "{signal}");
        assert!(
            terminal_was_restored(&kiosk.final_output(WAIT)),
            "{signal}: terminal not restored"
        );
    }
}

#[test]
fn a_panic_restores_the_terminal_before_its_message() {
    let (_dir, config) = fresh_config();
    let mut kiosk = PtyKiosk::start(&config, (80, 24), &[("HANDOFF_KIOSK_TEST_PANIC", "1")]);
    assert_eq!(kiosk.wait_exit(WAIT), 101);
    let raw = kiosk.final_output(WAIT);
    assert!(terminal_was_restored(&raw));
    let text = String::from_utf8_lossy(&raw);
    let restored = restored_at(&raw).unwrap();
    let message = text
        .find("deliberate test panic")
        .expect("the panic message is printed");
    assert!(
        message > restored,
        "the message comes after the terminal was restored"
    );
}

#[test]
fn ctrl_c_does_not_end_the_kiosk_in_kiosk_mode() {
    let (_dir, config) = fresh_config();
    let mut kiosk = PtyKiosk::start(&config, (80, 24), &[]);
    kiosk.wait_for("WELCOME", WAIT);
    kiosk.send("\u{3}\u{1a}\u{1c}");
    kiosk.wait_for("Kiosk mode", WAIT);
    std::thread::sleep(Duration::from_millis(200));
    assert!(kiosk.contents().contains("WELCOME"), "still running");
    let killed = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(kiosk.pid().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    assert_eq!(kiosk.wait_exit(WAIT), 0);
}

#[test]
fn a_small_terminal_gets_the_enlarge_message() {
    let (_dir, config) = fresh_config();
    let mut kiosk = PtyKiosk::start(&config, (60, 20), &[]);
    kiosk.wait_for("Enlarge the window", WAIT);
    kiosk.wait_for("60x20", WAIT);
    let killed = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(kiosk.pid().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    assert_eq!(kiosk.wait_exit(WAIT), 0);
}

#[test]
fn drop_off_driver_pickup_with_an_expired_parcel_search_and_verify() {
    // A parcel received 30 days ago, recorded through the library with a clock set back then:
    // it is expired when the kiosk starts today.
    // Enrolled then too: the kiosk records nothing behind its newest event.
    let mut seeded = new_kiosk();
    seeded
        .clock
        .set(chrono::Utc::now() - chrono::Duration::days(30));
    let manager = seeded.enrol(
        "Ana Diaz",
        handoff_kiosk::domain::staff::Role::Manager,
        MANAGER_PIN,
    );
    let proof = seeded.sign_in(manager, MANAGER_PIN);
    let old_delivery = handoff_kiosk::store::HandoffRequest {
        kind: handoff_kiosk::domain::custody::EventKind::DriverDelivery,
        counterparty: driver("D-1"),
        items: vec![handoff_kiosk::store::HandoffItem::on_shelf(
            tracking("3318810025"),
            "X",
        )],
        token_id: None,
        note: String::new(),
    };
    use handoff_kiosk::domain::clock::Clock;
    let then = seeded.clock.now();
    seeded.kiosk.record(&proof, &[old_delivery], then).unwrap();
    let config = seeded.config_path();
    let ledger = seeded.ledger_path();
    drop(seeded.kiosk);

    let mut kiosk = PtyKiosk::start(&config, (100, 32), &[]);
    kiosk.wait_for("LOCKED", WAIT);
    kiosk.send("\r480915\r");
    kiosk.wait_for("Signed in as Ana Diaz", WAIT);
    kiosk.wait_for("1 EXPIRED PARCEL WAITING", WAIT);

    kiosk.send("o");
    kiosk.wait_for("Customer name or reference", WAIT);
    kiosk.send("walk-in customer\r");
    kiosk.wait_for("Scan each parcel's label", WAIT);
    kiosk.send("RB123456785GB\r");
    kiosk.wait_for("RB123456785GB added", WAIT);
    kiosk.send("\r");
    kiosk.wait_for("Your PIN to record this drop-off", WAIT);
    kiosk.send("480915\r");
    kiosk.wait_for("Recorded: 1 parcel taken in", WAIT);

    kiosk.send("\rt");
    kiosk.wait_for("DRIVER PICKUP", WAIT);
    kiosk.wait_for("hold expired", WAIT);
    kiosk.send("3318810025\r");
    kiosk.wait_for("3318810025 on the cart", WAIT);
    kiosk.send("RB123456785GB\r");
    kiosk.wait_for("2 of 2 on the cart", WAIT);
    kiosk.send("\r");
    kiosk.wait_for("for 2 parcels", WAIT);
    kiosk.send("\r");
    kiosk.wait_for("Your PIN to record this pickup", WAIT);
    kiosk.send("480915\r");
    kiosk.wait_for("2 parcels left with the driver", WAIT);

    kiosk.send("\rf");
    kiosk.wait_for("FIND A PARCEL", WAIT);
    kiosk.send("3318810025");
    kiosk.wait_for("gone with a driver", WAIT);
    kiosk.send("\r");
    kiosk.wait_for("PARCEL HISTORY", WAIT);
    kiosk.wait_for("driver pickup", WAIT);
    assert!(kiosk.contents().contains("driver delivery"));

    let killed = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(kiosk.pid().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    assert_eq!(kiosk.wait_exit(WAIT), 0);

    let verify = kiosk_command(&config, &["verify"], None);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify.stdout));
    let conn = rusqlite::Connection::open(&ledger).unwrap();
    let kinds: Vec<String> = conn
        .prepare("SELECT kind FROM events ORDER BY seq")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        kinds,
        [
            "staff_enrolled",
            "driver_delivery",
            "customer_drop_off",
            "driver_pickup"
        ]
    );
    let token_used: i64 = conn
        .query_row(
            "SELECT count(*) FROM handshake_tokens WHERE used_seq = 4",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(token_used, 1, "the pickup used its handshake token");
}

#[test]
fn a_second_kiosk_on_the_same_ledger_is_refused_while_admin_commands_work() {
    let (dir, config) = fresh_config();
    let mut first = PtyKiosk::start(&config, (80, 24), &[]);
    first.wait_for("WELCOME", WAIT);
    let mut second = PtyKiosk::start(&config, (80, 24), &[]);
    assert_eq!(second.wait_exit(WAIT), 1);
    let said = String::from_utf8_lossy(&second.final_output(WAIT)).into_owned();
    assert!(
        said.contains("another kiosk is already running on this ledger"),
        "{said}"
    );
    assert!(said.contains(&format!("pid {}", first.pid())), "{said}");
    // Beside the running kiosk, the admin commands still work.
    let verify = kiosk_command(&config, &["verify"], None);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify.stderr));
    let copy = dir.path().join("copy.sqlite3");
    let backup = kiosk_command(&config, &["backup", "--out", copy.to_str().unwrap()], None);
    assert_eq!(backup.status.code(), Some(0), "{}", text(&backup.stderr));
    assert!(
        first.contents().contains("WELCOME"),
        "the first kiosk is undisturbed"
    );
    let killed = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(first.pid().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    assert_eq!(first.wait_exit(WAIT), 0);
    // Once it has gone, a new kiosk may start.
    let third = PtyKiosk::start(&config, (80, 24), &[]);
    third.wait_for("WELCOME", WAIT);
}

fn run_quietly(program: &str, args: &[&str]) -> bool {
    std::process::Command::new(program)
        .args(args)
        .status()
        .is_ok_and(|status| status.success())
}

#[test]
fn a_write_protected_ledger_starts_read_only_and_records_nothing() {
    // Root writes through any permission bits, so the kiosk runs as `nobody` here.
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| text(&out.stdout).trim() == "0");
    if !is_root || !run_quietly("setpriv", &["--version"]) {
        eprintln!("skipped: needs root and setpriv to run the kiosk as another user");
        return;
    }
    let (dir, config) = fresh_config();
    assert_eq!(
        kiosk_command(&config, &["init"], None).status.code(),
        Some(0)
    );
    let added = kiosk_command(
        &config,
        &["staff", "add", "--name", "Ana", "--role", "manager"],
        Some("480915\n"),
    );
    assert_eq!(added.status.code(), Some(0));
    let data = dir.path().join("data");
    let root = dir.path().to_str().unwrap();
    assert!(run_quietly("chmod", &["0755", root]));
    assert!(run_quietly("chmod", &["0644", config.to_str().unwrap()]));
    assert!(run_quietly(
        "chown",
        &["-R", "nobody", data.to_str().unwrap()]
    ));
    assert!(run_quietly("chmod", &["-R", "a-w", data.to_str().unwrap()]));
    let ledger = data.join("ledger.sqlite3");
    let before = std::fs::read(&ledger).unwrap();
    let as_nobody = |args: &[&str]| -> Vec<String> {
        let mut all = vec![
            "--reuid=nobody".to_owned(),
            "--regid=nogroup".to_owned(),
            "--clear-groups".to_owned(),
            env!("CARGO_BIN_EXE_kiosk").to_owned(),
        ];
        all.extend(args.iter().map(|a| (*a).to_owned()));
        all
    };
    let config_arg = config.to_str().unwrap();
    let args = as_nobody(&["--config", config_arg]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut kiosk = PtyKiosk::start_program("setpriv", &args, (80, 24), &[]);
    kiosk.wait_for("READ-ONLY: THIS KIOSK CANNOT RECORD HANDOFFS", WAIT);
    kiosk.wait_for("READ-ONLY │", WAIT);
    // Quitting still takes a manager's PIN, checked without writing.
    kiosk.send(F10);
    kiosk.wait_for("QUIT THE KIOSK", WAIT);
    kiosk.send("\r480915\r");
    assert_eq!(kiosk.wait_exit(WAIT), 0);
    assert_eq!(
        std::fs::read(&ledger).unwrap(),
        before,
        "not a byte of the ledger changed"
    );
    // `verify` works on a read-only ledger; recording commands say why they cannot.
    let verify = as_nobody(&["--config", config_arg, "verify"]);
    let output = std::process::Command::new("setpriv")
        .args(&verify)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    let checkpoint = as_nobody(&["--config", config_arg, "checkpoint"]);
    let output = std::process::Command::new("setpriv")
        .args(&checkpoint)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("read-only"),
        "{}",
        text(&output.stderr)
    );
    assert!(run_quietly(
        "chown",
        &["-R", "root", data.to_str().unwrap()]
    ));
    assert!(run_quietly("chmod", &["-R", "u+w", data.to_str().unwrap()]));
}

/// Issue #13 at a real terminal on the shipped kiosk.toml: parcels announced by their tracking
/// numbers (`kiosk import-expected`) and scanned from their barcodes as a wedge scanner types
/// them (USPS `420`+ZIP, GS, the number; FedEx's 34 digits; DPD's `%` form) are matched as
/// announced, and each customer's code then finds theirs.
#[test]
fn barcodes_of_announced_parcels_match_and_the_codes_find_them() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), DEFAULT_CONFIG_TEXT);
    let announcement = dir.path().join("announce.csv");
    std::fs::write(
        &announcement,
        "tracking_id,recipient_name,pickup_code,postal_code\n\
         9205590164917312751089,Dana Reyes,482913,85004\n\
         617767839437,Eli Novak,771204,85004\n\
         09980000020033,Fay Okafor,390517,85004\n",
    )
    .unwrap();
    let init = kiosk_command(&config, &["init"], None);
    assert!(init.status.success(), "{}", text(&init.stderr));
    let imported = kiosk_command(
        &config,
        &["import-expected", announcement.to_str().unwrap()],
        None,
    );
    assert!(imported.status.success(), "{}", text(&imported.stderr));

    let mut kiosk = PtyKiosk::start(&config, (80, 24), &[]);
    kiosk.enrol_first_manager("480915", WAIT);
    kiosk.send("d");
    kiosk.wait_for("Driver: scan this code", WAIT);
    kiosk.send("\r");
    kiosk.wait_for("Scan:", WAIT);
    // GS is byte 0x1D, as the scanner sends it.
    kiosk.send("42085004\u{1d}9205590164917312751089\r");
    kiosk.wait_for("9205590164917312751089 expected", WAIT);
    kiosk.send("1001901781990001000300617767839437\r");
    kiosk.wait_for("617767839437 expected", WAIT);
    kiosk.send("%008182709980000020033350276\r");
    kiosk.wait_for("09980000020033 expected", WAIT);
    kiosk.send("\r");
    kiosk.wait_for("Your PIN to record this delivery", WAIT);
    kiosk.send("480915\r");
    kiosk.wait_for("Recorded: 3 parcels received", WAIT);
    kiosk.send("\r");
    for (code, name) in [
        ("482913", "Dana Reyes"),
        ("771204", "Eli Novak"),
        ("390517", "Fay Okafor"),
    ] {
        kiosk.send("p");
        kiosk.wait_for("pickup code", WAIT);
        kiosk.send(&format!("{code}\r"));
        kiosk.wait_for(&format!("For {name}: 1 parcel"), WAIT);
        kiosk.send("\u{1b}");
        kiosk.wait_for("Press Esc again", WAIT);
        kiosk.send("\u{1b}");
        kiosk.wait_for("Handoff discarded", WAIT);
    }
    kiosk.send("l");
    kiosk.wait_for("LOCKED", WAIT);
    kiosk.send(F10);
    kiosk.wait_for("a manager enters their PIN", WAIT);
    kiosk.send("\r480915\r");
    assert_eq!(kiosk.wait_exit(WAIT), 0);
    drop(dir);
}
