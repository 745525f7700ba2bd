//! Driver delivery: show the handshake QR, scan the parcels, confirm with the PIN.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};

use super::{pin_line, scan_line};
use crate::domain::handshake::IssuedToken;
use crate::domain::ids::TrackingId;
use crate::domain::pin::Pin;
use crate::tui::app::{App, ScanField};
use crate::tui::widgets::qr::{QrSymbol, QrWidget};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStep {
    Qr,
    Scanning,
    ConfirmPin,
    Done,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryLine {
    pub tracking_id: TrackingId,
    /// From the carrier's announcement; empty for an unannounced parcel.
    pub recipient: String,
    pub shelf: String,
    pub refused_damaged: bool,
    /// The pickup code made for an unannounced parcel, shown once after recording.
    pub new_pickup_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryReceipt {
    pub received: usize,
    pub refused: usize,
    pub on_hand: u64,
    pub over_capacity: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryFlow {
    pub step: DeliveryStep,
    pub token: IssuedToken,
    pub symbol: QrSymbol,
    pub scan: ScanField,
    pub lines: Vec<DeliveryLine>,
    pub selected: usize,
    pub pin: Pin,
    pub receipt: Option<DeliveryReceipt>,
}

impl DeliveryFlow {
    pub fn new(token: IssuedToken, symbol: QrSymbol) -> Self {
        Self {
            step: DeliveryStep::Qr,
            token,
            symbol,
            scan: ScanField::default(),
            lines: Vec::new(),
            selected: 0,
            pin: Pin::default(),
            receipt: None,
        }
    }
}

pub fn keys(flow: &DeliveryFlow) -> &'static str {
    match flow.step {
        DeliveryStep::Qr => "Enter driver has scanned   Esc cancel   F1 help",
        DeliveryStep::Scanning => {
            "Enter add   empty Enter confirm   F2 damaged   Del remove   Esc cancel"
        }
        DeliveryStep::ConfirmPin => "type your PIN, Enter   Esc back to the parcels",
        DeliveryStep::Done => "Enter home",
    }
}

/// The QR step: the code on the left, the fallback code and instructions beside it.
pub fn render_qr(frame: &mut Frame, app: &App, flow: &DeliveryFlow, area: Rect) {
    render_qr_panel(
        frame,
        app,
        &flow.token,
        &flow.symbol,
        &[
            "DRIVER DELIVERY",
            "",
            "Driver: scan this code",
            "with the carrier app.",
        ],
        area,
    );
}

/// A handshake QR with its fallback code, renewal time and keys beside it.
pub fn render_qr_panel(
    frame: &mut Frame,
    app: &App,
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
    frame.render_widget(QrWidget::new(symbol), qr_area);
    let theme = &app.theme;
    let expires = token
        .claims
        .expires_at()
        .with_timezone(&app.kiosk.config.store.time_zone);
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

pub fn render(frame: &mut Frame, app: &App, flow: &DeliveryFlow, area: Rect) {
    let theme = &app.theme;
    let [top, list_area, bottom] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(2),
    ])
    .areas(area);
    let received = flow.lines.iter().filter(|l| !l.refused_damaged).count();
    let refused = flow.lines.len() - received;
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled("DRIVER DELIVERY", theme.title),
            Line::raw(format!(
                "{received} to receive, {refused} refused as damaged"
            )),
        ]),
        top,
    );
    let rows: Vec<Row> = flow
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let state = match (&line.new_pickup_code, line.refused_damaged) {
                (_, true) => "✖ REFUSED (damaged)".to_owned(),
                (Some(code), false) => format!("✔ code {code}"),
                (None, false) => "✔ receive".to_owned(),
            };
            let who = if line.recipient.is_empty() {
                "unannounced".to_owned()
            } else {
                line.recipient.clone()
            };
            let style = if index == flow.selected
                && flow.step == super::super::screens::delivery::DeliveryStep::Scanning
            {
                theme.focus
            } else if line.refused_damaged {
                theme.warn
            } else {
                theme.normal
            };
            Row::new(vec![
                line.tracking_id.to_string(),
                who,
                line.shelf.clone(),
                state,
            ])
            .style(style)
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(22),
            Constraint::Min(12),
            Constraint::Length(6),
            Constraint::Length(20),
        ],
    )
    .header(Row::new(vec!["Tracking id", "Recipient", "Shelf", "State"]).style(theme.title))
    .block(Block::new().borders(Borders::TOP));
    super::render_table_showing(frame, table, list_area, flow.selected);
    let prompt = match flow.step {
        DeliveryStep::ConfirmPin => pin_line(app, "Your PIN to record this delivery: ", &flow.pin),
        DeliveryStep::Done => match &flow.receipt {
            Some(receipt) => done_line(app, receipt),
            None => Line::raw(""),
        },
        _ => scan_line(app, "Scan: ", &flow.scan),
    };
    let mut footer = vec![prompt];
    if flow.lines.iter().any(|line| line.new_pickup_code.is_some()) {
        footer.push(Line::styled(
            "Write each new pickup code on its parcel's notice.",
            theme.warn,
        ));
    }
    frame.render_widget(Paragraph::new(footer).wrap(Wrap { trim: true }), bottom);
}

fn done_line<'a>(app: &App, receipt: &DeliveryReceipt) -> Line<'a> {
    let capacity = app.kiosk.config.store.capacity;
    let mut spans = vec![Span::styled(
        format!(
            "✔ Recorded {} received, {} refused. On hand {}/{capacity}.",
            receipt.received, receipt.refused, receipt.on_hand
        ),
        app.theme.ok,
    )];
    if receipt.over_capacity {
        spans.push(Span::styled(" ! OVER CAPACITY", app.theme.alert));
    }
    Line::from(spans)
}
