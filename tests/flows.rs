//! The counter as components: a flow is driven by keys and outcomes without the app, a new flow
//! (found damaged) works end to end through its one registration, and the search reads once per
//! drained burst of keys.

mod common;

use common::counter::*;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::custody::{EventKind, ParcelStatus};
use handoff_kiosk::tui::action::{Action, Outcome};
use handoff_kiosk::tui::app::Screen;
use handoff_kiosk::tui::event::Event;
use handoff_kiosk::tui::flows::damaged::DamagedFlow;
use handoff_kiosk::tui::flows::{self, Lookup};
use handoff_kiosk::tui::message::MessageKind;

const PARCEL: &str = "1Z999AA10123456784";
const OTHER: &str = "JD014600006281234567";

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

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

#[test]
fn a_flow_runs_on_keys_and_outcomes_alone_and_builds_the_requests() {
    let c = signed_in_manager();
    let kiosk = &c.app.kiosk;
    let lookup = Lookup::new(
        &kiosk.store,
        &kiosk.codes,
        &kiosk.config,
        c.clock.now(),
        "Ana Diaz",
    );
    let start = flows::flow_for_key('o').expect("drop-off is registered on O");
    let (mut flow, first) = start(&lookup).unwrap();
    assert!(matches!(first, Action::Say(ref m) if m.kind == MessageKind::Info));
    let mut press = |code: KeyCode| flow.handle_key(key(code), &lookup);
    for c in "Mia Chen".chars() {
        press(KeyCode::Char(c));
    }
    press(KeyCode::Enter);
    for c in PARCEL.chars() {
        press(KeyCode::Char(c));
    }
    assert!(matches!(press(KeyCode::Enter), Action::Say(ref m) if m.kind == MessageKind::Ok));
    for c in OTHER.chars() {
        press(KeyCode::Char(c));
    }
    press(KeyCode::Enter);
    press(KeyCode::F(2)); // the second one is refused: damaged
    press(KeyCode::Enter); // the list is complete
    for c in MANAGER_PIN.chars() {
        press(KeyCode::Char(c));
    }
    let Action::Record { pin, requests } = press(KeyCode::Enter) else {
        panic!("the PIN's Enter asks the app to record")
    };
    assert_eq!(pin.expose(), MANAGER_PIN);
    let kinds: Vec<EventKind> = requests.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [EventKind::CustomerDropOff, EventKind::DropOffRefused]
    );
    assert_eq!(requests[0].items[0].tracking_id.as_str(), PARCEL);
    assert_eq!(requests[0].counterparty.reference, "Mia Chen");
    assert_eq!(requests[1].items[0].detail, "refused: damaged");
    // A failed write comes back as an outcome; the flow says nothing was recorded.
    let said = flow.outcome(Outcome::Recorded(Err("the disk is full".into())), &lookup);
    let Action::Say(message) = said else {
        panic!("a failure is said")
    };
    assert_eq!(message.kind, MessageKind::Alert);
    assert!(
        message.text.contains("Nothing was recorded"),
        "{}",
        message.text
    );
    // Nothing reached the ledger: the flow cannot write.
    assert_eq!(c.app.kiosk.store.parcel(&tracking(PARCEL)).unwrap(), None);
}

#[test]
fn the_found_damaged_flow_records_the_damage_and_sends_the_parcel_back() {
    let mut c = signed_in_manager();
    deliver(&mut c, &[PARCEL]);
    c.type_text("x");
    assert!(c.app.flow::<DamagedFlow>().is_some(), "X starts the flow");
    c.scan(OTHER);
    assert!(
        c.text_on_screen().contains("not in the store's records"),
        "an unknown parcel is refused"
    );
    c.scan(PARCEL);
    c.key(KeyCode::F(2)); // crushed -> wet
    c.snapshot("damaged_scanning");
    c.key(KeyCode::Enter);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    assert!(
        c.text_on_screen()
            .contains("Recorded: 1 parcel damaged; it waits")
    );
    let (count, _) = c.app.kiosk.store.head().unwrap();
    let event = c.app.kiosk.store.event(count).unwrap().unwrap();
    assert_eq!(event.body.kind, EventKind::Damaged);
    assert_eq!(event.body.items[0].tracking_id, PARCEL);
    assert_eq!(event.body.items[0].detail, "wet");
    let parcel = c
        .app
        .kiosk
        .store
        .parcel(&tracking(PARCEL))
        .unwrap()
        .unwrap();
    assert_eq!(parcel.status, ParcelStatus::AwaitingDriver);
    // It is now on the driver's list, and scanning it again here is refused.
    c.key(KeyCode::Enter);
    c.type_text("t");
    assert!(c.text_on_screen().contains(PARCEL));
    c.key(KeyCode::Esc);
    c.type_text("x");
    c.scan(PARCEL);
    c.scan(PARCEL);
    assert!(c.text_on_screen().contains("duplicate scan"));
}

#[test]
fn the_search_reads_once_per_burst_of_keys() {
    let mut c = signed_in_manager();
    deliver(&mut c, &[PARCEL]);
    c.type_text("f");
    // A scanner's burst: every key handled before the loop settles once.
    for character in PARCEL.chars() {
        c.app.handle(Event::Key(key(KeyCode::Char(character))));
    }
    let Screen::Search(view) = &c.app.screen else {
        panic!("search")
    };
    assert_eq!(view.queries_run, 0, "no query while the burst is read");
    c.app.settle();
    let Screen::Search(view) = &c.app.screen else {
        panic!("search")
    };
    assert_eq!(view.queries_run, 1);
    assert_eq!(view.results.len(), 1);
    c.app.settle();
    let Screen::Search(view) = &c.app.screen else {
        panic!("search")
    };
    assert_eq!(view.queries_run, 1, "nothing changed, nothing read");
}

/// Issue #13's first-day story at the counter, on the shipped kiosk.toml (unknown formats
/// refused): parcels announced by their tracking numbers are scanned from their labels' barcodes
/// (USPS `420`+ZIP and GS, FedEx's 34 digits, DPD's `%` form), matched as announced, and the
/// customer's code then finds each.
#[test]
fn labels_scanned_from_barcodes_match_their_announcements_and_the_codes_find_them() {
    let mut c = counter_with(handoff_kiosk::config::DEFAULT_CONFIG_TEXT);
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    let csv = "tracking_id,recipient_name,pickup_code,postal_code\n\
               9205590164917312751089,Dana Reyes,482913,85004\n\
               617767839437,Eli Novak,771204,85004\n\
               09980000020033,Fay Okafor,390517,85004\n";
    let parcels = handoff_kiosk::domain::expected::parse_announcement(
        csv.as_bytes(),
        &c.app.kiosk.config.carriers,
    )
    .unwrap();
    let (now, codes) = (c.clock.now(), c.app.kiosk.codes.clone());
    c.app
        .kiosk
        .store
        .import_expected(
            &parcels,
            "announce.csv",
            &codes,
            handoff_kiosk::store::Actor::AdminCommandLine,
            now,
        )
        .unwrap();
    c.type_text("d");
    c.key(KeyCode::Enter); // the driver has scanned the QR
    // USPS: `420` + ZIP, GS (a terminal reports it as Ctrl+]), the tracking number.
    c.type_text("42085004");
    c.app.handle(Event::Key(KeyEvent::new(
        KeyCode::Char(']'),
        KeyModifiers::CONTROL,
    )));
    c.scan("9205590164917312751089");
    assert!(
        c.text_on_screen()
            .contains("9205590164917312751089 expected")
    );
    c.scan("1001901781990001000300617767839437"); // FedEx's 34-digit barcode
    assert!(c.text_on_screen().contains("617767839437 expected"));
    c.scan("%008182709980000020033350276"); // DPD's `%` barcode
    assert!(c.text_on_screen().contains("09980000020033 expected"));
    // A wrong check digit and an unknown format are refused, nothing added.
    c.scan("1Z5R89390357567128");
    assert!(c.text_on_screen().contains("check digit does not match"));
    c.scan("PKG0001");
    assert!(
        c.text_on_screen()
            .contains("not a label format this kiosk knows")
    );
    let screen = c.text_on_screen();
    for carrier in ["USPS", "FedEx", "DPD"] {
        assert!(screen.contains(carrier), "{carrier} on its row:\n{screen}");
    }
    c.key(KeyCode::Enter);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    assert!(c.text_on_screen().contains("Recorded: 3 parcels received"));
    c.key(KeyCode::Enter);
    for (code, name) in [
        ("482913", "Dana Reyes"),
        ("771204", "Eli Novak"),
        ("390517", "Fay Okafor"),
    ] {
        c.type_text("p");
        c.scan(code);
        assert!(
            c.text_on_screen()
                .contains(&format!("For {name}: 1 parcel")),
            "{}",
            c.text_on_screen()
        );
        c.key(KeyCode::Esc);
        c.key(KeyCode::Esc); // the second Esc discards the unfinished pickup
    }
}

fn drop_off(c: &mut Counter, ids: &[&str]) {
    c.type_text("o");
    c.scan("Lee Bo");
    for id in ids {
        c.scan(id);
    }
    c.key(KeyCode::Enter);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.key(KeyCode::Enter);
}

#[test]
fn the_driver_pickup_list_narrows_to_the_drivers_carrier() {
    let mut c = signed_in_manager();
    // Drop-offs wait for the next driver: one UPS, one USPS, one of no known carrier.
    drop_off(&mut c, &[PARCEL, "9205590164917312751089", "PKG0007"]);
    c.type_text("t");
    let due = |c: &Counter| {
        let flow = c
            .app
            .flow::<handoff_kiosk::tui::flows::driver_pickup::DriverPickupFlow>()
            .expect("driver pickup");
        let mut ids: Vec<String> = flow
            .list
            .lines
            .iter()
            .map(|line| line.parcel.tracking_id.to_string())
            .collect();
        ids.sort();
        (flow.carrier.map(|carrier| carrier.to_string()), ids)
    };
    assert_eq!(due(&c).1.len(), 3, "everything due, for any driver");
    c.key(KeyCode::F(6));
    let (carrier, ids) = due(&c);
    let carrier = carrier.expect("a carrier chosen");
    // The chosen carrier's parcel and the one no carrier claims; never the other carrier's.
    assert_eq!(ids.len(), 2, "{carrier}: {ids:?}");
    assert!(ids.contains(&"PKG0007".to_owned()));
    assert!(c.text_on_screen().contains(&format!("{carrier} driver")));
    let other = if carrier == "UPS" {
        "9205590164917312751089"
    } else {
        PARCEL
    };
    c.scan(other);
    assert!(
        c.text_on_screen().contains("NOT ON THE LIST"),
        "{}",
        c.text_on_screen()
    );
    // Once a parcel is on the cart the carrier stays.
    c.scan("PKG0007");
    c.key(KeyCode::F(6));
    assert!(
        c.text_on_screen()
            .contains("before parcels go onto the cart")
    );
}

#[test]
fn the_home_screen_counts_by_carrier_and_the_search_says_announced_not_here_yet() {
    let mut c = signed_in_manager();
    deliver(
        &mut c,
        &[PARCEL, "9205590164917312751089", "1Z879E930346834440"],
    );
    let home = c.text_on_screen();
    assert!(home.contains("UPS 2 · USPS 1"), "{home}");
    let csv = "tracking_id,recipient_name,pickup_code,postal_code\n\
               617767839437,Eli Novak,771204,85004\n";
    let parcels = handoff_kiosk::domain::expected::parse_announcement(
        csv.as_bytes(),
        &c.app.kiosk.config.carriers,
    )
    .unwrap();
    let (now, codes) = (c.clock.now(), c.app.kiosk.codes.clone());
    c.app
        .kiosk
        .store
        .import_expected(
            &parcels,
            "announce.csv",
            &codes,
            handoff_kiosk::store::Actor::AdminCommandLine,
            now,
        )
        .unwrap();
    c.type_text("f");
    c.type_text("Eli");
    let screen = c.text_on_screen();
    assert!(
        screen.contains("617767839437") && screen.contains("announced, not here yet"),
        "{screen}"
    );
}
