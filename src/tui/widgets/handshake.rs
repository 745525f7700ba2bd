//! The driver's handshake QR with its fallback code, renewal time and keys beside it. The
//! driver reads the heading and the fallback lines, in the language of the person across the
//! counter (F12); the keys are the clerk's.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::qr::{QrSymbol, QrWidget};
use crate::domain::handshake::IssuedToken;
use crate::t;
use crate::tui::view::View;

pub fn render_qr_panel(
    frame: &mut Frame,
    view: &View<'_>,
    token: &IssuedToken,
    symbol: &QrSymbol,
    heading: &[String],
    area: Rect,
) {
    let (qr_columns, _) = symbol.cells_needed(1);
    let side_width = area.width.saturating_sub(qr_columns + 2).clamp(0, 40);
    let [qr_area, side] =
        Layout::horizontal([Constraint::Min(qr_columns), Constraint::Length(side_width)])
            .areas(area);
    frame.render_widget(
        QrWidget::new(symbol)
            .glyphs_only(!view.theme.colours)
            .lang(view.lang),
        qr_area,
    );
    let theme = view.theme;
    let (driver, clerk) = (view.customer_lang, view.lang);
    let expires = token
        .claims
        .expires_at()
        .with_timezone(&view.config.store.time_zone);
    let mut lines: Vec<Line> = heading
        .iter()
        .enumerate()
        .map(|(index, text)| {
            if index == 0 {
                Line::styled(text.to_string(), theme.title)
            } else {
                Line::raw(text.to_string())
            }
        })
        .collect();
    lines.extend([
        Line::raw(""),
        Line::raw(t!(driver, "handshake-if-scan-fails")),
        Line::raw(t!(driver, "handshake-type-this-code")),
        Line::styled(format!("  {}", token.fallback_code), theme.title),
        Line::raw(""),
        Line::styled(
            t!(
                driver,
                "handshake-renews",
                time = expires.format("%H:%M:%S").to_string()
            ),
            theme.muted,
        ),
        Line::raw(""),
        Line::from(vec![
            Span::styled("Enter", theme.key),
            Span::raw(t!(clerk, "handshake-key-scanned")),
        ]),
        Line::from(vec![
            Span::styled("Esc", theme.key),
            Span::raw(t!(clerk, "handshake-key-back")),
        ]),
    ]);
    let padded = Block::new().padding(ratatui::widgets::Padding::left(1));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(padded),
        side,
    );
}
