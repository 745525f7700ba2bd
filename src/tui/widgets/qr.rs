//! A QR code drawn with half-block characters: one module per column, two modules per row
//! (`▀` with the top module as foreground and the bottom one as background).
//!
//! With colours: black modules on white, whatever the terminal's theme (an inverted code does
//! not scan everywhere): palette entries 16 and 231 are pure black and pure white in the fixed
//! 256-colour cube, which themes do not repaint.
//!
//! Without colours (`NO_COLOR`, where crossterm drops every colour, or a dumb terminal) the
//! half-block trick cannot work, so the code is drawn in glyphs only: dark modules as ink
//! (`█`, `▀`, `▄`) and light ones as blank cells, with the quiet zone blank too.
//!
//! The code is never clipped: when it does not fit with at least a one-module quiet zone, the
//! widget says how large the window must be.

use qrcode::{EcLevel, QrCode};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};
use thiserror::Error;

use crate::i18n::Lang;
use crate::t;

pub const QR_DARK: Color = Color::Indexed(16);
pub const QR_LIGHT: Color = Color::Indexed(231);
/// The quiet zone the QR specification asks for.
pub const FULL_QUIET_ZONE: u16 = 4;
/// The smallest quiet zone drawn; the decode tests show what still reads at each size.
pub const MIN_QUIET_ZONE: u16 = 1;

#[derive(Debug, Error)]
#[error("the text does not fit in a QR code: {0}")]
pub struct QrEncodeError(String);

impl QrEncodeError {
    /// The error in `lang` (the QR library's own words kept as the detail).
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        t!(lang, "reason-qr-encode", detail = self.0.as_str())
    }
}

/// An encoded symbol, made once per token (not per frame).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrSymbol {
    width: u16,
    dark: Vec<bool>,
    version: i16,
}

impl QrSymbol {
    /// Error correction M (15% of the symbol may be unreadable): a phone camera aimed at a
    /// monitor loses modules to glare and moiré.
    pub fn encode(text: &str) -> Result<Self, QrEncodeError> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
            .map_err(|e| QrEncodeError(e.to_string()))?;
        let version = match code.version() {
            qrcode::Version::Normal(number) | qrcode::Version::Micro(number) => number,
        };
        Ok(Self {
            width: u16::try_from(code.width()).map_err(|e| QrEncodeError(e.to_string()))?,
            dark: code
                .to_colors()
                .into_iter()
                .map(|color| color == qrcode::Color::Dark)
                .collect(),
            version,
        })
    }

    /// Modules per side.
    pub fn width(&self) -> u16 {
        self.width
    }

    pub fn version(&self) -> i16 {
        self.version
    }

    fn is_dark(&self, x: i32, y: i32) -> bool {
        let size = i32::from(self.width);
        if x < 0 || y < 0 || x >= size || y >= size {
            return false;
        }
        self.dark
            .get((y * size + x) as usize)
            .copied()
            .unwrap_or(false)
    }

    /// Terminal cells (columns, rows) the code takes with a quiet zone of `quiet` modules.
    pub fn cells_needed(&self, quiet: u16) -> (u16, u16) {
        let modules = self.width + 2 * quiet;
        (modules, modules.div_ceil(2))
    }

    /// The largest quiet zone (up to `max_quiet`) that fits in `area`, if any does.
    pub fn fit(&self, area: Rect, max_quiet: u16) -> Option<u16> {
        (MIN_QUIET_ZONE..=max_quiet).rev().find(|quiet| {
            let (columns, rows) = self.cells_needed(*quiet);
            columns <= area.width && rows <= area.height
        })
    }
}

/// Draws a [`QrSymbol`] centred in its area.
pub struct QrWidget<'a> {
    symbol: &'a QrSymbol,
    max_quiet: u16,
    glyphs_only: bool,
    /// The language of the caption shown when the window is too small for the code.
    lang: Lang,
}

impl<'a> QrWidget<'a> {
    pub fn new(symbol: &'a QrSymbol) -> Self {
        Self {
            symbol,
            max_quiet: FULL_QUIET_ZONE,
            glyphs_only: false,
            lang: Lang::default(),
        }
    }

    /// Draws dark modules as ink glyphs with no colour at all (for terminals without colour).
    pub fn glyphs_only(mut self, glyphs_only: bool) -> Self {
        self.glyphs_only = glyphs_only;
        self
    }

    /// Says "enlarge the window" in `lang` (the clerk's: the clerk resizes it).
    pub fn lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }

    /// Caps the quiet zone (tests use it to try each size).
    pub fn max_quiet_zone(mut self, modules: u16) -> Self {
        self.max_quiet = modules.max(MIN_QUIET_ZONE);
        self
    }
}

impl Widget for QrWidget<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Some(quiet) = self.symbol.fit(area, self.max_quiet) else {
            let (columns, rows) = self.symbol.cells_needed(MIN_QUIET_ZONE);
            let message = vec![
                Line::from(t!(self.lang, "handshake-enlarge")),
                Line::from(t!(
                    self.lang,
                    "handshake-enlarge-sizes",
                    needed = format!("{columns}x{rows}"),
                    here = format!("{}x{}", area.width, area.height)
                )),
            ];
            Paragraph::new(message)
                .wrap(Wrap { trim: true })
                .render(area, buf);
            return;
        };
        let (columns, rows) = self.symbol.cells_needed(quiet);
        let left = area.x + (area.width - columns) / 2;
        let top = area.y + (area.height - rows) / 2;
        let quiet = i32::from(quiet);
        let style = |dark: bool| if dark { QR_DARK } else { QR_LIGHT };
        for row in 0..rows {
            for column in 0..columns {
                let x = i32::from(column) - quiet;
                let y = i32::from(row) * 2 - quiet;
                let upper = self.symbol.is_dark(x, y);
                let lower = self.symbol.is_dark(x, y + 1);
                let Some(cell) = buf.cell_mut((left + column, top + row)) else {
                    continue;
                };
                if self.glyphs_only {
                    let glyph = match (upper, lower) {
                        (true, true) => '█',
                        (true, false) => '▀',
                        (false, true) => '▄',
                        (false, false) => ' ',
                    };
                    cell.set_char(glyph).set_style(Style::reset());
                } else {
                    cell.set_char('▀')
                        .set_style(Style::new().fg(style(upper)).bg(style(lower)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_text_too_long_for_a_qr_code_is_said_in_the_clerks_language() {
        let Err(error) = QrSymbol::encode(&"A".repeat(10_000)) else {
            panic!("10,000 characters do not fit in a QR code")
        };
        assert_eq!(error.text(Lang::En), error.to_string());
        assert!(
            error
                .text(Lang::Es)
                .starts_with("el texto no cabe en un código QR: "),
            "{}",
            error.text(Lang::Es)
        );
    }
}
