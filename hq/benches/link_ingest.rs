//! The live link's ingest (issue #17), beside `kiosk-hq load` of the same data in the same run:
//! N simulated kiosks (real kiosk ledgers, seeded by the kiosk library with a day of events
//! each) push their day over HTTPS on loopback to an in-process `kiosk-hq serve`, many at once;
//! the same days, exported, are loaded with `kiosk-hq load`'s code into a second database.
//! Reports ingest events/s, batch latency p50/p99, and load events/s.
//!
//! Options after `--`: `--kiosks N` (default 100; or LINK_BENCH_KIOSKS), `--per-day E`
//! (default 300), `--batch B` events per batch (default 100), `--senders S` kiosks pushing at
//! once (default 32), `--connections C` database connections on each side (default 4),
//! `--smoke` (tiny). Nothing here asserts a time.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use handoff_kiosk::config::KioskConfig;
use handoff_kiosk::domain::clock::SystemClock;
use handoff_kiosk::domain::signing::StoreKey;
use handoff_kiosk::link::{Sender, Step};
use handoff_kiosk::service::Kiosk;
use kiosk_hq::load::{NoProgress, load_folders_on};
use kiosk_hq::registry::read_public_key_file;
use kiosk_hq::testdata::{MadeStore, make_stores};
use kiosk_hq::throwaway::Cluster;
use sha2::{Digest, Sha256};

fn arg_value(name: &str, variable: &str) -> Option<u32> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .or_else(|| std::env::var(variable).ok().and_then(|v| v.parse().ok()))
}

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

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() {
    let smoke = std::env::args().any(|a| a == "--smoke");
    let kiosks = arg_value("--kiosks", "LINK_BENCH_KIOSKS").unwrap_or(if smoke { 3 } else { 100 });
    let per_day =
        arg_value("--per-day", "LINK_BENCH_PER_DAY").unwrap_or(if smoke { 30 } else { 300 });
    let batch = arg_value("--batch", "LINK_BENCH_BATCH").unwrap_or(100);
    let senders = arg_value("--senders", "LINK_BENCH_SENDERS")
        .unwrap_or(32)
        .max(1) as usize;
    let connections = arg_value("--connections", "LINK_BENCH_CONNECTIONS")
        .unwrap_or(4)
        .max(1);
    let work = tempfile::tempdir().expect("a temp folder");
    let started = Instant::now();
    let step = |what: &str| eprintln!("[{:>6.1} s] {what}", started.elapsed().as_secs_f64());

    step(&format!(
        "making {kiosks} kiosks with a day of {per_day} events each"
    ));
    let first_day = NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date");
    let made = make_stores(work.path(), kiosks, first_day, 1, per_day, &mut |n| {
        if n % 25 == 0 {
            step(&format!("  {n} kiosks made"));
        }
    })
    .expect("make the kiosks");
    let events: u64 = made.iter().map(|s| s.events).sum();

    step("starting a throwaway PostgreSQL cluster (default durability)");
    let cluster = Cluster::start(true).expect("a PostgreSQL cluster");
    let load_db = prepare(&cluster, "link_bench_load", &made);
    let serve_db = prepare(&cluster, "link_bench_serve", &made);

    step("kiosk-hq load of the same days, exported");
    let exports: Vec<_> = made.iter().flat_map(|s| s.exports.clone()).collect();
    let mut clients: Vec<postgres::Client> = (0..connections)
        .map(|_| kiosk_hq::db::connect(&load_db).expect("connect"))
        .collect();
    let mut refs: Vec<&mut postgres::Client> = clients.iter_mut().collect();
    let load_started = Instant::now();
    load_folders_on(&mut refs, &exports, &mut NoProgress).expect("load");
    let load_time = load_started.elapsed();
    drop(refs);
    drop(clients);

    step("kiosk-hq serve on loopback with a test certificate");
    let certified =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).expect("test certificate");
    let cert_pem = work.path().join("cert.pem");
    let key_pem = work.path().join("key.pem");
    std::fs::write(&cert_pem, certified.cert.pem()).expect("cert");
    std::fs::write(&key_pem, certified.signing_key.serialize_pem()).expect("key");
    let fingerprint = hex::encode(Sha256::digest(certified.cert.der()));
    let hq_key = StoreKey::generate().expect("key");
    let hq_public = hq_key.public().to_hex();
    let hq_codes =
        handoff_kiosk::domain::sealed_codes::CodeOpenKey::derive(hq_key.secret_bytes().as_ref())
            .public()
            .to_hex();
    let (bound, listening) = std::sync::mpsc::channel();
    let options = kiosk_hq::serve::ServeOptions {
        listen: "127.0.0.1:0".parse().expect("address"),
        db_url: serve_db,
        cert_pem,
        key_pem,
        signing_key: hq_key,
        connections: connections as usize,
    };
    std::thread::spawn(move || {
        kiosk_hq::serve::serve(options, |address| {
            let _ = bound.send(address);
        })
        .expect("serve");
    });
    let address = listening.recv().expect("the server listens");

    step("opening every kiosk's link");
    let mut queue = Vec::new();
    for store in &made {
        let folder = work.path().join("kiosks").join(&store.store_id);
        let path = folder.join("kiosk.toml");
        let mut text = std::fs::read_to_string(&path).expect("config");
        text.push_str(&format!(
            "\n[head_office]\nurl = \"https://{address}\"\ncert_sha256 = \"{fingerprint}\"\npublic_key = \"{hq_public}\"\ncodes_key = \"{hq_codes}\"\nbatch_events = {batch}\n"
        ));
        std::fs::write(&path, text).expect("config");
        let config = KioskConfig::load(&path).expect("config loads");
        let kiosk = Kiosk::open(&config).expect("open the kiosk");
        let sender = Sender::open(&config, &kiosk.key, Arc::new(SystemClock))
            .expect("sender")
            .expect("a head office");
        queue.push(sender);
    }
    let queue = Arc::new(Mutex::new(queue));
    let latencies = Arc::new(Mutex::new(Vec::new()));
    step(&format!("{kiosks} kiosks pushing, {senders} at once"));
    let ingest_started = Instant::now();
    let threads: Vec<_> = (0..senders)
        .map(|_| {
            let (queue, latencies) = (Arc::clone(&queue), Arc::clone(&latencies));
            std::thread::spawn(move || {
                loop {
                    let next = queue.lock().expect("queue").pop();
                    let Some(mut sender) = next else {
                        return;
                    };
                    let mut mine = Vec::new();
                    loop {
                        let batch_started = Instant::now();
                        match sender.step() {
                            Step::Idle => break,
                            Step::Failed(problem) => panic!("a batch failed: {problem}"),
                            Step::Acknowledged(_) | Step::Resend(_) => {
                                mine.push(batch_started.elapsed());
                            }
                        }
                    }
                    latencies.lock().expect("latencies").extend(mine);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("a sender thread");
    }
    let ingest_time = ingest_started.elapsed();
    let mut latencies = latencies.lock().expect("latencies").clone();
    latencies.sort();
    step("done");

    let rate = |time: Duration| events as f64 / time.as_secs_f64();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!();
    println!(
        "| live link, {kiosks} kiosks x {per_day} events, batches of {batch}, {senders} pushing at once, {connections} DB connections each side | figure |"
    );
    println!("|---|---|");
    println!(
        "| `kiosk-hq serve` ingest | {:.0} events/s ({events} events in {:.2} s, {} batches) |",
        rate(ingest_time),
        ingest_time.as_secs_f64(),
        latencies.len()
    );
    println!(
        "| batch latency (post to checked, stored receipt) | p50 {}, p99 {} |",
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99))
    );
    println!(
        "| `kiosk-hq load` of the same days, exported | {:.0} events/s ({:.2} s) |",
        rate(load_time),
        load_time.as_secs_f64()
    );
    drop(cluster);
}
