//! The desk's page on the live link: what waits for head office, why it has not gone if it
//! has not, and the last receipts head office signed. Read when the page opens.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::link_wire::ReceiptBody;
use crate::link::{LinkHandle, LinkStatus};
use crate::store::{OutboxState, Store, StoredReceipt};
use crate::tui::view::View;
use crate::tui::widgets::link_status;

mod words {
    pub const TITLE: &str = "Head office link";
    pub const NOT_CONFIGURED: &str =
        "No head office is set up: [head_office] url in kiosk.toml starts the link.";
    pub const NOTHING_WAITS: &str = "✔ Nothing waits: head office holds every event.";
    pub const NO_RECEIPT: &str = "No receipt from head office yet.";
    pub const RECEIPTS: &str = "Last receipts (head office's signed acknowledgement):";
    pub const UNREADABLE: &str = "cannot be read";

    pub fn waiting(count: u64, oldest: &str) -> String {
        format!(
            "… {count} {} to send, the oldest recorded {oldest}.",
            if count == 1 { "event" } else { "events" }
        )
    }

    pub fn receipt(last_seq: u64, at: &str, key_id: &str) -> String {
        format!("  up to event {last_seq}, acknowledged {at} (key {key_id})")
    }
}

/// How many receipts the page lists.
const RECEIPTS_SHOWN: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkPage {
    pub url: Option<String>,
    pub status: Option<LinkStatus>,
    pub outbox: OutboxState,
    pub receipts: Vec<StoredReceipt>,
    /// Reading the ledger failed: why.
    pub error: Option<String>,
}

impl LinkPage {
    pub fn read(store: &Store, url: Option<&str>, link: Option<&LinkHandle>) -> Self {
        let read = store
            .outbox_state()
            .and_then(|outbox| Ok((outbox, store.link_receipts(RECEIPTS_SHOWN)?)));
        let (outbox, receipts, error) = match read {
            Ok((outbox, receipts)) => (outbox, receipts, None),
            Err(error) => (OutboxState::default(), Vec::new(), Some(error.to_string())),
        };
        Self {
            url: url.map(str::to_owned),
            status: link.map(LinkHandle::status),
            outbox,
            receipts,
            error,
        }
    }
}

pub fn render(frame: &mut Frame, view: &View<'_>, page: &LinkPage, area: Rect) {
    let theme = view.theme;
    let zone = view.config.store.time_zone;
    let local = |at: DateTime<Utc>| at.with_timezone(&zone).format("%d %b %H:%M").to_string();
    let mut lines = vec![Line::styled(words::TITLE, theme.title)];
    let Some(url) = &page.url else {
        lines.push(Line::raw(words::NOT_CONFIGURED));
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
        return;
    };
    lines.push(Line::raw(url.clone()));
    if let Some(status) = &page.status {
        lines.push(Line::raw(link_status::text(status, view.now, zone)));
        for problem in [&status.problem, &status.announcement_problem]
            .into_iter()
            .flatten()
        {
            lines.push(Line::styled(format!("✖ {problem}"), theme.alert));
        }
    }
    if let Some(error) = &page.error {
        lines.push(Line::styled(format!("✖ {error}"), theme.alert));
    }
    lines.push(Line::raw(""));
    lines.push(match page.outbox.oldest_waiting {
        Some(oldest) if page.outbox.waiting > 0 => {
            Line::raw(words::waiting(page.outbox.waiting, &local(oldest)))
        }
        _ => Line::raw(words::NOTHING_WAITS),
    });
    lines.push(Line::raw(""));
    if page.receipts.is_empty() {
        lines.push(Line::styled(words::NO_RECEIPT, theme.muted));
    } else {
        lines.push(Line::raw(words::RECEIPTS));
        for receipt in &page.receipts {
            let at = serde_json::from_str::<ReceiptBody>(&receipt.body_json)
                .ok()
                .and_then(|body| body.acknowledged_at())
                .map_or_else(|| words::UNREADABLE.to_owned(), local);
            lines.push(Line::raw(words::receipt(
                receipt.last_seq,
                &at,
                &receipt.key_id,
            )));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
