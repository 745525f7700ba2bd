//! The link on the counter's screens at 80x24 and wider: the status bar says head office's
//! state in words and symbols, and the manager's desk lists what waits and the last receipts.

mod common;

use chrono::Duration;
use common::counter::*;
use common::*;
use crossterm::event::KeyCode;
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::link_wire::{ReceiptBody, sign_receipt};
use handoff_kiosk::domain::signing::StoreKey;
use handoff_kiosk::link::{LinkHandle, LinkProblem, LinkStatus};
use handoff_kiosk::store::{LinkLedger, StoredReceipt};

fn linked_counter(hq: &StoreKey) -> Counter {
    let text = test_config_text()
        + &format!(
            "\n[head_office]\nurl = \"https://hq.example:8443\"\ncert_sha256 = \"{}\"\npublic_key = \"{}\"\ncodes_key = \"8f40c5adb68f25624ae5b214ea767a6ec94d829d3d7b5e1ad1ba6f3e2138285f\"\n",
            "ab".repeat(32),
            hq.public().to_hex()
        );
    let mut c = counter_with(&text);
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    c
}

#[test]
fn the_status_bar_says_whether_head_office_holds_the_ledger() {
    let hq = StoreKey::generate().unwrap();
    let mut c = linked_counter(&hq);
    let now = c.clock.now();
    c.app.link = Some(LinkHandle::detached(LinkStatus {
        waiting: 37,
        offline_since: Some(now - Duration::minutes(46)),
        problem: Some(LinkProblem::NoAddress {
            host: "hq.example".into(),
        }),
        ..LinkStatus::default()
    }));
    let narrow = c.screen(80, 24);
    assert!(narrow.contains("HQ ✘ 37 waiting"), "{narrow}");
    let wide = c.screen(120, 30);
    assert!(
        wide.contains("HQ offline since 09:14, 37 waiting"),
        "{wide}"
    );
    c.app.link = Some(LinkHandle::detached(LinkStatus {
        last_acknowledged: Some(now - Duration::minutes(2)),
        ..LinkStatus::default()
    }));
    let wide = c.screen(120, 30);
    assert!(wide.contains("HQ ✔ 2 min ago"), "{wide}");
}

#[test]
fn the_desk_lists_what_waits_and_the_last_receipts() {
    let hq = StoreKey::generate().unwrap();
    let mut c = linked_counter(&hq);
    c.type_text("m");
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    assert!(c.screen(80, 24).contains("9  Head office link"));
    c.type_text("9");
    let page = c.screen(80, 24);
    let (head, head_hash) = c.app.kiosk.store.head().unwrap();
    assert!(page.contains("https://hq.example:8443"), "{page}");
    let events = if head == 1 { "event" } else { "events" };
    let waiting = format!("… {head} {events} to send, the oldest recorded 24 Nov 10:00.");
    assert!(page.contains(&waiting), "{page}");
    assert!(page.contains("No receipt from head office yet."), "{page}");

    let signed = sign_receipt(
        &hq,
        &ReceiptBody::new("RVM-0045", head, &head_hash, c.clock.now()),
    )
    .unwrap();
    LinkLedger::open(&c.app.kiosk.config.ledger.database)
        .unwrap()
        .record_receipt(
            &StoredReceipt {
                last_seq: head,
                head_hash,
                body_json: signed.body,
                key_id: signed.key_id.clone(),
                signature: hex::decode(&signed.signature).unwrap(),
                received_at: c.clock.now(),
            },
            c.clock.now(),
        )
        .unwrap();
    c.key(KeyCode::Esc);
    c.type_text("9");
    let page = c.screen(80, 24);
    assert!(
        page.contains("✔ Nothing waits: head office holds every event."),
        "{page}"
    );
    let receipt = format!(
        "up to event {head}, acknowledged 24 Nov 10:00 (key {})",
        signed.key_id
    );
    assert!(page.contains(&receipt), "{page}");
    assert!(page.lines().all(|line| line.chars().count() <= 80));
}

#[test]
fn the_desk_says_why_announcements_from_head_office_were_refused() {
    let hq = StoreKey::generate().unwrap();
    let mut c = linked_counter(&hq);
    c.app.link = Some(LinkHandle::detached(LinkStatus {
        announcement_problem: Some(LinkProblem::AnnouncementsRefused {
            detail: "the announcements' signature does not verify under head office's key \
                     1a2b3c4d"
                .into(),
        }),
        ..LinkStatus::default()
    }));
    c.type_text("m");
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.type_text("9");
    let page = c.screen(80, 24);
    assert!(
        page.contains("✖ announcements from head office refused, nothing imported"),
        "{page}"
    );
    assert!(page.contains("signature does not verify"), "{page}");
    assert!(page.lines().all(|line| line.chars().count() <= 80));
}
