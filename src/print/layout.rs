//! A [`Slip`] laid out for a paper width: finished lines (centred, right-aligned, wrapped) and
//! QR codes, the same for a receipt printer and a PDF. Words are never cut: text wraps at
//! spaces, and only a single word wider than the paper (nothing a slip should hold) is broken.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::charset::Charset;
use super::{Block, Slip};

mod words {
    /// The line a WriteIn leaves to write on.
    pub const WRITE_IN: char = '_';
    /// Between the groups of a code too wide for the paper.
    pub const GROUP: usize = 4;
}

/// One laid-out piece of a slip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A finished line, at most the paper's width; bold for headings.
    Line { text: String, bold: bool },
    /// A QR code holding exactly this text.
    Qr(String),
}

impl Row {
    fn plain(text: String) -> Self {
        Row::Line { text, bold: false }
    }
}

/// The columns a text takes on paper.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Lays a slip out at `columns`, after mapping its text to what `charset` can print (so widths
/// are measured on what will actually print). QR payloads are kept exactly as given.
pub fn lay_out(slip: &Slip, columns: usize, charset: Charset) -> Vec<Row> {
    let columns = columns.max(8);
    let mut rows = Vec::new();
    if slip.reprint {
        // The first line of a reprint, in the slip's language, so it cannot pass for a
        // second handoff.
        let mark = crate::t!(slip.lang, "slip-reprint-mark");
        for line in wrap(&charset.printable(&mark), columns) {
            rows.push(Row::Line {
                text: centred(&line, columns),
                bold: true,
            });
        }
        rows.push(Row::plain(String::new()));
    }
    for block in &slip.blocks {
        let text = |raw: &str| charset.printable(raw).into_owned();
        match block {
            Block::Heading(heading) => {
                for line in wrap(&text(heading), columns) {
                    rows.push(Row::Line {
                        text: centred(&line, columns),
                        bold: true,
                    });
                }
            }
            Block::Text(body) => {
                rows.extend(wrap(&text(body), columns).into_iter().map(Row::plain));
            }
            Block::Pair { label, value } => {
                rows.extend(pair(&text(label), &text(value), columns).map(Row::plain));
            }
            Block::Code(code) => {
                rows.extend(code_lines(&text(code), columns).into_iter().map(Row::plain));
            }
            Block::WriteIn(label) => {
                rows.extend(write_in(&text(label), columns).into_iter().map(Row::plain));
            }
            Block::Rule => rows.push(Row::plain("-".repeat(columns))),
            Block::Blank => rows.push(Row::plain(String::new())),
            Block::Qr(payload) => rows.push(Row::Qr(payload.clone())),
        }
    }
    rows
}

/// Wraps at spaces; a word wider than the line is the only thing ever broken.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        for piece in break_long_word(word, columns) {
            let needed = if line.is_empty() {
                width(&piece)
            } else {
                width(&line) + 1 + width(&piece)
            };
            if needed > columns && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&piece);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn break_long_word(word: &str, columns: usize) -> Vec<String> {
    if width(word) <= columns {
        return vec![word.to_owned()];
    }
    let mut pieces = vec![String::new()];
    let mut used = 0;
    for character in word.chars() {
        let taken = character.width().unwrap_or(0);
        if used + taken > columns {
            pieces.push(String::new());
            used = 0;
        }
        if let Some(piece) = pieces.last_mut() {
            piece.push(character);
        }
        used += taken;
    }
    pieces
}

fn centred(line: &str, columns: usize) -> String {
    let pad = columns.saturating_sub(width(line)) / 2;
    format!("{}{line}", " ".repeat(pad))
}

fn right_aligned(line: &str, columns: usize) -> String {
    let pad = columns.saturating_sub(width(line));
    format!("{}{line}", " ".repeat(pad))
}

/// Label at the left, value at the right; when they do not fit side by side, the value goes
/// on the line(s) below, right-aligned.
fn pair(label: &str, value: &str, columns: usize) -> impl Iterator<Item = String> {
    let (label_width, value_width) = (width(label), width(value));
    let lines: Vec<String> = if label_width + 1 + value_width <= columns {
        let gap = columns - label_width - value_width;
        vec![format!("{label}{}{value}", " ".repeat(gap))]
    } else {
        let mut lines = wrap(label, columns);
        lines.extend(
            wrap(value, columns)
                .iter()
                .map(|line| right_aligned(line, columns)),
        );
        lines
    };
    lines.into_iter()
}

/// A code on a line of its own; wider than the paper, it is split into groups of four that
/// wrap between groups, so each group can still be read off and keyed.
fn code_lines(code: &str, columns: usize) -> Vec<String> {
    let code = code.trim();
    if width(code) <= columns {
        return vec![code.to_owned()];
    }
    let characters: Vec<char> = code.chars().filter(|c| !c.is_whitespace()).collect();
    let grouped = characters
        .chunks(words::GROUP)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ");
    wrap(&grouped, columns)
}

/// "Outcome ______": the label and a line to the edge; a long label gets a line of its own.
fn write_in(label: &str, columns: usize) -> Vec<String> {
    let room = columns.saturating_sub(width(label) + 1);
    if room >= 8 {
        return vec![format!(
            "{label} {}",
            words::WRITE_IN.to_string().repeat(room)
        )];
    }
    let mut lines = wrap(label, columns);
    lines.push(words::WRITE_IN.to_string().repeat(columns));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::SlipKind;

    fn lines(blocks: Vec<Block>, columns: usize) -> Vec<String> {
        let slip = Slip {
            kind: SlipKind::Receipt,
            reprint: false,
            lang: crate::i18n::Lang::En,
            blocks,
        };
        lay_out(&slip, columns, Charset::Pc858)
            .into_iter()
            .filter_map(|row| match row {
                Row::Line { text, .. } => Some(text),
                Row::Qr(_) => None,
            })
            .collect()
    }

    #[test]
    fn text_wraps_at_spaces_and_never_cuts_a_word() {
        let text = "Keep this receipt: it proves the store received your parcel today.";
        let got = lines(vec![Block::Text(text.into())], 32);
        assert_eq!(
            got,
            [
                "Keep this receipt: it proves the",
                "store received your parcel",
                "today."
            ]
        );
    }

    #[test]
    fn pairs_right_align_and_headings_centre() {
        let got = lines(
            vec![
                Block::Heading("Tienda Ñandú".into()),
                Block::Pair {
                    label: "Parcels".into(),
                    value: "3".into(),
                },
                Block::Pair {
                    label: "Received by the clerk on duty".into(),
                    value: "Mon 24 Nov 2026 17:05".into(),
                },
            ],
            32,
        );
        assert_eq!(got[0], "          Tienda Ñandú");
        assert_eq!(got[1], format!("Parcels{}3", " ".repeat(24)));
        assert_eq!(got[2], "Received by the clerk on duty");
        assert_eq!(got[3], "           Mon 24 Nov 2026 17:05");
        assert!(got.iter().all(|line| width(line) <= 32));
    }

    #[test]
    fn codes_split_into_groups_only_when_wider_than_the_paper() {
        let impb = "9400111899223100000000000000000000";
        assert_eq!(lines(vec![Block::Code(impb.into())], 48), [impb]);
        assert_eq!(
            lines(vec![Block::Code(impb.into())], 32),
            ["9400 1118 9922 3100 0000 0000", "0000 0000 00"]
        );
        assert_eq!(
            lines(vec![Block::Code("1Z999AA10123456784".into())], 32),
            ["1Z999AA10123456784"]
        );
    }

    #[test]
    fn write_ins_fill_the_line_and_rules_span_it() {
        let got = lines(vec![Block::WriteIn("Outcome".into()), Block::Rule], 32);
        assert_eq!(got[0], format!("Outcome {}", "_".repeat(24)));
        assert_eq!(got[1], "-".repeat(32));
    }

    #[test]
    fn a_reprint_says_so_first() {
        let mut slip = Slip {
            kind: SlipKind::DriverManifest,
            reprint: true,
            lang: crate::i18n::Lang::En,
            blocks: vec![Block::Heading("Manifest".into())],
        };
        let rows = lay_out(&slip, 48, Charset::Pc858);
        assert_eq!(
            rows[0],
            Row::Line {
                text: format!("{}*** REPRINT ***", " ".repeat(16)),
                bold: true
            }
        );
        slip.lang = crate::i18n::Lang::Es;
        let rows = lay_out(&slip, 32, Charset::Pc858);
        assert_eq!(
            rows[0],
            Row::Line {
                text: format!("{}*** REIMPRESIÓN ***", " ".repeat(6)),
                bold: true
            }
        );
    }
}
