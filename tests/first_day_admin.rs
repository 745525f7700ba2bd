//! A clerk's first day (#14), the parts around staff: the first-run screen can be left in kiosk
//! mode (no manager exists yet to quit it), and staff names are unique at the desk too.

mod common;

use std::time::Duration;

use common::counter::*;
use common::pty::PtyKiosk;
use common::*;
use crossterm::event::KeyCode;
use handoff_kiosk::config::DEFAULT_CONFIG_TEXT;
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::tui::app::Screen;

const WAIT: Duration = Duration::from_secs(120);
const F10: &str = "\u{1b}[21~";

#[test]
fn the_first_run_screen_is_left_with_f10_twice_in_kiosk_mode_and_nothing_is_enrolled() {
    let dir = tempfile::tempdir().unwrap();
    assert!(DEFAULT_CONFIG_TEXT.contains("kiosk_mode = true"));
    let config = write_config(dir.path(), DEFAULT_CONFIG_TEXT);
    let mut kiosk = PtyKiosk::start(&config, (80, 24), &[("NO_COLOR", "1")]);
    kiosk.wait_for("WELCOME", WAIT);
    kiosk.wait_for("F10 leave", WAIT);
    kiosk.send("Ana");
    kiosk.send(F10);
    kiosk.wait_for("Nothing is enrolled yet", WAIT);
    // Any other key stays.
    kiosk.send("x");
    kiosk.wait_for("Staying", WAIT);
    std::thread::sleep(Duration::from_millis(200));
    assert!(kiosk.contents().contains("WELCOME"), "still running");
    kiosk.send(F10);
    kiosk.wait_for("Nothing is enrolled yet", WAIT);
    kiosk.send(F10);
    assert_eq!(kiosk.wait_exit(WAIT), 0);
    let listed = kiosk_command(&config, &["staff", "list"], None);
    assert!(text(&listed.stdout).contains("no staff yet"));
}

#[test]
fn esc_on_the_first_run_screen_asks_first_and_y_leaves() {
    let mut c = counter();
    c.type_text("Ana");
    c.key(KeyCode::Esc);
    assert!(c.text_on_screen().contains("Nothing is enrolled yet"));
    assert!(!c.app.should_quit);
    c.key(KeyCode::Esc);
    assert!(!c.app.should_quit, "a second Esc stays");
    assert!(matches!(c.app.screen, Screen::Enroll(_)));
    c.key(KeyCode::Esc);
    c.type_text("y");
    assert!(c.app.should_quit);
}

#[test]
fn the_desk_refuses_a_second_member_of_the_same_name() {
    let mut c = counter();
    c.enrol_manager(); // Ana Diaz
    c.sign_in(MANAGER_PIN);
    c.type_text("m");
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.type_text("1a");
    c.type_text("ana  DIAZ");
    c.key(KeyCode::Tab);
    c.type_text("826403");
    c.key(KeyCode::Tab);
    c.type_text("826403");
    c.key(KeyCode::Enter);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    let screen = c.text_on_screen();
    assert!(
        screen.contains("\"Ana Diaz\" (staff number 1) already has that name"),
        "{screen}"
    );
    assert_eq!(c.events(), [EventKind::StaffEnrolled]);
}
