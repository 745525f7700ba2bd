//! No text on any screen is cut mid-word without a mark. Every screen snapshot (80x24 and
//! 120x40) is read word by word, and each word must be one the program or its test data can
//! say: "ove" (of "over") or "foun" (of "found") is nowhere in the source, so a word cut by
//! the edge of the screen, a pane or a table column is caught. A word cut on purpose ends in
//! `…`, which marks it as cut, and is let through. A cut that leaves a real word ("hand" of
//! "handed") is not caught by this; a lone lower-case letter is.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn files_under(folder: &Path, extension: &str, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, extension, found);
        } else if path.extension().is_some_and(|ext| ext == extension) {
            found.push(path);
        }
    }
}

/// Maximal runs of letters, each with whether a `…` follows it at once.
fn words(text: &str) -> Vec<(String, bool)> {
    let mut found = Vec::new();
    let mut current = String::new();
    for character in text.chars().chain(std::iter::once(' ')) {
        if character.is_alphabetic() {
            current.push(character);
        } else if !current.is_empty() {
            found.push((std::mem::take(&mut current), character == '…'));
        }
    }
    found
}

/// Every word the program and its tests can put on a screen: the words of the source (its
/// text, and the test data the snapshots show), of the bundled kiosk.toml, and the names of
/// months and weekdays the clock prints. Not this file's: it names cut words as examples.
fn vocabulary(root: &Path) -> HashSet<String> {
    let mut sources = Vec::new();
    files_under(&root.join("src"), "rs", &mut sources);
    files_under(&root.join("tests"), "rs", &mut sources);
    // What the counter says lives in its message files, in every language.
    files_under(&root.join("assets/locales"), "ftl", &mut sources);
    sources.retain(|path| !path.ends_with("snapshot_text.rs"));
    sources.push(root.join("kiosk.toml"));
    let mut known = HashSet::new();
    let first = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    for day in first.iter_days().take(366) {
        for (word, _) in words(&day.format("%a %A %b %B").to_string()) {
            known.insert(word.to_lowercase());
        }
    }
    for path in sources {
        let text = std::fs::read_to_string(&path).unwrap();
        for (word, _) in words(&text) {
            known.insert(word.to_lowercase());
        }
    }
    known
}

/// A lone lower-case letter after a word and before a space or the line's end is the start
/// of a cut word ("expected parcels i admin", cut at the column's edge), though the vocabulary knows single
/// letters. Units after a number ("120 s") and "a" are words, and so are the one-letter words
/// of Spanish ("y", "o", "e", "u") on a Spanish screen (a snapshot named `_es`).
fn lone_cut_letter(line: &str, spanish: bool) -> Option<char> {
    let characters: Vec<char> = line.chars().collect();
    (2..characters.len()).find_map(|at| {
        let letter = characters[at];
        let gap_after = matches!(characters.get(at + 1), None | Some(' '));
        let one_letter_word = letter == 'a' || (spanish && matches!(letter, 'y' | 'o' | 'e' | 'u'));
        (letter.is_lowercase()
            && !one_letter_word
            && characters[at - 1] == ' '
            && characters[at - 2].is_alphabetic()
            && gap_after)
            .then_some(letter)
    })
}

#[test]
fn a_lone_letter_left_by_a_cut_is_caught() {
    assert_eq!(
        lone_cut_letter(" 2  expected parcels i admin", false),
        Some('i')
    );
    assert_eq!(
        lone_cut_letter(" hand them over at the next driver p", false),
        Some('p')
    );
    assert_eq!(lone_cut_letter(" idle lock 120 s", false), None);
    assert_eq!(lone_cut_letter(" the shop's own", false), None);
    assert_eq!(lone_cut_letter(" wait for a  bit", false), None);
    assert_eq!(lone_cut_letter(" elija su nombre y escriba", true), None);
    assert_eq!(
        lone_cut_letter(" elija su nombre y escriba", false),
        Some('y')
    );
    assert_eq!(lone_cut_letter(" el próximo repartidor p", true), Some('p'));
}

#[test]
fn no_snapshot_shows_a_word_cut_without_a_mark() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let known = vocabulary(root);
    let mut snapshots = Vec::new();
    files_under(&root.join("tests/snapshots"), "snap", &mut snapshots);
    snapshots.sort();
    assert!(snapshots.len() >= 40, "the snapshots were not found");
    let mut cut = Vec::new();
    for path in &snapshots {
        let text = std::fs::read_to_string(path).unwrap();
        // The screen follows insta's header, which ends with the second `---` line.
        let screen = text.splitn(3, "---\n").nth(2).unwrap_or_default();
        for (number, line) in screen.lines().enumerate() {
            for (word, marked) in words(line) {
                if !marked && !known.contains(&word.to_lowercase()) {
                    cut.push(format!(
                        "{} line {}: {word:?} in {line:?}",
                        path.file_name().unwrap().to_string_lossy(),
                        number + 1
                    ));
                }
            }
        }
    }
    for path in &snapshots {
        let text = std::fs::read_to_string(path).unwrap();
        let screen = text.splitn(3, "---\n").nth(2).unwrap_or_default();
        let spanish = path
            .file_name()
            .is_some_and(|name| name.to_string_lossy().contains("_es@"));
        for (number, line) in screen.lines().enumerate() {
            if let Some(letter) = lone_cut_letter(line, spanish) {
                cut.push(format!(
                    "{} line {}: {letter:?} in {line:?}",
                    path.file_name().unwrap().to_string_lossy(),
                    number + 1
                ));
            }
        }
    }
    assert!(
        cut.is_empty(),
        "{} words are cut without a mark (end a cut word with …):\n{}",
        cut.len(),
        cut.join("\n")
    );
}
