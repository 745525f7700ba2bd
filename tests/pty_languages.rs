//! Issue #19 in a real terminal: the real binary in a pty at 80x24 with `NO_COLOR=1`. A
//! Spanish-speaking manager enrols, chooses Spanish (F3), signs in and records a driver's
//! delivery of five real labels, every step read in Spanish; an English-speaking manager does
//! the same on another kiosk. What the two ledgers record is the same: the language is the
//! screen's, never the record's.

mod common;

use std::path::Path;
use std::time::Duration;

use common::pty::PtyKiosk;
use common::*;
use handoff_kiosk::config::DEFAULT_CONFIG_TEXT;

/// Generous for a machine whose cores are all busy; a wait ends as soon as the text shows.
const WAIT: Duration = Duration::from_secs(120);
/// F3 as an xterm sends it.
const F3: &str = "\u{1b}OR";
const PIN: &str = "480915";
/// Published sample ids: UPS, UPS, FedEx-via-DHL eCommerce, Amazon, USPS IMpb.
const PARCELS: [&str; 5] = [
    "1Z999AA10123456784",
    "1Z879E930346834440",
    "JD014600006281234567",
    "TBA123456789000",
    "9205590164917312751089",
];

/// The bundled kiosk.toml, taking ids of no known format too (as e2e's store does), so the
/// DHL eCommerce sample is received.
fn config_text() -> String {
    DEFAULT_CONFIG_TEXT.replace("allow_other = false", "allow_other = true")
}

/// The words each language's counter says at each step of the story.
struct Script {
    enrolment: &'static str,
    enrolled: &'static str,
    signed_in: &'static str,
    qr: &'static str,
    scan: &'static str,
    not_announced: &'static str,
    unannounced: &'static str,
    summary: &'static str,
    pin: &'static str,
    recorded: &'static str,
}

const ENGLISH: Script = Script {
    enrolment: "WELCOME",
    enrolled: "Sign in with the new PIN",
    signed_in: "Signed in as Ana Diaz",
    qr: "Driver: scan this code",
    scan: "Scan:",
    not_announced: "was not announced",
    unannounced: "unannounced",
    summary: "5 to receive, 0 refused",
    pin: "Your PIN to record this delivery",
    recorded: "Recorded: 5 parcels received",
};

const SPANISH: Script = Script {
    enrolment: "BIENVENIDO",
    enrolled: "Inicie sesión con el PIN nuevo",
    signed_in: "Sesión iniciada: Ana Diaz",
    qr: "Repartidor: escanee este",
    scan: "Escanee:",
    not_announced: "no fue anunciado",
    unannounced: "no anunciado",
    summary: "5 por recibir",
    pin: "Su PIN para registrar esta entrega",
    recorded: "Registrado: 5 paquetes recibidos",
};

/// Enrols the first manager (in Spanish when `spanish`), signs in and records a delivery of
/// [`PARCELS`], each for a recipient named on its label. Returns the screen after "Recorded".
fn enrol_and_deliver(config: &Path, script: &Script, spanish: bool) -> String {
    let mut kiosk = PtyKiosk::start(config, (80, 24), &[("NO_COLOR", "1")]);
    kiosk.wait_for("WELCOME", WAIT);
    if spanish {
        kiosk.send(F3);
    }
    kiosk.wait_for(script.enrolment, WAIT);
    kiosk.send(&format!("Ana Diaz\t{PIN}\t{PIN}\r"));
    kiosk.wait_for(script.enrolled, WAIT);
    kiosk.send(&format!("\r{PIN}\r"));
    kiosk.wait_for(script.signed_in, WAIT);

    kiosk.send("d");
    kiosk.wait_for(script.qr, WAIT);
    kiosk.send("\r");
    kiosk.wait_for(script.scan, WAIT);
    for id in PARCELS {
        kiosk.send(&format!("{id}\r"));
        kiosk.wait_for(&format!("{id} {}", script.not_announced), WAIT);
        kiosk.send("Sam Xu\r");
        kiosk.wait_for(&format!("{id} {}", script.unannounced), WAIT);
    }
    kiosk.wait_for(script.summary, WAIT);
    kiosk.send("\r");
    kiosk.wait_for(script.pin, WAIT);
    // A wrong PIN first: refused in the clerk's language, nothing recorded.
    kiosk.send("111111\r");
    kiosk.wait_for(
        if spanish {
            "PIN incorrecto"
        } else {
            "wrong staff number or PIN"
        },
        WAIT,
    );
    kiosk.send(&format!("{PIN}\r"));
    kiosk.wait_for(script.recorded, WAIT);
    let screen = kiosk.contents();
    kiosk.stop();
    screen
}

/// An event's seq, kind, staff, counterparty kind, items, counterparty reference and note.
type RecordedEvent = (i64, String, Option<i64>, String, String, String, String);

/// What a ledger recorded, without what differs between any two recordings by nature: the
/// time, the chain hashes, the driver's one-time token, and each pickup code's keyed digest
/// (the codes are random).
fn recorded_content(dir: &Path) -> Vec<RecordedEvent> {
    let conn = rusqlite::Connection::open(dir.join("data/ledger.sqlite3")).unwrap();
    let mut statement = conn
        .prepare(
            "SELECT seq, kind, staff_id, counterparty_kind, counterparty_ref, items_json, note
             FROM events ORDER BY seq",
        )
        .unwrap();
    statement
        .query_map([], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get::<_, String>(5)?,
                row.get(6)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .map(|(seq, kind, staff, party_kind, party_ref, items, note)| {
            (
                seq,
                kind,
                staff,
                party_kind,
                without_random(&items),
                party_ref,
                note,
            )
        })
        .collect()
}

/// The items with each random value blanked: a pickup code, kept as its keyed digest.
fn without_random(items_json: &str) -> String {
    let mut items: serde_json::Value = serde_json::from_str(items_json).unwrap();
    if let Some(list) = items.as_array_mut() {
        for item in list {
            if let Some(object) = item.as_object_mut() {
                for key in ["code"] {
                    if object.contains_key(key) {
                        object.insert(key.to_owned(), serde_json::Value::Null);
                    }
                }
            }
        }
    }
    items.to_string()
}

#[test]
fn a_spanish_speaking_clerk_records_a_delivery_in_spanish_and_the_ledger_holds_what_english_holds()
{
    let spanish_dir = tempfile::tempdir().unwrap();
    let spanish_config = write_config(spanish_dir.path(), &config_text());
    let spanish_screen = enrol_and_deliver(&spanish_config, &SPANISH, true);
    for english in ["parcels received", "Scan", "Recorded", "Your PIN"] {
        assert!(
            !spanish_screen.contains(english),
            "English {english:?} on the Spanish counter:\n{spanish_screen}"
        );
    }

    let english_dir = tempfile::tempdir().unwrap();
    let english_config = write_config(english_dir.path(), &config_text());
    let english_screen = enrol_and_deliver(&english_config, &ENGLISH, false);
    assert!(!english_screen.contains("paquetes"), "{english_screen}");

    let spanish = recorded_content(spanish_dir.path());
    let english = recorded_content(english_dir.path());
    assert_eq!(spanish.len(), 2, "enrolment and delivery: {spanish:?}");
    assert_eq!(spanish, english);
    for dir_config in [&spanish_config, &english_config] {
        let verify = kiosk_command(dir_config, &["verify"], None);
        assert_eq!(verify.status.code(), Some(0), "{}", text(&verify.stdout));
    }
}
