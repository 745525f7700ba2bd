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

#[derive(Debug, Error, PartialEq, Eq)]
pub enum InvalidTrackingId {
    #[error("the scan is empty")]
    Empty,
    #[error("the scan is {0} characters long; a tracking id has at most {TRACKING_ID_MAX_LEN}")]
    TooLong(usize),
    #[error("the scan is {0} characters long; a tracking id has at least {TRACKING_ID_MIN_LEN}")]
    TooShort(usize),
    #[error("the scan contains {0}, which no tracking id has (only letters, digits and '-')")]
    BadCharacter(String),
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

/// Checks free text typed at the counter (a note, a shelf, a customer reference): trimmed, no
/// control, bidi-override or zero-width characters (they could disguise what the ledger says),
/// and at most `max_chars` characters. `label` names the field in the error.
pub fn clean_free_text(label: &str, text: &str, max_chars: usize) -> Result<String, String> {
    let trimmed = text.trim();
    if let Some(bad) = trimmed.chars().find(|c| is_disguising_char(*c)) {
        return Err(format!(
            "{label} contains {}, which is not allowed",
            describe_char(bad)
        ));
    }
    let length = trimmed.chars().count();
    if length > max_chars {
        return Err(format!(
            "{label} has {length} characters; at most {max_chars} are allowed"
        ));
    }
    Ok(trimmed.to_owned())
}

/// Control characters, bidi controls and zero-width characters.
pub fn is_disguising_char(character: char) -> bool {
    character.is_control()
        || matches!(character, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
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
