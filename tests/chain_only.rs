//! `verify --chain-only` hashes each event from the row's own bytes (#20); whatever was done to
//! the rows behind the kiosk's back, it names the same first fault as the full decoding.

mod common;

use common::*;
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::store::{FileCheck, HandoffItem, HandoffRequest};
use rusqlite::Connection;

/// A kiosk with an enrolment and five deliveries (one of them of two parcels, with a note).
fn kiosk_with_events() -> TestKiosk {
    let mut t = new_kiosk();
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    let proof = t.sign_in(clerk, CLERK_PIN);
    for n in 1..=5 {
        let mut items = vec![HandoffItem::on_shelf(
            tracking(&format!("TMP-{n:03}")),
            "C1",
        )];
        if n == 3 {
            items.push(HandoffItem::on_shelf(tracking("TMP-EXTRA"), "C2"));
        }
        let request = HandoffRequest {
            kind: EventKind::DriverDelivery,
            counterparty: driver("D-9"),
            items,
            token_id: None,
            note: format!("delivery {n}"),
        };
        t.kiosk.record(&proof, &[request], t.clock.now()).unwrap();
    }
    t
}

/// The first fault each way, after `sql` ran behind the kiosk's back.
fn faults_after(sql: &str) -> (Option<String>, Option<String>, u64) {
    let t = kiosk_with_events();
    let conn = Connection::open(t.ledger_path()).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF; DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;",
    )
    .unwrap();
    conn.execute_batch(sql).unwrap();
    let key = t.kiosk.key.public();
    let verify = |depth| t.kiosk.store.verify("RVM-0045", &key, depth).unwrap();
    let (chain_only, full) = (verify(FileCheck::ChainOnly), verify(FileCheck::Full));
    let fault = |report: &handoff_kiosk::store::VerifyReport| {
        report.chain_fault.as_ref().map(ToString::to_string)
    };
    (fault(&chain_only), fault(&full), chain_only.events_checked)
}

#[test]
fn an_intact_ledger_verifies_from_its_rows() {
    let (chain_only, full, checked) = faults_after("SELECT 1;");
    assert_eq!((chain_only, full), (None, None));
    assert_eq!(checked, 6);
}

#[test]
fn text_rewritten_in_another_json_form_still_verifies() {
    // The same items with spaces, and an escaped letter: the same event, read the full way.
    let (chain_only, full, checked) = faults_after(
        r#"UPDATE events SET items_json = replace(replace(items_json, ':', ': '), 'TMP', 'TM\u0050') WHERE seq = 4;"#,
    );
    assert_eq!((chain_only, full), (None, None));
    assert_eq!(checked, 6);
}

#[test]
fn every_tampering_is_named_as_the_full_decoding_names_it() {
    let tamperings = [
        (
            "UPDATE events SET note = 'nothing happened' WHERE seq = 3;",
            "event 3 was altered",
        ),
        (
            "UPDATE events SET items_json = replace(items_json, 'C2', 'C9') WHERE seq = 4;",
            "event 4 was altered",
        ),
        (
            r#"UPDATE events SET items_json = replace(items_json, '"C1"', '"C1","colour":"red"') WHERE seq = 2;"#,
            "",
        ),
        (
            "UPDATE events SET facts_json = '[[\"a\",\"b\"]]' WHERE seq = 5;",
            "event 5 was altered",
        ),
        (
            "UPDATE events SET facts_json = 'nonsense' WHERE seq = 5;",
            "event 5 is unreadable",
        ),
        ("UPDATE events SET format = 1 WHERE seq = 5;", "event 5"),
        (
            "UPDATE events SET kind = 'gift' WHERE seq = 2;",
            "event 2 is unreadable",
        ),
        (
            "UPDATE events SET hash = x'00' WHERE seq = 2;",
            "event 2 is unreadable",
        ),
        (
            "UPDATE events SET recorded_at_us = recorded_at_us + 1 WHERE seq = 6;",
            "event 6 was altered",
        ),
        ("DELETE FROM events WHERE seq = 4;", "event 4 is missing"),
        (
            "UPDATE events SET seq = 100 WHERE seq = 4; UPDATE events SET seq = 4 WHERE seq = 5;
             UPDATE events SET seq = 5 WHERE seq = 100;",
            "event 4 does not link to event 3",
        ),
    ];
    for (sql, named) in tamperings {
        let (chain_only, full, _) = faults_after(sql);
        assert_eq!(chain_only, full, "{sql}");
        if named.is_empty() {
            // An unknown field is ignored by the full decoding, so the event still verifies.
            assert_eq!(chain_only, None, "{sql}");
        } else {
            let said = chain_only.unwrap_or_default();
            assert!(said.contains(named), "{sql}: {said}");
        }
    }
}

/// The export writes most events straight from their stored bytes (#20): rows in another JSON
/// form are decoded and written the ordinary way, the files still verify, and the CSV is the
/// same bytes; a row that cannot be decoded stops the export with the fault named (no hang).
#[test]
fn the_export_writes_rows_in_any_form_and_stops_at_a_damaged_one() {
    use handoff_kiosk::domain::export_verify::verify_export;
    use handoff_kiosk::export::{ExportFormat, export_days, read_export_folder};
    let t = kiosk_with_events();
    let conn = Connection::open(t.ledger_path()).unwrap();
    conn.execute_batch("DROP TRIGGER events_no_update;")
        .unwrap();
    let day = t.kiosk.config.calendar.local_date(t.clock.now());
    let export = |name: &str| {
        let out = t.dir.path().join(name);
        let formats = [ExportFormat::Csv, ExportFormat::Json, ExportFormat::Ndjson];
        export_days(
            &t.kiosk,
            day,
            day,
            &formats,
            &out,
            t.clock.now(),
            &mut |_, _| {},
        )
        .map(|outcome| {
            let (manifest, files) = read_export_folder(&outcome.folder).unwrap();
            let verdict = verify_export(&manifest, &files, &t.kiosk.key.public());
            assert_eq!(verdict.map(|summary| summary.event_count), Ok(6), "{name}");
            files["ledger.csv"].clone()
        })
    };
    let plain = export("plain").unwrap();
    assert!(String::from_utf8_lossy(&plain).contains("TMP-EXTRA"));
    conn.execute_batch(
        "UPDATE events SET items_json = replace(items_json, ':', ': ') WHERE seq IN (2, 4);",
    )
    .unwrap();
    let reformatted = export("reformatted").unwrap();
    assert!(
        plain == reformatted,
        "the CSV differs once rows are decoded"
    );
    conn.execute_batch("UPDATE events SET facts_json = 'nonsense' WHERE seq = 5;")
        .unwrap();
    let said = export("damaged").unwrap_err().to_string();
    assert!(said.contains("event 5 is unreadable"), "{said}");
}
