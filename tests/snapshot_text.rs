//! No text on any screen is cut mid-word without a mark. Every screen snapshot (80x24 and
//! 120x40) is read word by word, and each word must be one the program or its test data can
//! say: "ove" (of "over") or "foun" (of "found") is nowhere in the source, so a word cut by
//! the edge of the screen, a pane or a table column is caught. A word cut on purpose ends in
//! `…`, which marks it as cut, and is let through.

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
    assert!(
        cut.is_empty(),
        "{} words are cut without a mark (end a cut word with …):\n{}",
        cut.len(),
        cut.join("\n")
    );
}
