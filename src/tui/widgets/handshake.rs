//! The driver's handshake QR with its fallback code, renewal time and keys beside it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::qr::{QrSymbol, QrWidget};
use crate::domain::handshake::IssuedToken;
use crate::tui::view::View;

pub fn render_qr_panel(
    frame: &mut Frame,
    view: &View<'_>,
    token: &IssuedToken,
    symbol: &QrSymbol,
    heading: &[&str],
    area: Rect,
) {
    let (qr_columns, _) = symbol.cells_needed(1);
    let side_width = area.width.saturating_sub(qr_columns + 2).clamp(0, 40);
    let [qr_area, side] =
        Layout::horizontal([Constraint::Min(qr_columns), Constraint::Length(side_width)])
            .areas(area);
    frame.render_widget(
        QrWidget::new(symbol).glyphs_only(!view.theme.colours),
        qr_area,
    );
    let theme = view.theme;
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
        Line::raw("If the scan fails, type"),
        Line::raw("this code in the app:"),
        Line::styled(format!("  {}", token.fallback_code), theme.title),
        Line::raw(""),
        Line::styled(
            format!("Renews before {}", expires.format("%H:%M:%S")),
            theme.muted,
        ),
        Line::raw(""),
        Line::from(vec![
            Span::styled("Enter", theme.key),
            Span::raw(" when scanned"),
        ]),
        Line::from(vec![Span::styled("Esc", theme.key), Span::raw(" back")]),
    ]);
    let padded = Block::new().padding(ratatui::widgets::Padding::left(1));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(padded),
        side,
    );
}
