//! Slips as PDF files, for a store without a receipt printer: one page the width of the roll,
//! monospace text (the PDF standard Courier, so no font is embedded), the QR as filled squares.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use qrcode::{Color, EcLevel, QrCode};

use super::charset::Charset;
use super::layout::{Row, lay_out};
use super::settings::PaperWidth;
use super::{PrintError, PrintFailure, PrinterName, Slip, SlipKind, SlipPrinter};
use crate::domain::clock::Clock;

/// Points per millimetre.
const PT_PER_MM: f64 = 72.0 / 25.4;
/// Courier's advance is 0.6 of its size: 7 pt gives 32 columns on 58 mm and 48 on 80 mm,
/// with a margin.
const FONT_SIZE: f64 = 7.0;
const LEADING: f64 = 8.5;
const MARGIN_Y: f64 = 14.0;
const MOST_MODULE_PT: f64 = 2.5;

/// The PDF file of one slip.
pub fn render(slip: &Slip, paper: PaperWidth) -> Vec<u8> {
    let columns = paper.columns();
    let rows = lay_out(slip, columns, Charset::WinAnsi);
    let page_width = f64::from(paper.mm()) * PT_PER_MM;
    let text_width = columns as f64 * 0.6 * FONT_SIZE;
    let margin_x = (page_width - text_width) / 2.0;
    let qr_codes: Vec<Option<QrCode>> = rows
        .iter()
        .map(|row| match row {
            Row::Qr(payload) => {
                QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M).ok()
            }
            Row::Line { .. } => None,
        })
        .collect();
    let module = |code: &QrCode| (text_width / (code.width() as f64 + 8.0)).min(MOST_MODULE_PT);
    let body_height: f64 = rows
        .iter()
        .zip(&qr_codes)
        .map(|(row, code)| match (row, code) {
            (Row::Qr(_), Some(code)) => (code.width() as f64 + 8.0) * module(code),
            _ => LEADING,
        })
        .sum();
    let page_height = (body_height + 2.0 * MARGIN_Y).max(72.0);

    let mut content = String::new();
    let mut top = page_height - MARGIN_Y;
    for (row, code) in rows.iter().zip(&qr_codes) {
        match (row, code) {
            (Row::Line { text, bold }, _) => {
                top -= LEADING;
                let font = if *bold { "F2" } else { "F1" };
                let _ = writeln!(
                    content,
                    "BT /{font} {FONT_SIZE} Tf {margin_x:.2} {:.2} Td ({}) Tj ET",
                    top + 2.0,
                    pdf_string(&Charset::WinAnsi.encode(text))
                );
            }
            (Row::Qr(_), Some(code)) => {
                let size = module(code);
                let side = code.width() as f64 * size;
                let left = (page_width - side) / 2.0;
                let quiet = 4.0 * size;
                top -= quiet;
                content.push_str("0 g\n");
                for (index, colour) in code.to_colors().iter().enumerate() {
                    if *colour == Color::Dark {
                        let (x, y) = (index % code.width(), index / code.width());
                        let _ = writeln!(
                            content,
                            "{:.2} {:.2} {size:.2} {size:.2} re",
                            left + x as f64 * size,
                            top - (y + 1) as f64 * size
                        );
                    }
                }
                content.push_str("f\n");
                top -= side + quiet;
            }
            // Too long for any QR code (never for a receipt token): the space stays empty.
            (Row::Qr(_), None) => top -= LEADING,
        }
    }
    document(page_width, page_height, content.as_bytes())
}

/// A PDF string literal body: `( ) \` escaped, anything outside printable ASCII in octal.
fn pdf_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for byte in bytes {
        match byte {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(char::from(*byte));
            }
            0x20..=0x7E => out.push(char::from(*byte)),
            _ => {
                let _ = write!(out, "\\{byte:03o}");
            }
        }
    }
    out
}

/// The six objects of a one-page PDF, with the cross-reference table at the offsets written.
fn document(width: f64, height: f64, content: &[u8]) -> Vec<u8> {
    let font = |name: &str| {
        format!("<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>")
    };
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:.2} {height:.2}] \
             /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>"
        )
        .into_bytes(),
        {
            let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
            stream.extend_from_slice(content);
            stream.extend_from_slice(b"\nendstream");
            stream
        },
        font("Courier").into_bytes(),
        font("Courier-Bold").into_bytes(),
    ];
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (index, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", index + 1).as_bytes());
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(table.as_bytes());
    out
}

/// Writes each slip as its own file in a folder, named so the folder sorts by time:
/// `20261124-170512.345Z-receipt.pdf` (UTC, so a clock change never reorders them).
pub struct PdfPrinter {
    folder: PathBuf,
    paper: PaperWidth,
    clock: Arc<dyn Clock>,
}

impl PdfPrinter {
    pub fn new(folder: PathBuf, paper: PaperWidth, clock: Arc<dyn Clock>) -> Self {
        Self {
            folder,
            paper,
            clock,
        }
    }

    fn failed(&self, reason: PrintFailure) -> PrintError {
        PrintError {
            printer: PrinterName::PdfFolder(self.folder.clone()),
            reason,
        }
    }
}

fn kind_slug(kind: SlipKind) -> &'static str {
    match kind {
        SlipKind::Receipt => "receipt",
        SlipKind::PickupNotice => "pickup-notice",
        SlipKind::DriverManifest => "driver-manifest",
        SlipKind::RunSheet => "run-sheet",
        SlipKind::DayReport => "day-report",
    }
}

impl SlipPrinter for PdfPrinter {
    fn print(&mut self, slip: &Slip) -> Result<(), PrintError> {
        let bytes = render(slip, self.paper);
        std::fs::create_dir_all(&self.folder).map_err(|e| {
            self.failed(PrintFailure::NoFolder {
                detail: e.to_string(),
            })
        })?;
        let stamp = self.clock.now().format("%Y%m%d-%H%M%S%.3fZ");
        let reprint = if slip.reprint { "-reprint" } else { "" };
        let base = format!("{stamp}-{}{reprint}", kind_slug(slip.kind));
        let target = (1..1000)
            .map(|n| match n {
                1 => self.folder.join(format!("{base}.pdf")),
                n => self.folder.join(format!("{base}-{n}.pdf")),
            })
            .find(|path| !path.exists())
            .ok_or_else(|| self.failed(PrintFailure::NoFreeName { base: base.clone() }))?;
        write_durably(&self.folder, &target, &bytes).map_err(|e| {
            self.failed(PrintFailure::NotWritten {
                path: target.clone(),
                detail: e.to_string(),
            })
        })
    }
}

/// Temp name, fsync, rename, fsync the folder: a crash leaves the whole file or none.
fn write_durably(folder: &Path, target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = folder.join(format!(".{name}.part"));
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&temporary, target)?;
    std::fs::File::open(folder)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_what_a_pdf_string_cannot_hold() {
        assert_eq!(pdf_string(b"a(b)\\c"), "a\\(b\\)\\\\c");
        assert_eq!(pdf_string(&[0xF1, b'x']), "\\361x");
    }
}
