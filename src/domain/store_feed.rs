//! The store as an access point in Amazon Hub Counter's published Store Feed
//! (amzn/amazon-hub-counter-api-docs, `amazon-hub-counter-openapi.yaml`, version 1.2.0): the
//! schema's fields, and the rules its FAQ and error list add, checked before anything is sent.

use chrono::{Days, NaiveDate, NaiveTime};
use serde_json::{Map, Value, json};
use thiserror::Error;

use super::calendar::{Closure, StoreCalendar};
use super::ids::StoreId;

/// The name prefix the feed asks Amazon Counter stores to use ("Amazon Counter - Acme
/// Manchester"); third-party pick-up points use none, so the caller passes the one it needs.
pub const AMAZON_COUNTER_NAME_PREFIX: &str = "Amazon Counter - ";
/// `accessPointName` has at most 50 characters, prefix included.
pub const NAME_MAX_CHARS: usize = 50;
/// "more than 30 active exceptional closures" makes the store an error.
pub const CLOSURES_MAX: usize = 30;
/// `capacity.threshold` has a minimum of 5 packages.
pub const CAPACITY_MIN: u32 = 5;

const DAYS: [&str; 7] = [
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
];

/// What the feed says about a store, taken from the kiosk's configuration by the caller.
#[derive(Debug, Clone)]
pub struct AccessPoint<'a> {
    pub id: &'a StoreId,
    pub name_prefix: &'a str,
    pub name: &'a str,
    pub is_active: bool,
    pub time_zone: &'a str,
    pub capacity: u32,
    /// Feed codes (`PICK_UP`, `DROP_OFF`); others are left out, as the feed has no others.
    pub capabilities: Vec<&'a str>,
    pub street: &'a str,
    pub city: &'a str,
    pub region: &'a str,
    pub postal_code: &'a str,
    pub country_code: &'a str,
    pub latitude: f64,
    pub longitude: f64,
    /// Phone and e-mail for `communicationDetails`; the feed requires both when it is sent.
    pub contact: Option<(&'a str, &'a str)>,
}

/// A store the feed would refuse, said so the manager can fix kiosk.toml.
#[derive(Debug, Error, PartialEq)]
pub enum FeedError {
    #[error("the store feed needs at least 2 open days a week; the hours give {0}")]
    TooFewOpenDays(usize),
    #[error("{day}: opening {opens} is not before closing {closes}")]
    HoursOutOfOrder {
        day: &'static str,
        opens: NaiveTime,
        closes: NaiveTime,
    },
    #[error(
        "the access point name {name:?} has {chars} characters; the feed allows {NAME_MAX_CHARS}"
    )]
    NameTooLong { name: String, chars: usize },
    #[error("capacity {0} is below the feed's minimum of {CAPACITY_MIN} parcels")]
    CapacityTooSmall(u32),
    #[error("the store has no capability the feed knows (PICK_UP, DROP_OFF)")]
    NoCapability,
    #[error("latitude {latitude} / longitude {longitude} is not a place the feed accepts")]
    BadCoordinates { latitude: f64, longitude: f64 },
}

/// The feed body, and what was left out so the caller can say so.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub body: Value,
    /// Future closures past the first [`CLOSURES_MAX`], which the feed cannot carry.
    pub closures_left_out: usize,
}

/// Builds `{"accessPoints": [record]}` for a store, as of the store-local day `today`.
pub fn store_feed(
    point: &AccessPoint<'_>,
    calendar: &StoreCalendar,
    today: NaiveDate,
) -> Result<Feed, FeedError> {
    let name = format!("{}{}", point.name_prefix, point.name);
    let chars = name.chars().count();
    if chars > NAME_MAX_CHARS {
        return Err(FeedError::NameTooLong { name, chars });
    }
    if point.capacity < CAPACITY_MIN {
        return Err(FeedError::CapacityTooSmall(point.capacity));
    }
    if point.capabilities.is_empty() {
        return Err(FeedError::NoCapability);
    }
    let (latitude, longitude) = coordinates(point.latitude, point.longitude)?;
    let mut address = Map::new();
    for (field, value) in [
        ("addressFieldOne", point.street),
        ("city", point.city),
        ("region", point.region),
        ("postalCode", point.postal_code),
        ("countryCode", point.country_code),
    ] {
        // "if they are being provided, they can't be null or empty": an empty optional field
        // (a UK store has no region) is left out.
        if !value.trim().is_empty() {
            address.insert(field.into(), value.into());
        }
    }
    address.insert("latitude".into(), latitude.into());
    address.insert("longitude".into(), longitude.into());
    let (closures, closures_left_out) = future_closures(&calendar.closures, today);
    let mut record = json!({
        "accessPointId": point.id.as_str(),
        "accessPointName": name,
        "isActive": point.is_active,
        "timeZone": point.time_zone,
        "capacity": { "threshold": point.capacity },
        "capabilities": point.capabilities,
        "address": address,
        "standardHours": standard_hours(calendar)?,
    });
    if let Some(fields) = record.as_object_mut() {
        if let Some((phone, email)) = point.contact {
            fields.insert(
                "communicationDetails".into(),
                json!({ "phoneNumber": phone, "emailId": email }),
            );
        }
        if !closures.is_empty() {
            fields.insert("exceptionalClosures".into(), closures.into());
        }
    }
    Ok(Feed {
        body: json!({ "accessPoints": [record] }),
        closures_left_out,
    })
}

/// Strings with exactly 6 decimals, in range, and not both zero (the feed's FAQ).
fn coordinates(latitude: f64, longitude: f64) -> Result<(String, String), FeedError> {
    let latitude_text = format!("{latitude:.6}");
    let longitude_text = format!("{longitude:.6}");
    let zero = |text: &str| text.trim_start_matches('-') == "0.000000";
    let usable = (-90.0..=90.0).contains(&latitude)
        && (-180.0..=180.0).contains(&longitude)
        && !(zero(&latitude_text) && zero(&longitude_text));
    if usable {
        Ok((latitude_text, longitude_text))
    } else {
        Err(FeedError::BadCoordinates {
            latitude,
            longitude,
        })
    }
}

fn clock_time(time: NaiveTime) -> String {
    time.format("%H:%M:%S").to_string()
}

/// One entry per open weekday (closed weekdays are left out, as the FAQ says); the gaps
/// between a day's opening intervals are its mid-day closures, which lie inside the day's
/// hours because the intervals are checked to be in order. `midDayClosures` has `minItems: 1`,
/// so a day without a break has none.
fn standard_hours(calendar: &StoreCalendar) -> Result<Vec<Value>, FeedError> {
    let mut entries = Vec::new();
    for (day, intervals) in DAYS.iter().zip(&calendar.weekly_hours) {
        let (Some(first), Some(last)) = (intervals.first(), intervals.last()) else {
            continue;
        };
        let mut previous_end: Option<NaiveTime> = None;
        for interval in intervals {
            let out_of_order = interval.opens >= interval.closes
                || previous_end.is_some_and(|end| interval.opens <= end);
            if out_of_order {
                return Err(FeedError::HoursOutOfOrder {
                    day,
                    opens: interval.opens,
                    closes: interval.closes,
                });
            }
            previous_end = Some(interval.closes);
        }
        let mut entry = json!({
            "day": day,
            "openingTime": clock_time(first.opens),
            "closingTime": clock_time(last.closes),
        });
        let breaks: Vec<Value> = intervals
            .windows(2)
            .map(|pair| {
                json!({
                    "startTime": clock_time(pair[0].closes),
                    "endTime": clock_time(pair[1].opens),
                })
            })
            .collect();
        if let (false, Some(fields)) = (breaks.is_empty(), entry.as_object_mut()) {
            fields.insert("midDayClosures".into(), breaks.into());
        }
        entries.push(entry);
    }
    if entries.len() < 2 {
        return Err(FeedError::TooFewOpenDays(entries.len()));
    }
    Ok(entries)
}

/// Closures from tomorrow on: the feed refuses a start today or earlier ("it has to be some
/// time in the future"), so a closure already under way is sent from tomorrow. Overlapping or
/// touching closures are merged (the feed refuses overlaps), and each is sent as from the
/// first day's 00:00:00 to the last day's 23:59:59, so start is before end even for one day.
fn future_closures(closures: &[Closure], today: NaiveDate) -> (Vec<Value>, usize) {
    let Some(tomorrow) = today.checked_add_days(Days::new(1)) else {
        return (Vec::new(), 0);
    };
    let mut spans: Vec<(NaiveDate, NaiveDate)> = closures
        .iter()
        .filter(|closure| closure.last_day >= tomorrow)
        .map(|closure| (closure.first_day.max(tomorrow), closure.last_day))
        .collect();
    spans.sort();
    let mut merged: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for (first, last) in spans {
        match merged.last_mut() {
            Some((_, previous_last))
                if previous_last
                    .checked_add_days(Days::new(1))
                    .is_some_and(|next| first <= next) =>
            {
                *previous_last = (*previous_last).max(last);
            }
            _ => merged.push((first, last)),
        }
    }
    let left_out = merged.len().saturating_sub(CLOSURES_MAX);
    let values = merged
        .into_iter()
        .take(CLOSURES_MAX)
        .map(|(first, last)| {
            json!({
                "startDateTime": format!("{first}T00:00:00"),
                "endDateTime": format!("{last}T23:59:59"),
            })
        })
        .collect();
    (values, left_out)
}

#[cfg(test)]
mod tests {
    use chrono_tz::America::Phoenix;

    use super::*;
    use crate::domain::calendar::{HoldRule, OpenInterval};

    fn time(text: &str) -> NaiveTime {
        NaiveTime::parse_from_str(text, "%H:%M").unwrap()
    }

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn hours(spans: &[(&str, &str)]) -> Vec<OpenInterval> {
        spans
            .iter()
            .map(|(opens, closes)| OpenInterval {
                opens: time(opens),
                closes: time(closes),
            })
            .collect()
    }

    fn calendar(closures: &[(&str, &str)]) -> StoreCalendar {
        let weekday = hours(&[("09:00", "19:00")]);
        StoreCalendar {
            time_zone: Phoenix,
            weekly_hours: [
                weekday.clone(),
                weekday.clone(),
                weekday.clone(),
                weekday.clone(),
                weekday,
                hours(&[("10:00", "13:00"), ("13:30", "18:00")]),
                Vec::new(),
            ],
            closures: closures
                .iter()
                .map(|(first, last)| Closure {
                    first_day: date(first),
                    last_day: date(last),
                    reason: "test".into(),
                })
                .collect(),
            holds: HoldRule {
                pickup_days: 14,
                count_closed_days: true,
            },
        }
    }

    fn point(id: &StoreId) -> AccessPoint<'_> {
        AccessPoint {
            id,
            name_prefix: AMAZON_COUNTER_NAME_PREFIX,
            name: "Riverside Mall",
            is_active: true,
            time_zone: "America/Phoenix",
            capacity: 20,
            capabilities: vec!["PICK_UP"],
            street: "2 E Riverside Mall Dr",
            city: "Phoenix",
            region: "",
            postal_code: "85004",
            country_code: "US",
            latitude: 33.4484,
            longitude: -112.074,
            contact: Some(("+1 602 555 0100", "store@example.com")),
        }
    }

    fn record(feed: &Feed) -> &Value {
        &feed.body["accessPoints"][0]
    }

    #[test]
    fn the_body_wraps_one_access_point_with_string_coordinates() {
        let id = StoreId::parse("RVM-0045").unwrap();
        let feed = store_feed(&point(&id), &calendar(&[]), date("2026-11-25")).unwrap();
        assert_eq!(feed.body["accessPoints"].as_array().map(Vec::len), Some(1));
        let record = record(&feed);
        assert_eq!(record["accessPointName"], "Amazon Counter - Riverside Mall");
        assert_eq!(record["address"]["latitude"], "33.448400");
        assert_eq!(record["address"]["longitude"], "-112.074000");
        assert!(
            record["address"].get("region").is_none(),
            "empty is left out"
        );
        assert!(
            record.get("exceptionalClosures").is_none(),
            "empty is left out"
        );
        assert_eq!(
            record["communicationDetails"],
            json!({ "phoneNumber": "+1 602 555 0100", "emailId": "store@example.com" })
        );
        let hours = record["standardHours"].as_array().unwrap();
        assert_eq!(hours.len(), 6, "Sunday is closed, so it is left out");
        assert!(hours[0].get("midDayClosures").is_none());
        assert_eq!(
            hours[5]["midDayClosures"],
            json!([{ "startTime": "13:00:00", "endTime": "13:30:00" }])
        );
    }

    #[test]
    fn closures_are_future_only_merged_and_never_start_at_their_end() {
        let id = StoreId::parse("RVM-0045").unwrap();
        let closures = [
            ("2026-11-01", "2026-11-02"), // past
            ("2026-11-25", "2026-11-25"), // today: not allowed, and over tomorrow
            ("2026-11-24", "2026-11-27"), // under way: sent from tomorrow
            ("2026-12-25", "2026-12-25"), // one day
            ("2026-12-31", "2027-01-01"),
            ("2027-01-01", "2027-01-02"), // overlaps the one before
            ("2027-01-03", "2027-01-03"), // touches it
        ];
        let feed = store_feed(&point(&id), &calendar(&closures), date("2026-11-25")).unwrap();
        assert_eq!(
            record(&feed)["exceptionalClosures"],
            json!([
                { "startDateTime": "2026-11-26T00:00:00", "endDateTime": "2026-11-27T23:59:59" },
                { "startDateTime": "2026-12-25T00:00:00", "endDateTime": "2026-12-25T23:59:59" },
                { "startDateTime": "2026-12-31T00:00:00", "endDateTime": "2027-01-03T23:59:59" },
            ])
        );
        assert_eq!(feed.closures_left_out, 0);
    }

    #[test]
    fn at_most_30_closures_are_sent_and_the_rest_counted() {
        let id = StoreId::parse("RVM-0045").unwrap();
        let days: Vec<String> = (0..40)
            .map(|week| (date("2027-01-04") + Days::new(week * 7)).to_string())
            .collect();
        let closures: Vec<(&str, &str)> = days.iter().map(|d| (d.as_str(), d.as_str())).collect();
        let feed = store_feed(&point(&id), &calendar(&closures), date("2026-11-25")).unwrap();
        let sent = record(&feed)["exceptionalClosures"].as_array().unwrap();
        assert_eq!(sent.len(), CLOSURES_MAX);
        assert_eq!(sent[0]["startDateTime"], "2027-01-04T00:00:00");
        assert_eq!(feed.closures_left_out, 10);
    }

    #[test]
    fn a_store_the_feed_would_refuse_is_refused_here() {
        let id = StoreId::parse("RVM-0045").unwrap();
        let today = date("2026-11-25");
        let long_name = "x".repeat(34);
        let cases: Vec<(AccessPoint<'_>, StoreCalendar)> = vec![
            (
                AccessPoint {
                    name: &long_name,
                    ..point(&id)
                },
                calendar(&[]),
            ),
            (
                AccessPoint {
                    capacity: 4,
                    ..point(&id)
                },
                calendar(&[]),
            ),
            (
                AccessPoint {
                    capabilities: Vec::new(),
                    ..point(&id)
                },
                calendar(&[]),
            ),
            (
                AccessPoint {
                    latitude: 0.0,
                    longitude: -0.0000001,
                    ..point(&id)
                },
                calendar(&[]),
            ),
            (
                AccessPoint {
                    latitude: 91.0,
                    ..point(&id)
                },
                calendar(&[]),
            ),
        ];
        for (point, calendar) in &cases {
            assert!(store_feed(point, calendar, today).is_err(), "{point:?}");
        }
        let mut one_day = calendar(&[]);
        for day in one_day.weekly_hours.iter_mut().skip(1) {
            day.clear();
        }
        assert_eq!(
            store_feed(&point(&id), &one_day, today),
            Err(FeedError::TooFewOpenDays(1))
        );
        let mut backwards = calendar(&[]);
        backwards.weekly_hours[2] = hours(&[("10:00", "13:00"), ("12:00", "18:00")]);
        assert!(matches!(
            store_feed(&point(&id), &backwards, today),
            Err(FeedError::HoursOutOfOrder {
                day: "WEDNESDAY",
                ..
            })
        ));
    }
}
