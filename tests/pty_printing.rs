//! The real binary in a pty with a receipt printer on loopback TCP (issue #15's dead printer):
//! a printer that never answers does not freeze the counter, its failure is said once the
//! timeout passes, and F9 prints the slip once a printer is back. The bytes the printer gets are
//! read with the tests' own ESC/POS reader and the receipt's QR payload is checked by
//! `kiosk verify-receipt`.

mod common;

use std::time::{Duration, Instant};

use common::printer::{Behaviour, TestPrinter, closed_port, read_paper};
use common::pty::PtyKiosk;
use common::*;
use handoff_kiosk::config::{DEFAULT_CONFIG_TEXT, KioskConfig};
use handoff_kiosk::domain::event_kind::EventKind;
use handoff_kiosk::service::Kiosk;

/// Generous for a machine whose cores are all busy; a wait ends as soon as the text shows.
const WAIT: Duration = Duration::from_secs(120);
/// How long the kiosk gives the printer: long enough that the keys typed meanwhile are
/// plainly answered before it, even on a loaded machine.
const PRINT_TIMEOUT_SECONDS: u64 = 30;
const F9: &str = "\u{1b}[20~";

fn config_with_printer(dir: &std::path::Path, connect: &str) -> std::path::PathBuf {
    let text = format!(
        "{DEFAULT_CONFIG_TEXT}\n[printer]\nkind = \"escpos\"\nconnect = \"{connect}\"\n\
         paper_mm = 58\ntimeout_seconds = {PRINT_TIMEOUT_SECONDS}\n"
    );
    write_config(dir, &text)
}

/// A drop-off of one parcel, confirmed with the manager's PIN: its receipt goes to the printer.
/// The caller waits for what follows: a closed port's failure can replace "Recorded" at once.
fn confirm_a_drop_off(kiosk: &mut PtyKiosk) {
    kiosk.send("o");
    kiosk.wait_for("Customer name or reference", WAIT);
    kiosk.send("Jordan Smith\r");
    kiosk.wait_for("Scan each parcel's label", WAIT);
    kiosk.send("RB123456785GB\r");
    kiosk.wait_for("RB123456785GB added", WAIT);
    kiosk.send("\r");
    kiosk.wait_for("Your PIN to record this drop-off", WAIT);
    kiosk.send("480915\r");
}

#[test]
fn keys_are_answered_while_a_silent_printer_times_out_and_the_failure_is_then_said() {
    let dir = tempfile::tempdir().unwrap();
    let printer = TestPrinter::start(Behaviour::NeverReads);
    let config = config_with_printer(dir.path(), &printer.address());
    let mut kiosk = PtyKiosk::start(&config, (80, 24), &[("NO_COLOR", "1")]);
    kiosk.enrol_first_manager("480915", WAIT);
    confirm_a_drop_off(&mut kiosk);
    kiosk.wait_for("Recorded: 1 parcel taken in", WAIT);
    let printing_since = Instant::now();

    // The receipt is stuck at the printer. The counter answers: home, then the search.
    kiosk.send("\r");
    kiosk.wait_for("D deliver", WAIT);
    kiosk.send("f");
    kiosk.wait_for("FIND A PARCEL", WAIT);
    kiosk.send("RB123456785GB\r");
    kiosk.wait_for("Jordan Smith", WAIT);
    let answered_after = printing_since.elapsed();
    assert!(
        !kiosk.contents().contains("Not printed"),
        "the print failed before the keys were answered ({answered_after:?}): the test shows \
         nothing about a hung printer; the screen:\n{}",
        kiosk.contents()
    );
    assert!(
        answered_after < Duration::from_secs(PRINT_TIMEOUT_SECONDS),
        "keys took {answered_after:?}, as long as the printer's timeout"
    );

    // The timeout passes: the failure is said, in words, and the record stands.
    kiosk.wait_for("Not printed", WAIT);
    assert!(
        kiosk.contents().contains("F9"),
        "the failure names the reprint key:\n{}",
        kiosk.contents()
    );
    let failed_after = printing_since.elapsed();
    assert!(
        failed_after >= Duration::from_secs(PRINT_TIMEOUT_SECONDS - 1),
        "called failed after {failed_after:?}, before its {PRINT_TIMEOUT_SECONDS} s"
    );
    kiosk.stop();
    let verified = kiosk_command(&config, &["verify"], None);
    assert_eq!(verified.status.code(), Some(0), "{verified:?}");
    let loaded = KioskConfig::load(&config).unwrap();
    let ledger = Kiosk::open_read_only(&loaded).unwrap();
    let (count, _) = ledger.store.head().unwrap();
    let kinds: Vec<EventKind> = (1..=count)
        .map(|seq| ledger.store.event(seq).unwrap().unwrap().body.kind)
        .collect();
    assert!(
        kinds.contains(&EventKind::CustomerDropOff),
        "the drop-off stands: {kinds:?}"
    );
}

#[test]
fn f9_prints_the_receipt_once_the_printer_is_back_and_its_qr_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let port = closed_port();
    let config = config_with_printer(dir.path(), &format!("tcp://127.0.0.1:{port}"));
    let mut kiosk = PtyKiosk::start(&config, (80, 24), &[("NO_COLOR", "1")]);
    kiosk.enrol_first_manager("480915", WAIT);
    confirm_a_drop_off(&mut kiosk);
    kiosk.wait_for("Not printed", WAIT);
    assert!(
        kiosk.contents().contains("refused"),
        "a closed port is said as refused:\n{}",
        kiosk.contents()
    );

    // The printer is switched on where it was: F9 sends the receipt.
    let printer = TestPrinter::start_on(port, Behaviour::Prints);
    kiosk.send(F9);
    let jobs = printer.jobs(1, WAIT);
    assert_eq!(jobs.len(), 1, "F9 sent one slip to the printer");
    let paper = read_paper(&jobs[0].bytes).unwrap();
    assert!(paper.starts_with_reset, "the stream starts with ESC @");
    assert!(paper.ends_with_cut, "the stream ends with a cut");
    for line in &paper.lines {
        assert!(
            line.chars().count() <= 32,
            "a line wider than 58 mm paper's 32 columns: {line:?}"
        );
    }
    assert!(
        paper
            .lines
            .iter()
            .any(|line| line.contains("RB123456785GB")),
        "the receipt names the parcel: {:#?}",
        paper.lines
    );
    let payload = String::from_utf8(paper.qr_payloads.first().expect("a QR").clone()).unwrap();
    let verified = kiosk_command(&config, &["verify-receipt", &payload], None);
    assert_eq!(
        verified.status.code(),
        Some(0),
        "verify-receipt refused the printed QR: {verified:?}"
    );
    kiosk.stop();
}
