//! Property tests for everything that takes outside input: scanner input, kiosk.toml,
//! expected-parcel files, QR text and export folders. Never a panic; refusals say what is wrong.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::MANAGER_PIN;
use common::counter::*;
use crossterm::event::KeyCode;
use handoff_kiosk::config::{DEFAULT_CONFIG_TEXT, KioskConfig};
use handoff_kiosk::domain::expected::parse_expected_csv;
use handoff_kiosk::domain::export_verify::verify_export;
use handoff_kiosk::domain::handshake::verify_token;
use handoff_kiosk::domain::ids::TrackingId;
use handoff_kiosk::domain::signing::StoreKey;
use handoff_kiosk::store::FileCheck;
use handoff_kiosk::tui::app::Screen;
use handoff_kiosk::tui::widgets::scan_field::ScanField;
use proptest::prelude::*;

/// Strings a misbehaving scanner or a prankster could produce.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,60}",
        "[\\x00-\\x1f\\x7f]{1,20}",
        "[A-Z0-9]{2,10}\\x1b\\[[0-9;]{0,6}[A-Za-z][A-Z0-9]{2,10}",
        "[A-Z0-9]{2,10}[\\u{200B}-\\u{200F}\\u{202A}-\\u{202E}\\u{2066}-\\u{2069}\\u{FEFF}][A-Z0-9]{2,10}",
        "[A-Z0-9\\-]{1,60}",
        Just("A".repeat(10_000)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn scanner_input_never_yields_a_disguised_or_oversized_tracking_id(text in hostile_text()) {
        let mut field = ScanField::default();
        for character in text.chars() {
            field.push(character);
        }
        match field.take() {
            Err(reason) => prop_assert!(reason.contains("refused")),
            Ok(kept) => {
                prop_assert!(kept.chars().count() <= 64);
                prop_assert!(!kept.chars().any(|c| c.is_control()));
                if let Ok(id) = TrackingId::parse(&kept) {
                    prop_assert!(id.as_str().chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
                    prop_assert!(id.as_str().len() <= 40);
                }
            }
        }
    }

    #[test]
    fn perturbed_config_is_refused_with_a_location_or_accepted(position in 0..DEFAULT_CONFIG_TEXT.len(), replacement in ".{0,6}", cut in any::<bool>()) {
        let mut text = DEFAULT_CONFIG_TEXT.to_owned();
        let position = (0..=position).rev().find(|p| text.is_char_boundary(*p)).unwrap_or(0);
        if cut {
            text.truncate(position);
        } else {
            let end = (position + replacement.len().max(1)).min(text.len());
            let end = (end..=text.len()).find(|p| text.is_char_boundary(*p)).unwrap_or(text.len());
            text.replace_range(position..end, &replacement);
        }
        if let Err(errors) = KioskConfig::parse(&text, Path::new("/srv/kiosk/kiosk.toml")) {
            for error in &errors.problems {
                let message = error.to_string();
                prop_assert!(message.starts_with("/srv/kiosk/kiosk.toml"), "{message}");
                prop_assert!(error.line.is_some() || error.key.is_some(), "no key or line: {message}");
            }
        }
    }

    #[test]
    fn expected_parcel_files_never_panic_and_name_a_line(body in "[a-zA-Z0-9,\\n\\r\" \\x00-\\x1f\\u{202E}]{0,300}") {
        let file = format!("tracking_id,recipient_name,pickup_code\n{body}");
        if let Err(error) = parse_expected_csv(file.as_bytes()) {
            let message = error.to_string();
            prop_assert!(message.starts_with("line ") || message.contains("header") || message.contains("column"), "{message}");
        }
    }

    #[test]
    fn arbitrary_qr_text_is_refused_with_a_reason(text in prop_oneof![".{0,200}", "HK1:[0-9A-Z $%*+\\-./:]{0,160}"]) {
        let key = StoreKey::from_secret_bytes(&[7; 32]).unwrap();
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let refused = verify_token(&text, &key.public(), None, now);
        prop_assert!(refused.is_err());
        let reason = refused.unwrap_err().reason();
        prop_assert!(["malformed", "bad_signature", "expired", "not_yet_valid", "wrong_store"].contains(&reason));
    }

    #[test]
    fn arbitrary_export_folders_are_refused_with_reasons(manifest in prop::collection::vec(any::<u8>(), 0..400), data in prop::collection::vec(any::<u8>(), 0..400), name in "[a-z]{1,8}\\.(csv|json|ndjson)") {
        let key = StoreKey::from_secret_bytes(&[9; 32]).unwrap();
        let mut files = BTreeMap::new();
        files.insert(name, data);
        let verdict = verify_export(&manifest, &files, &key.public());
        prop_assert!(verdict.is_err());
        prop_assert!(!verdict.unwrap_err().is_empty());
    }
}

#[test]
fn random_key_storms_and_resizes_never_panic() {
    let mut c = counter();
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let mut next = move |limit: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % limit
    };
    let keys = [
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Tab,
        KeyCode::F(1),
        KeyCode::F(2),
        KeyCode::F(3),
        KeyCode::F(4),
        KeyCode::F(5),
        KeyCode::F(7),
        KeyCode::F(8),
    ];
    let characters = "dpostvfemrlq0123456789ABXZ-?/ \u{1b}\u{202e}";
    for step in 0..4_000 {
        match next(3) {
            0 => c.key(keys[next(keys.len() as u64) as usize]),
            _ => {
                let pick = characters
                    .chars()
                    .nth(next(characters.chars().count() as u64) as usize)
                    .unwrap_or('x');
                c.key(KeyCode::Char(pick));
            }
        }
        if matches!(c.app.screen, Screen::Lock(_)) {
            c.sign_in(MANAGER_PIN);
        }
        if step % 50 == 0 {
            let (width, height) = (next(301) as u16, next(101) as u16);
            let _ = c.screen(width, height);
        }
        if c.app.should_quit {
            break;
        }
    }
    // Whatever happened, the ledger is whole.
    let key = handoff_kiosk::setup::ledger_public_key(&c.app.kiosk.store).unwrap();
    assert!(
        c.app
            .kiosk
            .store
            .verify("RVM-0045", &key, FileCheck::Full)
            .unwrap()
            .is_ok()
    );
}
