//! `kiosk verify-export DIR...` over several exports: contiguous days pass; a withheld day is
//! named with its events, and the command exits 1.

mod common;

use chrono::{Duration, NaiveDate};
use common::*;
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::export::{ExportFormat, export_days};
use handoff_kiosk::store::{HandoffItem, HandoffRequest};

/// Three store days (2026-11-24 to 26) with two drop-offs each, exported day by day.
fn three_exported_days() -> (TestKiosk, Vec<std::path::PathBuf>) {
    let mut t = new_kiosk();
    let manager = t.enrol("Ana", Role::Manager, MANAGER_PIN);
    let out = t.dir.path().join("exports");
    let mut folders = Vec::new();
    for day in 0..3 {
        for n in 0..2 {
            t.advance(Duration::minutes(30));
            let proof = t.sign_in(manager, MANAGER_PIN);
            let request = HandoffRequest {
                kind: EventKind::CustomerDropOff,
                counterparty: customer("walk-in"),
                items: vec![HandoffItem::on_shelf(
                    tracking(&format!("DAY{day}-{n}")),
                    "D",
                )],
                token_id: None,
                note: String::new(),
            };
            t.kiosk.record(&proof, &[request], t.clock.now()).unwrap();
        }
        t.advance(Duration::days(1) - Duration::hours(1));
    }
    for day in 24..=26 {
        let date = NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        let outcome = export_days(
            &t.kiosk,
            date,
            date,
            &[ExportFormat::Csv],
            &out,
            t.clock.now(),
            &mut |_, _| {},
        )
        .unwrap();
        folders.push(outcome.folder);
    }
    (t, folders)
}

fn verify_exports(t: &TestKiosk, folders: &[&std::path::Path]) -> (Option<i32>, String) {
    let mut args = vec!["verify-export"];
    args.extend(folders.iter().map(|folder| folder.to_str().unwrap()));
    let output = kiosk_command(&t.config_path(), &args, None);
    (
        output.status.code(),
        text(&output.stdout) + &text(&output.stderr),
    )
}

#[test]
fn contiguous_exports_pass_in_any_order() {
    let (t, folders) = three_exported_days();
    let (code, out) = verify_exports(&t, &[&folders[2], &folders[0], &folders[1]]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("ok: 3 exports follow on: 2026-11-24 to 2026-11-26"),
        "{out}"
    );
}

#[test]
fn a_withheld_day_between_two_exports_is_named() {
    let (t, folders) = three_exported_days();
    // Day 24 holds the enrolment (event 1) and events 2-3; day 25 events 4-5; day 26 events 6-7.
    let (code, out) = verify_exports(&t, &[&folders[0], &folders[2]]);
    assert_eq!(code, Some(1), "{out}");
    let first = folders[0].file_name().unwrap().to_string_lossy();
    let last = folders[2].file_name().unwrap().to_string_lossy();
    assert!(
        out.contains(&format!(
            "day 2026-11-25 (events 4 to 5) is missing between export {first} and export {last}"
        )),
        "{out}"
    );
}
