//! Identifiers that come from outside (config, scanners, carrier files), validated once at the
//! boundary so the rest of the code can trust them.

use std::fmt;

use thiserror::Error;

/// A store's access-point id in the carrier's format: three capital letters, a hyphen, four
/// digits (`ABC-0045`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StoreId(String);

#[derive(Debug, Error, PartialEq, Eq)]
#[error("store id {0:?} is not three capital letters, a hyphen and four digits (e.g. ABC-0045)")]
pub struct InvalidStoreId(pub String);

impl StoreId {
    pub fn parse(text: &str) -> Result<Self, InvalidStoreId> {
        let bytes = text.as_bytes();
        let well_formed = bytes.len() == 8
            && bytes[..3].iter().all(u8::is_ascii_uppercase)
            && bytes[3] == b'-'
            && bytes[4..].iter().all(u8::is_ascii_digit);
        if well_formed {
            Ok(Self(text.to_owned()))
        } else {
            Err(InvalidStoreId(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StoreId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The longest tracking id accepted; carrier ids are far shorter, so anything longer is a
/// misread or a stuck scanner, not a parcel.
pub const TRACKING_ID_MAX_LEN: usize = 40;
pub const TRACKING_ID_MIN_LEN: usize = 4;

/// A carrier tracking id: 4-40 of `A-Z`, `0-9` and `-`, stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrackingId(String);

#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum InvalidTrackingId {
    #[error("the scan is empty")]
    Empty,
    #[error(
        "the scan is {} long; a tracking id has at most {TRACKING_ID_MAX_LEN}",
        characters(*.0)
    )]
    TooLong(usize),
    #[error(
        "the scan is {} long; a tracking id has at least {TRACKING_ID_MIN_LEN}",
        characters(*.0)
    )]
    TooShort(usize),
    #[error("the scan contains {0}, which no tracking id has (only letters, digits and '-')")]
    BadCharacter(String),
}

/// "1 character", "3 characters" (English, for the command line and the logs).
fn characters(count: usize) -> String {
    if count == 1 {
        "1 character".to_owned()
    } else {
        format!("{count} characters")
    }
}

impl TrackingId {
    /// Accepts what a person or a keyboard-wedge scanner typed: surrounding white space is
    /// dropped and letters are upper-cased; anything else outside `A-Z0-9-` is refused and named
    /// (control characters by their code, so an escape sequence never reaches the screen).
    pub fn parse(text: &str) -> Result<Self, InvalidTrackingId> {
        let trimmed = text.trim();
        let length = trimmed.chars().count();
        if length == 0 {
            return Err(InvalidTrackingId::Empty);
        }
        if length > TRACKING_ID_MAX_LEN {
            return Err(InvalidTrackingId::TooLong(length));
        }
        if let Some(bad) = trimmed
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Err(InvalidTrackingId::BadCharacter(describe_char(bad)));
        }
        if length < TRACKING_ID_MIN_LEN {
            return Err(InvalidTrackingId::TooShort(length));
        }
        Ok(Self(trimmed.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TrackingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Names a character safely for an error message: printable ones quoted, everything else
/// (controls, escapes, bidi and zero-width marks) as its code point.
pub fn describe_char(character: char) -> String {
    if character.is_ascii_graphic() || character == ' ' {
        format!("'{character}'")
    } else {
        format!("U+{:04X}", u32::from(character))
    }
}

/// A staff member's number, shown on the lock screen and typed to choose who signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StaffId(pub i64);

impl fmt::Display for StaffId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Why free text is not taken; `Display` reads after the field's name ("the badge contains
/// U+0007, which is not allowed"), as [`clean_free_text`] and the logs say it. The counter
/// says it in the clerk's language from these facts.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum FreeTextError {
    /// A disguising character, named by [`describe_char`].
    #[error("contains {0}, which is not allowed")]
    BadCharacter(String),
    #[error("has {length} characters; at most {max} are allowed")]
    TooLong { length: usize, max: usize },
}

/// Checks free text typed at the counter or read from a file (a note, a shelf, a reference, a
/// recipient's name): no control, format (invisible, bidi, zero-width), line or paragraph
/// separator characters (they could disguise what the ledger says; see [`is_disguising_char`]),
/// and at most `max_chars` characters. Only ordinary ASCII white space around the text is
/// trimmed; a disguising character is refused wherever it is, never silently dropped.
pub fn check_free_text(text: &str, max_chars: usize) -> Result<String, FreeTextError> {
    let trimmed = text.trim_matches(|c: char| c == ' ' || c == '\n' || c == '\r');
    if let Some(bad) = trimmed.chars().find(|c| is_disguising_char(*c)) {
        return Err(FreeTextError::BadCharacter(describe_char(bad)));
    }
    let trimmed = trimmed.trim();
    let length = trimmed.chars().count();
    if length > max_chars {
        return Err(FreeTextError::TooLong {
            length,
            max: max_chars,
        });
    }
    Ok(trimmed.to_owned())
}

/// [`check_free_text`] with the reason in English words, `label` naming the field (for files,
/// the store's checks and the command line).
pub fn clean_free_text(label: &str, text: &str, max_chars: usize) -> Result<String, String> {
    check_free_text(text, max_chars).map_err(|error| format!("{label} {error}"))
}

/// Characters no text in the ledger may hold: controls (C0, DEL, C1: ESC starts terminal
/// escape sequences), Unicode format characters (general category Cf: bidi controls, zero-width
/// characters, the soft hyphen, tag characters, ...) and the line and paragraph separators.
/// Each can make a name or note look like something it is not, on screen or in `ledger.csv`.
pub fn is_disguising_char(character: char) -> bool {
    character.is_control()
        || is_format_char(character)
        || matches!(character, '\u{2028}' | '\u{2029}')
}

/// General category Cf, from Unicode 15.1's DerivedGeneralCategory.txt (checked against
/// Python's unicodedata 14.0, plus U+13439..U+1343F, which Unicode 15.0 made Cf). Ranges are
/// inclusive and sorted.
const FORMAT_CHARACTERS: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),   // soft hyphen
    (0x0600, 0x0605),   // Arabic number signs
    (0x061C, 0x061C),   // Arabic letter mark
    (0x06DD, 0x06DD),   // Arabic end of ayah
    (0x070F, 0x070F),   // Syriac abbreviation mark
    (0x0890, 0x0891),   // Arabic pound/piastre mark above
    (0x08E2, 0x08E2),   // Arabic disputed end of ayah
    (0x180E, 0x180E),   // Mongolian vowel separator
    (0x200B, 0x200F),   // zero-width space, ZWNJ, ZWJ, LRM, RLM
    (0x202A, 0x202E),   // bidi embeddings and overrides
    (0x2060, 0x2064),   // word joiner, invisible operators
    (0x2066, 0x206F),   // bidi isolates, deprecated format controls
    (0xFEFF, 0xFEFF),   // zero-width no-break space (BOM)
    (0xFFF9, 0xFFFB),   // interlinear annotation
    (0x110BD, 0x110BD), // Kaithi number sign
    (0x110CD, 0x110CD), // Kaithi number sign above
    (0x13430, 0x1343F), // Egyptian hieroglyph format controls
    (0x1BCA0, 0x1BCA3), // shorthand format controls
    (0x1D173, 0x1D17A), // musical symbol format controls
    (0xE0001, 0xE0001), // language tag
    (0xE0020, 0xE007F), // tag characters
];

/// Whether `character` is a Unicode format character (general category Cf).
pub fn is_format_char(character: char) -> bool {
    let code = u32::from(character);
    FORMAT_CHARACTERS
        .binary_search_by(|&(first, last)| {
            if last < code {
                std::cmp::Ordering::Less
            } else if first > code {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_refuses_disguising_characters() {
        assert_eq!(
            clean_free_text("note", "  left with neighbour ", 40),
            Ok("left with neighbour".into())
        );
        assert!(
            clean_free_text("note", "a\u{202e}b", 40)
                .unwrap_err()
                .contains("U+202E")
        );
        assert!(clean_free_text("note", "a\u{200b}b", 40).is_err());
        assert!(clean_free_text("note", "a\u{1b}[2Jb", 40).is_err());
        assert!(
            clean_free_text("note", &"x".repeat(41), 40)
                .unwrap_err()
                .contains("at most 40")
        );
    }

    #[test]
    fn free_text_refuses_every_format_separator_and_control_character_by_its_code() {
        let named = [
            ('\u{061C}', "U+061C"),
            ('\u{2060}', "U+2060"),
            ('\u{00AD}', "U+00AD"),
            ('\u{E0041}', "U+E0041"),
            ('\u{E007F}', "U+E007F"),
            ('\u{200B}', "U+200B"),
            ('\u{200F}', "U+200F"),
            ('\u{202A}', "U+202A"),
            ('\u{202E}', "U+202E"),
            ('\u{2066}', "U+2066"),
            ('\u{2069}', "U+2069"),
            ('\u{FEFF}', "U+FEFF"),
            ('\u{2028}', "U+2028"),
            ('\u{2029}', "U+2029"),
            ('\u{1B}', "U+001B"),
            ('\u{1D}', "U+001D"),
            ('\t', "U+0009"),
            ('\u{7F}', "U+007F"),
            ('\u{85}', "U+0085"),
        ];
        for (bad, code) in named {
            for text in [
                format!("Ana{bad}Diaz"),
                format!("{bad}Ana"),
                format!("Ana{bad}"),
            ] {
                let refused = clean_free_text("the name", &text, 80).unwrap_err();
                assert!(refused.contains(code), "{refused}");
                assert!(refused.starts_with("the name contains"), "{refused}");
            }
        }
        // Letters of every script, accents, and emoji (with ZWJ-free sequences) pass.
        for good in ["José Núñez", "Łukasz", "مريم", "山田 太郎", "Zoë 😀"] {
            assert_eq!(clean_free_text("the name", good, 80).as_deref(), Ok(good));
        }
    }

    #[test]
    fn the_format_table_is_sorted_and_disjoint() {
        for pair in FORMAT_CHARACTERS.windows(2) {
            assert!(pair[0].1 < pair[1].0, "{pair:x?}");
        }
        for &(first, last) in FORMAT_CHARACTERS {
            assert!(first <= last);
            for code in [first, last] {
                assert!(is_format_char(char::from_u32(code).unwrap()), "{code:x}");
            }
        }
        for code in [0x00AC_u32, 0x0606, 0x2065, 0xFFFC, 0xE0000, 0xE0080, 0x41] {
            assert!(!is_format_char(char::from_u32(code).unwrap()), "{code:x}");
        }
    }

    proptest::proptest! {
        /// Any text with a disguising character anywhere is refused, naming that character's
        /// code; any text without one passes unchanged but for the trimmed edges.
        #[test]
        fn free_text_never_lets_a_disguising_character_through(text in "\\PC{0,30}", bad_index in 0_usize..20, pick in 0_usize..8) {
            let bad = ['\u{202E}', '\u{2028}', '\u{1B}', '\u{E0020}', '\u{00AD}', '\u{061C}', '\u{FEFF}', '\u{1D}'][pick];
            let mut chars: Vec<char> = text.chars().collect();
            let at = bad_index.min(chars.len());
            chars.insert(at, bad);
            let with_bad: String = chars.into_iter().collect();
            let refused = clean_free_text("the note", &with_bad, 200);
            let first_bad = with_bad.chars().find(|c| is_disguising_char(*c)).unwrap_or(bad);
            let code = format!("U+{:04X}", u32::from(first_bad));
            proptest::prop_assert!(refused.as_ref().is_err_and(|e| e.contains(&code)), "{:?}", refused);
            if let Ok(clean) = clean_free_text("the note", &text, 200) {
                proptest::prop_assert!(!clean.chars().any(is_disguising_char));
            }
        }
    }

    #[test]
    fn store_ids() {
        for good in ["ABC-0045", "ZZZ-9999"] {
            assert!(StoreId::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "abc-0045",
            "AB-00045",
            "ABC0045",
            "ABC-045",
            "ABC-00450",
            "ÄBC-0045",
            "",
        ] {
            assert!(StoreId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tracking_ids_are_normalised_and_checked() {
        assert_eq!(
            TrackingId::parse("  1z999-aa1 \n").unwrap().as_str(),
            "1Z999-AA1"
        );
        assert_eq!(TrackingId::parse(""), Err(InvalidTrackingId::Empty));
        assert_eq!(
            TrackingId::parse("AB1"),
            Err(InvalidTrackingId::TooShort(3))
        );
        assert_eq!(
            TrackingId::parse(&"A".repeat(10_000)),
            Err(InvalidTrackingId::TooLong(10_000))
        );
        assert_eq!(
            TrackingId::parse("AB\u{1b}[31mCD"),
            Err(InvalidTrackingId::BadCharacter("U+001B".into()))
        );
        assert_eq!(
            TrackingId::parse("AB\u{202e}CD"),
            Err(InvalidTrackingId::BadCharacter("U+202E".into()))
        );
        assert_eq!(
            TrackingId::parse("AB CD"),
            Err(InvalidTrackingId::BadCharacter("' '".into()))
        );
    }
}
