//! Tampering done behind the kiosk's back (raw SQL after dropping the append-only triggers) is
//! caught by `kiosk verify`, which exits 1 and names the first bad event.

mod common;

use common::*;
use handoff_kiosk::domain::chain::{ChainHash, EventBody, chain_hash};
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::store::{HandoffItem, HandoffRequest};
use rusqlite::Connection;

/// A ledger with 6 events: 1 enrolment, 5 single-parcel deliveries. Returns its config path.
fn ledger_with_six_events(
    checkpoint: bool,
) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let mut t = new_kiosk();
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    let proof = t.sign_in(clerk, CLERK_PIN);
    for n in 1..=5 {
        let request = HandoffRequest {
            kind: EventKind::DriverDelivery,
            counterparty: driver("D-9"),
            items: vec![HandoffItem::on_shelf(
                tracking(&format!("TMP-{n:03}")),
                "C1",
            )],
            token_id: None,
            note: format!("delivery {n}"),
        };
        t.kiosk.record(&proof, &[request], t.clock.now()).unwrap();
    }
    if checkpoint {
        t.kiosk
            .store
            .write_checkpoint(&t.kiosk.key, "RVM-0045", t.clock.now())
            .unwrap();
    }
    let config = t.config_path();
    let ledger = t.ledger_path();
    let TestKiosk { dir, kiosk, .. } = t;
    drop(kiosk);
    (dir, config, ledger)
}

fn tamper(ledger: &std::path::Path, sql: &str) {
    let conn = Connection::open(ledger).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF; DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;
         DROP TRIGGER checkpoints_no_update; DROP TRIGGER checkpoints_no_delete;",
    )
    .unwrap();
    conn.execute_batch(sql).unwrap();
}

fn verify(config: &std::path::Path) -> (i32, String) {
    let output = kiosk_command(config, &["verify"], None);
    (
        output.status.code().unwrap_or(-1),
        text(&output.stdout) + &text(&output.stderr),
    )
}

#[test]
fn intact_ledger_verifies() {
    let (_dir, config, _) = ledger_with_six_events(true);
    let (code, out) = verify(&config);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("6 events") && out.contains("1 checkpoint verified"),
        "{out}"
    );
}

#[test]
fn the_triggers_refuse_edits_through_sqlite() {
    let (_dir, _config, ledger) = ledger_with_six_events(false);
    let conn = Connection::open(ledger).unwrap();
    let update = conn.execute("UPDATE events SET note = 'x' WHERE seq = 2", []);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = conn.execute("DELETE FROM events WHERE seq = 2", []);
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}

#[test]
fn an_updated_event_is_named() {
    let (_dir, config, ledger) = ledger_with_six_events(false);
    tamper(
        &ledger,
        "UPDATE events SET note = 'nothing happened' WHERE seq = 3;",
    );
    let (code, out) = verify(&config);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAILED at event 3: event 3 was altered"),
        "{out}"
    );
}

#[test]
fn a_deleted_event_is_named() {
    let (_dir, config, ledger) = ledger_with_six_events(false);
    tamper(&ledger, "DELETE FROM events WHERE seq = 4;");
    let (code, out) = verify(&config);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAILED at event 4: event 4 is missing"),
        "{out}"
    );
}

#[test]
fn an_inserted_event_is_named_in_the_middle_and_at_the_end() {
    let (_dir, config, ledger) = ledger_with_six_events(false);
    // Make room at 3 by renumbering 3..6 to 4..7 (via negatives to dodge the primary key), then
    // insert a copy of event 6 as the new event 3.
    tamper(
        &ledger,
        "UPDATE events SET seq = -seq WHERE seq >= 3;
         UPDATE events SET seq = -seq + 1 WHERE seq < 0;
         INSERT INTO events SELECT 3, recorded_at_us, kind, staff_id, counterparty_kind, counterparty_ref,
             items_json, token_id, note, prev_hash, hash, format, facts_json FROM events WHERE seq = 7;",
    );
    let (code, out) = verify(&config);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAILED at event 3: event 3 does not link to event 2"),
        "{out}"
    );

    let (_dir, config, ledger) = ledger_with_six_events(false);
    tamper(
        &ledger,
        "INSERT INTO events SELECT 7, recorded_at_us, kind, staff_id, counterparty_kind, counterparty_ref,
             items_json, token_id, 'forged', prev_hash, hash, format, facts_json FROM events WHERE seq = 2;",
    );
    let (code, out) = verify(&config);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAILED at event 7"), "{out}");
}

#[test]
fn reordered_events_are_named() {
    let (_dir, config, ledger) = ledger_with_six_events(false);
    tamper(
        &ledger,
        "UPDATE events SET seq = 100 WHERE seq = 4;
         UPDATE events SET seq = 4 WHERE seq = 5;
         UPDATE events SET seq = 5 WHERE seq = 100;",
    );
    let (code, out) = verify(&config);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAILED at event 4: event 4 does not link to event 3"),
        "{out}"
    );
}

#[test]
fn a_truncated_tail_is_caught_by_the_checkpoint() {
    let (_dir, config, ledger) = ledger_with_six_events(true);
    tamper(&ledger, "DELETE FROM events WHERE seq >= 5;");
    let (code, out) = verify(&config);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("the ledger ends at event 4, but checkpoint #1")
            && out.contains("events 5 to 6 are missing"),
        "{out}"
    );
}

#[test]
fn a_rewritten_chain_is_caught_by_the_checkpoint_signature() {
    // A careful forger edits event 3 and recomputes every hash after it; the chain is then
    // self-consistent, but the signed checkpoint still holds the old head.
    let (_dir, config, ledger) = ledger_with_six_events(true);
    tamper(
        &ledger,
        "UPDATE events SET note = 'rewritten' WHERE seq = 3;",
    );
    {
        let store =
            handoff_kiosk::store::Store::open(&ledger, handoff_kiosk::store::OpenMode::Existing)
                .unwrap();
        let events: Vec<_> = (1..=6)
            .map(|seq| store.event(seq).unwrap().unwrap())
            .collect();
        drop(store);
        let conn = Connection::open(&ledger).unwrap();
        let mut prev: ChainHash = events[1].hash;
        for event in &events[2..] {
            let body: &EventBody = &event.body;
            let hash = chain_hash(&prev, event.seq, body);
            conn.execute(
                "UPDATE events SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
                rusqlite::params![prev.as_slice(), hash.as_slice(), event.seq as i64],
            )
            .unwrap();
            prev = hash;
        }
    }
    let (code, out) = verify(&config);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("checkpoint #1 says event 6 has hash"), "{out}");
}

#[test]
fn a_forged_checkpoint_is_caught() {
    let (_dir, config, ledger) = ledger_with_six_events(true);
    tamper(&ledger, "UPDATE checkpoints SET event_count = 5;");
    let (code, out) = verify(&config);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("checkpoint #1") && out.contains("does not verify under the store key"),
        "{out}"
    );
}

#[test]
fn verify_chain_only_still_checks_every_event_and_checkpoint() {
    let (_dir, config, ledger) = ledger_with_six_events(true);
    let intact = kiosk_command(&config, &["verify", "--chain-only"], None);
    let said = text(&intact.stdout);
    assert_eq!(intact.status.code(), Some(0), "{said}");
    assert!(
        said.contains("6 events") && said.contains("1 checkpoint verified"),
        "{said}"
    );
    assert!(said.contains("file check skipped (--chain-only)"), "{said}");
    tamper(
        &ledger,
        "UPDATE events SET note = 'nothing happened' WHERE seq = 3;",
    );
    let altered = kiosk_command(&config, &["verify", "--chain-only"], None);
    let said = text(&altered.stdout);
    assert_eq!(altered.status.code(), Some(1), "{said}");
    assert!(
        said.contains("FAILED at event 3: event 3 was altered"),
        "{said}"
    );
}
