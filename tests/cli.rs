//! The admin command line, run as a manager would run it, on real files.

mod common;

use std::path::Path;

use common::*;
use handoff_kiosk::config::DEFAULT_CONFIG_TEXT;
use sha2::{Digest, Sha256};

fn run(config: &Path, args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let output = kiosk_command(config, args, stdin);
    (
        output.status.code().unwrap_or(-1),
        text(&output.stdout),
        text(&output.stderr),
    )
}

fn initialised() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), DEFAULT_CONFIG_TEXT);
    let (code, _, err) = run(&config, &["init"], None);
    assert_eq!(code, 0, "{err}");
    (dir, config)
}

fn file_digest(path: &Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

#[test]
fn init_enrol_verify_and_the_pin_is_stored_only_as_argon2id() {
    let (dir, config) = initialised();
    let (code, out, err) = run(
        &config,
        &["staff", "add", "--name", "Ana", "--role", "manager"],
        Some("480915\n"),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("added staff 1: Ana (manager)"), "{out}");
    let (code, out, err) = run(&config, &["verify"], None);
    assert_eq!(code, 0, "{out}{err}");

    let ledger = dir.path().join("data/ledger.sqlite3");
    let conn = rusqlite::Connection::open(&ledger).unwrap();
    let phc: String = conn
        .query_row("SELECT pin_phc FROM staff WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert!(phc.starts_with("$argon2id$v=19$m=65536,t=3,p=1$"), "{phc}");
    drop(conn);
    for file in [
        "data/ledger.sqlite3",
        "data/ledger.sqlite3-wal",
        "data/ledger.sqlite3-shm",
    ] {
        let path = dir.path().join(file);
        if let Ok(bytes) = std::fs::read(&path) {
            assert!(
                !bytes.windows(6).any(|w| w == b"480915"),
                "the PIN's digits are in {file}"
            );
        }
    }
    #[cfg(unix)]
    for file in [
        "data/ledger.sqlite3",
        "data/pepper.bin",
        "data/store-signing.key",
    ] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join(file))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600, "{file} has mode {mode:o}");
    }
}

#[test]
fn init_is_idempotent_and_never_overwrites_a_secret() {
    let (dir, config) = initialised();
    let pepper = file_digest(&dir.path().join("data/pepper.bin"));
    let key = file_digest(&dir.path().join("data/store-signing.key"));
    let (code, out, _) = run(&config, &["init"], None);
    assert_eq!(code, 0);
    assert_eq!(out.matches("kept").count(), 3, "{out}");
    assert_eq!(pepper, file_digest(&dir.path().join("data/pepper.bin")));
    assert_eq!(key, file_digest(&dir.path().join("data/store-signing.key")));

    // A lost key is not silently replaced: the ledger's checkpoints depend on it.
    std::fs::remove_file(dir.path().join("data/store-signing.key")).unwrap();
    let (code, _, err) = run(&config, &["init"], None);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("signing key file") && err.contains("restore it from your backup"),
        "{err}"
    );
    assert!(!dir.path().join("data/store-signing.key").exists());
}

#[test]
fn weak_and_mismatched_pins_are_refused() {
    let (_dir, config) = initialised();
    let (code, _, err) = run(
        &config,
        &["staff", "add", "--name", "Bo", "--role", "clerk"],
        Some("123456\n"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("too easy to guess"), "{err}");
    let (code, _, err) = run(
        &config,
        &["staff", "add", "--name", "Bo", "--role", "clerk"],
        Some("739162\n739163\n"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("the two PINs differ"), "{err}");
    let (_, out, _) = run(&config, &["staff", "list"], None);
    assert!(out.contains("no staff yet"), "{out}");
}

#[test]
fn staff_disable_and_reset_pin() {
    let (_dir, config) = initialised();
    run(
        &config,
        &["staff", "add", "--name", "Ana", "--role", "manager"],
        Some("480915\n"),
    );
    run(
        &config,
        &["staff", "add", "--name", "Bo", "--role", "clerk"],
        Some("739162\n"),
    );
    let (code, _, _) = run(&config, &["staff", "disable", "2"], None);
    assert_eq!(code, 0);
    let (_, out, _) = run(&config, &["staff", "list"], None);
    assert!(
        out.lines()
            .any(|l| l.contains("Bo") && l.contains("disabled")),
        "{out}"
    );
    let (code, _, err) = run(&config, &["staff", "reset-pin", "2"], Some("826403\n"));
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = run(&config, &["staff", "list"], None);
    assert!(
        out.lines()
            .any(|l| l.contains("Bo") && l.ends_with("active")),
        "{out}"
    );
    let (code, _, err) = run(&config, &["staff", "reset-pin", "9"], Some("826403\n"));
    assert_eq!(code, 2);
    assert!(err.contains("no staff member 9"), "{err}");
    let (code, out, _) = run(&config, &["verify"], None);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("4 events"), "{out}");
}

#[test]
fn backup_makes_a_verified_copy_and_never_overwrites() {
    let (dir, config) = initialised();
    run(
        &config,
        &["staff", "add", "--name", "Ana", "--role", "manager"],
        Some("480915\n"),
    );
    let copy = dir.path().join("copy.sqlite3");
    let (code, out, err) = run(&config, &["backup", "--out", copy.to_str().unwrap()], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("integrity ok"));
    // Point a config at the copy (same key files) and verify it.
    let copy_config =
        DEFAULT_CONFIG_TEXT.replace("path = \"data/ledger.sqlite3\"", "path = \"copy.sqlite3\"");
    let other = dir.path().join("copy.toml");
    std::fs::write(&other, copy_config).unwrap();
    let (code, out, _) = run(&other, &["verify"], None);
    assert_eq!(code, 0, "{out}");
    let before = file_digest(&copy);
    let (code, _, err) = run(&config, &["backup", "--out", copy.to_str().unwrap()], None);
    assert_eq!(code, 1);
    assert!(err.contains("never overwrites"), "{err}");
    assert_eq!(before, file_digest(&copy));
}

#[test]
fn import_expected_checks_the_whole_file_first() {
    let (dir, config) = initialised();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "tracking_id,recipient_name,pickup_code\nTBA000000000001,Ana,482913\n1Z\u{1b}[2J,Bo,482914\n",
    )
    .unwrap();
    let (code, _, err) = run(&config, &["import-expected", bad.to_str().unwrap()], None);
    assert_eq!(code, 2);
    assert!(
        err.contains("line 3: tracking_id") && err.contains("U+001B"),
        "{err}"
    );
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "tracking_id,recipient_name,pickup_code\nTBA000000000001,Ana,482913\nTBA000000000002,Bo,482914\n",
    )
    .unwrap();
    let (code, out, err) = run(&config, &["import-expected", good.to_str().unwrap()], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 newly announced"), "{out}");
    // The codes are not in the ledger in the clear.
    let bytes = std::fs::read(dir.path().join("data/ledger.sqlite3")).unwrap();
    let wal = std::fs::read(dir.path().join("data/ledger.sqlite3-wal")).unwrap_or_default();
    for haystack in [&bytes, &wal] {
        assert!(!haystack.windows(6).any(|w| w == b"482913"));
    }
}

#[test]
fn unusable_ledger_files_are_refused_and_left_untouched() {
    type Damage<'a> = (&'a str, &'a dyn Fn(&Path));
    let scenarios: [Damage; 4] = [
        ("random bytes", &|path| {
            std::fs::write(path, [0x5a_u8; 8192]).unwrap()
        }),
        ("foreign SQLite", &|path| {
            std::fs::remove_file(path).unwrap();
            let conn = rusqlite::Connection::open(path).unwrap();
            conn.execute_batch(
                "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');",
            )
            .unwrap();
        }),
        ("newer version", &|path| {
            let conn = rusqlite::Connection::open(path).unwrap();
            conn.pragma_update(None, "user_version", 99).unwrap();
        }),
        ("truncated", &|path| {
            let bytes = std::fs::read(path).unwrap();
            std::fs::write(path, &bytes[..bytes.len() / 3]).unwrap();
        }),
    ];
    for (name, damage) in scenarios {
        let (dir, config) = initialised();
        run(
            &config,
            &["staff", "add", "--name", "Ana", "--role", "manager"],
            Some("480915\n"),
        );
        let ledger = dir.path().join("data/ledger.sqlite3");
        damage(&ledger);
        let before = file_digest(&ledger);
        for command in [&["verify"][..], &["init"][..], &["staff", "list"][..]] {
            let (code, out, err) = run(&config, command, None);
            assert_eq!(code, 2, "{name} {command:?}: {out}{err}");
            assert!(
                err.contains("not a handoff-kiosk ledger")
                    || err.contains("newer kiosk")
                    || err.contains("damaged"),
                "{name} {command:?}: {err}"
            );
            assert!(err.contains("left as it is"), "{name}: {err}");
            assert_eq!(
                before,
                file_digest(&ledger),
                "{name} {command:?} changed the file"
            );
        }
    }
}

#[test]
fn a_ledger_of_another_store_is_refused() {
    let (dir, _config) = initialised();
    let other = write_config(
        dir.path(),
        &DEFAULT_CONFIG_TEXT.replace("RVM-0045", "ZZZ-0001"),
    );
    let (code, _, err) = run(&other, &["verify"], None);
    assert_eq!(code, 2);
    assert!(
        err.contains("belongs to store RVM-0045") && err.contains("ZZZ-0001"),
        "{err}"
    );
}

#[test]
fn key_show_prints_the_public_key() {
    let (_dir, config) = initialised();
    let (code, out, _) = run(&config, &["key", "show"], None);
    assert_eq!(code, 0);
    let hex_key = out
        .lines()
        .find_map(|l| l.strip_prefix("public key  "))
        .unwrap();
    assert_eq!(hex_key.len(), 64);
    assert!(
        handoff_kiosk::domain::signing::StorePublicKey::from_bytes(&hex::decode(hex_key).unwrap())
            .is_ok()
    );
}

#[test]
fn no_ledger_means_run_init_first() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), DEFAULT_CONFIG_TEXT);
    let (code, _, err) = run(&config, &["verify"], None);
    assert_eq!(code, 2);
    assert!(err.contains("run `kiosk init` first"), "{err}");
    assert!(!dir.path().join("data/ledger.sqlite3").exists());
}

#[test]
fn a_plain_backup_says_the_pepper_and_key_are_not_in_it() {
    let (dir, config) = initialised();
    let copy = dir.path().join("plain.sqlite3");
    let (code, out, err) = run(&config, &["backup", "--out", copy.to_str().unwrap()], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("NOT included: the pepper") && out.contains("signing key"),
        "{out}"
    );
    assert!(out.contains("kiosk backup --with-secrets DIR"), "{out}");
    // Store time (the shipped store is in America/Phoenix), as on the kiosk's clock.
    assert!(
        out.contains(" MST (integrity ok)") && !out.contains("UTC"),
        "{out}"
    );
    assert!(
        out.lines()
            .all(|line| line.chars().count() <= 80 || line.contains('/')),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn backup_with_secrets_keeps_ledger_pepper_and_key_in_a_private_folder_that_restores() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, config) = initialised();
    run(
        &config,
        &["staff", "add", "--name", "Ana", "--role", "manager"],
        Some("480915\n"),
    );
    let folder = dir.path().join("vault");
    let (code, out, err) = run(
        &config,
        &["backup", "--with-secrets", folder.to_str().unwrap()],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("WARNING: this folder holds the store's secrets"),
        "{out}"
    );
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&folder), 0o700);
    for name in ["ledger.sqlite3", "pepper.bin", "store-signing.key"] {
        let file = folder.join(name);
        assert_eq!(mode(&file), 0o600, "{name}");
        assert!(out.contains(name), "{out}");
    }
    for name in ["pepper.bin", "store-signing.key"] {
        assert_eq!(
            file_digest(&folder.join(name)),
            file_digest(&dir.path().join("data").join(name)),
            "{name}"
        );
    }
    // The folder, put back as a data folder, verifies under its own key.
    let restored = dir.path().join("restored");
    std::fs::create_dir(&restored).unwrap();
    std::fs::rename(&folder, restored.join("data")).unwrap();
    let restored_config = write_config(&restored, DEFAULT_CONFIG_TEXT);
    let (code, out, err) = run(&restored_config, &["verify"], None);
    assert_eq!(code, 0, "{out}{err}");
    // A second run never overwrites.
    std::fs::create_dir(&folder).unwrap();
    let (code, _, err) = run(
        &config,
        &["backup", "--with-secrets", folder.to_str().unwrap()],
        None,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn verify_qr_gives_every_time_in_store_time_with_its_offset() {
    use handoff_kiosk::domain::clock::Clock;
    use handoff_kiosk::domain::handshake::Direction;
    let t = new_kiosk();
    let token = t
        .kiosk
        .issue_handshake(Direction::DeliveryToStore, None, t.clock.now())
        .unwrap();
    let config = t.config_path();
    let at_valid = (t.clock.now() + chrono::Duration::seconds(60)).to_rfc3339();
    let at_late = (token.claims.expires_at() + chrono::Duration::seconds(1)).to_rfc3339();
    let stamps = |json: &serde_json::Value| -> Vec<String> {
        let mut found = Vec::new();
        let mut stack = vec![json.clone()];
        while let Some(value) = stack.pop() {
            match value {
                serde_json::Value::Object(map) => stack.extend(map.into_iter().map(|(_, v)| v)),
                serde_json::Value::Array(items) => stack.extend(items),
                serde_json::Value::String(text) if text.contains(":") && text.contains('T') => {
                    found.push(text)
                }
                _ => {}
            }
        }
        found
    };
    let mut all = Vec::new();
    for args in [
        &["verify-qr", &token.text, "--at", &at_valid][..],
        &["verify-qr", &token.text, "--at", &at_late][..],
        &["verify-qr", "--code", &token.fallback_code][..],
    ] {
        let (_, out, err) = run(&config, args, None);
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        let found = stamps(&json);
        assert!(!found.is_empty(), "{out}");
        all.extend(found);
        assert!(!err.contains("UTC") && !err.contains("+00:00"), "{err}");
    }
    // America/Phoenix keeps -07:00 all year; never +00:00 beside it.
    let times: Vec<&String> = all.iter().filter(|s| s.starts_with("20")).collect();
    assert!(times.len() >= 6, "{all:?}");
    for stamp in &times {
        assert!(stamp.ends_with("-07:00"), "{stamp} in {all:?}");
    }
    let (_, _, err) = run(&config, &["verify-qr", &token.text, "--at", &at_late], None);
    assert!(
        err.contains("expired at 2026-11-24 10:0") && err.contains(" MST"),
        "{err}"
    );
}

#[test]
fn staff_names_are_unique_per_store_whatever_the_case_or_spacing() {
    let (_dir, config) = initialised();
    let (code, _, err) = run(
        &config,
        &["staff", "add", "--name", "Ana Diaz", "--role", "manager"],
        Some("480915\n"),
    );
    assert_eq!(code, 0, "{err}");
    for same in ["Ana Diaz", "ana diaz", "  ANA   Diaz "] {
        let (code, out, err) = run(
            &config,
            &["staff", "add", "--name", same, "--role", "clerk"],
            Some("739162\n"),
        );
        assert_eq!(code, 2, "{same:?}: {out}{err}");
        assert!(
            err.contains("name refused: \"Ana Diaz\" (staff number 1) already has that name"),
            "{err}"
        );
    }
    let (code, _, err) = run(
        &config,
        &["staff", "add", "--name", "Ana Diaz B", "--role", "clerk"],
        Some("739162\n"),
    );
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = run(&config, &["staff", "list"], None);
    assert_eq!(out.matches("Ana Diaz").count(), 2, "{out}");
}

#[test]
fn the_store_refuses_a_taken_name_for_any_caller() {
    use handoff_kiosk::domain::clock::Clock;
    use handoff_kiosk::domain::staff::Role;
    let mut t = new_kiosk();
    t.enrol("Bo Lee", Role::Clerk, CLERK_PIN);
    let hash = t
        .kiosk
        .pins
        .hash_new_pin(
            &handoff_kiosk::domain::pin::Pin::new("826403"),
            &t.kiosk.config.security.pin_policy,
        )
        .unwrap();
    let now = t.clock.now();
    let refused = t
        .kiosk
        .store
        .add_staff(
            "bo LEE",
            Role::Manager,
            &hash,
            handoff_kiosk::store::Actor::AdminCommandLine,
            now,
        )
        .unwrap_err()
        .to_string();
    assert!(refused.contains("already has that name"), "{refused}");
    assert_eq!(t.kiosk.store.list_staff().unwrap().len(), 1);
}

#[test]
fn staff_list_counts_wrong_pins_in_words() {
    use handoff_kiosk::domain::clock::Clock;
    use handoff_kiosk::domain::pin::Pin;
    use handoff_kiosk::domain::staff::Role;
    let mut t = new_kiosk();
    let clerk = t.enrol("Bo Lee", Role::Clerk, CLERK_PIN);
    let lockout = t.kiosk.config.security.lockout;
    let wrong = |t: &mut TestKiosk| {
        let clock = t.clock.clone();
        let pins = std::sync::Arc::clone(&t.kiosk.pins);
        let _ = t
            .kiosk
            .store
            .verify_pin(clerk, &Pin::new("605118"), &pins, &lockout, || clock.now());
    };
    wrong(&mut t);
    let (_, out, _) = run(&t.config_path(), &["staff", "list"], None);
    assert!(out.contains("active (1 wrong PIN)"), "{out}");
    wrong(&mut t);
    let (_, out, _) = run(&t.config_path(), &["staff", "list"], None);
    assert!(out.contains("active (2 wrong PINs in a row)"), "{out}");
}
