//! Text that enters the ledger: invisible format characters, bidi controls, line and
//! paragraph separators and controls are refused wherever they come from (staff names, notes,
//! references, recipient names in a carrier file, the import's source name, scans), with the
//! character named by its code, never silently dropped.

mod common;

use common::counter::*;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::pin::Pin;
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::store::{Actor, HandoffItem, HandoffRequest};
use handoff_kiosk::tui::event::Event;

/// The characters the attack used, and the code each refusal must name.
const DISGUISES: [(char, &str); 9] = [
    ('\u{061C}', "U+061C"),
    ('\u{2060}', "U+2060"),
    ('\u{E0041}', "U+E0041"),
    ('\u{00AD}', "U+00AD"),
    ('\u{2028}', "U+2028"),
    ('\u{2029}', "U+2029"),
    ('\u{202E}', "U+202E"),
    ('\u{2067}', "U+2067"),
    ('\u{1B}', "U+001B"),
];

#[test]
fn staff_names_refuse_invisible_and_direction_characters() {
    let mut t = new_kiosk();
    let hash = t
        .kiosk
        .pins
        .hash_new_pin(&Pin::new(CLERK_PIN), &t.kiosk.config.security.pin_policy)
        .unwrap();
    for (bad, code) in DISGUISES {
        for name in [format!("Bo{bad}b"), format!("Bob{bad}")] {
            let refused = t
                .kiosk
                .store
                .add_staff(
                    &name,
                    Role::Clerk,
                    &hash,
                    Actor::AdminCommandLine,
                    t.clock.now(),
                )
                .unwrap_err()
                .to_string();
            assert!(refused.contains(code), "{name:?}: {refused}");
        }
    }
    assert_eq!(
        t.kiosk.store.staff_count().unwrap(),
        0,
        "nobody was enrolled"
    );
}

#[test]
fn notes_and_references_refuse_them_too() {
    let mut t = new_kiosk();
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    let proof = t.sign_in(clerk, CLERK_PIN);
    for (bad, code) in DISGUISES {
        for (note, reference) in [
            (format!("left at door{bad}"), "D-0417".to_owned()),
            (String::new(), format!("D-04{bad}17")),
        ] {
            let request = HandoffRequest {
                kind: EventKind::DriverDelivery,
                counterparty: driver(&reference),
                items: vec![HandoffItem::on_shelf(tracking("PKG0001"), "A1")],
                token_id: None,
                note,
            };
            let refused = t
                .kiosk
                .record(&proof, &[request], t.clock.now())
                .unwrap_err()
                .to_string();
            assert!(refused.contains(code), "{refused}");
        }
    }
    assert_eq!(t.kiosk.store.head().unwrap().0, 1, "only the enrolment");
}

#[test]
fn an_import_refuses_a_disguised_recipient_name_naming_the_line_and_a_disguised_file_name() {
    let t = new_kiosk();
    let config = t.config_path();
    for (bad, code) in DISGUISES {
        let file = t.dir.path().join("carrier.csv");
        std::fs::write(
            &file,
            format!(
                "tracking_id,recipient_name,pickup_code\nTBA000000000001,Ana,482913\nTBA000000000002,Bo{bad},482914\n"
            ),
        )
        .unwrap();
        let output = kiosk_command(&config, &["import-expected", file.to_str().unwrap()], None);
        let err = text(&output.stderr);
        assert_ne!(output.status.code(), Some(0), "{bad:?} was imported");
        assert!(
            err.contains("line 3: recipient_name") && err.contains(code),
            "{err}"
        );
    }
    // An escape sequence in the file's own name, which becomes the import's source name.
    let named = t.dir.path().join("carrier\u{1b}[2J.csv");
    std::fs::write(
        &named,
        "tracking_id,recipient_name,pickup_code\nTBA000000000001,Ana,482913\n",
    )
    .unwrap();
    let output = kiosk_command(&config, &["import-expected", named.to_str().unwrap()], None);
    let err = text(&output.stderr);
    assert_ne!(output.status.code(), Some(0), "the import went through");
    assert!(
        err.contains("source name") && err.contains("U+001B"),
        "{err}"
    );
    assert_eq!(
        t.kiosk.store.head().unwrap().0,
        0,
        "nothing reached the ledger"
    );
}

fn press(c: &mut Counter, code: KeyCode, modifiers: KeyModifiers) {
    c.app.handle(Event::Key(KeyEvent::new(code, modifiers)));
}

#[test]
fn a_tab_or_a_gs_inside_a_scan_separates_parts_and_never_joins_them() {
    let mut c = counter();
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    c.type_text("d");
    c.key(KeyCode::Enter); // the driver has scanned the QR
    // A Tab between two halves of a code: two parts, never joined into one id.
    c.type_text("PKG00");
    press(&mut c, KeyCode::Tab, KeyModifiers::NONE);
    c.type_text("01");
    c.key(KeyCode::Enter);
    let screen = c.text_on_screen();
    assert!(screen.contains("2 separate parts"), "{screen}");
    assert!(!screen.contains("PKG0001"), "{screen}");
    // GS (the GS1 field separator), which a terminal reports as Ctrl+]: the same.
    c.type_text("PKG00");
    press(&mut c, KeyCode::Char(']'), KeyModifiers::CONTROL);
    c.type_text("02");
    c.key(KeyCode::Enter);
    let screen = c.text_on_screen();
    assert!(screen.contains("2 separate parts"), "{screen}");
    assert!(!screen.contains("PKG0002"), "{screen}");
    // A USPS label's barcode: `420` + ZIP, GS, then the tracking number. The routing part is
    // the barcode's, not the parcel's: the tracking number alone goes on the list.
    c.type_text("42085004");
    press(&mut c, KeyCode::Char(']'), KeyModifiers::CONTROL);
    c.type_text("9205590164917312751089");
    c.key(KeyCode::Enter);
    c.scan_only(UNANNOUNCED_RECIPIENT); // not announced: the name from its label
    let screen = c.text_on_screen();
    assert!(screen.contains("9205590164917312751089"), "{screen}");
    assert!(
        !screen.contains("420850049205590164917312751089"),
        "{screen}"
    );
    assert!(
        screen.contains("USPS"),
        "the carrier is on the row:\n{screen}"
    );
    // And a clean scan still goes on the list.
    c.scan("PKG0003");
    assert!(c.text_on_screen().contains("PKG0003"));
}

#[test]
fn a_tab_inside_a_scan_in_a_list_flow_separates_parts_too() {
    let mut c = counter();
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    c.type_text("o"); // customer drop-off
    c.scan("Lee Bo");
    c.type_text("RET");
    press(&mut c, KeyCode::Tab, KeyModifiers::NONE);
    c.type_text("0001");
    c.key(KeyCode::Enter);
    let screen = c.text_on_screen();
    assert!(screen.contains("2 separate parts"), "{screen}");
    assert!(!screen.contains("RET0001"), "{screen}");
}
