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
use crate::t;
use crate::tui::view::View;
use crate::tui::widgets::link_status;

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
    let lang = view.lang;
    let local = |at: DateTime<Utc>| link_status::day_time(lang, at, zone);
    let mut lines = vec![Line::styled(t!(lang, "desk-link-title"), theme.title)];
    let Some(url) = &page.url else {
        lines.push(Line::raw(t!(lang, "desk-link-not-configured")));
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
        return;
    };
    lines.push(Line::raw(url.clone()));
    if let Some(status) = &page.status {
        lines.push(Line::raw(link_status::text(lang, status, view.now, zone)));
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
        Some(oldest) if page.outbox.waiting > 0 => Line::raw(t!(
            lang,
            "desk-link-waiting",
            count = page.outbox.waiting,
            oldest = local(oldest)
        )),
        _ => Line::raw(t!(lang, "desk-link-nothing-waits")),
    });
    lines.push(Line::raw(""));
    if page.receipts.is_empty() {
        lines.push(Line::styled(t!(lang, "desk-link-no-receipt"), theme.muted));
    } else {
        lines.push(Line::raw(t!(lang, "desk-link-receipts")));
        for receipt in &page.receipts {
            let at = serde_json::from_str::<ReceiptBody>(&receipt.body_json)
                .ok()
                .and_then(|body| body.acknowledged_at())
                .map_or_else(|| t!(lang, "desk-link-unreadable"), local);
            lines.push(Line::raw(t!(
                lang,
                "desk-link-receipt",
                seq = receipt.last_seq,
                at = at,
                key = receipt.key_id.as_str()
            )));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
