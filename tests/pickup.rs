//! The customer pickup beyond the plain code: a customer who lost the code is found by name and
//! their ID checked; a proxy collects with their own ID checked; both are in the event's facts,
//! the parcel history and the export. A partial pickup is said before the PIN. Wrong codes are
//! recorded, and after 5 within a minute the counter waits 30 s, also across a restart.

mod common;

use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use common::counter::*;
use common::*;
use crossterm::event::KeyCode;
use handoff_kiosk::domain::chain::{Fact, LedgerEvent};
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::custody::{EventKind, ParcelStatus};
use handoff_kiosk::domain::export::CSV_FILE;
use handoff_kiosk::domain::export_verify::verify_export;
use handoff_kiosk::export::{ExportFormat, export_days, read_export_folder};
use handoff_kiosk::service::Kiosk;
use handoff_kiosk::setup;
use handoff_kiosk::store::FileCheck;
use handoff_kiosk::tui::app::{App, Screen};
use handoff_kiosk::tui::flows::pickup::{PickupFlow, PickupStep};
use handoff_kiosk::tui::theme::Theme;
use handoff_kiosk::tui::worker::Worker;

const DANA_CODE: &str = "482913";

/// A signed-in manager, Dana Reyes's two parcels and Sam Roe's one announced and delivered
/// (with two unannounced parcels).
fn counter_with_parcels() -> Counter {
    let mut c = counter();
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    let csv = format!(
        "tracking_id,recipient_name,pickup_code\n{},Dana Reyes,{DANA_CODE}\n{},Dana Reyes,{DANA_CODE}\n{},Sam Roe,771204\n",
        PARCELS[0], PARCELS[1], PARCELS[2]
    );
    c.announce_csv(&csv);
    deliver_five(&mut c);
    c.key(KeyCode::Enter);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.key(KeyCode::Enter); // home
    assert!(matches!(c.app.screen, Screen::Home));
    c
}

fn last_event(c: &Counter) -> LedgerEvent {
    let (head, _) = c.app.kiosk.store.head().unwrap();
    c.app.kiosk.store.event(head).unwrap().unwrap()
}

fn facts(pairs: &[(&str, &str)]) -> Vec<Fact> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

fn step(c: &Counter) -> PickupStep {
    c.app.flow::<PickupFlow>().expect("in the pickup").step
}

/// Scans both of Dana's parcels, confirms and types the PIN.
fn hand_over_both(c: &mut Counter) {
    c.scan(PARCELS[0]);
    c.scan(PARCELS[1]);
    c.key(KeyCode::Enter);
    assert_eq!(step(c), PickupStep::ConfirmPin, "{}", c.text_on_screen());
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    assert_eq!(step(c), PickupStep::Done, "{}", c.text_on_screen());
}

/// The parcel's history as the search screen shows it, at 80x24 and larger.
fn history_of(c: &mut Counter, id: &str) -> (String, String) {
    c.key(KeyCode::Enter); // home
    c.type_text("f");
    c.type_text(id);
    c.key(KeyCode::Enter);
    assert!(
        matches!(c.app.screen, Screen::Search(_)),
        "not on the search screen"
    );
    (c.screen(80, 24), c.screen(120, 40))
}

/// Exports today and returns the CSV after checking the export verifies (so the facts are
/// under the hash the export carries).
fn exported_csv(c: &Counter) -> String {
    let out = c.dir.path().join("exports");
    let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let folder = export_days(
        &c.app.kiosk,
        day,
        day,
        &[ExportFormat::Csv, ExportFormat::Json],
        &out,
        c.clock.now(),
        &mut |_, _| {},
    )
    .unwrap()
    .folder;
    let (manifest, files) = read_export_folder(&folder).unwrap();
    verify_export(&manifest, &files, &c.app.kiosk.key.public()).expect("the export verifies");
    std::fs::read_to_string(folder.join(CSV_FILE)).unwrap()
}

fn assert_ledger_verifies(c: &Counter) {
    let public_key = setup::ledger_public_key(&c.app.kiosk.store).unwrap();
    let report = c
        .app
        .kiosk
        .store
        .verify("RVM-0045", &public_key, FileCheck::Full)
        .unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert!(report.derived_checked);
}

#[test]
fn a_customer_without_the_code_is_found_by_name_and_their_id_is_checked() {
    let mut c = counter_with_parcels();
    c.type_text("p");
    c.key(KeyCode::F(2));
    assert_eq!(step(&c), PickupStep::Name);
    c.type_text("rEy");
    c.key(KeyCode::Enter);
    let text = c.text_on_screen();
    assert!(
        text.contains("Dana Reyes") && text.contains("2 parcels"),
        "{text}"
    );
    assert!(!text.contains("Sam Roe"), "{text}");
    c.snapshot("pickup_by_name");
    c.key(KeyCode::Enter); // choose Dana Reyes
    assert_eq!(step(&c), PickupStep::IdType);
    c.snapshot("pickup_id_type");
    // Nothing can be handed over before the ID check: Esc goes back to the names.
    c.key(KeyCode::Esc);
    assert_eq!(step(&c), PickupStep::Name);
    assert!(c.app.flow::<PickupFlow>().unwrap().lines.is_empty());
    c.key(KeyCode::Enter);
    assert_eq!(step(&c), PickupStep::IdType);
    c.key(KeyCode::Char('2')); // passport
    assert_eq!(step(&c), PickupStep::IdLastFour);
    c.type_text("4");
    c.key(KeyCode::Enter);
    assert!(
        c.text_on_screen().contains("last 4"),
        "{}",
        c.text_on_screen()
    );
    assert_eq!(
        step(&c),
        PickupStep::IdLastFour,
        "a short number is refused"
    );
    c.type_text("48a1");
    c.key(KeyCode::Enter);
    assert_eq!(step(&c), PickupStep::Parcels);
    assert!(
        c.text_on_screen().contains("passport ending 48A1"),
        "{}",
        c.text_on_screen()
    );
    c.snapshot("pickup_id_checked");
    hand_over_both(&mut c);

    let event = last_event(&c);
    assert_eq!(event.body.kind, EventKind::CustomerPickup);
    assert_eq!(event.body.items.len(), 2);
    assert_eq!(event.body.counterparty.reference, "Dana Reyes");
    assert_eq!(
        event.body.facts,
        facts(&[
            ("found_by", "name"),
            ("collected_by", "addressee"),
            ("id_type", "passport"),
            ("id_last_four", "48A1"),
        ])
    );
    for id in [PARCELS[0], PARCELS[1]] {
        let parcel = c.app.kiosk.store.parcel(&tracking(id)).unwrap().unwrap();
        assert_eq!(parcel.status, ParcelStatus::Collected);
    }

    let (small, large) = history_of(&mut c, PARCELS[0]);
    for screen in [&small, &large] {
        let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(&format!(
                "Event {}: found by name (no code), collected by the addressee, ID checked: passport ending 48A1.",
                event.seq
            )),
            "{screen}"
        );
    }
    c.snapshot("search_history_id_check");

    let csv = exported_csv(&c);
    let row = csv
        .lines()
        .find(|line| line.contains("customer_pickup") && line.contains(PARCELS[0]))
        .expect("the pickup is exported");
    for fact in [
        "found_by",
        "name",
        "id_type",
        "passport",
        "id_last_four",
        "48A1",
    ] {
        assert!(row.contains(fact), "{fact} missing from {row}");
    }
    assert_ledger_verifies(&c);
}

#[test]
fn a_proxy_collects_with_the_code_and_the_proxys_id_is_checked() {
    let mut c = counter_with_parcels();
    c.type_text("p");
    c.scan(DANA_CODE);
    assert_eq!(step(&c), PickupStep::Parcels);
    c.key(KeyCode::F(7));
    assert_eq!(step(&c), PickupStep::ProxyName);
    c.type_text("Jo Bloggs");
    c.key(KeyCode::Enter);
    assert_eq!(step(&c), PickupStep::IdType);
    assert!(
        c.text_on_screen()
            .contains("Jo Bloggs, who collects for Dana Reyes"),
        "{}",
        c.text_on_screen()
    );
    c.key(KeyCode::Down);
    c.key(KeyCode::Down); // national ID card
    c.key(KeyCode::Enter);
    c.type_text("7731");
    c.key(KeyCode::Enter);
    assert_eq!(step(&c), PickupStep::Parcels);
    c.snapshot("pickup_proxy");
    hand_over_both(&mut c);
    assert!(
        c.text_on_screen()
            .contains("2 parcels handed over to Jo Bloggs (proxy)"),
        "{}",
        c.text_on_screen()
    );

    let event = last_event(&c);
    assert_eq!(event.body.kind, EventKind::CustomerPickup);
    assert_eq!(
        event.body.facts,
        facts(&[
            ("found_by", "code"),
            ("collected_by", "proxy"),
            ("proxy_name", "Jo Bloggs"),
            ("id_type", "national_id_card"),
            ("id_last_four", "7731"),
        ])
    );

    let (small, _) = history_of(&mut c, PARCELS[1]);
    let flat = small.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("collected by proxy Jo Bloggs, ID checked: national ID card ending 7731."),
        "{small}"
    );

    let csv = exported_csv(&c);
    let row = csv
        .lines()
        .find(|line| line.contains("customer_pickup") && line.contains(PARCELS[1]))
        .expect("the pickup is exported");
    for fact in [
        "collected_by",
        "proxy",
        "Jo Bloggs",
        "national_id_card",
        "7731",
    ] {
        assert!(row.contains(fact), "{fact} missing from {row}");
    }
    assert_ledger_verifies(&c);
}

#[test]
fn a_plain_pickup_with_the_code_records_no_facts_and_a_proxy_can_be_taken_back() {
    let mut c = counter_with_parcels();
    c.type_text("p");
    c.scan(DANA_CODE);
    // F7, then an empty name: the addressee collects after all, with no ID check.
    c.key(KeyCode::F(7));
    c.key(KeyCode::Enter);
    assert_eq!(step(&c), PickupStep::Parcels);
    // F7, a name, then Esc at the ID: as it was.
    c.key(KeyCode::F(7));
    c.type_text("Jo");
    c.key(KeyCode::Enter);
    c.key(KeyCode::Esc);
    assert_eq!(step(&c), PickupStep::Parcels);
    hand_over_both(&mut c);
    let event = last_event(&c);
    assert_eq!(event.body.kind, EventKind::CustomerPickup);
    assert!(event.body.facts.is_empty(), "{:?}", event.body.facts);
}

#[test]
fn a_partial_pickup_is_said_before_the_pin() {
    let mut c = counter_with_parcels();
    c.type_text("p");
    c.scan(DANA_CODE);
    c.scan(PARCELS[0]);
    c.key(KeyCode::Enter);
    assert_eq!(step(&c), PickupStep::ConfirmPartial);
    let text = c.text_on_screen();
    assert!(
        text.contains("1 of 2 parcels scanned; the other is on shelf R. Hand over only 1?"),
        "{text}"
    );
    c.snapshot("pickup_partial");
    // Esc goes back to scanning; the question comes again.
    c.key(KeyCode::Esc);
    assert_eq!(step(&c), PickupStep::Parcels);
    c.key(KeyCode::Enter);
    assert_eq!(step(&c), PickupStep::ConfirmPartial);
    c.key(KeyCode::Enter); // yes, only 1
    assert_eq!(step(&c), PickupStep::ConfirmPin);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    assert!(
        c.text_on_screen()
            .contains("Recorded: 1 parcel handed over."),
        "{}",
        c.text_on_screen()
    );
    let event = last_event(&c);
    assert_eq!(event.body.kind, EventKind::CustomerPickup);
    assert_eq!(event.body.items.len(), 1);
    let other = c
        .app
        .kiosk
        .store
        .parcel(&tracking(PARCELS[1]))
        .unwrap()
        .unwrap();
    assert_eq!(other.status, ParcelStatus::HeldForCustomer);
}

#[test]
fn a_scan_at_the_partial_question_goes_on_scanning() {
    let mut c = counter_with_parcels();
    c.type_text("p");
    c.scan(DANA_CODE);
    c.scan(PARCELS[0]);
    c.key(KeyCode::Enter);
    assert_eq!(step(&c), PickupStep::ConfirmPartial);
    c.scan(PARCELS[1]);
    assert_eq!(step(&c), PickupStep::Parcels);
    c.key(KeyCode::Enter);
    assert_eq!(step(&c), PickupStep::ConfirmPin, "all scanned: no question");
}

/// The kiosk stopped and started again over the same ledger (same clock).
fn restart(c: &mut Counter) {
    let config = c.app.kiosk.config.clone();
    let kiosk = Kiosk::open(&config).unwrap();
    let worker = Worker::inline(Arc::clone(&kiosk.pins));
    c.app = App::new(
        kiosk,
        Arc::new(c.clock.clone()),
        Theme::monochrome(),
        worker,
    )
    .unwrap();
}

fn count_of(c: &mut Counter, kind: EventKind) -> usize {
    c.events().into_iter().filter(|k| *k == kind).count()
}

#[test]
fn five_wrong_codes_make_the_counter_wait_and_the_wait_survives_a_restart() {
    let mut c = counter_with_parcels();
    let manager = c.app.session.as_ref().unwrap().staff_id;
    c.type_text("p");
    for (n, wrong) in ["000001", "000002", "000003", "000004"].iter().enumerate() {
        c.clock.advance(Duration::seconds(2));
        c.scan(wrong);
        assert!(
            c.text_on_screen().contains("No parcels wait for this code"),
            "miss {}: {}",
            n + 1,
            c.text_on_screen()
        );
    }
    c.clock.advance(Duration::seconds(2));
    c.scan("000005");
    assert!(
        c.text_on_screen()
            .contains("5 wrong codes within 60 s: no code is checked for 30 seconds."),
        "{}",
        c.text_on_screen()
    );
    assert!(c.text_on_screen().contains("⏸ WAIT 0:30"));
    c.snapshot("pickup_code_wait");

    // Each miss is on the chain, under the clerk, without the code.
    assert_eq!(count_of(&mut c, EventKind::PickupCodeRefused), 5);
    let miss = last_event(&c);
    assert_eq!(miss.body.kind, EventKind::PickupCodeRefused);
    assert_eq!(miss.body.staff_id, Some(manager));
    let stored = format!("{:?}", miss.body);
    assert!(!stored.contains("000005"), "{stored}");

    // The kiosk restarts 5 s later: the wait is read back from the ledger.
    c.clock.advance(Duration::seconds(5));
    restart(&mut c);
    c.sign_in(MANAGER_PIN);
    c.type_text("p");
    let text = c.text_on_screen();
    assert!(text.contains("⏸ WAIT 0:25"), "{text}");
    assert!(
        text.contains("no code is checked for 25 more seconds"),
        "{text}"
    );

    // A sixth code in the wait, even the right one, is not checked, and nothing is recorded.
    let before = c.events().len();
    c.scan(DANA_CODE);
    assert_eq!(step(&c), PickupStep::Code);
    assert!(c.app.flow::<PickupFlow>().unwrap().lines.is_empty());
    assert_eq!(c.events().len(), before);
    assert!(
        c.text_on_screen()
            .contains("no code is checked for 25 more seconds"),
        "{}",
        c.text_on_screen()
    );

    // The countdown runs, then codes are checked again.
    c.clock.advance(Duration::seconds(10));
    c.app.tick();
    assert!(c.text_on_screen().contains("⏸ WAIT 0:15"));
    c.clock.advance(Duration::seconds(15));
    c.app.tick();
    assert!(
        c.text_on_screen()
            .contains("The wait is over: pickup codes are checked again."),
        "{}",
        c.text_on_screen()
    );
    c.scan(DANA_CODE);
    assert_eq!(step(&c), PickupStep::Parcels);

    // `verify` replays the refusals: they change no derived state.
    assert_ledger_verifies(&c);
}

#[test]
fn wrong_codes_spread_over_more_than_a_minute_never_wait() {
    let mut c = counter_with_parcels();
    c.type_text("p");
    for wrong in ["000001", "000002", "000003", "000004", "000005", "000006"] {
        c.clock.advance(Duration::seconds(16));
        c.scan(wrong);
        assert!(
            c.text_on_screen().contains("No parcels wait for this code"),
            "{}",
            c.text_on_screen()
        );
    }
    c.scan(DANA_CODE);
    assert_eq!(step(&c), PickupStep::Parcels);
}

#[test]
fn the_lost_code_search_lists_held_parcels_only_and_needs_three_letters() {
    let mut c = counter_with_parcels();
    // Sam Roe collects first: his parcel is no longer held.
    c.type_text("p");
    c.scan("771204");
    c.scan(PARCELS[2]);
    c.key(KeyCode::Enter);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.key(KeyCode::Enter);
    c.type_text("p");
    c.key(KeyCode::F(2));
    c.type_text("Ro");
    c.key(KeyCode::Enter);
    assert!(
        c.text_on_screen()
            .contains("Type 3 or more letters of the name."),
        "{}",
        c.text_on_screen()
    );
    c.type_text("e");
    c.key(KeyCode::Enter);
    let text = c.text_on_screen();
    assert!(
        text.contains("No parcels are held for that name."),
        "{text}"
    );
    // A LIKE wildcard is a character like any other.
    c.key(KeyCode::Esc);
    c.key(KeyCode::F(2));
    c.type_text("%%%");
    c.key(KeyCode::Enter);
    assert!(
        c.text_on_screen()
            .contains("No parcels are held for that name.")
    );
}
