//! kiosk-hq against a real PostgreSQL: a throwaway cluster per test binary, a database per
//! test, and exports made by real kiosks through the kiosk library's recording and export
//! paths. Skipped (loudly) only when no PostgreSQL server programs exist on the machine;
//! `.ci/run` installs them, so in CI these always run.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use chrono::{NaiveDate, TimeZone, Utc};
use handoff_kiosk::domain::chain::{Counterparty, CounterpartyKind};
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::export::{ExportedEvent, JSON_FILE};
use handoff_kiosk::domain::export_verify::parse_data_file;
use handoff_kiosk::domain::ids::TrackingId;
use handoff_kiosk::domain::labels::carrier_of_text;
use handoff_kiosk::store::{HandoffItem, HandoffRequest};
use kiosk_hq::load::{LoadSummary, NoProgress, Outcome, Refusal, load_folders};
use kiosk_hq::queries::{self, ParcelRouting};
use kiosk_hq::testdata::{self, MadeStore};
use kiosk_hq::throwaway::{Cluster, find_bin_dir};

const FIRST_DAY: &str = "2026-03-02";
const DAYS: u32 = 4;
const PER_DAY: u32 = 40;

fn first_day() -> NaiveDate {
    NaiveDate::parse_from_str(FIRST_DAY, "%Y-%m-%d").expect("date")
}

fn cluster() -> Option<&'static Cluster> {
    static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();
    CLUSTER
        .get_or_init(|| {
            if find_bin_dir().is_none() {
                eprintln!(
                    "\n!!!!!!!!\n!!! SKIPPING kiosk-hq database tests: no PostgreSQL server programs \
                     (initdb) on this machine. Install the `postgresql` package (.ci/run does).\n!!!!!!!!\n"
                );
                return None;
            }
            Some(Cluster::start(false).expect("start a throwaway PostgreSQL cluster"))
        })
        .as_ref()
}

/// Three stores, four days each, exported one folder per day: made once per test binary.
struct Fixture {
    dir: tempfile::TempDir,
    stores: Vec<MadeStore>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let stores = testdata::make_stores(dir.path(), 3, first_day(), DAYS, PER_DAY, &mut |_| {})
            .expect("make test stores");
        Fixture { dir, stores }
    })
}

impl Fixture {
    fn exports_dir(&self) -> PathBuf {
        self.dir.path().join("exports")
    }

    fn all_exports(&self) -> Vec<PathBuf> {
        self.stores
            .iter()
            .flat_map(|s| s.exports.iter().cloned())
            .collect()
    }
}

/// A fresh database with the schema and the fixture's stores registered.
struct Env {
    url: String,
    client: postgres::Client,
    dir: tempfile::TempDir,
}

fn env(name: &str) -> Option<Env> {
    let cluster = cluster()?;
    let url = cluster.create_database(name).expect("create database");
    let out = hq(&url, &["init"]);
    assert!(out.status.success(), "init: {}", text(&out));
    for store in &fixture().stores {
        let out = hq(
            &url,
            &[
                "store",
                "add",
                "--id",
                &store.store_id,
                "--pubkey",
                &store.public_key_file.to_string_lossy(),
            ],
        );
        assert!(out.status.success(), "store add: {}", text(&out));
    }
    let client = kiosk_hq::db::connect(&url).expect("connect");
    Some(Env {
        url,
        client,
        dir: tempfile::tempdir().expect("temp dir"),
    })
}

fn hq(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kiosk-hq"))
        .args(args)
        .env("KIOSK_HQ_DB", url)
        .stdin(Stdio::null())
        .output()
        .expect("run kiosk-hq")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn load(env: &mut Env, folders: &[PathBuf]) -> LoadSummary {
    load_folders(&mut env.client, folders, &mut NoProgress).expect("load")
}

fn count(env: &mut Env, sql: &str) -> i64 {
    env.client.query_one(sql, &[]).expect(sql).get(0)
}

/// Every event of `store` as head office holds it, from the jsonb column, in sequence order.
fn held_events(env: &mut Env, store: &str) -> Vec<ExportedEvent> {
    env.client
        .query(
            "SELECT event FROM events WHERE store_id = $1 ORDER BY seq",
            &[&store],
        )
        .expect("events")
        .into_iter()
        .map(|row| serde_json::from_value(row.get::<_, serde_json::Value>(0)).expect("event"))
        .collect()
}

/// Every event of `store` as its exports give them.
fn exported_events(store: &MadeStore) -> Vec<ExportedEvent> {
    store
        .exports
        .iter()
        .flat_map(|folder| {
            let bytes = std::fs::read(folder.join(JSON_FILE)).expect("ledger.json");
            parse_data_file(JSON_FILE, &bytes).expect("parse")
        })
        .collect()
}

fn loaded_seq(env: &mut Env, store: &str) -> i64 {
    env.client
        .query_one(
            "SELECT loaded_seq FROM stores WHERE store_id = $1",
            &[&store],
        )
        .expect("store row")
        .get(0)
}

/// Copies an export folder so a test can change it without touching the fixture.
fn copy_folder(from: &Path, to: &Path) -> PathBuf {
    let target = to.join(from.file_name().expect("name"));
    std::fs::create_dir_all(&target).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), target.join(entry.file_name())).expect("copy");
    }
    target
}

fn assert_everything_loaded(env: &mut Env) {
    for store in &fixture().stores {
        let exported = exported_events(store);
        assert_eq!(
            held_events(env, &store.store_id),
            exported,
            "{}",
            store.store_id
        );
        assert_eq!(loaded_seq(env, &store.store_id), exported.len() as i64);
    }
    assert_eq!(
        count(env, "SELECT count(*) FROM exports WHERE state = 'waiting'"),
        0
    );
}

#[test]
fn round_trip_keeps_every_event_exactly() {
    let Some(mut env) = env("round_trip") else {
        return;
    };
    let fixture = fixture();
    // A folder of folders, as from a USB stick.
    let out = hq(
        &env.url,
        &["load", &fixture.exports_dir().to_string_lossy()],
    );
    assert!(out.status.success(), "{}", text(&out));
    let printed = text(&out);
    assert!(printed.contains("| loaded ("), "{printed}");
    assert!(!printed.contains("REFUSED"), "{printed}");
    assert_everything_loaded(&mut env);
    let parcels: i64 = fixture
        .stores
        .iter()
        .flat_map(exported_events)
        .map(|e| e.items.len() as i64)
        .sum();
    assert_eq!(
        count(&mut env, "SELECT count(*) FROM event_parcels"),
        parcels
    );
    assert_eq!(
        count(
            &mut env,
            "SELECT count(*) FROM exports WHERE state = 'loaded'"
        ),
        fixture.all_exports().len() as i64
    );
    // Each store's head is the last export's signed chain head.
    for store in &fixture.stores {
        let last = store.exports.last().expect("an export");
        let manifest = handoff_kiosk::export_read::read_manifest(
            &std::fs::read(last.join("manifest.json")).expect("manifest"),
        )
        .expect("manifest");
        let head: Vec<u8> = env
            .client
            .query_one(
                "SELECT loaded_head FROM stores WHERE store_id = $1",
                &[&store.store_id],
            )
            .expect("head")
            .get(0);
        assert_eq!(hex::encode(head), manifest.body.chain_head_after);
    }
    // Events land in their month's partition.
    assert!(count(&mut env, "SELECT count(*) FROM events_y2026m03") > 0);
    // The monthly report is the stores' own count of handoffs.
    let report = hq(
        &env.url,
        &["report", "--month", "2026-03", "--format", "json"],
    );
    assert!(report.status.success(), "{}", text(&report));
    let lines: Vec<serde_json::Value> =
        serde_json::from_slice(&report.stdout).expect("report json");
    let all = lines
        .iter()
        .find(|l| l["level"] == "all")
        .expect("a total over all stores");
    let handoffs = fixture
        .stores
        .iter()
        .flat_map(exported_events)
        .filter(|e| !e.items.is_empty())
        .count() as i64;
    assert_eq!(all["handoffs"].as_i64(), Some(handoffs));
    // `parcel` finds the stores of a tracking id in parcel_stores: one row for each store
    // that recorded it, filled by the load.
    assert_eq!(
        count(&mut env, "SELECT count(*) FROM parcel_stores"),
        count(
            &mut env,
            "SELECT count(*) FROM (SELECT DISTINCT tracking_id, store_id FROM event_parcels) AS d"
        )
    );
    assert_eq!(
        count(
            &mut env,
            "SELECT count(*) FROM (SELECT tracking_id, store_id FROM event_parcels
             EXCEPT SELECT tracking_id, store_id FROM parcel_stores) AS missing"
        ),
        0
    );
}

/// (store, kind, carrier) -> (handoffs, parcels), counted from the events the stores recorded.
type Counts = BTreeMap<(String, String, String), (i64, i64)>;

#[test]
fn the_monthly_report_counts_handoffs_by_store_kind_and_carrier() {
    let Some(mut env) = env("report_by_carrier") else {
        return;
    };
    let fixture = fixture();
    let summary = load(&mut env, &fixture.all_exports());
    assert_eq!(summary.refused(), 0);
    // What was recorded, from the exported events: each parcel's carrier is what its tracking
    // id gives (the kiosk library's reading), an event counts once per carrier it hands over.
    let mut expected: Counts = BTreeMap::new();
    for store in &fixture.stores {
        for event in exported_events(store) {
            let mut carriers: BTreeMap<String, i64> = BTreeMap::new();
            for item in &event.items {
                *carriers
                    .entry(carrier_of_text(&item.tracking_id).code())
                    .or_default() += 1;
            }
            for (carrier, parcels) in carriers {
                let counts = expected
                    .entry((store.store_id.clone(), event.kind.clone(), carrier))
                    .or_default();
                counts.0 += 1;
                counts.1 += parcels;
            }
        }
    }
    let carriers: std::collections::BTreeSet<&String> =
        expected.keys().map(|(_, _, carrier)| carrier).collect();
    assert!(
        carriers.len() >= 2,
        "the fixture records parcels of two carriers at least: {carriers:?}"
    );
    let report = hq(
        &env.url,
        &["report", "--month", "2026-03", "--format", "json"],
    );
    assert!(report.status.success(), "{}", text(&report));
    let lines: Vec<serde_json::Value> =
        serde_json::from_slice(&report.stdout).expect("report json");
    let field = |line: &serde_json::Value, name: &str| line[name].as_str().unwrap_or("").to_owned();
    let number = |line: &serde_json::Value, name: &str| line[name].as_i64().unwrap_or(-1);
    let reported: Counts = lines
        .iter()
        .filter(|l| l["level"] == "carrier")
        .map(|l| {
            (
                (field(l, "store_id"), field(l, "kind"), field(l, "carrier")),
                (number(l, "handoffs"), number(l, "parcels")),
            )
        })
        .collect();
    assert_eq!(reported, expected);
    // Per store and kind the handoffs are events, not a sum over carriers.
    let mut kinds: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    for store in &fixture.stores {
        for event in exported_events(store)
            .iter()
            .filter(|e| !e.items.is_empty())
        {
            let counts = kinds
                .entry((store.store_id.clone(), event.kind.clone()))
                .or_default();
            counts.0 += 1;
            counts.1 += event.items.len() as i64;
        }
    }
    let reported_kinds: BTreeMap<(String, String), (i64, i64)> = lines
        .iter()
        .filter(|l| l["level"] == "kind")
        .map(|l| {
            (
                (field(l, "store_id"), field(l, "kind")),
                (number(l, "handoffs"), number(l, "parcels")),
            )
        })
        .collect();
    assert_eq!(reported_kinds, kinds);
    for store in &fixture.stores {
        let total = lines
            .iter()
            .find(|l| l["level"] == "store" && l["store_id"] == store.store_id.as_str())
            .expect("a store total");
        let of_store = kinds.iter().filter(|((id, _), _)| *id == store.store_id);
        let (handoffs, parcels) = of_store.fold((0, 0), |(h, p), (_, (eh, ep))| (h + eh, p + ep));
        assert_eq!(
            (number(total, "handoffs"), number(total, "parcels")),
            (handoffs, parcels)
        );
    }
    // One store's report holds only its lines; the CSV and the table say the same.
    let one = &fixture.stores[0].store_id;
    let csv = hq(
        &env.url,
        &[
            "report", "--month", "2026-03", "--store", one, "--format", "csv",
        ],
    );
    assert!(csv.status.success(), "{}", text(&csv));
    let csv = String::from_utf8_lossy(&csv.stdout).into_owned();
    let csv_lines: Vec<&str> = csv.lines().collect();
    assert_eq!(csv_lines[0], "level,store_id,kind,carrier,handoffs,parcels");
    for ((store, kind, carrier), (handoffs, parcels)) in &expected {
        let line = format!("carrier,{store},{kind},{carrier},{handoffs},{parcels}");
        assert_eq!(
            csv_lines.contains(&line.as_str()),
            store == one,
            "{line}\n{csv}"
        );
    }
    assert!(
        !csv_lines.iter().any(|line| line.starts_with("all,")),
        "one store's total is the total: {csv}"
    );
    let table = hq(&env.url, &["report", "--month", "2026-03"]);
    let table = text(&table);
    for carrier in &carriers {
        assert!(table.contains(&format!("| {carrier} ")), "{table}");
    }
    assert!(table.contains("ALL STORES"), "{table}");
    assert!(
        table.lines().all(|line| line.chars().count() <= 80),
        "{table}"
    );
}

#[test]
fn shuffled_load_order_ends_in_the_same_ledger() {
    let Some(mut env) = env("shuffled") else {
        return;
    };
    let mut exports = fixture().all_exports();
    // A fixed shuffle: newest first, stores interleaved.
    exports.reverse();
    exports.rotate_left(5);
    // One load per export, so later days arrive before earlier ones and must wait and join.
    let mut waited = 0;
    for folder in &exports {
        let summary = load(&mut env, std::slice::from_ref(folder));
        waited += summary.count(|o| matches!(o, Outcome::Waiting { .. }));
        assert_eq!(summary.refused(), 0, "{:?}", summary.results);
    }
    assert!(waited > 0, "the shuffle never made an export wait");
    assert_everything_loaded(&mut env);
}

#[test]
fn a_withheld_day_is_named_by_gaps_and_linked_when_it_arrives() {
    let Some(mut env) = env("withheld") else {
        return;
    };
    let fixture = fixture();
    let store = &fixture.stores[1];
    let withheld = store.exports[1].clone();
    let rest: Vec<PathBuf> = fixture
        .all_exports()
        .into_iter()
        .filter(|f| *f != withheld)
        .collect();
    let summary = load(&mut env, &rest);
    assert_eq!(summary.refused(), 0, "{:?}", summary.results);
    assert_eq!(
        summary.count(|o| matches!(o, Outcome::Waiting { .. })),
        2,
        "the two later days wait"
    );
    let day_one_events = parse_data_file(
        JSON_FILE,
        &std::fs::read(store.exports[0].join(JSON_FILE)).expect("json"),
    )
    .expect("parse")
    .len() as i64;
    assert_eq!(loaded_seq(&mut env, &store.store_id), day_one_events);
    let withheld_day = first_day().succ_opt().expect("day");
    let gaps = hq(&env.url, &["gaps", "--today", "2026-03-06"]);
    let printed = text(&gaps);
    assert_eq!(gaps.status.code(), Some(2), "{printed}");
    assert!(
        printed.contains(&format!("events {} to", day_one_events + 1)),
        "{printed}"
    );
    assert!(
        printed.contains(&format!("no export covers {withheld_day}")),
        "{printed}"
    );
    assert!(printed.contains(&store.store_id), "{printed}");
    assert_eq!(printed.matches("missing events").count(), 1, "{printed}");

    let summary = load(&mut env, std::slice::from_ref(&withheld));
    assert_eq!(
        summary.count(|o| matches!(o, Outcome::Loaded { .. })),
        3,
        "the withheld day and the two waiting days: {:?}",
        summary.results
    );
    assert_everything_loaded(&mut env);
    let gaps = hq(&env.url, &["gaps", "--today", "2026-03-06"]);
    assert!(gaps.status.success(), "{}", text(&gaps));
    assert!(text(&gaps).contains("no gaps"));
    // Silence is measured from the last export.
    let gaps = hq(&env.url, &["gaps", "--today", "2026-03-20"]);
    assert_eq!(
        text(&gaps).matches("| silent").count(),
        3,
        "{}",
        text(&gaps)
    );
}

#[test]
fn a_reload_changes_nothing_and_does_not_read_the_data_files() {
    let Some(mut env) = env("reload") else {
        return;
    };
    let exports = fixture().all_exports();
    load(&mut env, &exports);
    let before = count(
        &mut env,
        "SELECT count(*) + sum(hashtext(hash::text)) FROM events",
    );
    let loaded_at = count(
        &mut env,
        "SELECT sum(extract(epoch FROM loaded_at))::bigint FROM exports",
    );
    let summary = load(&mut env, &exports);
    assert_eq!(
        summary.count(|o| matches!(o, Outcome::AlreadyLoaded)),
        exports.len()
    );
    // Without its data files, a loaded export is still recognised: the reload reads only the
    // manifest (O(1) per export).
    let bare = copy_folder(&exports[0], env.dir.path());
    std::fs::remove_file(bare.join("ledger.csv")).expect("rm");
    std::fs::remove_file(bare.join(JSON_FILE)).expect("rm");
    let out = hq(&env.url, &["load", &bare.to_string_lossy()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out)
            .lines()
            .any(|l| l.starts_with("| already loaded (nothing changed)")
                && l.ends_with("| 1       |")),
        "{}",
        text(&out)
    );
    assert_eq!(
        count(
            &mut env,
            "SELECT count(*) + sum(hashtext(hash::text)) FROM events"
        ),
        before
    );
    assert_eq!(
        count(
            &mut env,
            "SELECT sum(extract(epoch FROM loaded_at))::bigint FROM exports"
        ),
        loaded_at
    );
}

#[test]
fn the_same_export_twice_in_one_run_loads_once() {
    let Some(mut env) = env("twice") else {
        return;
    };
    let store = &fixture().stores[0];
    let copy = copy_folder(&store.exports[0], env.dir.path());
    let summary = load(&mut env, &[store.exports[0].clone(), copy]);
    assert_eq!(summary.count(|o| matches!(o, Outcome::Loaded { .. })), 1);
    assert_eq!(summary.count(|o| matches!(o, Outcome::AlreadyLoaded)), 1);
    assert_eq!(count(&mut env, "SELECT count(*) FROM exports"), 1);
}

/// A second kiosk for `store_id` signing with the same key as the first (as a rewritten or
/// cloned ledger would), seeded differently: its exports verify under the registered key but
/// tell another story.
fn rewritten_store(store: &MadeStore, work: &Path) -> Vec<PathBuf> {
    let original_key = fixture()
        .dir
        .path()
        .join("kiosks")
        .join(&store.store_id)
        .join("data/store-signing.key");
    let folder = work.join("kiosks").join(&store.store_id).join("data");
    std::fs::create_dir_all(&folder).expect("mkdir");
    let key_copy = folder.join("store-signing.key");
    std::fs::copy(&original_key, &key_copy).expect("copy key");
    let mut kiosk = testdata::open_kiosk(&work.join("kiosks"), &store.store_id).expect("kiosk");
    handoff_kiosk::seed::seed_days(&mut kiosk, first_day(), 1, PER_DAY + 7, &mut |_, _| {})
        .expect("seed");
    testdata::export_each_day(&kiosk, first_day(), first_day(), &work.join("exports"))
        .expect("export")
}

#[test]
fn conflicting_evidence_is_refused_with_both_hashes() {
    let Some(mut env) = env("conflict") else {
        return;
    };
    let store = &fixture().stores[0];
    load(&mut env, &store.exports[..1]);
    let events_before = count(&mut env, "SELECT count(*) FROM events");
    let rewritten = rewritten_store(store, env.dir.path());
    let out = hq(&env.url, &["load", &rewritten[0].to_string_lossy()]);
    let printed = text(&out);
    assert_eq!(out.status.code(), Some(2), "{printed}");
    assert!(
        printed.contains("REFUSED: conflicting evidence at event"),
        "{printed}"
    );
    // Both hashes are named.
    let summary_line = printed
        .lines()
        .find(|l| l.contains("conflicting evidence"))
        .expect("line");
    assert!(summary_line.contains("loaded hash") && summary_line.contains("this export's hash"));
    assert_eq!(
        count(&mut env, "SELECT count(*) FROM events"),
        events_before
    );
    assert_eq!(count(&mut env, "SELECT count(*) FROM exports"), 1);
    let gaps = hq(
        &env.url,
        &["gaps", "--store", &store.store_id, "--today", "2026-03-02"],
    );
    assert!(text(&gaps).contains("chain break"), "{}", text(&gaps));
    // The true next day still loads on top of the loaded chain.
    let summary = load(&mut env, &store.exports[1..2]);
    assert_eq!(summary.count(|o| matches!(o, Outcome::Loaded { .. })), 1);
}

#[test]
fn an_overlapping_export_of_identical_events_is_skipped_row_by_row() {
    let Some(mut env) = env("overlap") else {
        return;
    };
    let store = &fixture().stores[2];
    load(&mut env, &store.exports[..2]);
    // A manager's re-export of days one to three overlaps the two loaded days.
    let mut kiosk =
        testdata::open_kiosk(&fixture().dir.path().join("kiosks"), &store.store_id).expect("kiosk");
    let third = first_day() + chrono::Duration::days(2);
    let outcome = handoff_kiosk::export::export_days(
        &kiosk,
        first_day(),
        third,
        &[handoff_kiosk::export::ExportFormat::Json],
        &env.dir.path().join("exports"),
        Utc::now(),
        &mut |_, _| {},
    )
    .expect("export");
    let _ = &mut kiosk;
    let summary = load(&mut env, std::slice::from_ref(&outcome.folder));
    let two_days = exported_events(store)
        .iter()
        .filter(|e| e.seq <= loaded_seq_of(&store.exports[1]))
        .count() as u64;
    match &summary.results[0].outcome {
        Outcome::Loaded {
            new_events,
            overlapping,
        } => {
            assert_eq!(*overlapping, two_days);
            assert_eq!(*new_events, outcome.body.event_count - two_days);
        }
        other => panic!("{other:?}"),
    }
}

fn loaded_seq_of(folder: &Path) -> u64 {
    handoff_kiosk::export_read::read_manifest(
        &std::fs::read(folder.join("manifest.json")).expect("m"),
    )
    .expect("manifest")
    .body
    .last_seq
    .unwrap_or(0)
}

#[test]
fn a_tampered_file_and_a_wrong_key_are_refused_and_nothing_of_them_is_loaded() {
    let Some(mut env) = env("refusals") else {
        return;
    };
    let store = &fixture().stores[0];
    // One altered character in the JSON file.
    let tampered = copy_folder(&store.exports[0], &env.dir.path().join("tampered"));
    let path = tampered.join(JSON_FILE);
    let original = std::fs::read_to_string(&path).expect("json");
    let altered = original.replacen("\"D-DEMO\"", "\"D-DEMX\"", 1);
    assert_ne!(altered, original);
    std::fs::write(&path, altered).expect("write");
    let summary = load(&mut env, std::slice::from_ref(&tampered));
    match &summary.results[0].outcome {
        Outcome::Refused(Refusal::Verification { problems, .. }) => {
            assert!(
                problems.iter().any(|p| p.contains("was altered")),
                "{problems:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(count(&mut env, "SELECT count(*) FROM events"), 0);
    assert_eq!(count(&mut env, "SELECT count(*) FROM exports"), 0);

    // The same store id signing with its own new key: the export carries that key, but only
    // the registered key counts.
    let work = env.dir.path().join("impostor");
    let mut impostor = testdata::open_kiosk(&work.join("kiosks"), &store.store_id).expect("kiosk");
    handoff_kiosk::seed::seed_days(&mut impostor, first_day(), 1, PER_DAY, &mut |_, _| {})
        .expect("seed");
    let forged =
        testdata::export_each_day(&impostor, first_day(), first_day(), &work.join("exports"))
            .expect("export");
    let out = hq(&env.url, &["load", &forged[0].to_string_lossy()]);
    let printed = text(&out);
    assert_eq!(out.status.code(), Some(2), "{printed}");
    assert!(
        printed.contains("does not verify under the store key"),
        "{printed}"
    );
    assert_eq!(count(&mut env, "SELECT count(*) FROM events"), 0);

    // An unregistered store is refused too.
    let stranger = testdata::open_kiosk(&work.join("kiosks2"), "ZZZ-0001").expect("kiosk");
    let stranger_export =
        testdata::export_each_day(&stranger, first_day(), first_day(), &work.join("exports2"))
            .expect("export");
    let summary = load(&mut env, &stranger_export);
    assert!(matches!(
        &summary.results[0].outcome,
        Outcome::Refused(Refusal::UnknownStore(id)) if id == "ZZZ-0001"
    ));
    assert_eq!(count(&mut env, "SELECT count(*) FROM exports"), 0);
}

#[test]
fn a_key_change_needs_rotate_and_is_recorded() {
    let Some(env) = env("rotation") else {
        return;
    };
    let store = &fixture().stores[0];
    let other_key = &fixture().stores[1].public_key_file;
    let same = hq(
        &env.url,
        &[
            "store",
            "add",
            "--id",
            &store.store_id,
            "--pubkey",
            &store.public_key_file.to_string_lossy(),
        ],
    );
    assert!(text(&same).contains("nothing changed"), "{}", text(&same));
    let refused = hq(
        &env.url,
        &[
            "store",
            "add",
            "--id",
            &store.store_id,
            "--pubkey",
            &other_key.to_string_lossy(),
        ],
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("needs --rotate"),
        "{}",
        text(&refused)
    );
    let rotated = hq(
        &env.url,
        &[
            "store",
            "add",
            "--id",
            &store.store_id,
            "--pubkey",
            &other_key.to_string_lossy(),
            "--rotate",
        ],
    );
    assert!(rotated.status.success(), "{}", text(&rotated));
    let mut client = kiosk_hq::db::connect(&env.url).expect("connect");
    let rows = client
        .query(
            "SELECT retired_at IS NULL FROM store_keys WHERE store_id = $1 ORDER BY registered_at",
            &[&store.store_id],
        )
        .expect("keys");
    let current: Vec<bool> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(current, vec![false, true]);
    // Exports signed before the rotation still verify under the key registered then.
    let out = hq(&env.url, &["load", &store.exports[0].to_string_lossy()]);
    assert!(out.status.success(), "{}", text(&out));
    // Rotating back to the retired key makes its history row current again, newly dated.
    let back = hq(
        &env.url,
        &[
            "store",
            "add",
            "--id",
            &store.store_id,
            "--pubkey",
            &store.public_key_file.to_string_lossy(),
            "--rotate",
        ],
    );
    assert!(back.status.success(), "{}", text(&back));
    let rows = client
        .query(
            "SELECT key_id, retired_at IS NULL FROM store_keys WHERE store_id = $1 ORDER BY registered_at",
            &[&store.store_id],
        )
        .expect("keys");
    let keys: Vec<(String, bool)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(!keys[0].1 && keys[1].1, "{keys:?}");
    let original = kiosk_hq::registry::read_public_key_file(&store.public_key_file)
        .expect("key")
        .key_id();
    assert_eq!(
        keys[1].0, original,
        "the key that came back is the newest row"
    );
}

#[test]
fn a_load_killed_midway_leaves_no_half_export_and_completes_when_run_again() {
    let Some(mut env) = env("killed") else {
        return;
    };
    let store = &fixture().stores[0];
    let mut child = Command::new(env!("CARGO_BIN_EXE_kiosk-hq"))
        .args(["load"])
        .args(&store.exports)
        .env("KIOSK_HQ_DB", &env.url)
        .env(kiosk_hq::load::STALL_ENV, "3")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Wait until it is inside the third export's transaction, after its COPY.
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let stalled = lines
        .by_ref()
        .map_while(Result::ok)
        .any(|line| line.contains("stalled inside export 3"));
    assert!(stalled, "the load never reached the third export");
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");

    let first_two: i64 = store.exports[..2]
        .iter()
        .map(|f| loaded_seq_of(f) as i64)
        .max()
        .unwrap_or(0);
    assert_eq!(count(&mut env, "SELECT count(*) FROM exports"), 2);
    assert_eq!(count(&mut env, "SELECT count(*) FROM events"), first_two);
    assert_eq!(count(&mut env, "SELECT max(seq) FROM events"), first_two);
    assert_eq!(loaded_seq(&mut env, &store.store_id), first_two);

    let out = hq(
        &env.url,
        &["load"]
            .iter()
            .copied()
            .chain(store.exports.iter().map(|p| p.to_str().expect("utf-8")))
            .collect::<Vec<_>>(),
    );
    assert!(out.status.success(), "{}", text(&out));
    let exported = exported_events(store);
    assert_eq!(held_events(&mut env, &store.store_id), exported);
}

#[test]
fn a_parcel_is_followed_from_store_to_driver_to_store_and_overdue_holds_are_listed() {
    let Some(cluster) = cluster() else {
        return;
    };
    let url = cluster.create_database("parcel").expect("db");
    assert!(hq(&url, &["init"]).status.success());
    let work = tempfile::tempdir().expect("dir");
    let zone = chrono_tz_phoenix();
    let at = |day: u32, hour: u32| {
        zone.with_ymd_and_hms(2026, 3, day, hour, 0, 0)
            .single()
            .expect("time")
            .with_timezone(&Utc)
    };
    let moving = TrackingId::parse("1ZMOVE00000000001").expect("id");
    let late = TrackingId::parse("1ZLATE00000000001").expect("id");
    let request =
        |kind, counterparty: CounterpartyKind, reference: &str, id: &TrackingId, shelf: &str| {
            HandoffRequest {
                kind,
                counterparty: Counterparty {
                    kind: counterparty,
                    reference: reference.into(),
                },
                items: vec![HandoffItem::on_shelf(id.clone(), shelf)],
                token_id: None,
                note: String::new(),
            }
        };
    let mut exports = Vec::new();
    let mut made = BTreeMap::new();
    for (store_id, steps) in [
        (
            "HQP-0001",
            vec![
                (
                    at(2, 10),
                    request(
                        EventKind::CustomerDropOff,
                        CounterpartyKind::Customer,
                        "walk-in",
                        &moving,
                        "D",
                    ),
                ),
                (
                    at(2, 15),
                    request(
                        EventKind::DriverPickup,
                        CounterpartyKind::Driver,
                        "D-7",
                        &moving,
                        "",
                    ),
                ),
            ],
        ),
        // On the way, handed in at a third store (the driver's relay point) and taken on.
        (
            "HQP-0003",
            vec![
                (
                    at(3, 8),
                    request(
                        EventKind::CustomerDropOff,
                        CounterpartyKind::Customer,
                        "relay",
                        &moving,
                        "X",
                    ),
                ),
                (
                    at(3, 9),
                    request(
                        EventKind::DriverPickup,
                        CounterpartyKind::Driver,
                        "D-9",
                        &moving,
                        "",
                    ),
                ),
            ],
        ),
        (
            "HQP-0002",
            vec![
                (
                    at(3, 10),
                    request(
                        EventKind::DriverDelivery,
                        CounterpartyKind::Driver,
                        "D-7",
                        &moving,
                        "M",
                    ),
                ),
                (
                    at(3, 11),
                    request(
                        EventKind::DriverDelivery,
                        CounterpartyKind::Driver,
                        "D-7",
                        &late,
                        "L",
                    ),
                ),
                (
                    at(3, 16),
                    request(
                        EventKind::CustomerPickup,
                        CounterpartyKind::Customer,
                        "M. Moreau",
                        &moving,
                        "",
                    ),
                ),
            ],
        ),
    ] {
        let mut kiosk = testdata::open_kiosk(work.path(), store_id).expect("kiosk");
        for (when, request) in steps {
            let proof = testdata::sign_in_manager_again(&mut kiosk, when).expect("sign in");
            kiosk
                .record(&proof, std::slice::from_ref(&request), when)
                .expect("record");
        }
        exports.extend(
            testdata::export_each_day(
                &kiosk,
                NaiveDate::from_ymd_opt(2026, 3, 2).expect("day"),
                NaiveDate::from_ymd_opt(2026, 3, 3).expect("day"),
                &work.path().join("exports"),
            )
            .expect("export"),
        );
        let key = testdata::write_public_key(&kiosk, &work.path().join("keys")).expect("key");
        made.insert(store_id, key);
    }
    for (store_id, key) in &made {
        let out = hq(
            &url,
            &[
                "store",
                "add",
                "--id",
                store_id,
                "--pubkey",
                &key.to_string_lossy(),
            ],
        );
        assert!(out.status.success(), "{}", text(&out));
    }
    let out = hq(
        &url,
        &["load", &work.path().join("exports").to_string_lossy()],
    );
    assert!(out.status.success(), "{}", text(&out));

    let out = hq(&url, &["parcel", "1zmove00000000001"]);
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    let steps: Vec<(&str, &str)> = printed
        .lines()
        .filter(|l| l.contains("| 2026-03-"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells[2], cells[4])
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            ("HQP-0001", "customer_drop_off"),
            ("HQP-0001", "driver_pickup"),
            ("HQP-0003", "customer_drop_off"),
            ("HQP-0003", "driver_pickup"),
            ("HQP-0002", "driver_delivery"),
            ("HQP-0002", "customer_pickup"),
        ],
        "{printed}"
    );
    // Plain PostgreSQL takes the one joined statement; the lookup routed through
    // `parcel_stores` (Citus's way) finds the very same history, field for field.
    let mut client = kiosk_hq::db::connect(&url).expect("connect");
    assert_eq!(
        ParcelRouting::detect(&mut client).expect("detect"),
        ParcelRouting::Joined
    );
    for id in ["1ZMOVE00000000001", "1ZLATE00000000001", "1ZNEVER000000001"] {
        let joined =
            queries::parcel_history_routed(&mut client, ParcelRouting::Joined, id).expect("joined");
        let routed =
            queries::parcel_history_routed(&mut client, ParcelRouting::Routed, id).expect("routed");
        assert_eq!(joined, routed, "{id}");
    }
    let moving_steps =
        queries::parcel_history_routed(&mut client, ParcelRouting::Joined, "1ZMOVE00000000001")
            .expect("joined");
    let stores: BTreeSet<&str> = moving_steps.iter().map(|s| s.store_id.as_str()).collect();
    assert_eq!(stores.len(), 3, "{moving_steps:?}");
    assert!(
        moving_steps
            .iter()
            .all(|s| !s.staff_name.is_empty() && !s.counterparty.is_empty())
    );
    let out = hq(&url, &["overdue"]);
    let printed = text(&out);
    assert!(printed.contains("1ZLATE00000000001"), "{printed}");
    assert!(!printed.contains("1ZMOVE00000000001"), "{printed}");
    let out = hq(&url, &["parcel", "1ZNEVER000000001"]);
    assert_eq!(out.status.code(), Some(2));
}

fn chrono_tz_phoenix() -> chrono::FixedOffset {
    // Phoenix keeps -07:00 all year.
    chrono::FixedOffset::west_opt(7 * 3600).expect("offset")
}

/// The column a table is distributed by under Citus (README).
fn distribution_column(table: &str) -> &'static str {
    if table == "parcel_stores" {
        "tracking_id"
    } else {
        "store_id"
    }
}

/// What can be checked of "distributable by store_id with Citus unchanged" without Citus: every
/// primary key, unique index and foreign key of kiosk-hq's tables leads with store_id, except
/// `parcel_stores`, the tracking-id lookup, whose keys lead with tracking_id (its distribution
/// column: see README).
#[test]
fn every_key_and_foreign_key_leads_with_store_id() {
    let Some(cluster) = cluster() else {
        return;
    };
    let url = cluster.create_database("keys").expect("db");
    assert!(hq(&url, &["init"]).status.success());
    let mut client = kiosk_hq::db::connect(&url).expect("connect");
    let rows = client
        .query(
            "SELECT c.conrelid::regclass::text, c.conname, c.contype::text,
                    (SELECT a.attname FROM pg_attribute a
                     WHERE a.attrelid = c.conrelid AND a.attnum = c.conkey[1])::text
             FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
             WHERE c.contype IN ('p', 'u', 'f') AND t.relispartition = false
               AND t.relnamespace = 'public'::regnamespace
               AND c.conrelid::regclass::text <> 'schema_migrations'",
            &[],
        )
        .expect("constraints");
    assert!(rows.len() >= 10, "{} constraints", rows.len());
    for row in &rows {
        let (table, name, first): (String, String, String) = (row.get(0), row.get(1), row.get(3));
        let column = distribution_column(&table);
        assert_eq!(first, column, "{table}.{name} does not lead with {column}");
    }
    let unique_indexes = client
        .query(
            "SELECT i.indexrelid::regclass::text,
                    (SELECT a.attname FROM pg_attribute a
                     WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[0])::text
             FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
             WHERE i.indisunique AND t.relispartition = false
               AND t.relname <> 'schema_migrations' AND t.relnamespace = 'public'::regnamespace",
            &[],
        )
        .expect("indexes");
    for row in &unique_indexes {
        let (index, first): (String, String) = (row.get(0), row.get(1));
        let column = if index.starts_with("parcel_stores") {
            "tracking_id"
        } else {
            "store_id"
        };
        assert_eq!(first, column, "unique index {index}");
    }
    let partitioned: Vec<String> = client
        .query(
            "SELECT relname::text FROM pg_class WHERE relkind = 'p' AND relnamespace = 'public'::regnamespace ORDER BY 1",
            &[],
        )
        .expect("partitioned")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(partitioned, vec!["event_parcels", "events"]);
}
