//! Screen tests: the app driven by key events on a `TestBackend`, snapshotted at 80x24 and
//! 120x40 (codes filtered out), with the ledger checked through the library afterwards.

mod common;

use chrono::Duration;
use common::counter::*;
use common::*;
use crossterm::event::KeyCode;
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::custody::{EventKind, ParcelStatus};
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::tui::app::Screen;
use handoff_kiosk::tui::flows::delivery::DeliveryFlow;
use handoff_kiosk::tui::flows::pickup::PickupFlow;

#[test]
fn first_run_enrols_the_first_manager() {
    let mut c = counter();
    c.snapshot("enrol_empty");
    c.type_text("Ana Diaz");
    c.key(KeyCode::Tab);
    c.type_text("123456");
    c.key(KeyCode::Tab);
    c.type_text("123456");
    c.key(KeyCode::Enter);
    assert!(
        c.text_on_screen().contains("too easy to guess"),
        "{}",
        c.text_on_screen()
    );
    c.snapshot("enrol_refused_pin");
    c.key(KeyCode::BackTab);
    c.key(KeyCode::Tab);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Tab);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    assert!(matches!(c.app.screen, Screen::Lock(_)));
    c.snapshot("lock_after_enrolment");
    let staff = c.app.kiosk.store.list_staff().unwrap();
    assert_eq!(staff.len(), 1);
    assert_eq!(staff[0].role, Role::Manager);
}

#[test]
fn sign_in_wrong_pin_then_right_pin() {
    let mut c = counter();
    c.enrol_manager();
    c.sign_in("605118");
    assert!(matches!(c.app.screen, Screen::Lock(_)));
    assert!(c.text_on_screen().contains("wrong staff number or PIN"));
    c.snapshot("lock_wrong_pin");
    c.key(KeyCode::Esc);
    c.sign_in(MANAGER_PIN);
    assert!(matches!(c.app.screen, Screen::Home));
    c.snapshot("home_empty");
}

#[test]
fn driver_delivery_scans_bursts_and_records_in_one_transaction() {
    let mut c = counter();
    c.enrol_manager();
    c.add_clerk();
    // Choose the clerk by staff number, then the PIN.
    c.type_text("2");
    c.sign_in(CLERK_PIN);
    assert!(
        matches!(c.app.screen, Screen::Home),
        "{}",
        c.text_on_screen()
    );
    c.type_text("d");
    c.snapshot("delivery_qr");
    c.key(KeyCode::Enter);
    for id in PARCELS {
        c.scan(id);
    }
    c.scan(PARCELS[1]); // a duplicate is flagged, not added
    assert!(c.text_on_screen().contains("duplicate scan"));
    // The duplicate scan selected the second parcel; refuse the third as damaged.
    c.key(KeyCode::Down);
    c.key(KeyCode::F(2));
    c.snapshot("delivery_scanning");
    let screen = c.text_on_screen();
    let order: Vec<usize> = PARCELS.iter().map(|id| screen.find(id).unwrap()).collect();
    assert!(
        order.windows(2).all(|pair| pair[0] < pair[1]),
        "scans appear in order"
    );
    c.key(KeyCode::Enter); // empty line: confirm
    c.snapshot("delivery_confirm_pin");
    assert_eq!(c.events().len(), 2, "nothing recorded before the PIN");
    c.type_text(CLERK_PIN);
    c.key(KeyCode::Enter);
    c.snapshot("delivery_recorded");
    assert!(
        c.text_on_screen()
            .contains("Recorded: 4 parcels received, 1 refused as damaged")
    );
    assert_eq!(
        c.events(),
        [
            EventKind::StaffEnrolled,
            EventKind::StaffEnrolled,
            EventKind::DriverDelivery,
            EventKind::DeliveryRefusedDamaged
        ]
    );
    let delivery = c.app.kiosk.store.event(3).unwrap().unwrap();
    assert_eq!(delivery.body.items.len(), 4);
    assert_eq!(
        delivery.body.staff_id,
        Some(handoff_kiosk::domain::ids::StaffId(2))
    );
    assert!(
        delivery.body.token_id.is_some(),
        "the handshake token is on the record"
    );
    let refused = c
        .app
        .kiosk
        .store
        .parcel(&tracking(PARCELS[2]))
        .unwrap()
        .unwrap();
    assert_eq!(refused.status, ParcelStatus::RefusedAtReceipt);
}

#[test]
fn a_wrong_pin_at_confirm_records_nothing() {
    let mut c = counter();
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    deliver_five(&mut c);
    c.key(KeyCode::Enter);
    c.type_text("605118");
    c.key(KeyCode::Enter);
    assert!(
        c.text_on_screen().contains("Nothing was recorded"),
        "{}",
        c.text_on_screen()
    );
    assert_eq!(c.events(), [EventKind::StaffEnrolled]);
}

#[test]
fn garbage_and_oversized_scans_are_refused() {
    let mut c = counter();
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    c.type_text("d");
    c.key(KeyCode::Enter);
    c.scan(&"X".repeat(10_000));
    assert!(
        c.text_on_screen()
            .contains("10000 characters long and was refused")
    );
    c.scan("AB\u{1b}[31mCD");
    assert!(
        c.text_on_screen()
            .contains("invisible or control character")
    );
    c.scan("AB\u{202e}CD");
    assert!(
        c.text_on_screen()
            .contains("invisible or control character")
    );
    c.scan("not a label!");
    assert!(c.text_on_screen().contains("Not a parcel label"));
    c.snapshot("delivery_garbage_refused");
    let Some(flow) = c.app.flow::<DeliveryFlow>() else {
        panic!("left the delivery")
    };
    assert!(flow.lines.is_empty());
}

#[test]
fn customer_pickup_with_a_wrong_parcel_and_an_exception() {
    let mut c = counter();
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    // Two announced parcels for one customer, one for another.
    let csv = format!(
        "tracking_id,recipient_name,pickup_code\n{},Dana Reyes,482913\n{},Dana Reyes,482913\n{},Sam Roe,771204\n",
        PARCELS[0], PARCELS[1], PARCELS[2]
    );
    c.announce_csv(&csv);
    deliver_five(&mut c);
    c.key(KeyCode::Enter);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.key(KeyCode::Enter); // home

    c.type_text("p");
    c.snapshot("pickup_code");
    c.scan("000000");
    assert!(c.text_on_screen().contains("No parcels wait for this code"));
    c.scan("482913");
    assert!(
        c.text_on_screen().contains("For Dana Reyes: 2 parcels"),
        "{}",
        c.text_on_screen()
    );
    c.scan(PARCELS[2]);
    assert!(c.text_on_screen().contains("WRONG PARCEL"));
    c.snapshot("pickup_wrong_parcel");
    c.scan(PARCELS[0]);
    // Select the other parcel (the list is in shelf and id order) and mark it not found.
    let flow = c.app.flow::<PickupFlow>().expect("pickup");
    let other = flow
        .lines
        .iter()
        .position(|line| line.parcel.tracking_id.as_str() == PARCELS[1])
        .expect("the second parcel is listed");
    let step = if other > flow.selected {
        KeyCode::Down
    } else {
        KeyCode::Up
    };
    for _ in 0..other.abs_diff(flow.selected) {
        c.key(step);
    }
    c.key(KeyCode::F(4)); // unable to find the second
    c.key(KeyCode::Enter);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.snapshot("pickup_recorded");
    let kinds = c.events();
    assert_eq!(
        &kinds[kinds.len() - 2..],
        [EventKind::CustomerPickup, EventKind::UnableToFind]
    );
    let collected = c
        .app
        .kiosk
        .store
        .parcel(&tracking(PARCELS[0]))
        .unwrap()
        .unwrap();
    assert_eq!(collected.status, ParcelStatus::Collected);
    let missing = c
        .app
        .kiosk
        .store
        .parcel(&tracking(PARCELS[1]))
        .unwrap()
        .unwrap();
    assert!(missing.missing);
    assert_eq!(missing.status, ParcelStatus::HeldForCustomer);
}

#[test]
fn home_shows_stock_expiry_alert_volume_and_closed_days() {
    let mut c = counter();
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    deliver_five(&mut c);
    c.key(KeyCode::Enter);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.key(KeyCode::Enter);
    let text = c.text_on_screen();
    assert!(text.contains("5 of 20 parcels on hand"), "{text}");
    assert!(text.contains("5 received"), "{text}");
    assert!(text.contains("No expired parcels"), "{text}");
    assert!(text.contains("Thanksgiving"), "{text}");
    c.snapshot("home_after_delivery");
    // Three weeks on, the holds have ended: the alert stays until a driver takes them.
    c.clock.advance(Duration::days(21));
    c.key(KeyCode::Char('r'));
    let text = c.text_on_screen();
    assert!(text.contains("5 EXPIRED PARCELS WAITING"), "{text}");
}

#[test]
fn idle_lock_discards_the_unfinished_handoff_and_hides_names() {
    let mut c = counter();
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
    assert!(c.text_on_screen().contains("Dana Reyes"));
    let before = c.events();
    let idle_lock = c.app.kiosk.config.security.idle_lock;
    c.clock.advance(idle_lock - Duration::seconds(16));
    c.app.tick();
    assert!(
        !c.text_on_screen().contains("Locking in"),
        "no warning 16 s before the lock"
    );
    c.clock.advance(Duration::seconds(1));
    c.app.tick();
    assert!(
        c.text_on_screen()
            .contains("Locking in 15 seconds for lack of use"),
        "15 s before the lock the screen warns:\n{}",
        c.text_on_screen()
    );
    assert!(
        c.app.next_deadline() <= c.clock.now() + Duration::seconds(1),
        "the countdown wakes the loop each second"
    );
    c.clock.advance(Duration::seconds(14));
    c.app.tick();
    assert!(c.app.flow::<DeliveryFlow>().is_some(), "not yet");
    assert!(c.text_on_screen().contains("Locking in 1 second for"));
    c.clock.advance(Duration::seconds(1));
    c.app.tick();
    assert!(matches!(c.app.screen, Screen::Lock(_)));
    assert!(c.app.session.is_none());
    let text = c.text_on_screen();
    assert!(
        !text.contains("Dana Reyes") && !text.contains(PARCELS[0]),
        "{text}"
    );
    assert!(text.contains("unfinished handoff was discarded"));
    c.snapshot("lock_after_idle");
    assert_eq!(c.events(), before, "nothing half-recorded");
}

#[test]
fn kiosk_mode_keeps_the_kiosk_running_and_quitting_takes_a_manager() {
    let mut c = counter();
    c.enrol_manager();
    c.add_clerk();
    for character in ['c', 'z', '\\'] {
        c.ctrl(character);
        assert!(!c.app.should_quit);
    }
    assert!(c.text_on_screen().contains("Kiosk mode"));
    c.key(KeyCode::F(10));
    assert!(matches!(c.app.screen, Screen::Quit(_)));
    c.snapshot("quit_needs_manager");
    c.key(KeyCode::Enter);
    c.type_text("605118");
    c.key(KeyCode::Enter);
    assert!(!c.app.should_quit);
    c.key(KeyCode::Enter);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    assert!(c.app.should_quit);

    let mut relaxed =
        counter_with(&test_config_text().replace("kiosk_mode = true", "kiosk_mode = false"));
    relaxed.enrol_manager();
    relaxed.ctrl('c');
    assert!(relaxed.app.should_quit);
}

#[test]
fn a_clerk_cannot_quit_the_kiosk() {
    let mut c = counter();
    c.enrol_manager();
    c.add_clerk();
    c.key(KeyCode::F(10));
    // The quit screen lists managers only; choosing the clerk by number does not work.
    c.type_text("2");
    c.key(KeyCode::Enter);
    c.type_text(CLERK_PIN);
    c.key(KeyCode::Enter);
    assert!(!c.app.should_quit);
}

#[test]
fn help_and_the_too_small_message() {
    let mut c = counter();
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    c.key(KeyCode::F(1));
    c.snapshot("home_help");
    c.key(KeyCode::Esc);
    assert!(!c.app.help_open);
    let small = c.screen(79, 24);
    assert!(
        small.contains("Enlarge the window: the kiosk needs at least 80x24 (now 79x24)"),
        "{small}"
    );
    let small = c.screen(80, 23);
    assert!(small.contains("(now 80x23)"), "{small}");
    assert!(
        c.screen(80, 24).contains("parcels on hand"),
        "resizing back restores the screen"
    );
}

#[test]
fn every_size_from_nothing_to_300x100_renders_without_panic() {
    let mut c = counter();
    let mut states = vec![c.screen(1, 1)];
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    c.type_text("d");
    let mut sizes: Vec<(u16, u16)> = Vec::new();
    let widths = (0..=90)
        .chain((91..=300).step_by(7))
        .chain([119, 120, 121, 299, 300]);
    for width in widths {
        for height in [0, 1, 2, 12, 23, 24, 25, 31, 32, 40, 100] {
            sizes.push((width, height));
        }
    }
    for height in 0..=100 {
        for width in [0, 1, 40, 79, 80, 81, 100, 120, 300] {
            sizes.push((width, height));
        }
    }
    let mut render_all = |c: &Counter| {
        for (width, height) in &sizes {
            states.push(c.screen(*width, *height));
        }
    };
    render_all(&c); // the QR screen
    c.key(KeyCode::Enter);
    c.scan(PARCELS[0]);
    render_all(&c); // scanning
    c.key(KeyCode::F(1));
    render_all(&c); // help over scanning
    assert!(states.len() > 3 * sizes.len());
}

#[test]
fn a_full_disk_at_confirm_never_says_recorded_and_the_retry_succeeds() {
    let mut c = counter();
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    deliver_five(&mut c);
    c.key(KeyCode::Enter); // empty line: confirm
    c.app.kiosk.store.set_page_limit(Some(0)).unwrap();
    // Fill what room is left inside the capped file, so the delivery cannot fit.
    let pins = c.app.kiosk.pins.clone();
    let lockout = c.app.kiosk.config.security.lockout;
    let clock = c.clock.clone();
    let proof = c
        .app
        .kiosk
        .store
        .verify_pin(
            handoff_kiosk::domain::ids::StaffId(1),
            &handoff_kiosk::domain::pin::Pin::new(MANAGER_PIN),
            &pins,
            &lockout,
            || clock.now(),
        )
        .unwrap();
    for n in 0..10_000 {
        let filler = handoff_kiosk::store::HandoffRequest {
            kind: EventKind::CustomerDropOff,
            counterparty: customer("filler"),
            items: vec![handoff_kiosk::store::HandoffItem::on_shelf(
                tracking(&format!("FILL-{n:05}")),
                "F",
            )],
            token_id: None,
            note: String::new(),
        };
        if c.app
            .kiosk
            .record(&proof, &[filler], c.clock.now())
            .is_err()
        {
            break;
        }
    }
    let before = c.events();
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    let text = c.text_on_screen();
    assert!(
        text.contains("the disk is full") && text.contains("Nothing was recorded"),
        "{text}"
    );
    assert!(!text.contains("Recorded"), "{text}");
    assert_eq!(c.events(), before, "the ledger is unchanged");
    c.snapshot("delivery_disk_full");
    // Space comes back: the clerk types the PIN again and the same delivery is recorded.
    c.app.kiosk.store.set_page_limit(None).unwrap();
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    assert!(
        c.text_on_screen().contains("Recorded: 5 parcels received"),
        "{}",
        c.text_on_screen()
    );
}

#[test]
fn a_long_delivery_keeps_the_newest_scan_on_screen_and_scrolls_back_to_the_first() {
    let mut c = counter();
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    c.type_text("d");
    c.key(KeyCode::Enter);
    let ids: Vec<String> = (0..40).map(|n| format!("LONG{n:04}")).collect();
    for id in &ids {
        c.scan(id);
        let screen = c.screen(80, 24);
        assert!(screen.contains(id.as_str()), "{id} just scanned:\n{screen}");
    }
    let screen = c.screen(80, 24);
    assert!(screen.contains("40 to receive"), "{screen}");
    assert!(!screen.contains("LONG0000"), "the list scrolled:\n{screen}");
    for _ in 0..39 {
        c.key(KeyCode::Up);
    }
    let screen = c.screen(80, 24);
    assert!(screen.contains("LONG0000"), "back at the top:\n{screen}");
}

/// A label that fails its check digit needs the clerk's eyes: the bell rings (once for the
/// alert, not for a good scan), and `[counter] bell = false` keeps it quiet.
#[test]
fn an_alert_rings_the_bell_unless_it_is_turned_off() {
    for (bell, config) in [
        (true, test_config_text()),
        (
            false,
            test_config_text().replace("bell = true", "bell = false"),
        ),
    ] {
        let mut c = counter_with(&config);
        assert_eq!(c.app.kiosk.config.counter.bell, bell);
        c.enrol_manager();
        c.sign_in(MANAGER_PIN);
        let _ = c.app.take_bell();
        c.type_text("d");
        c.key(KeyCode::Enter);
        c.scan("1Z999AA10123456784");
        assert!(!c.app.take_bell(), "a good scan is quiet");
        c.scan("1Z999AA10123456785");
        assert!(c.text_on_screen().contains("✖"), "{}", c.text_on_screen());
        assert_eq!(c.app.take_bell(), bell, "bell = {bell}");
        assert!(!c.app.take_bell(), "one ring per alert");
    }
}

/// The driver's QR fills a short screen and the message line has no row of its own there:
/// the idle countdown still shows, beside the code, without covering it.
#[test]
fn the_idle_countdown_shows_beside_the_full_screen_qr() {
    let mut c = counter();
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    c.type_text("d");
    assert!(c.text_on_screen().contains("Driver: scan this code"));
    let idle_lock = c.app.kiosk.config.security.idle_lock;
    c.clock.advance(idle_lock - Duration::seconds(10));
    c.app.tick();
    let screen = c.screen(80, 24);
    assert!(screen.contains("Locking in 10"), "{screen}");
    assert!(screen.contains("Driver: scan this code"), "{screen}");
}
