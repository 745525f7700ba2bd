//! PIN prompts a new clerk meets (#14): an empty Enter is not a PIN and costs no try, the
//! refusal says how many tries remain before a wait, and the wait is told in store time.

mod common;

use common::counter::*;
use common::*;
use crossterm::event::KeyCode;
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::tui::app::Screen;

const WRONG: &str = "605118";
const HINT: &str = "Type your PIN first, then press Enter (nothing was tried)";

#[test]
fn stray_enters_at_sign_in_are_no_pin_and_lock_nobody() {
    let mut c = counter();
    c.enrol_manager();
    c.key(KeyCode::Enter); // to the PIN field
    for _ in 0..8 {
        c.key(KeyCode::Enter);
        assert!(matches!(c.app.screen, Screen::Lock(_)));
    }
    let screen = c.text_on_screen();
    assert!(screen.contains(HINT), "{screen}");
    assert!(!screen.contains("wrong staff number or PIN"), "{screen}");
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    assert!(
        matches!(c.app.screen, Screen::Home),
        "{}",
        c.text_on_screen()
    );
}

#[test]
fn stray_enters_at_a_pin_confirmation_are_no_pin_and_the_handoff_still_records() {
    let mut c = counter();
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    deliver_five(&mut c);
    c.key(KeyCode::Enter); // the list is complete: the PIN is asked for
    for _ in 0..6 {
        c.key(KeyCode::Enter);
    }
    let screen = c.text_on_screen();
    assert!(screen.contains(HINT), "{screen}");
    assert_eq!(c.events(), [EventKind::StaffEnrolled]);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    assert_eq!(
        c.events(),
        [EventKind::StaffEnrolled, EventKind::DriverDelivery],
        "{}",
        c.text_on_screen()
    );
}

#[test]
fn from_the_third_wrong_pin_the_prompt_counts_down_then_names_the_wait_in_store_time() {
    let mut c = counter();
    c.enrol_manager();
    c.sign_in(WRONG);
    assert!(!c.text_on_screen().contains("tries left"));
    c.type_text(WRONG);
    c.key(KeyCode::Enter);
    c.type_text(WRONG);
    c.key(KeyCode::Enter);
    let screen = c.text_on_screen();
    assert!(
        screen.contains("wrong staff number or PIN: 2 tries left before a 30 s wait"),
        "{screen}"
    );
    c.type_text(WRONG);
    c.key(KeyCode::Enter);
    let screen = c.text_on_screen();
    assert!(screen.contains("1 try left before a 30 s wait"), "{screen}");
    c.type_text(WRONG);
    c.key(KeyCode::Enter);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    // Tuesday 10:00 in Phoenix; the fifth wrong PIN asked for a 30 s wait.
    let screen = c.text_on_screen();
    assert!(
        screen.contains("try again at 10:00:30 MST"),
        "store time, not UTC: {screen}"
    );
    assert!(!screen.contains("UTC"), "{screen}");
}
