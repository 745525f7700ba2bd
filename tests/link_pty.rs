//! The counter answers at normal speed while head office does not: the link's sender is
//! stuck in a connection that never answers (its 10 s timeout, then backoff and again), and
//! the clerk's scans still show at once; the status bar says head office is offline.

mod common;

use std::time::Duration;

use common::pty::PtyKiosk;
use common::*;
use handoff_kiosk::config::DEFAULT_CONFIG_TEXT;
use handoff_kiosk::domain::signing::StoreKey;

const WAIT: Duration = Duration::from_secs(120);
const PARCELS: [&str; 3] = [
    "1Z999AA10123456784",
    "1Z879E930346834440",
    "TBA123456789000",
];

#[test]
fn the_counter_keeps_its_speed_while_head_office_never_answers() {
    // Takes connections into its backlog and never answers: every TLS handshake hangs.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let hq = StoreKey::generate().unwrap();
    let text = DEFAULT_CONFIG_TEXT.replace("allow_other = false", "allow_other = true")
        + &format!(
            "\n[head_office]\nurl = \"https://127.0.0.1:{port}\"\ncert_sha256 = \"{}\"\npublic_key = \"{}\"\ncodes_key = \"8f40c5adb68f25624ae5b214ea767a6ec94d829d3d7b5e1ad1ba6f3e2138285f\"\n",
            "ab".repeat(32),
            hq.public().to_hex()
        );
    let config = write_config(dir.path(), &text);
    let mut kiosk = PtyKiosk::start(&config, (80, 24), &[("NO_COLOR", "1")]);
    kiosk.enrol_first_manager("480915", WAIT);

    kiosk.send("d");
    kiosk.wait_for("Driver: scan this code", WAIT);
    kiosk.send("\r");
    kiosk.wait_for("Scan:", WAIT);
    let mut latencies = Vec::new();
    for id in PARCELS {
        kiosk.send(&format!("{id}\r"));
        latencies.push(kiosk.wait_for(&format!("{id} was not announced"), WAIT));
        kiosk.send("Sam Xu\r");
        latencies.push(kiosk.wait_for(&format!("{id} unannounced"), WAIT));
    }
    kiosk.send("\r");
    kiosk.wait_for("Your PIN to record this delivery", WAIT);
    kiosk.send("480915\r");
    latencies.push(kiosk.wait_for("Recorded: 3 parcels received", WAIT));
    println!("counter answers while head office hangs: {latencies:?}");
    assert!(
        latencies
            .iter()
            .all(|latency| *latency < Duration::from_secs(3)),
        "the counter waited: {latencies:?}"
    );
    // The sender's first try hangs up to its 10 s timeout; then the bar says it.
    kiosk.wait_for("HQ ✘", Duration::from_secs(60));
    let screen = kiosk.contents();
    let waiting: u64 = screen
        .split("HQ ✘ ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of waiting events:\n{screen}"));
    assert!(
        waiting >= 2,
        "the enrolment and the delivery wait at least:\n{screen}"
    );
    kiosk.stop();
    drop(silent);
}
