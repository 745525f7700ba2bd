//! The end-of-day report reconciles on a week of mixed activity, shows a mismatch when the
//! records and the chain disagree, and the store feed follows the carrier's field rules.

mod common;

use chrono::Duration;
use common::*;
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::report::DayReport;
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::report::day_report;
use handoff_kiosk::store::{HandoffItem, HandoffRequest};

fn request(
    kind: EventKind,
    counterparty: handoff_kiosk::domain::chain::Counterparty,
    ids: &[String],
) -> HandoffRequest {
    HandoffRequest {
        kind,
        counterparty,
        items: ids
            .iter()
            .map(|id| HandoffItem::on_shelf(tracking(id), "W"))
            .collect(),
        token_id: None,
        note: String::new(),
    }
}

#[test]
fn a_seeded_week_reconciles_every_day() {
    let mut t = new_kiosk();
    let manager = t.enrol("Ana Diaz", Role::Manager, MANAGER_PIN);
    let clerk = t.enrol("Bo Lee", Role::Clerk, CLERK_PIN);
    let mut held: Vec<String> = Vec::new();
    let mut previous_closing = 0;
    for day in 0..7_i64 {
        let (mut arrived, mut left, mut trouble) = (0_u64, 0_u64, 0_u64);
        let proof = t.sign_in(
            if day % 2 == 0 { manager } else { clerk },
            if day % 2 == 0 { MANAGER_PIN } else { CLERK_PIN },
        );
        let now = t.clock.now();
        // Morning delivery of 6 parcels.
        let delivered: Vec<String> = (0..6).map(|n| format!("WK{day}-{n:03}")).collect();
        t.kiosk
            .record(
                &proof,
                &[request(
                    EventKind::DriverDelivery,
                    driver("D-1"),
                    &delivered,
                )],
                now,
            )
            .unwrap();
        arrived += 6;
        // Yesterday's first three are collected; one refused by its customer; one not found.
        if held.len() >= 5 {
            let collected: Vec<String> = held.drain(..3).collect();
            t.kiosk
                .record(
                    &proof,
                    &[request(
                        EventKind::CustomerPickup,
                        customer("c"),
                        &collected,
                    )],
                    now,
                )
                .unwrap();
            left += 3;
            let refused = vec![held.remove(0)];
            t.kiosk
                .record(
                    &proof,
                    &[request(EventKind::CustomerRefused, customer("c"), &refused)],
                    now,
                )
                .unwrap();
            trouble += 1;
            let lost = vec![held[0].clone()];
            t.kiosk
                .record(
                    &proof,
                    &[request(EventKind::UnableToFind, customer("c"), &lost)],
                    now,
                )
                .unwrap();
            trouble += 1;
            // The refused parcel leaves with the afternoon driver.
            t.kiosk
                .record(
                    &proof,
                    &[request(EventKind::DriverPickup, driver("D-2"), &refused)],
                    now,
                )
                .unwrap();
            left += 1;
        }
        // Two drop-offs, one refused.
        let dropped = vec![format!("DRP{day}-A")];
        t.kiosk
            .record(
                &proof,
                &[request(
                    EventKind::CustomerDropOff,
                    customer("walk-in"),
                    &dropped,
                )],
                now,
            )
            .unwrap();
        t.kiosk
            .record(
                &proof,
                &[request(
                    EventKind::DropOffRefused,
                    customer("walk-in"),
                    &[format!("DRP{day}-B")],
                )],
                now,
            )
            .unwrap();
        arrived += 1;
        trouble += 1;
        held.extend(delivered);

        let date = t.kiosk.config.calendar.local_date(now);
        let report = day_report(&t.kiosk, date).unwrap();
        assert!(report.reconciles(), "day {day}:\n{}", report.to_text());
        assert_eq!(DayReport::total(&report.received), arrived, "day {day}");
        assert_eq!(DayReport::total(&report.handed_over), left, "day {day}");
        assert_eq!(DayReport::total(&report.exceptions), trouble, "day {day}");
        assert_eq!(
            report.opening,
            previous_closing,
            "day {day} opens where day {} closed",
            day - 1
        );
        assert!(
            report
                .to_text()
                .lines()
                .all(|line| line.chars().count() <= 48)
        );
        previous_closing = report.closing;
        t.advance(Duration::days(1));
    }
    assert!(previous_closing > 0);
    // A past day's report is the same when asked again later (closing wound back correctly).
    let first_day = t
        .kiosk
        .config
        .calendar
        .local_date(t.clock.now() - Duration::days(7));
    let again = day_report(&t.kiosk, first_day).unwrap();
    assert!(again.reconciles(), "{}", again.to_text());
    assert_eq!(again.opening, 0);
}

#[test]
fn a_record_that_disagrees_with_the_chain_shows_as_a_mismatch() {
    let mut t = new_kiosk();
    let manager = t.enrol("Ana Diaz", Role::Manager, MANAGER_PIN);
    let proof = t.sign_in(manager, MANAGER_PIN);
    let ids: Vec<String> = (0..3).map(|n| format!("MIS-{n:04}")).collect();
    t.kiosk
        .record(
            &proof,
            &[request(EventKind::DriverDelivery, driver("D-1"), &ids)],
            t.clock.now(),
        )
        .unwrap();
    // Someone edits the parcel records behind the kiosk's back: a parcel "left" unrecorded.
    let conn = rusqlite::Connection::open(t.ledger_path()).unwrap();
    conn.execute(
        "UPDATE parcels SET status = 'collected' WHERE tracking_id = 'MIS-0001'",
        [],
    )
    .unwrap();
    let report = day_report(&t.kiosk, t.kiosk.config.calendar.local_date(t.clock.now())).unwrap();
    assert!(!report.reconciles());
    let text = report.to_text();
    assert!(
        text.contains("0 + 3 - 0 = 3")
            && text.contains("MISMATCH !")
            && text.contains("Closing on hand is 2"),
        "{text}"
    );
    let output = kiosk_command(&t.config_path(), &["report"], None);
    assert_eq!(output.status.code(), Some(1), "the command says so too");
}

#[test]
fn the_store_feed_uses_the_carrier_field_names_and_rules() {
    let t = new_kiosk();
    let output = kiosk_command(&t.config_path(), &["store-feed"], None);
    assert_eq!(output.status.code(), Some(0));
    let body: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let feed = &body["accessPoints"][0];
    assert_eq!(feed["accessPointId"], "RVM-0045");
    assert!(feed["accessPointName"].as_str().unwrap().chars().count() <= 50);
    assert_eq!(feed["isActive"], true);
    assert_eq!(feed["timeZone"], "America/Phoenix");
    assert_eq!(feed["capacity"]["threshold"], 20);
    assert_eq!(
        feed["capabilities"],
        serde_json::json!(["PICK_UP", "DROP_OFF"])
    );
    for field in [
        "addressFieldOne",
        "city",
        "region",
        "postalCode",
        "countryCode",
        "latitude",
        "longitude",
    ] {
        assert!(!feed["address"][field].is_null(), "{field}");
    }
    let hours = feed["standardHours"].as_array().unwrap();
    assert_eq!(hours.len(), 7);
    assert_eq!(hours[0]["day"], "MONDAY");
    assert_eq!(hours[0]["openingTime"], "09:00:00");
    assert_eq!(hours[0]["closingTime"], "19:00:00");
    let saturday = hours.iter().find(|h| h["day"] == "SATURDAY").unwrap();
    assert_eq!(
        saturday["midDayClosures"],
        serde_json::json!([{ "startTime": "13:00:00", "endTime": "13:30:00" }])
    );
    // Only future closures are sent, each from its first day's start to its last day's end
    // (tests/store_feed_schema.rs checks every published rule on fixed dates).
    let closures = feed["exceptionalClosures"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    for closure in closures {
        assert!(closure["startDateTime"].as_str() < closure["endDateTime"].as_str());
    }
}

#[test]
fn kiosk_seed_follows_the_calendar_verifies_reconciles_and_is_marked_demo() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), handoff_kiosk::config::DEFAULT_CONFIG_TEXT);
    let output = kiosk_command(
        &config,
        &[
            "seed",
            "--days",
            "30",
            "--per-day",
            "40",
            "--start",
            "2026-11-01",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let said = text(&output.stdout);
    // November 2026 from the 1st: 30 days, one closure (Thanksgiving, the 26th).
    assert!(said.contains("on 29 open days from 2026-11-01"), "{said}");
    let verify = kiosk_command(&config, &["verify"], None);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify.stdout));
    for day in ["2026-11-02", "2026-11-15", "2026-11-27"] {
        let report = kiosk_command(&config, &["report", "--date", day], None);
        assert_eq!(
            report.status.code(),
            Some(0),
            "{day}: {}",
            text(&report.stdout)
        );
    }
    let thanksgiving = kiosk_command(&config, &["report", "--date", "2026-11-26"], None);
    assert!(
        text(&thanksgiving.stdout).contains("Handed over                                    0"),
        "closed: nothing happens"
    );
    let export = kiosk_command(&config, &["export", "--date", "2026-11-02"], None);
    assert_eq!(export.status.code(), Some(0));
    let manifest =
        std::fs::read_to_string(dir.path().join("exports/RVM-0045_2026-11-02/manifest.json"))
            .unwrap();
    assert!(manifest.contains("\"demo_data\": true"), "{manifest}");
    // A ledger with real activity is never seeded.
    let real = tempfile::tempdir().unwrap();
    let real_config = write_config(real.path(), handoff_kiosk::config::DEFAULT_CONFIG_TEXT);
    kiosk_command(&real_config, &["init"], None);
    kiosk_command(
        &real_config,
        &["staff", "add", "--name", "Ana", "--role", "manager"],
        Some("480915\n"),
    );
    let refused = kiosk_command(
        &real_config,
        &["seed", "--days", "1", "--per-day", "5"],
        None,
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("holds real activity"),
        "{}",
        text(&refused.stderr)
    );
}
