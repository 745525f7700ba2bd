//! The counter's refusals in Spanish, where the clerk reads them: a spoiled scan (a stuck
//! scanner's burst, a control character), a label that is not one (too short, a wrong check
//! digit), a bad shelf, a badge too long, a spoiled pickup code and proxy's name, a national
//! post's parcel in the carrier column; and the same refusals still read in English for an
//! English clerk.

mod common;

use common::counter::*;
use common::*;
use crossterm::event::KeyCode;
use handoff_kiosk::tui::flows::delivery::DeliveryFlow;

fn counter_speaking(lang: &str) -> Counter {
    let text = test_config_text();
    assert!(
        text.contains("language = \"en\""),
        "the config names a language"
    );
    counter_with(&text.replace("language = \"en\"", &format!("language = \"{lang}\"")))
}

fn delivering(lang: &str) -> Counter {
    let mut c = counter_speaking(lang);
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    c.type_text("d");
    c.key(KeyCode::Enter); // the driver has scanned the QR
    c
}

/// A UPU S10 number with a valid check digit (12345678 -> 5), issued by the US post.
const POST_PARCEL: &str = "RA123456785US";

#[test]
fn spoiled_scans_are_refused_in_spanish() {
    let mut c = delivering("es");
    c.type_text(&"X".repeat(300));
    let screen = c.screen(80, 24);
    assert!(screen.contains("(+236 de más)"), "{screen}");
    c.key(KeyCode::Enter);
    let text = c.text_on_screen();
    assert!(
        text.contains("Escaneo rechazado: tenía 300 caracteres; escanee de nuevo."),
        "{text}"
    );
    c.scan("AB\u{1b}[31mCD");
    let text = c.text_on_screen();
    assert!(
        text.contains("traía 1 carácter invisible o de control, el primero U+001B"),
        "{text}"
    );
    c.scan("AB");
    let text = c.text_on_screen();
    assert!(
        text.contains("No es una etiqueta de paquete: el escaneo tiene 2 caracteres"),
        "{text}"
    );
    c.scan("9205590164917312751088");
    let text = c.screen(120, 40);
    assert!(
        text.contains("leído como número USPS") && text.contains("de 22 dígitos"),
        "{text}"
    );
    c.scan("AB\u{7}CD");
    c.snapshot("delivery_garbage_refused_es");
    let Some(flow) = c.app.flow::<DeliveryFlow>() else {
        panic!("left the delivery")
    };
    assert!(flow.lines.is_empty());
}

#[test]
fn the_same_scans_still_read_in_english() {
    let mut c = delivering("en");
    c.type_text(&"X".repeat(300));
    assert!(c.screen(80, 24).contains("(+236 too many)"));
    c.key(KeyCode::Enter);
    assert!(
        c.text_on_screen()
            .contains("That scan was 300 characters long and was refused; scan again.")
    );
    c.scan("9205590164917312751088");
    assert!(c.screen(120, 40).contains("read as a USPS 22-digit number"));
    c.key(KeyCode::F(5));
    c.scan_only(&"B".repeat(50));
    assert!(
        c.text_on_screen()
            .contains("the badge has 50 characters; at most 40 are allowed")
    );
}

#[test]
fn a_bad_shelf_a_badge_and_a_name_are_refused_in_spanish() {
    let mut c = delivering("es");
    c.scan(PARCELS[0]); // unannounced: the test clerk types a name
    c.key(KeyCode::F(4));
    c.scan_only("A B");
    let text = c.text_on_screen();
    assert!(
        text.contains("\"A B\" no es un estante: use letras, dígitos y guiones"),
        "{text}"
    );
    c.key(KeyCode::F(4));
    c.scan_only("SHELF6");
    let text = c.text_on_screen();
    assert!(
        text.contains("\"SHELF6\" es muy largo para un estante"),
        "{text}"
    );
    // A badge is cut at 40 characters; the scan line holds 64 (more is a spoiled scan).
    c.key(KeyCode::F(5));
    c.scan_only(&"B".repeat(50));
    let text = c.text_on_screen();
    assert!(
        text.contains("El gafete tiene 50 caracteres; se permiten 40 como máximo"),
        "{text}"
    );
    c.snapshot("delivery_bad_badge_es");
}

#[test]
fn a_national_post_is_named_in_the_customers_language() {
    let mut c = delivering("es");
    c.scan(POST_PARCEL);
    let screen = c.screen(80, 24);
    assert!(screen.contains("correo US"), "{screen}");
    let mut c = delivering("en");
    c.scan(POST_PARCEL);
    let screen = c.screen(80, 24);
    assert!(screen.contains("post (US)"), "{screen}");
}

#[test]
fn a_pickup_code_and_a_proxys_name_are_refused_in_spanish() {
    let mut c = counter_speaking("es");
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    let csv = format!(
        "tracking_id,recipient_name,pickup_code\n{},Dana Reyes,482913\n",
        PARCELS[0]
    );
    c.announce_csv(&csv);
    c.type_text("d");
    c.key(KeyCode::Enter);
    c.scan(PARCELS[0]);
    c.key(KeyCode::Enter);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.key(KeyCode::Enter); // home
    c.type_text("p");
    c.type_text("48\u{1b}2913");
    c.key(KeyCode::Enter);
    let text = c.text_on_screen();
    assert!(
        text.contains("Escaneo rechazado: traía 1 carácter"),
        "{text}"
    );
    c.scan_only("482913");
    c.key(KeyCode::F(7));
    c.scan_only(&"J".repeat(70));
    let text = c.text_on_screen();
    assert!(
        text.contains("Escaneo rechazado: tenía 70 caracteres; escanee de nuevo."),
        "{text}"
    );
}
