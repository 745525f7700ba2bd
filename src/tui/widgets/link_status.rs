//! The live link in the status bar: when head office last acknowledged the ledger, or since
//! when it has not been reached and how many events wait. Said in words and symbols.

use chrono::{DateTime, Datelike, Utc};

use crate::i18n::Lang;
use crate::link::LinkStatus;
use crate::t;

/// A time of day, with its day when it is not today: "09:14", "24 Nov 09:14".
pub fn when(lang: Lang, at: DateTime<Utc>, now: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
    let local = at.with_timezone(&zone);
    if local.date_naive() == now.with_timezone(&zone).date_naive() {
        local.format("%H:%M").to_string()
    } else {
        day_time(lang, at, zone)
    }
}

/// "24 Nov 09:14" / "24 nov 09:14".
pub fn day_time(lang: Lang, at: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
    let local = at.with_timezone(&zone);
    t!(
        lang,
        "link-day-time",
        day = local.format("%d").to_string(),
        month = crate::i18n::month_short(lang, local.month()),
        time = local.format("%H:%M").to_string()
    )
}

/// The full text ("HQ ✔ 2 min ago", "HQ offline since 09:14, 37 waiting").
pub fn text(lang: Lang, status: &LinkStatus, now: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
    if let Some(since) = status.offline_since {
        return t!(
            lang,
            "link-offline-since",
            when = when(lang, since, now, zone),
            waiting = status.waiting
        );
    }
    match status.last_acknowledged {
        Some(at) if status.waiting == 0 || now - at < chrono::Duration::minutes(1) => {
            t!(lang, "link-ok-ago", ago = ago(lang, now - at))
        }
        _ if status.waiting == 0 => t!(lang, "link-ok"),
        _ => t!(lang, "link-sending", waiting = status.waiting),
    }
}

/// The short text for a narrow bar ("HQ ✔", "HQ ✘ 37 waiting").
pub fn compact(lang: Lang, status: &LinkStatus) -> String {
    if status.offline_since.is_some() {
        t!(lang, "link-down-compact", waiting = status.waiting)
    } else {
        t!(lang, "link-ok")
    }
}

fn ago(lang: Lang, elapsed: chrono::Duration) -> String {
    let minutes = elapsed.num_minutes();
    match minutes {
        ..1 => t!(lang, "link-just-now"),
        1..60 => t!(lang, "link-minutes-ago", minutes = minutes),
        60..1440 => t!(lang, "link-hours-ago", hours = minutes / 60),
        _ => t!(lang, "link-days-ago", days = minutes / 1440),
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
        assert_eq!(text(Lang::En, &ok, now, zone), "HQ ✔ 2 min ago");
        assert_eq!(compact(Lang::En, &ok), "HQ ✔");
        let down = LinkStatus {
            waiting: 37,
            offline_since: Some(now - chrono::Duration::minutes(46)),
            ..ok.clone()
        };
        assert_eq!(
            text(Lang::En, &down, now, zone),
            "HQ offline since 09:14, 37 waiting"
        );
        assert_eq!(compact(Lang::En, &down), "HQ ✘ 37 waiting");
        let sending = LinkStatus {
            waiting: 3,
            last_acknowledged: Some(now - chrono::Duration::minutes(5)),
            ..LinkStatus::default()
        };
        assert_eq!(text(Lang::En, &sending, now, zone), "HQ sending, 3 waiting");

        assert_eq!(text(Lang::Es, &ok, now, zone), "Central ✔ hace 2 min");
        assert_eq!(
            text(Lang::Es, &down, now, zone),
            "Central sin conexión desde 09:14, 37 en espera"
        );
        assert_eq!(compact(Lang::Es, &down), "Central ✘ 37 en espera");
        let yesterday = LinkStatus {
            offline_since: Some(now - chrono::Duration::hours(20)),
            ..down.clone()
        };
        assert_eq!(
            text(Lang::Es, &yesterday, now, zone),
            "Central sin conexión desde 23 nov 14:00, 37 en espera"
        );
    }
}
