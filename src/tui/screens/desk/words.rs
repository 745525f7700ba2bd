//! The desk's words: their text lives in `assets/locales/*/desk.ftl`; these put the values in.
//! (`exported` and the English counts stay for the export worker, which speaks no language
//! yet.)

use crate::i18n::Lang;
use crate::t;

/// The menu, one line a page, in the order of their keys.
pub fn menu(lang: Lang) -> [String; 9] {
    [
        t!(lang, "desk-menu-1"),
        t!(lang, "desk-menu-2"),
        t!(lang, "desk-menu-3"),
        t!(lang, "desk-menu-4"),
        t!(lang, "desk-menu-5"),
        t!(lang, "desk-menu-6"),
        t!(lang, "desk-menu-7"),
        t!(lang, "desk-menu-8"),
        t!(lang, "desk-menu-9"),
    ]
}

/// The mark under a report that goes on below the screen.
pub fn more_below(lang: Lang, lines: usize) -> String {
    t!(lang, "desk-more-below", count = lines)
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
pub fn export_unfinished(lang: Lang, day: &str) -> String {
    t!(lang, "desk-export-unfinished", day = day)
}

/// The offer of a fresh folder when the day was exported before.
pub fn export_again(lang: Lang, folder: &str) -> String {
    t!(lang, "desk-export-again", folder = folder)
}

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

/// The same in `lang`: "X, B and C", "X, B y C".
pub fn shelves_in(lang: Lang, names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => t!(
            lang,
            "desk-shelf-list",
            first = rest.join(", "),
            last = last.as_str()
        ),
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
        assert_eq!(more_below(Lang::En, 1), "↓ 1 more line");
        assert_eq!(more_below(Lang::En, 6), "↓ 6 more lines");
        assert_eq!(more_below(Lang::Es, 1), "↓ 1 línea más");
        assert_eq!(shelves(&["X".into()]), "X");
        assert_eq!(shelves(&["X".into(), "B".into(), "C".into()]), "X, B and C");
    }
}
