//! Head office's figures (issue #16), measured side by side in one run on a throwaway
//! PostgreSQL cluster with the server's default durability (fsync, synchronous commit):
//!
//! - `kiosk-hq load` of N store-days of 300 events (verify every export as `kiosk
//!   verify-export` does, then COPY, one transaction per export), beside `psql \copy` of the
//!   very same rows (the same COPY text) into the same tables with no checking at all;
//! - a reload of the same exports (nothing changes), per export;
//! - `kiosk-hq parcel` lookups at that size, p99.
//!
//! `bench/run.sh` runs it after the kiosk suite. Options after `--`:
//! `--store-days N` (default 1000; or HQ_BENCH_STORE_DAYS), `--stores S` (default 50; or
//! HQ_BENCH_STORES), `--repeats R` (default 2; or HQ_BENCH_REPEATS), `--connections C`
//! (default 1, as the one-session baseline; or HQ_BENCH_CONNECTIONS), `--smoke` (tiny: proves
//! it runs), `--prepare-only` (make the exports, nothing else).
//!
//! HQ_BENCH_CACHE=DIR keeps the generated exports (most of a large run's time) in a folder of
//! DIR named by the sizes, and reuses it when it is complete; without it (CI) they are made
//! afresh in a temp folder.
//! Nothing here asserts a time: the table reports, the reader judges.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use handoff_kiosk::domain::export::CarrierMemo;
use handoff_kiosk::export::read_export_folder;
use handoff_kiosk::export_read::verify_and_read_export;
use kiosk_hq::copy_text::{
    EVENT_COLUMNS, PARCEL_COLUMNS, PARCEL_STORE_COLUMNS, push_event_rows, push_field,
};
use kiosk_hq::registry::read_public_key_file;
use kiosk_hq::testdata::{MadeStore, make_stores};
use kiosk_hq::throwaway::Cluster;

/// `--name N` after `--`, else the environment variable (bench/run.sh passes its own options
/// to both suites, so the size comes from the environment there).
fn arg_value(name: &str, variable: &str) -> Option<u32> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .or_else(|| std::env::var(variable).ok().and_then(|v| v.parse().ok()))
}

fn seconds(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn millis(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let smoke = std::env::args().any(|a| a == "--smoke");
    let store_days =
        arg_value("--store-days", "HQ_BENCH_STORE_DAYS").unwrap_or(if smoke { 4 } else { 1_000 });
    let stores = arg_value("--stores", "HQ_BENCH_STORES")
        .unwrap_or(if smoke { 2 } else { 50 })
        .max(1);
    let per_day = if smoke { 30 } else { 300 };
    let days = store_days.div_ceil(stores).max(1);
    let work = match std::env::var_os("BENCH_DIR") {
        Some(dir) => tempfile::tempdir_in(dir),
        None => tempfile::tempdir(),
    }
    .expect("a temp folder");
    let started = Instant::now();
    let step = |what: &str| eprintln!("[{:>6.1} s] {what}", started.elapsed().as_secs_f64());

    // 2026-03-02 onward: no store closures fall in the first 200 days.
    let first_day = NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date");
    let cache = std::env::var_os("HQ_BENCH_CACHE").map(|dir| {
        Path::new(&dir).join(format!(
            "stores{stores}-days{days}-events{per_day}-from{first_day}"
        ))
    });
    let data_dir = cache.clone().unwrap_or_else(|| work.path().to_path_buf());
    let cached = cache.as_deref().and_then(read_cache);
    let made = match cached {
        Some(made) => {
            step(&format!(
                "reusing the exports of {stores} kiosks x {days} days of {per_day} events from {}",
                data_dir.display()
            ));
            made
        }
        None => {
            step(&format!(
                "making {stores} kiosks x {days} days of {per_day} events (seeded and exported by the kiosk library)"
            ));
            if cache.is_some() {
                // An incomplete cache (an interrupted run) is made again from nothing.
                let _ = std::fs::remove_dir_all(&data_dir);
            }
            let made = make_stores(&data_dir, stores, first_day, days, per_day, &mut |n| {
                if n % 10 == 0 {
                    step(&format!("  {n} kiosks made"));
                }
            })
            .expect("make the test exports");
            if let Some(cache) = &cache {
                write_cache(cache, &made);
            }
            made
        }
    };
    if std::env::args().any(|a| a == "--prepare-only") {
        step("the exports are made (--prepare-only)");
        return;
    }
    let exports: Vec<_> = made.iter().flat_map(|s| s.exports.clone()).collect();
    let events: u64 = made.iter().map(|s| s.events).sum();

    step("starting a throwaway PostgreSQL cluster (default durability)");
    let cluster = Cluster::start(true).expect("a PostgreSQL cluster");
    step("writing the COPY text of every export for the psql baseline (not timed)");
    let (copy_files, months) = copy_files(work.path(), &made);
    let psql = cluster.bin_dir().join("psql");
    let hq = env!("CARGO_BIN_EXE_kiosk-hq");
    let exports_dir = data_dir.join("exports");
    // Each load twice, in alternating order, into fresh databases; the best of each counts
    // (the machine is shared, and the first load of a run warms the caches for the second).
    let repeats = arg_value("--repeats", "HQ_BENCH_REPEATS").unwrap_or(if smoke { 1 } else { 2 });
    let (mut baseline, mut load) = (Duration::MAX, Duration::MAX);
    let mut load_cpu = f64::MAX;
    // One connection by default: the baseline is one `psql \copy` session.
    let connections = arg_value("--connections", "HQ_BENCH_CONNECTIONS").unwrap_or(1);
    let mut hq_db = String::new();
    for round in 0..repeats {
        let copy_db = prepare(&cluster, &format!("bench_copy_{round}"), &made);
        hq_db = prepare(&cluster, &format!("bench_hq_{round}"), &made);
        // The baseline gets its partitions beforehand; kiosk-hq makes its own inside its time.
        let mut client = kiosk_hq::db::connect(&copy_db).expect("connect");
        for month in &months {
            kiosk_hq::db::ensure_month_partitions(&mut client, *month).expect("partitions");
        }
        drop(client);
        for which in [round % 2, 1 - round % 2] {
            checkpoint(&cluster);
            let cpu_before = children_cpu();
            step(&format!(
                "load average {}",
                std::fs::read_to_string("/proc/loadavg")
                    .unwrap_or_default()
                    .trim()
            ));
            if which == 0 {
                step("psql \\copy of the same rows, no checks");
                let started = Instant::now();
                psql_copy(&psql, &copy_db, &copy_files);
                baseline = baseline.min(started.elapsed());
            } else {
                step("kiosk-hq load of the same exports");
                let started = Instant::now();
                let out = Command::new(hq)
                    .args(["load", "--connections", &connections.to_string()])
                    .arg(&exports_dir)
                    .env("KIOSK_HQ_DB", &hq_db)
                    .stdin(Stdio::null())
                    .output()
                    .expect("kiosk-hq load");
                load = load.min(started.elapsed());
                load_cpu = load_cpu.min(children_cpu() - cpu_before);
                assert!(
                    out.status.success(),
                    "kiosk-hq load failed: {}",
                    String::from_utf8_lossy(&out.stdout)
                );
            }
        }
    }

    step("reload of the same exports (nothing changes)");
    let reload_started = Instant::now();
    let out = Command::new(hq)
        .args(["load"])
        .arg(&exports_dir)
        .env("KIOSK_HQ_DB", &hq_db)
        .stdin(Stdio::null())
        .output()
        .expect("kiosk-hq reload");
    let reload = reload_started.elapsed();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("already loaded"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let per_reload = reload / u32::try_from(exports.len()).unwrap_or(1).max(1);

    step("parcel lookups");
    let mut client = kiosk_hq::db::connect(&hq_db).expect("connect");
    let rows = client
        .query(
            "SELECT tracking_id FROM (SELECT DISTINCT tracking_id FROM event_parcels) AS ids ORDER BY md5(tracking_id) LIMIT 1000",
            &[],
        )
        .expect("tracking ids");
    let ids: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    // What `kiosk-hq parcel` takes on this server (the one joined statement on plain
    // PostgreSQL), beside the lookup routed through `parcel_stores` that Citus takes, on the
    // same ids; which of the two goes first alternates, so neither always finds the pages the
    // other just read.
    let routing = kiosk_hq::queries::ParcelRouting::detect(&mut client).expect("routing");
    let other = match routing {
        kiosk_hq::queries::ParcelRouting::Joined => kiosk_hq::queries::ParcelRouting::Routed,
        kiosk_hq::queries::ParcelRouting::Routed => kiosk_hq::queries::ParcelRouting::Joined,
    };
    let mut times = Vec::with_capacity(ids.len());
    let mut other_times = Vec::with_capacity(ids.len());
    let mut steps_seen = 0_usize;
    for (n, id) in ids.iter().enumerate() {
        for which in [n % 2, 1 - n % 2] {
            let t = Instant::now();
            let steps = kiosk_hq::queries::parcel_history_routed(
                &mut client,
                if which == 0 { routing } else { other },
                id,
            )
            .expect("parcel");
            if which == 0 {
                times.push(t.elapsed());
                steps_seen += steps.len();
            } else {
                other_times.push(t.elapsed());
            }
        }
    }
    times.sort();
    other_times.sort();
    let at = |times: &[Duration], q: f64| {
        times[((times.len() as f64 * q) as usize).min(times.len() - 1)]
    };
    let p = |q: f64| at(&times, q);
    let compared = format!(
        "the {} lookup, same ids, alternating: p50 {}, p99 {}",
        match other {
            kiosk_hq::queries::ParcelRouting::Joined => "joined (plain PostgreSQL's)",
            kiosk_hq::queries::ParcelRouting::Routed =>
                "routed (Citus's: `parcel_stores`, then each store)",
        },
        millis(at(&other_times, 0.5)),
        millis(at(&other_times, 0.99))
    );
    let loaded_events: i64 = client
        .query_one("SELECT count(*) FROM events", &[])
        .expect("count")
        .get(0);
    let loaded_parcels: i64 = client
        .query_one("SELECT count(*) FROM event_parcels", &[])
        .expect("count")
        .get(0);
    // A whole `kiosk-hq parcel` process, for scale (connect included).
    let cli_started = Instant::now();
    let out = Command::new(hq)
        .args(["parcel", &ids[0]])
        .env("KIOSK_HQ_DB", &hq_db)
        .output()
        .expect("kiosk-hq parcel");
    let cli = cli_started.elapsed();
    assert!(out.status.success());
    drop(client);
    let _ = cluster.stop();

    let ratio = load.as_secs_f64() / baseline.as_secs_f64();
    println!(
        "{} exports ({stores} stores x {days} days), {events} events, {loaded_parcels} parcel rows; PostgreSQL {}\n",
        exports.len(),
        server_version(&psql)
    );
    println!("| figure | measured | best alternative, same run | ratio | budget | within |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| `kiosk-hq load`, {} store-days of {per_day} events<br>best of {repeats}, alternating with the baseline; verify each export (manifest signature under the registered key, both files' hashes, CSV and JSON chains), COPY, one transaction per export; whole process, {loaded_events} events; {connections} connection(s); the process's own CPU {load_cpu:.2} s | {} | `psql \\copy` of the same rows into the same tables, no checks (best of {repeats}): {} | {ratio:.2}x | <= 1.25x | {} |",
        exports.len(),
        seconds(load),
        seconds(baseline),
        if ratio <= 1.25 { "yes" } else { "no" }
    );
    println!(
        "| reload of already-loaded exports, per export<br>{} exports in one `kiosk-hq load` ({}), whole process | {} |  |  | < 5 ms | {} |",
        exports.len(),
        seconds(reload),
        millis(per_reload),
        if per_reload < Duration::from_millis(5) {
            "yes"
        } else {
            "no"
        }
    );
    println!(
        "| `kiosk-hq parcel` lookup (p99)<br>{} tracking ids, {steps_seen} steps found, {routing:?}; p50 {}, max {}; the whole process with connect: {} | {} | {compared} |  | < 10 ms | {} |",
        ids.len(),
        millis(p(0.5)),
        millis(p(1.0)),
        millis(cli),
        millis(p(0.99)),
        if p(0.99) < Duration::from_millis(10) {
            "yes"
        } else {
            "no"
        }
    );
    eprintln!(
        "hq benchmark finished in {:.0} s",
        started.elapsed().as_secs_f64()
    );
}

/// CPU seconds (user and system) of this process's finished children, from /proc.
fn children_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 16 and 17 of the file (cutime, cstime), counted from after the name (field 3 on).
    let ticks = |index: usize| -> f64 {
        fields
            .get(index - 3)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    (ticks(16) + ticks(17)) / 100.0
}

/// A table, its COPY columns and the file of its rows.
type CopyFile = (&'static str, &'static str, std::path::PathBuf);

fn psql_copy(psql: &Path, db: &str, files: &[CopyFile]) {
    for (table, columns, file) in files {
        let status = Command::new(psql)
            .arg(db)
            .args(["-v", "ON_ERROR_STOP=1", "-q", "-c"])
            .arg(format!(
                "\\copy {table} ({columns}) FROM '{}'",
                file.display()
            ))
            .stdout(Stdio::null())
            .status()
            .expect("psql");
        assert!(status.success(), "psql \\copy failed");
    }
}

/// A database with the schema and every store's key registered.
fn prepare(cluster: &Cluster, name: &str, made: &[MadeStore]) -> String {
    let url = cluster.create_database(name).expect("database");
    let mut client = kiosk_hq::db::connect(&url).expect("connect");
    kiosk_hq::db::migrate(&mut client).expect("migrate");
    for store in made {
        let key = read_public_key_file(&store.public_key_file).expect("key");
        kiosk_hq::registry::add_store(&mut client, &store.store_id, &key, false).expect("add");
    }
    url
}

/// The rows kiosk-hq adds, for every export, in one file per table: the COPY text it sends for
/// `events` and `event_parcels`, and the (tracking id, store) pairs it inserts into
/// `parcel_stores`.
fn copy_files(work: &Path, made: &[MadeStore]) -> (Vec<CopyFile>, Vec<NaiveDate>) {
    let mut events = String::new();
    let mut parcels = String::new();
    let mut parcel_stores = String::new();
    let mut carriers = CarrierMemo::default();
    let mut months = std::collections::BTreeSet::new();
    for store in made {
        let key = read_public_key_file(&store.public_key_file).expect("key");
        let mut tracking_ids = std::collections::BTreeSet::new();
        for folder in &store.exports {
            let (manifest, files) = read_export_folder(folder).expect("read");
            let verified = verify_and_read_export(&manifest, &files, &key).expect("verify");
            for event in &verified.events {
                let json = serde_json::to_string(event).expect("json");
                push_event_rows(
                    &mut events,
                    &mut parcels,
                    &store.store_id,
                    &verified.manifest_sha256,
                    event,
                    &json,
                    &mut carriers,
                );
                tracking_ids.extend(event.items.iter().map(|item| item.tracking_id.clone()));
                if let Ok(time) = chrono::DateTime::parse_from_str(
                    &event.recorded_at,
                    handoff_kiosk::domain::export::TIME_FORMAT,
                ) {
                    months.insert(kiosk_hq::db::month_start(
                        time.with_timezone(&chrono::Utc).date_naive(),
                    ));
                }
            }
        }
        for id in tracking_ids {
            push_field(&mut parcel_stores, &id);
            parcel_stores.push('\t');
            push_field(&mut parcel_stores, &store.store_id);
            parcel_stores.push('\n');
        }
    }
    let files: Vec<CopyFile> = vec![
        ("events", EVENT_COLUMNS, work.join("events.copy")),
        ("event_parcels", PARCEL_COLUMNS, work.join("parcels.copy")),
        (
            "parcel_stores",
            PARCEL_STORE_COLUMNS,
            work.join("parcel_stores.copy"),
        ),
    ];
    for ((_, _, file), text) in files.iter().zip([events, parcels, parcel_stores]) {
        std::fs::write(file, text).expect("write");
    }
    (files, months.into_iter().collect())
}

/// The file that marks a cache folder complete and lists what it holds, one store a line:
/// store id, events, key file, then its export folders (tab-separated, paths relative).
const CACHE_LIST: &str = "complete.tsv";

/// The stores of a complete cache folder, or None (absent, or not finished).
fn read_cache(dir: &Path) -> Option<Vec<MadeStore>> {
    let text = std::fs::read_to_string(dir.join(CACHE_LIST)).ok()?;
    let mut made = Vec::new();
    for line in text.lines() {
        let mut fields = line.split('\t');
        let store_id = fields.next()?.to_owned();
        let events = fields.next()?.parse().ok()?;
        let public_key_file = dir.join(fields.next()?);
        let exports: Vec<_> = fields.map(|f| dir.join(f)).collect();
        if !public_key_file.is_file() || !exports.iter().all(|e| e.is_dir()) {
            return None;
        }
        made.push(MadeStore {
            store_id,
            public_key_file,
            exports,
            events,
        });
    }
    (!made.is_empty()).then_some(made)
}

/// Marks `dir` complete (written last), and drops the kiosks themselves: only the exports and
/// the keys are read again.
fn write_cache(dir: &Path, made: &[MadeStore]) {
    let relative = |path: &Path| {
        path.strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned()
    };
    let mut text = String::new();
    for store in made {
        text.push_str(&format!(
            "{}\t{}\t{}",
            store.store_id,
            store.events,
            relative(&store.public_key_file)
        ));
        for export in &store.exports {
            text.push('\t');
            text.push_str(&relative(export));
        }
        text.push('\n');
    }
    let _ = std::fs::remove_dir_all(dir.join("kiosks"));
    std::fs::write(dir.join(CACHE_LIST), text).expect("write the cache list");
}

/// A checkpoint between the two loads, so neither pays for the other's dirty pages.
fn checkpoint(cluster: &Cluster) {
    if let Ok(mut client) = kiosk_hq::db::connect(&cluster.url("postgres")) {
        let _ = client.batch_execute("CHECKPOINT");
    }
}

fn server_version(psql: &Path) -> String {
    Command::new(psql)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}
