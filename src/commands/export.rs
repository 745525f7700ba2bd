//! `kiosk export` and `kiosk verify-export`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;

use super::{EXIT_CHECK_FAILED, Failure};
use crate::cli::FormatArg;
use crate::config::KioskConfig;
use crate::domain::clock::{Clock, SystemClock};
use crate::domain::export::Manifest;
use crate::domain::export_continuity::{ExportSpan, check_continuity};
use crate::domain::export_verify::verify_export;
use crate::domain::signing::StorePublicKey;
use crate::export::{ExportError, ExportFormat, days_complete, export_days, read_export_folder};
use crate::service::Kiosk;
use crate::setup;

pub fn export(
    config: &KioskConfig,
    date: Option<NaiveDate>,
    range: Option<(NaiveDate, NaiveDate)>,
    out: Option<&Path>,
    formats: &[FormatArg],
) -> Result<ExitCode, Failure> {
    let now = SystemClock.now();
    let (from, to) = range.unwrap_or_else(|| {
        let day = date.unwrap_or_else(|| config.calendar.local_date(now));
        (day, day)
    });
    let formats: Vec<ExportFormat> = if formats.is_empty() {
        vec![ExportFormat::Csv, ExportFormat::Json]
    } else {
        formats
            .iter()
            .map(|format| match format {
                FormatArg::Csv => ExportFormat::Csv,
                FormatArg::Json => ExportFormat::Json,
                FormatArg::Ndjson => ExportFormat::Ndjson,
            })
            .collect()
    };
    let kiosk = Kiosk::open(config)?;
    let out = out.map_or_else(|| config.ledger.export_dir.clone(), Path::to_path_buf);
    let outcome =
        export_days(&kiosk, from, to, &formats, &out, now, &mut |_, _| {}).map_err(|error| {
            match error {
                ExportError::Exists(_) | ExportError::BadRange { .. } => {
                    Failure::usage(error.to_string())
                }
                other => Failure::check(other.to_string()),
            }
        })?;
    let body = &outcome.body;
    println!(
        "exported {} events ({}) of {} {} to {}",
        body.event_count,
        match (body.first_seq, body.last_seq) {
            (Some(first), Some(last)) => format!("events {first} to {last}"),
            _ => "none".to_owned(),
        },
        body.store_id,
        if from == to {
            from.to_string()
        } else {
            format!("{from} to {to}")
        },
        outcome.folder.display()
    );
    for file in &body.files {
        println!(
            "  {:<14} {:>10} bytes  sha256 {}",
            file.name, file.bytes, file.sha256
        );
    }
    println!("  manifest.json  signed with key {}", body.key_id);
    if !days_complete(&config.calendar, to, now) {
        eprintln!(
            "warning: {to} has not ended yet (store time): events recorded later that day are not in this export, and its manifest says \"complete\": false"
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn read_key(path: &Path) -> Result<StorePublicKey, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::usage(format!("cannot read the key file {}: {e}", path.display())))?;
    let from_hex = String::from_utf8_lossy(&bytes)
        .split_whitespace()
        .filter(|word| word.len() == 64)
        .find_map(|word| hex::decode(word).ok());
    StorePublicKey::from_bytes(&from_hex.unwrap_or(bytes)).map_err(|e| {
        Failure::usage(format!(
            "{} does not hold an Ed25519 public key: {e}",
            path.display()
        ))
    })
}

pub fn verify(
    dirs: &[PathBuf],
    pubkey: Option<&Path>,
    config: Option<&KioskConfig>,
) -> Result<ExitCode, Failure> {
    let key = match (pubkey, config) {
        (Some(path), _) => read_key(path)?,
        (None, Some(config)) => setup::ledger_public_key(&setup::open_ledger(config)?)?,
        (None, None) => return Err(Failure::usage("give --pubkey or a --config with a ledger")),
    };
    // With several folders each line names its folder; one folder prints as it always did.
    let several = dirs.len() > 1;
    let mut spans = Vec::new();
    let mut failed = false;
    for dir in dirs {
        let label = dir.file_name().map_or_else(
            || dir.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        );
        let prefix = if several {
            format!("{label}: ")
        } else {
            String::new()
        };
        let (manifest, files) = read_export_folder(dir).map_err(Failure::usage)?;
        match verify_export(&manifest, &files, &key) {
            Ok(summary) => {
                println!(
                    "{prefix}ok: {} {} to {}: {} events ({}), {} files, signed by key {}",
                    summary.store_id,
                    summary.from_date,
                    summary.to_date,
                    summary.event_count,
                    event_range(summary.first_seq, summary.last_seq),
                    summary.files,
                    key.key_id()
                );
                if summary.complete == Some(false) {
                    println!(
                        "{prefix}note: made before {} had ended (\"complete\": false); a later export of that day may hold more events",
                        summary.to_date
                    );
                }
                // Verified just now, so it parses; the continuity check needs its fields.
                if let Ok(parsed) = serde_json::from_slice::<Manifest>(&manifest) {
                    spans.push(ExportSpan::of(&label, &parsed.body));
                }
            }
            Err(problems) => {
                failed = true;
                for problem in problems {
                    println!("{prefix}FAILED: {problem}");
                }
            }
        }
    }
    if several && !failed {
        match check_continuity(&spans) {
            Ok(run) => println!(
                "ok: {} exports follow on: {} to {}, {} events ({})",
                run.exports,
                run.from_date,
                run.to_date,
                run.event_count,
                event_range(run.first_seq, run.last_seq)
            ),
            Err(problems) => {
                failed = true;
                for problem in problems {
                    println!("FAILED: {problem}");
                }
            }
        }
    }
    Ok(if failed {
        ExitCode::from(EXIT_CHECK_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

fn event_range(first: Option<u64>, last: Option<u64>) -> String {
    match (first, last) {
        (Some(first), Some(last)) => format!("{first} to {last}"),
        _ => "none".to_owned(),
    }
}
