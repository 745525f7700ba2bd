//! The live link in the status bar: when head office last acknowledged the ledger, or since
//! when it has not been reached and how many events wait. Said in words and symbols.

use chrono::{DateTime, Utc};

use crate::link::LinkStatus;

mod words {
    pub const OK: &str = "HQ ✔";
    pub const DOWN: &str = "HQ ✘";
    pub const JUST_NOW: &str = "just now";
    pub const SENDING: &str = "HQ sending";
    pub const OFFLINE_SINCE: &str = "HQ offline since";
    pub const WAITING: &str = "waiting";
}

/// The full text ("HQ ✔ 2 min ago", "HQ offline since 09:14, 37 waiting").
pub fn text(status: &LinkStatus, now: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
    if let Some(since) = status.offline_since {
        let local = since.with_timezone(&zone);
        let when = if local.date_naive() == now.with_timezone(&zone).date_naive() {
            local.format("%H:%M").to_string()
        } else {
            local.format("%d %b %H:%M").to_string()
        };
        return format!(
            "{} {when}, {} {}",
            words::OFFLINE_SINCE,
            status.waiting,
            words::WAITING
        );
    }
    match status.last_acknowledged {
        Some(at) if status.waiting == 0 || now - at < chrono::Duration::minutes(1) => {
            format!("{} {}", words::OK, ago(now - at))
        }
        _ if status.waiting == 0 => words::OK.to_owned(),
        _ => format!("{}, {} {}", words::SENDING, status.waiting, words::WAITING),
    }
}

/// The short text for a narrow bar ("HQ ✔", "HQ ✘ 37 waiting").
pub fn compact(status: &LinkStatus) -> String {
    if status.offline_since.is_some() {
        format!("{} {} {}", words::DOWN, status.waiting, words::WAITING)
    } else {
        words::OK.to_owned()
    }
}

fn ago(elapsed: chrono::Duration) -> String {
    let minutes = elapsed.num_minutes();
    match minutes {
        ..1 => words::JUST_NOW.to_owned(),
        1..60 => format!("{minutes} min ago"),
        60..1440 => format!("{} h ago", minutes / 60),
        _ => format!("{} d ago", minutes / 1440),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_link_is_said_in_words_and_symbols() {
        let zone = chrono_tz::America::Phoenix;
        let now = zone
            .with_ymd_and_hms(2026, 11, 24, 10, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        let ok = LinkStatus {
            last_acknowledged: Some(now - chrono::Duration::minutes(2)),
            ..LinkStatus::default()
        };
        assert_eq!(text(&ok, now, zone), "HQ ✔ 2 min ago");
        assert_eq!(compact(&ok), "HQ ✔");
        let down = LinkStatus {
            waiting: 37,
            offline_since: Some(now - chrono::Duration::minutes(46)),
            ..ok.clone()
        };
        assert_eq!(text(&down, now, zone), "HQ offline since 09:14, 37 waiting");
        assert_eq!(compact(&down), "HQ ✘ 37 waiting");
        let sending = LinkStatus {
            waiting: 3,
            last_acknowledged: Some(now - chrono::Duration::minutes(5)),
            ..LinkStatus::default()
        };
        assert_eq!(text(&sending, now, zone), "HQ sending, 3 waiting");
    }
}
