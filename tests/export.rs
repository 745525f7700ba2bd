//! The signed daily export: round trip, tampering of every kind, day boundaries in the store's
//! time zone (midnight and DST), spreadsheet formula escaping, and a day exported before it
//! ended (`"complete": false`, a fresh folder for the repeat).

mod common;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use common::*;
use handoff_kiosk::config::{DEFAULT_CONFIG_TEXT, KioskConfig};
use handoff_kiosk::domain::chain::{Counterparty, CounterpartyKind};
use handoff_kiosk::domain::clock::{Clock, FixedClock};
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::export::{CSV_HEADER, Manifest, sha256_hex, sign_manifest};
use handoff_kiosk::domain::export_verify::verify_export;
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::export::{
    ExportFormat, export_days, export_days_into, fresh_export_folder, read_export_folder,
};
use handoff_kiosk::service::Kiosk;
use handoff_kiosk::setup;
use handoff_kiosk::store::{HandoffItem, HandoffRequest};

const ALL: [ExportFormat; 3] = [ExportFormat::Csv, ExportFormat::Json, ExportFormat::Ndjson];

struct Ledger {
    dir: tempfile::TempDir,
    kiosk: Kiosk,
    clock: FixedClock,
    proof_for: handoff_kiosk::domain::ids::StaffId,
}

fn ledger_in(zone: &str) -> Ledger {
    // 08:00 in Phoenix, before the day's first recorded drop-off.
    ledger_in_enrolled_at(zone, tuesday_morning() - chrono::Duration::hours(2))
}

/// The manager is enrolled at `enrolled_at`; the kiosk records nothing earlier than its newest
/// event, so a test that records an older day enrols before it.
fn ledger_in_enrolled_at(zone: &str, enrolled_at: DateTime<Utc>) -> Ledger {
    let dir = tempfile::tempdir().unwrap();
    let text = DEFAULT_CONFIG_TEXT.replace(
        "time_zone = \"America/Phoenix\"",
        &format!("time_zone = \"{zone}\""),
    );
    let path = write_config(dir.path(), &text);
    let config = KioskConfig::load(&path).unwrap();
    setup::init(&config).unwrap();
    let mut kiosk = Kiosk::open(&config).unwrap();
    let clock = FixedClock::at(enrolled_at);
    let hash = kiosk
        .pins
        .hash_new_pin(
            &handoff_kiosk::domain::pin::Pin::new(MANAGER_PIN),
            &config.security.pin_policy,
        )
        .unwrap();
    let id = kiosk
        .store
        .add_staff(
            "Ana Diaz",
            Role::Manager,
            &hash,
            handoff_kiosk::store::Actor::AdminCommandLine,
            clock.now(),
        )
        .unwrap();
    Ledger {
        dir,
        kiosk,
        clock,
        proof_for: id,
    }
}

impl Ledger {
    /// Records a drop-off at `at` (UTC) with the given reference.
    fn drop_off_at(&mut self, at: DateTime<Utc>, id: &str, reference: &str) {
        self.clock.set(at);
        let clock = self.clock.clone();
        let pins = self.kiosk.pins.clone();
        let lockout = self.kiosk.config.security.lockout;
        let proof = self
            .kiosk
            .store
            .verify_pin(
                self.proof_for,
                &handoff_kiosk::domain::pin::Pin::new(MANAGER_PIN),
                &pins,
                &lockout,
                || clock.now(),
            )
            .unwrap();
        let request = HandoffRequest {
            kind: EventKind::CustomerDropOff,
            counterparty: Counterparty {
                kind: CounterpartyKind::Customer,
                reference: reference.to_owned(),
            },
            items: vec![HandoffItem::on_shelf(tracking(id), "D")],
            token_id: None,
            note: String::new(),
        };
        self.kiosk.record(&proof, &[request], at).unwrap();
    }

    fn export(&self, day: NaiveDate) -> std::path::PathBuf {
        let out = self.dir.path().join("exports");
        export_days(
            &self.kiosk,
            day,
            day,
            &ALL,
            &out,
            self.clock.now(),
            &mut |_, _| {},
        )
        .unwrap()
        .folder
    }
}

fn local(zone: &chrono_tz::Tz, y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
    zone.with_ymd_and_hms(y, m, d, h, min, s)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

fn verify_folder(folder: &std::path::Path, kiosk: &Kiosk) -> Result<u64, Vec<String>> {
    let (manifest, files) = read_export_folder(folder).unwrap();
    verify_export(&manifest, &files, &kiosk.key.public()).map(|summary| summary.event_count)
}

fn day_of_activity() -> (Ledger, std::path::PathBuf) {
    let mut ledger = ledger_in("America/Phoenix");
    let zone = chrono_tz::America::Phoenix;
    for (n, hour) in [9, 10, 11, 12, 13, 14].iter().enumerate() {
        ledger.drop_off_at(
            local(&zone, 2026, 11, 24, *hour, 0, 0),
            &format!("DAY-{n:04}"),
            &format!("customer {n}"),
        );
    }
    let folder = ledger.export(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
    (ledger, folder)
}

#[test]
fn export_then_verify_round_trips_and_the_cli_agrees() {
    let (ledger, folder) = day_of_activity();
    assert_eq!(
        verify_folder(&folder, &ledger.kiosk),
        Ok(7),
        "the enrolment and six drop-offs"
    );
    // Head office: only the public key, no kiosk configuration.
    let key_file = ledger.dir.path().join("store.pub");
    std::fs::write(&key_file, ledger.kiosk.key.public().to_hex()).unwrap();
    let output = kiosk_command(
        &ledger.dir.path().join("none.toml"),
        &[
            "verify-export",
            folder.to_str().unwrap(),
            "--pubkey",
            key_file.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert!(text(&output.stdout).starts_with("ok: RVM-0045 2026-11-24"));
    #[cfg(unix)]
    for entry in std::fs::read_dir(&folder).unwrap() {
        use std::os::unix::fs::PermissionsExt;
        let mode = entry.unwrap().metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // Never silently overwritten.
    let out = ledger.dir.path().join("exports");
    let again = export_days(
        &ledger.kiosk,
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        &ALL,
        &out,
        ledger.clock.now(),
        &mut |_, _| {},
    );
    assert!(again.unwrap_err().to_string().contains("never overwritten"));
}

#[test]
fn flipping_any_single_byte_of_any_file_is_caught() {
    let (ledger, folder) = day_of_activity();
    let (manifest, files) = read_export_folder(&folder).unwrap();
    let key = ledger.kiosk.key.public();
    let mut flips = 0;
    for (name, bytes) in &files {
        for index in 0..bytes.len() {
            let mut altered = files.clone();
            altered.get_mut(name).unwrap()[index] ^= 0x01;
            let verdict = verify_export(&manifest, &altered, &key);
            assert!(
                verdict.is_err(),
                "{name} byte {index} flipped went unnoticed"
            );
            flips += 1;
        }
    }
    for index in 0..manifest.len() {
        let mut altered = manifest.clone();
        altered[index] ^= 0x01;
        assert!(
            verify_export(&altered, &files, &key).is_err(),
            "manifest byte {index} flipped went unnoticed"
        );
        flips += 1;
    }
    println!("{flips} single-byte flips, all refused");
    assert!(flips > 3_000);
}

/// Rewrites a data file and re-signs the manifest with the real key, as only someone holding
/// the store key could: the chain checks inside the files must still catch the change.
fn resigned(
    ledger: &Ledger,
    folder: &std::path::Path,
    name: &str,
    change: impl Fn(Vec<String>) -> Vec<String>,
) -> Vec<String> {
    let (manifest_bytes, mut files) = read_export_folder(folder).unwrap();
    let text = String::from_utf8(files[name].clone()).unwrap();
    let lines: Vec<String> = text
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let changed = change(lines).join("\r\n") + "\r\n";
    files.insert(name.to_owned(), changed.into_bytes());
    let mut manifest: Manifest = serde_json::from_slice(&manifest_bytes).unwrap();
    for file in &mut manifest.body.files {
        let bytes = &files[&file.name];
        file.sha256 = sha256_hex(bytes);
        file.bytes = bytes.len() as u64;
    }
    let resigned = sign_manifest(&ledger.kiosk.key, manifest.body).unwrap();
    verify_export(
        &serde_json::to_vec(&resigned).unwrap(),
        &files,
        &ledger.kiosk.key.public(),
    )
    .unwrap_err()
}

#[test]
fn a_deleted_or_swapped_row_is_caught_even_with_a_valid_signature() {
    let (ledger, folder) = day_of_activity();
    // Plain deletion: the file no longer matches its hash.
    let (manifest, mut files) = read_export_folder(&folder).unwrap();
    let csv = String::from_utf8(files["ledger.csv"].clone()).unwrap();
    let mut lines: Vec<&str> = csv.split("\r\n").collect();
    lines.remove(3);
    files.insert("ledger.csv".into(), lines.join("\r\n").into_bytes());
    let problems = verify_export(&manifest, &files, &ledger.kiosk.key.public()).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("ledger.csv was altered")),
        "{problems:?}"
    );

    // Deleted, hashes recomputed and re-signed: the count and the chain still disagree.
    let problems = resigned(&ledger, &folder, "ledger.csv", |mut rows| {
        rows.remove(3);
        rows
    });
    assert!(
        problems
            .iter()
            .any(|p| p.contains("holds 6 events, the manifest says 7")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("event 3 is missing")),
        "{problems:?}"
    );

    // Two rows swapped and re-signed: the chain breaks where the order does.
    let problems = resigned(&ledger, &folder, "ledger.csv", |mut rows| {
        rows.swap(3, 4);
        rows
    });
    assert!(
        problems
            .iter()
            .any(|p| p.contains("event 3 is missing") || p.contains("does not link")),
        "{problems:?}"
    );

    // A swap in the JSON file as well.
    let (_, files) = read_export_folder(&folder).unwrap();
    let mut events: Vec<serde_json::Value> = serde_json::from_slice(&files["ledger.json"]).unwrap();
    events.swap(1, 2);
    let mut altered: BTreeMap<String, Vec<u8>> = files.clone();
    altered.insert("ledger.json".into(), serde_json::to_vec(&events).unwrap());
    let (manifest, _) = read_export_folder(&folder).unwrap();
    assert!(verify_export(&manifest, &altered, &ledger.kiosk.key.public()).is_err());
}

fn csv_sequence(folder: &std::path::Path) -> Vec<(u64, String)> {
    let mut reader = csv::Reader::from_path(folder.join("ledger.csv")).unwrap();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        CSV_HEADER
    );
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            (record[0].parse().unwrap(), record[9].to_owned())
        })
        .collect()
}

#[test]
fn days_are_cut_at_midnight_in_the_store_zone_across_dst() {
    let zone = chrono_tz::America::New_York;
    let mut ledger = ledger_in_enrolled_at(
        "America/New_York",
        local(&chrono_tz::America::New_York, 2026, 10, 1, 9, 0, 0),
    );
    // Around an ordinary midnight, and around the night clocks go back (2026-11-01, 25 hours).
    let moments = [
        ("LATE-1023", local(&zone, 2026, 10, 31, 23, 59, 59)),
        ("EARLY-1101", local(&zone, 2026, 11, 1, 0, 0, 0)),
        (
            "TWICE-0130",
            zone.with_ymd_and_hms(2026, 11, 1, 1, 30, 0)
                .latest()
                .unwrap()
                .with_timezone(&Utc),
        ),
        ("LATE-1101", local(&zone, 2026, 11, 1, 23, 59, 59)),
        ("EARLY-1102", local(&zone, 2026, 11, 2, 0, 0, 0)),
    ];
    for (id, at) in moments {
        ledger.drop_off_at(at, id, "customer");
    }
    let day = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let folder = ledger.export(day);
    let parcels: Vec<String> = csv_sequence(&folder)
        .into_iter()
        .map(|(_, parcel)| parcel)
        .collect();
    assert_eq!(parcels, ["EARLY-1101", "TWICE-0130", "LATE-1101"]);
    // The rows are exactly the ledger's events of that local day.
    let (start, end) = ledger.kiosk.config.calendar.day_bounds(day);
    let from_ledger: Vec<u64> = ledger
        .kiosk
        .store
        .events_between(start, end)
        .unwrap()
        .iter()
        .rev()
        .map(|e| e.seq)
        .collect();
    let from_csv: Vec<u64> = csv_sequence(&folder)
        .into_iter()
        .map(|(seq, _)| seq)
        .collect();
    assert_eq!(from_csv, from_ledger);
    assert_eq!(verify_folder(&folder, &ledger.kiosk), Ok(3));
    // The offset written is the one in force at each moment (EDT before 02:00, EST after).
    let csv = std::fs::read_to_string(folder.join("ledger.csv")).unwrap();
    assert!(csv.contains("2026-11-01T00:00:00.000000-04:00"), "{csv}");
    assert!(csv.contains("2026-11-01T01:30:00.000000-05:00"), "{csv}");

    // And the spring-forward day has 23 hours (the next one: time only moves forward).
    ledger.drop_off_at(
        local(&zone, 2027, 3, 14, 3, 30, 0),
        "SPRING-0314",
        "customer",
    );
    let folder = ledger.export(NaiveDate::from_ymd_opt(2027, 3, 14).unwrap());
    assert_eq!(
        csv_sequence(&folder)
            .into_iter()
            .map(|(_, p)| p)
            .collect::<Vec<_>>(),
        ["SPRING-0314"]
    );
}

#[test]
fn formula_cells_come_out_escaped_and_still_verify() {
    let mut ledger = ledger_in("America/Phoenix");
    let zone = chrono_tz::America::Phoenix;
    let dangerous = [
        "=HYPERLINK(\"http://x\")",
        "+1-555-0100",
        "-2+3",
        "@SUM(A1)",
    ];
    for (n, reference) in dangerous.iter().enumerate() {
        ledger.drop_off_at(
            local(&zone, 2026, 11, 24, 10 + n as u32, 0, 0),
            &format!("FRM-{n:04}"),
            reference,
        );
    }
    let folder = ledger.export(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
    let mut reader = csv::Reader::from_path(folder.join("ledger.csv")).unwrap();
    let references: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[6].to_owned())
        .filter(|c| c != "staff:1")
        .collect();
    assert_eq!(references.len(), dangerous.len());
    for (cell, original) in references.iter().zip(dangerous) {
        assert_eq!(
            cell,
            &format!("'{original}"),
            "escaped with a leading apostrophe"
        );
    }
    assert_eq!(
        verify_folder(&folder, &ledger.kiosk),
        Ok(5),
        "and the chain still recomputes"
    );
}

#[test]
fn a_day_exported_before_it_ended_says_so_and_the_repeat_gets_a_fresh_folder() {
    // Exported at 14:00 on the day itself: more events may come.
    let (mut ledger, folder) = day_of_activity();
    let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let (manifest, files) = read_export_folder(&folder).unwrap();
    assert!(
        String::from_utf8_lossy(&manifest).contains("\"complete\": false"),
        "{}",
        String::from_utf8_lossy(&manifest)
    );
    let summary = verify_export(&manifest, &files, &ledger.kiosk.key.public()).unwrap();
    assert_eq!(summary.complete, Some(false));
    // Head office's loader reads it through the same check.
    let read = handoff_kiosk::export_read::verify_and_read_export(
        &manifest,
        &files,
        &ledger.kiosk.key.public(),
    )
    .unwrap();
    assert_eq!(read.events.len(), 7);

    // A later drop-off the same day, then the day ends: the repeat goes to a fresh sibling
    // folder, holds the later event too, and is complete.
    let zone = chrono_tz::America::Phoenix;
    ledger.drop_off_at(local(&zone, 2026, 11, 24, 17, 0, 0), "DAY-0099", "late");
    ledger.clock.set(local(&zone, 2026, 11, 25, 0, 0, 0));
    let out = ledger.dir.path().join("exports");
    let fresh = fresh_export_folder(&out, "RVM-0045", day, day);
    assert_eq!(fresh, out.join("RVM-0045_2026-11-24-2"));
    let again = export_days_into(
        &ledger.kiosk,
        day,
        day,
        &ALL,
        &fresh,
        ledger.clock.now(),
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(again.body.complete, Some(true));
    assert_eq!(verify_folder(&fresh, &ledger.kiosk), Ok(8));
    assert_eq!(
        read_export_folder(&folder).unwrap().0,
        manifest,
        "the first export is left as it was"
    );
    assert_eq!(
        fresh_export_folder(&out, "RVM-0045", day, day),
        out.join("RVM-0045_2026-11-24-3")
    );

    // A manifest from before the field (no "complete" at all) still verifies: absent is not
    // written, so its signed bytes are what they were.
    let mut parsed: Manifest = serde_json::from_slice(&manifest).unwrap();
    parsed.body.complete = None;
    let old = sign_manifest(&ledger.kiosk.key, parsed.body).unwrap();
    let old_text = serde_json::to_vec_pretty(&old).unwrap();
    assert!(!String::from_utf8_lossy(&old_text).contains("complete"));
    let summary = verify_export(&old_text, &files, &ledger.kiosk.key.public()).unwrap();
    assert_eq!(summary.complete, None);
}

#[test]
fn the_cli_warns_when_the_day_is_not_over() {
    let t = new_kiosk();
    let config = t.config_path();
    let out = t.dir.path().join("out");
    // A day far ahead of any real clock has certainly not ended.
    let output = kiosk_command(
        &config,
        &[
            "export",
            "--date",
            "2099-01-01",
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("2099-01-01 has not ended yet"),
        "{}",
        text(&output.stderr)
    );
    let folder = out.join("RVM-0045_2099-01-01");
    let (manifest, _) = read_export_folder(&folder).unwrap();
    assert!(String::from_utf8_lossy(&manifest).contains("\"complete\": false"));
    let verified = kiosk_command(&config, &["verify-export", folder.to_str().unwrap()], None);
    assert_eq!(
        verified.status.code(),
        Some(0),
        "{}",
        text(&verified.stdout)
    );
    assert!(
        text(&verified.stdout).contains("\"complete\": false"),
        "{}",
        text(&verified.stdout)
    );
    // A past day is complete and says nothing.
    let past = kiosk_command(
        &config,
        &[
            "export",
            "--date",
            "2020-01-01",
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(past.status.code(), Some(0), "{}", text(&past.stderr));
    assert!(!text(&past.stderr).contains("has not ended"));
    let (manifest, _) = read_export_folder(&out.join("RVM-0045_2020-01-01")).unwrap();
    assert!(String::from_utf8_lossy(&manifest).contains("\"complete\": true"));
}

/// The export reads and formats its range in chunks of sequence numbers on two threads, and
/// writes the chunks in order: a range of several chunks, starting and ending inside chunks,
/// comes out whole and in order in every format, the same as its days exported one by one.
#[test]
fn a_range_of_many_chunks_comes_out_whole_in_order_and_as_its_days() {
    let first = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let mut ledger = ledger_in_enrolled_at(
        "America/Phoenix",
        tuesday_morning() - chrono::Duration::days(30),
    );
    let seeded = handoff_kiosk::seed::seed_days(&mut ledger.kiosk, first, 4, 1_800, &mut |_, _| {})
        .expect("seeded");
    assert!(seeded.events > 7_000, "{seeded:?}");
    let days: Vec<NaiveDate> = (1..4).map(|n| first + chrono::Duration::days(n)).collect();
    let out = ledger.dir.path().join("exports");
    let export = |from: NaiveDate, to: NaiveDate| {
        export_days(
            &ledger.kiosk,
            from,
            to,
            &ALL,
            &out,
            ledger.clock.now(),
            &mut |_, _| {},
        )
        .unwrap()
    };
    // Days 2 to 4: the range starts and ends inside chunks.
    let whole = export(days[0], days[2]);
    assert!(
        whole.body.event_count > 2 * 2_048,
        "three chunks or more: {:?}",
        whole.body
    );
    assert_eq!(
        verify_folder(&whole.folder, &ledger.kiosk),
        Ok(whole.body.event_count)
    );
    let whole_rows = csv_sequence(&whole.folder);
    assert!(
        whole_rows.windows(2).all(|pair| pair[0].0 <= pair[1].0),
        "rows in sequence order"
    );
    let (_, files) = read_export_folder(&whole.folder).unwrap();
    let json = |files: &BTreeMap<String, Vec<u8>>| -> Vec<serde_json::Value> {
        serde_json::from_slice(&files["ledger.json"]).unwrap()
    };
    let lines = |files: &BTreeMap<String, Vec<u8>>| -> Vec<Vec<u8>> {
        files["ledger.ndjson"]
            .split(|byte| *byte == b'\n')
            .filter(|line| !line.is_empty())
            .map(<[u8]>::to_vec)
            .collect()
    };
    let whole_json = json(&files);
    assert_eq!(whole_json.len() as u64, whole.body.event_count);
    let (mut rows, mut events, mut ndjson) = (Vec::new(), Vec::new(), Vec::new());
    for day in &days {
        let one = export(*day, *day);
        rows.extend(csv_sequence(&one.folder));
        let (_, files) = read_export_folder(&one.folder).unwrap();
        events.extend(json(&files));
        ndjson.extend(lines(&files));
    }
    assert_eq!(
        whole_rows, rows,
        "the CSV is its days' CSVs, one after another"
    );
    assert_eq!(whole_json, events, "the JSON array is its days' arrays");
    assert_eq!(lines(&files), ndjson, "the NDJSON is its days' lines");
}

/// A clock set back (within the two minutes the kiosk allows) puts an event of a range before
/// the range's first event in time, or after its last: bounding a range that reaches to the
/// ends of the ledger in two steps into the time index still takes those events in, and an
/// export of the whole ledger holds every event.
#[test]
fn a_clock_set_back_at_the_ends_of_a_range_loses_no_event() {
    let enrolled = tuesday_morning() - chrono::Duration::days(30);
    let mut ledger = ledger_in_enrolled_at("America/Phoenix", enrolled);
    let second = chrono::Duration::seconds;
    // A, then B recorded a minute earlier than A: B is the range's first in time, A before it.
    ledger.drop_off_at(enrolled + second(120), "1Z999AA10123456784", "A");
    ledger.drop_off_at(enrolled + second(60), "RR123456785GB", "B");
    let first_day = NaiveDate::from_ymd_opt(2026, 10, 28).unwrap();
    handoff_kiosk::seed::seed_days(&mut ledger.kiosk, first_day, 2, 400, &mut |_, _| {})
        .expect("seeded");
    // C, then D recorded a minute earlier than C: C is the range's last in time, D after it.
    let late = tuesday_morning() - chrono::Duration::days(20);
    ledger.drop_off_at(late, "9405511899223197428490", "C");
    ledger.drop_off_at(late - second(60), "LX123456785DE", "D");
    let store = &ledger.kiosk.store;
    let (from, to) = (enrolled + second(30), late + second(1));
    let exact = store.seq_span_between(from, to).unwrap();
    let quick = store
        .seq_span_near_the_ends(from, to)
        .unwrap()
        .expect("a range reaching to both ends of the ledger is bounded the quick way");
    let in_time_order = |seq: i64| store.event(seq as u64).unwrap().unwrap();
    assert!(
        in_time_order(exact.first.unwrap() + 1).body.recorded_at
            < in_time_order(exact.first.unwrap()).body.recorded_at,
        "the range's first event is recorded after the one that follows it"
    );
    assert_eq!((quick.first, quick.last), (exact.first, exact.last));
    assert!(quick.count >= exact.count, "{quick:?} {exact:?}");
    assert!(
        in_time_order(exact.last.unwrap()).body.recorded_at
            < in_time_order(exact.last.unwrap() - 1).body.recorded_at,
        "the range's last event is recorded before the one ahead of it"
    );
    // The whole ledger, day by day of it, comes out as every event of it.
    let out = ledger.dir.path().join("exports");
    let whole = export_days(
        &ledger.kiosk,
        ledger.kiosk.config.calendar.local_date(enrolled),
        ledger.kiosk.config.calendar.local_date(late),
        &ALL,
        &out,
        ledger.clock.now(),
        &mut |_, _| {},
    )
    .unwrap();
    let everything = store
        .seq_span_between(enrolled - chrono::Duration::days(1), late + second(1))
        .unwrap();
    assert_eq!(whole.body.event_count, everything.count);
    assert_eq!(
        verify_folder(&whole.folder, &ledger.kiosk),
        Ok(everything.count)
    );
}
