//! The desk's words: their text lives in `assets/locales/*/desk.ftl`; these put the values in.

use crate::i18n::Lang;
use crate::t;
use crate::tui::worker::ExportDone;

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

/// What the desk says of a finished export: "✔ 12 events exported to ...".
pub fn exported(lang: Lang, done: &ExportDone) -> String {
    let folder = done.folder.display().to_string();
    if done.complete {
        t!(
            lang,
            "desk-exported",
            count = done.events,
            folder = folder,
            key = done.key_id.as_str()
        )
    } else {
        t!(
            lang,
            "desk-exported-unfinished",
            count = done.events,
            folder = folder,
            key = done.key_id.as_str()
        )
    }
}

/// The warning before exporting a day that has not ended.
pub fn export_unfinished(lang: Lang, day: &str) -> String {
    t!(lang, "desk-export-unfinished", day = day)
}

/// The offer of a fresh folder when the day was exported before.
pub fn export_again(lang: Lang, folder: &str) -> String {
    t!(lang, "desk-export-again", folder = folder)
}

/// What an import did, every kind of outcome with its count: "3 newly announced, 1 refused".
pub fn imported(lang: Lang, outcome: &crate::store::ImportOutcome) -> String {
    let mut parts = vec![t!(lang, "desk-imported-new", count = outcome.announced)];
    let (again, refused) = (outcome.reannounced.len(), outcome.refused.len());
    if again > 0 {
        parts.push(t!(lang, "desk-imported-again", count = again));
    }
    if outcome.unchanged > 0 {
        parts.push(t!(
            lang,
            "desk-imported-unchanged",
            count = outcome.unchanged
        ));
    }
    if refused > 0 {
        parts.push(t!(lang, "desk-imported-refused", count = refused));
    }
    parts.join(", ")
}

/// A list of shelves in `lang`: "X, B and C", "X, B y C".
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
        assert_eq!(more_below(Lang::En, 1), "↓ 1 more line");
        assert_eq!(more_below(Lang::En, 6), "↓ 6 more lines");
        assert_eq!(more_below(Lang::Es, 1), "↓ 1 línea más");
        assert_eq!(shelves_in(Lang::En, &["X".into()]), "X");
        let outcome = crate::store::ImportOutcome {
            announced: 3,
            unchanged: 1,
            ..Default::default()
        };
        assert_eq!(
            imported(Lang::En, &outcome),
            "3 newly announced, 1 unchanged"
        );
        assert_eq!(
            imported(Lang::Es, &outcome),
            "3 anunciados por primera vez, 1 sin cambios"
        );
        assert_eq!(
            shelves_in(Lang::En, &["X".into(), "B".into(), "C".into()]),
            "X, B and C"
        );
    }
}
