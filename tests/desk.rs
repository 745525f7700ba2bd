//! The manager's desk at 80x24: every page is on its menu, a mistaken record is corrected from
//! it, the report scrolls to its last line, a day not finished exports with a warning and says
//! so in its manifest, a repeated export gets a fresh folder, and the shelf check judges only
//! the shelves scanned.

mod common;

use common::counter::*;
use common::*;
use crossterm::event::KeyCode;
use handoff_kiosk::domain::custody::{EventKind, ParcelStatus};

fn signed_in_manager() -> Counter {
    let mut c = counter();
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    c
}

fn deliver(c: &mut Counter, ids: &[&str]) {
    c.type_text("d");
    c.key(KeyCode::Enter);
    for id in ids {
        c.scan(id);
    }
    c.key(KeyCode::Enter);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.key(KeyCode::Enter);
}

fn open_desk(c: &mut Counter) {
    c.type_text("m");
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
}

fn screen_80(c: &Counter) -> String {
    c.screen(80, 24)
}

#[test]
fn the_menu_lists_every_page() {
    let mut c = signed_in_manager();
    open_desk(&mut c);
    let text = screen_80(&c);
    for page in [
        "1  Staff",
        "2  Import",
        "3  Store",
        "4  Shelf check",
        "5  Quit",
        "6  End-of-day report",
        "7  Export a day",
        "8  Correct a mistaken record",
    ] {
        assert!(text.contains(page), "{page} is not on the menu:\n{text}");
    }
}

#[test]
fn a_mis_scanned_parcel_is_corrected_from_the_desk() {
    let mut c = signed_in_manager();
    deliver(&mut c, &[PARCELS[0], PARCELS[1]]);
    assert_eq!(c.app.kiosk.store.on_hand().unwrap(), 2);
    open_desk(&mut c);
    c.type_text("8");
    c.scan(PARCELS[1]);
    let text = screen_80(&c);
    assert!(text.contains("driver delivery (latest)"), "{text}");
    assert!(text.contains("held for its customer"), "{text}");
    c.key(KeyCode::F(3)); // wrong parcel scanned
    c.snapshot("desk_correct");
    c.key(KeyCode::Enter);
    assert!(
        screen_80(&c).contains(&format!("Your PIN to correct event 2 of {}", PARCELS[1])),
        "{}",
        screen_80(&c)
    );
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    let text = c.text_on_screen();
    assert!(
        text.contains(&format!(
            "Done: event 2 undone; {} is now recorded in error.",
            PARCELS[1]
        )),
        "{text}"
    );
    c.snapshot("desk_corrected");
    let (count, _) = c.app.kiosk.store.head().unwrap();
    let event = c.app.kiosk.store.event(count).unwrap().unwrap();
    assert_eq!(event.body.kind, EventKind::Correction);
    assert_eq!(event.body.items[0].detail, "wrong parcel scanned");
    let parcel = c
        .app
        .kiosk
        .store
        .parcel(&tracking(PARCELS[1]))
        .unwrap()
        .unwrap();
    assert_eq!(parcel.status, ParcelStatus::RecordedInError);
    assert_eq!(c.app.kiosk.store.on_hand().unwrap(), 1);
    // The correction itself is now the latest record, and cannot be corrected.
    c.key(KeyCode::Enter);
    assert!(
        c.text_on_screen().contains("cannot be corrected"),
        "{}",
        c.text_on_screen()
    );
}

#[test]
fn only_the_latest_record_can_be_chosen_and_an_unknown_parcel_is_named() {
    let mut c = signed_in_manager();
    deliver(&mut c, &[PARCELS[0]]);
    open_desk(&mut c);
    c.type_text("8");
    c.scan("NOPE0001");
    assert!(
        c.text_on_screen()
            .contains("NOPE0001 is not in the store's records"),
        "{}",
        c.text_on_screen()
    );
    c.scan(PARCELS[0]);
    c.key(KeyCode::Up);
    c.key(KeyCode::Enter);
    assert!(c.app.kiosk.store.head().unwrap().0 == 2, "nothing recorded");
}

#[test]
fn the_report_scrolls_to_its_last_line_at_80x24() {
    let mut c = signed_in_manager();
    deliver(&mut c, &[PARCELS[0], PARCELS[1]]);
    open_desk(&mut c);
    c.type_text("6");
    let top = screen_80(&c);
    assert!(top.contains("End of day"), "{top}");
    assert!(
        !top.contains("Chain head"),
        "the report is longer than the screen:\n{top}"
    );
    assert!(top.contains("↓") && top.contains("more lines"), "{top}");
    c.key(KeyCode::End);
    let end = screen_80(&c);
    for wanted in [
        "Handoffs by staff",
        "Ana Diaz",
        "Chain head after event",
        "↑ more above",
    ] {
        assert!(end.contains(wanted), "{wanted}:\n{end}");
    }
    assert!(!end.contains("more lines"), "nothing further below:\n{end}");
    c.snapshot("desk_report_end");
    // ↑ moves at once after End; Home goes back to the top; PgDn and ↓ reach the check line.
    c.key(KeyCode::Up);
    assert!(screen_80(&c).contains("↓ 1 more line"), "{}", screen_80(&c));
    c.key(KeyCode::Home);
    assert_eq!(screen_80(&c), top);
    c.key(KeyCode::PageDown);
    assert!(
        screen_80(&c).contains("Check: 0 + 2 - 0 = 2"),
        "{}",
        screen_80(&c)
    );
}

#[test]
fn the_shelf_check_judges_only_the_shelves_scanned_and_says_states_in_words() {
    let mut c = signed_in_manager();
    // PARCELS[2] is announced for Ana Lima and goes to shelf L; the other two to shelf X.
    let csv = format!(
        "tracking_id,recipient_name,pickup_code,postal_code\n{},Ana Lima,551902,85001\n",
        PARCELS[2]
    );
    c.announce_csv(&csv);
    deliver(&mut c, &[PARCELS[0], PARCELS[1], PARCELS[2]]);
    let shelf_of = |c: &Counter, id: &str| {
        c.app
            .kiosk
            .store
            .parcel(&tracking(id))
            .unwrap()
            .unwrap()
            .shelf
    };
    assert_eq!(shelf_of(&c, PARCELS[0]), "X");
    assert_eq!(shelf_of(&c, PARCELS[2]), "L");
    open_desk(&mut c);
    c.type_text("4");
    c.scan("SHELF:X");
    c.scan(PARCELS[0]);
    c.key(KeyCode::Enter);
    let text = c.text_on_screen();
    assert!(
        text.contains(&format!(
            "MISSING     {} (shelf X, held for its customer)",
            PARCELS[1]
        )),
        "{text}"
    );
    assert!(
        !text.contains(PARCELS[2]),
        "shelf L was not checked, so its parcel is not missing:\n{text}"
    );
    assert!(!text.contains("held_for_customer"), "{text}");
    assert!(text.contains("Shelf X; 1 parcel scanned"), "{text}");
    // Every parcel of the shelves scanned found: the report says so, counting in words.
    c.scan(PARCELS[1]);
    c.key(KeyCode::Enter);
    let text = c.text_on_screen();
    assert!(
        text.contains("All 2 parcels on record on shelf X were found where they should be."),
        "{text}"
    );
    assert!(
        text.contains("Report saved"),
        "a second check keeps its own file:\n{text}"
    );
}

#[test]
fn a_finished_day_exports_at_once_and_today_only_after_a_warning() {
    let mut c = signed_in_manager();
    deliver(&mut c, &[PARCELS[0]]);
    open_desk(&mut c);
    c.type_text("7");
    c.key(KeyCode::Left); // yesterday: over, exported at the first Enter
    c.key(KeyCode::Enter);
    let text = c.text_on_screen();
    assert!(text.contains("✔ 0 events exported to"), "{text}");
    assert!(!text.contains("complete"), "{text}");
    let (manifest, _) = handoff_kiosk::export::read_export_folder(
        &c.dir.path().join("exports/RVM-0045_2026-11-23"),
    )
    .unwrap();
    assert!(String::from_utf8_lossy(&manifest).contains("\"complete\": true"));
    c.key(KeyCode::Right); // today
    c.key(KeyCode::Enter);
    let warned = screen_80(&c);
    assert!(warned.contains("Tue 24 Nov has not ended"), "{warned}");
    assert!(
        !c.dir.path().join("exports/RVM-0045_2026-11-24").exists(),
        "nothing is written before the second Enter"
    );
    c.snapshot("desk_export_warning");
    c.key(KeyCode::Enter);
    let (manifest, _) = handoff_kiosk::export::read_export_folder(
        &c.dir.path().join("exports/RVM-0045_2026-11-24"),
    )
    .unwrap();
    assert!(String::from_utf8_lossy(&manifest).contains("\"complete\": false"));
}
