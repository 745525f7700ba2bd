//! The end-of-day report: what came in, what went out, what went wrong, who did it, and whether
//! the books balance (opening + in - out = closing). Fits 48 columns for a receipt printer.

use chrono::NaiveDate;

use super::chain::EventBody;
use super::correction::movement_of_body;
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

/// Parcels an event brings into custody and takes out of it, as the report counts them (a
/// correction by what it undoes: see [`movement_of_body`]).
pub fn custody_change(body: &EventBody) -> (u64, u64) {
    let parcels = body.items.len() as u64;
    match movement_of_body(body) {
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
    /// Corrections recorded during the day (see `domain::correction`): receipts undone take
    /// parcels off the books, handovers undone put them back, the rest move nothing.
    pub corrections: Corrections,
    /// Parcels in custody when the day ended, from the parcel records.
    pub closing: u64,
    pub per_staff: Vec<(String, u64)>,
    /// Parcels received and handed over during the day per carrier (from each tracking id),
    /// most received first.
    pub by_carrier: Vec<CarrierCount>,
    pub head_seq: u64,
    pub head_hash: String,
}

/// A day's corrections by what they undid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Corrections {
    /// Receipts undone: parcels that were never really here leave the books.
    pub receipts_undone: u64,
    /// Handovers undone: parcels that never really left come back onto the books.
    pub handovers_undone: u64,
    /// Other records undone (exceptions, local delivery runs): custody unchanged.
    pub others: u64,
}

impl Corrections {
    pub fn total(&self) -> u64 {
        self.receipts_undone + self.handovers_undone + self.others
    }

    /// Counts one correction of `parcels` parcels on its side of the books.
    pub fn count(&mut self, movement: Movement, parcels: u64) {
        match movement {
            Movement::Out => self.receipts_undone += parcels,
            Movement::In => self.handovers_undone += parcels,
            Movement::Exception | Movement::None => self.others += parcels,
        }
    }
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
            - i128::from(self.corrections.receipts_undone)
            + i128::from(self.corrections.handovers_undone)
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
        let corrections = &self.corrections;
        if corrections.total() > 0 {
            out.push(line("Corrections", corrections.total().to_string()));
            for (label, count) in [
                ("  receipts undone", corrections.receipts_undone),
                ("  handovers undone", corrections.handovers_undone),
                ("  other records undone", corrections.others),
            ] {
                if count > 0 {
                    out.push(line(label, count.to_string()));
                }
            }
        }
        out.push(line("Holds expired today", self.holds_expired.to_string()));
        out.push(line("Closing on hand", self.closing.to_string()));
        // Corrections enter the sum only on a day that has them: receipts undone subtract,
        // handovers undone add.
        let mut terms = format!(
            "{} + {} - {}",
            self.opening,
            Self::total(&self.received),
            Self::total(&self.handed_over)
        );
        if corrections.receipts_undone > 0 {
            terms.push_str(&format!(" - {}", corrections.receipts_undone));
        }
        if corrections.handovers_undone > 0 {
            terms.push_str(&format!(" + {}", corrections.handovers_undone));
        }
        let check = format!("{terms} = {}", self.expected_closing());
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
            corrections: Corrections::default(),
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
        report.corrections = Corrections {
            receipts_undone: 1,
            handovers_undone: 0,
            others: 0,
        };
        let text = report.to_text();
        assert!(
            text.contains("Corrections                                    1")
                && text.contains("  receipts undone")
                && !text.contains("handovers undone"),
            "{text}"
        );
        assert!(
            text.contains("Check: 12 + 8 - 5 - 1 = 14") && text.contains("MISMATCH !"),
            "a receipt undone leaves 14 expected, and 15 are on the shelves: {text}"
        );
        report.closing = 14;
        assert!(report.reconciles());
        report.corrections = Corrections::default();
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
