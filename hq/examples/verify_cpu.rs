//! CPU per export of what `kiosk-hq load` does in its own process before the database: read an
//! export folder and verify it as `kiosk verify-export` does (`verify_and_read_export`), then
//! build its COPY text. Run on `make-test-exports` output:
//!
//! ```sh
//! kiosk-hq make-test-exports --out /tmp/x --stores 2 --days 25
//! cargo run --release -p kiosk-hq --example verify_cpu -- /tmp/x [ROUNDS]
//! ```
//!
//! Prints the process's CPU time (user + system, from /proc) per export, which is stable on a
//! shared machine where wall time is not.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use handoff_kiosk::domain::export::{CarrierMemo, ExportedEvent};
use handoff_kiosk::export::read_export_folder;
use handoff_kiosk::export_read::verify_and_read_export;
use kiosk_hq::copy_text::push_event_rows;
use kiosk_hq::load::find_export_folders;
use kiosk_hq::registry::read_public_key_file;

/// User + system CPU seconds of this process so far (/proc/self/stat, clock ticks of 10 ms).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |index: usize| {
        fields
            .get(index)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Fields 14 and 15 of stat(5); after the name, state is index 0, so utime is 11, stime 12.
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(dir) = args.get(1).map(PathBuf::from) else {
        eprintln!("usage: verify_cpu DIR [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(4);
    let folders = find_export_folders(&[dir.join("exports")]).unwrap_or_default();
    let mut keys = HashMap::new();
    for entry in std::fs::read_dir(dir.join("keys"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let path = entry.path();
        let store = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        if let (Some(store), Ok(key)) = (store, read_public_key_file(&path)) {
            keys.insert(store, key);
        }
    }
    let store_of = |folder: &Path| {
        let name = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        name.split('_').next().unwrap_or_default().to_owned()
    };
    let (mut verify_cpu, mut copy_cpu, mut events) = (0.0, 0.0, 0_usize);
    for _ in 0..rounds {
        for folder in &folders {
            let start = cpu_seconds();
            let (manifest, files) = read_export_folder(folder).unwrap_or_default();
            let Some(key) = keys.get(&store_of(folder)) else {
                panic!("no key for {}", folder.display());
            };
            let verified = match verify_and_read_export(&manifest, &files, key) {
                Ok(verified) => verified,
                Err(problems) => panic!("{}: {problems:?}", folder.display()),
            };
            let verified_at = cpu_seconds();
            let (mut event_rows, mut parcel_rows) = (String::new(), String::new());
            let mut carriers = CarrierMemo::default();
            for event in &verified.events {
                let json = serde_json::to_string::<ExportedEvent>(event).unwrap_or_default();
                push_event_rows(
                    &mut event_rows,
                    &mut parcel_rows,
                    "S",
                    &verified.manifest_sha256,
                    event,
                    &json,
                    &mut carriers,
                );
            }
            events += verified.events.len();
            std::hint::black_box((event_rows, parcel_rows));
            copy_cpu += cpu_seconds() - verified_at;
            verify_cpu += verified_at - start;
        }
    }
    let exports = (folders.len() * rounds) as f64;
    println!(
        "{} exports ({events} events): read + verify {:.2} ms CPU an export, COPY text {:.2} ms",
        exports,
        verify_cpu * 1000.0 / exports,
        copy_cpu * 1000.0 / exports
    );
}
