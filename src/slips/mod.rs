//! What each slip holds: pure functions from domain facts to a [`Slip`]. No terminal, no SQL,
//! no paper width (the printer lays the blocks out). The facts come from committed ledger
//! events (see [`from_ledger`]), so a slip never shows what is not on the chain.

mod build;
pub mod from_ledger;

pub use build::{day_report, driver_manifest, pickup_notice, receipt, run_sheet};

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;

use crate::config::KioskConfig;
use crate::domain::calendar::{OpenInterval, StoreCalendar};
use crate::domain::chain::ChainHash;
use crate::domain::codes::PickupCode;
use crate::domain::custody::EventKind;
use crate::domain::ids::TrackingId;
use crate::domain::labels::Carrier;
use crate::i18n::{self, Lang};
use crate::t;

/// The week's opening hours as the store's calendar has them, Monday first; a day without
/// intervals is closed.
pub type WeekHours = Vec<(Weekday, Vec<OpenInterval>)>;

/// The store as a slip heads it: name, address lines and opening hours, from kiosk.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreHeader {
    pub name: String,
    pub address: Vec<String>,
    /// Kept as times, not text: each slip words them in its own language.
    pub hours: WeekHours,
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
            hours: week_hours(&config.calendar),
            time_zone: config.store.time_zone,
        }
    }

    /// An instant in the store's time, as people of `lang` read it: "2026-11-25 15:05:03 MST",
    /// "25/11/2026 15:05:03 MST".
    pub fn local_time(&self, lang: Lang, instant: DateTime<Utc>) -> String {
        let local = instant.with_timezone(&self.time_zone);
        t!(
            lang,
            "slip-moment",
            year = local.format("%Y").to_string(),
            month = local.format("%m").to_string(),
            day = local.format("%d").to_string(),
            time = local.format("%H:%M:%S %Z").to_string()
        )
    }

    pub fn local_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.time_zone).date_naive()
    }

    /// The week's opening hours, one line a day: "Mon 09:00-19:00", "dom cerrado".
    pub fn hours_lines(&self, lang: Lang) -> Vec<String> {
        self.hours
            .iter()
            .map(|(day, intervals)| {
                let weekday = weekday_name(lang, *day);
                if intervals.is_empty() {
                    t!(lang, "slip-hours-closed", weekday = weekday)
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
                    t!(
                        lang,
                        "slip-hours-open",
                        weekday = weekday,
                        hours = spans.join(", ")
                    )
                }
            })
            .collect()
    }
}

/// The week's opening hours from the store's calendar.
fn week_hours(calendar: &StoreCalendar) -> WeekHours {
    const DAYS: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    DAYS.iter()
        .map(|day| (*day, calendar.hours_on(*day).to_vec()))
        .collect()
}

/// A weekday's short name in `lang` ("Tue", "mar"), from the shared dates of common.ftl.
fn weekday_name(lang: Lang, day: Weekday) -> String {
    i18n::weekday_short(lang, day)
}

/// A day as a slip prints it: "Tue 2026-12-01", "mar 01/12/2026".
pub fn day_text(lang: Lang, day: NaiveDate) -> String {
    t!(
        lang,
        "slip-day",
        weekday = weekday_name(lang, day.weekday()),
        year = day.format("%Y").to_string(),
        month = day.format("%m").to_string(),
        day = day.format("%d").to_string()
    )
}

/// A carrier's name on a slip: brands as they are, the words ("post", "other") in `lang`.
pub fn carrier_name(lang: Lang, carrier: Carrier) -> String {
    match carrier {
        Carrier::PostalS10 { country } => {
            t!(lang, "slip-carrier-post", country = country.as_str())
        }
        Carrier::Other => t!(lang, "slip-carrier-other"),
        brand => brand.to_string(),
    }
}

/// A refusal's reason as recorded (the counter's canonical English) in `lang`; a reason the
/// kiosk does not know prints as recorded.
pub fn refusal_reason_text(lang: Lang, recorded: &str) -> String {
    match recorded {
        "damaged" => t!(lang, "slip-reason-damaged"),
        "over the size limit" => t!(lang, "slip-reason-size"),
        "over the weight limit" => t!(lang, "slip-reason-weight"),
        "prohibited item" => t!(lang, "slip-reason-prohibited"),
        other => other.to_owned(),
    }
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
    /// Each parcel taken in, with its carrier.
    pub parcels: Vec<(TrackingId, Carrier)>,
    /// Each parcel refused, with the reason as recorded (translated only when printed).
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
    /// The carriers of the parcels taken, each once.
    pub carriers: Vec<Carrier>,
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
    /// The end-of-day report, printed from its figures in the slip's language.
    DayReport(Box<crate::domain::report::DayReport>),
}

impl SlipFacts {
    /// The ledger event a slip stands for (none for the day report).
    pub fn seq(&self) -> Option<u64> {
        match self {
            SlipFacts::Receipt(facts) => Some(facts.seq),
            SlipFacts::PickupNotice(facts) => Some(facts.seq),
            SlipFacts::DriverManifest(facts) => Some(facts.seq),
            SlipFacts::RunSheet(facts) => Some(facts.seq),
            SlipFacts::DayReport(_) => None,
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
