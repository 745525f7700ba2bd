//! The live link at the kiosk, without a network: every committed event is queued in the same
//! transaction (so it cannot commit unqueued), and head office's receipt anchors `kiosk verify`.

mod common;

use common::*;
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::store::{HandoffItem, HandoffRequest, LinkLedger};
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
