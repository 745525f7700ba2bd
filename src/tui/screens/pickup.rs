//! Customer pickup: the pickup code unlocks the customer's parcels; each is scanned as it is
//! handed over; a wrong parcel is refused loudly; PIN; recorded.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table};

use super::{pin_line, scan_line};
use crate::domain::ids::TrackingId;
use crate::domain::pin::Pin;
use crate::store::ParcelRecord;
use crate::tui::app::{App, Flash, FlashKind, ScanField};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PickupStep {
    #[default]
    Code,
    Parcels,
    ConfirmPin,
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineState {
    Waiting,
    HandedOver,
    UnableToFind,
    CustomerRefused,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickupLine {
    pub parcel: ParcelRecord,
    pub state: LineState,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PickupFlow {
    pub step: PickupStep,
    pub code: ScanField,
    pub customer: String,
    pub lines: Vec<PickupLine>,
    pub selected: usize,
    pub scan: ScanField,
    pub pin: Pin,
}

impl PickupFlow {
    pub fn load(&mut self, parcels: Vec<ParcelRecord>) {
        self.customer = parcels
            .iter()
            .map(|parcel| parcel.recipient_name.clone())
            .find(|name| !name.is_empty())
            .unwrap_or_else(|| "the customer".to_owned());
        self.lines = parcels
            .into_iter()
            .map(|parcel| PickupLine {
                parcel,
                state: LineState::Waiting,
            })
            .collect();
        self.selected = 0;
        self.step = PickupStep::Parcels;
    }

    pub fn mark_selected(&mut self, state: LineState) {
        if let Some(line) = self.lines.get_mut(self.selected) {
            line.state = if line.state == state {
                LineState::Waiting
            } else {
                state
            };
        }
    }

    /// A scanned label: hands over the matching parcel, or refuses loudly.
    pub fn scan_handed_over(&mut self, scanned: &str) -> Flash {
        let alert = |text: String| Flash {
            kind: FlashKind::Alert,
            text,
        };
        let tracking_id = match TrackingId::parse(scanned) {
            Ok(id) => id,
            Err(reason) => return alert(format!("✖ Not a parcel label: {reason}.")),
        };
        match self
            .lines
            .iter()
            .position(|line| line.parcel.tracking_id == tracking_id)
        {
            None => alert(format!(
                "✖ WRONG PARCEL: {tracking_id} is not for this customer. Do not hand it over."
            )),
            Some(index) => {
                self.selected = index;
                let line = &mut self.lines[index];
                if line.state == LineState::HandedOver {
                    Flash {
                        kind: FlashKind::Warn,
                        text: format!("! {tracking_id} was already scanned."),
                    }
                } else {
                    line.state = LineState::HandedOver;
                    Flash {
                        kind: FlashKind::Ok,
                        text: format!("✔ {tracking_id} handed over."),
                    }
                }
            }
        }
    }
}

pub fn keys(flow: &PickupFlow) -> &'static str {
    match flow.step {
        PickupStep::Code => "type/scan the code, Enter   Esc cancel",
        PickupStep::Parcels => {
            "Enter scan   empty Enter confirm   F4 not found   F6 refused   Esc cancel"
        }
        PickupStep::ConfirmPin => "type your PIN, Enter   Esc back",
        PickupStep::Done => "Enter home",
    }
}

pub fn render(frame: &mut Frame, app: &App, flow: &PickupFlow, area: Rect) {
    let theme = &app.theme;
    let [top, list_area, bottom] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    let heading = match flow.step {
        PickupStep::Code => {
            "Ask for the pickup code (on the customer's phone or notice).".to_owned()
        }
        _ => format!("For {}: {} parcel(s)", flow.customer, flow.lines.len()),
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled("CUSTOMER PICKUP", theme.title),
            Line::raw(heading),
        ]),
        top,
    );
    let rows: Vec<Row> = flow
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let (state, style) = match line.state {
                LineState::Waiting => ("… fetch from shelf", theme.normal),
                LineState::HandedOver => ("✔ handed over", theme.ok),
                LineState::UnableToFind => ("! unable to find", theme.warn),
                LineState::CustomerRefused => ("! customer refused", theme.warn),
            };
            let style = if index == flow.selected && flow.step == PickupStep::Parcels {
                theme.focus
            } else {
                style
            };
            Row::new(vec![
                line.parcel.shelf.clone(),
                line.parcel.tracking_id.to_string(),
                state.to_owned(),
            ])
            .style(style)
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(6),
            Constraint::Length(24),
            Constraint::Min(20),
        ],
    )
    .header(Row::new(vec!["Shelf", "Tracking id", "State"]).style(theme.title))
    .block(Block::new().borders(Borders::TOP));
    super::render_table_showing(frame, table, list_area, flow.selected);
    let prompt = match flow.step {
        PickupStep::Code => scan_line(app, "Pickup code: ", &flow.code),
        PickupStep::Parcels => scan_line(app, "Scan: ", &flow.scan),
        PickupStep::ConfirmPin => pin_line(app, "Your PIN to record this pickup: ", &flow.pin),
        PickupStep::Done => Line::styled("✔ Recorded. Enter for home.", theme.ok),
    };
    frame.render_widget(Paragraph::new(prompt), bottom);
}
