//! `kiosk verify-receipt`: checks the signed token on a customer's drop-off or return receipt
//! offline, and says what the store signed, in words.

use std::path::Path;
use std::process::ExitCode;

use chrono::{DateTime, Local, Utc};

use super::verify_qr::read_public_key;
use super::{EXIT_CHECK_FAILED, Failure};
use crate::config::KioskConfig;
use crate::domain::receipt::{ReceiptClaims, verify_receipt};
use crate::domain::signing::StorePublicKey;
use crate::domain::store_time;
use crate::setup;

mod words {
    pub fn valid(key_id: &str) -> String {
        format!("Valid receipt, signed by the store key {key_id}")
    }
    pub const STORE: &str = "Store";
    pub const TIME: &str = "Time";
    pub const KIND: &str = "Kind";
    pub const EVENT: &str = "Ledger event";
    pub const PARCELS: &str = "Parcels";
    pub fn event(seq: i64, hash: &str) -> String {
        format!("#{seq}, hash {hash}")
    }
    pub fn parcels(count: usize) -> String {
        match count {
            1 => "1 parcel".to_owned(),
            n => format!("{n} parcels"),
        }
    }
    pub fn refused(reason: &str) -> String {
        format!("the receipt is refused: {reason}")
    }
    pub const NO_KEY: &str = "give --pubkey or a --config with a ledger";
}

/// Checks `text` with the key file given, or else the key in the configured kiosk's ledger.
/// Times are in the store's zone when its config is at hand, else this machine's.
pub fn run(
    text: &str,
    pubkey: Option<&Path>,
    config: Option<&KioskConfig>,
) -> Result<ExitCode, Failure> {
    let key: StorePublicKey = match (pubkey, config) {
        (Some(path), _) => read_public_key(path)?,
        (None, Some(config)) => setup::ledger_public_key(&setup::open_ledger(config)?)?,
        (None, None) => return Err(Failure::usage(words::NO_KEY)),
    };
    let zone = config.map(|config| config.store.time_zone);
    let for_people = |instant: DateTime<Utc>| match &zone {
        Some(zone) => store_time::for_people(instant, zone),
        None => store_time::for_people(instant, &Local),
    };
    match verify_receipt(text.trim(), &key) {
        Ok(claims) => {
            print!("{}", describe(&claims, &key.key_id(), for_people));
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            // Outside text is never echoed back: only the reason, in the kiosk's own words.
            eprintln!("kiosk: {}", words::refused(&error.to_string()));
            Ok(ExitCode::from(EXIT_CHECK_FAILED))
        }
    }
}

fn describe(
    claims: &ReceiptClaims,
    key_id: &str,
    time: impl Fn(DateTime<Utc>) -> String,
) -> String {
    let hash = hex::encode(&claims.event_hash[..8]);
    let mut out = format!("{}\n", words::valid(key_id));
    let mut field = |label: &str, value: String| {
        out.push_str(&format!("  {label:<13} {value}\n"));
    };
    field(words::STORE, claims.store_id.to_string());
    field(words::TIME, time(claims.recorded_at));
    field(words::KIND, claims.kind.label().to_owned());
    field(words::EVENT, words::event(claims.seq, &hash));
    field(words::PARCELS, words::parcels(claims.parcels.len()));
    for parcel in &claims.parcels {
        out.push_str(&format!("    {parcel}\n"));
    }
    out
}
