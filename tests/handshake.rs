//! The driver handshake: the QR drawn on a terminal decodes with an independent decoder, every
//! tampered or stale token is refused, and a token completes one handoff only.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::handshake::{
    Direction, HandshakeClaims, issue_token, sign_claims, verify_token,
};
use handoff_kiosk::domain::ids::StoreId;
use handoff_kiosk::domain::signing::StoreKey;
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::store::{HandoffItem, HandoffRequest, StoreError, TokenUseError};
use handoff_kiosk::tui::widgets::qr::{QR_DARK, QR_LIGHT, QrSymbol, QrWidget};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

fn store_id() -> StoreId {
    StoreId::parse("RVM-0045").unwrap()
}

fn at() -> DateTime<Utc> {
    tuesday_morning()
}

fn delivery_token(key: &StoreKey) -> handoff_kiosk::domain::handshake::IssuedToken {
    issue_token(
        key,
        &store_id(),
        Direction::DeliveryToStore,
        None,
        Duration::seconds(120),
        at(),
    )
    .unwrap()
}

fn render(symbol: &QrSymbol, width: u16, height: u16, max_quiet: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| {
            frame.render_widget(
                QrWidget::new(symbol).max_quiet_zone(max_quiet),
                frame.area(),
            )
        })
        .unwrap();
    terminal.backend().buffer().clone()
}

/// Turns the screen back into pixels as a camera would see it. Cells that are not part of the
/// code count as dark: the worst case, a terminal with a black background around the code.
fn decode_screen(buffer: &Buffer) -> Option<String> {
    const SCALE: usize = 4;
    let area = buffer.area;
    let module_dark = |mx: usize, my: usize| -> bool {
        let Some(cell) = buffer.cell((mx as u16, (my / 2) as u16)) else {
            return true;
        };
        if cell.symbol() != "▀" || ![QR_DARK, QR_LIGHT].contains(&cell.fg) {
            return true;
        }
        let color = if my.is_multiple_of(2) {
            cell.fg
        } else {
            cell.bg
        };
        color == QR_DARK
    };
    let width = usize::from(area.width) * SCALE;
    let height = usize::from(area.height) * 2 * SCALE;
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        if module_dark(x / SCALE, y / SCALE) {
            0
        } else {
            255
        }
    });
    let grids = image.detect_grids();
    grids
        .first()
        .and_then(|grid| grid.decode().ok())
        .map(|(_, text)| text)
}

#[test]
fn the_qr_on_screen_decodes_independently_at_80x24_and_120x40() {
    let key = StoreKey::generate().unwrap();
    let token = delivery_token(&key);
    let symbol = QrSymbol::encode(&token.text).unwrap();
    assert_eq!(
        symbol.version(),
        6,
        "145 alphanumeric characters at level M fit version 6"
    );
    assert_eq!(symbol.width(), 41);
    for (width, height, expected_quiet) in [(80, 24, 3), (120, 40, 4)] {
        assert_eq!(
            symbol.fit(ratatui::layout::Rect::new(0, 0, width, height), 4),
            Some(expected_quiet)
        );
        let screen = render(&symbol, width, height, 4);
        let decoded =
            decode_screen(&screen).unwrap_or_else(|| panic!("no QR decoded at {width}x{height}"));
        assert_eq!(decoded, token.text);
        assert!(verify_token(&decoded, &key.public(), Some(&store_id()), at()).is_ok());
    }
}

#[test]
fn every_quiet_zone_from_one_module_decodes_on_a_dark_terminal() {
    let key = StoreKey::generate().unwrap();
    let token = delivery_token(&key);
    let symbol = QrSymbol::encode(&token.text).unwrap();
    for quiet in 1..=4 {
        let screen = render(&symbol, 60, 30, quiet);
        assert_eq!(
            decode_screen(&screen).as_deref(),
            Some(token.text.as_str()),
            "quiet zone {quiet}"
        );
    }
}

#[test]
fn a_code_that_does_not_fit_is_never_drawn_clipped() {
    let key = StoreKey::generate().unwrap();
    let symbol = QrSymbol::encode(&delivery_token(&key).text).unwrap();
    for (width, height) in [(42, 30), (60, 21), (1, 1), (0, 0)] {
        let screen = render(&symbol, width, height, 4);
        let drawn: String = screen.content().iter().map(|cell| cell.symbol()).collect();
        assert!(!drawn.contains('▀'), "{width}x{height} drew part of a code");
        if width >= 40 {
            assert!(
                drawn.contains("Enlarge the window"),
                "{width}x{height}: {drawn}"
            );
        }
    }
}

#[test]
fn every_single_character_change_truncation_and_garbage_is_refused() {
    let key = StoreKey::generate().unwrap();
    let token = delivery_token(&key);
    let public = key.public();
    let check = |text: &str| verify_token(text, &public, Some(&store_id()), at());
    assert!(check(&token.text).is_ok());
    const ALPHABET: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let mut tried = 0;
    for (index, original) in token.text.char_indices() {
        for replacement in ALPHABET.chars().chain(['a', '\u{1b}', 'é']) {
            if replacement == original {
                continue;
            }
            let mut mutated = token.text.clone();
            mutated.replace_range(index..index + original.len_utf8(), &replacement.to_string());
            assert!(
                check(&mutated).is_err(),
                "accepted with {replacement:?} at {index}"
            );
            tried += 1;
        }
    }
    for length in 0..token.text.len() {
        assert!(
            check(&token.text[..length]).is_err(),
            "accepted truncated to {length}"
        );
    }
    for garbage in ["0", "00", "000", " ", "HK1:", "\u{0}"] {
        assert!(
            check(&format!("{}{garbage}", token.text)).is_err(),
            "accepted with {garbage:?} appended"
        );
    }
    assert!(tried > 145 * 40, "{tried} mutations");
}

#[test]
fn another_stores_key_and_expiry_plus_one_second_are_refused() {
    let key = StoreKey::generate().unwrap();
    let token = delivery_token(&key);
    let stranger = StoreKey::generate().unwrap();
    let refused = verify_token(&token.text, &stranger.public(), None, at()).unwrap_err();
    assert_eq!(refused.reason(), "bad_signature");
    let other_store = StoreId::parse("ZZZ-0001").unwrap();
    let refused = verify_token(&token.text, &key.public(), Some(&other_store), at()).unwrap_err();
    assert_eq!(refused.reason(), "wrong_store");
    // A token another store signed, checked at this store, names both stores.
    let foreign = issue_token(
        &stranger,
        &other_store,
        Direction::DeliveryToStore,
        None,
        Duration::seconds(120),
        at(),
    )
    .unwrap();
    let refused = verify_token(&foreign.text, &key.public(), Some(&store_id()), at()).unwrap_err();
    assert!(refused.to_string().contains("ZZZ-0001") && refused.to_string().contains("RVM-0045"));

    let expiry = token.claims.expires_at();
    let clock = handoff_kiosk::domain::clock::FixedClock::at(expiry - Duration::seconds(1));
    assert!(verify_token(&token.text, &key.public(), Some(&store_id()), clock.now()).is_ok());
    clock.advance(Duration::seconds(2));
    let refused =
        verify_token(&token.text, &key.public(), Some(&store_id()), clock.now()).unwrap_err();
    assert_eq!(refused.reason(), "expired");
}

fn arbitrary_claims() -> impl Strategy<Value = HandshakeClaims> {
    (
        "[A-Z]{3}-[0-9]{4}",
        any::<[u8; 8]>(),
        any::<bool>(),
        0_u32..=u32::MAX,
        1_u16..=u16::MAX,
        any::<u16>(),
        any::<[u8; 8]>(),
    )
        .prop_map(
            |(store, session_id, pickup, issued, lifetime, parcel_count, parcel_digest)| {
                HandshakeClaims {
                    store_id: StoreId::parse(&store).unwrap(),
                    session_id,
                    direction: if pickup {
                        Direction::PickupFromStore
                    } else {
                        Direction::DeliveryToStore
                    },
                    issued_at: DateTime::from_timestamp(i64::from(issued), 0).unwrap(),
                    lifetime_seconds: lifetime,
                    parcel_count,
                    parcel_digest,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn tokens_round_trip_and_never_verify_under_another_key(claims in arbitrary_claims(), seed in any::<[u8; 32]>(), other in any::<[u8; 32]>()) {
        prop_assume!(seed != other);
        let key = StoreKey::from_secret_bytes(&seed).unwrap();
        let token = sign_claims(&key, claims.clone());
        prop_assert_eq!(token.text.len(), 145);
        let (decoded, code) = verify_token(&token.text, &key.public(), Some(&claims.store_id), claims.issued_at).unwrap();
        prop_assert_eq!(&decoded, &claims);
        prop_assert_eq!(code, token.fallback_code);
        let stranger = StoreKey::from_secret_bytes(&other).unwrap();
        let refused = verify_token(&token.text, &stranger.public(), None, claims.issued_at);
        prop_assert_eq!(refused.unwrap_err().reason(), "bad_signature");
    }
}

fn delivery_with(token_id: &str, parcel: &str) -> HandoffRequest {
    HandoffRequest {
        kind: EventKind::DriverDelivery,
        counterparty: driver("D-0417"),
        items: vec![HandoffItem::on_shelf(tracking(parcel), "A1")],
        token_id: Some(token_id.to_owned()),
        note: String::new(),
    }
}

#[test]
fn a_token_completes_one_handoff_only() {
    let mut t = new_kiosk();
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    let token = t
        .kiosk
        .issue_handshake(Direction::DeliveryToStore, None, t.clock.now())
        .unwrap();
    t.kiosk
        .claim_token(&token.token_id(), t.clock.now())
        .unwrap();
    let proof = t.sign_in(clerk, CLERK_PIN);
    let receipt = t
        .kiosk
        .record(
            &proof,
            &[delivery_with(&token.token_id(), "1Z0001")],
            t.clock.now(),
        )
        .unwrap();
    assert_eq!(
        t.kiosk
            .store
            .event(receipt.last_seq)
            .unwrap()
            .unwrap()
            .body
            .token_id,
        Some(token.token_id())
    );

    let head = t.kiosk.store.head().unwrap();
    let replay = t.kiosk.record(
        &proof,
        &[delivery_with(&token.token_id(), "1Z0002")],
        t.clock.now(),
    );
    assert!(
        matches!(replay, Err(StoreError::Token(TokenUseError::AlreadyUsed { seq, .. })) if seq == receipt.last_seq),
        "{replay:?}"
    );
    assert_eq!(
        t.kiosk.store.head().unwrap(),
        head,
        "the ledger holds nothing new"
    );
    assert!(t.kiosk.store.parcel(&tracking("1Z0002")).unwrap().is_none());

    // The fallback code leads back to the token and the event that used it.
    let traced = t
        .kiosk
        .store
        .tokens_with_code(&token.fallback_code)
        .unwrap();
    assert_eq!(traced[0].token_id, token.token_id());
    assert_eq!(traced[0].used_seq, Some(receipt.last_seq));
}

#[test]
fn expired_unknown_misdirected_and_mismatched_tokens_are_refused() {
    let mut t = new_kiosk();
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    let token = t
        .kiosk
        .issue_handshake(Direction::DeliveryToStore, None, t.clock.now())
        .unwrap();
    t.advance(Duration::seconds(121));
    let late_claim = t.kiosk.claim_token(&token.token_id(), t.clock.now());
    assert!(
        matches!(
            late_claim,
            Err(StoreError::Token(TokenUseError::Expired(_)))
        ),
        "{late_claim:?}"
    );
    let proof = t.sign_in(clerk, CLERK_PIN);
    let expired = t.kiosk.record(
        &proof,
        &[delivery_with(&token.token_id(), "1Z0001")],
        t.clock.now(),
    );
    assert!(
        matches!(expired, Err(StoreError::Token(TokenUseError::Expired(_)))),
        "{expired:?}"
    );

    let unknown = t.kiosk.record(
        &proof,
        &[delivery_with("00112233aabbccdd", "1Z0001")],
        t.clock.now(),
    );
    assert!(
        matches!(unknown, Err(StoreError::Token(TokenUseError::Unknown(_)))),
        "{unknown:?}"
    );

    // A claimed token stays good for the handoff it opened, even if confirming takes a while.
    let token = t
        .kiosk
        .issue_handshake(Direction::DeliveryToStore, None, t.clock.now())
        .unwrap();
    t.kiosk
        .claim_token(&token.token_id(), t.clock.now())
        .unwrap();
    t.advance(Duration::minutes(5));
    let proof = t.sign_in(clerk, CLERK_PIN);
    t.kiosk
        .record(
            &proof,
            &[delivery_with(&token.token_id(), "1Z0001")],
            t.clock.now(),
        )
        .unwrap();

    // A pickup token is for exactly the parcels it was made for, and not for a delivery.
    let list = [tracking("1Z0001")];
    let pickup = t
        .kiosk
        .issue_handshake(Direction::PickupFromStore, Some(&list), t.clock.now())
        .unwrap();
    let misdirected = t.kiosk.record(
        &proof,
        &[delivery_with(&pickup.token_id(), "1Z0009")],
        t.clock.now(),
    );
    assert!(
        matches!(
            misdirected,
            Err(StoreError::Token(TokenUseError::WrongDirection { .. }))
        ),
        "{misdirected:?}"
    );
    t.advance(Duration::days(30));
    let proof = t.sign_in(clerk, CLERK_PIN);
    let pickup = t
        .kiosk
        .issue_handshake(
            Direction::PickupFromStore,
            Some(&[tracking("1Z0009")]),
            t.clock.now(),
        )
        .unwrap();
    let request = HandoffRequest {
        kind: EventKind::DriverPickup,
        counterparty: driver("D-0417"),
        items: vec![HandoffItem::new(tracking("1Z0001"))],
        token_id: Some(pickup.token_id()),
        note: String::new(),
    };
    let differ = t
        .kiosk
        .record(&proof, std::slice::from_ref(&request), t.clock.now());
    assert!(
        matches!(
            differ,
            Err(StoreError::Token(TokenUseError::ParcelsDiffer { count: 1 }))
        ),
        "{differ:?}"
    );
    let pickup = t
        .kiosk
        .issue_handshake(Direction::PickupFromStore, Some(&list), t.clock.now())
        .unwrap();
    let request = HandoffRequest {
        token_id: Some(pickup.token_id()),
        ..request
    };
    t.kiosk.record(&proof, &[request], t.clock.now()).unwrap();
}

#[test]
fn verify_qr_command_checks_offline_and_traces_codes() {
    let t = new_kiosk();
    let token = t
        .kiosk
        .issue_handshake(Direction::DeliveryToStore, None, t.clock.now())
        .unwrap();
    let config = t.config_path();
    let at_valid = (t.clock.now() + Duration::seconds(60)).to_rfc3339();
    let output = kiosk_command(
        &config,
        &["verify-qr", &token.text, "--at", &at_valid],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let fields: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(fields["valid"], true);
    assert_eq!(fields["store_id"], "RVM-0045");
    assert_eq!(fields["direction"], "delivery_to_store");
    assert_eq!(fields["token_id"], token.token_id());
    assert_eq!(fields["fallback_code"], token.fallback_code);

    let at_late = (token.claims.expires_at() + Duration::seconds(1)).to_rfc3339();
    let output = kiosk_command(&config, &["verify-qr", &token.text, "--at", &at_late], None);
    assert_eq!(output.status.code(), Some(1));
    let verdict: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(verdict["reason"], "expired");

    // The driver's side: only the public key file, as `kiosk key show` prints it.
    let shown = kiosk_command(&config, &["key", "show"], None);
    let key_file = t.dir.path().join("store.pub");
    std::fs::write(&key_file, &shown.stdout).unwrap();
    let elsewhere = t.dir.path().join("no-such-config.toml");
    let output = kiosk_command(
        &elsewhere,
        &[
            "verify-qr",
            &token.text,
            "--at",
            &at_valid,
            "--pubkey",
            key_file.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stranger = t.dir.path().join("stranger.pub");
    std::fs::write(&stranger, StoreKey::generate().unwrap().public().to_hex()).unwrap();
    let output = kiosk_command(
        &elsewhere,
        &[
            "verify-qr",
            &token.text,
            "--at",
            &at_valid,
            "--pubkey",
            stranger.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stdout).contains("bad_signature"));
    let output = kiosk_command(&config, &["verify-qr", "HK1:NOT-A-TOKEN"], None);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stdout).contains("malformed"));

    let output = kiosk_command(
        &config,
        &["verify-qr", "--code", &token.fallback_code],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains(&token.token_id()));
    let unused_code = if token.fallback_code == "000000" {
        "000001"
    } else {
        "000000"
    };
    let output = kiosk_command(&config, &["verify-qr", "--code", unused_code], None);
    assert_eq!(output.status.code(), Some(1));
}
