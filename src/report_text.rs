//! The end-of-day report in a reader's language: the manager's desk shows it and the day-report
//! slip prints it. Built from the report's fields (never from its English text), with words from
//! report.ftl; the command line keeps the domain's English ([`DayReport::to_full_text`]), which
//! this matches word for word in English.

use crate::domain::custody::EventKind;
use crate::domain::report::{DayReport, REPORT_WIDTH};
use crate::i18n::{self, Lang};
use crate::t;

/// One line of the report, before it is laid out on a screen (48 columns) or on paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportLine {
    /// A full-width rule of this character.
    Rule(char),
    /// A line of words; `alert` when it says something is wrong.
    Text { text: String, alert: bool },
    /// A label at the left and its figure at the right.
    Figure {
        label: String,
        value: String,
        alert: bool,
    },
    /// A piece of the chain head's hash (32 hex digits).
    Hash(String),
}

impl ReportLine {
    fn text(text: String) -> Self {
        ReportLine::Text { text, alert: false }
    }

    fn figure(label: String, value: impl ToString) -> Self {
        ReportLine::Figure {
            label,
            value: value.to_string(),
            alert: false,
        }
    }

    /// Whether the line says something is wrong (the screen marks it, and says it in words).
    pub fn is_alert(&self) -> bool {
        matches!(
            self,
            ReportLine::Text { alert: true, .. } | ReportLine::Figure { alert: true, .. }
        )
    }

    /// The line at [`REPORT_WIDTH`] columns: a label too long for its figure is cut with `…`.
    pub fn to_line(&self) -> String {
        match self {
            ReportLine::Rule(c) => c.to_string().repeat(REPORT_WIDTH),
            ReportLine::Text { text, .. } => clip(text, REPORT_WIDTH),
            ReportLine::Figure { label, value, .. } => {
                let value_width = value.chars().count();
                let label = clip(label, REPORT_WIDTH.saturating_sub(value_width + 1));
                let gap = REPORT_WIDTH.saturating_sub(label.chars().count() + value_width);
                format!("{label}{}{value}", " ".repeat(gap.max(1)))
            }
            ReportLine::Hash(chunk) => format!("  {chunk}"),
        }
    }
}

/// `text` within `width` characters, cut with `…` when longer.
fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// An event kind as the report names it: "driver delivery", "entrega del repartidor".
fn kind_words(lang: Lang, kind: EventKind) -> String {
    let id = format!("ledger-kind-{}", kind.code());
    if i18n::has_message(lang, &id) {
        i18n::message(lang, &id, None)
    } else {
        kind.label().to_owned()
    }
}

/// The report's head: the store, the day, between rules.
pub fn head(lang: Lang, report: &DayReport) -> Vec<ReportLine> {
    vec![
        ReportLine::Rule('='),
        ReportLine::text(format!("{} {}", report.store_id, report.store_name)),
        ReportLine::text(t!(
            lang,
            "report-end-of-day",
            date = i18n::date(lang, report.day)
        )),
        ReportLine::Rule('='),
    ]
}

/// The report's figures, from the opening count to the chain head; `with_carriers` adds the
/// parcels in and out per carrier after the check.
pub fn body(lang: Lang, report: &DayReport, with_carriers: bool) -> Vec<ReportLine> {
    let indent = |words: String| format!("  {words}");
    let mut out = vec![ReportLine::figure(
        t!(lang, "report-opening"),
        report.opening,
    )];
    for (title, list) in [
        (t!(lang, "report-received"), &report.received),
        (t!(lang, "report-handed-over"), &report.handed_over),
        (t!(lang, "report-exceptions"), &report.exceptions),
    ] {
        out.push(ReportLine::figure(title, DayReport::total(list)));
        for (kind, count) in list {
            out.push(ReportLine::figure(indent(kind_words(lang, *kind)), count));
        }
    }
    let corrections = &report.corrections;
    if corrections.total() > 0 {
        out.push(ReportLine::figure(
            t!(lang, "report-corrections"),
            corrections.total(),
        ));
        for (words, count) in [
            (
                t!(lang, "report-receipts-undone"),
                corrections.receipts_undone,
            ),
            (
                t!(lang, "report-handovers-undone"),
                corrections.handovers_undone,
            ),
            (t!(lang, "report-others-undone"), corrections.others),
        ] {
            if count > 0 {
                out.push(ReportLine::figure(indent(words), count));
            }
        }
    }
    out.push(ReportLine::figure(
        t!(lang, "report-holds-expired"),
        report.holds_expired,
    ));
    out.push(ReportLine::figure(
        t!(lang, "report-closing"),
        report.closing,
    ));
    // Corrections enter the sum only on a day that has them: receipts undone subtract,
    // handovers undone add.
    let mut sum = format!(
        "{} + {} - {}",
        report.opening,
        DayReport::total(&report.received),
        DayReport::total(&report.handed_over)
    );
    if corrections.receipts_undone > 0 {
        sum.push_str(&format!(" - {}", corrections.receipts_undone));
    }
    if corrections.handovers_undone > 0 {
        sum.push_str(&format!(" + {}", corrections.handovers_undone));
    }
    let sum = format!("{sum} = {}", report.expected_closing());
    let reconciles = report.reconciles();
    out.push(ReportLine::Figure {
        label: t!(lang, "report-check", sum = sum),
        value: if reconciles {
            t!(lang, "report-check-ok")
        } else {
            t!(lang, "report-check-mismatch")
        },
        alert: !reconciles,
    });
    if !reconciles {
        out.push(ReportLine::Text {
            text: t!(lang, "report-investigate", closing = report.closing),
            alert: true,
        });
    }
    if with_carriers {
        // The columns are as wide as their heads, and at least 5 and 6.
        let (head_in, head_out) = (
            t!(lang, "report-carrier-in"),
            t!(lang, "report-carrier-out"),
        );
        let wide_in = head_in.chars().count().max(5);
        let wide_out = head_out.chars().count().max(6);
        let columns = |a: &dyn std::fmt::Display, b: &dyn std::fmt::Display| {
            format!("{a:>wide_in$} {b:>wide_out$}")
        };
        out.push(ReportLine::Rule('-'));
        out.push(ReportLine::figure(
            t!(lang, "report-by-carrier"),
            columns(&head_in, &head_out).trim_start(),
        ));
        if report.by_carrier.is_empty() {
            out.push(ReportLine::text(indent(t!(lang, "report-none"))));
        }
        for count in &report.by_carrier {
            out.push(ReportLine::figure(
                indent(crate::slips::carrier_name(lang, count.carrier)),
                columns(&count.received, &count.handed_over),
            ));
        }
    }
    out.push(ReportLine::Rule('-'));
    out.push(ReportLine::text(t!(lang, "report-by-staff")));
    if report.per_staff.is_empty() {
        out.push(ReportLine::text(indent(t!(lang, "report-none"))));
    }
    for (name, count) in &report.per_staff {
        out.push(ReportLine::figure(indent(name.clone()), count));
    }
    out.push(ReportLine::Rule('-'));
    out.push(ReportLine::text(t!(
        lang,
        "report-chain-head",
        seq = report.head_seq
    )));
    for chunk in report.head_hash.as_bytes().chunks(32) {
        out.push(ReportLine::Hash(
            String::from_utf8_lossy(chunk).into_owned(),
        ));
    }
    out.push(ReportLine::Rule('='));
    out
}

/// The whole report, head and body, as the desk shows it (with the carriers).
pub fn lines(lang: Lang, report: &DayReport) -> Vec<ReportLine> {
    let mut all = head(lang, report);
    all.extend(body(lang, report, true));
    all
}

/// The report as text, every line at most 48 columns: in English, exactly what
/// [`DayReport::to_full_text`] prints.
pub fn to_text(lang: Lang, report: &DayReport) -> String {
    lines(lang, report)
        .iter()
        .map(ReportLine::to_line)
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::labels::{Carrier, PostCountry};
    use crate::domain::report::{CarrierCount, Corrections};
    use chrono::NaiveDate;

    fn report() -> DayReport {
        DayReport {
            store_id: "RVM-0045".into(),
            store_name: "Riverside Mall Parcel Point".into(),
            day: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            opening: 12,
            received: vec![
                (EventKind::DriverDelivery, 6),
                (EventKind::CustomerDropOff, 2),
            ],
            handed_over: vec![(EventKind::CustomerPickup, 5)],
            exceptions: vec![(EventKind::UnableToFind, 1)],
            holds_expired: 2,
            corrections: Corrections::default(),
            closing: 15,
            per_staff: vec![("Ana Díaz".into(), 9)],
            by_carrier: vec![
                CarrierCount {
                    carrier: Carrier::Ups,
                    received: 6,
                    handed_over: 5,
                },
                CarrierCount {
                    carrier: Carrier::PostalS10 {
                        country: PostCountry::parse("MX").unwrap(),
                    },
                    received: 2,
                    handed_over: 0,
                },
            ],
            head_seq: 42,
            head_hash: "3f87cbcb49f13a4fcd0b5f4433bbc78ab34cefb1a079a74b1c8ab4e5f1f4c7cc".into(),
        }
    }

    fn variants() -> Vec<DayReport> {
        let mut all = vec![report()];
        let mut mismatch = report();
        mismatch.corrections = Corrections {
            receipts_undone: 1,
            handovers_undone: 2,
            others: 1,
        };
        all.push(mismatch);
        let mut empty = report();
        empty.by_carrier.clear();
        empty.per_staff.clear();
        empty.received.clear();
        all.push(empty);
        all
    }

    #[test]
    fn english_is_the_command_lines_report_word_for_word() {
        for report in variants() {
            assert_eq!(to_text(Lang::En, &report), report.to_full_text());
        }
    }

    #[test]
    fn spanish_says_it_in_spanish_within_48_columns() {
        for report in variants() {
            let text = to_text(Lang::Es, &report);
            assert!(
                text.lines()
                    .all(|line| line.chars().count() <= REPORT_WIDTH),
                "{text}"
            );
            assert!(!text.contains('…'), "nothing cut: {text}");
            for english in [
                "Opening",
                "Received",
                "Handed over",
                "Check",
                "none",
                "staff",
            ] {
                assert!(!text.contains(english), "{english}: {text}");
            }
        }
        let text = to_text(Lang::Es, &report());
        for wanted in [
            "Cierre del día  mar 24 nov 2026",
            "  entrega del repartidor",
            "Cuadre: 12 + 8 - 5 = 15",
            "Por paquetería                     entran  salen",
            "  correo (MX)",
            "Paquetes por empleado",
            "Cadena hasta el evento 42",
        ] {
            assert!(text.contains(wanted), "{wanted:?}: {text}");
        }
        let mut wrong = report();
        wrong.closing = 14;
        let lines = lines(Lang::Es, &wrong);
        let alerts: Vec<String> = lines
            .iter()
            .filter(|line| line.is_alert())
            .map(ReportLine::to_line)
            .collect();
        assert_eq!(alerts.len(), 2, "{alerts:?}");
        assert!(alerts[0].ends_with("NO CUADRA !"), "{alerts:?}");
        assert_eq!(alerts[1], "! Al cerrar hay 14: revise la diferencia");
    }

    #[test]
    fn a_label_too_long_for_its_figure_is_cut_with_a_mark() {
        let mut long = report();
        long.per_staff = vec![("A".repeat(60), 9)];
        let text = to_text(Lang::En, &long);
        let line = text.lines().find(|line| line.starts_with("  AAA")).unwrap();
        assert_eq!(line.chars().count(), REPORT_WIDTH);
        assert!(line.ends_with("… 9"), "{line}");
    }
}
