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
//! HQ_BENCH_STORES), `--repeats R` (default 2; or HQ_BENCH_REPEATS), `--jobs J` (kiosk-hq's
//! default run, besides `--jobs 1`; default the number of cores, as kiosk-hq's; or
//! HQ_BENCH_JOBS), `--smoke` (tiny: proves
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
    // HQ_BENCH_STATEMENTS=1: after each timed load, the server's time per statement
    // (pg_stat_statements, when the contrib package is installed).
    let statements = std::env::var_os("HQ_BENCH_STATEMENTS").is_some();
    // HQ_BENCH_SETTINGS="name=value ...": more server settings, to find where time goes.
    let settings = std::env::var("HQ_BENCH_SETTINGS").unwrap_or_default();
    let mut settings: Vec<&str> = settings.split_whitespace().collect();
    if statements {
        settings.push("shared_preload_libraries=pg_stat_statements");
    }
    let cluster = Cluster::start_with(true, &settings).expect("a PostgreSQL cluster");
    if statements {
        let mut admin = kiosk_hq::db::connect(&cluster.url("postgres")).expect("connect");
        admin
            .batch_execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            .expect("pg_stat_statements");
    }
    step("writing the COPY text of every export for the psql baseline (not timed)");
    let (copy_files, months) = copy_files(work.path(), &made);
    let psql = cluster.bin_dir().join("psql");
    let hq = env!("CARGO_BIN_EXE_kiosk-hq");
    let exports_dir = data_dir.join("exports");
    // Each load `repeats` times, the order rotating, into fresh databases; the best of each
    // counts (the machine is shared, and the first load of a run warms the caches for the
    // next). kiosk-hq runs with one job (one connection, like the one `psql` session of the
    // baseline) and with its default, one job per core (HQ_BENCH_JOBS or --jobs to set it).
    let repeats = arg_value("--repeats", "HQ_BENCH_REPEATS").unwrap_or(if smoke { 1 } else { 2 });
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let default_jobs = arg_value("--jobs", "HQ_BENCH_JOBS").map_or(cores.min(16), |j| j as usize);
    let mut runs = vec![Run::new(None), Run::new(Some(1))];
    if default_jobs > 1 {
        runs.push(Run::new(Some(default_jobs)));
    }
    let mut hq_db = String::new();
    for round in 0..repeats as usize {
        for turn in 0..runs.len() {
            let index = (round + turn) % runs.len();
            let db = prepare(&cluster, &format!("bench_{index}_{round}"), &made);
            let run = &mut runs[index];
            if run.jobs.is_none() {
                // The baseline gets its partitions beforehand; kiosk-hq makes its own inside
                // its time.
                let mut client = kiosk_hq::db::connect(&db).expect("connect");
                for month in &months {
                    kiosk_hq::db::ensure_month_partitions(&mut client, *month).expect("partitions");
                }
            }
            checkpoint(&cluster);
            if statements {
                reset_statements(&cluster);
            }
            let cpu_before = children_cpu();
            let server_before = server_cpu(&cluster);
            step(&format!(
                "load average {}",
                std::fs::read_to_string("/proc/loadavg")
                    .unwrap_or_default()
                    .trim()
            ));
            let started = Instant::now();
            match run.jobs {
                None => {
                    step("psql \\copy of the same rows, no checks");
                    psql_copy(&psql, &db, &copy_files);
                }
                Some(jobs) => {
                    step(&format!("kiosk-hq load --jobs {jobs} of the same exports"));
                    let out = Command::new(hq)
                        .args(["load", "--jobs", &jobs.to_string()])
                        .arg(&exports_dir)
                        .env("KIOSK_HQ_DB", &db)
                        .stdin(Stdio::null())
                        .output()
                        .expect("kiosk-hq load");
                    assert!(
                        out.status.success(),
                        "kiosk-hq load failed: {}",
                        String::from_utf8_lossy(&out.stdout)
                    );
                    hq_db = db.clone();
                }
            }
            let wall = started.elapsed();
            let own = children_cpu() - cpu_before;
            let server = server_cpu(&cluster) - server_before;
            let per_export = |seconds: f64| seconds * 1000.0 / exports.len().max(1) as f64;
            step(&format!(
                "  {}; the server's CPU {server:.2} s ({:.2} ms per export), the client's {own:.2} s ({:.2} ms per export)",
                seconds(wall),
                per_export(server),
                per_export(own)
            ));
            run.wall = run.wall.min(wall);
            run.own_cpu = run.own_cpu.min(own);
            run.server_cpu = run.server_cpu.min(server);
            if statements {
                print_statements(&cluster, &db);
            }
            settle(&cluster, &db, &step);
        }
    }
    let baseline = runs[0].wall;

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

    println!(
        "{} exports ({stores} stores x {days} days), {events} events, {loaded_parcels} parcel rows; PostgreSQL {}\n",
        exports.len(),
        server_version(&psql)
    );
    println!("| figure | measured | best alternative, same run | ratio | budget | within |");
    println!("|---|---|---|---|---|---|");
    let per_export = |seconds: f64| seconds * 1000.0 / exports.len().max(1) as f64;
    for run in &runs[1..] {
        let jobs = run.jobs.unwrap_or(1);
        let ratio = run.wall.as_secs_f64() / baseline.as_secs_f64();
        println!(
            "| `kiosk-hq load --jobs {jobs}`{}, {} store-days of {per_day} events<br>best of {repeats}, the order rotating with the baseline; verify each export (manifest signature under the registered key, both files' hashes, CSV and JSON chains), COPY, one transaction per export; whole process, {loaded_events} events; CPU per export: kiosk-hq {:.2} ms, the server {:.2} ms (baseline's server {:.2} ms) | {} | `psql \\copy` of the same rows into the same tables, one session, no checks (best of {repeats}): {} | {ratio:.2}x | <= 1.25x | {} |",
            if jobs == default_jobs && jobs > 1 {
                " (the default here)"
            } else {
                ""
            },
            exports.len(),
            per_export(run.own_cpu),
            per_export(run.server_cpu),
            per_export(runs[0].server_cpu),
            seconds(run.wall),
            seconds(baseline),
            if ratio <= 1.25 { "yes" } else { "no" }
        );
    }
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

/// One way of loading the rows (`jobs` None: the `psql \\copy` baseline), its best figures.
struct Run {
    jobs: Option<usize>,
    wall: Duration,
    own_cpu: f64,
    server_cpu: f64,
}

impl Run {
    fn new(jobs: Option<usize>) -> Self {
        Run {
            jobs,
            wall: Duration::MAX,
            own_cpu: f64::MAX,
            server_cpu: f64::MAX,
        }
    }
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

/// CPU seconds (user and system) of the whole server: its main process's reaped children
/// (backends that ended, such as a finished load's) plus every process still running under
/// it. Read after a load's connections closed, it includes their backends' time.
fn server_cpu(cluster: &Cluster) -> f64 {
    // Let the main process reap a backend whose client just left.
    std::thread::sleep(Duration::from_millis(300));
    let Some(main) = cluster.postmaster_pid() else {
        return 0.0;
    };
    let fields = |pid: &str| -> Vec<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let after_name = stat.rsplit(')').next().unwrap_or_default().to_owned();
        // From field 3 (state) on: 4 is the parent, 14-17 utime, stime, cutime, cstime.
        after_name
            .split_whitespace()
            .map(|v| v.parse().unwrap_or(0.0))
            .collect()
    };
    let ticks = |f: &[f64], field: usize| f.get(field - 3).copied().unwrap_or(0.0);
    let mut total = 0.0;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let pid = entry.file_name().to_string_lossy().into_owned();
        if !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let f = fields(&pid);
        if pid == main.to_string() {
            total += ticks(&f, 14) + ticks(&f, 15) + ticks(&f, 16) + ticks(&f, 17);
        } else if ticks(&f, 4) == f64::from(main) {
            total += ticks(&f, 14) + ticks(&f, 15);
        }
    }
    total / 100.0
}

fn reset_statements(cluster: &Cluster) {
    if let Ok(mut client) = kiosk_hq::db::connect(&cluster.url("postgres")) {
        let _ = client.batch_execute("SELECT pg_stat_statements_reset()");
    }
}

/// The statements the server spent most time on in database `url` since the last reset.
fn print_statements(cluster: &Cluster, url: &str) {
    let Some(name) = url.rsplit("dbname=").next() else {
        return;
    };
    let Ok(mut client) = kiosk_hq::db::connect(&cluster.url("postgres")) else {
        return;
    };
    let rows = client
        .query(
            "SELECT calls, total_exec_time, rows,
                    left(regexp_replace(query, '\\s+', ' ', 'g'), 110)
             FROM pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1)
             ORDER BY total_exec_time DESC LIMIT 14",
            &[&name],
        )
        .unwrap_or_default();
    eprintln!("    calls | total ms | mean ms | rows | statement");
    for row in rows {
        let calls: i64 = row.get(0);
        let total: f64 = row.get(1);
        let rows: i64 = row.get(2);
        let query: String = row.get(3);
        eprintln!(
            "    {calls} | {total:.0} | {:.3} | {rows} | {query}",
            total / calls.max(1) as f64
        );
    }
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

/// After a timed load, untimed: the vacuum and analysis autovacuum would otherwise run on its
/// tables during the next load (the baseline's single commit leaves all of it for after its
/// time), so that each load's server time is its own. kiosk-hq's commits per export let
/// autovacuum start during its load, and that stays in its time.
fn settle(cluster: &Cluster, url: &str, step: &dyn Fn(&str)) {
    let started = Instant::now();
    if let Ok(mut client) = kiosk_hq::db::connect(url) {
        let _ = client.batch_execute("VACUUM (ANALYZE)");
    }
    if let Ok(mut client) = kiosk_hq::db::connect(&cluster.url("postgres")) {
        while started.elapsed() < Duration::from_secs(300) {
            let busy: i64 = client
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'",
                    &[],
                )
                .map_or(0, |row| row.get(0));
            if busy == 0 {
                break;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }
    step(&format!(
        "  vacuumed and analysed, untimed ({:.1} s)",
        started.elapsed().as_secs_f64()
    ));
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
