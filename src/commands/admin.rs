//! Ledger administration: `init`, `verify`, `checkpoint`, `backup`, `key show`.

use std::path::Path;
use std::process::ExitCode;

use chrono::Utc;

use super::Failure;
use crate::config::KioskConfig;
use crate::domain::clock::{Clock, SystemClock};
use crate::setup::{self, Kiosk};
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

pub fn verify(config: &KioskConfig, chain_only: bool) -> Result<ExitCode, Failure> {
    let store = setup::open_ledger(config)?;
    let public_key = setup::ledger_public_key(&store)?;
    let depth = if chain_only {
        FileCheck::ChainOnly
    } else {
        FileCheck::Full
    };
    let report = store.verify(config.store.id.as_str(), &public_key, depth)?;
    let head = report.head_hash.map(hex::encode).unwrap_or_default();
    if report.is_ok() {
        println!(
            "ok: {} events, chain intact up to event {} (head {head}); {} checkpoints verified under key {}; {}",
            report.events_checked,
            report.events_checked,
            report.checkpoints_checked,
            public_key.key_id(),
            match depth {
                FileCheck::Full => "SQLite integrity ok",
                FileCheck::ChainOnly => "SQLite's file check skipped (--chain-only)",
            }
        );
        return Ok(ExitCode::SUCCESS);
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
