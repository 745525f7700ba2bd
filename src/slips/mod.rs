//! What each slip holds: pure functions from domain facts to a [`Slip`]. No terminal, no SQL,
//! no paper width (the printer lays the blocks out). The facts come from committed ledger
//! events (see [`from_ledger`]), so a slip never shows what is not on the chain.

mod build;
pub mod from_ledger;

pub use build::{day_report, driver_manifest, pickup_notice, receipt, run_sheet};

use chrono::{DateTime, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;

use crate::config::KioskConfig;
use crate::domain::calendar::StoreCalendar;
use crate::domain::chain::ChainHash;
use crate::domain::codes::PickupCode;
use crate::domain::custody::EventKind;
use crate::domain::ids::TrackingId;

/// The words printed on slips, in one place.
pub mod words {
    pub const RECEIPT_DROP_OFF: &str = "DROP-OFF RECEIPT";
    pub const RECEIPT_RETURN: &str = "RETURN RECEIPT";
    pub const PICKUP_NOTICE: &str = "PARCEL WAITING FOR YOU";
    pub const DRIVER_MANIFEST: &str = "DRIVER MANIFEST";
    pub const RUN_SHEET: &str = "LOCAL DELIVERY RUN";
    pub const DAY_REPORT: &str = "END-OF-DAY REPORT";
    pub const TIME: &str = "Time";
    pub const CLERK: &str = "Clerk";
    pub const RECORD: &str = "Record";
    pub const CARRIER: &str = "Carrier";
    pub const REFUSED_BECAUSE: &str = "Refused";
    pub const RECEIPT_QR: &str = "Signed by the store. Check it with: kiosk verify-receipt";
    /// The closing line, for the number of parcels the store took.
    pub fn keep_receipt(parcels: usize) -> &'static str {
        if parcels == 1 {
            "Keep this receipt as proof that the store took your parcel."
        } else {
            "Keep this receipt as proof that the store took your parcels."
        }
    }
    pub const NOTICE_FOR: &str = "For";
    pub const NOTICE_PARCEL: &str = "Parcel ending";
    pub const NOTICE_CODE: &str = "Pickup code";
    pub const NOTICE_HOLD: &str = "Held until";
    pub const NOTICE_HOURS: &str = "Opening hours";
    pub const NOTICE_BRING: &str = "Bring this notice and a photo ID.";
    /// The code exists only in memory when the parcel is recorded; the ledger keeps a keyed
    /// digest of it, so a reprint cannot show it.
    pub const CODE_NOT_REPRINTED: &str = "code not reprinted: ask at the counter";
    pub const CLOSED: &str = "closed";
    pub const DRIVER: &str = "Driver badge";
    pub const PARCELS: &str = "Parcels";
    pub const TOKEN: &str = "Handshake token";
    pub const FALLBACK: &str = "Fallback code";
    pub const NO_TOKEN: &str = "none";
    pub const DRIVER_SIGNS: &str = "Driver's signature";
    pub const COURIER: &str = "Courier";
    pub const STOPS: &str = "Stops";
    pub const STOP: &str = "Stop";
    pub const NO_ADDRESS: &str = "address not announced: see the parcel label";
    pub const OUTCOME: &str = "Outcome (delivered / not home / refused)";
    pub const REPORT_DAY: &str = "Day";

    /// "1 parcel", "2 parcels": every count printed goes through this.
    pub fn counted(count: usize, noun: &str) -> String {
        if count == 1 {
            format!("1 {noun}")
        } else {
            format!("{count} {noun}s")
        }
    }

    pub fn taken_in(count: usize) -> String {
        format!("{} taken in", counted(count, "parcel"))
    }
    pub fn refused(count: usize) -> String {
        format!("{} refused", counted(count, "parcel"))
    }
    pub fn reprint_of(seq: u64) -> String {
        format!("Copy of record #{seq}, printed again.")
    }
    pub fn stop_heading(number: usize, parcels: usize) -> String {
        format!("Stop {number}: {}", counted(parcels, "parcel"))
    }
}

/// The store as a slip heads it: name, address lines and opening hours, from kiosk.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreHeader {
    pub name: String,
    pub address: Vec<String>,
    /// One line per weekday ("Mon 09:00-19:00").
    pub hours: Vec<String>,
    pub time_zone: Tz,
}

impl StoreHeader {
    pub fn from_config(config: &KioskConfig) -> Self {
        let address = &config.store.address;
        let town = [
            address.city.as_str(),
            address.region.as_str(),
            address.postal_code.as_str(),
        ]
        .iter()
        .filter(|part| !part.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
        let address = [address.street.clone(), town]
            .into_iter()
            .filter(|line| !line.is_empty())
            .collect();
        Self {
            name: config.store.name.clone(),
            address,
            hours: hours_lines(&config.calendar),
            time_zone: config.store.time_zone,
        }
    }

    /// An instant in the store's time, as people read it.
    pub fn local_time(&self, instant: DateTime<Utc>) -> String {
        crate::domain::store_time::for_people(instant, &self.time_zone)
    }

    pub fn local_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.time_zone).date_naive()
    }
}

/// The week's opening hours, one line per day.
fn hours_lines(calendar: &StoreCalendar) -> Vec<String> {
    const DAYS: [(Weekday, &str); 7] = [
        (Weekday::Mon, "Mon"),
        (Weekday::Tue, "Tue"),
        (Weekday::Wed, "Wed"),
        (Weekday::Thu, "Thu"),
        (Weekday::Fri, "Fri"),
        (Weekday::Sat, "Sat"),
        (Weekday::Sun, "Sun"),
    ];
    DAYS.iter()
        .map(|(day, name)| {
            let intervals = calendar.hours_on(*day);
            if intervals.is_empty() {
                format!("{name} {}", words::CLOSED)
            } else {
                let spans: Vec<String> = intervals
                    .iter()
                    .map(|span| {
                        format!(
                            "{}-{}",
                            span.opens.format("%H:%M"),
                            span.closes.format("%H:%M")
                        )
                    })
                    .collect();
                format!("{name} {}", spans.join(", "))
            }
        })
        .collect()
}

/// A drop-off or return as its receipt tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptFacts {
    /// `CustomerDropOff` or `CustomerReturn`.
    pub kind: EventKind,
    /// The event the receipt stands for (the custody event, or the refusal when all were
    /// refused).
    pub seq: u64,
    /// That event's hash, which the signed token names; `None` when nothing was taken in
    /// (a receipt of refusals proves no custody and carries no token).
    pub event_hash: Option<ChainHash>,
    pub recorded_at: DateTime<Utc>,
    /// Each parcel taken in, with its carrier's name.
    pub parcels: Vec<(TrackingId, String)>,
    /// Each parcel refused, with the reason.
    pub refusals: Vec<(TrackingId, String)>,
    /// The clerk's name as enrolled; only the first name is printed.
    pub clerk: String,
}

/// A parcel that arrived unannounced, for the notice the clerk hands the recipient.
#[derive(Debug, Clone)]
pub struct NoticeFacts {
    pub recipient: String,
    pub tracking_id: TrackingId,
    /// Known only at recording time; `None` on a reprint.
    pub code: Option<PickupCode>,
    pub hold_until: Option<DateTime<Utc>>,
    pub recorded_at: DateTime<Utc>,
    pub seq: u64,
}

/// What a driver took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestFacts {
    pub seq: u64,
    /// The carriers of the parcels taken, by name.
    pub carriers: Vec<String>,
    pub badge: String,
    pub parcels: Vec<TrackingId>,
    pub token_id: Option<String>,
    pub fallback_code: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

/// One stop of a local-delivery run: one recipient at one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunStop {
    pub recipient: String,
    /// Street, then town and postal code; empty when the announcement had no address.
    pub address: Vec<String>,
    pub postal_code: String,
    pub parcels: Vec<TrackingId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunSheetFacts {
    pub seq: u64,
    pub courier: String,
    pub recorded_at: DateTime<Utc>,
    /// In delivery order.
    pub stops: Vec<RunStop>,
}

/// Everything that can be printed, as facts; the app turns it into a [`Slip`] (signing the
/// receipt's token on the way).
#[derive(Debug, Clone)]
pub enum SlipFacts {
    Receipt(ReceiptFacts),
    PickupNotice(NoticeFacts),
    DriverManifest(ManifestFacts),
    RunSheet(RunSheetFacts),
    DayReport { day: NaiveDate, text: String },
}

impl SlipFacts {
    /// The ledger event a slip stands for (none for the day report).
    pub fn seq(&self) -> Option<u64> {
        match self {
            SlipFacts::Receipt(facts) => Some(facts.seq),
            SlipFacts::PickupNotice(facts) => Some(facts.seq),
            SlipFacts::DriverManifest(facts) => Some(facts.seq),
            SlipFacts::RunSheet(facts) => Some(facts.seq),
            SlipFacts::DayReport { .. } => None,
        }
    }

    /// The same facts as a reprint shows them: a pickup code is never printed again.
    pub fn for_reprint(self) -> Self {
        match self {
            SlipFacts::PickupNotice(mut facts) => {
                facts.code = None;
                SlipFacts::PickupNotice(facts)
            }
            other => other,
        }
    }
}

/// Whether records of this kind print a slip (and so can be reprinted).
pub fn has_slip(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::CustomerDropOff
            | EventKind::CustomerReturn
            | EventKind::DropOffRefused
            | EventKind::DriverDelivery
            | EventKind::DriverPickup
            | EventKind::LocalDeliveryOut
    )
}

/// The first word of a clerk's name: customers need no more.
pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or("")
}

/// The last `n` characters of a tracking id (what a notice shows of it).
pub fn last_chars(text: &str, n: usize) -> &str {
    let start = text
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(index, _)| index);
    &text[start..]
}

pub use crate::print::{Block, Slip, SlipKind};
