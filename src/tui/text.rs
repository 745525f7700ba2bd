//! Words the whole counter shares. Each screen and flow keeps its own words in one place at
//! its top; these are the ones several of them say the same way.

pub const ENLARGE: &str = "Enlarge the window";
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub const KIOSK_MODE_KEYS: &str = "Kiosk mode: this key does not end the kiosk. To quit, lock the screen and press F10 (manager PIN).";
pub const RECORDED_NOTHING: &str = "Nothing was recorded.";
/// A refused pickup code could not be put on the chain (the wait after wrong codes counts it).
pub const CODE_REFUSAL_NOT_RECORDED: &str = "The wrong code could not be put on record";
pub const IDLE_LOCKED: &str =
    "Locked after a while without activity. Any unfinished handoff was discarded.";
/// Shown in the last seconds before the idle lock, so a clerk mid-handoff is not surprised.
pub const IDLE_WARNING_SECONDS: i64 = 15;

pub fn idle_warning(seconds_left: i64) -> String {
    let unit = if seconds_left == 1 {
        "second"
    } else {
        "seconds"
    };
    format!(
        "Locking in {seconds_left} {unit} for lack of use: an unfinished handoff is discarded. \
         Press any key to stay."
    )
}
pub const ESC_AGAIN: &str = "Press Esc again to discard this handoff (nothing is recorded).";
