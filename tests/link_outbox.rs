//! The live link at the kiosk, without a network: every committed event is queued in the same
//! transaction (so it cannot commit unqueued), and head office's receipt anchors `kiosk verify`.

mod common;

use common::*;
use handoff_kiosk::domain::chain::chain_hash;
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::link_wire::{ReceiptBody, sign_receipt};
use handoff_kiosk::domain::signing::StoreKey;
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::store::{HandoffItem, HandoffRequest, LinkLedger, StoredReceipt};
use rusqlite::Connection;

fn delivery(n: u32) -> HandoffRequest {
    HandoffRequest {
        kind: EventKind::DriverDelivery,
        counterparty: driver("D-9"),
        items: vec![HandoffItem::on_shelf(
            tracking(&format!("TMP-{n:03}")),
            "C1",
        )],
        token_id: None,
        note: format!("delivery {n}"),
    }
}

#[test]
fn every_committed_event_is_queued_for_head_office() {
    let mut t = new_kiosk();
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    let proof = t.sign_in(clerk, CLERK_PIN);
    for n in 1..=3 {
        t.kiosk
            .record(&proof, &[delivery(n)], t.clock.now())
            .unwrap();
    }
    let (head, _) = t.kiosk.store.head().unwrap();
    let state = t.kiosk.store.outbox_state().unwrap();
    assert!(head >= 4, "an enrolment and three deliveries at least");
    assert_eq!(state.waiting, head, "every event waits for head office");
    let link = LinkLedger::open(&t.ledger_path()).unwrap();
    assert_eq!(link.first_waiting().unwrap(), Some(1));
}

#[test]
fn an_event_cannot_commit_without_being_queued() {
    let mut t = new_kiosk();
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    let proof = t.sign_in(clerk, CLERK_PIN);
    t.kiosk
        .record(&proof, &[delivery(1)], t.clock.now())
        .unwrap();
    let (before, _) = t.kiosk.store.head().unwrap();
    // The outbox refuses (as a full disk or a damaged table would): the event goes with it.
    let outside = Connection::open(t.ledger_path()).unwrap();
    outside
        .execute_batch(
            "CREATE TRIGGER outbox_refuses BEFORE INSERT ON outbox
             BEGIN SELECT RAISE(ABORT, 'the outbox refused'); END;",
        )
        .unwrap();
    let refused = t.kiosk.record(&proof, &[delivery(2)], t.clock.now());
    assert!(refused.is_err(), "{refused:?}");
    assert_eq!(t.kiosk.store.head().unwrap().0, before, "nothing committed");
    assert_eq!(t.kiosk.store.outbox_state().unwrap().waiting, before);
    outside
        .execute_batch("DROP TRIGGER outbox_refuses;")
        .unwrap();
    t.kiosk
        .record(&proof, &[delivery(2)], t.clock.now())
        .unwrap();
    assert_eq!(t.kiosk.store.head().unwrap().0, before + 1);
    assert_eq!(t.kiosk.store.outbox_state().unwrap().waiting, before + 1);
}

fn head_office_block(public_key_hex: &str) -> String {
    format!(
        "\n[head_office]\nurl = \"https://127.0.0.1:9\"\ncert_sha256 = \"{}\"\npublic_key = \"{public_key_hex}\"\ncodes_key = \"8f40c5adb68f25624ae5b214ea767a6ec94d829d3d7b5e1ad1ba6f3e2138285f\"\n",
        "00".repeat(32)
    )
}

/// Rewrites event 3's note and every hash after it, then signs a fresh checkpoint with the
/// store's own key, as the store itself could: only head office's receipt still disagrees.
fn rewrite_the_past_with_the_store_key(config_path: &std::path::Path) {
    let config = handoff_kiosk::config::KioskConfig::load(config_path).unwrap();
    let ledger = config.ledger.database.clone();
    let events: Vec<_> = {
        let store =
            handoff_kiosk::store::Store::open(&ledger, handoff_kiosk::store::OpenMode::Existing)
                .unwrap();
        let (head, _) = store.head().unwrap();
        (1..=head)
            .map(|seq| store.event(seq).unwrap().unwrap())
            .collect()
    };
    let conn = Connection::open(&ledger).unwrap();
    conn.execute_batch(
        "DROP TRIGGER events_no_update; DROP TRIGGER checkpoints_no_delete;
         DELETE FROM checkpoints; UPDATE events SET note = 'rewritten' WHERE seq = 3;",
    )
    .unwrap();
    let mut prev = events[1].hash;
    for event in &events[2..] {
        let mut body = event.body.clone();
        if event.seq == 3 {
            body.note = "rewritten".into();
        }
        let hash = chain_hash(&prev, event.seq, &body);
        conn.execute(
            "UPDATE events SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![prev.as_slice(), hash.as_slice(), event.seq as i64],
        )
        .unwrap();
        prev = hash;
    }
    drop(conn);
    let mut kiosk = handoff_kiosk::service::Kiosk::open(&config).unwrap();
    kiosk
        .store
        .write_checkpoint(&kiosk.key, "RVM-0045", tuesday_morning())
        .unwrap();
}

#[test]
fn verify_fails_on_a_ledger_rewritten_behind_head_offices_receipt() {
    let mut t = new_kiosk();
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    let proof = t.sign_in(clerk, CLERK_PIN);
    for n in 1..=5 {
        t.kiosk
            .record(&proof, &[delivery(n)], t.clock.now())
            .unwrap();
    }
    let (head, head_hash) = t.kiosk.store.head().unwrap();
    let hq = StoreKey::generate().unwrap();
    let body = ReceiptBody::new("RVM-0045", head, &head_hash, t.clock.now());
    let signed = sign_receipt(&hq, &body).unwrap();
    let mut link = LinkLedger::open(&t.ledger_path()).unwrap();
    link.record_receipt(
        &StoredReceipt {
            last_seq: head,
            head_hash,
            body_json: signed.body,
            key_id: signed.key_id,
            signature: hex::decode(&signed.signature).unwrap(),
            received_at: t.clock.now(),
        },
        t.clock.now(),
    )
    .unwrap();
    drop(link);
    assert_eq!(t.kiosk.store.outbox_state().unwrap().waiting, 0);
    t.kiosk
        .store
        .write_checkpoint(&t.kiosk.key, "RVM-0045", t.clock.now())
        .unwrap();
    let config = t.config_path();
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.clone() + &head_office_block(&hq.public().to_hex()),
    )
    .unwrap();
    let TestKiosk {
        dir: _dir, kiosk, ..
    } = t;
    drop(kiosk);

    let output = kiosk_command(&config, &["verify"], None);
    let out = common::text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert!(
        out.contains(&format!("head office acknowledged at event {head}")),
        "{out}"
    );

    // Another head office key in kiosk.toml: the kept receipt no longer checks.
    let other = StoreKey::generate().unwrap();
    std::fs::write(
        &config,
        text.clone() + &head_office_block(&other.public().to_hex()),
    )
    .unwrap();
    let output = kiosk_command(&config, &["verify"], None);
    let out = common::text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(out.contains("receipt does not check"), "{out}");
    std::fs::write(&config, text + &head_office_block(&hq.public().to_hex())).unwrap();

    rewrite_the_past_with_the_store_key(&config);
    let output = kiosk_command(&config, &["verify"], None);
    let out = common::text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(
        out.contains("rewritten behind head office's receipt"),
        "{out}"
    );
    assert!(
        !out.contains("checkpoint"),
        "the store's own re-signed checkpoint passes: only the receipt catches it\n{out}"
    );
}
