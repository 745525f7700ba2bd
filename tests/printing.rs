//! Issue #15 at the counter: slips print on the worker after the record commits, a failed
//! print leaves the record and says why with the key that prints again, a slow printer never
//! holds up the keys, and reprints are marked, logged and counted as no handoff.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::counter::*;
use common::*;
use crossterm::event::KeyCode;
use handoff_kiosk::config::KioskConfig;
use handoff_kiosk::domain::clock::{Clock, FixedClock};
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::receipt::verify_receipt;
use handoff_kiosk::i18n::Lang;
use handoff_kiosk::print::{Block, PrintError, PrintFailure, Slip, SlipKind, SlipPrinter};
use handoff_kiosk::service::Kiosk;
use handoff_kiosk::setup;
use handoff_kiosk::tui::app::{App, Screen};
use handoff_kiosk::tui::event::Event;
use handoff_kiosk::tui::theme::Theme;
use handoff_kiosk::tui::worker::Worker;

const PARCEL: &str = "1Z999AA10123456784";
const SECOND: &str = "1Z879E930346834440";

/// What came out of the test printer, shared with the test.
#[derive(Clone, Default)]
struct Paper(Arc<Mutex<Vec<Slip>>>);

impl Paper {
    fn slips(&self) -> Vec<Slip> {
        self.0.lock().unwrap().clone()
    }
}

/// An in-memory printer: prints onto `paper`, or fails while `broken` is set.
struct MemoryPrinter {
    paper: Paper,
    broken: Arc<AtomicBool>,
}

impl SlipPrinter for MemoryPrinter {
    fn print(&mut self, slip: &Slip) -> Result<(), PrintError> {
        if self.broken.load(Ordering::SeqCst) {
            return Err(PrintError {
                printer: "tcp 192.0.2.7:9100".into(),
                reason: PrintFailure::Silent { seconds: 5 },
            });
        }
        self.paper.0.lock().unwrap().push(slip.clone());
        Ok(())
    }
}

struct Printing {
    c: Counter,
    paper: Paper,
    broken: Arc<AtomicBool>,
}

fn printing_counter_with(config_text: &str, with_printer: bool) -> Printing {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), config_text);
    let config = KioskConfig::load(&path).unwrap();
    setup::init(&config).unwrap();
    let kiosk = Kiosk::open(&config).unwrap();
    let clock = FixedClock::at(tuesday_morning());
    let paper = Paper::default();
    let broken = Arc::new(AtomicBool::new(false));
    let printer: Option<Box<dyn SlipPrinter>> = with_printer.then(|| {
        Box::new(MemoryPrinter {
            paper: paper.clone(),
            broken: Arc::clone(&broken),
        }) as Box<dyn SlipPrinter>
    });
    let worker = Worker::inline_with_printer(Arc::clone(&kiosk.pins), printer);
    let theme = Theme {
        colours: true,
        ..Theme::monochrome()
    };
    let app = App::new(kiosk, Arc::new(clock.clone()), theme, worker).unwrap();
    let mut c = Counter { dir, app, clock };
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    Printing { c, paper, broken }
}

fn printing_counter() -> Printing {
    printing_counter_with(&test_config_text(), true)
}

fn texts(slip: &Slip) -> Vec<String> {
    slip.texts().into_iter().map(str::to_owned).collect()
}

fn holds(slip: &Slip, wanted: &str) -> bool {
    texts(slip).iter().any(|text| text.contains(wanted))
}

fn qr_of(slip: &Slip) -> String {
    slip.blocks
        .iter()
        .find_map(|block| match block {
            Block::Qr(text) => Some(text.clone()),
            _ => None,
        })
        .expect("a QR on the slip")
}

/// A drop-off of `PARCEL` taken in and `SECOND` refused (F2: damaged), confirmed with the PIN.
fn drop_off(c: &mut Counter) {
    c.type_text("o");
    c.scan_only("Jordan Smith");
    c.scan_only(PARCEL);
    c.scan_only(SECOND);
    c.key(KeyCode::F(2)); // the selected (last) parcel is refused: damaged
    c.key(KeyCode::Enter); // the list is complete
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
}

fn kinds(c: &Counter) -> Vec<EventKind> {
    let (count, _) = c.app.kiosk.store.head().unwrap();
    (1..=count)
        .map(|seq| c.app.kiosk.store.event(seq).unwrap().unwrap().body.kind)
        .collect()
}

fn seq_of(c: &Counter, kind: EventKind) -> u64 {
    let (count, _) = c.app.kiosk.store.head().unwrap();
    (1..=count)
        .rev()
        .find(|seq| c.app.kiosk.store.event(*seq).unwrap().unwrap().body.kind == kind)
        .unwrap()
}

#[test]
fn a_drop_off_prints_a_receipt_whose_signed_token_names_the_committed_event() {
    let Printing { mut c, paper, .. } = printing_counter();
    drop_off(&mut c);
    let seq = seq_of(&c, EventKind::CustomerDropOff);
    let slips = paper.slips();
    assert_eq!(
        slips.len(),
        1,
        "one receipt for the drop-off and its refusal"
    );
    let receipt = &slips[0];
    assert_eq!(receipt.kind, SlipKind::Receipt);
    assert!(!receipt.reprint);
    for wanted in [
        "Riverside Mall Parcel Point",
        "2 E Riverside Mall Dr, Unit 114",
        PARCEL,
        "UPS",
        "1 parcel taken in",
        "1 parcel refused",
        SECOND,
        "damaged",
        "Ana",
        "MST",
    ] {
        assert!(holds(receipt, wanted), "{wanted:?}: {:?}", texts(receipt));
    }
    let claims = verify_receipt(&qr_of(receipt), &c.app.kiosk.key.public()).unwrap();
    let event = c.app.kiosk.store.event(seq).unwrap().unwrap();
    assert_eq!(claims.seq, seq as i64);
    assert_eq!(claims.event_hash, event.hash);
    assert_eq!(claims.kind, EventKind::CustomerDropOff);
    assert_eq!(claims.parcels.len(), 1);
    assert_eq!(claims.parcels[0].as_str(), PARCEL);
}

#[test]
fn without_a_printer_nothing_prints_and_nothing_is_said() {
    let Printing { mut c, paper, .. } = printing_counter_with(&test_config_text(), false);
    drop_off(&mut c);
    assert!(paper.slips().is_empty());
    let screen = c.screen(80, 24);
    assert!(screen.contains("Recorded"), "{screen}");
    assert!(!screen.contains("print"), "{screen}");
    // Asked for a reprint, the counter says there is no printer, and logs nothing.
    c.key(KeyCode::Esc);
    c.type_text("e");
    c.type_text("p");
    assert!(c.text_on_screen().contains("No printer is set up"));
    assert!(!kinds(&c).contains(&EventKind::SlipReprinted));
}

#[test]
fn a_failed_print_keeps_the_record_says_why_and_f9_prints_it_once_the_printer_is_back() {
    let Printing {
        mut c,
        paper,
        broken,
    } = printing_counter();
    broken.store(true, Ordering::SeqCst);
    drop_off(&mut c);
    assert!(kinds(&c).contains(&EventKind::CustomerDropOff), "recorded");
    assert!(paper.slips().is_empty());
    let screen = c.screen(80, 24);
    // The message wraps at 80 columns; read it as one text.
    let said = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        said.contains(
            "✖ Not printed (tcp 192.0.2.7:9100: did not answer in 5 s). \
             The record stands. F9 prints it again."
        ),
        "{screen}"
    );
    c.snapshot("print_failed_after_drop_off");
    broken.store(false, Ordering::SeqCst);
    c.key(KeyCode::F(9));
    let slips = paper.slips();
    assert_eq!(slips.len(), 1);
    assert_eq!(slips[0].kind, SlipKind::Receipt);
    assert!(!slips[0].reprint, "the first copy to reach paper");
    assert!(!kinds(&c).contains(&EventKind::SlipReprinted));
    // Nothing left to print again: F9 does nothing more.
    c.key(KeyCode::F(9));
    assert_eq!(paper.slips().len(), 1);
}

fn report_figures(c: &Counter) -> String {
    let day = c.app.kiosk.config.calendar.local_date(c.clock.now());
    let report =
        handoff_kiosk::report::report_from(&c.app.kiosk.store, &c.app.kiosk.config, day).unwrap();
    format!(
        "{} {:?} {:?} {:?} {:?} {} {:?}",
        report.opening,
        report.received,
        report.handed_over,
        report.exceptions,
        report.per_staff,
        report.closing,
        report.by_carrier
    )
}

#[test]
fn a_reprint_from_the_ledger_view_is_marked_logged_and_counted_as_no_handoff() {
    let Printing { mut c, paper, .. } = printing_counter();
    drop_off(&mut c);
    let seq = seq_of(&c, EventKind::CustomerDropOff);
    let figures = report_figures(&c);
    let on_hand = c.app.kiosk.store.on_hand().unwrap();
    c.key(KeyCode::Esc);
    c.type_text("e");
    // The newest events are listed last; choose the drop-off.
    let Screen::Ledger(view) = &mut c.app.screen else {
        panic!("the ledger view")
    };
    let index = view
        .visible()
        .iter()
        .position(|(event, _)| event.seq == seq)
        .unwrap();
    view.selected = index;
    c.type_text("p");
    let slips = paper.slips();
    assert_eq!(slips.len(), 2);
    let reprint = &slips[1];
    assert!(reprint.reprint, "marked REPRINT");
    assert!(
        holds(reprint, &format!("record #{seq}")),
        "{:?}",
        texts(reprint)
    );
    assert!(holds(reprint, PARCEL) && holds(reprint, SECOND));
    assert_eq!(qr_of(reprint), qr_of(&slips[0]), "the same signed token");
    assert!(
        c.text_on_screen()
            .contains(&format!("receipt of record #{seq} again")),
        "{}",
        c.text_on_screen()
    );
    let logged = c.app.kiosk.store.head().unwrap().0;
    let event = c.app.kiosk.store.event(logged).unwrap().unwrap();
    assert_eq!(event.body.kind, EventKind::SlipReprinted);
    assert!(event.body.items.is_empty(), "names no parcel");
    assert!(
        event
            .body
            .facts
            .contains(&("reprints_seq".to_owned(), seq.to_string()))
    );
    assert!(event.body.staff_id.is_some(), "under the signed-in clerk");
    // Not a handoff anywhere: the books, the shelf and the chain check agree.
    assert_eq!(report_figures(&c), figures);
    assert_eq!(c.app.kiosk.store.on_hand().unwrap(), on_hand);
    let report = c
        .app
        .kiosk
        .store
        .verify(
            c.app.kiosk.config.store.id.as_str(),
            &c.app.kiosk.key.public(),
            handoff_kiosk::store::FileCheck::Full,
        )
        .unwrap();
    assert!(report.chain_fault.is_none());
    assert!(
        report.derived_problems.is_empty(),
        "{:?}",
        report.derived_problems
    );
    // The day exports with the reprint on it, and the export verifies offline.
    use handoff_kiosk::export::{ExportFormat, export_days, read_export_folder};
    let day = c.app.kiosk.config.calendar.local_date(c.clock.now());
    let out = c.dir.path().join("exports");
    let formats = [ExportFormat::Csv, ExportFormat::Json, ExportFormat::Ndjson];
    let exported = export_days(
        &c.app.kiosk,
        day,
        day,
        &formats,
        &out,
        c.clock.now(),
        &mut |_, _| {},
    )
    .unwrap();
    let (manifest, files) = read_export_folder(&exported.folder).unwrap();
    let summary = handoff_kiosk::domain::export_verify::verify_export(
        &manifest,
        &files,
        &c.app.kiosk.key.public(),
    )
    .unwrap();
    assert_eq!(summary.event_count, logged);
}

fn deliver(c: &mut Counter, ids: &[&str]) {
    c.type_text("d");
    c.key(KeyCode::Enter); // the driver has scanned the QR
    for id in ids {
        c.scan(id);
    }
    c.key(KeyCode::Enter);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
}

#[test]
fn an_unannounced_parcel_prints_a_notice_with_its_code_and_a_reprint_never_shows_the_code() {
    let Printing { mut c, paper, .. } = printing_counter();
    c.announce_csv(
        "tracking_id,recipient_name,pickup_code\n1Z999AA10123456784,Dana Reyes,482913\n",
    );
    deliver(&mut c, &[PARCEL, SECOND]);
    let slips = paper.slips();
    assert_eq!(slips.len(), 1, "a notice for the unannounced parcel only");
    let notice = &slips[0];
    assert_eq!(notice.kind, SlipKind::PickupNotice);
    let screen = c.text_on_screen();
    let code = screen
        .lines()
        .find(|line| line.contains(SECOND))
        .and_then(|line| line.split("code ").nth(1))
        .map(|rest| rest.chars().take(6).collect::<String>())
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(
        holds(notice, &code),
        "the code shown once: {:?}",
        texts(notice)
    );
    assert!(holds(notice, UNANNOUNCED_RECIPIENT));
    assert!(holds(notice, "834440"), "the id's last six");
    assert!(holds(notice, "Held until"));
    assert!(holds(notice, "Mon 09:00"), "the store's hours");
    // From the parcel's history, P prints its notice again: marked, without the code.
    c.key(KeyCode::Esc);
    c.type_text("f");
    c.scan_only(SECOND);
    c.type_text("p");
    let slips = paper.slips();
    assert_eq!(slips.len(), 2);
    let again = &slips[1];
    assert_eq!(again.kind, SlipKind::PickupNotice);
    assert!(again.reprint);
    assert!(!holds(again, &code));
    assert!(holds(again, "code not reprinted: ask at the counter"));
    assert!(kinds(&c).contains(&EventKind::SlipReprinted));
    // From the ledger view a delivery prints no pile of notices: it says where to go.
    c.key(KeyCode::Esc);
    c.key(KeyCode::Esc);
    c.key(KeyCode::Esc);
    c.type_text("e");
    let delivery = seq_of(&c, EventKind::DriverDelivery);
    let Screen::Ledger(view) = &mut c.app.screen else {
        panic!("the ledger view")
    };
    view.selected = view
        .visible()
        .iter()
        .position(|(event, _)| event.seq == delivery)
        .unwrap();
    let reprints = kinds(&c).len();
    c.type_text("p");
    assert_eq!(paper.slips().len(), 2);
    assert_eq!(kinds(&c).len(), reprints, "nothing printed, nothing logged");
    assert!(
        c.text_on_screen()
            .contains("one at a time: F, the parcel, Enter, then P.")
    );
}

fn rural_config() -> String {
    test_config_text()
        .replace(
            "capabilities = [\"PICK_UP\", \"DROP_OFF\"]",
            "capabilities = [\"PICK_UP\", \"DROP_OFF\", \"LOCAL_DELIVERY\"]",
        )
        .replace("service_area = []", "service_area = [\"85004\", \"85003\"]")
}

#[test]
fn announced_addresses_reach_the_run_sheet_and_an_old_announcement_still_imports() {
    let Printing { mut c, paper, .. } = printing_counter_with(&rural_config(), true);
    // Old columns only: imports as before, and its stop says to read the label.
    c.announce_csv(
        "tracking_id,recipient_name,pickup_code,postal_code\nLOC0002,Kim Ortiz,482914,85003\n",
    );
    c.announce_csv(
        "tracking_id,recipient_name,pickup_code,postal_code,street,city\n\
         LOC0001,Lee Park,482913,85004,\"14 Mill Rd, Unit 2\",Phoenix\n",
    );
    deliver(&mut c, &["LOC0001", "LOC0002"]);
    c.key(KeyCode::Enter);
    c.type_text("v");
    c.scan("LOC0001");
    c.scan("LOC0002");
    c.key(KeyCode::Enter);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    assert!(kinds(&c).contains(&EventKind::LocalDeliveryOut));
    let sheet = paper
        .slips()
        .into_iter()
        .find(|slip| slip.kind == SlipKind::RunSheet)
        .expect("a run sheet");
    for wanted in [
        "2 stops",
        "Stop 1: 1 parcel",
        "Lee Park",
        "14 Mill Rd, Unit 2",
        "Phoenix 85004",
        "Kim Ortiz",
        "85003 (address not announced: see the parcel label)",
        "LOC0001",
        "LOC0002",
    ] {
        assert!(holds(&sheet, wanted), "{wanted:?}: {:?}", texts(&sheet));
    }
    let write_ins = sheet
        .blocks
        .iter()
        .filter(|block| matches!(block, Block::WriteIn(_)))
        .count();
    assert_eq!(write_ins, 2);
}

#[test]
fn the_desk_prints_the_days_report_on_request() {
    let Printing { mut c, paper, .. } = printing_counter();
    drop_off(&mut c);
    c.key(KeyCode::Esc);
    c.type_text("m");
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.type_text("6"); // the end-of-day report
    assert!(c.screen(80, 24).contains("P print"), "{}", c.screen(80, 24));
    c.type_text("p");
    let slips = paper.slips();
    let report = slips.last().unwrap();
    assert_eq!(report.kind, SlipKind::DayReport);
    assert!(holds(report, "END-OF-DAY REPORT"));
    assert!(holds(report, "Tue 2026-11-24"));
}

// ---------------------------------------------------------------------------------------------
// Languages on paper: a slip of a handoff is in the customer's language (F12) at the moment it
// is recorded; a reprint or the day report is in the clerk's, or the customer's when F12 was
// pressed on that screen. The screen stays the clerk's, and the record holds no translation.

/// The ledger view with the event `seq` chosen.
fn choose_in_ledger(c: &mut Counter, seq: u64) {
    c.type_text("e");
    let Screen::Ledger(view) = &mut c.app.screen else {
        panic!("the ledger view")
    };
    view.selected = view
        .visible()
        .iter()
        .position(|(event, _)| event.seq == seq)
        .unwrap();
}

/// The drop-off of `drop_off`, with F12 pressed first in the flow: the customer reads Spanish.
fn drop_off_for_a_spanish_customer(c: &mut Counter) {
    c.type_text("o");
    c.key(KeyCode::F(12));
    assert!(
        c.text_on_screen()
            .contains("Customer's language: Español. F12 switches it back."),
        "said to the clerk in the clerk's language: {}",
        c.text_on_screen()
    );
    c.scan_only("Jordan Smith");
    c.scan_only(PARCEL);
    c.scan_only(SECOND);
    c.key(KeyCode::F(2)); // refused: damaged
    c.key(KeyCode::Enter);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
}

#[test]
fn f12_prints_a_spanish_receipt_while_the_clerks_words_stay_english_and_a_reprint_follows_the_clerk()
 {
    let Printing { mut c, paper, .. } = printing_counter();
    drop_off_for_a_spanish_customer(&mut c);
    let seq = seq_of(&c, EventKind::CustomerDropOff);
    let slips = paper.slips();
    assert_eq!(slips.len(), 1);
    let receipt = &slips[0];
    assert_eq!(receipt.lang, Lang::Es);
    for wanted in [
        "COMPROBANTE DE ENVÍO",
        "1 paquete recibido",
        "1 paquete rechazado",
        "dañado",
        "Le atendió",
        PARCEL,
        SECOND,
        "Guarde este comprobante",
    ] {
        assert!(holds(receipt, wanted), "{wanted:?}: {:?}", texts(receipt));
    }
    assert!(!holds(receipt, "damaged") && !holds(receipt, "taken in"));
    // The token is the record's, whatever the paper's language.
    let claims = verify_receipt(&qr_of(receipt), &c.app.kiosk.key.public()).unwrap();
    assert_eq!(claims.seq, seq as i64);
    // On screen, what the clerk reads stays English and what the customer reads (the title,
    // the parcels, the total) follows F12.
    let screen = c.text_on_screen();
    assert!(screen.contains("Done. Enter for home"), "{screen}");
    assert!(
        screen.contains("Registrado: 1 paquete recibido"),
        "{screen}"
    );
    assert!(!screen.contains("Recorded"), "{screen}");
    // The record holds the canonical reason, not the printed word.
    let refusal = c
        .app
        .kiosk
        .store
        .event(seq_of(&c, EventKind::DropOffRefused))
        .unwrap()
        .unwrap();
    assert_eq!(refusal.body.items[0].detail, "refused: damaged");

    // Home forgets the customer's language: a reprint from the ledger is the clerk's.
    c.key(KeyCode::Esc);
    choose_in_ledger(&mut c, seq);
    c.type_text("p");
    let reprint = paper.slips()[1].clone();
    assert!(reprint.reprint);
    assert_eq!(reprint.lang, Lang::En);
    assert!(holds(&reprint, "DROP-OFF RECEIPT") && holds(&reprint, "damaged"));
    assert_eq!(qr_of(&reprint), qr_of(receipt), "the same signed token");
    assert!(
        c.text_on_screen()
            .contains(&format!("Printing the receipt of record #{seq} again")),
        "{}",
        c.text_on_screen()
    );
    // F12 on the ledger screen: this reprint is for a Spanish-speaking customer.
    c.key(KeyCode::F(12));
    c.type_text("p");
    let again = paper.slips()[2].clone();
    assert_eq!(again.lang, Lang::Es);
    assert!(again.reprint);
    assert!(holds(
        &again,
        &format!("Copia del registro #{seq}, impresa de nuevo.")
    ));
    // Each reprint is logged under the canonical slip name.
    let logged = c.app.kiosk.store.head().unwrap().0;
    let event = c.app.kiosk.store.event(logged).unwrap().unwrap();
    assert_eq!(event.body.kind, EventKind::SlipReprinted);
    assert!(
        event
            .body
            .facts
            .iter()
            .all(|(_, value)| !value.contains("comprobante"))
    );
}

#[test]
fn a_slip_waiting_for_f9_keeps_the_language_it_was_queued_in() {
    let Printing {
        mut c,
        paper,
        broken,
    } = printing_counter();
    broken.store(true, Ordering::SeqCst);
    drop_off_for_a_spanish_customer(&mut c);
    assert!(
        c.text_on_screen().contains("Not printed"),
        "the clerk's words"
    );
    c.key(KeyCode::Esc);
    assert!(matches!(c.app.screen, Screen::Home));
    broken.store(false, Ordering::SeqCst);
    c.key(KeyCode::F(9));
    let slips = paper.slips();
    assert_eq!(slips.len(), 1);
    assert_eq!(
        slips[0].lang,
        Lang::Es,
        "queued in Spanish, printed in Spanish"
    );
    assert!(holds(&slips[0], "COMPROBANTE DE ENVÍO"));
}

#[test]
fn a_spanish_clerk_reprints_and_prints_the_day_report_frame_in_spanish() {
    let config = test_config_text().replace("language = \"en\"", "language = \"es\"");
    let Printing { mut c, paper, .. } = printing_counter_with(&config, true);
    drop_off(&mut c);
    assert_eq!(paper.slips()[0].lang, Lang::Es, "the clerk's language");
    let seq = seq_of(&c, EventKind::CustomerDropOff);
    c.key(KeyCode::Esc);
    choose_in_ledger(&mut c, seq);
    c.type_text("p");
    let reprint = paper.slips()[1].clone();
    assert_eq!(reprint.lang, Lang::Es);
    let said = c
        .text_on_screen()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        said.contains(&format!(
            "Se reimprime el comprobante del registro #{seq}, marcado REIMPRESIÓN."
        )),
        "{said}"
    );
    // The desk's report: the slip's frame in Spanish, the report's lines as it wrote them.
    c.key(KeyCode::Esc);
    c.type_text("m");
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.type_text("6");
    c.type_text("p");
    let report = paper.slips().last().unwrap().clone();
    assert_eq!(report.kind, SlipKind::DayReport);
    assert!(holds(&report, "REPORTE DE CIERRE DEL DÍA"));
    assert!(holds(&report, "mar 24/11/2026"));
}

/// A printer that takes the slip and then waits until the test lets it go, as a network
/// printer that does not answer would until its timeout.
struct StuckPrinter {
    started: mpsc::Sender<()>,
    release: Receiver<()>,
}

impl SlipPrinter for StuckPrinter {
    fn print(&mut self, _slip: &Slip) -> Result<(), PrintError> {
        let _ = self.started.send(());
        let _ = self.release.recv_timeout(Duration::from_secs(60));
        Err(PrintError {
            printer: "tcp 192.0.2.7:9100".into(),
            reason: PrintFailure::Silent { seconds: 5 },
        })
    }
}

/// A counter whose PIN checks and prints run on the real threaded worker, printing on
/// `printer`; the worker's answers arrive on the returned inbox, as the run loop gets them.
fn threaded_counter(printer: Box<dyn SlipPrinter>) -> (Counter, Receiver<Event>) {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), &test_config_text());
    let config = KioskConfig::load(&path).unwrap();
    setup::init(&config).unwrap();
    let kiosk = Kiosk::open(&config).unwrap();
    let (events, inbox) = mpsc::channel();
    let worker = Worker::spawn_with_printer(Arc::clone(&kiosk.pins), events, Some(printer));
    let clock = FixedClock::at(tuesday_morning());
    let app = App::new(kiosk, Arc::new(clock.clone()), Theme::monochrome(), worker).unwrap();
    (Counter { dir, app, clock }, inbox)
}

#[test]
fn keys_and_pin_checks_are_answered_while_the_printer_hangs() {
    let (started_tx, started) = mpsc::channel();
    let (release, release_rx) = mpsc::channel();
    let printer = StuckPrinter {
        started: started_tx,
        release: release_rx,
    };
    let (mut c, inbox) = threaded_counter(Box::new(printer));
    // Every PIN check goes to the worker's thread: wait for its answer as the run loop would.
    let pump = |c: &mut Counter| {
        while c.app.is_busy() {
            let event = inbox.recv_timeout(Duration::from_secs(60)).unwrap();
            c.app.handle(event);
        }
    };
    c.enrol_manager();
    pump(&mut c);
    c.sign_in(MANAGER_PIN);
    pump(&mut c);
    drop_off(&mut c);
    pump(&mut c);
    started
        .recv_timeout(Duration::from_secs(60))
        .expect("the receipt went to the printer");
    // The printer hangs. Keys are answered, and a PIN check (the worker's other lane) passes.
    c.key(KeyCode::Esc);
    assert!(matches!(c.app.screen, Screen::Home));
    c.type_text("l");
    c.sign_in(MANAGER_PIN);
    pump(&mut c);
    assert!(c.app.session.is_some(), "signed in while the printer hangs");
    c.type_text("f");
    c.type_text(PARCEL);
    c.app.settle();
    assert!(c.screen(80, 24).contains(PARCEL));
    // Let the printer time out: the failure arrives and is said; the record stands.
    release.send(()).unwrap();
    let result = inbox.recv_timeout(Duration::from_secs(60)).unwrap();
    assert!(matches!(result, Event::Worker(_)));
    c.app.handle(result);
    assert!(c.text_on_screen().contains("Not printed"));
    assert!(kinds(&c).contains(&EventKind::CustomerDropOff));
}

/// A printer that notes when each slip reached it.
struct TimingPrinter(mpsc::Sender<std::time::Instant>);

impl SlipPrinter for TimingPrinter {
    fn print(&mut self, _slip: &Slip) -> Result<(), PrintError> {
        let _ = self.0.send(std::time::Instant::now());
        Ok(())
    }
}

/// BENCHMARKS.md, "Confirm to printer": from the Enter that confirms a drop-off with the PIN
/// (argon2 on the worker, the commit, the slip built and signed) to the moment the printer
/// lane hands the slip to the printer. Prints the times; asserts none (a shared machine).
#[test]
fn confirm_to_printer_is_measured() {
    let (reached, reached_at) = mpsc::channel();
    let (mut c, inbox) = threaded_counter(Box::new(TimingPrinter(reached)));
    // When the PIN check's answer reached the app: the commit and the slip follow from here.
    let pump = |c: &mut Counter| -> std::time::Instant {
        let mut answered = std::time::Instant::now();
        while c.app.is_busy() {
            let event = inbox.recv_timeout(Duration::from_secs(60)).unwrap();
            answered = std::time::Instant::now();
            c.app.handle(event);
        }
        answered
    };
    c.enrol_manager();
    pump(&mut c);
    c.sign_in(MANAGER_PIN);
    pump(&mut c);
    let mut lines = Vec::new();
    for round in 0..5 {
        c.type_text("o");
        c.scan_only("Jordan Smith");
        c.scan_only(&format!("DROPOFF{round:04}"));
        c.key(KeyCode::Enter);
        c.type_text(MANAGER_PIN);
        let confirmed = std::time::Instant::now();
        c.key(KeyCode::Enter);
        let checked = pump(&mut c);
        let printer = reached_at.recv_timeout(Duration::from_secs(60)).unwrap();
        lines.push(format!(
            "confirm to printer {:?} (PIN check {:?}, then commit, slip and lane {:?})",
            printer - confirmed,
            checked - confirmed,
            printer.saturating_duration_since(checked)
        ));
        c.key(KeyCode::Enter); // home
    }
    println!("{}", lines.join("\n"));
}
