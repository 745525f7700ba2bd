//! `kiosk verify-qr`: what a driver app does offline with a scanned handshake code, and the
//! ledger-side lookup of a typed fallback code.

use std::path::Path;
use std::process::ExitCode;

use chrono::{DateTime, Local, Utc};
use serde_json::json;

use super::{EXIT_CHECK_FAILED, Failure};
use crate::config::KioskConfig;
use crate::domain::clock::{Clock, SystemClock};
use crate::domain::handshake::{TokenError, report, verify_token};
use crate::domain::signing::StorePublicKey;
use crate::domain::store_time;
use crate::setup;

/// Reads a public key file: the 64-hex-digit key anywhere in its text (so the output of
/// `kiosk key show` works as is), or exactly 32 raw bytes.
pub(super) fn read_public_key(path: &Path) -> Result<StorePublicKey, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::usage(format!("cannot read the key file {}: {e}", path.display())))?;
    let from_hex = String::from_utf8_lossy(&bytes)
        .split_whitespace()
        .filter(|word| word.len() == 64)
        .find_map(|word| hex::decode(word).ok());
    let raw = from_hex.unwrap_or(bytes);
    StorePublicKey::from_bytes(&raw).map_err(|e| {
        Failure::usage(format!(
            "{} does not hold an Ed25519 public key: {e}",
            path.display()
        ))
    })
}

fn parse_instant(text: Option<&str>) -> Result<DateTime<Utc>, Failure> {
    match text {
        None => Ok(SystemClock.now()),
        Some(text) => DateTime::parse_from_rfc3339(text)
            .map(|instant| instant.with_timezone(&Utc))
            .map_err(|e| Failure::usage(format!("--at {text:?} is not an RFC 3339 time: {e}"))),
    }
}

pub fn check_text(
    text: &str,
    at: Option<&str>,
    pubkey: Option<&Path>,
    config: Option<&KioskConfig>,
) -> Result<ExitCode, Failure> {
    let now = parse_instant(at)?;
    let (key, expected_store) = match (pubkey, config) {
        (Some(path), config) => (read_public_key(path)?, config.map(|c| c.store.id.clone())),
        (None, Some(config)) => {
            let store = setup::open_ledger(config)?;
            (
                setup::ledger_public_key(&store)?,
                Some(config.store.id.clone()),
            )
        }
        (None, None) => return Err(Failure::usage("give --pubkey or a --config with a ledger")),
    };
    // Every time in the output in one zone: the store's when its config is at hand (as on the
    // kiosk's clock), else this machine's own (a driver checking offline).
    let zone = config.map(|config| config.store.time_zone);
    let for_machines = |instant: DateTime<Utc>| match &zone {
        Some(zone) => store_time::for_machines(instant, zone),
        None => store_time::for_machines(instant, &Local),
    };
    let for_people = |instant: DateTime<Utc>| match &zone {
        Some(zone) => store_time::for_people(instant, zone),
        None => store_time::for_people(instant, &Local),
    };
    // Outside text may hold anything; never echo control characters back to the terminal.
    let text = text.trim();
    match verify_token(text, &key, expected_store.as_ref(), now) {
        Ok((claims, code)) => {
            let mut fields = serde_json::to_value(report(&claims, &code))
                .map_err(|e| Failure::check(e.to_string()))?;
            if let Some(object) = fields.as_object_mut() {
                object.insert("valid".into(), json!(true));
                object.insert("key_id".into(), json!(key.key_id()));
                object.insert("issued_at".into(), json!(for_machines(claims.issued_at)));
                object.insert(
                    "expires_at".into(),
                    json!(for_machines(claims.expires_at())),
                );
                object.insert("checked_at".into(), json!(for_machines(now)));
            }
            println!(
                "{}",
                serde_json::to_string_pretty(&fields).unwrap_or_default()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            let verdict = json!({
                "valid": false,
                "reason": error.reason(),
                "message": refusal_words(&error, for_machines),
                "checked_at": for_machines(now),
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&verdict).unwrap_or_default()
            );
            eprintln!(
                "kiosk: the handshake code is refused: {}",
                refusal_words(&error, for_people)
            );
            Ok(ExitCode::from(EXIT_CHECK_FAILED))
        }
    }
}

/// The refusal with its time written by `time` (the domain's own words give UTC).
fn refusal_words(error: &TokenError, time: impl Fn(DateTime<Utc>) -> String) -> String {
    match error {
        TokenError::Expired { expired_at } => format!("expired at {}", time(*expired_at)),
        TokenError::NotYetValid { issued_at } => {
            format!(
                "not yet valid: issued at {}, ahead of this clock",
                time(*issued_at)
            )
        }
        other => other.to_string(),
    }
}

pub fn trace_code(config: &KioskConfig, code: &str) -> Result<ExitCode, Failure> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Failure::usage("a fallback code is 6 digits"));
    }
    let store = setup::open_ledger(config)?;
    let tokens = store.tokens_with_code(code)?;
    if tokens.is_empty() {
        println!("{}", json!({ "found": false, "code": code }));
        eprintln!("kiosk: no handshake token with code {code} was issued by this kiosk");
        return Ok(ExitCode::from(EXIT_CHECK_FAILED));
    }
    let zone = config.store.time_zone;
    let listed: Vec<_> = tokens
        .iter()
        .map(|token| {
            json!({
                "token_id": token.token_id,
                "direction": token.direction,
                "issued_at": store_time::for_machines(token.issued_at, &zone),
                "expires_at": store_time::for_machines(token.expires_at, &zone),
                "parcel_count": token.parcel_count,
                "claimed_at": token.claimed_at.map(|t| store_time::for_machines(t, &zone)),
                "used_by_event": token.used_seq,
                "text": token.token_text,
            })
        })
        .collect();
    println!(
        "{}",
        serde_json::to_string_pretty(&json!({ "found": true, "code": code, "tokens": listed }))
            .unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}
