//! The real binary in a pty: the driver's QR without colour, and the bell.
//!
//! The driver's QR without colour: under `NO_COLOR` crossterm drops every colour, so the
//! half-block trick would draw a solid block of `▀`. The real binary in a pty must draw it in
//! glyphs only, and a camera's view of the screen (ink dark, blank light) must decode with an
//! independent decoder into a token `kiosk verify-qr` accepts.

mod common;

use std::time::Duration;

use common::pty::PtyKiosk;
use common::*;
use handoff_kiosk::config::DEFAULT_CONFIG_TEXT;

const WAIT: Duration = Duration::from_secs(120);

/// The screen as a camera sees it: each cell is two modules tall; `█`, `▀` and `▄` are ink,
/// blank cells are paper, and any other glyph (the text beside the code) counts as ink, the
/// worst case for the decoder.
fn decode_screen(cells: &[Vec<(String, bool)>]) -> Option<String> {
    const SCALE: usize = 4;
    let rows = cells.len();
    let columns = cells.first().map_or(0, Vec::len);
    let ink = |x: usize, y: usize| -> bool {
        let glyph = cells[y / 2][x].0.as_str();
        let upper = y.is_multiple_of(2);
        match glyph {
            "" | " " => false,
            "█" => true,
            "▀" => upper,
            "▄" => !upper,
            _ => true,
        }
    };
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(columns * SCALE, rows * 2 * SCALE, |x, y| {
            if ink(x / SCALE, y / SCALE) { 0 } else { 255 }
        });
    let grids = image.detect_grids();
    grids
        .first()
        .and_then(|grid| grid.decode().ok())
        .map(|(_, text)| text)
}

fn qr_decodes_without_colour_at(size: (u16, u16)) {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), DEFAULT_CONFIG_TEXT);
    let mut kiosk = PtyKiosk::start(&config, size, &[("NO_COLOR", "1")]);
    kiosk.enrol_first_manager("480915", WAIT);
    kiosk.send("d");
    kiosk.wait_for("Driver: scan this code", WAIT);
    kiosk.wait_for("Renews before", WAIT);

    // A frame can arrive in several reads: look again until the whole code is there.
    let start = std::time::Instant::now();
    let decoded = loop {
        let cells = kiosk.cells();
        let coloured = cells.iter().flatten().filter(|(_, colour)| *colour).count();
        assert_eq!(
            coloured, 0,
            "NO_COLOR set, yet {coloured} cells carry colour"
        );
        if let Some(decoded) = decode_screen(&cells) {
            break decoded;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no QR decoded at {}x{} under NO_COLOR; the screen:\n{}",
            size.0,
            size.1,
            kiosk.contents()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let verified = kiosk_command(&config, &["verify-qr", &decoded], None);
    assert_eq!(
        verified.status.code(),
        Some(0),
        "verify-qr refused the token read off the screen: {}{}",
        text(&verified.stdout),
        text(&verified.stderr)
    );
    kiosk.stop();
}

#[test]
fn the_qr_decodes_without_colour_at_80x24() {
    qr_decodes_without_colour_at((80, 24));
}

#[test]
fn the_qr_decodes_without_colour_at_200x60() {
    qr_decodes_without_colour_at((200, 60));
}

/// The terminal bell (BEL) reaches the terminal when a label fails its check digit, and not
/// before.
#[test]
fn a_label_that_fails_its_check_digit_rings_the_terminal_bell() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), DEFAULT_CONFIG_TEXT);
    let mut kiosk = PtyKiosk::start(&config, (80, 24), &[]);
    kiosk.enrol_first_manager("480915", WAIT);
    kiosk.send("d");
    kiosk.wait_for("Driver: scan this code", WAIT);
    kiosk.send("\r");
    kiosk.wait_for("Scan:", WAIT);
    kiosk.send("1Z999AA10123456784\r");
    kiosk.wait_for("Recipient's name from the label", WAIT);
    kiosk.send("Sam Xu\r");
    kiosk.wait_for("Sam Xu", WAIT);
    assert!(
        !kiosk.raw_output().contains(&0x07),
        "no bell before anything went wrong"
    );
    kiosk.send("1Z999AA10123456785\r");
    kiosk.wait_for("✖", WAIT);
    let start = std::time::Instant::now();
    while !kiosk.raw_output().contains(&0x07) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no bell after the alert"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    kiosk.stop();
}
