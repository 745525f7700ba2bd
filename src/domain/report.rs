//! The end-of-day report: what came in, what went out, what went wrong, who did it, and whether
//! the books balance (opening + in - out = closing). Fits 48 columns for a receipt printer.

use chrono::NaiveDate;

use super::custody::{EventKind, Movement};
use super::labels::Carrier;

pub const REPORT_WIDTH: usize = 48;

/// The span of one row of the custody totals: a quarter hour, so that every time zone's
/// midnight (all offsets in use are whole quarter hours) starts a bucket.
pub const CUSTODY_BUCKET_US: i64 = 900_000_000;

/// The custody-totals bucket an instant (microseconds since the epoch) falls in.
pub fn custody_bucket(at_us: i64) -> i64 {
    at_us.div_euclid(CUSTODY_BUCKET_US)
}

/// Parcels an event brings into custody and takes out of it, as the report counts them.
pub fn custody_change(kind: EventKind, parcels: u64) -> (u64, u64) {
    match kind.custody_movement() {
        Movement::In => (parcels, 0),
        Movement::Out => (0, parcels),
        Movement::Exception | Movement::None => (0, 0),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayReport {
    pub store_id: String,
    pub store_name: String,
    pub day: NaiveDate,
    /// Parcels in the store's custody when the day began, by replaying the chain.
    pub opening: u64,
    pub received: Vec<(EventKind, u64)>,
    pub handed_over: Vec<(EventKind, u64)>,
    pub exceptions: Vec<(EventKind, u64)>,
    pub holds_expired: u64,
    /// Parcels in custody when the day ended, from the parcel records.
    pub closing: u64,
    pub per_staff: Vec<(String, u64)>,
    /// Parcels received and handed over during the day per carrier (from each tracking id),
    /// most received first.
    pub by_carrier: Vec<CarrierCount>,
    pub head_seq: u64,
    pub head_hash: String,
}

/// One carrier's line of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CarrierCount {
    pub carrier: Carrier,
    pub received: u64,
    pub handed_over: u64,
}

impl DayReport {
    pub fn total(list: &[(EventKind, u64)]) -> u64 {
        list.iter().map(|(_, count)| count).sum()
    }

    pub fn expected_closing(&self) -> i128 {
        i128::from(self.opening) + i128::from(Self::total(&self.received))
            - i128::from(Self::total(&self.handed_over))
    }

    pub fn reconciles(&self) -> bool {
        self.expected_closing() == i128::from(self.closing)
    }

    /// The receipt-printer text, every line at most 48 columns, without the carrier section
    /// (the desk screen's layout as it stands; see [`Self::to_full_text`]).
    pub fn to_text(&self) -> String {
        self.render(false)
    }

    /// [`Self::to_text`] with parcels in and out per carrier after the check line: what
    /// `kiosk report` prints.
    pub fn to_full_text(&self) -> String {
        self.render(true)
    }

    fn render(&self, with_carriers: bool) -> String {
        let rule = |c: char| c.to_string().repeat(REPORT_WIDTH);
        let line = |label: &str, value: String| {
            let label: String = label.chars().take(REPORT_WIDTH - value.len() - 1).collect();
            format!(
                "{label}{}{value}",
                " ".repeat(REPORT_WIDTH - label.chars().count() - value.chars().count())
            )
        };
        let mut out = vec![
            rule('='),
            clip(&format!("{} {}", self.store_id, self.store_name)),
            format!("End of day  {}", self.day.format("%a %d %b %Y")),
            rule('='),
        ];
        out.push(line("Opening on hand", self.opening.to_string()));
        for (title, list) in [
            ("Received", &self.received),
            ("Handed over", &self.handed_over),
            ("Exceptions", &self.exceptions),
        ] {
            out.push(line(title, Self::total(list).to_string()));
            for (kind, count) in list {
                out.push(line(&format!("  {}", kind.label()), count.to_string()));
            }
        }
        out.push(line("Holds expired today", self.holds_expired.to_string()));
        out.push(line("Closing on hand", self.closing.to_string()));
        let check = format!(
            "{} + {} - {} = {}",
            self.opening,
            Self::total(&self.received),
            Self::total(&self.handed_over),
            self.expected_closing()
        );
        out.push(line(
            &format!("Check: {check}"),
            if self.reconciles() {
                "OK".to_owned()
            } else {
                "MISMATCH !".to_owned()
            },
        ));
        if !self.reconciles() {
            out.push(clip(&format!(
                "! Closing on hand is {}: investigate",
                self.closing
            )));
        }
        if with_carriers {
            out.push(rule('-'));
            out.push(line("By carrier", "in    out".to_owned()));
            if self.by_carrier.is_empty() {
                out.push("  none".to_owned());
            }
            for count in &self.by_carrier {
                out.push(line(
                    &format!("  {}", count.carrier),
                    format!("{:>5} {:>6}", count.received, count.handed_over),
                ));
            }
        }
        out.push(rule('-'));
        out.push("Handoffs by staff".to_owned());
        if self.per_staff.is_empty() {
            out.push("  none".to_owned());
        }
        for (name, count) in &self.per_staff {
            out.push(line(&format!("  {name}"), count.to_string()));
        }
        out.push(rule('-'));
        out.push(format!("Chain head after event {}", self.head_seq));
        for chunk in self.head_hash.as_bytes().chunks(32) {
            out.push(format!("  {}", String::from_utf8_lossy(chunk)));
        }
        out.push(rule('='));
        out.join("\n") + "\n"
    }
}

fn clip(text: &str) -> String {
    text.chars().take(REPORT_WIDTH).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fits_48_columns_and_shows_a_mismatch() {
        let mut report = DayReport {
            store_id: "RVM-0045".into(),
            store_name: "Riverside Mall Parcel Point and a very long name".into(),
            day: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            opening: 12,
            received: vec![
                (EventKind::DriverDelivery, 6),
                (EventKind::CustomerDropOff, 2),
            ],
            handed_over: vec![(EventKind::CustomerPickup, 5)],
            exceptions: vec![(EventKind::UnableToFind, 1)],
            holds_expired: 2,
            closing: 15,
            per_staff: vec![("Ana Diaz with an unusually long display name".into(), 9)],
            by_carrier: vec![CarrierCount {
                carrier: Carrier::Ups,
                received: 6,
                handed_over: 5,
            }],
            head_seq: 42,
            head_hash: "3f87cbcb49f13a4fcd0b5f4433bbc78ab34cefb1a079a74b1c8ab4e5f1f4c7cc".into(),
        };
        let text = report.to_text();
        assert!(
            text.lines()
                .all(|line| line.chars().count() <= REPORT_WIDTH),
            "{text}"
        );
        assert!(
            text.contains("12 + 8 - 5 = 15") && text.contains("OK"),
            "{text}"
        );
        assert!(!text.contains("By carrier"), "{text}");
        let full = report.to_full_text();
        assert!(
            full.lines()
                .any(|line| line.starts_with("  UPS") && line.ends_with("    6      5")),
            "{full}"
        );
        assert!(
            full.lines()
                .all(|line| line.chars().count() <= REPORT_WIDTH)
        );
        report.closing = 14;
        let text = report.to_text();
        assert!(
            text.contains("MISMATCH !") && text.contains("investigate"),
            "{text}"
        );
        assert!(
            text.lines()
                .all(|line| line.chars().count() <= REPORT_WIDTH),
            "{text}"
        );
    }
}
