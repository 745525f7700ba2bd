//! Instants as staff read them: in the store's time zone, never in UTC while the clock on the
//! wall says otherwise. Output for machines keeps the offset (RFC 3339).

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};

/// For a person: `2026-11-25 15:05:03 MST`.
pub fn for_people<Z: TimeZone>(instant: DateTime<Utc>, zone: &Z) -> String
where
    Z::Offset: std::fmt::Display,
{
    instant
        .with_timezone(zone)
        .format("%Y-%m-%d %H:%M:%S %Z")
        .to_string()
}

/// A time of day for a person, today's in the store: `15:05:03 MST`.
pub fn clock_for_people<Z: TimeZone>(instant: DateTime<Utc>, zone: &Z) -> String
where
    Z::Offset: std::fmt::Display,
{
    instant
        .with_timezone(zone)
        .format("%H:%M:%S %Z")
        .to_string()
}

/// For a machine: RFC 3339 with the store's offset, `2026-11-25T15:05:03-07:00`.
pub fn for_machines<Z: TimeZone>(instant: DateTime<Utc>, zone: &Z) -> String
where
    Z::Offset: std::fmt::Display,
{
    instant
        .with_timezone(zone)
        .to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_time_carries_the_zone_and_the_offset() {
        let instant = Utc.with_ymd_and_hms(2026, 11, 25, 22, 5, 3).unwrap();
        let zone = chrono_tz::America::Phoenix;
        assert_eq!(for_people(instant, &zone), "2026-11-25 15:05:03 MST");
        assert_eq!(clock_for_people(instant, &zone), "15:05:03 MST");
        assert_eq!(for_machines(instant, &zone), "2026-11-25T15:05:03-07:00");
    }
}
