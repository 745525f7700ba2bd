//! Carrier labels end to end on a real ledger file: a parcel announced by the carrier's
//! tracking number and received by whatever its barcode holds is the same parcel; the carrier
//! is on the parcel, in each carrier's hold, the driver's due list, the counts, the report and
//! the exports; `import-expected` names every line it refuses and imports nothing then.
//!
//! Label samples are the published ones `src/domain/labels/tests/samples.rs` cites: USPS
//! `9205590164917312751089` (issue #13), FedEx `1001901781990001000300617767839437`
//! (jkeen/tracking_number_data `couriers/fedex.json`), DPD `%008182709980000020033350276`
//! (DPD's barcode layout applied to the tnd `dpd.json` samples).

mod common;

use chrono::Duration;
use common::*;
use handoff_kiosk::domain::calendar::HoldRule;
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::codes::PickupCode;
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::expected::parse_announcement;
use handoff_kiosk::domain::labels::{Carrier, identify_label};
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::export::{ExportFormat, export_days, read_export_folder};
use handoff_kiosk::report::day_report;
use handoff_kiosk::setup;
use handoff_kiosk::store::{Actor, FileCheck, HandoffItem, HandoffRequest};

const USPS_ID: &str = "9205590164917312751089";
/// What a USPS barcode holds: the GS1 ship-to ZIP (`420` + 85004), a GS, the tracking number.
const USPS_SCAN: &str = "42085004\u{1d}9205590164917312751089";
const FEDEX_ID: &str = "617767839437";
const FEDEX_SCAN: &str = "1001901781990001000300617767839437";
const DPD_ID: &str = "09980000020033";
const DPD_SCAN: &str = "%008182709980000020033350276";

fn announcement() -> String {
    format!(
        "tracking_id,recipient_name,pickup_code,postal_code\n\
         {USPS_ID},Dana Reyes,482913,85004\n\
         {FEDEX_ID},Eli Novak,771204,85004\n\
         {DPD_ID},Fay Okafor,390517,85004\n"
    )
}

fn hold(days: u32, count_closed_days: bool) -> HoldRule {
    HoldRule {
        pickup_days: days,
        count_closed_days,
    }
}

#[test]
fn parcels_announced_by_number_and_scanned_by_barcode_are_one_parcel_each() {
    let mut t = new_kiosk();
    t.enrol("Ana Diaz", Role::Manager, MANAGER_PIN);
    let clerk = t.enrol("Bo Lee", Role::Clerk, CLERK_PIN);
    let rules = t.kiosk.config.carriers.clone();
    let announced = parse_announcement(announcement().as_bytes(), &rules).unwrap();
    let outcome = t
        .kiosk
        .store
        .import_expected(
            &announced,
            "carrier.csv",
            &t.kiosk.codes,
            Actor::AdminCommandLine,
            t.clock.now(),
        )
        .unwrap();
    assert_eq!(outcome.announced, 3);

    // Not here yet: found by the start of the name in any case, or by the id as typed.
    let waiting = t.kiosk.store.search_announced("dana", 10).unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].tracking_id.as_str(), USPS_ID);
    assert_eq!(waiting[0].carrier, Carrier::Usps);
    let typed = t
        .kiosk
        .store
        .search_announced("9205 5901 6491 7312 7510 89", 10)
        .unwrap();
    assert_eq!(typed.len(), 1, "{typed:?}");

    // The driver delivers; the counter reads each barcode as a label first.
    let now = t.clock.now();
    let scanned: Vec<_> = [USPS_SCAN, FEDEX_SCAN, DPD_SCAN]
        .iter()
        .map(|scan| identify_label(scan, rules.label_policy()).unwrap())
        .collect();
    assert!(scanned.iter().all(|label| rules.accepts(&label.carrier)));
    let ids: Vec<&str> = scanned.iter().map(|l| l.tracking_id.as_str()).collect();
    assert_eq!(ids, [USPS_ID, FEDEX_ID, DPD_ID]);
    let proof = t.sign_in(clerk, CLERK_PIN);
    let delivery = HandoffRequest {
        kind: EventKind::DriverDelivery,
        counterparty: driver("D-0417"),
        items: scanned
            .iter()
            .enumerate()
            .map(|(bin, label)| {
                HandoffItem::on_shelf(label.tracking_id.clone(), &format!("A{bin}"))
            })
            .collect(),
        token_id: None,
        note: String::new(),
    };
    let drop_off = HandoffRequest {
        kind: EventKind::CustomerDropOff,
        counterparty: customer("Gus Weber"),
        items: vec![HandoffItem::on_shelf(tracking("DROPOFF0001"), "R1")],
        token_id: None,
        note: String::new(),
    };
    let receipt = t.kiosk.record(&proof, &[delivery, drop_off], now).unwrap();
    // All three were announced: none gets a code of the kiosk's own.
    assert!(
        receipt.generated_codes.is_empty(),
        "{:?}",
        receipt.generated_codes
    );

    // The customers' own codes find their parcels.
    for (code, id) in [
        ("482913", USPS_ID),
        ("771204", FEDEX_ID),
        ("390517", DPD_ID),
    ] {
        let found = t
            .kiosk
            .store
            .parcels_for_code(&PickupCode::parse(code).unwrap(), &t.kiosk.codes)
            .unwrap();
        assert_eq!(found.len(), 1, "{code}");
        assert_eq!(found[0].tracking_id.as_str(), id);
    }
    assert!(
        t.kiosk
            .store
            .search_announced("Dana", 10)
            .unwrap()
            .is_empty()
    );

    // The carrier on the parcel, and each carrier's hold from kiosk.toml.
    let calendar = &t.kiosk.config.calendar;
    for (id, carrier, rule) in [
        (USPS_ID, Carrier::Usps, hold(15, true)),
        (FEDEX_ID, Carrier::FedEx, hold(5, false)),
        (DPD_ID, Carrier::Dpd, hold(7, true)),
    ] {
        let parcel = t.kiosk.store.parcel(&tracking(id)).unwrap().unwrap();
        assert_eq!(parcel.carrier, carrier);
        assert_eq!(
            parcel.hold_expires_at,
            Some(calendar.hold_expiry_under(now, rule)),
            "{id}"
        );
    }
    let drop = t
        .kiosk
        .store
        .parcel(&tracking("DROPOFF0001"))
        .unwrap()
        .unwrap();
    assert_eq!(drop.carrier, Carrier::Other);

    let mut on_hand = t.kiosk.store.on_hand_by_carrier().unwrap();
    on_hand.sort_by_key(|(carrier, _)| carrier.code());
    assert_eq!(
        on_hand,
        [
            (Carrier::Dpd, 1),
            (Carrier::FedEx, 1),
            (Carrier::Other, 1),
            (Carrier::Usps, 1)
        ]
    );

    // Eight days on, FedEx (5 open days) and DPD (7 days) are due back; USPS (15) is not. The
    // drop-off names no carrier, so it is on every driver's list.
    t.advance(Duration::days(8));
    let later = t.clock.now();
    let due = |carrier: Option<&Carrier>| -> Vec<String> {
        t.kiosk
            .store
            .parcels_due_to_driver_for(later, carrier)
            .unwrap()
            .iter()
            .map(|p| p.tracking_id.to_string())
            .collect()
    };
    assert_eq!(due(Some(&Carrier::Dpd)), [DPD_ID, "DROPOFF0001"]);
    assert_eq!(due(Some(&Carrier::FedEx)), [FEDEX_ID, "DROPOFF0001"]);
    assert_eq!(due(Some(&Carrier::Ups)), ["DROPOFF0001"]);
    assert_eq!(due(None).len(), 3);

    // The report counts by carrier; verify replays the carrier column.
    let day = calendar.local_date(now);
    let report = day_report(&t.kiosk, day).unwrap();
    let received = |carrier: Carrier| {
        report
            .by_carrier
            .iter()
            .find(|count| count.carrier == carrier)
            .map(|count| count.received)
    };
    assert_eq!(received(Carrier::Usps), Some(1));
    assert_eq!(received(Carrier::Other), Some(1));
    assert!(report.to_full_text().contains("By carrier"));
    let public_key = setup::ledger_public_key(&t.kiosk.store).unwrap();
    let verified = t
        .kiosk
        .store
        .verify("RVM-0045", &public_key, FileCheck::Full)
        .unwrap();
    assert!(verified.is_ok(), "{verified:?}");

    // The exports say the carrier beside each parcel.
    let out = t.dir.path().join("exports");
    let folder = export_days(
        &t.kiosk,
        day,
        day,
        &[ExportFormat::Csv, ExportFormat::Json],
        &out,
        later,
        &mut |_, _| {},
    )
    .unwrap()
    .folder;
    let (_, files) = read_export_folder(&folder).unwrap();
    let mut reader = csv::Reader::from_reader(files["ledger.csv"].as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let (id_column, carrier_column) = (
        header.iter().position(|h| h == "tracking_id").unwrap(),
        header.iter().position(|h| h == "carrier").unwrap(),
    );
    let carriers: Vec<(String, String)> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| !r[id_column].is_empty() && &r[2] == "driver_delivery")
        .map(|r| (r[id_column].to_owned(), r[carrier_column].to_owned()))
        .collect();
    assert_eq!(
        carriers,
        [
            (USPS_ID.to_owned(), "usps".to_owned()),
            (FEDEX_ID.to_owned(), "fedex".to_owned()),
            (DPD_ID.to_owned(), "dpd".to_owned())
        ]
    );
    let json: serde_json::Value = serde_json::from_slice(&files["ledger.json"]).unwrap();
    let delivery = json
        .as_array()
        .unwrap()
        .iter()
        .find(|event| event["kind"] == "driver_delivery")
        .unwrap();
    assert_eq!(
        delivery["item_carriers"],
        serde_json::json!(["usps", "fedex", "dpd"])
    );
}

#[test]
fn an_announcement_with_a_bad_check_digit_is_refused_whole_naming_the_line() {
    let mut t = new_kiosk();
    let file = t.dir.path().join("carrier.csv");
    std::fs::write(
        &file,
        "tracking_id,recipient_name,pickup_code\n\
         1Z999AA10123456784,Hana Park,482913\n\
         1Z999AA10123456785,Ivo Silva,482914\n\
         NOSUCHFORMAT1,Jo Young,482915\n",
    )
    .unwrap();
    let output = kiosk_command(
        &t.config_path(),
        &["import-expected", file.to_str().unwrap()],
        None,
    );
    let err = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("2 lines refused, nothing imported"), "{err}");
    assert!(
        err.contains("line 3: tracking_id: check digit does not match"),
        "{err}"
    );
    assert!(
        err.contains("line 4: tracking_id: not a label format"),
        "{err}"
    );
    t.reopen();
    assert!(
        t.kiosk
            .store
            .search_announced("Hana", 10)
            .unwrap()
            .is_empty()
    );

    // The good line alone goes in; the same file again is listed as unchanged, not repeated.
    std::fs::write(
        &file,
        "tracking_id,recipient_name,pickup_code\n1z 999 aa1 0123 4567 84,Hana Park,482913\n",
    )
    .unwrap();
    for says in ["1 newly announced", "0 newly announced, 1 unchanged"] {
        let output = kiosk_command(
            &t.config_path(),
            &["import-expected", file.to_str().unwrap()],
            None,
        );
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        assert!(
            text(&output.stdout).contains(says),
            "{}",
            text(&output.stdout)
        );
    }
    t.reopen();
    let found = t.kiosk.store.search_announced("hana", 10).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].tracking_id.as_str(), "1Z999AA10123456784");
    assert_eq!(found[0].carrier, Carrier::Ups);
}
