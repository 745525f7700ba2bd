//! The store calendar: opening hours per weekday (with midday closures), exceptional closures,
//! and the hold-expiry rule, all in the store's own time zone.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

/// One opening interval within a day, `opens < closes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenInterval {
    pub opens: NaiveTime,
    pub closes: NaiveTime,
}

/// A run of whole days the store is closed, both ends included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub reason: String,
}

/// How long parcels are held for customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoldRule {
    pub pickup_days: u32,
    /// Whether days the store is closed count toward the hold.
    pub count_closed_days: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoreCalendar {
    pub time_zone: Tz,
    /// Indexed by `Weekday::num_days_from_monday()`; an empty day is a closed day.
    pub weekly_hours: [Vec<OpenInterval>; 7],
    pub closures: Vec<Closure>,
    pub holds: HoldRule,
}

impl StoreCalendar {
    pub fn local_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.time_zone).date_naive()
    }

    pub fn hours_on(&self, weekday: Weekday) -> &[OpenInterval] {
        &self.weekly_hours[weekday.num_days_from_monday() as usize]
    }

    /// The exceptional closure covering `day`, if any.
    pub fn closure_on(&self, day: NaiveDate) -> Option<&Closure> {
        self.closures
            .iter()
            .find(|closure| closure.first_day <= day && day <= closure.last_day)
    }

    pub fn is_closed_day(&self, day: NaiveDate) -> bool {
        self.hours_on(day.weekday()).is_empty() || self.closure_on(day).is_some()
    }

    pub fn is_open_at(&self, instant: DateTime<Utc>) -> bool {
        let local = instant.with_timezone(&self.time_zone);
        let day = local.date_naive();
        let time = local.time();
        !self.is_closed_day(day)
            && self
                .hours_on(day.weekday())
                .iter()
                .any(|interval| interval.opens <= time && time < interval.closes)
    }

    /// The first instant of a local day. On a day whose midnight falls in a DST gap the day
    /// starts at the first time that exists.
    pub fn start_of_day(&self, day: NaiveDate) -> DateTime<Utc> {
        let mut probe = day.and_time(NaiveTime::MIN);
        for _ in 0..4 {
            match self.time_zone.from_local_datetime(&probe) {
                LocalResult::Single(instant) => return instant.with_timezone(&Utc),
                LocalResult::Ambiguous(earliest, _) => return earliest.with_timezone(&Utc),
                LocalResult::None => probe += Duration::hours(1),
            }
        }
        // No zone skips four hours; fall back to reading the local midnight as UTC.
        probe.and_utc()
    }

    /// The UTC half-open range `[start, end)` of a local day.
    pub fn day_bounds(&self, day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        let next = day.succ_opt().unwrap_or(day);
        (self.start_of_day(day), self.start_of_day(next))
    }

    /// When a parcel received at `received_at` stops being held for its customer: the end of
    /// the `pickup_days`-th day after the day of receipt (counting only open days unless closed
    /// days count), in the store's time zone.
    pub fn hold_expiry(&self, received_at: DateTime<Utc>) -> DateTime<Utc> {
        self.hold_expiry_under(received_at, self.holds)
    }

    /// [`Self::hold_expiry`] under another rule (a carrier's own hold days).
    pub fn hold_expiry_under(&self, received_at: DateTime<Utc>, rule: HoldRule) -> DateTime<Utc> {
        let mut day = self.local_date(received_at);
        let mut counted = 0;
        // Bounded: even a calendar closed every day cannot loop for ever.
        let mut steps = 0;
        while counted < rule.pickup_days && steps < 3_660 {
            day = day.succ_opt().unwrap_or(day);
            steps += 1;
            if rule.count_closed_days || !self.is_closed_day(day) {
                counted += 1;
            }
        }
        self.day_bounds(day).1
    }

    /// The next `limit` closed days from `from` on (inclusive), with the reason for each.
    pub fn upcoming_closed_days(&self, from: NaiveDate, limit: usize) -> Vec<(NaiveDate, String)> {
        let mut found = Vec::new();
        let mut day = from;
        for _ in 0..400 {
            if found.len() >= limit {
                break;
            }
            if let Some(closure) = self.closure_on(day) {
                found.push((day, closure.reason.clone()));
            } else if self.hours_on(day.weekday()).is_empty() {
                found.push((day, "regular closed day".to_owned()));
            }
            day = match day.succ_opt() {
                Some(next) => next,
                None => break,
            };
        }
        found
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn time(text: &str) -> NaiveTime {
        NaiveTime::parse_from_str(text, "%H:%M").unwrap()
    }

    pub(crate) fn sample_calendar(count_closed_days: bool) -> StoreCalendar {
        let weekday = vec![
            OpenInterval {
                opens: time("09:00"),
                closes: time("12:30"),
            },
            OpenInterval {
                opens: time("13:30"),
                closes: time("18:00"),
            },
        ];
        let mut weekly_hours: [Vec<OpenInterval>; 7] = Default::default();
        for day in weekly_hours.iter_mut().take(6) {
            *day = weekday.clone();
        }
        StoreCalendar {
            time_zone: chrono_tz::America::New_York,
            weekly_hours,
            closures: vec![Closure {
                first_day: NaiveDate::from_ymd_opt(2026, 12, 25).unwrap(),
                last_day: NaiveDate::from_ymd_opt(2026, 12, 26).unwrap(),
                reason: "Christmas".into(),
            }],
            holds: HoldRule {
                pickup_days: 3,
                count_closed_days,
            },
        }
    }

    fn new_york(text: &str) -> DateTime<Utc> {
        let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
        chrono_tz::America::New_York
            .from_local_datetime(&naive)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn open_hours_with_midday_closure_and_sunday_closed() {
        let calendar = sample_calendar(false);
        assert!(calendar.is_open_at(new_york("2026-11-24 10:00")));
        assert!(!calendar.is_open_at(new_york("2026-11-24 12:45")));
        assert!(!calendar.is_open_at(new_york("2026-11-24 18:00")));
        assert!(!calendar.is_open_at(new_york("2026-11-29 10:00"))); // Sunday
        assert!(!calendar.is_open_at(new_york("2026-12-25 10:00"))); // Christmas
    }

    #[test]
    fn hold_expiry_skips_closed_days_unless_configured() {
        // Received Wed 23 Dec; Thu 24 counts, Fri 25 and Sat 26 closed, Sun 27 closed,
        // Mon 28 and Tue 29 count: expiry at the start of Wed 30 Dec.
        let received = new_york("2026-12-23 11:00");
        assert_eq!(
            sample_calendar(false).hold_expiry(received),
            new_york("2026-12-30 00:00")
        );
        assert_eq!(
            sample_calendar(true).hold_expiry(received),
            new_york("2026-12-27 00:00")
        );
    }

    #[test]
    fn day_bounds_follow_dst() {
        let calendar = sample_calendar(false);
        // 2026-03-08: clocks go forward in New York, so the day has 23 hours.
        let (start, end) = calendar.day_bounds(NaiveDate::from_ymd_opt(2026, 3, 8).unwrap());
        assert_eq!(end - start, Duration::hours(23));
        let (start, end) = calendar.day_bounds(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
        assert_eq!(end - start, Duration::hours(25));
    }

    #[test]
    fn upcoming_closed_days_name_their_reason() {
        let calendar = sample_calendar(false);
        let closed =
            calendar.upcoming_closed_days(NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(), 3);
        let reasons: Vec<&str> = closed.iter().map(|(_, reason)| reason.as_str()).collect();
        assert_eq!(reasons, ["Christmas", "Christmas", "regular closed day"]);
    }
}
