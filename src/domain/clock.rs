//! Time as an injected dependency: everything that depends on "now" (hold expiry, lockouts, token
//! expiry, idle lock, day boundaries) asks a `Clock`, so tests can stand at any instant.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};

/// The source of the current instant.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The machine's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until a test moves it. Clones share the same instant, so a test can
/// hand one clone to the code under test and advance another.
#[derive(Debug, Clone)]
pub struct FixedClock {
    instant: Arc<Mutex<DateTime<Utc>>>,
}

impl FixedClock {
    pub fn at(instant: DateTime<Utc>) -> Self {
        Self {
            instant: Arc::new(Mutex::new(instant)),
        }
    }

    pub fn set(&self, instant: DateTime<Utc>) {
        *self.instant.lock().unwrap_or_else(PoisonError::into_inner) = instant;
    }

    pub fn advance(&self, by: Duration) {
        let mut guard = self.instant.lock().unwrap_or_else(PoisonError::into_inner);
        *guard += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.instant.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// How far the wall clock may stand behind the newest recorded event before recording stops.
/// Two minutes: wide enough for NTP stepping a drifted clock back by seconds, and for another
/// machine's clock (an admin command run elsewhere on the same ledger) being a little ahead;
/// far narrower than any real "clock moved back" (hours or days), which would put events out
/// of order and make the day's export look tampered with to head office.
pub const CLOCK_BEHIND_TOLERANCE: Duration = Duration::minutes(2);

/// The clock stands behind the newest event by more than [`CLOCK_BEHIND_TOLERANCE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockBehind {
    pub last_event: DateTime<Utc>,
    pub now: DateTime<Utc>,
    /// The store's zone: staff read both times as the clock on the wall shows them.
    pub zone: chrono_tz::Tz,
}

impl std::fmt::Display for ClockBehind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the clock is behind the last recorded event (the clock says {}, the last event was recorded at {}); nothing was recorded until the time is right: set the clock",
            super::store_time::for_people(self.now, &self.zone),
            super::store_time::for_people(self.last_event, &self.zone)
        )
    }
}

/// Whether `now` may be written after an event recorded at `last_event`.
pub fn check_not_behind(
    last_event: DateTime<Utc>,
    now: DateTime<Utc>,
    zone: chrono_tz::Tz,
) -> Result<(), ClockBehind> {
    if now + CLOCK_BEHIND_TOLERANCE < last_event {
        Err(ClockBehind {
            last_event,
            now,
            zone,
        })
    } else {
        Ok(())
    }
}

/// Microseconds since the Unix epoch: the ledger's one time representation, exact and ordered.
pub fn to_micros(instant: DateTime<Utc>) -> i64 {
    instant.timestamp_micros()
}

/// The inverse of [`to_micros`]; values outside chrono's range (only possible in a tampered
/// database) collapse to the epoch rather than panicking.
pub fn from_micros(micros: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_clones_share_one_instant() {
        let start = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let clock = FixedClock::at(start);
        let handle = clock.clone();
        handle.advance(Duration::seconds(90));
        assert_eq!(clock.now(), start + Duration::seconds(90));
    }

    #[test]
    fn a_clock_behind_by_more_than_the_tolerance_is_refused() {
        let last = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert!(check_not_behind(last, last, chrono_tz::UTC).is_ok());
        assert!(check_not_behind(last, last - CLOCK_BEHIND_TOLERANCE, chrono_tz::UTC).is_ok());
        assert!(check_not_behind(last, last + Duration::days(3), chrono_tz::UTC).is_ok());
        let behind = check_not_behind(last, last - Duration::days(2), chrono_tz::UTC).unwrap_err();
        assert!(
            behind.to_string().contains("the clock is behind"),
            "{behind}"
        );
        let phoenix = check_not_behind(last, last - Duration::days(2), chrono_tz::America::Phoenix)
            .unwrap_err()
            .to_string();
        assert!(
            phoenix.contains(" MST") && !phoenix.contains("UTC"),
            "staff read the store's time: {phoenix}"
        );
        assert!(
            check_not_behind(
                last,
                last - CLOCK_BEHIND_TOLERANCE - Duration::seconds(1),
                chrono_tz::UTC
            )
            .is_err()
        );
    }

    #[test]
    fn micros_round_trip() {
        let instant = DateTime::from_timestamp_micros(1_800_000_000_123_456).unwrap();
        assert_eq!(from_micros(to_micros(instant)), instant);
    }
}
