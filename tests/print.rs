//! Printing, end to end at the printer's side: the bytes a loopback test printer receives for
//! each kind of slip, the receipt's QR read back out of the stream and verified, Spanish
//! letters on paper, dead printers failing in words within their timeout, `lp`, device files
//! and PDF files read back by an independent parser.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use common::printer::{Behaviour, TestPrinter, closed_port, read_paper};
use handoff_kiosk::domain::clock::FixedClock;
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::ids::{StoreId, TrackingId};
use handoff_kiosk::domain::receipt::{ReceiptClaims, sign_receipt, verify_receipt};
use handoff_kiosk::domain::signing::StoreKey;
use handoff_kiosk::i18n::Lang;
use handoff_kiosk::print::{
    Block, EscPosPrinter, PaperWidth, PdfPrinter, PrinterConfig, PrinterConnection, PrinterOutput,
    Slip, SlipKind, SlipPrinter, connect, encode_slip,
};

const USPS_IMPB: &str = "9400111899223100000000000000000000";
const SPANISH: &str = "¿Dónde está el señor Muñoz? ¡Añadió un paquete!";

fn pair(label: &str, value: &str) -> Block {
    Block::Pair {
        label: label.into(),
        value: value.into(),
    }
}

/// A slip of each kind, with what makes layout hard: a code wider than 58 mm paper, long
/// words and names, Spanish letters, a QR.
fn slips(qr: &str) -> Vec<Slip> {
    let head = |title: &str| {
        vec![
            Block::Heading("Riverside Market".into()),
            Block::Text("12 Long Harbour Road, Riverside, RV1 2AB".into()),
            Block::Heading(title.into()),
            Block::Rule,
        ]
    };
    let mut receipt = head("Drop-off receipt");
    receipt.extend([
        pair("Time", "Mon 24 Nov 2026 17:05"),
        Block::Code(USPS_IMPB.into()),
        pair("Carrier", "USPS"),
        Block::Code("1Z999AA10123456784".into()),
        pair("Carrier", "UPS"),
        Block::Text("Refused: JD000000000000000001, the box is torn open and wet".into()),
        pair("Received by", "María José"),
        Block::Text(SPANISH.into()),
        Block::Qr(qr.into()),
    ]);
    let mut notice = head("Your parcel is here");
    notice.extend([
        pair("For", "Ana Sofía Fernández de la Peña Villanueva"),
        pair("Tracking (last 6)", "456784"),
        Block::Code("PICKUP 4815-1623".into()),
        pair("Keep until", "Tue 9 Dec 2026"),
        Block::Text("Mon-Fri 08:00-12:30, 14:00-19:00. Sat 09:00-13:00.".into()),
    ]);
    let mut manifest = head("Driver manifest");
    manifest.extend([
        pair("Carrier", "DPD"),
        pair("Driver badge", "DPD-77812"),
        pair("Parcels", "2"),
        Block::Code("01234567890123".into()),
        Block::Code(USPS_IMPB.into()),
        pair("Token", "a1b2c3d4e5f60718"),
        pair("Fallback code", "482913"),
    ]);
    let mut run = head("Local delivery run");
    run.extend([
        Block::Heading("Stop 1".into()),
        Block::Text("Ana Sofía Fernández, Calle de la Constitución 1234, 2º izquierda".into()),
        Block::Code("1Z999AA10123456784".into()),
        Block::WriteIn("Outcome".into()),
        Block::WriteIn("Signature of the person who took the parcel".into()),
        Block::Blank,
    ]);
    let mut day = head("End of day 24 Nov 2026");
    day.extend([
        pair("Received from drivers", "41"),
        pair("Collected by customers", "37"),
        pair("Still on the shelves, past their keep-until date", "3"),
    ]);
    [
        (SlipKind::Receipt, receipt),
        (SlipKind::PickupNotice, notice),
        (SlipKind::DriverManifest, manifest),
        (SlipKind::RunSheet, run),
        (SlipKind::DayReport, day),
    ]
    .into_iter()
    .map(|(kind, blocks)| Slip {
        kind,
        reprint: false,
        lang: Lang::En,
        blocks,
    })
    .collect()
}

fn receipt_token(key: &StoreKey) -> String {
    let claims = ReceiptClaims {
        store_id: StoreId::parse("RVM-0045").unwrap(),
        seq: 812,
        event_hash: [0xAB; 32],
        kind: EventKind::CustomerDropOff,
        recorded_at: DateTime::from_timestamp(1_795_539_900, 0).unwrap(),
        parcels: [USPS_IMPB, "1Z999AA10123456784"]
            .into_iter()
            .map(|id| TrackingId::parse(id).unwrap())
            .collect(),
    };
    sign_receipt(key, &claims)
}

fn printer_at(connection: PrinterConnection, paper: PaperWidth, seconds: u64) -> EscPosPrinter {
    EscPosPrinter::new(connection, paper, Duration::from_secs(seconds))
}

#[test]
fn every_slip_reaches_the_printer_reset_cut_and_within_the_paper() {
    let key = StoreKey::generate().unwrap();
    let token = receipt_token(&key);
    for paper in [PaperWidth::Mm58, PaperWidth::Mm80] {
        let test_printer = TestPrinter::start(Behaviour::Prints);
        let mut printer = printer_at(test_printer.connection(), paper, 5);
        let slips = slips(&token);
        for slip in &slips {
            printer.print(slip).unwrap();
        }
        let jobs = test_printer.jobs(slips.len(), Duration::from_secs(5));
        assert_eq!(jobs.len(), slips.len(), "one job a slip");
        for (job, slip) in jobs.iter().zip(&slips) {
            let printed = read_paper(&job.bytes).unwrap();
            assert!(printed.starts_with_reset, "{:?}: no ESC @ first", slip.kind);
            assert!(printed.ends_with_cut, "{:?}: no cut last", slip.kind);
            for line in &printed.lines {
                assert!(
                    line.chars().count() <= paper.columns(),
                    "{:?} at {} columns: {line:?}",
                    slip.kind,
                    paper.columns()
                );
            }
            assert!(
                printed
                    .bold_lines
                    .iter()
                    .any(|l| l.trim() == "Riverside Market"),
                "the heading is bold: {:?}",
                printed.bold_lines
            );
        }
        // The IMpb id is split into groups only on the narrow roll, and no digit is lost.
        let receipt = read_paper(&jobs[0].bytes).unwrap();
        let whole = receipt.lines.iter().any(|line| line == USPS_IMPB);
        assert_eq!(whole, paper == PaperWidth::Mm80, "{:?}", receipt.lines);
        let digits: String = receipt
            .lines
            .iter()
            .filter(|line| line.starts_with("9400") || line.starts_with("0000"))
            .flat_map(|line| line.chars().filter(char::is_ascii_digit))
            .collect();
        assert_eq!(digits, USPS_IMPB);
    }
}

#[test]
fn the_receipt_qr_holds_the_exact_token_and_it_verifies() {
    let key = StoreKey::generate().unwrap();
    let token = receipt_token(&key);
    let slip = slips(&token).remove(0);
    let printed = read_paper(&encode_slip(&slip, PaperWidth::Mm58)).unwrap();
    assert_eq!(printed.qr_payloads.len(), 1);
    let payload = String::from_utf8(printed.qr_payloads[0].clone()).unwrap();
    assert_eq!(payload, token);
    let claims = verify_receipt(&payload, &key.public()).unwrap();
    assert_eq!(claims.seq, 812);
    assert_eq!(claims.parcels[0].as_str(), USPS_IMPB);
}

#[test]
fn spanish_letters_print_in_code_page_pc858() {
    let slip = Slip {
        kind: SlipKind::Receipt,
        reprint: false,
        lang: Lang::Es,
        blocks: vec![
            Block::Text(SPANISH.into()),
            Block::Text("Łódź €5".into()),
            Block::Text("á é í ó ú ñ ü Á É Í Ó Ú Ñ Ü ¿ ¡".into()),
        ],
    };
    let printed = read_paper(&encode_slip(&slip, PaperWidth::Mm80)).unwrap();
    assert_eq!(printed.code_page, Some(19), "ESC t 19 selects PC858");
    assert_eq!(printed.lines[0], SPANISH);
    assert_eq!(printed.lines[2], "á é í ó ú ñ ü Á É Í Ó Ú Ñ Ü ¿ ¡");
    // Letters PC858 lacks become readable stand-ins, never nothing.
    assert_eq!(printed.lines[1], "Lódz €5");
}

#[test]
fn a_reprint_says_reprint_in_bold_first() {
    let mut slip = slips("HKR1:X").remove(1);
    slip.reprint = true;
    let printed = read_paper(&encode_slip(&slip, PaperWidth::Mm58)).unwrap();
    assert_eq!(printed.lines[0].trim(), "*** REPRINT ***");
    assert_eq!(printed.bold_lines[0].trim(), "*** REPRINT ***");
}

/// Generous: the point is that the print gives up, not how precisely.
const MARGIN: Duration = Duration::from_secs(4);

fn fails_within(
    printer: &mut dyn SlipPrinter,
    timeout: Duration,
    words: &str,
) -> handoff_kiosk::print::PrintError {
    let started = Instant::now();
    let error = printer.print(&slips("HKR1:X")[1]).unwrap_err();
    let took = started.elapsed();
    assert!(took < timeout + MARGIN, "took {took:?}");
    assert!(error.to_string().contains(words), "{error}");
    error
}

#[test]
fn a_closed_port_is_refused() {
    let port = closed_port();
    let connection = PrinterConnection::Tcp {
        host: "127.0.0.1".into(),
        port,
    };
    let mut printer = printer_at(connection, PaperWidth::Mm80, 2);
    let error = fails_within(&mut printer, Duration::from_secs(2), "refused");
    assert_eq!(
        error.printer.to_string(),
        format!("printer at 127.0.0.1:{port}")
    );
}

#[test]
fn a_silent_printer_did_not_answer_within_the_timeout() {
    for behaviour in [Behaviour::NeverReads, Behaviour::NeverAccepts] {
        let test_printer = TestPrinter::start(behaviour);
        let mut printer = printer_at(test_printer.connection(), PaperWidth::Mm80, 1);
        fails_within(
            &mut printer,
            Duration::from_secs(1),
            "did not answer in 1 s",
        );
    }
}

#[test]
fn a_printer_back_on_its_port_prints_again() {
    let port = closed_port();
    let connection = PrinterConnection::Tcp {
        host: "127.0.0.1".into(),
        port,
    };
    let mut printer = printer_at(connection, PaperWidth::Mm58, 2);
    assert!(printer.print(&slips("HKR1:X")[2]).is_err());
    let back = TestPrinter::start_on(port, Behaviour::Prints);
    printer.print(&slips("HKR1:X")[2]).unwrap();
    assert_eq!(back.jobs(1, Duration::from_secs(5)).len(), 1);
}

#[test]
fn a_device_file_gets_the_job_and_a_missing_one_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let device = dir.path().join("lp0");
    std::fs::write(&device, b"").unwrap();
    let slip = &slips("HKR1:X")[3];
    let mut printer = printer_at(
        PrinterConnection::Device(device.clone()),
        PaperWidth::Mm58,
        2,
    );
    printer.print(slip).unwrap();
    assert_eq!(
        std::fs::read(&device).unwrap(),
        encode_slip(slip, PaperWidth::Mm58)
    );
    let mut missing = printer_at(
        PrinterConnection::Device(dir.path().join("lp9")),
        PaperWidth::Mm58,
        2,
    );
    fails_within(&mut missing, Duration::from_secs(2), "no such device");
}

fn fake_lp(dir: &Path, name: &str, body: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[test]
fn the_lp_queue_gets_the_raw_job_and_its_complaints_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("job.bin");
    let args = dir.path().join("args.txt");
    let good = fake_lp(
        dir.path(),
        "lp-good",
        &format!("echo \"$@\" > {}\ncat > {}", args.display(), out.display()),
    );
    let queue = PrinterConnection::Queue("receipts".into());
    let slip = &slips("HKR1:X")[4];
    let mut printer = printer_at(queue.clone(), PaperWidth::Mm80, 5).with_lp_program(good.clone());
    printer.print(slip).unwrap();
    assert_eq!(
        std::fs::read_to_string(&args).unwrap().trim(),
        "-d receipts -o raw"
    );
    assert_eq!(
        std::fs::read(&out).unwrap(),
        encode_slip(slip, PaperWidth::Mm80)
    );

    let refusing = fake_lp(
        dir.path(),
        "lp-refusing",
        "cat > /dev/null\necho 'lp: The printer or class does not exist.' >&2\nexit 1",
    );
    let mut printer = printer_at(queue.clone(), PaperWidth::Mm80, 5).with_lp_program(refusing);
    let error = printer.print(slip).unwrap_err();
    assert_eq!(
        error.to_string(),
        "print queue receipts: lp failed: lp: The printer or class does not exist."
    );

    let stuck = fake_lp(dir.path(), "lp-stuck", "exec sleep 30");
    let mut printer = printer_at(queue, PaperWidth::Mm80, 1).with_lp_program(stuck);
    fails_within(
        &mut printer,
        Duration::from_secs(1),
        "lp did not finish in 1 s",
    );
}

#[test]
fn connect_builds_the_configured_printer_or_none() {
    assert!(connect(&PrinterConfig::default()).is_none());
    let test_printer = TestPrinter::start(Behaviour::Prints);
    let config = PrinterConfig {
        output: PrinterOutput::EscPos(test_printer.connection()),
        paper: PaperWidth::Mm58,
        timeout: Duration::from_secs(5),
    };
    let mut printer = connect(&config).unwrap();
    printer.print(&slips("HKR1:X")[1]).unwrap();
    let jobs = test_printer.jobs(1, Duration::from_secs(5));
    assert_eq!(
        jobs[0].bytes,
        encode_slip(&slips("HKR1:X")[1], PaperWidth::Mm58)
    );
}

/// The text a PDF page shows, as lopdf reads its content stream: every string shown with Tj,
/// decoded from WinAnsi (Latin-1 in the letters these slips use).
fn pdf_lines(path: &Path) -> Vec<String> {
    let document = lopdf::Document::load(path).unwrap();
    let pages = document.get_pages();
    assert_eq!(pages.len(), 1, "one page a slip");
    let (_, page) = pages.into_iter().next().unwrap();
    let content = document.get_and_decode_page_content(page).unwrap();
    content
        .operations
        .iter()
        .filter(|operation| operation.operator == "Tj")
        .filter_map(|operation| operation.operands.first())
        .filter_map(|operand| operand.as_str().ok())
        .map(|bytes| bytes.iter().map(|b| char::from(*b)).collect())
        .collect()
}

/// The QR a PDF page draws, decoded independently: lopdf reads the filled squares (`re`),
/// they are painted into a greyscale image with a quiet zone, and rqrr decodes it.
fn pdf_qr(path: &Path) -> Option<String> {
    let document = lopdf::Document::load(path).unwrap();
    let (_, page) = document.get_pages().into_iter().next()?;
    let content = document.get_and_decode_page_content(page).unwrap();
    let number = |object: &lopdf::Object| object.as_float().ok().map(f64::from);
    let squares: Vec<[f64; 3]> = content
        .operations
        .iter()
        .filter(|operation| operation.operator == "re")
        .filter_map(|operation| {
            let values: Vec<f64> = operation.operands.iter().filter_map(number).collect();
            (values.len() == 4).then(|| [values[0], values[1], values[2]])
        })
        .collect();
    let size = squares.first()?[2];
    let left = squares.iter().map(|s| s[0]).fold(f64::MAX, f64::min);
    let top = squares.iter().map(|s| s[1]).fold(f64::MIN, f64::max);
    let modules = squares
        .iter()
        .map(|s| ((s[0] - left) / size).round() as usize)
        .max()?
        + 1;
    let mut dark = vec![vec![false; modules]; modules];
    for [x, y, _] in &squares {
        let column = ((x - left) / size).round() as usize;
        let row = ((top - y) / size).round() as usize;
        dark[row][column] = true;
    }
    const SCALE: usize = 4;
    const QUIET: usize = 4;
    let side = (modules + 2 * QUIET) * SCALE;
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
        let (column, row) = (
            (x / SCALE).checked_sub(QUIET),
            (y / SCALE).checked_sub(QUIET),
        );
        match (column, row) {
            (Some(c), Some(r)) if c < modules && r < modules && dark[r][c] => 0,
            _ => 255,
        }
    });
    let grids = image.detect_grids();
    grids
        .first()
        .and_then(|grid| grid.decode().ok())
        .map(|(_, text)| text)
}

#[test]
fn pdf_mode_writes_one_readable_pdf_per_slip_named_in_time_order() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("slips");
    let instant: DateTime<Utc> = DateTime::from_timestamp(1_795_539_900, 123_000_000).unwrap();
    let clock = FixedClock::at(instant);
    let mut printer = PdfPrinter::new(folder.clone(), PaperWidth::Mm58, Arc::new(clock.clone()));
    let key = StoreKey::generate().unwrap();
    let token = receipt_token(&key);
    let mut slips = slips(&token);
    for slip in &slips {
        printer.print(slip).unwrap();
        clock.advance(chrono::Duration::seconds(1));
    }
    slips[0].reprint = true;
    printer.print(&slips[0]).unwrap();

    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "20261124-170500.123Z-receipt.pdf",
            "20261124-170501.123Z-pickup-notice.pdf",
            "20261124-170502.123Z-driver-manifest.pdf",
            "20261124-170503.123Z-run-sheet.pdf",
            "20261124-170504.123Z-day-report.pdf",
            "20261124-170505.123Z-receipt-reprint.pdf",
        ]
    );
    let receipt = pdf_lines(&folder.join(&names[0]));
    assert!(
        receipt.iter().any(|l| l.trim() == "Riverside Market"),
        "{receipt:?}"
    );
    assert!(
        receipt.iter().any(|l| l == "1Z999AA10123456784"),
        "{receipt:?}"
    );
    assert!(
        receipt.iter().any(|l| l.contains("¿Dónde está")),
        "{receipt:?}"
    );
    assert!(
        receipt.iter().all(|l| l.chars().count() <= 32),
        "{receipt:?}"
    );
    let decoded = pdf_qr(&folder.join(&names[0])).expect("the PDF's QR decodes");
    assert_eq!(decoded, token);
    assert!(verify_receipt(&decoded, &key.public()).is_ok());
    let reprint = pdf_lines(&folder.join(&names[5]));
    assert_eq!(reprint[0].trim(), "*** REPRINT ***");
}

/// Every one of 100 receipts printed one after another reaches the printer (no connection is
/// left waiting on the last). The times are printed for a look (`--nocapture`); the figure
/// with its budget is the benchmark suite's (`cargo bench --bench suite -- --only=print`).
#[test]
fn a_hundred_receipts_in_a_row_each_reach_the_printer() {
    let key = StoreKey::generate().unwrap();
    let slip = slips(&receipt_token(&key)).remove(0);
    let test_printer = TestPrinter::start(Behaviour::Prints);
    let mut printer = printer_at(test_printer.connection(), PaperWidth::Mm80, 5);
    let rounds = 100;
    let mut starts = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        starts.push(Instant::now());
        printer.print(&slip).unwrap();
    }
    let mut jobs = test_printer.jobs(rounds, Duration::from_secs(10));
    jobs.sort_by_key(|job| job.accepted_at);
    let mut waits: Vec<Duration> = jobs
        .iter()
        .zip(&starts)
        .map(|(job, start)| job.first_byte_at.unwrap() - *start)
        .collect();
    waits.sort();
    let at = |share: usize| waits[(waits.len() * share / 100).min(waits.len() - 1)];
    println!(
        "print() to first byte, {rounds} receipts of {} bytes: p50 {:?}, p99 {:?}, max {:?}",
        encode_slip(&slip, PaperWidth::Mm80).len(),
        at(50),
        at(99),
        waits[waits.len() - 1]
    );
    assert_eq!(waits.len(), rounds, "every receipt reached the printer");
}

// ---------------------------------------------------------------------------------------------
// Slips in Spanish, built by the kiosk's own builders and read back off the ESC/POS stream.

mod spanish {
    use super::*;
    use chrono::{NaiveDate, NaiveTime, TimeZone, Weekday};
    use handoff_kiosk::domain::calendar::OpenInterval;
    use handoff_kiosk::domain::codes::PickupCode;
    use handoff_kiosk::domain::labels::{Carrier, carrier_of};
    use handoff_kiosk::domain::report::{CarrierCount, Corrections, DayReport};
    use handoff_kiosk::slips::{
        self, ManifestFacts, NoticeFacts, ReceiptFacts, RunSheetFacts, RunStop, StoreHeader,
    };

    fn id(text: &str) -> TrackingId {
        TrackingId::parse(text).unwrap()
    }

    fn time(hour: u32, minute: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
    }

    fn store() -> StoreHeader {
        let day = |opens: NaiveTime, closes: NaiveTime| OpenInterval { opens, closes };
        StoreHeader {
            name: "Abarrotes La Güera".into(),
            address: vec![
                "Av. Benito Juárez 1820, Local 4".into(),
                "Nogales AZ 85621".into(),
            ],
            hours: vec![
                (Weekday::Mon, vec![day(time(9, 0), time(19, 0))]),
                (Weekday::Tue, vec![day(time(9, 0), time(19, 0))]),
                (Weekday::Wed, vec![day(time(9, 0), time(19, 0))]),
                (Weekday::Thu, vec![day(time(9, 0), time(19, 0))]),
                (Weekday::Fri, vec![day(time(9, 0), time(19, 0))]),
                (
                    Weekday::Sat,
                    vec![day(time(9, 0), time(12, 30)), day(time(14, 0), time(18, 0))],
                ),
                (Weekday::Sun, Vec::new()),
            ],
            time_zone: chrono_tz::America::Phoenix,
        }
    }

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 17, 5, 0).unwrap()
    }

    /// A drop-off: one parcel taken in, two refused (a reason the counter records, and one it
    /// does not know, which prints as recorded).
    fn receipt_facts() -> ReceiptFacts {
        ReceiptFacts {
            kind: EventKind::CustomerDropOff,
            seq: 812,
            event_hash: Some([0xAB; 32]),
            recorded_at: at(),
            parcels: vec![(id(USPS_IMPB), Carrier::Usps)],
            refusals: vec![
                (id("1Z999AA10123456784"), "over the weight limit".into()),
                (id("1Z879E930346834440"), "prohibited item".into()),
            ],
            clerk: "María José Núñez".into(),
        }
    }

    fn signed_token(key: &StoreKey, facts: &ReceiptFacts) -> String {
        let claims = ReceiptClaims {
            store_id: StoreId::parse("RVM-0045").unwrap(),
            seq: facts.seq as i64,
            event_hash: facts.event_hash.unwrap(),
            kind: facts.kind,
            recorded_at: facts.recorded_at,
            parcels: facts.parcels.iter().map(|(id, _)| id.clone()).collect(),
        };
        sign_receipt(key, &claims)
    }

    /// Every kind of slip in `lang`, first prints and reprints.
    fn every_slip(lang: Lang, token: &str) -> Vec<Slip> {
        let store = store();
        let notice = NoticeFacts {
            recipient: "Ana Sofía Fernández de la Peña Villanueva".into(),
            tracking_id: id("9400111899223344556677"),
            code: Some(PickupCode::parse("482913").unwrap()),
            hold_until: Some(Utc.with_ymd_and_hms(2026, 12, 2, 6, 0, 0).unwrap()),
            recorded_at: at(),
            seq: 7,
        };
        let manifest = ManifestFacts {
            seq: 12,
            carriers: vec![carrier_of(&id("1Z999AA10123456784"))],
            badge: "UPS-4471".into(),
            parcels: vec![id("1Z999AA10123456784"), id("1Z999AA10123456785")],
            token_id: None,
            fallback_code: None,
            recorded_at: at(),
        };
        let run = RunSheetFacts {
            seq: 30,
            courier: "Joaquín".into(),
            recorded_at: at(),
            stops: vec![
                RunStop {
                    recipient: "Lupita Ibáñez".into(),
                    address: vec!["14 Calle del Río".into(), "Nogales 85621".into()],
                    postal_code: "85621".into(),
                    parcels: vec![id("1Z999AA10123456786"), id("1Z999AA10123456787")],
                },
                RunStop {
                    recipient: "Kim Ortiz".into(),
                    address: Vec::new(),
                    postal_code: "85628".into(),
                    parcels: vec![id("1Z999AA10123456788")],
                },
            ],
        };
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let mut all = Vec::new();
        for reprint in [false, true] {
            all.push(slips::receipt(
                lang,
                &store,
                &receipt_facts(),
                Some(token),
                reprint,
            ));
            all.push(slips::pickup_notice(lang, &store, &notice, reprint));
            all.push(slips::driver_manifest(lang, &store, &manifest, reprint));
            all.push(slips::run_sheet(lang, &store, &run, reprint));
        }
        all.push(slips::day_report(lang, &store, &day_report(day)));
        all
    }

    /// A day with every section of the report: kinds in and out, corrections, carriers, a
    /// mismatch, staff with long names.
    fn day_report(day: NaiveDate) -> DayReport {
        DayReport {
            store_id: "NGL-0007".into(),
            store_name: "Abarrotes La Güera".into(),
            day,
            opening: 12,
            received: vec![
                (EventKind::DriverDelivery, 41),
                (EventKind::CustomerDropOff, 3),
            ],
            handed_over: vec![
                (EventKind::CustomerPickup, 37),
                (EventKind::LocalDeliveryDelivered, 2),
            ],
            exceptions: vec![(EventKind::DeliveryRefusedDamaged, 1)],
            holds_expired: 2,
            corrections: Corrections {
                receipts_undone: 1,
                handovers_undone: 1,
                others: 0,
            },
            closing: 19,
            per_staff: vec![("María José Hernández de la Fuente".into(), 60)],
            by_carrier: vec![CarrierCount {
                carrier: carrier_of(&id("1Z999AA10123456784")),
                received: 41,
                handed_over: 39,
            }],
            head_seq: 812,
            head_hash: "3f87cbcb49f13a4fcd0b5f4433bbc78ab34cefb1a079a74b1c8ab4e5f1f4c7cc".into(),
        }
    }

    /// The words a slip's text holds (ids and QR payloads aside: they are not running text).
    fn words_of(slip: &Slip) -> Vec<String> {
        slip.blocks
            .iter()
            .flat_map(|block| match block {
                Block::Heading(text) | Block::Text(text) | Block::WriteIn(text) => {
                    vec![text.clone()]
                }
                Block::Pair { label, value } => vec![label.clone(), value.clone()],
                _ => Vec::new(),
            })
            .flat_map(|text| {
                text.split_whitespace()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// What a paper says, one string, for "it says this" checks across wrapped lines.
    fn said(lines: &[String]) -> String {
        lines
            .iter()
            .flat_map(|line| line.split_whitespace())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn every_spanish_slip_fits_both_rolls_with_no_word_cut_and_every_letter_decoded() {
        let key = StoreKey::generate().unwrap();
        let token = signed_token(&key, &receipt_facts());
        for paper in [PaperWidth::Mm58, PaperWidth::Mm80] {
            for slip in every_slip(Lang::Es, &token) {
                let printed = read_paper(&encode_slip(&slip, paper)).unwrap();
                let context = format!("{:?} at {} columns", slip.kind, paper.columns());
                assert_eq!(printed.code_page, Some(19), "{context}: PC858");
                for line in &printed.lines {
                    assert!(
                        line.chars().count() <= paper.columns(),
                        "{context}: too wide: {line:?}"
                    );
                    assert!(
                        !line.contains('\u{FFFD}'),
                        "{context}: a letter not in PC858: {line:?}"
                    );
                }
                // Words are never cut: each word of the slip's text is whole on paper.
                let on_paper: Vec<&str> = printed
                    .lines
                    .iter()
                    .flat_map(|line| line.split_whitespace())
                    .collect();
                for word in words_of(&slip) {
                    assert!(
                        on_paper.contains(&word.as_str()),
                        "{context}: {word:?} cut or missing: {:#?}",
                        printed.lines
                    );
                }
                // Ids stand on lines of their own (the IMpb in groups of four on the narrow
                // roll).
                for block in &slip.blocks {
                    if let Block::Code(code) = block {
                        let alone = printed.lines.iter().any(|line| line.trim() == code);
                        let grouped: String = printed
                            .lines
                            .iter()
                            .filter(|line| {
                                line.split(' ').all(|group| {
                                    group.len() <= 4 && code.contains(group) && !group.is_empty()
                                })
                            })
                            .flat_map(|line| line.split(' '))
                            .collect();
                        assert!(
                            alone || grouped.contains(code.as_str()),
                            "{context}: {code} not on its own lines: {:#?}",
                            printed.lines
                        );
                    }
                }
                if slip.reprint {
                    assert_eq!(printed.bold_lines[0].trim(), "*** REIMPRESIÓN ***");
                }
            }
        }
    }

    #[test]
    fn spanish_slips_say_it_in_spanish_with_the_plurals_right() {
        let key = StoreKey::generate().unwrap();
        let token = signed_token(&key, &receipt_facts());
        let slips = every_slip(Lang::Es, &token);
        let paper = |index: usize| {
            let printed = read_paper(&encode_slip(&slips[index], PaperWidth::Mm58)).unwrap();
            said(&printed.lines)
        };
        let receipt = paper(0);
        for wanted in [
            "COMPROBANTE DE ENVÍO",
            "Hora 24/11/2026 10:05:00 MST",
            "Le atendió María",
            "1 paquete recibido",
            "Paquetería USPS",
            "2 paquetes rechazados",
            "Motivo excede el peso permitido",
            "Motivo artículo prohibido",
            "¿Dudas? Verifíquelo con: kiosk verify-receipt",
            "prueba que la tienda recibió su paquete.",
        ] {
            assert!(receipt.contains(wanted), "{wanted:?}: {receipt}");
        }
        assert!(
            !receipt.contains("weight"),
            "the recorded reason, translated"
        );
        let notice = paper(1);
        for wanted in [
            "¡SU PAQUETE YA LLEGÓ!",
            "Código de recogida 482913",
            "Se guarda hasta mar 01/12/2026",
            "Horario de la tienda",
            "lun 09:00-19:00",
            "sáb 09:00-12:30, 14:00-18:00",
            "dom cerrado",
            "Traiga este aviso y una identificación con foto.",
        ] {
            assert!(notice.contains(wanted), "{wanted:?}: {notice}");
        }
        let manifest = paper(2);
        for wanted in [
            "MANIFIESTO DEL REPARTIDOR",
            "Paquetes 2 paquetes",
            "Token de confirmación ninguno",
            "Firma del repartidor",
        ] {
            assert!(manifest.contains(wanted), "{wanted:?}: {manifest}");
        }
        let run = paper(3);
        for wanted in [
            "RUTA DE REPARTO LOCAL",
            "Paradas 2 paradas",
            "Paquetes 3 paquetes",
            "Parada 1: 2 paquetes",
            "Parada 2: 1 paquete",
            "85628 (dirección no anunciada: vea la etiqueta del paquete)",
            "Resultado (entregado / nadie en casa / rechazado)",
        ] {
            assert!(run.contains(wanted), "{wanted:?}: {run}");
        }
        let reprinted_notice = paper(5);
        assert!(reprinted_notice.starts_with("*** REIMPRESIÓN ***"));
        assert!(reprinted_notice.contains("Copia del registro #7, impresa de nuevo."));
        assert!(reprinted_notice.contains("el código no se reimprime"));
        assert!(!reprinted_notice.contains("482913"));
        let report = paper(8);
        for wanted in [
            "REPORTE DE CIERRE DEL DÍA",
            "Día mar 24/11/2026",
            "Paquetes al abrir 12",
            "Recibidos 44",
            "entrega del repartidor 41",
            "Entregados 39",
            "recogida del cliente 37",
            "Correcciones 2",
            "recepciones anuladas 1",
            "Paquetes al cerrar 19",
            "Cuadre: 12 + 44 - 39 - 1 + 1 = 17 NO CUADRA !",
            "! Al cerrar hay 19: revise la diferencia",
            "Por paquetería entran salen",
            "UPS 41 39",
            "Paquetes por empleado",
            "Cadena hasta el evento 812",
        ] {
            assert!(report.contains(wanted), "{wanted:?}: {report}");
        }
        for english in [
            "Received",
            "Handed over",
            "Check",
            "Closing",
            "staff",
            "MISMATCH",
        ] {
            assert!(!report.contains(english), "{english:?}: {report}");
        }
    }

    #[test]
    fn a_spanish_receipts_qr_is_the_english_ones_and_verifies() {
        let key = StoreKey::generate().unwrap();
        let token = signed_token(&key, &receipt_facts());
        let qr = |lang: Lang| {
            let slip = every_slip(lang, &token).remove(0);
            let printed = read_paper(&encode_slip(&slip, PaperWidth::Mm58)).unwrap();
            assert_eq!(printed.qr_payloads.len(), 1);
            String::from_utf8(printed.qr_payloads[0].clone()).unwrap()
        };
        let spanish = qr(Lang::Es);
        assert_eq!(spanish, qr(Lang::En), "the token holds no words");
        assert_eq!(spanish, token);
        let claims = verify_receipt(&spanish, &key.public()).unwrap();
        assert_eq!(claims.seq, 812);
        assert_eq!(claims.parcels[0].as_str(), USPS_IMPB);
    }

    #[test]
    fn a_spanish_slip_as_a_pdf_keeps_its_letters_within_the_narrow_roll() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("slips");
        let clock = FixedClock::at(at());
        let mut printer =
            PdfPrinter::new(folder.clone(), PaperWidth::Mm58, Arc::new(clock.clone()));
        let key = StoreKey::generate().unwrap();
        let token = signed_token(&key, &receipt_facts());
        let slip = every_slip(Lang::Es, &token).remove(0);
        printer.print(&slip).unwrap();
        let file = std::fs::read_dir(&folder)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let lines = pdf_lines(&file);
        assert!(lines.iter().all(|l| l.chars().count() <= 32), "{lines:?}");
        let text = said(&lines);
        assert!(text.contains("COMPROBANTE DE ENVÍO"), "{text}");
        assert!(text.contains("¿Dudas?"), "{text}");
        let decoded = pdf_qr(&file).expect("the PDF's QR decodes");
        assert!(verify_receipt(&decoded, &key.public()).is_ok());
    }
}
