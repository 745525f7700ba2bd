//! Staff, their roles, and the proof of a fresh PIN check that every handoff must carry.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};
use thiserror::Error;

use super::custody::UnknownCode;
use super::ids::StaffId;
use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Clerk,
    Manager,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Manager => "manager",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Role {
    type Err = UnknownCode;
    fn from_str(code: &str) -> Result<Self, Self::Err> {
        match code {
            "clerk" => Ok(Role::Clerk),
            "manager" => Ok(Role::Manager),
            other => Err(UnknownCode(other.to_owned())),
        }
    }
}

pub const DISPLAY_NAME_MAX_LEN: usize = 40;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum InvalidName {
    #[error("a name cannot be empty")]
    Empty,
    #[error("a name has at most {DISPLAY_NAME_MAX_LEN} characters")]
    TooLong,
    #[error(
        "a name cannot contain {0}: invisible, control and direction characters could disguise it"
    )]
    DisguisingCharacter(String),
    #[error(
        "{existing:?} (staff number {id}) already has that name: add an initial to tell them apart"
    )]
    Taken { existing: String, id: StaffId },
}

/// Two names are the same name when they differ only in letter case or spacing ("ana  diaz"
/// is "Ana Diaz"): on the sign-in list and in the ledger they would read as one person.
pub fn same_name(a: &str, b: &str) -> bool {
    let key = |name: &str| {
        name.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    key(a) == key(b)
}

/// Refuses a new name that is the same name as a member's (active or not: the ledger keeps the
/// disabled ones' records under their names).
pub fn check_name_unique(name: &str, staff: &[(StaffId, String)]) -> Result<(), InvalidName> {
    match staff.iter().find(|(_, existing)| same_name(name, existing)) {
        Some((id, existing)) => Err(InvalidName::Taken {
            existing: existing.clone(),
            id: *id,
        }),
        None => Ok(()),
    }
}

/// Checks a staff display name; returns it trimmed.
pub fn validate_display_name(name: &str) -> Result<String, InvalidName> {
    // Checked before trimming: a line separator or a control at the edge is refused too,
    // never silently dropped.
    if let Some(bad) = name.chars().find(|c| super::ids::is_disguising_char(*c)) {
        return Err(InvalidName::DisguisingCharacter(super::ids::describe_char(
            bad,
        )));
    }
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(InvalidName::Empty);
    }
    if trimmed.chars().count() > DISPLAY_NAME_MAX_LEN {
        return Err(InvalidName::TooLong);
    }
    Ok(trimmed.to_owned())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: StaffId,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub consecutive_failures: u32,
    pub locked_until: Option<DateTime<Utc>>,
    /// The language the counter speaks to them from sign-in; `None` for staff enrolled before
    /// staff had a language, who hear the counter's own (`[counter] language`).
    pub lang: Option<Lang>,
}

impl StaffMember {
    /// The language the counter speaks to this member: their own, or the counter's.
    pub fn lang_or(&self, counter: Lang) -> Lang {
        self.lang.unwrap_or(counter)
    }
}

/// How long a PIN check stays good for recording: long enough to press Enter on a confirm
/// screen, too short to walk away and let someone else record under your name.
pub const PROOF_VALIDITY: Duration = Duration::seconds(30);

/// Evidence that a staff member typed their PIN correctly at `verified_at`. Only the store's
/// PIN check can make one (the constructor is crate-private), and recording a handoff requires
/// one that is still fresh, so no code path can record an unattributed handoff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinProof {
    staff_id: StaffId,
    role: Role,
    display_name: String,
    verified_at: DateTime<Utc>,
    /// The member's language as the staff table held it at the check (`None`: the counter's).
    lang: Option<Lang>,
}

impl PinProof {
    pub(crate) fn new(
        staff_id: StaffId,
        role: Role,
        display_name: String,
        verified_at: DateTime<Utc>,
    ) -> Self {
        Self {
            staff_id,
            role,
            display_name,
            verified_at,
            lang: None,
        }
    }

    /// The proof carrying the member's language, so sign-in needs no second look-up.
    pub(crate) fn speaking(mut self, lang: Option<Lang>) -> Self {
        self.lang = lang;
        self
    }

    /// The member's own language, `None` when they have none (the counter's applies).
    pub fn lang(&self) -> Option<Lang> {
        self.lang
    }

    pub fn staff_id(&self) -> StaffId {
        self.staff_id
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    pub fn verified_at(&self) -> DateTime<Utc> {
        self.verified_at
    }

    /// Fresh means verified no more than [`PROOF_VALIDITY`] ago and not in the future (a clock
    /// stepped backwards must not stretch a proof's life).
    pub fn is_fresh(&self, now: DateTime<Utc>) -> bool {
        self.verified_at <= now && now - self.verified_at <= PROOF_VALIDITY
    }
}

/// Why a PIN check did not produce a proof. Unknown staff and a wrong PIN share one variant, so
/// nobody can learn which staff numbers exist; only a known member who has typed
/// [`WARN_AFTER_FAILURES`] wrong PINs in a row is told how many tries remain before a wait (the
/// sign-in screen lists the staff anyway).
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("wrong staff number or PIN")]
    WrongStaffOrPin,
    #[error("wrong staff number or PIN: {}", tries_left_words(*.tries_left, *.wait))]
    WrongPinWarned { tries_left: u32, wait: Duration },
    #[error("too many wrong PINs: try again after {}", .until.format("%H:%M:%S UTC"))]
    LockedOut { until: DateTime<Utc> },
    #[error("this account is disabled; a manager must reset the PIN")]
    Disabled,
    #[error("too many wrong PINs at this kiosk: only a manager can sign in until {}", .until.format("%H:%M:%S UTC"))]
    KioskLocked { until: DateTime<Utc> },
}

/// After this many wrong PINs in a row the refusal says how many tries remain before a wait.
pub const WARN_AFTER_FAILURES: u32 = 3;

impl AuthError {
    /// A wrong PIN (or unknown staff), with or without the tries-left warning.
    pub fn is_wrong_pin(&self) -> bool {
        matches!(self, Self::WrongStaffOrPin | Self::WrongPinWarned { .. })
    }

    /// The refusal as staff read it: times in the store's time zone, like the clock on screen.
    /// (`Display` gives UTC, for logs.)
    pub fn for_staff(&self, zone: &chrono_tz::Tz) -> String {
        let at = |until: &DateTime<Utc>| super::store_time::clock_for_people(*until, zone);
        match self {
            Self::LockedOut { until } => {
                format!("too many wrong PINs: try again at {}", at(until))
            }
            Self::KioskLocked { until } => format!(
                "too many wrong PINs at this kiosk: only a manager can sign in until {}",
                at(until)
            ),
            other => other.to_string(),
        }
    }
}

/// "2 tries left before a 30 s wait", "1 try left before a 2 min wait".
fn tries_left_words(tries: u32, wait: Duration) -> String {
    let tries = if tries == 1 {
        "1 try".to_owned()
    } else {
        format!("{tries} tries")
    };
    let seconds = wait.num_seconds();
    let wait = if seconds < 60 || seconds % 60 != 0 {
        format!("{seconds} s")
    } else {
        format!("{} min", seconds / 60)
    };
    format!("{tries} left before a {wait} wait")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proof_is_fresh_only_briefly_and_never_from_the_future() {
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let proof = PinProof::new(StaffId(1), Role::Clerk, "Ana".into(), at);
        assert!(proof.is_fresh(at));
        assert!(proof.is_fresh(at + PROOF_VALIDITY));
        assert!(!proof.is_fresh(at + PROOF_VALIDITY + Duration::seconds(1)));
        assert!(!proof.is_fresh(at - Duration::seconds(1)));
    }

    #[test]
    fn refusals_for_staff_count_tries_and_speak_store_time() {
        let warned = AuthError::WrongPinWarned {
            tries_left: 2,
            wait: Duration::seconds(30),
        };
        assert_eq!(
            warned.to_string(),
            "wrong staff number or PIN: 2 tries left before a 30 s wait"
        );
        let last = AuthError::WrongPinWarned {
            tries_left: 1,
            wait: Duration::minutes(2),
        };
        assert!(last.to_string().ends_with("1 try left before a 2 min wait"));
        let until = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let zone = chrono_tz::America::Phoenix;
        assert_eq!(
            AuthError::LockedOut { until }.for_staff(&zone),
            "too many wrong PINs: try again at 01:00:00 MST"
        );
        assert!(
            AuthError::KioskLocked { until }
                .for_staff(&zone)
                .ends_with("until 01:00:00 MST")
        );
    }

    #[test]
    fn names_differing_only_in_case_or_spacing_are_the_same_name() {
        assert!(same_name("Ana Diaz", " ana  DIAZ "));
        assert!(same_name("Özil", "özil"));
        assert!(!same_name("Ana Diaz", "Ana Díaz"));
        let staff = [(StaffId(1), "Ana Diaz".to_owned())];
        assert!(check_name_unique("Bo Lee", &staff).is_ok());
        let refused = check_name_unique("ANA diaz", &staff)
            .unwrap_err()
            .to_string();
        assert!(
            refused.starts_with("\"Ana Diaz\" (staff number 1) already has that name"),
            "{refused}"
        );
    }

    #[test]
    fn names_are_checked() {
        assert_eq!(validate_display_name("  Ana  "), Ok("Ana".into()));
        assert_eq!(validate_display_name(" "), Err(InvalidName::Empty));
        assert_eq!(
            validate_display_name("A\u{1b}[2J"),
            Err(InvalidName::DisguisingCharacter("U+001B".into()))
        );
        for (bad, code) in [
            ("Ana\u{2060}", "U+2060"),
            ("\u{202E}anA", "U+202E"),
            ("Ana\u{E0041}", "U+E0041"),
            ("A\u{00AD}na", "U+00AD"),
            ("Ana\u{2028}", "U+2028"),
            ("An\u{061C}a", "U+061C"),
        ] {
            let refused = validate_display_name(bad).unwrap_err().to_string();
            assert!(refused.contains(code), "{refused}");
        }
        assert_eq!(
            validate_display_name(&"x".repeat(41)),
            Err(InvalidName::TooLong)
        );
    }
}
