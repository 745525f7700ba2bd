//! The desk's words, in one place: its menu, its key bars' companions and its counted phrases.

/// The menu, one line a page, in the order of their keys.
pub const MENU: [&str; 9] = [
    "1  Staff: add, disable, new PIN, clear a lockout",
    "2  Import the carrier's expected parcels",
    "3  Store: calendar and settings in force",
    "4  Shelf check",
    "5  Quit the kiosk",
    "6  End-of-day report",
    "7  Export a day for head office",
    "8  Correct a mistaken record",
    "9  Head office link: what waits, last receipts",
];

pub const CORRECT_START: &str =
    "Scan or type the id of the parcel whose record was a mistake, then Enter.";
pub const CORRECT_CHOOSE: &str =
    "Choose the mistaken record (↑↓) and the reason (F3), then Enter and your PIN.";
pub const CORRECT_RULE: &str = "Only the latest record of a parcel can be corrected.";
pub const NOT_ON_RECORD: &str = "is not in the store's records";
pub const CORRECT_NOTHING: &str = "Scan or type a parcel's id first.";

pub const MORE_ABOVE: &str = "↑ more above";

/// The mark under a report that goes on below the screen.
pub fn more_below(lines: usize) -> String {
    format!(
        "↓ {lines} more {}",
        if lines == 1 { "line" } else { "lines" }
    )
}

/// What the desk says of a finished export.
pub fn exported(events_written: u64, folder: &str, key_id: &str, complete: bool) -> String {
    format!(
        "{} exported to {folder} (manifest signed with key {key_id}){}",
        events(events_written),
        if complete {
            ""
        } else {
            "; the day was not over: \"complete\": false"
        }
    )
}

/// The warning before exporting a day that has not ended.
pub fn export_unfinished(day: &str) -> String {
    format!(
        "! {day} has not ended: events recorded later that day will not be in this export, and its manifest will say \"complete\": false."
    )
}

/// The offer of a fresh folder when the day was exported before.
pub fn export_again(folder: &str) -> String {
    format!("! This day was exported before; this export goes to a new folder, {folder}.")
}

pub const EXPORT_ANYWAY: &str = "Enter: export anyway   Esc: back";

/// "1 parcel", "2 parcels".
pub fn parcels(count: usize) -> String {
    counted(count, "parcel", "parcels")
}

/// "1 event", "2 events".
pub fn events(count: u64) -> String {
    counted(
        usize::try_from(count).unwrap_or(usize::MAX),
        "event",
        "events",
    )
}

pub fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// A list of shelves in words: "X", "X and B", "X, B and C".
pub fn shelves(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_lists_read_as_words() {
        assert_eq!(parcels(1), "1 parcel");
        assert_eq!(parcels(0), "0 parcels");
        assert_eq!(events(2), "2 events");
        assert_eq!(more_below(1), "↓ 1 more line");
        assert_eq!(more_below(6), "↓ 6 more lines");
        assert_eq!(shelves(&["X".into()]), "X");
        assert_eq!(shelves(&["X".into(), "B".into(), "C".into()]), "X, B and C");
    }
}
