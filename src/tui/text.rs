//! Words the whole counter shares. Each screen and flow keeps its own words in one place; these
//! are the ones several of them say the same way. Their text lives in
//! `assets/locales/*/app.ftl` (and `status.ftl` for the too-small screen).

use crate::i18n::Lang;
use crate::t;

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Shown in the last seconds before the idle lock, so a clerk mid-handoff is not surprised.
pub const IDLE_WARNING_SECONDS: i64 = 15;

pub fn enlarge(lang: Lang) -> String {
    t!(lang, "status-enlarge")
}

pub fn kiosk_mode_keys(lang: Lang) -> String {
    t!(lang, "app-kiosk-mode-keys")
}

pub fn recorded_nothing(lang: Lang) -> String {
    t!(lang, "app-recorded-nothing")
}

/// A refused pickup code could not be put on the chain (the wait after wrong codes counts it).
pub fn code_refusal_not_recorded(lang: Lang) -> String {
    t!(lang, "app-code-refusal-not-recorded")
}

pub fn idle_locked(lang: Lang) -> String {
    t!(lang, "app-idle-locked")
}

pub fn idle_warning(lang: Lang, seconds_left: i64) -> String {
    t!(lang, "app-idle-warning", seconds = seconds_left)
}

pub fn esc_again(lang: Lang) -> String {
    t!(lang, "app-esc-again")
}
