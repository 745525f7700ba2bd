//! Screen tests for the second half of the counter: drop-offs, outgoing orders, driver pickup,
//! local delivery, search, the ledger view and the manager's desk. Each flow is driven by keys,
//! snapshotted at 80x24 and 120x40, and checked in the ledger through the library.

mod common;

use chrono::Duration;
use common::counter::*;
use common::*;
use crossterm::event::KeyCode;
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::custody::{EventKind, ParcelStatus};
use handoff_kiosk::domain::ids::StaffId;
use handoff_kiosk::store::Actor;
use handoff_kiosk::tui::app::Screen;
use handoff_kiosk::tui::flows::driver_pickup::DriverPickupFlow;

fn signed_in_manager() -> Counter {
    let mut c = counter();
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    c
}

fn confirm(c: &mut Counter, pin: &str) {
    c.key(KeyCode::Enter); // empty line: the list is complete
    c.type_text(pin);
    c.key(KeyCode::Enter);
}

fn last_event(c: &mut Counter) -> handoff_kiosk::domain::chain::LedgerEvent {
    let (count, _) = c.app.kiosk.store.head().unwrap();
    c.app.kiosk.store.event(count).unwrap().unwrap()
}

fn import(c: &mut Counter, rows: &[(&str, &str, &str, &str)]) {
    let mut csv = String::from("tracking_id,recipient_name,pickup_code,postal_code\n");
    for (id, name, code, postal) in rows {
        csv.push_str(&format!("{id},{name},{code},{postal}\n"));
    }
    c.announce_csv(&csv);
}

fn deliver(c: &mut Counter, ids: &[&str]) {
    c.type_text("d");
    c.key(KeyCode::Enter);
    for id in ids {
        c.scan(id);
    }
    confirm(c, MANAGER_PIN);
    c.key(KeyCode::Enter);
}

#[test]
fn drop_off_with_a_refusal_records_both_and_the_reason() {
    let mut c = signed_in_manager();
    c.type_text("o");
    c.scan("Lee Bo");
    c.scan("RET0001");
    c.scan("RET0002");
    c.key(KeyCode::F(2));
    c.key(KeyCode::F(2)); // second reason: over the size limit
    c.snapshot("dropoff_scanning");
    confirm(&mut c, MANAGER_PIN);
    c.snapshot("dropoff_recorded");
    let (count, _) = c.app.kiosk.store.head().unwrap();
    let taken = c.app.kiosk.store.event(count - 1).unwrap().unwrap();
    let refused = c.app.kiosk.store.event(count).unwrap().unwrap();
    assert_eq!(taken.body.kind, EventKind::CustomerDropOff);
    assert_eq!(taken.body.counterparty.reference, "Lee Bo");
    assert_eq!(refused.body.kind, EventKind::DropOffRefused);
    assert_eq!(refused.body.items[0].detail, "refused: over the size limit");
    let parcel = c
        .app
        .kiosk
        .store
        .parcel(&tracking("RET0001"))
        .unwrap()
        .unwrap();
    assert_eq!(
        (parcel.status, parcel.shelf.as_str(), parcel.origin.as_str()),
        (ParcelStatus::AwaitingDriver, "OUT", "drop_off")
    );
    assert_eq!(
        c.app
            .kiosk
            .store
            .parcel(&tracking("RET0002"))
            .unwrap()
            .unwrap()
            .status,
        ParcelStatus::RefusedAtReceipt
    );
}

#[test]
fn a_return_is_recorded_as_a_return() {
    let mut c = signed_in_manager();
    c.type_text("o");
    c.scan("REF-88");
    c.key(KeyCode::F(3));
    c.scan("RET0003");
    confirm(&mut c, MANAGER_PIN);
    assert_eq!(last_event(&mut c).body.kind, EventKind::CustomerReturn);
}

#[test]
fn outgoing_orders_wait_most_urgent_first_and_the_home_screen_warns() {
    let mut c = signed_in_manager();
    // The clock stands at 10:00 store time; register one order for 16:30 and one for 12:00.
    c.type_text("s");
    c.snapshot("order_setup");
    c.scan("");
    c.scan("ORD2001");
    confirm(&mut c, MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.type_text("s");
    for _ in 0..5 {
        c.key(KeyCode::Backspace);
    }
    c.scan("09:00");
    assert!(c.text_on_screen().contains("09:00 has passed today"));
    c.scan("12:00");
    c.scan("ORD1001");
    c.snapshot("order_scanning");
    confirm(&mut c, MANAGER_PIN);
    let event = last_event(&mut c);
    assert_eq!(event.body.kind, EventKind::OutgoingOrder);
    assert_eq!(event.body.items[0].detail, "leave by 12:00");
    c.key(KeyCode::Enter);
    assert!(
        !c.text_on_screen().contains("MUST LEAVE BY"),
        "not yet within the hour"
    );
    c.clock.advance(Duration::minutes(90)); // 11:30
    c.key(KeyCode::Char('r'));
    assert!(
        c.text_on_screen()
            .contains("1 SHOP ORDER MUST LEAVE BY 12:00"),
        "{}",
        c.text_on_screen()
    );
    c.snapshot("home_order_warning");
    c.type_text("t");
    let Some(flow) = c.app.flow::<DriverPickupFlow>() else {
        panic!("driver pickup")
    };
    let order: Vec<&str> = flow
        .list
        .lines
        .iter()
        .map(|l| l.parcel.tracking_id.as_str())
        .collect();
    assert_eq!(order, ["ORD1001", "ORD2001"], "the most urgent first");
}

#[test]
fn driver_pickup_takes_what_is_due_refuses_the_rest_and_binds_the_token() {
    let mut c = signed_in_manager();
    deliver(&mut c, &["EXP0001", "EXP0002"]);
    c.clock.advance(Duration::days(21));
    c.sign_in_again_if_locked();
    deliver(&mut c, &["NEW0001"]);
    c.type_text("o");
    c.scan("walk-in");
    c.scan("DRP0001");
    confirm(&mut c, MANAGER_PIN);
    c.key(KeyCode::Enter);

    c.type_text("t");
    c.scan("NEW0001");
    assert!(
        c.text_on_screen().contains("NOT ON THE LIST"),
        "{}",
        c.text_on_screen()
    );
    c.scan("EXP0001");
    c.scan("DRP0001");
    c.key(KeyCode::F(5));
    c.scan("DRV-7781");
    c.key(KeyCode::Up); // select EXP-0002 ...
    let Some(flow) = c.app.flow::<DriverPickupFlow>() else {
        panic!()
    };
    let index = flow
        .list
        .lines
        .iter()
        .position(|l| l.parcel.tracking_id.as_str() == "EXP0002")
        .unwrap();
    while let Some(flow) = c.app.flow::<DriverPickupFlow>() {
        if flow.list.selected == index {
            break;
        }
        c.key(if flow.list.selected > index {
            KeyCode::Up
        } else {
            KeyCode::Down
        });
    }
    c.key(KeyCode::F(4)); // ... which cannot be found
    c.snapshot("driver_pickup_list");
    c.key(KeyCode::Enter);
    c.snapshot("driver_pickup_qr");
    let Some(flow) = c.app.flow::<DriverPickupFlow>() else {
        panic!()
    };
    let token = flow.handshake.as_ref().unwrap().0.clone();
    assert_eq!(token.claims.parcel_count, 2);
    c.key(KeyCode::Enter); // the driver scanned
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    assert!(
        c.text_on_screen()
            .contains("2 parcels left with the driver, 1 not found"),
        "{}",
        c.text_on_screen()
    );
    let (count, _) = c.app.kiosk.store.head().unwrap();
    let pickup = c.app.kiosk.store.event(count - 1).unwrap().unwrap();
    assert_eq!(pickup.body.kind, EventKind::DriverPickup);
    assert_eq!(pickup.body.token_id, Some(token.token_id()));
    assert_eq!(pickup.body.counterparty.reference, "DRV-7781");
    assert_eq!(
        c.app.kiosk.store.event(count).unwrap().unwrap().body.kind,
        EventKind::UnableToFind
    );
    assert_eq!(
        c.app
            .kiosk
            .store
            .parcel(&tracking("EXP0001"))
            .unwrap()
            .unwrap()
            .status,
        ParcelStatus::WithDriver
    );
    assert!(
        c.app
            .kiosk
            .store
            .parcel(&tracking("EXP0002"))
            .unwrap()
            .unwrap()
            .missing
    );
    assert_eq!(
        c.app
            .kiosk
            .store
            .token(&token.token_id())
            .unwrap()
            .unwrap()
            .used_seq,
        Some(count - 1)
    );
}

#[test]
fn local_delivery_respects_the_service_area_and_records_out_and_back() {
    let rural = test_config_text()
        .replace(
            "capabilities = [\"PICK_UP\", \"DROP_OFF\"]",
            "capabilities = [\"PICK_UP\", \"DROP_OFF\", \"LOCAL_DELIVERY\"]",
        )
        .replace("service_area = []", "service_area = [\"85004\", \"85003\"]");
    let mut c = counter_with(&rural);
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    import(
        &mut c,
        &[
            ("LOC0001", "Dana Reyes", "482913", "85004"),
            ("LOC0002", "Sam Roe", "771204", "90210"),
        ],
    );
    deliver(&mut c, &["LOC0001", "LOC0002", "LOC0003"]);
    c.type_text("v");
    c.scan("LOC0002");
    assert!(
        c.text_on_screen()
            .contains("goes to 90210, outside the service area (85004, 85003)"),
        "{}",
        c.text_on_screen()
    );
    c.scan("LOC0003");
    assert!(c.text_on_screen().contains("no delivery postal code"));
    c.scan("LOC0001");
    c.snapshot("local_delivery_out");
    confirm(&mut c, MANAGER_PIN);
    assert_eq!(last_event(&mut c).body.kind, EventKind::LocalDeliveryOut);
    assert_eq!(
        c.app
            .kiosk
            .store
            .parcel(&tracking("LOC0001"))
            .unwrap()
            .unwrap()
            .status,
        ParcelStatus::OutForDelivery
    );
    c.key(KeyCode::Enter);
    c.type_text("v");
    c.key(KeyCode::F(3));
    c.key(KeyCode::F(7));
    c.key(KeyCode::F(7)); // second note: left with a neighbour
    c.snapshot("local_delivery_back");
    confirm(&mut c, MANAGER_PIN);
    let delivered = last_event(&mut c);
    assert_eq!(delivered.body.kind, EventKind::LocalDeliveryDelivered);
    assert_eq!(delivered.body.items[0].detail, "left with a neighbour");
    assert_eq!(
        c.app
            .kiosk
            .store
            .parcel(&tracking("LOC0001"))
            .unwrap()
            .unwrap()
            .status,
        ParcelStatus::Delivered
    );

    let mut city = signed_in_manager();
    city.type_text("v");
    assert!(city.text_on_screen().contains("does not deliver locally"));
}

#[test]
fn search_finds_by_any_part_name_and_shelf_and_shows_the_history() {
    let mut c = signed_in_manager();
    import(&mut c, &[(PARCELS[0], "Dana Reyes", "482913", "85004")]);
    deliver(&mut c, &[PARCELS[0], PARCELS[1]]);
    c.type_text("f");
    c.type_text("56784"); // the last digits of PARCELS[0]
    let text = c.text_on_screen();
    assert!(
        text.contains(PARCELS[0]) && !text.contains(PARCELS[1]),
        "{text}"
    );
    for _ in 0..5 {
        c.key(KeyCode::Backspace);
    }
    c.type_text("reyes");
    assert!(c.text_on_screen().contains("Dana Reyes"));
    c.snapshot("search_results");
    c.key(KeyCode::Enter);
    assert!(c.text_on_screen().contains("PARCEL HISTORY"));
    assert!(c.text_on_screen().contains("driver delivery"));
    c.snapshot("search_history");
    c.key(KeyCode::Esc);
    for _ in 0..5 {
        c.key(KeyCode::Backspace);
    }
    c.type_text("x");
    assert!(
        c.text_on_screen().contains(PARCELS[1]),
        "shelf X holds the unannounced parcel"
    );
}

#[test]
fn ledger_view_shows_the_day_filters_and_the_chain_state() {
    let mut c = signed_in_manager();
    deliver(&mut c, &[PARCELS[0]]);
    c.type_text("e");
    let text = c.text_on_screen();
    assert!(text.contains("chain verified up to event 2"), "{text}");
    assert!(text.contains("driver delivery") && text.contains("staff enrolled"));
    c.snapshot("ledger_today");
    c.key(KeyCode::F(3)); // the first kind on screen: the newest event's
    let text = c.text_on_screen();
    assert!(
        text.contains("kind: driver delivery") && !text.contains("staff enrolled"),
        "{text}"
    );
    c.key(KeyCode::Left);
    assert!(c.text_on_screen().contains("0 events"));
}

#[test]
fn the_ledger_view_reports_a_broken_chain() {
    let mut c = signed_in_manager();
    deliver(&mut c, &[PARCELS[0]]);
    let conn = rusqlite::Connection::open(c.app.kiosk.store.path()).unwrap();
    conn.execute_batch(
        "DROP TRIGGER events_no_update; UPDATE events SET note = 'edited' WHERE seq = 1;",
    )
    .unwrap();
    c.type_text("e");
    assert!(
        c.text_on_screen().contains("CHECK FAILED: at event 1"),
        "{}",
        c.text_on_screen()
    );
}

#[test]
fn a_clerk_cannot_enter_the_managers_desk() {
    let mut c = counter();
    c.enrol_manager();
    c.add_clerk();
    c.type_text("2");
    c.sign_in(CLERK_PIN);
    c.type_text("m");
    assert!(matches!(c.app.screen, Screen::Home));
    assert!(
        c.text_on_screen()
            .contains("Only a manager can open the manager's desk")
    );
}

#[test]
fn the_desk_adds_and_disables_staff_and_a_disabled_clerk_records_nothing() {
    let mut c = counter();
    c.enrol_manager();
    c.add_clerk();
    // The clerk signs in at the counter and starts a delivery ...
    c.type_text("2");
    c.sign_in(CLERK_PIN);
    c.type_text("d");
    c.key(KeyCode::Enter);
    c.scan(PARCELS[0]);
    // ... while a manager disables the clerk (here from the command line).
    let now = c.clock.now();
    c.app
        .kiosk
        .store
        .disable_staff(StaffId(2), Actor::AdminCommandLine, now)
        .unwrap();
    let before = c.events();
    confirm(&mut c, CLERK_PIN);
    assert!(
        c.text_on_screen().contains("disabled"),
        "{}",
        c.text_on_screen()
    );
    assert_eq!(
        c.events(),
        before,
        "a disabled staff member records nothing"
    );

    // The manager uses the desk: PIN to enter, add a clerk, confirm with the PIN.
    c.key(KeyCode::Esc);
    c.key(KeyCode::Esc);
    c.key(KeyCode::Esc);
    c.type_text("l");
    c.sign_in(MANAGER_PIN);
    c.type_text("m");
    c.snapshot("desk_entry");
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.snapshot("desk_menu");
    c.type_text("1a");
    c.type_text("Cy Park");
    c.key(KeyCode::Tab);
    c.type_text("826403");
    c.key(KeyCode::Tab);
    c.type_text("826403");
    c.key(KeyCode::Enter);
    assert!(
        c.text_on_screen().contains("PIN to confirm"),
        "{}",
        c.text_on_screen()
    );
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    assert!(
        c.text_on_screen().contains("Cy Park is staff number 3"),
        "{}",
        c.text_on_screen()
    );
    c.snapshot("desk_staff");
    let enrolled = last_event(&mut c);
    assert_eq!(enrolled.body.kind, EventKind::StaffEnrolled);
    assert_eq!(
        enrolled.body.staff_id,
        Some(StaffId(1)),
        "recorded under the manager's name"
    );
    // Disable Cy (selected after the add? choose with the arrows).
    c.key(KeyCode::Down);
    c.key(KeyCode::Down);
    c.type_text("x");
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    assert!(
        !c.app
            .kiosk
            .store
            .staff_member(StaffId(3))
            .unwrap()
            .unwrap()
            .active
    );
    assert_eq!(last_event(&mut c).body.kind, EventKind::StaffDisabled);
}

#[test]
fn the_desk_imports_expected_parcels_and_shows_the_store() {
    let mut c = signed_in_manager();
    let file = c.dir.path().join("carrier.csv");
    std::fs::write(
        &file,
        "tracking_id,recipient_name,pickup_code\nIMP-0001,Ana Lima,551902\n",
    )
    .unwrap();
    c.type_text("m");
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.type_text("2");
    c.scan(file.to_str().unwrap());
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    assert!(
        c.text_on_screen().contains("Done: 1 newly announced"),
        "{}",
        c.text_on_screen()
    );
    assert_eq!(
        last_event(&mut c).body.kind,
        EventKind::ExpectedParcelsImported
    );
    c.type_text("3");
    assert!(
        c.text_on_screen().contains("Thanksgiving") || c.text_on_screen().contains("Next closed")
    );
    c.snapshot("desk_store");
    c.key(KeyCode::Esc);
    c.type_text("5");
    c.type_text("605118");
    c.key(KeyCode::Enter);
    assert!(!c.app.should_quit, "a wrong PIN does not quit");
    // The prompt stays open for another try.
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    assert!(c.app.should_quit);
}

#[test]
fn the_shelf_check_reports_missing_unexpected_and_wrong_shelf() {
    let mut c = signed_in_manager();
    deliver(&mut c, &[PARCELS[0], PARCELS[1], PARCELS[2]]);
    c.type_text("m");
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.type_text("4");
    c.scan("SHELF:X");
    c.scan(PARCELS[0]);
    c.scan("SHELF:B");
    c.scan(PARCELS[1]);
    c.scan("STRAY0001");
    c.key(KeyCode::Enter);
    let text = c.text_on_screen();
    assert!(
        text.contains(&format!("MISSING     {}", PARCELS[2])),
        "{text}"
    );
    assert!(
        text.contains(&format!("WRONG SHELF {} found on B", PARCELS[1])),
        "{text}"
    );
    assert!(text.contains("UNEXPECTED  STRAY0001"), "{text}");
    c.snapshot("desk_shelf_check");
    let reports: Vec<_> = std::fs::read_dir(c.dir.path().join("data/reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(reports.len(), 1);
    let saved = std::fs::read_to_string(&reports[0]).unwrap();
    assert!(saved.contains("UNEXPECTED  STRAY0001"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&reports[0]).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[test]
fn the_desk_shows_the_days_report_and_exports_the_day_with_progress() {
    let mut c = signed_in_manager();
    deliver(&mut c, &[PARCELS[0], PARCELS[1]]);
    c.type_text("m");
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.type_text("6");
    let text = c.text_on_screen();
    assert!(text.contains("End of day  Tue 24 Nov 2026"), "{text}");
    assert!(
        text.contains("Check: 0 + 2 - 0 = 2") && text.contains("OK"),
        "{text}"
    );
    c.snapshot("desk_report");
    c.key(KeyCode::Esc);
    c.type_text("7");
    c.snapshot("desk_export_ready");
    c.key(KeyCode::Enter);
    // Today has not ended: the desk warns first, and a second Enter exports.
    let text = c.text_on_screen();
    assert!(text.contains("Tue 24 Nov has not ended"), "{text}");
    c.key(KeyCode::Enter);
    let text = c.text_on_screen();
    assert!(text.contains("✔ 2 events exported to"), "{text}");
    c.snapshot("desk_export_done");
    let folder = c.dir.path().join("exports/RVM-0045_2026-11-24");
    let (manifest, files) = handoff_kiosk::export::read_export_folder(&folder).unwrap();
    let summary = handoff_kiosk::domain::export_verify::verify_export(
        &manifest,
        &files,
        &c.app.kiosk.key.public(),
    )
    .unwrap();
    assert_eq!(summary.event_count, 2, "the enrolment and the delivery");
    assert_eq!(
        summary.complete,
        Some(false),
        "exported before the day ended"
    );
    // A second export of the same day goes to a fresh folder; the first is left as it is.
    c.key(KeyCode::Enter);
    assert!(
        c.text_on_screen().contains("RVM-0045_2026-11-24-2"),
        "{}",
        c.text_on_screen()
    );
    c.key(KeyCode::Enter);
    assert!(
        c.dir
            .path()
            .join("exports/RVM-0045_2026-11-24-2/manifest.json")
            .is_file()
    );
    assert_eq!(
        handoff_kiosk::export::read_export_folder(&folder)
            .unwrap()
            .0,
        manifest,
        "the first export is unchanged"
    );
}
