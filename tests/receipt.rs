//! `kiosk verify-receipt`, run as a customer's helper or head office would: a valid receipt is
//! described in words; a forged one (one character changed, another store's key) is refused.

mod common;

use std::path::{Path, PathBuf};

use chrono::DateTime;
use common::*;
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::ids::StoreId;
use handoff_kiosk::domain::receipt::{ReceiptClaims, sign_receipt};
use handoff_kiosk::domain::signing::StoreKey;

fn claims(parcels: &[&str]) -> ReceiptClaims {
    ReceiptClaims {
        store_id: StoreId::parse("RVM-0045").unwrap(),
        seq: 812,
        event_hash: [0xAB; 32],
        kind: EventKind::CustomerReturn,
        // 2026-11-24 17:05:00 UTC = 10:05 in Phoenix (MST all year).
        recorded_at: DateTime::from_timestamp(1_795_539_900, 0).unwrap(),
        parcels: parcels.iter().map(|id| tracking(id)).collect(),
    }
}

fn pubkey_file(dir: &Path, key: &StoreKey) -> PathBuf {
    let path = dir.join("store.pub");
    std::fs::write(&path, format!("{}\n", key.public().to_hex())).unwrap();
    path
}

/// Runs `kiosk verify-receipt TEXT [--pubkey FILE]`; the config path need not exist with
/// --pubkey (a customer's helper has no kiosk).
fn verify(config: &Path, text: &str, pubkey: Option<&Path>) -> (i32, String, String) {
    let mut args = vec!["verify-receipt", text];
    if let Some(path) = pubkey {
        args.extend(["--pubkey", path.to_str().unwrap()]);
    }
    let output = kiosk_command(config, &args, None);
    (
        output.status.code().unwrap_or(-1),
        text_of(&output.stdout),
        text_of(&output.stderr),
    )
}

fn text_of(bytes: &[u8]) -> String {
    common::text(bytes)
}

#[test]
fn a_valid_receipt_is_described_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let key = StoreKey::generate().unwrap();
    let token = sign_receipt(&key, &claims(&["1Z999AA10123456784", "JD0001"]));
    let pubkey = pubkey_file(dir.path(), &key);
    let nowhere = dir.path().join("no-kiosk.toml");
    let (code, out, err) = verify(&nowhere, &token, Some(&pubkey));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&key.public().key_id()), "{out}");
    for expected in [
        "RVM-0045",
        "customer return",
        "#812, hash abababababababab",
        "2 parcels",
        "    1Z999AA10123456784\n    JD0001\n",
    ] {
        assert!(out.contains(expected), "{expected:?} not in:\n{out}");
    }
}

#[test]
fn with_the_kiosks_config_it_uses_the_ledger_key_and_store_time() {
    let t = new_kiosk();
    let token = sign_receipt(&t.kiosk.key, &claims(&["1Z999AA10123456784"]));
    let (code, out, err) = verify(&t.config_path(), &token, None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2026-11-24 10:05:00 MST"), "{out}");
    assert!(out.contains("1 parcel\n"), "{out}");
}

#[test]
fn one_character_changed_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let key = StoreKey::generate().unwrap();
    let token = sign_receipt(&key, &claims(&["1Z999AA10123456784"]));
    let pubkey = pubkey_file(dir.path(), &key);
    let nowhere = dir.path().join("no-kiosk.toml");
    // A character in the signed fields, one in the signature, and the last one.
    for position in [12, token.len() - 40, token.len() - 1] {
        let mut altered: Vec<char> = token.chars().collect();
        altered[position] = if altered[position] == '7' { '8' } else { '7' };
        let altered: String = altered.into_iter().collect();
        let (code, out, err) = verify(&nowhere, &altered, Some(&pubkey));
        assert_eq!(code, 1, "position {position} accepted: {out}");
        assert!(err.contains("the receipt is refused"), "{err}");
        assert!(
            out.is_empty(),
            "nothing is claimed for a refused receipt: {out}"
        );
    }
}

#[test]
fn another_stores_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let signer = StoreKey::generate().unwrap();
    let other = StoreKey::generate().unwrap();
    let token = sign_receipt(&signer, &claims(&["1Z999AA10123456784"]));
    let pubkey = pubkey_file(dir.path(), &other);
    let (code, _, err) = verify(&dir.path().join("no-kiosk.toml"), &token, Some(&pubkey));
    assert_eq!(code, 1);
    assert!(
        err.contains("bad signature") && err.contains(&other.public().key_id()),
        "{err}"
    );
}
