//! The desk's page on the live link: what waits for head office, why it has not gone if it
//! has not, and the last receipts head office signed. Read when the page opens.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::link_wire::ReceiptBody;
use crate::i18n::Lang;
use crate::link::{LinkHandle, LinkProblem, LinkStatus};
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
            lines.push(Line::styled(
                format!("✖ {}", problem_text(lang, problem)),
                theme.alert,
            ));
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

/// Why the link failed, in `lang`. What the link did not word itself (the system's, TLS's, the
/// ledger's words, head office's reasons) is shown as it was said.
pub fn problem_text(lang: Lang, problem: &LinkProblem) -> String {
    let path = |path: &std::path::Path| path.display().to_string();
    match problem {
        LinkProblem::HostNotFound { host, detail } => t!(
            lang,
            "error-link-host-not-found",
            host = host.as_str(),
            detail = detail.as_str()
        ),
        LinkProblem::NoAddress { host } => {
            t!(lang, "error-link-no-address", host = host.as_str())
        }
        LinkProblem::CannotConnect { address, detail } => t!(
            lang,
            "error-link-cannot-connect",
            address = address.as_str(),
            detail = detail.as_str()
        ),
        LinkProblem::Connection { host, detail } => t!(
            lang,
            "error-link-connection",
            host = host.as_str(),
            detail = detail.as_str()
        ),
        LinkProblem::Tls { detail } => t!(lang, "error-link-tls", detail = detail.as_str()),
        LinkProblem::CaFileUnreadable { path: file, detail } => t!(
            lang,
            "error-link-ca-file-unreadable",
            path = path(file),
            detail = detail.as_str()
        ),
        LinkProblem::NotCaCertificate { path: file, detail } => t!(
            lang,
            "error-link-not-ca-certificate",
            path = path(file),
            detail = detail.as_str()
        ),
        LinkProblem::NoCertificate { path: file } => {
            t!(lang, "error-link-no-certificate", path = path(file))
        }
        LinkProblem::NotAHostName { host } => {
            t!(
                lang,
                "error-link-not-a-host-name",
                host = format!("{host:?}")
            )
        }
        LinkProblem::ThreadNotStarted { detail } => {
            t!(
                lang,
                "error-link-thread-not-started",
                detail = detail.as_str()
            )
        }
        LinkProblem::Ledger { detail } => t!(lang, "error-link-ledger", detail = detail.as_str()),
        LinkProblem::Encoding { detail } => {
            t!(lang, "error-link-encoding", detail = detail.as_str())
        }
        LinkProblem::EventMissing { seq } => t!(lang, "error-link-event-missing", seq = *seq),
        LinkProblem::BatchNotBuilt { detail } => {
            t!(lang, "error-link-batch-not-built", detail = detail.as_str())
        }
        LinkProblem::ReceiptSignatureNotHex => t!(lang, "error-link-receipt-signature-not-hex"),
        LinkProblem::ReceiptUnchecked { detail } => {
            t!(
                lang,
                "error-link-receipt-unchecked",
                detail = detail.as_str()
            )
        }
        LinkProblem::ReceiptHeadHashInvalid => t!(lang, "error-link-receipt-head-hash-invalid"),
        LinkProblem::ChainsDiffer { seq } => t!(lang, "error-link-chains-differ", seq = *seq),
        LinkProblem::GapDoesNotFit { expected, from } => t!(
            lang,
            "error-link-gap-does-not-fit",
            expected = *expected,
            from = *from
        ),
        LinkProblem::BatchRefused { reason } => {
            t!(lang, "error-link-batch-refused", reason = reason.as_str())
        }
        LinkProblem::BatchStatus { status } => {
            t!(lang, "error-link-batch-status", status = status.to_string())
        }
        LinkProblem::AnnouncementsRefused { detail } => t!(
            lang,
            "error-link-announcements-refused",
            detail = detail.as_str()
        ),
        LinkProblem::AnnouncementUnreadable { id, source, detail } => t!(
            lang,
            "error-link-announcement-unreadable",
            id = *id,
            source = source.as_str(),
            detail = detail.as_str()
        ),
        LinkProblem::AnnouncementNotImported { id, detail } => t!(
            lang,
            "error-link-announcement-not-imported",
            id = *id,
            detail = detail.as_str()
        ),
        LinkProblem::AnnouncementRequestRefused { reason } => t!(
            lang,
            "error-link-announcement-request-refused",
            reason = reason.as_str()
        ),
        LinkProblem::AnnouncementStatus { status } => t!(
            lang,
            "error-link-announcement-status",
            status = status.to_string()
        ),
    }
}
