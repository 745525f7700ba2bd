//! The office and the paper in the reader's language: a Spanish-speaking manager reads the
//! end-of-day report on the desk and prints it in Spanish, hears why a slip did not print, why
//! head office was not reached, and what an export did, in Spanish (snapshots at 80x24, named
//! `_es`). What is recorded stays the same whatever the language.

mod common;

use std::sync::{Arc, Mutex};

use chrono::Duration;
use common::counter::*;
use common::printer::closed_port;
use common::*;
use crossterm::event::KeyCode;
use handoff_kiosk::config::KioskConfig;
use handoff_kiosk::domain::clock::{Clock, FixedClock};
use handoff_kiosk::i18n::Lang;
use handoff_kiosk::link::{LinkHandle, LinkProblem, LinkStatus};
use handoff_kiosk::print::{
    Block, EscPosPrinter, PaperWidth, PdfPrinter, PrintError, PrinterConnection, Slip, SlipKind,
    SlipPrinter,
};
use handoff_kiosk::service::Kiosk;
use handoff_kiosk::setup;
use handoff_kiosk::tui::app::App;
use handoff_kiosk::tui::theme::Theme;
use handoff_kiosk::tui::worker::Worker;

/// The shipped configuration with the counter speaking Spanish (the enrolled manager too).
fn spanish_config() -> String {
    let text = test_config_text().replace("language = \"en\"", "language = \"es\"");
    assert!(text.contains("language = \"es\""));
    text
}

/// What came out of a test printer.
#[derive(Clone, Default)]
struct Paper(Arc<Mutex<Vec<Slip>>>);

struct MemoryPrinter(Paper);

impl SlipPrinter for MemoryPrinter {
    fn print(&mut self, slip: &Slip) -> Result<(), PrintError> {
        self.0.0.lock().unwrap().push(slip.clone());
        Ok(())
    }
}

/// A Spanish counter, signed in as its manager, printing on `printer` (inline worker).
fn spanish_counter_printing_on(printer: Option<Box<dyn SlipPrinter>>) -> Counter {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), &spanish_config());
    let config = KioskConfig::load(&path).unwrap();
    setup::init(&config).unwrap();
    let kiosk = Kiosk::open(&config).unwrap();
    let clock = FixedClock::at(tuesday_morning());
    let worker = Worker::inline_with_printer(Arc::clone(&kiosk.pins), printer);
    let theme = Theme {
        colours: true,
        ..Theme::monochrome()
    };
    let app = App::new(kiosk, Arc::new(clock.clone()), theme, worker).unwrap();
    let mut c = Counter { dir, app, clock };
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    assert_eq!(c.app.lang(), Lang::Es);
    c
}

/// One snapshot at 80x24, temp paths, hashes and key ids masked.
fn snapshot_80x24(c: &Counter, name: &str) {
    let temp = c.dir.path().display().to_string();
    let screen = c.screen(80, 24).replace(&temp, "<tmp>");
    // Key ids are random: "key 1a2b..." is masked by the common helper, "clave 1a2b..." here.
    let screen =
        mask_key_ids(&screen.replace("clave ", "key ")).replace("key <key-id>", "clave <key-id>");
    let screen = mask_six_digit_codes(&mask_hashes(&screen));
    insta::with_settings!({
        snapshot_suffix => "80x24",
        prepend_module_to_snapshot => false,
        snapshot_path => "snapshots",
    }, {
        insta::assert_snapshot!(name, screen);
    });
}

fn open_desk(c: &mut Counter) {
    c.type_text("m");
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
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

/// The screen's words as one text, for checks across wrapped lines.
fn said(c: &Counter) -> String {
    c.screen(80, 24)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_desks_report_and_its_slip_speak_the_managers_spanish() {
    let paper = Paper::default();
    let mut c = spanish_counter_printing_on(Some(Box::new(MemoryPrinter(paper.clone()))));
    deliver(&mut c, &[PARCELS[0], PARCELS[1]]);
    open_desk(&mut c);
    c.type_text("6");
    let screen = c.screen(80, 24);
    assert!(
        screen.lines().all(|line| line.chars().count() <= 80),
        "{screen}"
    );
    for wanted in [
        "Cierre del día  mar 24 nov 2026",
        "Paquetes al abrir",
        "Recibidos                                      2",
        "  entrega del repartidor                       2",
        "Cuadre: 0 + 2 - 0 = 2                     CUADRA",
    ] {
        assert!(screen.contains(wanted), "{wanted:?}:\n{screen}");
    }
    for english in [
        "Opening",
        "Received",
        "Check:",
        "End of day",
        "driver delivery",
    ] {
        assert!(!screen.contains(english), "{english:?}:\n{screen}");
    }
    snapshot_80x24(&c, "desk_report_es");

    // Printed: the same figures in Spanish, laid out on the slip's own lines.
    c.type_text("p");
    let slips = paper.0.lock().unwrap().clone();
    let report = slips
        .iter()
        .find(|slip| slip.kind == SlipKind::DayReport)
        .expect("the report went to the printer");
    assert_eq!(report.lang, Lang::Es);
    let pair = |label: &str, value: &str| Block::Pair {
        label: label.into(),
        value: value.into(),
    };
    assert!(
        report.blocks.contains(&pair("Recibidos", "2")),
        "{report:?}"
    );
    assert!(
        report
            .blocks
            .contains(&pair("Cuadre: 0 + 2 - 0 = 2", "CUADRA")),
        "{report:?}"
    );
    assert!(
        report.texts().iter().all(|text| !text.contains("Received")),
        "{report:?}"
    );
}

#[test]
fn a_printer_that_fails_is_said_in_spanish() {
    // A PDF folder that cannot be made (its parent is a file).
    let blocker = tempfile::NamedTempFile::new().unwrap();
    let folder = blocker.path().join("slips");
    let pdf = PdfPrinter::new(
        folder.clone(),
        PaperWidth::Mm58,
        Arc::new(FixedClock::at(tuesday_morning())),
    );
    let mut c = spanish_counter_printing_on(Some(Box::new(pdf)));
    open_desk(&mut c);
    c.type_text("6");
    c.type_text("p");
    let message = c.app.message.clone().expect("said").text;
    assert!(
        message.starts_with(&format!(
            "No se imprimió (carpeta de PDF {}: no se puede crear la carpeta:",
            folder.display()
        )),
        "{message}"
    );
    assert!(message.ends_with("F9 lo vuelve a imprimir."), "{message}");
    assert!(
        !message.contains("registro"),
        "the report is not a record: {message}"
    );
    // Too long for the message's two rows: cut with a mark, never mid-sentence unmarked.
    let text = said(&c);
    assert!(text.contains("✖ No se imprimió (carpeta de PDF"), "{text}");
    assert!(text.contains('…'), "{text}");

    // A network printer that refuses the connection.
    let port = closed_port();
    let escpos = EscPosPrinter::new(
        PrinterConnection::Tcp {
            host: "127.0.0.1".into(),
            port,
        },
        PaperWidth::Mm80,
        std::time::Duration::from_secs(2),
    );
    let mut c = spanish_counter_printing_on(Some(Box::new(escpos)));
    open_desk(&mut c);
    c.type_text("6");
    c.type_text("p");
    let message = c.app.message.clone().expect("said").text;
    assert!(
        message.starts_with(&format!(
            "No se imprimió (impresora en 127.0.0.1:{port}: rechazó la conexión (¿está \
             encendida y es el puerto correcto?))."
        )),
        "{message}"
    );
}

/// A Spanish counter whose kiosk.toml names a head office (the link itself is a stand-in).
fn spanish_linked_counter() -> Counter {
    let text = spanish_config()
        + &format!(
            "\n[head_office]\nurl = \"https://hq.example:8443\"\ncert_sha256 = \"{}\"\npublic_key = \"{}\"\ncodes_key = \"{}\"\n",
            "ab".repeat(32),
            handoff_kiosk::domain::signing::StoreKey::generate()
                .unwrap()
                .public()
                .to_hex(),
            handoff_kiosk::domain::sealed_codes::CodeOpenKey::derive(&[5; 32])
                .public()
                .to_hex()
        );
    let mut c = counter_with(&text);
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    c
}

#[test]
fn why_head_office_was_not_reached_is_said_in_spanish() {
    let mut c = spanish_linked_counter();
    let now = c.clock.now();
    c.app.link = Some(LinkHandle::detached(LinkStatus {
        waiting: 4,
        offline_since: Some(now - Duration::minutes(46)),
        problem: Some(LinkProblem::CannotConnect {
            address: "203.0.113.9:8443".into(),
            detail: "Connection refused (os error 111)".into(),
        }),
        announcement_problem: Some(LinkProblem::ChainsDiffer { seq: 17 }),
        ..LinkStatus::default()
    }));
    assert!(c.screen(80, 24).contains("Central ✘ 4 en espera"));
    open_desk(&mut c);
    c.type_text("9");
    let screen = c.screen(80, 24);
    assert!(
        screen.lines().all(|line| line.chars().count() <= 80),
        "{screen}"
    );
    let text = said(&c);
    for wanted in [
        "Central sin conexión desde 09:14, 4 en espera",
        "✖ no se puede conectar a 203.0.113.9:8443: Connection refused (os error 111)",
        "✖ la oficina central confirmó el evento 17 con otro hash que el de este registro: \
         las dos cadenas no coinciden",
    ] {
        assert!(text.contains(wanted), "{wanted:?}: {text}");
    }
    assert!(!text.contains("cannot connect"), "{text}");
    snapshot_80x24(&c, "desk_link_problem_es");
}

#[test]
fn a_finished_export_is_said_in_spanish() {
    let mut c = spanish_counter_printing_on(None);
    deliver(&mut c, &[PARCELS[0], PARCELS[1]]);
    open_desk(&mut c);
    c.type_text("7");
    c.key(KeyCode::Enter);
    // The day is not over: the page says so first; Enter again exports.
    assert!(said(&c).contains("no ha terminado"), "{}", said(&c));
    c.key(KeyCode::Enter);
    let text = said(&c);
    assert!(
        text.contains(" eventos exportados a ") && text.contains("(manifiesto firmado con"),
        "{text}"
    );
    assert!(
        text.contains("el día no había terminado: \"complete\": false"),
        "{text}"
    );
    assert!(!text.contains("exported to"), "{text}");
    snapshot_80x24(&c, "desk_export_done_es");
}

#[test]
fn the_shelf_check_file_and_an_import_refused_speak_the_managers_spanish() {
    let mut c = spanish_counter_printing_on(None);
    deliver(&mut c, &[PARCELS[0], PARCELS[1]]);
    open_desk(&mut c);
    c.type_text("4");
    c.scan("SHELF:X");
    c.scan(PARCELS[0]);
    c.key(KeyCode::Enter);
    // Saved beside the ledger.
    let reports = c
        .app
        .kiosk
        .config
        .ledger
        .database
        .parent()
        .unwrap()
        .join("reports");
    let file = std::fs::read_dir(&reports)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let body = std::fs::read_to_string(file).unwrap();
    for wanted in [
        "Revisión de estantes del 2026-11-24T10:00:00-07:00 (RVM-0045 ",
        "estantes revisados: X",
        "escaneados 1, registrados ahí 2",
        &format!(
            "FALTA       {} (estante X, guardado para su cliente)",
            PARCELS[1]
        ),
    ] {
        assert!(body.contains(wanted), "{wanted:?}: {body}");
    }
    assert!(!body.contains("Shelf check"), "{body}");

    // An import whose file cannot be read says so in Spanish (the system's words kept).
    c.key(KeyCode::Esc);
    c.type_text("2");
    c.type_text("/no/such/announcement.csv");
    c.key(KeyCode::Enter);
    let message = c.app.message.clone().expect("said").text;
    assert!(
        message.starts_with("no se puede leer /no/such/announcement.csv: "),
        "{message}"
    );
}

#[test]
fn a_broken_chain_is_said_in_spanish_on_the_ledger_view() {
    let mut c = spanish_counter_printing_on(None);
    deliver(&mut c, &[PARCELS[0]]);
    let conn = rusqlite::Connection::open(c.app.kiosk.store.path()).unwrap();
    conn.execute_batch(
        "DROP TRIGGER events_no_update; UPDATE events SET note = 'edited' WHERE seq = 1;",
    )
    .unwrap();
    c.type_text("e");
    let text = said(&c);
    assert!(
        text.contains("✖ FALLÓ LA COMPROBACIÓN: en el evento 1:"),
        "{text}"
    );
    assert!(!text.contains("at event"), "{text}");
}
