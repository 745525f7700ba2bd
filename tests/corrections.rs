//! A manager corrects mistaken records: a parcel scanned into a delivery by mistake, and a
//! pickup recorded for the wrong parcel. Nothing is edited; the corrections are events, the
//! report reconciles, `verify` replays them, the export carries them, and the parcels' on-hand
//! figures follow.

mod common;

use chrono::Duration;
use common::*;
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::correction::{Correction, CorrectionReason};
use handoff_kiosk::domain::custody::{EventKind, ParcelStatus};
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::export::{ExportFormat, export_days, read_export_folder};
use handoff_kiosk::report::day_report;
use handoff_kiosk::setup;
use handoff_kiosk::store::{FileCheck, HandoffItem, HandoffRequest};

fn request(kind: EventKind, ids: &[&str]) -> HandoffRequest {
    HandoffRequest {
        kind,
        counterparty: if kind == EventKind::DriverDelivery {
            driver("D-1")
        } else {
            customer("Ana")
        },
        items: ids
            .iter()
            .map(|id| HandoffItem::on_shelf(tracking(id), "A"))
            .collect(),
        token_id: None,
        note: String::new(),
    }
}

fn verify_ok(t: &TestKiosk) {
    let public_key = setup::ledger_public_key(&t.kiosk.store).unwrap();
    let report = t
        .kiosk
        .store
        .verify("RVM-0045", &public_key, FileCheck::Full)
        .unwrap();
    assert!(report.derived_checked);
    assert!(report.is_ok(), "{report:?}");
}

#[test]
fn a_correction_after_a_mis_scan_reconciles_verifies_and_takes_the_parcel_off_hand() {
    let mut t = new_kiosk();
    let manager = t.enrol("Ana Diaz", Role::Manager, MANAGER_PIN);
    let clerk = t.enrol("Bo Lee", Role::Clerk, CLERK_PIN);
    let proof = t.sign_in(clerk, CLERK_PIN);
    let now = t.clock.now();
    // The clerk scans three parcels into a delivery; MIS-0003 was the driver's, not ours.
    let receipt = t
        .kiosk
        .record(
            &proof,
            &[request(
                EventKind::DriverDelivery,
                &["OK-0001", "OK-0002", "MIS-0003"],
            )],
            now,
        )
        .unwrap();
    let delivery = receipt.last_seq;
    let code = receipt
        .generated_codes
        .iter()
        .find(|(id, _)| id.as_str() == "MIS-0003")
        .map(|(_, code)| code.clone())
        .unwrap();
    assert_eq!(t.kiosk.store.on_hand().unwrap(), 3);

    // A clerk cannot correct; only a manager, with a fresh PIN.
    let refused = t.kiosk.store.record_correction(
        &proof,
        &tracking("MIS-0003"),
        delivery,
        CorrectionReason::ScannedInError,
        now,
    );
    assert!(refused.is_err_and(|e| e.to_string().contains("only a manager")));

    t.advance(Duration::minutes(5));
    let boss = t.sign_in(manager, MANAGER_PIN);
    let before = t.kiosk.store.head().unwrap().0;
    let correction = t
        .kiosk
        .store
        .record_correction(
            &boss,
            &tracking("MIS-0003"),
            delivery,
            CorrectionReason::ScannedInError,
            t.clock.now(),
        )
        .unwrap();
    assert_eq!(correction.seq, before + 1, "a new event; nothing edited");
    assert_eq!(correction.body.kind, EventKind::Correction);
    assert_eq!(correction.body.staff_id, Some(manager));
    let facts = Correction::from_facts(&correction.body.facts).unwrap();
    assert_eq!(facts.corrects, delivery);
    assert_eq!(facts.corrected_kind, EventKind::DriverDelivery);
    assert_eq!(facts.reason, CorrectionReason::ScannedInError);
    assert_eq!(correction.body.items[0].detail, "scanned in error");
    // The delivery event itself is unchanged, and the history shows both.
    let history = t.kiosk.store.parcel_history(&tracking("MIS-0003")).unwrap();
    let kinds: Vec<EventKind> = history.iter().map(|e| e.body.kind).collect();
    assert_eq!(kinds, [EventKind::DriverDelivery, EventKind::Correction]);

    // The corrected parcel is no longer on hand, and its code opens nothing.
    let parcel = t
        .kiosk
        .store
        .parcel(&tracking("MIS-0003"))
        .unwrap()
        .unwrap();
    assert_eq!(parcel.status, ParcelStatus::RecordedInError);
    assert_eq!(t.kiosk.store.on_hand().unwrap(), 2);
    assert_eq!(t.kiosk.store.count_in_custody().unwrap(), 2);
    assert!(
        t.kiosk
            .store
            .parcels_for_code(&code, &t.kiosk.codes)
            .unwrap()
            .is_empty()
    );
    // Only the latest record can be corrected, and a correction is not corrected.
    let again = t.kiosk.store.record_correction(
        &boss,
        &tracking("MIS-0003"),
        delivery,
        CorrectionReason::RecordedTwice,
        t.clock.now(),
    );
    assert!(
        again.is_err_and(|e| e.to_string().contains("only the parcel's latest record")),
        "the delivery is no longer the latest record"
    );
    let of_correction = t.kiosk.store.record_correction(
        &boss,
        &tracking("MIS-0003"),
        correction.seq,
        CorrectionReason::Other,
        t.clock.now(),
    );
    assert!(of_correction.is_err_and(|e| e.to_string().contains("cannot be corrected")));

    // A pickup recorded for the wrong parcel: OK-0001 was handed over instead of OK-0002.
    let pickup = t
        .kiosk
        .record(
            &boss,
            &[request(EventKind::CustomerPickup, &["OK-0002"])],
            t.clock.now(),
        )
        .unwrap()
        .last_seq;
    assert_eq!(t.kiosk.store.on_hand().unwrap(), 1);
    t.kiosk
        .store
        .record_correction(
            &boss,
            &tracking("OK-0002"),
            pickup,
            CorrectionReason::WrongParcel,
            t.clock.now(),
        )
        .unwrap();
    let back = t.kiosk.store.parcel(&tracking("OK-0002")).unwrap().unwrap();
    assert_eq!(
        back.status,
        ParcelStatus::HeldForCustomer,
        "back on its shelf"
    );
    assert_eq!(back.shelf, "A");
    assert_eq!(t.kiosk.store.on_hand().unwrap(), 2);
    t.kiosk
        .record(
            &boss,
            &[request(EventKind::CustomerPickup, &["OK-0001"])],
            t.clock.now(),
        )
        .unwrap();

    // The day's report reconciles: 3 received, 1 handed over, 1 receipt and 1 handover undone.
    let day = t.kiosk.config.calendar.local_date(now);
    let report = day_report(&t.kiosk, day).unwrap();
    assert_eq!(report.opening, 0);
    assert_eq!(report.corrections.receipts_undone, 1);
    assert_eq!(report.corrections.handovers_undone, 1);
    assert_eq!(report.closing, 1, "OK-0002 is the one parcel left");
    assert!(report.reconciles(), "{}", report.to_text());
    let text = report.to_full_text();
    assert!(text.contains("Check: 0 + 3 - 2 - 1 + 1 = 1"), "{text}");
    assert!(text.contains("  receipts undone"), "{text}");

    // verify replays the corrections into the same tables.
    verify_ok(&t);

    // The next day opens with what the corrections left, and reconciles too.
    t.advance(Duration::days(1));
    let next = day_report(&t.kiosk, day.succ_opt().unwrap()).unwrap();
    assert_eq!(next.opening, 1);
    assert!(next.reconciles(), "{}", next.to_text());

    // The mis-scanned parcel can be received properly later, and the ledger still verifies.
    let proof = t.sign_in(clerk, CLERK_PIN);
    t.kiosk
        .record(
            &proof,
            &[request(EventKind::DriverDelivery, &["MIS-0003"])],
            t.clock.now(),
        )
        .unwrap();
    assert_eq!(
        t.kiosk
            .store
            .parcel(&tracking("MIS-0003"))
            .unwrap()
            .unwrap()
            .status,
        ParcelStatus::HeldForCustomer
    );
    verify_ok(&t);

    // The export of the first day carries the corrections with their facts, and verifies.
    let out = t.dir.path().join("exports");
    let exported = export_days(
        &t.kiosk,
        day,
        day,
        &[ExportFormat::Csv, ExportFormat::Json],
        &out,
        t.clock.now(),
        &mut |_, _| {},
    )
    .unwrap();
    let (manifest, files) = read_export_folder(&exported.folder).unwrap();
    handoff_kiosk::domain::export_verify::verify_export(&manifest, &files, &t.kiosk.key.public())
        .unwrap();
    let json = String::from_utf8(files["ledger.json"].clone()).unwrap();
    assert!(json.contains("\"kind\": \"correction\"") || json.contains("\"kind\":\"correction\""));
    assert!(json.contains("scanned_in_error") && json.contains("wrong_parcel"));
}

#[test]
fn an_edit_of_a_corrected_parcels_row_is_caught_by_verify() {
    let mut t = new_kiosk();
    let manager = t.enrol("Ana Diaz", Role::Manager, MANAGER_PIN);
    let boss = t.sign_in(manager, MANAGER_PIN);
    let delivery = t
        .kiosk
        .record(
            &boss,
            &[request(EventKind::DriverDelivery, &["MIS-0001"])],
            t.clock.now(),
        )
        .unwrap()
        .last_seq;
    t.kiosk
        .store
        .record_correction(
            &boss,
            &tracking("MIS-0001"),
            delivery,
            CorrectionReason::WrongParcel,
            t.clock.now(),
        )
        .unwrap();
    verify_ok(&t);
    let ledger = t.ledger_path();
    let config = t.config_path();
    let TestKiosk { dir, kiosk, .. } = t;
    drop(kiosk);
    // Someone puts the parcel back on the shelf behind the kiosk's back.
    rusqlite::Connection::open(&ledger)
        .unwrap()
        .execute(
            "UPDATE parcels SET status = 'held_for_customer' WHERE tracking_id = 'MIS-0001'",
            [],
        )
        .unwrap();
    let output = kiosk_command(&config, &["verify"], None);
    let said = text(&output.stdout) + &text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(
        said.contains("MIS-0001") && said.contains("status"),
        "{said}"
    );
    drop(dir);
}
