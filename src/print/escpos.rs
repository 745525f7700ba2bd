//! Laid-out rows -> the bytes of an ESC/POS receipt printer (Epson TM and compatibles): reset,
//! code page PC858, bold headings, the QR through the printer's own `GS ( k` command, then feed
//! and cut.

use super::Slip;
use super::charset::{Charset, PC858_SELECT};
use super::layout::{Row, lay_out};
use super::settings::PaperWidth;

const ESC: u8 = 0x1B;
const GS: u8 = 0x1D;
const LF: u8 = 0x0A;
/// `ESC @`: back to power-on settings, whatever a previous job left.
pub const RESET: [u8; 2] = [ESC, b'@'];
/// `GS V 1`: partial cut (the paper was fed past the cutter first).
pub const CUT: [u8; 3] = [GS, b'V', 1];
/// Lines fed before the cut, so the last line clears the cutter.
const FEED_BEFORE_CUT: u8 = 4;
/// The largest QR module the printers take; bigger only wastes paper.
const MOST_MODULE_DOTS: u32 = 8;

/// The whole job for one slip.
pub fn encode_slip(slip: &Slip, paper: PaperWidth) -> Vec<u8> {
    let rows = lay_out(slip, paper.columns(), Charset::Pc858);
    let mut out = Vec::with_capacity(64 * rows.len() + 512);
    out.extend_from_slice(&RESET);
    out.extend_from_slice(&[ESC, b't', PC858_SELECT]);
    for row in &rows {
        match row {
            Row::Line { text, bold } => {
                if *bold {
                    out.extend_from_slice(&[ESC, b'E', 1]);
                }
                out.extend_from_slice(&Charset::Pc858.encode(text));
                if *bold {
                    out.extend_from_slice(&[ESC, b'E', 0]);
                }
                out.push(LF);
            }
            Row::Qr(payload) => qr(&mut out, payload, paper),
        }
    }
    out.extend_from_slice(&[ESC, b'd', FEED_BEFORE_CUT]);
    out.extend_from_slice(&CUT);
    out
}

/// `GS ( k`, function 165-169: model 2, module size, error correction M, store, print; centred.
fn qr(out: &mut Vec<u8>, payload: &str, paper: PaperWidth) {
    let data = payload.as_bytes();
    // Stored length is 2 bytes including the 3 command bytes; QR holds at most 7089 anyway.
    let Ok(stored) = u16::try_from(data.len() + 3) else {
        return;
    };
    let module = module_dots(payload, paper);
    let [low, high] = stored.to_le_bytes();
    out.extend_from_slice(&[ESC, b'a', 1]);
    out.extend_from_slice(&[GS, b'(', b'k', 4, 0, 49, 65, 50, 0]);
    out.extend_from_slice(&[GS, b'(', b'k', 3, 0, 49, 67, module]);
    out.extend_from_slice(&[GS, b'(', b'k', 3, 0, 49, 69, 49]);
    out.extend_from_slice(&[GS, b'(', b'k', low, high, 49, 80, 48]);
    out.extend_from_slice(data);
    out.extend_from_slice(&[GS, b'(', b'k', 3, 0, 49, 81, 48]);
    out.extend_from_slice(&[ESC, b'a', 0]);
    out.push(LF);
}

/// Bytes a QR code of each version (1-40) holds in byte mode at error correction M.
const QR_BYTES_AT_M: [u16; 40] = [
    14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450, 504, 560, 624, 666,
    711, 779, 857, 911, 997, 1059, 1125, 1190, 1264, 1370, 1452, 1538, 1628, 1722, 1809, 1911,
    1989, 2099, 2213, 2331,
];

/// Dots per QR module: as large as the paper allows with the quiet zone, at most 8. The
/// printer builds the code itself; this sizes it for the largest version the payload can need
/// (byte mode), so it always fits the paper.
fn module_dots(payload: &str, paper: PaperWidth) -> u8 {
    let length = payload.len();
    let version = QR_BYTES_AT_M
        .iter()
        .position(|capacity| usize::from(*capacity) >= length)
        .map_or(40, |index| index as u32 + 1);
    let modules = 17 + 4 * version;
    let fits = paper.dots() / (modules + 8);
    u8::try_from(fits.clamp(1, MOST_MODULE_DOTS)).unwrap_or(3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::{Block, SlipKind};

    #[test]
    fn a_job_resets_selects_pc858_and_ends_with_a_cut() {
        let slip = Slip {
            kind: SlipKind::Receipt,
            reprint: false,
            lang: crate::i18n::Lang::En,
            blocks: vec![Block::Heading("Año".into()), Block::Qr("HKR1:ABC".into())],
        };
        let bytes = encode_slip(&slip, PaperWidth::Mm58);
        assert!(bytes.starts_with(&[ESC, b'@', ESC, b't', 19]));
        assert!(bytes.ends_with(&CUT));
        let bold_heading = [ESC, b'E', 1, b' ', b' '];
        assert!(bytes.windows(5).any(|w| w == bold_heading));
        assert!(bytes.windows(3).any(|w| w == [b'A', 0xA4, b'o']));
        let store = [
            GS, b'(', b'k', 11, 0, 49, 80, 48, b'H', b'K', b'R', b'1', b':',
        ];
        assert!(bytes.windows(store.len()).any(|w| w == store));
    }

    #[test]
    fn the_qr_module_fits_the_paper_for_the_version_the_payload_needs() {
        // 300 bytes need version 13 (69 modules) + a 4-module quiet zone each side.
        let token = "A".repeat(300);
        assert_eq!(module_dots(&token, PaperWidth::Mm58), 4);
        assert_eq!(module_dots(&token, PaperWidth::Mm80), 7);
        assert_eq!(module_dots("HKR1:", PaperWidth::Mm80), 8);
    }
}
