//! Ledger administration: `init`, `verify`, `checkpoint`, `backup`, `key show`.

use std::path::Path;
use std::process::ExitCode;

use chrono::Utc;

use super::Failure;
use crate::config::KioskConfig;
use crate::domain::clock::{Clock, SystemClock};
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
    if report.is_ok() && key_problems.is_empty() && unsigned_days.is_empty() {
        println!(
            "ok: {} events, chain intact up to event {} (head {head}); {} checkpoints verified under key {} ({key_source}); {}; {}",
            report.events_checked,
            report.events_checked,
            report.checkpoints_checked,
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

pub fn backup(config: &KioskConfig, out: &Path) -> Result<ExitCode, Failure> {
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
    println!(
        "backup written to {} at {} (integrity ok)",
        out.display(),
        Utc::now().format("%Y-%m-%d %H:%M:%S UTC")
    );
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
