//! The live link on loopback with a test certificate: a real kiosk (the library's recording
//! path and its link sender) and a real `kiosk-hq serve` child process on a throwaway
//! PostgreSQL. Skipped (loudly) only when no PostgreSQL server programs exist on the machine.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use handoff_kiosk::config::{DEFAULT_CONFIG_TEXT, KioskConfig};
use handoff_kiosk::domain::chain::{Counterparty, CounterpartyKind};
use handoff_kiosk::domain::clock::SystemClock;
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::ids::TrackingId;
use handoff_kiosk::domain::link_wire::{BATCH_PATH, BatchSource, Reply, build_batch};
use handoff_kiosk::domain::signing::StoreKey;
use handoff_kiosk::link::https::HttpsClient;
use handoff_kiosk::link::verify::{ReceiptCheck, check_latest_receipt};
use handoff_kiosk::link::{Sender, Step};
use handoff_kiosk::service::Kiosk;
use handoff_kiosk::store::{HandoffItem, HandoffRequest, LinkLedger};
use kiosk_hq::serve::STALL_BATCH_ENV;
use kiosk_hq::throwaway::{Cluster, find_bin_dir};
use sha2::{Digest, Sha256};

fn cluster() -> Option<&'static Cluster> {
    static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();
    CLUSTER
        .get_or_init(|| {
            if find_bin_dir().is_none() {
                eprintln!(
                    "\n!!!!!!!!\n!!! SKIPPING the live link tests: no PostgreSQL server programs \
                     (initdb) on this machine. Install the `postgresql` package (.ci/run does).\n!!!!!!!!\n"
                );
                return None;
            }
            Some(Cluster::start(false).expect("start a throwaway PostgreSQL cluster"))
        })
        .as_ref()
}

fn hq(url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kiosk-hq"))
        .args(args)
        .env("KIOSK_HQ_DB", url)
        .stdin(Stdio::null())
        .output()
        .expect("run kiosk-hq")
}

/// Head office: a database, a TLS certificate for 127.0.0.1 and a signing key.
struct HeadOffice {
    url: String,
    dir: tempfile::TempDir,
    cert_sha256: String,
    public_key: String,
    codes_key: String,
    client: postgres::Client,
}

impl HeadOffice {
    fn new(name: &str) -> Option<Self> {
        let cluster = cluster()?;
        let url = cluster.create_database(name).expect("create database");
        let out = hq(&url, &["init"]);
        assert!(out.status.success(), "init: {out:?}");
        let dir = tempfile::tempdir().expect("temp dir");
        let certified = rcgen::generate_simple_self_signed(vec![
            "127.0.0.1".to_owned(),
            "localhost".to_owned(),
        ])
        .expect("test certificate");
        std::fs::write(dir.path().join("cert.pem"), certified.cert.pem()).expect("cert");
        std::fs::write(
            dir.path().join("key.pem"),
            certified.signing_key.serialize_pem(),
        )
        .expect("key");
        let cert_sha256 = hex::encode(Sha256::digest(certified.cert.der()));
        let key_file = dir.path().join("hq-signing.key");
        let out = hq(&url, &["keygen", "--out", &key_file.to_string_lossy()]);
        assert!(out.status.success(), "keygen: {out:?}");
        let printed = String::from_utf8_lossy(&out.stdout).into_owned();
        let line = |name: &str| {
            printed
                .lines()
                .find_map(|line| line.strip_prefix(&format!("{name} = \"")))
                .and_then(|rest| rest.strip_suffix('"'))
                .unwrap_or_else(|| panic!("no {name} in {printed:?}"))
                .to_owned()
        };
        let (public_key, codes_key) = (line("public_key"), line("codes_key"));
        let client = kiosk_hq::db::connect(&url).expect("connect");
        Some(Self {
            url,
            dir,
            cert_sha256,
            public_key,
            codes_key,
            client,
        })
    }

    fn register(&self, store_id: &str, public_key_hex: &str) {
        let file = self.dir.path().join(format!("{store_id}.pub"));
        std::fs::write(&file, public_key_hex).expect("write key");
        let out = hq(
            &self.url,
            &[
                "store",
                "add",
                "--id",
                store_id,
                "--pubkey",
                &file.to_string_lossy(),
            ],
        );
        assert!(out.status.success(), "store add: {out:?}");
    }

    /// Starts `kiosk-hq serve` on `port` (0: any free one); returns it with its port.
    fn serve(&self, port: u16, env: &[(&str, &str)]) -> Server {
        static STARTED: AtomicUsize = AtomicUsize::new(0);
        let number = STARTED.fetch_add(1, Ordering::SeqCst);
        let stderr = self.dir.path().join(format!("serve-{number}.log"));
        let mut command = Command::new(env!("CARGO_BIN_EXE_kiosk-hq"));
        command
            .args([
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--cert",
                &self.dir.path().join("cert.pem").to_string_lossy(),
                "--key",
                &self.dir.path().join("key.pem").to_string_lossy(),
                "--signing-key",
                &self.dir.path().join("hq-signing.key").to_string_lossy(),
                "--connections",
                "2",
            ])
            .env("KIOSK_HQ_DB", &self.url)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).expect("log file"));
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("start kiosk-hq serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the serving line");
        let port = line
            .split("https://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| {
                panic!(
                    "no port in {line:?}: {}",
                    std::fs::read_to_string(&stderr).unwrap_or_default()
                )
            });
        Server {
            child,
            port,
            stderr,
        }
    }

    fn held(&mut self, store_id: &str) -> Vec<(i64, Vec<u8>)> {
        self.client
            .query(
                "SELECT seq, hash FROM events WHERE store_id = $1 ORDER BY seq",
                &[&store_id],
            )
            .expect("events")
            .into_iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect()
    }

    fn exports(&mut self, store_id: &str) -> i64 {
        self.client
            .query_one(
                "SELECT count(*) FROM exports WHERE store_id = $1",
                &[&store_id],
            )
            .expect("exports")
            .get(0)
    }
}

struct Server {
    child: Child,
    port: u16,
    stderr: PathBuf,
}

impl Server {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A kiosk for `store_id` whose `[head_office]` points at `port`, seeded with `events_per_day`
/// events on each of two days through the kiosk's own recording path.
struct Store {
    _dir: tempfile::TempDir,
    kiosk: Kiosk,
    config: KioskConfig,
}

fn kiosk(store_id: &str, office: &HeadOffice, port: u16, batch_events: u32, per_day: u32) -> Store {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = DEFAULT_CONFIG_TEXT
        .replace("id = \"RVM-0045\"", &format!("id = \"{store_id}\""))
        .replace("argon2_memory_kib = 65536", "argon2_memory_kib = 19456")
        .replace("argon2_iterations = 3", "argon2_iterations = 2")
        + &format!(
            "\n[head_office]\nurl = \"https://127.0.0.1:{port}\"\ncert_sha256 = \"{}\"\npublic_key = \"{}\"\ncodes_key = \"{}\"\nbatch_events = {batch_events}\n",
            office.cert_sha256, office.public_key, office.codes_key
        );
    let path = dir.path().join("kiosk.toml");
    std::fs::write(&path, text).expect("config");
    let config = KioskConfig::load(&path).expect("config loads");
    handoff_kiosk::setup::init(&config).expect("init");
    let mut kiosk = Kiosk::open(&config).expect("open");
    let first_day = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
    handoff_kiosk::seed::seed_days_numbered(
        &mut kiosk,
        first_day,
        2,
        per_day,
        7_000_000,
        &mut |_, _| {},
    )
    .expect("seed");
    Store {
        _dir: dir,
        kiosk,
        config,
    }
}

impl Store {
    fn sender(&self) -> Sender {
        Sender::open(&self.config, &self.kiosk.key, Arc::new(SystemClock))
            .expect("sender")
            .expect("a head office is configured")
    }

    fn chain(&self) -> Vec<(i64, Vec<u8>)> {
        let (head, _) = self.kiosk.store.head().expect("head");
        (1..=head)
            .map(|seq| {
                let hash = self
                    .kiosk
                    .store
                    .event_hash(seq)
                    .expect("hash")
                    .expect("event");
                (seq as i64, hash.to_vec())
            })
            .collect()
    }

    fn waiting(&self) -> u64 {
        self.kiosk.store.outbox_state().expect("outbox").waiting
    }

    fn register_at(&self, office: &HeadOffice) {
        office.register(
            self.config.store.id.as_str(),
            &self.kiosk.key.public().to_hex(),
        );
    }
}

/// Steps the sender until nothing waits; returns the steps.
fn drain(sender: &mut Sender) -> Vec<Step> {
    let mut steps = Vec::new();
    for _ in 0..200 {
        let step = sender.step();
        let done = step == Step::Idle;
        if let Step::Failed(problem) = &step {
            panic!("the link failed: {problem} (after {steps:?})");
        }
        steps.push(step);
        if done {
            return steps;
        }
    }
    panic!("the outbox did not drain: {steps:?}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

#[test]
fn the_kiosk_pushes_head_office_loads_and_a_replayed_batch_is_a_no_op() {
    let Some(mut office) = HeadOffice::new("link_push") else {
        return;
    };
    let server = office.serve(0, &[]);
    let store = kiosk("LNK-0001", &office, server.port, 25, 30);
    store.register_at(&office);
    assert!(store.waiting() > 25, "more than one batch waits");
    // One batch, then the kiosk restarts: a new sender resumes from the outbox.
    let mut before_restart = store.sender();
    assert_eq!(before_restart.step(), Step::Acknowledged(25));
    drop(before_restart);
    let steps = drain(&mut store.sender());
    assert!(steps.len() > 2, "several batches: {steps:?}");
    assert_eq!(
        office.held("LNK-0001"),
        store.chain(),
        "every event, exactly"
    );
    assert_eq!(store.waiting(), 0, "the outbox is empty");
    // The receipt is head office's, for the whole chain, and `kiosk verify` holds it.
    let receipt = store.kiosk.store.latest_link_receipt().unwrap().unwrap();
    assert_eq!(receipt.last_seq, store.chain().len() as u64);
    assert!(matches!(
        check_latest_receipt(&store.kiosk.store, &store.config).unwrap(),
        ReceiptCheck::Matches { .. }
    ));

    // The same batch posted twice: the second changes nothing and is acknowledged again.
    let link = LinkLedger::open(&store.config.ledger.database).unwrap();
    let events = link.events_from(1, 10).unwrap();
    let source = BatchSource {
        key: &store.kiosk.key,
        store_id: "LNK-0001",
        zone: store.config.store.time_zone,
        head_before: link.event_hash(0).unwrap().unwrap(),
        demo_data: false,
        now: Utc::now(),
    };
    let batch = build_batch(&source, &events).unwrap().unwrap();
    let body = serde_json::to_vec(&batch).unwrap();
    let client = HttpsClient::new(
        store.config.head_office.as_ref().unwrap(),
        Duration::from_secs(10),
    )
    .unwrap();
    let (exports_before, held_before) = (office.exports("LNK-0001"), office.held("LNK-0001"));
    for _ in 0..2 {
        let (status, answer) = client.post_json(BATCH_PATH, &body).unwrap();
        let reply: Reply = serde_json::from_slice(&answer).unwrap();
        assert_eq!(status, 200);
        assert!(matches!(reply, Reply::Acknowledged { .. }), "{reply:?}");
    }
    assert_eq!(
        office.held("LNK-0001"),
        held_before,
        "no event added or changed"
    );
    assert_eq!(
        office.exports("LNK-0001"),
        exports_before + 1,
        "the replay is recognised as the batch already received"
    );
    server.kill();
}

fn delivery(n: u32) -> HandoffRequest {
    HandoffRequest {
        kind: EventKind::DriverDelivery,
        counterparty: Counterparty {
            kind: CounterpartyKind::Driver,
            reference: "D-9".into(),
        },
        items: vec![HandoffItem::on_shelf(
            TrackingId::parse(&format!("LNK-DOWN-{n:03}")).expect("tracking id"),
            "C1",
        )],
        token_id: None,
        note: String::new(),
    }
}

#[test]
fn head_office_down_the_outbox_grows_and_back_it_drains_in_order() {
    let Some(mut office) = HeadOffice::new("link_down") else {
        return;
    };
    let port = free_port();
    let mut store = kiosk("LNK-0002", &office, port, 20, 20);
    store.register_at(&office);
    let link = handoff_kiosk::link::start(&store.config, &store.kiosk.key, Arc::new(SystemClock))
        .unwrap()
        .expect("the link starts");
    let waiting_before = store.waiting();
    let proof = kiosk_hq::testdata::sign_in_manager_again(&mut store.kiosk, Utc::now()).unwrap();
    let mut slowest = Duration::ZERO;
    for n in 1..=5 {
        let started = Instant::now();
        store
            .kiosk
            .record(&proof, &[delivery(n)], Utc::now())
            .expect("records while head office is down");
        slowest = slowest.max(started.elapsed());
    }
    assert!(
        slowest < Duration::from_secs(1),
        "a recording took {slowest:?}"
    );
    assert!(store.waiting() > waiting_before, "the outbox grows");
    let deadline = Instant::now() + Duration::from_secs(20);
    while link.status().offline_since.is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let status = link.status();
    assert!(
        status.offline_since.is_some() && status.problem.is_some(),
        "{status:?}"
    );
    assert!(office.held("LNK-0002").is_empty());

    let server = office.serve(port, &[]);
    let deadline = Instant::now() + Duration::from_secs(90);
    while store.waiting() > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(
        store.waiting(),
        0,
        "drained: {:?}\n{}",
        link.status(),
        server.log()
    );
    assert_eq!(office.held("LNK-0002"), store.chain());
    let acknowledged: Vec<u64> = store
        .kiosk
        .store
        .link_receipts(1000)
        .unwrap()
        .into_iter()
        .rev()
        .map(|receipt| receipt.last_seq)
        .collect();
    assert!(
        acknowledged.windows(2).all(|pair| pair[0] < pair[1]),
        "in order: {acknowledged:?}"
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while link.status().offline_since.is_some() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(link.status().offline_since, None);
    drop(link);
    server.kill();
}

#[test]
fn head_office_killed_mid_batch_loses_nothing_and_duplicates_nothing() {
    let Some(mut office) = HeadOffice::new("link_killed") else {
        return;
    };
    let server = office.serve(0, &[(STALL_BATCH_ENV, "2")]);
    let port = server.port;
    let store = kiosk("LNK-0003", &office, port, 15, 20);
    store.register_at(&office);
    let mut sender = store.sender();
    assert!(matches!(sender.step(), Step::Acknowledged(15)));
    // The second batch stops inside head office's transaction; head office is killed there.
    let stepping = std::thread::spawn(move || {
        let step = sender.step();
        (sender, step)
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    while !server.log().contains("stalled inside export") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        server.log().contains("stalled inside export"),
        "{}",
        server.log()
    );
    server.kill();
    let (mut sender, step) = stepping.join().unwrap();
    assert!(matches!(step, Step::Failed(_)), "{step:?}");
    assert_eq!(
        office.held("LNK-0003").len(),
        15,
        "nothing of the killed batch stays"
    );

    let server = office.serve(port, &[]);
    drain(&mut sender);
    let held = office.held("LNK-0003");
    assert_eq!(held, store.chain(), "no loss");
    let distinct: std::collections::BTreeSet<i64> = held.iter().map(|(seq, _)| *seq).collect();
    assert_eq!(distinct.len(), held.len(), "no duplicate");
    server.kill();
}

#[test]
fn another_stores_key_is_refused_and_nothing_is_kept() {
    let Some(mut office) = HeadOffice::new("link_wrong_key") else {
        return;
    };
    let server = office.serve(0, &[]);
    let store = kiosk("LNK-0004", &office, server.port, 50, 10);
    let impostor = StoreKey::generate().unwrap();
    office.register("LNK-0004", &impostor.public().to_hex());
    let step = store.sender().step();
    let Step::Failed(problem) = step else {
        panic!("accepted under another key: {step:?}");
    };
    let problem = problem.to_string();
    assert!(
        problem.contains("refused") && problem.contains("registered key"),
        "{problem}"
    );
    assert!(office.held("LNK-0004").is_empty());
    assert!(store.waiting() > 0, "still waiting at the kiosk");
    server.kill();
}

#[test]
fn a_gap_is_answered_with_the_expected_sequence_and_filled() {
    let Some(mut office) = HeadOffice::new("link_gap") else {
        return;
    };
    let server = office.serve(0, &[]);
    let store = kiosk("LNK-0005", &office, server.port, 20, 20);
    store.register_at(&office);
    // The kiosk believes events before 30 were delivered (as after a restore from a backup
    // taken mid-sync); head office has none of them.
    rusqlite::Connection::open(&store.config.ledger.database)
        .unwrap()
        .execute("DELETE FROM outbox WHERE seq < 30", [])
        .unwrap();
    let steps = drain(&mut store.sender());
    assert_eq!(steps.first(), Some(&Step::Resend(1)), "{steps:?}");
    assert_eq!(office.held("LNK-0005"), store.chain(), "the gap is filled");
    server.kill();
}

const ANNOUNCED: &str = "RA123456785GB";

fn announcement_file(office: &HeadOffice, name: &str) -> PathBuf {
    let file = office.dir.path().join(name);
    std::fs::write(
        &file,
        format!("tracking_id,recipient_name,pickup_code,postal_code\n{ANNOUNCED},Ana Lima,482913,1000-001\n"),
    )
    .expect("write the announcement");
    file
}

fn announce(office: &HeadOffice, store_id: &str, file: &std::path::Path) -> std::process::Output {
    hq(
        &office.url,
        &["announce", "--store", store_id, &file.to_string_lossy()],
    )
}

fn delivered_announcements(office: &mut HeadOffice, store_id: &str) -> (i64, i64) {
    let row = office
        .client
        .query_one(
            "SELECT count(*) FILTER (WHERE delivered_at IS NOT NULL), count(*) FROM announcements WHERE store_id = $1",
            &[&store_id],
        )
        .expect("announcements");
    (row.get(0), row.get(1))
}

#[test]
fn an_announcement_reaches_the_kiosk_signed_once_and_a_delivery_of_it_is_announced() {
    let Some(mut office) = HeadOffice::new("link_announce") else {
        return;
    };
    let server = office.serve(0, &[]);
    let mut store = kiosk("LNK-0006", &office, server.port, 50, 5);
    store.register_at(&office);
    let file = announcement_file(&office, "ups-2026-03-04.csv");
    let out = announce(&office, "LNK-0006", &file);
    assert!(out.status.success(), "announce: {out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 parcel"),
        "{out:?}"
    );
    // A file the kiosk's parser refuses is refused at head office already.
    let bad = office.dir.path().join("bad.csv");
    std::fs::write(&bad, "tracking_id,recipient_name\nRA123456785GB,Ana\n").unwrap();
    let out = announce(&office, "LNK-0006", &bad);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("pickup_code"));

    let tracking = TrackingId::parse(ANNOUNCED).unwrap();
    assert!(!store.kiosk.store.is_expected(&tracking).unwrap());
    let mut sender = store.sender();
    let sync = sender
        .sync_announcements()
        .expect("the announcements import");
    assert_eq!(sync.imported.len(), 1, "{sync:?}");
    assert_eq!(sync.imported[0].1.announced, 1);
    assert_eq!(
        store.kiosk.store.expected_parcel(&tracking).unwrap(),
        Some(("Ana Lima".to_owned(), "1000-001".to_owned())),
        "in the kiosk's expected parcels"
    );
    assert_eq!(
        delivered_announcements(&mut office, "LNK-0006"),
        (1, 1),
        "acknowledged, so head office marks it delivered"
    );
    // The next sync brings nothing and records nothing.
    let head = store.kiosk.store.head().unwrap().0;
    let sync = sender.sync_announcements().unwrap();
    assert!(
        sync.imported.is_empty() && sync.already_imported == 0,
        "{sync:?}"
    );
    assert_eq!(store.kiosk.store.head().unwrap().0, head);

    // A delivery of the parcel is an announced one: no code is made, the recipient is known.
    let proof = kiosk_hq::testdata::sign_in_manager_again(&mut store.kiosk, Utc::now()).unwrap();
    let mut request = delivery(0);
    request.items = vec![HandoffItem::on_shelf(tracking.clone(), "A1")];
    let receipt = store.kiosk.record(&proof, &[request], Utc::now()).unwrap();
    assert!(
        receipt.generated_codes.is_empty(),
        "no code for an announced parcel"
    );
    let parcel = store.kiosk.store.parcel(&tracking).unwrap().unwrap();
    assert_eq!(parcel.recipient_name, "Ana Lima");
    server.kill();
}

/// Head office's signed answer for `store`, fetched as the kiosk would, without importing it.
fn signed_announcements(store: &Store) -> (String, String) {
    let request = handoff_kiosk::domain::link_wire::AnnouncementRequest::signed(
        &store.kiosk.key,
        store.config.store.id.as_str(),
        0,
        Utc::now(),
    );
    let client = HttpsClient::new(
        store.config.head_office.as_ref().unwrap(),
        Duration::from_secs(10),
    )
    .unwrap();
    let (status, answer) = client
        .post_json(
            handoff_kiosk::domain::link_wire::ANNOUNCEMENTS_PATH,
            &serde_json::to_vec(&request).unwrap(),
        )
        .unwrap();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    match serde_json::from_slice(&answer).unwrap() {
        handoff_kiosk::domain::link_wire::AnnouncementsReply::Signed {
            body, signature, ..
        } => (body, signature),
        refused => panic!("{refused:?}"),
    }
}

#[test]
fn a_replayed_announcement_is_a_no_op_and_a_forged_one_is_refused_whole() {
    let Some(office) = HeadOffice::new("link_announce_forged") else {
        return;
    };
    let server = office.serve(0, &[]);
    let store = kiosk("LNK-0007", &office, server.port, 50, 5);
    store.register_at(&office);
    let out = announce(&office, "LNK-0007", &announcement_file(&office, "a.csv"));
    assert!(out.status.success(), "{out:?}");
    let (body, signature) = signed_announcements(&store);
    assert!(body.contains(ANNOUNCED));
    // A request not signed with the store's registered key gets nothing.
    let impostor = handoff_kiosk::domain::link_wire::AnnouncementRequest::signed(
        &StoreKey::generate().unwrap(),
        "LNK-0007",
        0,
        Utc::now(),
    );
    let client = HttpsClient::new(
        store.config.head_office.as_ref().unwrap(),
        Duration::from_secs(10),
    )
    .unwrap();
    let (status, answer) = client
        .post_json(
            handoff_kiosk::domain::link_wire::ANNOUNCEMENTS_PATH,
            &serde_json::to_vec(&impostor).unwrap(),
        )
        .unwrap();
    assert_eq!(status, 403);
    assert!(!String::from_utf8_lossy(&answer).contains(ANNOUNCED));

    let mut sender = store.sender();
    let tracking = TrackingId::parse(ANNOUNCED).unwrap();
    // Tampered: a name changed under head office's signature.
    let tampered = body.replace("Ana Lima", "Eve Rossi");
    let refused = sender
        .apply_signed_announcements(&tampered, &signature)
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("refused, nothing imported") && refused.contains("signature"),
        "{refused}"
    );
    // Signed, but by a key that is not the one kiosk.toml pins.
    let forger = StoreKey::generate().unwrap();
    let forged_body: handoff_kiosk::domain::link_wire::AnnouncementsBody =
        serde_json::from_str(&body).unwrap();
    let handoff_kiosk::domain::link_wire::AnnouncementsReply::Signed {
        body: forged,
        signature: forged_signature,
        ..
    } = handoff_kiosk::domain::link_wire::sign_announcements(
        &forger,
        "LNK-0007",
        forged_body.announcements,
        Utc::now(),
    )
    .unwrap()
    else {
        panic!("signed");
    };
    let refused = sender
        .apply_signed_announcements(&forged, &forged_signature)
        .unwrap_err()
        .to_string();
    assert!(refused.contains("does not verify"), "{refused}");
    assert!(
        !store.kiosk.store.is_expected(&tracking).unwrap(),
        "nothing of a forged batch is imported"
    );

    // The genuine answer imports once; the same answer again imports nothing.
    let first = sender
        .apply_signed_announcements(&body, &signature)
        .unwrap();
    assert_eq!(first.imported.len(), 1);
    let head = store.kiosk.store.head().unwrap().0;
    let again = sender
        .apply_signed_announcements(&body, &signature)
        .unwrap();
    assert!(again.imported.is_empty(), "{again:?}");
    assert_eq!(again.already_imported, 1);
    assert_eq!(store.kiosk.store.head().unwrap().0, head, "no event added");
    assert!(store.kiosk.store.is_expected(&tracking).unwrap());
    server.kill();
}

/// The ledger file and its WAL, as bytes.
fn ledger_bytes(store: &Store) -> Vec<u8> {
    let path = &store.config.ledger.database;
    let mut bytes = std::fs::read(path).expect("the ledger");
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    bytes.extend(std::fs::read(std::path::PathBuf::from(wal)).unwrap_or_default());
    bytes
}

fn hq_codes(office: &HeadOffice, since: &str, format: &str) -> std::process::Output {
    hq(
        &office.url,
        &[
            "codes",
            "--since",
            since,
            "--signing-key",
            &office.dir.path().join("hq-signing.key").to_string_lossy(),
            "--format",
            format,
        ],
    )
}

#[test]
fn the_code_of_an_unannounced_parcel_reaches_head_office_sealed_and_codes_opens_it() {
    let Some(mut office) = HeadOffice::new("link_codes") else {
        return;
    };
    let server = office.serve(0, &[]);
    let mut store = kiosk("LNK-0008", &office, server.port, 50, 1);
    store.register_at(&office);
    let since = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let proof = kiosk_hq::testdata::sign_in_manager_again(&mut store.kiosk, Utc::now()).unwrap();
    let mut request = delivery(0);
    request.items = vec![HandoffItem::on_shelf(
        TrackingId::parse("LNK-SEALED-001").unwrap(),
        "B2",
    )];
    let receipt = store.kiosk.record(&proof, &[request], Utc::now()).unwrap();
    let [(tracking, code)] = receipt.generated_codes.as_slice() else {
        panic!("one code made: {:?}", receipt.generated_codes);
    };
    let shown = code.expose().to_owned();
    let link = LinkLedger::open(&store.config.ledger.database).unwrap();
    let (seq, _) = store.chain().last().cloned().unwrap();
    let queued = link.sealed_codes_between(seq as u64, seq as u64).unwrap();
    assert_eq!(queued.len(), 1, "queued with the event");
    assert_eq!(queued[0].tracking_id, "LNK-SEALED-001");
    let bytes = ledger_bytes(&store);
    assert!(
        !bytes.windows(shown.len()).any(|w| w == shown.as_bytes()),
        "the kiosk's ledger holds no plaintext code while the sealed one waits"
    );

    drain(&mut store.sender());
    assert_eq!(
        link.sealed_codes_waiting().unwrap(),
        0,
        "deleted once head office's receipt covers it"
    );
    let bytes = ledger_bytes(&store);
    assert!(!bytes.windows(shown.len()).any(|w| w == shown.as_bytes()));

    let out = hq_codes(&office, &since, "csv");
    assert!(out.status.success(), "codes: {out:?}");
    let printed = String::from_utf8_lossy(&out.stdout);
    let line = printed
        .lines()
        .find(|line| line.contains(tracking.as_str()))
        .unwrap_or_else(|| panic!("{printed}"));
    let cells: Vec<&str> = line.split(',').collect();
    assert_eq!(&cells[..2], ["LNK-0008", "LNK-SEALED-001"], "{line}");
    assert_eq!(cells[3], shown, "the code the kiosk showed");
    assert!(!cells[4].is_empty(), "with its hold end: {line}");
    let out = hq_codes(&office, &since, "json");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ours = json
        .as_array()
        .unwrap()
        .iter()
        .find(|code| code["tracking_id"] == "LNK-SEALED-001")
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(ours["code"], shown.as_str());
    // Codes received before --since are not new.
    let later = (Utc::now() + chrono::Duration::minutes(5))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let out = hq_codes(&office, &later, "csv");
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&shown));

    // A box sealed to another key is reported, never printed.
    let stranger = handoff_kiosk::domain::sealed_codes::CodeOpenKey::derive(&[9; 32]);
    let body = handoff_kiosk::domain::sealed_codes::SealedCodeBody::new(
        "LNK-0008",
        "LNK-SEALED-001",
        "913377",
        "",
        None,
        Utc::now(),
    );
    let sealed = stranger.public().seal(&body).unwrap();
    office
        .client
        .execute(
            "UPDATE sealed_codes SET sealed = $1 WHERE store_id = 'LNK-0008' AND seq = $2",
            &[&sealed, &seq],
        )
        .unwrap();
    let out = hq_codes(&office, &since, "csv");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("913377"));
    let reported = String::from_utf8_lossy(&out.stderr);
    assert!(
        reported.contains("LNK-SEALED-001") && reported.contains("did not open"),
        "{reported}"
    );
    server.kill();
}
