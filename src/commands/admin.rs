//! Ledger administration: `init`, `verify`, `checkpoint`, `backup`, `key show`.

use std::path::Path;
use std::process::ExitCode;

use super::Failure;
use crate::config::KioskConfig;
use crate::domain::clock::{Clock, SystemClock};
use crate::domain::store_time;
use crate::secrets::{create_private_dir, create_secret_file, read_secret_file};
use crate::service::Kiosk;
use crate::setup;
use crate::store::{FileCheck, OpenMode, Store};

pub fn init(config: &KioskConfig) -> Result<ExitCode, Failure> {
    let report = setup::init(config)?;
    for made in &report.created {
        println!("created {made}");
    }
    for kept in &report.kept {
        println!("kept    {kept} (already there)");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn verify(
    config: &KioskConfig,
    chain_only: bool,
    pubkey: Option<&Path>,
) -> Result<ExitCode, Failure> {
    let store = setup::open_ledger(config)?;
    // The key comes from outside the database: a key replaced inside it would otherwise vouch
    // for checkpoints its holder signed over a rewritten history.
    let (public_key, key_source) = match pubkey {
        Some(path) => (super::export::read_key(path)?, path.display().to_string()),
        None => (
            setup::configured_public_key(config).map_err(|e| {
                Failure::usage(format!(
                    "{e}; or give the store's public key with --pubkey FILE"
                ))
            })?,
            config.ledger.signing_key.display().to_string(),
        ),
    };
    let mut key_problems = Vec::new();
    match setup::ledger_public_key(&store) {
        Ok(recorded) if recorded.to_hex() != public_key.to_hex() => key_problems.push(format!(
            "the ledger records store key {}, but the store's key ({key_source}) is {}: the recorded key was replaced",
            recorded.key_id(),
            public_key.key_id()
        )),
        Ok(_) => {}
        Err(_) => key_problems.push("the ledger has no readable store key recorded".to_owned()),
    }
    let depth = if chain_only {
        FileCheck::ChainOnly
    } else {
        FileCheck::Full
    };
    let report = store.verify(config.store.id.as_str(), &public_key, depth)?;
    let today = config.calendar.local_date(SystemClock.now());
    let unsigned_days: Vec<_> = store
        .days_after(report.covered_by_checkpoints, &config.calendar)?
        .into_iter()
        .filter(|day| *day < today)
        .collect();
    let head = report.head_hash.map(hex::encode).unwrap_or_default();
    let receipt = crate::link::verify::check_latest_receipt(&store, config)?;
    if let crate::link::verify::ReceiptCheck::Fails(problem) = &receipt {
        key_problems.push(problem.clone());
    }
    if let crate::link::verify::ReceiptCheck::Matches {
        last_seq,
        acknowledged_at,
    } = &receipt
    {
        println!(
            "ok: the chain holds the head head office acknowledged at event {last_seq} ({acknowledged_at})"
        );
    }
    if report.is_ok() && key_problems.is_empty() && unsigned_days.is_empty() {
        println!(
            "ok: {}, chain intact up to event {} (head {head}); {} verified under key {} ({key_source}); {}; {}",
            plural(report.events_checked, "event"),
            report.events_checked,
            plural(report.checkpoints_checked, "checkpoint"),
            public_key.key_id(),
            if report.derived_checked {
                "parcels, expected parcels, staff, tokens and event parcels match the events"
            } else {
                "derived tables not checked (--chain-only)"
            },
            match depth {
                FileCheck::Full => "SQLite integrity ok",
                FileCheck::ChainOnly => "SQLite's file check skipped (--chain-only)",
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    for problem in &key_problems {
        println!("FAILED: {problem}");
    }
    if let Some(fault) = &report.chain_fault {
        println!(
            "FAILED at event {}: {fault}. The chain is intact up to event {}.",
            fault.seq(),
            report.events_checked
        );
    }
    for problem in &report.checkpoint_problems {
        println!("FAILED: {problem}");
    }
    if !unsigned_days.is_empty() {
        let days: Vec<String> = unsigned_days.iter().map(ToString::to_string).collect();
        println!(
            "FAILED: store days with events but no signed checkpoint after them: {} (checkpoints were deleted, or the kiosk was not running at the day's end: start it or run `kiosk checkpoint`)",
            days.join(", ")
        );
    }
    for problem in &report.derived_problems {
        println!("FAILED: {problem}");
    }
    for problem in &report.integrity_problems {
        println!("FAILED: SQLite integrity check: {problem}");
    }
    Ok(ExitCode::from(super::EXIT_CHECK_FAILED))
}

pub fn checkpoint(config: &KioskConfig) -> Result<ExitCode, Failure> {
    let mut kiosk = Kiosk::open(config)?;
    let record =
        kiosk
            .store
            .write_checkpoint(&kiosk.key, config.store.id.as_str(), SystemClock.now())?;
    println!(
        "checkpoint #{}: {} events, head {}, signed with key {}",
        record.id,
        record.checkpoint.event_count,
        hex::encode(record.checkpoint.head_hash),
        record.key_id
    );
    Ok(ExitCode::SUCCESS)
}

/// What a person reads after a backup, in one place.
mod words {
    pub const SECRETS_NOT_INCLUDED: &str = "\
Without the pepper no PIN can be checked after a restore (every PIN is lost);
without the signing key no checkpoint can be signed. Back them up once with
`kiosk backup --with-secrets DIR` and keep that folder apart, locked away.";

    pub const SECRETS_WARNING: &str = "\
WARNING: this folder holds the store's secrets. With it anyone can sign
checkpoints as this store and try PINs away from the kiosk. Keep it offline and
locked away, apart from ordinary ledger backups; never e-mail or share it.
To restore, copy each file back to the path kiosk.toml gives it (mode 0600).";

    pub const README: &str = "\
A handoff-kiosk backup WITH SECRETS: the ledger, the pepper and the store's
signing key. Anyone holding these files can sign checkpoints as this store and
try PINs offline. Keep this folder offline and locked away.
To restore, copy each file back to the path kiosk.toml gives it (mode 0600).
";
}

/// Copies the ledger to `out` (a new file) and proves the copy opens and passes SQLite's check.
fn copy_ledger(config: &KioskConfig, out: &Path) -> Result<(), Failure> {
    let store = setup::open_ledger(config)?;
    store.backup_to(out)?;
    // Prove the copy is usable before saying so.
    let copy = Store::open(out, OpenMode::Existing)?;
    let problems = copy.integrity_problems()?;
    if !problems.is_empty() {
        return Err(Failure::check(format!(
            "the backup at {} failed its integrity check: {}",
            out.display(),
            problems.join("; ")
        )));
    }
    Ok(())
}

pub fn backup(config: &KioskConfig, out: &Path) -> Result<ExitCode, Failure> {
    copy_ledger(config, out)?;
    println!(
        "backup written to {} at {} (integrity ok)",
        out.display(),
        store_time::for_people(SystemClock.now(), &config.store.time_zone)
    );
    println!(
        "NOT included: the pepper ({}) and the signing key ({}).",
        config.security.pepper_file.display(),
        config.ledger.signing_key.display()
    );
    println!("{}", words::SECRETS_NOT_INCLUDED);
    Ok(ExitCode::SUCCESS)
}

/// The ledger, the pepper and the signing key in a new folder only this user can enter.
pub fn backup_with_secrets(config: &KioskConfig, folder: &Path) -> Result<ExitCode, Failure> {
    if folder.exists() {
        return Err(Failure::usage(format!(
            "{} already exists: give a new folder (a backup never overwrites)",
            folder.display()
        )));
    }
    // Read both secrets first, so that nothing is made when one is missing or exposed.
    let secret = |path: &Path, what: &'static str, label: &'static str| {
        read_secret_file(path, what)
            .map(|bytes| (path.to_path_buf(), what, label, bytes))
            .map_err(|e| Failure::check(e.to_string()))
    };
    let secrets = [
        secret(
            &config.security.pepper_file,
            setup::PEPPER,
            "the pepper: every PIN needs it",
        )?,
        secret(
            &config.ledger.signing_key,
            "signing key",
            "the signing key: every checkpoint needs it",
        )?,
    ];
    let unwritable = |e: std::io::Error| {
        Failure::check(format!(
            "cannot create the folder {}: {e}",
            folder.display()
        ))
    };
    create_private_dir(folder).map_err(unwritable)?;
    #[cfg(unix)]
    {
        // The mode asked for at creation is narrowed by the umask, never widened; make sure.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700))
            .map_err(unwritable)?;
    }
    let inside = |path: &Path, fallback: &str| {
        folder.join(path.file_name().unwrap_or(std::ffi::OsStr::new(fallback)))
    };
    let ledger = inside(&config.ledger.database, "ledger.sqlite3");
    copy_ledger(config, &ledger)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ledger, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Failure::check(format!("cannot protect {}: {e}", ledger.display())))?;
    }
    let mut written = vec![(ledger, "the ledger")];
    for (path, what, label, bytes) in &secrets {
        let copy = inside(path, what);
        create_secret_file(&copy, what, bytes).map_err(|e| Failure::check(e.to_string()))?;
        written.push((copy, *label));
    }
    create_secret_file(&folder.join("README.txt"), "note", words::README.as_bytes())
        .map_err(|e| Failure::check(e.to_string()))?;
    println!(
        "backup with secrets written to {} at {} (integrity ok):",
        folder.display(),
        store_time::for_people(SystemClock.now(), &config.store.time_zone)
    );
    for (path, what) in &written {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        println!("  {name:<24} {what}");
    }
    println!("{}", words::SECRETS_WARNING);
    Ok(ExitCode::SUCCESS)
}

pub fn key_show(config: &KioskConfig) -> Result<ExitCode, Failure> {
    let store = setup::open_ledger(config)?;
    let public_key = setup::ledger_public_key(&store)?;
    println!("store       {}", config.store.id);
    println!("algorithm   Ed25519");
    println!("public key  {}", public_key.to_hex());
    println!("key id      {}", public_key.key_id());
    Ok(ExitCode::SUCCESS)
}

/// "1 checkpoint", "2 checkpoints".
fn plural(count: impl std::fmt::Display, noun: &str) -> String {
    match count.to_string().as_str() {
        "1" => format!("1 {noun}"),
        count => format!("{count} {noun}s"),
    }
}
