//! Issue #14 at the counter: an unannounced parcel gets its owner's name, the delivering
//! driver's badge is recorded, orders, returns and drop-offs have shelves of their own that the
//! clerk can change, the ledger names staff without ambiguity and shows an event's parcels, the
//! home screen shows V in a local-delivery store and says DEMO DATA on a demo ledger, and the
//! counter's words fit 80 columns with the right plurals.

mod common;

use common::counter::*;
use common::*;
use crossterm::event::KeyCode;
use handoff_kiosk::config::KioskConfig;
use handoff_kiosk::domain::chain::{CounterpartyKind, LedgerEvent};
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::tui::app::Screen;
use handoff_kiosk::tui::flows::delivery::{DeliveryFlow, Entry};

const ANNOUNCED: &str = "1Z999AA10123456784";
const UNANNOUNCED: &str = "1Z879E930346834440";

fn signed_in() -> Counter {
    let mut c = counter();
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    c
}

fn last_events(c: &Counter, how_many: u64) -> Vec<LedgerEvent> {
    let (count, _) = c.app.kiosk.store.head().unwrap();
    (count + 1 - how_many..=count)
        .map(|seq| c.app.kiosk.store.event(seq).unwrap().unwrap())
        .collect()
}

fn last_event(c: &Counter) -> LedgerEvent {
    last_events(c, 1).remove(0)
}

fn announce(c: &mut Counter, id: &str, name: &str) {
    announce_to(c, id, name, "85004");
}

fn announce_to(c: &mut Counter, id: &str, name: &str, postal_code: &str) {
    let csv = format!(
        "tracking_id,recipient_name,pickup_code,postal_code\n{id},{name},482913,{postal_code}\n"
    );
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
}

fn pin_and_record(c: &mut Counter) {
    c.key(KeyCode::Enter); // the list is complete
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
}

fn asks_recipient(c: &Counter) -> bool {
    c.app
        .flow::<DeliveryFlow>()
        .is_some_and(|flow| matches!(flow.entry, Entry::Recipient(_)))
}

/// An unannounced parcel is added only once the clerk has typed the recipient's name from its
/// label; the name goes into the event (so name search finds it) and shows with the new code.
#[test]
fn an_unannounced_parcel_is_added_with_its_recipients_name() {
    let mut c = signed_in();
    announce(&mut c, ANNOUNCED, "Dana Reyes");
    c.type_text("d");
    c.key(KeyCode::Enter); // the driver has scanned the QR
    c.scan_only(ANNOUNCED);
    assert!(!asks_recipient(&c), "an announced parcel has its name");
    c.scan_only(UNANNOUNCED);
    assert!(asks_recipient(&c));
    let screen = c.screen(80, 24);
    assert!(
        screen.contains("Recipient's name from the label:")
            && screen.contains(&format!("{UNANNOUNCED} was not announced")),
        "{screen}"
    );
    c.snapshot("delivery_asks_recipient");
    c.key(KeyCode::Enter); // no name: not added, still asking
    assert!(asks_recipient(&c));
    assert!(c.text_on_screen().contains("needs an owner"));
    let flow = c.app.flow::<DeliveryFlow>().unwrap();
    assert_eq!(flow.lines.len(), 1, "not added without a name");
    // The next parcel scanned while the name is asked for is no name.
    c.scan_only("1Z999AA10123456784");
    assert!(asks_recipient(&c), "still asking");
    assert!(
        c.text_on_screen()
            .contains("That was a parcel label, not a name"),
        "{}",
        c.text_on_screen()
    );
    assert_eq!(c.app.flow::<DeliveryFlow>().unwrap().lines.len(), 1);
    c.scan_only("Lee Okafor");
    let flow = c.app.flow::<DeliveryFlow>().unwrap();
    assert_eq!(flow.lines.len(), 2);
    assert_eq!(flow.lines[1].recipient, "Lee Okafor");
    assert_eq!(flow.lines[1].shelf, "O", "the surname's shelf");
    // Esc while asking drops the parcel, with a word.
    c.scan_only("TBA123456789000");
    c.key(KeyCode::Esc);
    assert!(c.text_on_screen().contains("TBA123456789000 not added"));
    assert_eq!(c.app.flow::<DeliveryFlow>().unwrap().lines.len(), 2);
    pin_and_record(&mut c);
    let screen = c.screen(80, 24);
    let row = screen
        .lines()
        .find(|line| line.contains(UNANNOUNCED))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(
        row.contains("Lee Okafor") && row.contains("code "),
        "the name with its new code: {row}"
    );
    let event = last_event(&c);
    assert_eq!(event.body.kind, EventKind::DriverDelivery);
    let item = |id: &str| {
        event
            .body
            .items
            .iter()
            .find(|item| item.tracking_id == id)
            .unwrap()
            .clone()
    };
    assert_eq!(item(UNANNOUNCED).recipient, "Lee Okafor");
    assert_eq!(item(ANNOUNCED).recipient, "Dana Reyes");
    assert_eq!(event.body.format, 2, "the name is in the hashed item");
    let found = c.app.kiosk.store.search_parcels("Okafor", 10).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].tracking_id.as_str(), UNANNOUNCED);
    assert_eq!(found[0].recipient_name, "Lee Okafor");
}

/// F5 reads the delivering driver's badge; it is recorded as the driver's reference. Without
/// one the delivery is recorded as before.
#[test]
fn the_delivering_drivers_badge_is_recorded_when_scanned() {
    let mut c = signed_in();
    c.type_text("d");
    c.key(KeyCode::Enter);
    c.key(KeyCode::F(5));
    assert!(c.text_on_screen().contains("Driver's badge:"));
    c.scan_only("DRV-7781");
    assert!(c.text_on_screen().contains("driver DRV-7781"));
    c.scan(ANNOUNCED);
    pin_and_record(&mut c);
    let event = last_event(&c);
    assert_eq!(event.body.counterparty.kind, CounterpartyKind::Driver);
    assert_eq!(event.body.counterparty.reference, "DRV-7781");
    c.key(KeyCode::Enter);
    c.type_text("d");
    c.key(KeyCode::Enter);
    assert!(c.text_on_screen().contains("no badge scanned (F5)"));
    c.scan(UNANNOUNCED);
    pin_and_record(&mut c);
    assert_eq!(last_event(&c).body.counterparty.reference, "");
}

/// Orders, returns and drop-offs go to shelves of their own (never a surname's letter), and
/// the clerk can put a parcel elsewhere with F4 in delivery, drop-off/return and orders.
#[test]
fn orders_returns_and_drop_offs_have_their_own_shelves_and_f4_changes_a_shelf() {
    let mut c = signed_in();
    // Delivery: the suggested shelf, then F4 and another.
    c.type_text("d");
    c.key(KeyCode::Enter);
    c.scan(UNANNOUNCED);
    c.key(KeyCode::F(4));
    assert!(c.text_on_screen().contains("Shelf:"));
    c.scan_only("b 12");
    assert!(c.text_on_screen().contains("is not a shelf"), "refused");
    c.key(KeyCode::F(4));
    c.scan_only("f4");
    assert!(c.text_on_screen().contains("-> shelf F4"));
    pin_and_record(&mut c);
    assert_eq!(last_event(&c).body.items[0].shelf, "F4");
    c.key(KeyCode::Enter);

    // A return goes to RET, a drop-off to OUT; F4 puts one elsewhere.
    c.type_text("o");
    c.scan("Mia Chen");
    c.key(KeyCode::F(3)); // return
    c.scan("RET0001");
    c.scan("RET0002");
    c.key(KeyCode::F(4));
    c.scan_only("R2");
    let screen = c.screen(80, 24);
    assert!(
        screen.contains("RET0001") && screen.contains("RET "),
        "{screen}"
    );
    c.key(KeyCode::Enter);
    assert!(
        c.screen(80, 24).contains("Your PIN to record this return:"),
        "the return's own words"
    );
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    let shelves: Vec<String> = last_event(&c)
        .body
        .items
        .iter()
        .map(|item| item.shelf.clone())
        .collect();
    assert_eq!(shelves, ["RET", "R2"]);
    c.key(KeyCode::Enter);
    c.type_text("o");
    c.scan("Mia Chen");
    c.scan("DRP0001");
    c.key(KeyCode::Enter);
    assert!(
        c.screen(80, 24)
            .contains("Your PIN to record this drop-off:")
    );
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    assert_eq!(last_event(&c).body.items[0].shelf, "OUT");
    c.key(KeyCode::Enter);

    // Shop orders go to ORD, never to O (a surname's shelf).
    c.type_text("s");
    c.key(KeyCode::Enter); // the default time
    c.scan("ORD1001");
    c.scan("ORD1002");
    c.key(KeyCode::F(4));
    c.scan_only("ord-2");
    c.snapshot("order_shelf_changed");
    pin_and_record(&mut c);
    let shelves: Vec<String> = last_event(&c)
        .body
        .items
        .iter()
        .map(|item| item.shelf.clone())
        .collect();
    assert_eq!(shelves, ["ORD", "ORD-2"]);
    assert!(
        c.text_on_screen()
            .contains("Recorded: 2 orders, leaving by")
    );
}

fn config_error(from: &str, to: &str) -> String {
    let text = test_config_text().replace(from, to);
    assert_ne!(text, test_config_text(), "{from} is in kiosk.toml");
    KioskConfig::parse(&text, std::path::Path::new("kiosk.toml"))
        .expect_err("refused")
        .to_string()
}

#[test]
fn the_shelves_in_kiosk_toml_are_checked() {
    let config = KioskConfig::parse(&test_config_text(), std::path::Path::new("kiosk.toml"))
        .expect("the shipped file");
    assert_eq!(
        (
            config.shelves.orders.as_str(),
            config.shelves.returns.as_str(),
            config.shelves.drop_offs.as_str()
        ),
        ("ORD", "RET", "OUT")
    );
    let one_letter = config_error("orders = \"ORD\"", "orders = \"O\"");
    assert!(
        one_letter.contains("shelves.orders") && one_letter.contains("name shelf"),
        "{one_letter}"
    );
    let same = config_error("returns = \"RET\"", "returns = \"ORD\"");
    assert!(
        same.contains("shelves.returns") && same.contains("orders shelf too"),
        "{same}"
    );
    let bad = config_error("drop_offs = \"OUT\"", "drop_offs = \"TOO LONG\"");
    assert!(bad.contains("shelves.drop_offs"), "{bad}");
}

fn add_staff(c: &mut Counter, name: &str) {
    let hash = c
        .app
        .kiosk
        .pins
        .hash_new_pin(
            &handoff_kiosk::domain::pin::Pin::new(CLERK_PIN),
            &c.app.kiosk.config.security.pin_policy,
        )
        .unwrap();
    let now = c.clock.now();
    c.app
        .kiosk
        .store
        .add_staff(
            name,
            Role::Clerk,
            &hash,
            handoff_kiosk::store::Actor::AdminCommandLine,
            now,
        )
        .unwrap();
}

/// Two clerks whose names start alike are told apart by their staff numbers at any size, and
/// a name too long for its column is cut with a mark. Enter shows an event's parcels.
#[test]
fn the_ledger_tells_staff_apart_and_shows_an_events_parcels() {
    let mut c = counter();
    c.enrol_manager();
    add_staff(&mut c, "Demo Clerk Tara Montgomery-Whitfield");
    add_staff(&mut c, "Demo Clerk Theo Montgomery-Whitfield");
    for (number, pin) in [("2", CLERK_PIN), ("3", CLERK_PIN)] {
        c.type_text(number);
        c.sign_in(pin);
        assert!(
            matches!(c.app.screen, Screen::Home),
            "{}",
            c.text_on_screen()
        );
        c.type_text("d");
        c.key(KeyCode::Enter);
        c.scan(if number == "2" {
            ANNOUNCED
        } else {
            UNANNOUNCED
        });
        c.key(KeyCode::Enter);
        c.type_text(pin);
        c.key(KeyCode::Enter);
        c.key(KeyCode::Enter);
        c.key(KeyCode::Char('l'));
    }
    c.sign_in(MANAGER_PIN);
    c.type_text("e");
    for (width, height) in [(80, 24), (200, 60)] {
        let screen = c.screen(width, height);
        let staff_cells: Vec<&str> = screen
            .lines()
            .filter(|line| line.contains("driver delivery"))
            .collect();
        assert_eq!(staff_cells.len(), 2, "{screen}");
        assert!(
            staff_cells[0].contains("#3 Demo Clerk") && staff_cells[1].contains("#2 Demo Clerk"),
            "{width}x{height}: the staff numbers:\n{screen}"
        );
        for line in &staff_cells {
            assert!(
                line.contains("Montgomery-Whitfield") || line.contains('…'),
                "{width}x{height}: cut only with a mark: {line}"
            );
        }
    }
    c.snapshot("ledger_staff_numbers");
    c.key(KeyCode::Enter); // the newest event: Theo's delivery
    let screen = c.screen(80, 24);
    assert!(
        screen.contains(UNANNOUNCED) && screen.contains("Sam Xu") && screen.contains("Recipient"),
        "{screen}"
    );
    assert!(!screen.contains(ANNOUNCED), "only this event's parcels");
    c.snapshot("ledger_event_parcels");
    c.key(KeyCode::Esc);
    assert!(matches!(c.app.screen, Screen::Ledger(_)), "Esc goes back");
    c.key(KeyCode::Down);
    c.key(KeyCode::Enter);
    assert!(c.screen(80, 24).contains(ANNOUNCED));
    c.key(KeyCode::Esc);
    c.key(KeyCode::Esc);
    assert!(matches!(c.app.screen, Screen::Home));
}

fn rural_config() -> String {
    test_config_text()
        .replace(
            "capabilities = [\"PICK_UP\", \"DROP_OFF\"]",
            "capabilities = [\"PICK_UP\", \"DROP_OFF\", \"LOCAL_DELIVERY\"]",
        )
        .replace("service_area = []", "service_area = [\"85004\", \"85003\"]")
}

#[test]
fn the_home_key_bar_shows_v_in_a_local_delivery_store() {
    let mut c = counter_with(&rural_config());
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    let keys = c.screen(80, 24).lines().last().unwrap_or("").to_owned();
    assert!(keys.contains("V local"), "{keys}");
    assert!(
        keys.chars().count() <= 80 && keys.ends_with("all keys"),
        "{keys}"
    );
    let mut city = signed_in();
    let keys = city.screen(80, 24).lines().last().unwrap_or("").to_owned();
    assert!(!keys.contains("V local"), "{keys}");
    // A parcel with no postal code cannot go, and the reason is said whole at 80 columns.
    c.scan_only("d");
    c.key(KeyCode::Enter);
    c.scan("LOC0003");
    pin_and_record(&mut c);
    c.key(KeyCode::Enter);
    c.type_text("v");
    c.scan("LOC0003");
    let screen = c.screen(80, 24);
    assert!(screen.contains("cannot be checked"), "{screen}");
    city.key(KeyCode::Esc);
}

#[test]
fn a_demo_ledger_says_demo_data_on_the_home_screen_and_the_status_line() {
    let mut c = signed_in();
    assert!(!c.screen(80, 24).contains("DEMO"));
    let now = c.clock.now();
    c.app.kiosk.store.mark_demo_data(now).unwrap();
    c.key(KeyCode::Char('r'));
    let screen = c.screen(80, 24);
    assert!(
        screen.contains("DEMO DATA: made by `kiosk seed`"),
        "{screen}"
    );
    let status = screen.lines().rev().nth(1).unwrap_or("");
    assert!(status.contains("DEMO DATA"), "the status line: {status}");
    c.snapshot("home_demo");
    // Other screens keep the status line's word.
    c.type_text("f");
    assert!(c.screen(80, 24).contains("DEMO DATA"));
}

/// Plurals and whole words: "1 parcel", never "parcel(s)", and the home alerts fit 80 columns.
#[test]
fn counts_are_said_with_the_right_plural() {
    let mut c = signed_in();
    c.type_text("d");
    c.key(KeyCode::Enter);
    c.scan(ANNOUNCED);
    pin_and_record(&mut c);
    assert!(c.text_on_screen().contains("Recorded: 1 parcel received."));
    c.key(KeyCode::Enter);
    c.type_text("o");
    c.scan("Mia Chen");
    c.scan("DRP0001");
    pin_and_record(&mut c);
    assert!(
        c.text_on_screen()
            .contains("Recorded: 1 parcel taken in, 0 refused.")
    );
    c.key(KeyCode::Enter);
    c.type_text("t");
    let screen = c.screen(80, 24);
    assert!(screen.contains("1 parcel due"), "{screen}");
    assert!(!screen.contains("(s)"), "{screen}");
    c.key(KeyCode::Esc);
    c.type_text("e");
    let screen = c.screen(80, 24);
    assert!(
        screen.contains("1 parcel") && !screen.contains("(s)"),
        "{screen}"
    );
    // The expired alert on the home screen: whole at 80 columns, singular.
    c.key(KeyCode::Esc);
    c.clock.advance(chrono::Duration::days(30));
    c.sign_in_again_if_locked();
    c.key(KeyCode::Char('r'));
    let screen = c.screen(80, 24);
    assert!(
        screen.contains("1 EXPIRED PARCEL WAITING: give it to the next driver"),
        "{screen}"
    );
}

/// A local run's rows at 80 columns: the delivery note whole, a long name cut with a mark.
#[test]
fn a_local_run_says_each_note_whole_at_80_columns() {
    let mut c = counter_with(&rural_config());
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    announce_to(
        &mut c,
        "LOC0001",
        "Maximiliana Featherstonehaugh-Okonkwo",
        "85004",
    );
    c.type_text("d");
    c.key(KeyCode::Enter);
    c.scan("LOC0001");
    pin_and_record(&mut c);
    c.key(KeyCode::Enter);
    c.type_text("v");
    c.scan("LOC0001");
    pin_and_record(&mut c);
    c.key(KeyCode::Enter);
    c.type_text("v");
    c.key(KeyCode::F(3)); // the run is back
    c.key(KeyCode::F(7)); // delivered: handed to the recipient
    let screen = c.screen(80, 24);
    let row = screen
        .lines()
        .find(|line| line.contains("LOC0001"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(row.contains("✔ handed to the recipient"), "{row}");
    assert!(row.contains("Maximiliana") && row.contains('…'), "{row}");
}
