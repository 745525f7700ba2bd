//! The ledger's main story through the public library API on a real SQLite file:
//! init -> enrol -> receive 3 parcels -> customer pickup of 1 -> driver pickup of an expired
//! one -> verify the chain.

mod common;

use chrono::Duration;
use common::*;
use handoff_kiosk::config::KioskConfig;
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::codes::PickupCode;
use handoff_kiosk::domain::custody::{CustodyError, EventKind, ParcelStatus};
use handoff_kiosk::domain::expected::ExpectedParcel;
use handoff_kiosk::domain::pin::Pin;
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::service::Kiosk;
use handoff_kiosk::setup;
use handoff_kiosk::store::FileCheck;
use handoff_kiosk::store::{Actor, HandoffItem, HandoffRequest, StoreError};

#[test]
fn receive_hand_over_expire_and_verify() {
    let mut t = new_kiosk();
    let manager = t.enrol("Ana", Role::Manager, MANAGER_PIN);
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    assert_ne!(manager, clerk);

    // The carrier announced one of the three parcels, with its customer's pickup code.
    let announced = ExpectedParcel {
        tracking_id: tracking("1Z0001"),
        recipient_name: "Dana Reyes".into(),
        pickup_code: PickupCode::parse("482913").unwrap(),
        postal_code: "85004".into(),
        address: Default::default(),
    };
    t.kiosk
        .store
        .import_expected(
            &[announced],
            "carrier.csv",
            &t.kiosk.codes,
            Actor::AdminCommandLine,
            t.clock.now(),
        )
        .unwrap();

    // A driver delivers three parcels; the clerk confirms with the PIN.
    let proof = t.sign_in(clerk, CLERK_PIN);
    let delivery = HandoffRequest {
        kind: EventKind::DriverDelivery,
        counterparty: driver("D-0417"),
        items: ["1Z0001", "1Z0002", "1Z0003"]
            .iter()
            .enumerate()
            .map(|(bin, id)| HandoffItem::on_shelf(tracking(id), &format!("A{bin}")))
            .collect(),
        token_id: None,
        note: String::new(),
    };
    let receipt = t
        .kiosk
        .record(&proof, std::slice::from_ref(&delivery), t.clock.now())
        .unwrap();
    assert_eq!(receipt.on_hand, 3);
    assert!(!receipt.over_capacity());
    let generated: Vec<&str> = receipt
        .generated_codes
        .iter()
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(
        generated,
        ["1Z0002", "1Z0003"],
        "unannounced parcels get codes"
    );

    // The same parcel cannot be received twice while held; nothing is written.
    let head_before = t.kiosk.store.head().unwrap();
    let again = t
        .kiosk
        .record(&proof, std::slice::from_ref(&delivery), t.clock.now());
    assert!(matches!(
        again,
        Err(StoreError::Custody(CustodyError::AlreadyHeld(..)))
    ));
    assert_eq!(t.kiosk.store.head().unwrap(), head_before);

    // The customer collects with the announced code.
    let code = PickupCode::parse("482913").unwrap();
    let unlocked = t
        .kiosk
        .store
        .parcels_for_code(&code, &t.kiosk.codes)
        .unwrap();
    assert_eq!(unlocked.len(), 1);
    assert_eq!(unlocked[0].tracking_id.as_str(), "1Z0001");
    assert_eq!(unlocked[0].recipient_name, "Dana Reyes");
    let pickup = HandoffRequest {
        kind: EventKind::CustomerPickup,
        counterparty: customer("Dana Reyes"),
        items: vec![HandoffItem::new(tracking("1Z0001"))],
        token_id: None,
        note: String::new(),
    };
    t.kiosk
        .record(&proof, std::slice::from_ref(&pickup), t.clock.now())
        .unwrap();
    assert!(
        t.kiosk
            .store
            .parcels_for_code(&code, &t.kiosk.codes)
            .unwrap()
            .is_empty(),
        "a code opens once"
    );

    // A driver may not take a parcel whose hold has not ended.
    let driver_pickup = HandoffRequest {
        kind: EventKind::DriverPickup,
        counterparty: driver("D-0417"),
        items: vec![HandoffItem::new(tracking("1Z0002"))],
        token_id: None,
        note: String::new(),
    };
    let early = t
        .kiosk
        .record(&proof, std::slice::from_ref(&driver_pickup), t.clock.now());
    assert!(
        matches!(
            early,
            Err(StoreError::Custody(CustodyError::NotDueForDriver(_)))
        ),
        "{early:?}"
    );

    // Three weeks later the holds have ended; the old PIN proof is long stale.
    t.advance(Duration::days(21));
    let stale = t
        .kiosk
        .record(&proof, std::slice::from_ref(&driver_pickup), t.clock.now());
    assert!(matches!(stale, Err(StoreError::ProofExpired)));
    let expired: Vec<String> = t
        .kiosk
        .store
        .expired_parcels(t.clock.now())
        .unwrap()
        .iter()
        .map(|p| p.tracking_id.to_string())
        .collect();
    assert_eq!(expired, ["1Z0002", "1Z0003"]);
    let proof = t.sign_in(clerk, CLERK_PIN);
    let receipt = t
        .kiosk
        .record(&proof, std::slice::from_ref(&driver_pickup), t.clock.now())
        .unwrap();
    assert_eq!(receipt.on_hand, 1);

    let statuses: Vec<ParcelStatus> = ["1Z0001", "1Z0002", "1Z0003"]
        .iter()
        .map(|id| t.kiosk.store.parcel(&tracking(id)).unwrap().unwrap().status)
        .collect();
    assert_eq!(
        statuses,
        [
            ParcelStatus::Collected,
            ParcelStatus::WithDriver,
            ParcelStatus::HeldForCustomer
        ]
    );

    // Every event is attributed and chained: two enrolments, the import, and three handoffs.
    let public_key = setup::ledger_public_key(&t.kiosk.store).unwrap();
    let report = t
        .kiosk
        .store
        .verify("RVM-0045", &public_key, FileCheck::Full)
        .unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.events_checked, 6);
    let kinds: Vec<EventKind> = (1..=6)
        .map(|seq| t.kiosk.store.event(seq).unwrap().unwrap().body.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            EventKind::StaffEnrolled,
            EventKind::StaffEnrolled,
            EventKind::ExpectedParcelsImported,
            EventKind::DriverDelivery,
            EventKind::CustomerPickup,
            EventKind::DriverPickup
        ]
    );
    let delivery_event = t.kiosk.store.event(4).unwrap().unwrap();
    assert_eq!(delivery_event.body.staff_id, Some(clerk));
    assert_eq!(delivery_event.body.items.len(), 3);
}

#[test]
fn a_disabled_staff_member_cannot_record_even_with_a_fresh_proof() {
    let mut t = new_kiosk();
    t.enrol("Ana", Role::Manager, MANAGER_PIN);
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    let proof = t.sign_in(clerk, CLERK_PIN);
    t.kiosk
        .store
        .disable_staff(clerk, Actor::AdminCommandLine, t.clock.now())
        .unwrap();
    let request = HandoffRequest {
        kind: EventKind::CustomerDropOff,
        counterparty: customer("walk-in"),
        items: vec![HandoffItem::on_shelf(tracking("RET-7781"), "R1")],
        token_id: None,
        note: String::new(),
    };
    let head_before = t.kiosk.store.head().unwrap();
    let outcome = t
        .kiosk
        .record(&proof, std::slice::from_ref(&request), t.clock.now());
    assert!(
        matches!(outcome, Err(StoreError::StaffInactive(_))),
        "{outcome:?}"
    );
    assert_eq!(t.kiosk.store.head().unwrap(), head_before);
}

#[test]
fn a_handoff_with_one_bad_parcel_records_nothing() {
    let mut t = new_kiosk();
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    let proof = t.sign_in(clerk, CLERK_PIN);
    let head_before = t.kiosk.store.head().unwrap();
    // One good drop-off and one pickup of a parcel the store never had, in one transaction.
    let requests = [
        HandoffRequest {
            kind: EventKind::CustomerDropOff,
            counterparty: customer("walk-in"),
            items: vec![HandoffItem::on_shelf(tracking("RET-7781"), "R1")],
            token_id: None,
            note: String::new(),
        },
        HandoffRequest {
            kind: EventKind::CustomerPickup,
            counterparty: customer("someone"),
            items: vec![HandoffItem::new(tracking("NEVER-SEEN"))],
            token_id: None,
            note: String::new(),
        },
    ];
    let outcome = t.kiosk.record(&proof, &requests, t.clock.now());
    assert!(
        matches!(outcome, Err(StoreError::Custody(CustodyError::Unknown(_)))),
        "{outcome:?}"
    );
    assert_eq!(t.kiosk.store.head().unwrap(), head_before);
    assert!(
        t.kiosk
            .store
            .parcel(&tracking("RET-7781"))
            .unwrap()
            .is_none()
    );
}

#[test]
fn capacity_is_reported_not_enforced() {
    let mut t = new_kiosk();
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    let proof = t.sign_in(clerk, CLERK_PIN);
    let capacity = t.kiosk.config.store.capacity as usize;
    let request = HandoffRequest {
        kind: EventKind::DriverDelivery,
        counterparty: driver("D-1"),
        items: (0..=capacity)
            .map(|n| HandoffItem::on_shelf(tracking(&format!("CAP-{n:04}")), "B1"))
            .collect(),
        token_id: None,
        note: String::new(),
    };
    let receipt = t
        .kiosk
        .record(&proof, std::slice::from_ref(&request), t.clock.now())
        .unwrap();
    assert_eq!(receipt.on_hand as usize, capacity + 1);
    assert!(receipt.over_capacity());
}

#[test]
fn every_connection_the_code_makes_has_the_durability_pragmas() {
    use handoff_kiosk::store::{OpenMode, Store};
    let t = new_kiosk();
    let ledger = t.ledger_path();
    let kiosk_connection = t.kiosk.store.pragmas().unwrap();
    let admin_connection = Store::open(&ledger, OpenMode::Existing)
        .unwrap()
        .pragmas()
        .unwrap();
    let backup = t.dir.path().join("backup.sqlite3");
    t.kiosk.store.backup_to(&backup).unwrap();
    let backup_connection = Store::open(&backup, OpenMode::Existing)
        .unwrap()
        .pragmas()
        .unwrap();
    for pragmas in [kiosk_connection, admin_connection, backup_connection] {
        assert_eq!(pragmas.journal_mode, "wal");
        assert_eq!(pragmas.synchronous, "2", "FULL");
        assert_eq!(pragmas.foreign_keys, "1");
        assert_eq!(pragmas.busy_timeout_ms, "5000");
    }
}

#[test]
fn the_seeder_records_through_the_real_path_and_search_finds_its_parcels() {
    let mut t = new_kiosk();
    let manager = t.enrol("Ana", Role::Manager, MANAGER_PIN);
    let proof = t.sign_in(manager, MANAGER_PIN);
    let written =
        handoff_kiosk::seed::seed_activity(&mut t.kiosk, &proof, 200, 50, t.clock.now()).unwrap();
    assert!(written >= 200);
    let public_key = setup::ledger_public_key(&t.kiosk.store).unwrap();
    assert!(
        t.kiosk
            .store
            .verify("RVM-0045", &public_key, FileCheck::Full)
            .unwrap()
            .is_ok()
    );
    let seventh = handoff_kiosk::seed::tracking_for(7).unwrap();
    let tail = &seventh.as_str()[seventh.as_str().len() - 6..];
    let found = t.kiosk.store.search_parcels(tail, 50).unwrap();
    assert!(
        found.iter().any(|p| p.tracking_id == seventh),
        "a tracking id suffix"
    );
    let found = t.kiosk.store.search_parcels(seventh.as_str(), 50).unwrap();
    assert_eq!(found.len(), 1, "a scanned label");
    let history = t.kiosk.store.parcel_history(&found[0].tracking_id).unwrap();
    assert_eq!(history.len(), 3, "announced, delivered and collected");
    assert!(
        !t.kiosk
            .store
            .search_parcels("reyes", 50)
            .unwrap()
            .is_empty(),
        "a name fragment"
    );
    assert!(
        !t.kiosk.store.search_parcels("R", 50).unwrap().is_empty(),
        "a shelf"
    );
}

#[test]
fn after_a_bulk_seed_the_ledger_is_back_to_durable_shared_wal() {
    let mut t = new_kiosk();
    let first = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let summary =
        handoff_kiosk::seed::seed_days(&mut t.kiosk, first, 3, 30, &mut |_, _| {}).expect("seeded");
    assert!(summary.events >= 60, "{summary:?}");
    let pragmas = t.kiosk.store.pragmas().unwrap();
    assert_eq!(pragmas.journal_mode, "wal");
    assert_eq!(pragmas.synchronous, "2", "FULL again");
    // The seeding connection is still open and no longer holds the file to itself: another
    // process reads and writes beside it.
    let config = t.dir.path().join("kiosk.toml");
    let checkpoint = kiosk_command(&config, &["checkpoint"], None);
    assert_eq!(
        checkpoint.status.code(),
        Some(0),
        "{}",
        text(&checkpoint.stderr)
    );
    let verify = kiosk_command(&config, &["verify"], None);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify.stdout));
    assert!(
        // The seeder signs what it seeded; `kiosk checkpoint` signed the second.
        text(&verify.stdout).contains("2 checkpoints verified"),
        "{}",
        text(&verify.stdout)
    );
}

#[test]
fn the_on_hand_figure_stays_right_when_another_connection_records_in_between() {
    let mut t = new_kiosk();
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    let proof = t.sign_in(clerk, CLERK_PIN);
    let now = t.clock.now();
    let deliver = |ids: &[&str]| HandoffRequest {
        kind: EventKind::DriverDelivery,
        counterparty: driver("D-1"),
        items: ids
            .iter()
            .map(|id| HandoffItem::on_shelf(tracking(id), "C1"))
            .collect(),
        token_id: None,
        note: String::new(),
    };
    let first = t
        .kiosk
        .record(&proof, &[deliver(&["OH-0001", "OH-0002"])], now)
        .unwrap();
    assert_eq!(first.on_hand, 2);
    // A second connection to the same ledger records three more behind the first one's back.
    let config = KioskConfig::load(&t.config_path()).unwrap();
    let mut other = Kiosk::open(&config).unwrap();
    let pins = other.pins.clone();
    let other_proof = other
        .store
        .verify_pin(
            clerk,
            &Pin::new(CLERK_PIN),
            &pins,
            &config.security.lockout,
            || now,
        )
        .unwrap();
    let theirs = other
        .record(
            &other_proof,
            &[deliver(&["OH-0003", "OH-0004", "OH-0005"])],
            now,
        )
        .unwrap();
    assert_eq!(theirs.on_hand, 5);
    let pickup = HandoffRequest {
        kind: EventKind::CustomerPickup,
        counterparty: customer("walk-in"),
        items: vec![HandoffItem::new(tracking("OH-0001"))],
        token_id: None,
        note: String::new(),
    };
    let second = t.kiosk.record(&proof, &[pickup], now).unwrap();
    assert_eq!(second.on_hand, 4, "5 on the shelves, one collected");
    let third = t
        .kiosk
        .record(&proof, &[deliver(&["OH-0006"])], now)
        .unwrap();
    assert_eq!(third.on_hand, 5);
    let refused = t.kiosk.record(&proof, &[deliver(&["OH-0006"])], now);
    assert!(refused.is_err(), "received twice");
    let fourth = t
        .kiosk
        .record(&proof, &[deliver(&["OH-0007"])], now)
        .unwrap();
    assert_eq!(fourth.on_hand, 6, "a refused recording changes nothing");
}
