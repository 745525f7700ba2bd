//! The insider's edits of issue 18, each made with a shell on the counter PC (raw SQL after
//! dropping the triggers, or replacing the key), and each caught by `kiosk verify`, which names
//! the table, the row and the field. Before event format 2 every one of these verified "ok".

mod common;

use chrono::Duration;
use common::*;
use handoff_kiosk::domain::chain::{CounterpartyKind, EventBody, GENESIS_HASH, chain_hash};
use handoff_kiosk::domain::clock::{Clock, to_micros};
use handoff_kiosk::domain::codes::PickupCode;
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::expected::ExpectedParcel;
use handoff_kiosk::domain::handshake::Direction;
use handoff_kiosk::domain::signing::{Checkpoint, StoreKey};
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::store::{Actor, HandoffItem, HandoffRequest};
use rusqlite::Connection;

/// A store with a manager, a clerk (Bo, later disabled: Cy), an announced parcel not yet here,
/// two unannounced parcels held (each with its own generated code), a delivery with a driver's
/// token, all signed by a checkpoint. Returns the kiosk and the ids.
struct Store {
    t: TestKiosk,
    manager: i64,
    clerk: i64,
    disabled: i64,
    token_id: String,
}

const HELD_A: &str = "TMP-A001";
const HELD_B: &str = "TMP-B002";
const ANNOUNCED: &str = "ANN-0001";

fn store() -> Store {
    let mut t = new_kiosk();
    let manager = t.enrol("Ana Diaz", Role::Manager, MANAGER_PIN);
    let clerk = t.enrol("Bo Lee", Role::Clerk, CLERK_PIN);
    let disabled = t.enrol("Cy Ruiz", Role::Clerk, "582046");
    let now = t.clock.now();
    t.kiosk
        .store
        .disable_staff(disabled, Actor::AdminCommandLine, now)
        .unwrap();
    let announced = ExpectedParcel {
        tracking_id: tracking(ANNOUNCED),
        recipient_name: "Dana Reyes".into(),
        pickup_code: PickupCode::parse("551902").unwrap(),
        postal_code: "85004".into(),
        address: Default::default(),
    };
    t.kiosk
        .store
        .import_expected(
            &[announced],
            "carrier.csv",
            &t.kiosk.codes,
            Actor::AdminCommandLine,
            now,
        )
        .unwrap();
    let token = t
        .kiosk
        .issue_handshake(Direction::DeliveryToStore, None, now)
        .unwrap();
    let token_id = token.token_id();
    t.kiosk.claim_token(&token_id, now).unwrap();
    let proof = t.sign_in(clerk, CLERK_PIN);
    let request = HandoffRequest {
        kind: EventKind::DriverDelivery,
        counterparty: driver("D-17"),
        items: vec![
            HandoffItem::on_shelf(tracking(HELD_A), "X"),
            HandoffItem::on_shelf(tracking(HELD_B), "X"),
        ],
        token_id: Some(token_id.clone()),
        note: String::new(),
    };
    t.kiosk.record(&proof, &[request], t.clock.now()).unwrap();
    t.kiosk
        .store
        .write_checkpoint(&t.kiosk.key, "RVM-0045", t.clock.now())
        .unwrap();
    Store {
        t,
        manager: manager.0,
        clerk: clerk.0,
        disabled: disabled.0,
        token_id,
    }
}

fn tamper(ledger: &std::path::Path, sql: &str) {
    let conn = Connection::open(ledger).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;
         DROP TRIGGER IF EXISTS checkpoints_no_update; DROP TRIGGER IF EXISTS checkpoints_no_delete;
         DROP TRIGGER IF EXISTS event_parcels_no_update; DROP TRIGGER IF EXISTS event_parcels_no_delete;",
    )
    .unwrap();
    conn.execute_batch(sql).unwrap();
}

fn verify(t: &TestKiosk) -> (i32, String) {
    let output = kiosk_command(&t.config_path(), &["verify"], None);
    (
        output.status.code().unwrap_or(-1),
        text(&output.stdout) + &text(&output.stderr),
    )
}

fn assert_caught(t: &TestKiosk, wanted: &[&str]) {
    let (code, out) = verify(t);
    assert_eq!(code, 1, "verify passed a tampered ledger:\n{out}");
    for phrase in wanted {
        assert!(out.contains(phrase), "missing {phrase:?} in:\n{out}");
    }
}

#[test]
fn the_untouched_store_verifies_with_every_table_checked() {
    let s = store();
    let (code, out) = verify(&s.t);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("parcels, expected parcels, staff, tokens and event parcels match"),
        "{out}"
    );
}

#[test]
fn a_carrier_edited_behind_the_kiosks_back_is_named() {
    // The carrier is not on the events: replay derives it from the tracking id, so moving a
    // parcel to another driver's list by editing its carrier still differs from the chain.
    let s = store();
    tamper(
        &s.t.ledger_path(),
        &format!("UPDATE parcels SET carrier = 'dhl' WHERE tracking_id = '{HELD_A}';"),
    );
    assert_caught(&s.t, &[&format!("parcels: row {HELD_A}, field carrier")]);
}

#[test]
fn a_pickup_code_swapped_onto_another_parcel_is_named() {
    let s = store();
    let ledger = s.t.ledger_path();
    // The attacker knows parcel B's code: they give parcel A the same digest.
    tamper(
        &ledger,
        &format!(
            "UPDATE parcels SET code_digest = (SELECT code_digest FROM parcels WHERE tracking_id = '{HELD_B}') WHERE tracking_id = '{HELD_A}';"
        ),
    );
    assert_caught(
        &s.t,
        &[&format!("parcels: row {HELD_A}, field code_digest")],
    );
}

#[test]
fn an_announced_code_swapped_before_delivery_is_named() {
    let s = store();
    tamper(
        &s.t.ledger_path(),
        &format!(
            "UPDATE expected_parcels SET code_digest = (SELECT code_digest FROM parcels WHERE tracking_id = '{HELD_B}') WHERE tracking_id = '{ANNOUNCED}';"
        ),
    );
    assert_caught(
        &s.t,
        &[&format!(
            "expected_parcels: row {ANNOUNCED}, field code_digest"
        )],
    );
}

#[test]
fn a_copied_pin_hash_a_promoted_clerk_and_a_re_enabled_clerk_are_named() {
    let s = store();
    tamper(
        &s.t.ledger_path(),
        &format!(
            "UPDATE staff SET pin_phc = (SELECT pin_phc FROM staff WHERE id = {}) WHERE id = {};",
            s.clerk, s.manager
        ),
    );
    assert_caught(&s.t, &[&format!("staff: row {}, field pin_phc", s.manager)]);

    let s = store();
    tamper(
        &s.t.ledger_path(),
        &format!("UPDATE staff SET role = 'manager' WHERE id = {};", s.clerk),
    );
    assert_caught(&s.t, &[&format!("staff: row {}, field role", s.clerk)]);

    let s = store();
    tamper(
        &s.t.ledger_path(),
        &format!("UPDATE staff SET active = 1 WHERE id = {};", s.disabled),
    );
    assert_caught(&s.t, &[&format!("staff: row {}, field active", s.disabled)]);
}

#[test]
fn an_automatic_disable_after_wrong_pins_is_on_the_chain() {
    let mut s = store();
    let clock = s.t.clock.clone();
    let clerk = handoff_kiosk::domain::ids::StaffId(s.clerk);
    for _ in 0..10 {
        let _ = s.t.kiosk.store.verify_pin(
            clerk,
            &handoff_kiosk::domain::pin::Pin::new("000000"),
            &s.t.kiosk.pins,
            &s.t.kiosk.config.security.lockout,
            || clock.now(),
        );
        s.t.advance(Duration::hours(2));
    }
    let member = s.t.kiosk.store.staff_member(clerk).unwrap().unwrap();
    assert!(!member.active, "10 wrong PINs disable the account");
    s.t.kiosk
        .store
        .write_checkpoint(&s.t.kiosk.key, "RVM-0045", s.t.clock.now())
        .unwrap();
    let (code, out) = verify(&s.t);
    assert_eq!(code, 0, "the disable is replayed from its event:\n{out}");
    // Re-enabling behind the kiosk's back is then caught.
    tamper(
        &s.t.ledger_path(),
        &format!("UPDATE staff SET active = 1 WHERE id = {};", s.clerk),
    );
    assert_caught(&s.t, &[&format!("staff: row {}, field active", s.clerk)]);
}

#[test]
fn a_replaced_store_key_with_re_signed_checkpoints_is_named() {
    let s = store();
    let attacker = StoreKey::generate().unwrap();
    let conn = Connection::open(s.t.ledger_path()).unwrap();
    let (count, head): (i64, Vec<u8>) = conn
        .query_row(
            "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    let checkpoint = Checkpoint {
        store_id: "RVM-0045".into(),
        event_count: count as u64,
        head_hash: head.clone().try_into().unwrap(),
        signed_at: s.t.clock.now(),
    };
    let signature = attacker.sign(&checkpoint.message());
    drop(conn);
    tamper(&s.t.ledger_path(), "DELETE FROM checkpoints;");
    let conn = Connection::open(s.t.ledger_path()).unwrap();
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'store_public_key'",
        [attacker.public().to_hex()],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO checkpoints (event_count, head_hash, signed_at_us, key_id, signature) VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![
            count,
            head,
            to_micros(s.t.clock.now()),
            attacker.public().key_id(),
            signature.as_slice()
        ],
    )
    .unwrap();
    drop(conn);
    assert_caught(
        &s.t,
        &[
            "the recorded key was replaced",
            "does not verify under the store key",
        ],
    );
    // The kiosk itself refuses to start on the mismatch.
    let config = s.t.kiosk.config.clone();
    let TestKiosk {
        dir: _dir, kiosk, ..
    } = s.t;
    drop(kiosk);
    let refused = handoff_kiosk::service::Kiosk::open(&config)
        .err()
        .expect("a kiosk on a replaced key is refused");
    assert!(
        refused
            .to_string()
            .contains("does not belong to this ledger"),
        "{refused}"
    );
}

#[test]
fn deleted_checkpoints_leave_past_store_days_named() {
    let s = store();
    // The store's events are on Tuesday 24 November (the fixed test clock), a past day.
    tamper(&s.t.ledger_path(), "DELETE FROM checkpoints;");
    assert_caught(
        &s.t,
        &["store days with events but no signed checkpoint after them: 2026-11-24"],
    );
}

#[test]
fn a_used_token_reset_or_extended_and_a_deleted_event_parcel_are_named() {
    let s = store();
    tamper(
        &s.t.ledger_path(),
        &format!(
            "UPDATE handshake_tokens SET used_seq = NULL WHERE token_id = '{}';",
            s.token_id
        ),
    );
    assert_caught(
        &s.t,
        &[&format!(
            "handshake_tokens: row {}, field used_seq",
            s.token_id
        )],
    );

    let s = store();
    tamper(
        &s.t.ledger_path(),
        &format!(
            "UPDATE handshake_tokens SET expires_at_us = expires_at_us + 86400000000 WHERE token_id = '{}';",
            s.token_id
        ),
    );
    assert_caught(
        &s.t,
        &[&format!(
            "handshake_tokens: row {}, field expires_at_us",
            s.token_id
        )],
    );

    let s = store();
    tamper(
        &s.t.ledger_path(),
        &format!(
            "UPDATE handshake_tokens SET claimed_at_us = claimed_at_us - 60000000 WHERE token_id = '{}';",
            s.token_id
        ),
    );
    assert_caught(
        &s.t,
        &[&format!(
            "handshake_tokens: row {}, field claimed_at_us",
            s.token_id
        )],
    );

    let s = store();
    tamper(
        &s.t.ledger_path(),
        &format!("DELETE FROM event_parcels WHERE tracking_id = '{HELD_A}';"),
    );
    assert_caught(&s.t, &[&format!("event_parcels: row ({HELD_A}, event")]);
}

#[test]
fn the_demo_flag_set_behind_the_kiosks_back_is_named() {
    let s = store();
    tamper(
        &s.t.ledger_path(),
        "INSERT INTO meta (key, value) VALUES ('demo_data', '1');",
    );
    assert_caught(&s.t, &["meta: demo_data"]);
}

/// A ledger as the kiosk wrote it before event format 2 (schema version 4, format-1 events)
/// is upgraded on open: the records are sealed into the chain, and from then on an edit is
/// caught like on a new ledger.
#[test]
fn an_old_ledger_is_sealed_on_upgrade_and_then_edits_are_caught() {
    let t = new_kiosk();
    let ledger = t.ledger_path();
    let config = t.kiosk.config.clone();
    let key_hex = handoff_kiosk::setup::configured_public_key(&config)
        .unwrap()
        .to_hex();
    let TestKiosk { dir, kiosk, .. } = t;
    drop(kiosk);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", ledger.display()));
    }
    let conn = Connection::open(&ledger).unwrap();
    for migration in &handoff_kiosk::store::MIGRATIONS[..4] {
        conn.execute_batch(migration).unwrap();
    }
    conn.execute_batch(&format!(
        "PRAGMA user_version = 4; PRAGMA application_id = {};",
        handoff_kiosk::store::APPLICATION_ID
    ))
    .unwrap();
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('store_id', 'RVM-0045'), ('store_public_key', ?1)",
        [key_hex],
    )
    .unwrap();
    let at = tuesday_morning();
    // One format-1 delivery of one parcel, with its row as the old kiosk left it.
    let body = EventBody {
        recorded_at: at,
        kind: EventKind::DriverDelivery,
        staff_id: None,
        counterparty: handoff_kiosk::domain::chain::Counterparty {
            kind: CounterpartyKind::Driver,
            reference: "D-1".into(),
        },
        items: vec![handoff_kiosk::domain::chain::EventItem::new("OLD-0001")],
        token_id: None,
        note: String::new(),
        format: 1,
        facts: Vec::new(),
    };
    let hash = chain_hash(&GENESIS_HASH, 1, &body);
    conn.execute(
        "INSERT INTO events (seq, recorded_at_us, kind, staff_id, counterparty_kind, counterparty_ref, items_json, token_id, note, prev_hash, hash)
         VALUES (1, ?1, 'driver_delivery', NULL, 'driver', 'D-1', '[{\"tracking_id\":\"OLD-0001\"}]', NULL, '', ?2, ?3)",
        rusqlite::params![to_micros(at), GENESIS_HASH.as_slice(), hash.as_slice()],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO event_parcels (tracking_id, seq) VALUES ('OLD-0001', 1)",
        [],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO parcels (tracking_id, status, shelf, code_digest, received_at_us, hold_expires_at_us, last_seq, origin)
         VALUES ('OLD-0001', 'held_for_customer', 'X', ?1, ?2, ?3, 1, 'carrier')",
        rusqlite::params![[7_u8; 32].as_slice(), to_micros(at), to_micros(at + Duration::days(14))],
    )
    .unwrap();
    drop(conn);

    // Opening upgrades and seals; the kiosk signs the sealed state at its next start.
    let mut kiosk = handoff_kiosk::service::Kiosk::open(&config).unwrap();
    let sealed = kiosk.store.event(2).unwrap().expect("the sealed state");
    assert_eq!(sealed.body.kind, EventKind::StateSealed);
    assert!(
        sealed
            .body
            .facts
            .iter()
            .any(|(name, value)| name == "parcel" && value.contains("OLD-0001")),
        "{:?}",
        sealed.body.facts
    );
    assert!(
        kiosk
            .sign_overdue_checkpoint(at + Duration::days(1))
            .unwrap()
    );
    let config_path = config_path(dir.path());
    drop(kiosk);
    let output = kiosk_command(&config_path, &["verify"], None);
    let out = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{out}");

    tamper(
        &ledger,
        "UPDATE parcels SET code_digest = zeroblob(32) WHERE tracking_id = 'OLD-0001';",
    );
    let output = kiosk_command(&config_path, &["verify"], None);
    let out = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(
        out.contains("parcels: row OLD-0001, field code_digest"),
        "{out}"
    );
}

#[test]
fn re_announcing_a_code_is_listed_and_recorded_and_a_parcel_here_keeps_its_code() {
    let mut s = store();
    let now = s.t.clock.now();
    let changed = ExpectedParcel {
        tracking_id: tracking(ANNOUNCED),
        recipient_name: "Dana Reyes".into(),
        pickup_code: PickupCode::parse("771122").unwrap(),
        postal_code: "85004".into(),
        address: Default::default(),
    };
    let here = ExpectedParcel {
        tracking_id: tracking(HELD_A),
        recipient_name: "Eve Park".into(),
        pickup_code: PickupCode::parse("883344").unwrap(),
        postal_code: String::new(),
        address: Default::default(),
    };
    let outcome =
        s.t.kiosk
            .store
            .import_expected(
                &[changed, here],
                "carrier-2.csv",
                &s.t.kiosk.codes,
                Actor::AdminCommandLine,
                now,
            )
            .unwrap();
    assert_eq!(outcome.announced, 0);
    assert_eq!(outcome.reannounced.len(), 1, "{outcome:?}");
    assert!(
        outcome.reannounced[0].1.contains("pickup code changed"),
        "{outcome:?}"
    );
    assert_eq!(outcome.refused.len(), 1, "{outcome:?}");
    assert_eq!(outcome.refused[0].0, tracking(HELD_A));
    let (head, _) = s.t.kiosk.store.head().unwrap();
    let event = s.t.kiosk.store.event(head).unwrap().unwrap();
    assert_eq!(event.body.kind, EventKind::ExpectedParcelsImported);
    assert_eq!(event.body.items.len(), 1);
    assert_eq!(event.body.items[0].tracking_id, ANNOUNCED);
    assert!(event.body.items[0].detail.contains("pickup code changed"));
    // The parcel already here still opens with its first code: the replay agrees.
    s.t.kiosk
        .store
        .write_checkpoint(&s.t.kiosk.key, "RVM-0045", now)
        .unwrap();
    let (code, out) = verify(&s.t);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_large_import_is_linear_and_one_event_per_thousand_ids() {
    let mut t = new_kiosk();
    let parcels: Vec<ExpectedParcel> = (0..20_000)
        .map(|n| ExpectedParcel {
            tracking_id: tracking(&format!("BULK{n:08}")),
            recipient_name: format!("Name {n}"),
            pickup_code: PickupCode::parse(&format!("{:06}", n % 1_000_000)).unwrap(),
            postal_code: String::new(),
            address: Default::default(),
        })
        .collect();
    let before = t.kiosk.store.head().unwrap().0;
    let outcome = t
        .kiosk
        .store
        .import_expected(
            &parcels,
            "big.csv",
            &t.kiosk.codes,
            Actor::AdminCommandLine,
            t.clock.now(),
        )
        .unwrap();
    assert_eq!(outcome.announced, 20_000);
    assert_eq!(t.kiosk.store.head().unwrap().0 - before, 20);
    // The parser's duplicate check names both lines.
    let mut text = String::from("tracking_id,recipient_name,pickup_code\n");
    for n in 0..5000 {
        text.push_str(&format!("DUP{n:06},N,{:06}\n", n));
    }
    text.push_str("DUP000007,N,123456\n");
    let error = handoff_kiosk::domain::expected::parse_expected_csv(text.as_bytes()).unwrap_err();
    assert!(
        error.to_string().contains("listed twice (first on line 9)"),
        "{error}"
    );
}

#[test]
fn edited_custody_totals_are_named_and_the_report_no_longer_balances() {
    let s = store();
    tamper(
        &s.t.ledger_path(),
        "UPDATE custody_totals SET in_custody_after = in_custody_after + 5;",
    );
    assert_caught(&s.t, &["custody_totals: row", "field in_custody_after"]);
}
