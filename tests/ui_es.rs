//! The counter flows in Spanish: the delivery with its QR panel, a pickup (the parcel list and
//! the ID check), a drop-off with a refusal and a driver pickup, snapshotted at 80x24 and
//! 120x40; the customer's language switched apart from the clerk's (F12); plurals from the
//! message files; and a refusal recorded the same whatever the language.

mod common;

use common::counter::*;
use common::*;
use crossterm::event::KeyCode;
use handoff_kiosk::domain::chain::EventBody;
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::tui::flows::pickup::{PickupFlow, PickupStep};

/// The test kiosk with the counter speaking `lang` (every clerk's language until staff have
/// their own).
fn counter_speaking(lang: &str) -> Counter {
    let text = test_config_text();
    assert!(
        text.contains("language = \"en\""),
        "the config names a language"
    );
    counter_with(&text.replace("language = \"en\"", &format!("language = \"{lang}\"")))
}

fn signed_in(lang: &str) -> Counter {
    let mut c = counter_speaking(lang);
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    c
}

fn confirm(c: &mut Counter) {
    c.key(KeyCode::Enter); // empty line: the list is complete
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
}

fn bodies(c: &Counter) -> Vec<EventBody> {
    let (count, _) = c.app.kiosk.store.head().unwrap();
    (1..=count)
        .map(|seq| c.app.kiosk.store.event(seq).unwrap().unwrap().body)
        .collect()
}

/// Dana Reyes has two parcels waiting (code 482913), Ray Reyna one (code 771204).
fn with_parcels_held(lang: &str) -> Counter {
    let mut c = signed_in(lang);
    let csv = format!(
        "tracking_id,recipient_name,pickup_code\n{},Dana Reyes,482913\n{},Dana Reyes,482913\n{},Ray Reyna,771204\n",
        PARCELS[0], PARCELS[1], PARCELS[2]
    );
    c.announce_csv(&csv);
    c.type_text("d");
    c.key(KeyCode::Enter); // the driver has scanned the QR
    for id in &PARCELS[..3] {
        c.scan(id);
    }
    confirm(&mut c);
    c.key(KeyCode::Enter); // home
    c
}

#[test]
fn a_driver_delivery_in_spanish_with_its_qr_panel() {
    let mut c = signed_in("es");
    c.type_text("d");
    let screen = c.screen(80, 24);
    assert!(screen.contains("ENTREGA DEL REPARTIDOR"), "{screen}");
    assert!(screen.contains("Repartidor: escanee este"), "{screen}");
    assert!(screen.contains("Si no se puede escanear,"), "{screen}");
    assert!(screen.contains("ya se escaneó"), "{screen}");
    c.snapshot("delivery_qr_es");
    c.key(KeyCode::Enter);
    for id in PARCELS {
        c.scan(id);
    }
    c.key(KeyCode::Up);
    c.key(KeyCode::F(2)); // the fourth refused as damaged
    let screen = c.screen(80, 24);
    assert!(
        screen.contains("4 por recibir, 1 rechazado por dañado; sin gafete (F5)"),
        "{screen}"
    );
    assert!(screen.contains("✖ RECHAZADO: dañado"), "{screen}");
    assert!(screen.contains("vacío: confirmar"), "{screen}");
    c.snapshot("delivery_scanning_es");
    confirm(&mut c);
    let screen = c.screen(80, 24);
    assert!(
        screen.contains("Registrado: 4 paquetes recibidos, 1 rechazado por dañado."),
        "{screen}"
    );
    c.snapshot("delivery_recorded_es");
    let kinds = c.events();
    assert_eq!(
        &kinds[kinds.len() - 2..],
        [EventKind::DriverDelivery, EventKind::DeliveryRefusedDamaged]
    );
}

#[test]
fn a_pickup_in_spanish_its_list_and_its_id_check() {
    let mut c = with_parcels_held("es");
    c.type_text("p");
    c.scan("482913");
    c.scan(PARCELS[0]);
    let screen = c.screen(80, 24);
    assert!(screen.contains("RECOGIDA DEL CLIENTE"), "{screen}");
    assert!(screen.contains("Para Dana Reyes: 2 paquetes"), "{screen}");
    assert!(screen.contains("✔ entregado"), "{screen}");
    assert!(screen.contains("… traer del estante"), "{screen}");
    assert!(screen.contains("F7 otra persona"), "{screen}");
    c.snapshot("pickup_list_es");
    c.key(KeyCode::Esc);
    c.key(KeyCode::Esc); // leave without recording, then a pickup without the code
    c.type_text("p");
    c.key(KeyCode::F(2));
    c.type_text("Rey");
    c.key(KeyCode::Enter);
    let screen = c.screen(80, 24);
    // The plurals come from the message file: one and other.
    assert!(screen.contains("2 paquetes"), "{screen}");
    assert!(screen.contains("1 paquete "), "{screen}");
    assert!(screen.contains("2 clientes encontrados"), "{screen}");
    c.snapshot("pickup_by_name_es");
    c.key(KeyCode::Enter); // Dana Reyes
    assert_eq!(
        c.app.flow::<PickupFlow>().map(|flow| flow.step),
        Some(PickupStep::IdType)
    );
    let screen = c.screen(80, 24);
    assert!(screen.contains("licencia de conducir"), "{screen}");
    assert!(
        screen.contains("Identificación de Dana Reyes, el destinatario:"),
        "{screen}"
    );
    c.snapshot("pickup_id_type_es");
    c.type_text("2"); // passport
    c.scan("48a1");
    let screen = c.screen(80, 24);
    assert!(
        screen.contains(
            "Buscado por nombre; recoge el destinatario; ID: pasaporte con terminación 48A1"
        ),
        "{screen}"
    );
}

#[test]
fn a_drop_off_in_spanish_with_a_refusal() {
    let mut c = signed_in("es");
    c.type_text("o");
    c.scan("Lee Bo");
    c.scan("RET0001");
    c.scan("RET0002");
    c.key(KeyCode::F(2));
    c.key(KeyCode::F(2)); // second reason: over the size limit
    let screen = c.screen(80, 24);
    assert!(
        screen.contains("ENVÍO DEL CLIENTE (F3: devolución)"),
        "{screen}"
    );
    assert!(
        screen.contains("De Lee Bo: 1 por recibir como ENVÍO, 1 rechazado"),
        "{screen}"
    );
    assert!(
        screen.contains("✖ RECHAZADO: excede el tamaño máximo"),
        "{screen}"
    );
    c.snapshot("dropoff_scanning_es");
    confirm(&mut c);
    assert!(
        c.screen(80, 24)
            .contains("Registrado: 1 paquete recibido, 1 rechazado."),
        "{}",
        c.screen(80, 24)
    );
    c.snapshot("dropoff_recorded_es");
}

#[test]
fn a_driver_pickup_in_spanish() {
    let mut c = signed_in("es");
    c.type_text("o");
    c.scan("walk-in");
    c.scan("DRP0001");
    c.scan("DRP0002");
    confirm(&mut c);
    c.key(KeyCode::Enter);
    c.type_text("t");
    c.scan("DRP0001");
    c.scan("NEW0001");
    let screen = c.screen(80, 24);
    assert!(
        screen.contains("RECOLECCIÓN (lo más urgente primero)"),
        "{screen}"
    );
    assert!(screen.contains("1 de 2 en el carrito"), "{screen}");
    assert!(screen.contains("envío de cliente"), "{screen}");
    assert!(screen.contains("NO ESTÁ EN LA LISTA"), "{screen}");
    c.snapshot("driver_pickup_list_es");
    c.key(KeyCode::Enter); // empty: the driver's QR for the cart
    let screen = c.screen(80, 24);
    assert!(screen.contains("código para 1 paquete;"), "{screen}");
    c.snapshot("driver_pickup_qr_es");
}

#[test]
fn the_customer_reads_english_while_the_clerk_reads_spanish() {
    let mut c = with_parcels_held("es");
    c.type_text("p");
    c.scan("482913");
    c.key(KeyCode::F(12)); // the customer reads English
    let screen = c.screen(80, 24);
    assert!(
        screen.contains("Idioma del cliente: English."),
        "the clerk is told, in Spanish: {screen}"
    );
    // The customer's lines: the title, their parcels and how many, each parcel's state.
    assert!(screen.contains("CUSTOMER PICKUP"), "{screen}");
    assert!(screen.contains("For Dana Reyes: 2 parcels"), "{screen}");
    assert!(screen.contains("… fetch from shelf"), "{screen}");
    // The clerk's: the key hints and the prompts.
    assert!(screen.contains("Enter escanear"), "{screen}");
    assert!(screen.contains("Escanee:"), "{screen}");
    c.snapshot("pickup_customer_en_clerk_es");
    c.scan(PARCELS[0]);
    c.scan(PARCELS[1]);
    confirm(&mut c);
    // The confirmation is the customer's.
    let screen = c.screen(80, 24);
    assert!(
        screen.contains("Recorded: 2 parcels handed over."),
        "{screen}"
    );
}

/// Runs the same drop-off with a refusal at a counter speaking `lang`; the events it records.
fn drop_off_with_a_refusal(lang: &str) -> Vec<EventBody> {
    let mut c = signed_in(lang);
    c.type_text("o");
    c.scan("Lee Bo");
    c.scan("RET0001");
    c.scan("RET0002");
    for _ in 0..4 {
        c.key(KeyCode::F(2)); // the fourth reason: a prohibited item
    }
    c.key(KeyCode::F(3)); // a return
    confirm(&mut c);
    // What the counter recorded after the manager's enrolment.
    bodies(&c)
        .into_iter()
        .filter(|body| body.kind != EventKind::StaffEnrolled)
        .collect()
}

#[test]
fn a_refusal_recorded_in_spanish_is_the_event_english_records() {
    let english = drop_off_with_a_refusal("en");
    let spanish = drop_off_with_a_refusal("es");
    let refused = spanish
        .iter()
        .find(|body| body.kind == EventKind::DropOffRefused)
        .expect("the refusal is recorded");
    assert_eq!(refused.items[0].detail, "refused: prohibited item");
    assert!(
        spanish
            .iter()
            .any(|body| body.kind == EventKind::CustomerReturn),
        "{spanish:?}"
    );
    assert_eq!(spanish.len(), 2);
    assert_eq!(english, spanish);
}
