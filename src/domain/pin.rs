//! Staff PINs: what a PIN may be, how it is stored (argon2id with a pepper as argon2's secret),
//! and what repeated failures cost. Pure: the store layer keeps the counters.

use std::fmt;

use argon2::password_hash::phc::{Output, Salt};
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, Duration, Utc};
use thiserror::Error;
use zeroize::{Zeroize, Zeroizing};

/// A PIN as typed. The digits are wiped from memory when it is dropped, and `Debug` never shows
/// them, so a PIN cannot leak through a log line or a panic message.
#[derive(Clone, Default)]
pub struct Pin(Zeroizing<String>);

impl Pin {
    pub fn new(digits: impl Into<String>) -> Self {
        Self(Zeroizing::new(digits.into()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.chars().count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Appends one typed digit (the PIN pad edits in place rather than copying the secret).
    pub fn push(&mut self, digit: char) {
        self.0.push(digit);
    }

    pub fn pop(&mut self) {
        self.0.pop();
    }

    pub fn clear(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(<redacted>)")
    }
}

/// PINs so common that an attacker tries them first; refused whatever the length rule says.
pub const COMMON_PINS: &[&str] = &[
    "000000",
    "111111",
    "222222",
    "333333",
    "444444",
    "555555",
    "666666",
    "777777",
    "888888",
    "999999",
    "123456",
    "654321",
    "123123",
    "121212",
    "112233",
    "123321",
    "696969",
    "159753",
    "147258",
    "102030",
    "131313",
    "520520",
    "789456",
    "456789",
    "987654",
    "012345",
    "111222",
    "1234567",
    "12345678",
    "123456789",
    "1234567890",
    "0123456789",
];

pub const PIN_MAX_LEN: usize = 12;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum PinRejected {
    #[error("a PIN has only digits")]
    NotDigits,
    #[error("a PIN has at least {0} digits")]
    TooShort(usize),
    #[error("a PIN has at most {PIN_MAX_LEN} digits")]
    TooLong,
    #[error(
        "that PIN is too easy to guess (a common PIN, one digit repeated, or a run like 123456)"
    )]
    TooCommon,
    #[error("the two PINs differ")]
    Mismatch,
}

/// What a new PIN must satisfy. Checked when a PIN is set, never when one is tried, so a policy
/// change does not lock anyone out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinPolicy {
    pub min_length: usize,
}

impl PinPolicy {
    pub fn check(&self, pin: &Pin) -> Result<(), PinRejected> {
        let digits = pin.expose();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(PinRejected::NotDigits);
        }
        if digits.len() < self.min_length {
            return Err(PinRejected::TooShort(self.min_length));
        }
        if digits.len() > PIN_MAX_LEN {
            return Err(PinRejected::TooLong);
        }
        if COMMON_PINS.contains(&digits) || is_single_digit_or_run(digits) {
            return Err(PinRejected::TooCommon);
        }
        Ok(())
    }

    /// The check for a PIN typed twice on enrolment.
    pub fn check_pair(&self, pin: &Pin, repeated: &Pin) -> Result<(), PinRejected> {
        self.check(pin)?;
        if pin.expose() != repeated.expose() {
            return Err(PinRejected::Mismatch);
        }
        Ok(())
    }

    /// The rules in words, for the enrolment screen and the CLI prompt.
    pub fn explain(&self) -> String {
        format!(
            "{}-{PIN_MAX_LEN} digits; not a common PIN, not one digit repeated, not a run like 123456",
            self.min_length
        )
    }
}

/// One digit repeated, or a run going steadily up or down (`234567`, `876543`).
fn is_single_digit_or_run(digits: &str) -> bool {
    let values: Vec<i16> = digits
        .bytes()
        .map(|b| i16::from(b) - i16::from(b'0'))
        .collect();
    let steps: Vec<i16> = values.windows(2).map(|pair| pair[1] - pair[0]).collect();
    !steps.is_empty()
        && steps
            .iter()
            .all(|step| *step == steps[0] && step.abs() <= 1)
}

/// argon2id cost parameters. The floor is OWASP's minimum recommendation for argon2id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashCost {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl HashCost {
    pub const MIN_MEMORY_KIB: u32 = 19_456;
    pub const MIN_ITERATIONS: u32 = 2;
    pub const DEFAULT: HashCost = HashCost {
        memory_kib: 65_536,
        iterations: 3,
        parallelism: 1,
    };
}

#[derive(Debug, Error)]
pub enum PinHashError {
    #[error("argon2 refused its parameters: {0}")]
    Parameters(String),
    #[error("hashing the PIN failed: {0}")]
    Hashing(String),
}

/// A PIN hash ready to store: only [`PinHasher::hash_new_pin`] makes one, after the PIN passed
/// the policy, so the store cannot be handed an unchecked or unhashed PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPinHash(String);

impl NewPinHash {
    pub fn phc(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Error)]
pub enum NewPinError {
    #[error("{0}")]
    Rejected(#[from] PinRejected),
    #[error("{0}")]
    Hash(#[from] PinHashError),
}

/// Hashes and verifies PINs with argon2id, the store's pepper as argon2's secret input. Slow on
/// purpose (~0.1-0.3 s): the TUI calls it from its worker thread, never from the draw loop.
pub struct PinHasher {
    pepper: Zeroizing<Vec<u8>>,
    cost: HashCost,
    /// A hash of a PIN nobody has, verified when the staff member is unknown so that "unknown"
    /// and "wrong PIN" take the same time.
    dummy_phc: String,
}

impl PinHasher {
    pub fn new(pepper: &[u8], cost: HashCost) -> Result<Self, PinHashError> {
        // A PHC string with the configured cost and random salt and output: verifying against
        // it costs exactly what verifying a real PIN costs, without hashing anything now (a real
        // hash here would add ~0.1 s to every start, `kiosk export` included).
        let mut salt = [0_u8; 16];
        let mut output = [0_u8; 32];
        getrandom::fill(&mut salt).map_err(|e| PinHashError::Hashing(e.to_string()))?;
        getrandom::fill(&mut output).map_err(|e| PinHashError::Hashing(e.to_string()))?;
        let salt = Salt::new(&salt).map_err(|e| PinHashError::Hashing(e.to_string()))?;
        let output = Output::new(&output).map_err(|e| PinHashError::Hashing(e.to_string()))?;
        let dummy_phc = format!(
            "$argon2id$v=19$m={},t={},p={}${salt}${output}",
            cost.memory_kib, cost.iterations, cost.parallelism
        );
        // Fail now, not at the first sign-in, if the cost is one argon2 refuses.
        let hasher = Self {
            pepper: Zeroizing::new(pepper.to_vec()),
            cost,
            dummy_phc,
        };
        hasher.argon2()?;
        Ok(hasher)
    }

    fn argon2(&self) -> Result<Argon2<'_>, PinHashError> {
        let params = Params::new(
            self.cost.memory_kib,
            self.cost.iterations,
            self.cost.parallelism,
            None,
        )
        .map_err(|e| PinHashError::Parameters(e.to_string()))?;
        Argon2::new_with_secret(&self.pepper, Algorithm::Argon2id, Version::V0x13, params)
            .map_err(|e| PinHashError::Parameters(e.to_string()))
    }

    /// A PHC string (`$argon2id$v=19$m=...,t=...,p=...$salt$hash`) with a fresh random salt.
    pub fn hash(&self, pin: &Pin) -> Result<String, PinHashError> {
        let hash = self
            .argon2()?
            .hash_password(pin.expose().as_bytes())
            .map_err(|e| PinHashError::Hashing(e.to_string()))?;
        Ok(hash.to_string())
    }

    /// Checks a new PIN against the policy and hashes it for storage.
    pub fn hash_new_pin(&self, pin: &Pin, policy: &PinPolicy) -> Result<NewPinHash, NewPinError> {
        policy.check(pin)?;
        Ok(NewPinHash(self.hash(pin)?))
    }

    /// Verifies a PIN against a stored PHC string (with that string's own cost parameters, so
    /// raising the configured cost does not invalidate existing PINs). `None` verifies against
    /// the dummy hash and always fails, taking the same time as a real check.
    pub fn verify(&self, pin: &Pin, stored_phc: Option<&str>) -> bool {
        let Ok(argon2) = self.argon2() else {
            return false;
        };
        let matches = |phc: &str| argon2.verify_password(pin.expose().as_bytes(), phc).is_ok();
        match stored_phc {
            Some(phc) => matches(phc),
            None => {
                let _ = matches(&self.dummy_phc);
                false
            }
        }
    }
}

/// How repeated wrong PINs are slowed down and finally stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Consecutive failures allowed before each further try must wait.
    pub failures_before_wait: u32,
    /// The first wait; each further failure doubles it.
    pub base_wait: Duration,
    /// Consecutive failures after which the account is disabled until a manager resets it.
    pub failures_before_disable: u32,
    /// Wrong PINs at this kiosk, for anyone, within `kiosk_window` after which only managers
    /// may sign in until the window has passed.
    pub kiosk_failure_limit: u32,
    pub kiosk_window: Duration,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self {
            failures_before_wait: 5,
            base_wait: Duration::seconds(30),
            failures_before_disable: 10,
            kiosk_failure_limit: 20,
            kiosk_window: Duration::minutes(15),
        }
    }
}

/// What a failed attempt leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Nothing yet: try again.
    TryAgain { failures_left_before_wait: u32 },
    /// No further try before this instant.
    WaitUntil(DateTime<Utc>),
    /// The account is disabled until a manager resets it.
    Disable,
}

impl LockoutPolicy {
    /// `consecutive_failures` counts the failure just made.
    pub fn after_failure(&self, consecutive_failures: u32, now: DateTime<Utc>) -> AfterFailure {
        if consecutive_failures >= self.failures_before_disable {
            return AfterFailure::Disable;
        }
        if consecutive_failures < self.failures_before_wait {
            return AfterFailure::TryAgain {
                failures_left_before_wait: self.failures_before_wait - consecutive_failures,
            };
        }
        // 5th failure waits base, 6th 2x base, 7th 4x base ... capped so it cannot overflow.
        let doublings = (consecutive_failures - self.failures_before_wait).min(20);
        let wait = self.base_wait * (1_i32 << doublings);
        AfterFailure::WaitUntil(now + wait.min(self.longest_wait()))
    }

    /// The longest wait this policy ever asks for: the one after the last failure before the
    /// account is disabled (8 minutes with the defaults).
    pub fn longest_wait(&self) -> Duration {
        let last_waiting = self
            .failures_before_disable
            .saturating_sub(1)
            .max(self.failures_before_wait);
        let doublings = (last_waiting - self.failures_before_wait).min(20);
        self.base_wait * (1_i32 << doublings)
    }

    /// Until when a stored wait holds, seen from `now`; `None` when no wait is in force. A wait
    /// is stored as an instant, so a clock set back (by a day, say) would stretch an 8-minute
    /// wait to a day: a wait ending further off than the policy's longest can only come from
    /// such a clock and is over. This gives a guesser nothing: the failures still count toward
    /// disabling the account, and whoever sets the clock can as well set it forward.
    pub fn wait_ends(
        &self,
        stored_until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        (stored_until > now && stored_until <= now + self.longest_wait()).then_some(stored_until)
    }

    /// The same for the kiosk-wide lock, whose longest wait is its window.
    pub fn kiosk_lock_ends(
        &self,
        stored_until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        (stored_until > now && stored_until <= now + self.kiosk_window).then_some(stored_until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> PinPolicy {
        PinPolicy { min_length: 6 }
    }

    #[test]
    fn pin_rules() {
        let cases = [
            ("480915", Ok(())),
            ("48091537", Ok(())),
            ("48091", Err(PinRejected::TooShort(6))),
            ("48a915", Err(PinRejected::NotDigits)),
            ("4809153748091", Err(PinRejected::TooLong)),
            ("123456", Err(PinRejected::TooCommon)),
            ("000000", Err(PinRejected::TooCommon)),
            ("2222222", Err(PinRejected::TooCommon)),
            ("345678", Err(PinRejected::TooCommon)),
            ("876543", Err(PinRejected::TooCommon)),
            ("159753", Err(PinRejected::TooCommon)),
        ];
        for (digits, expected) in cases {
            assert_eq!(policy().check(&Pin::new(digits)), expected, "{digits}");
        }
        assert!(COMMON_PINS.len() >= 10);
        assert_eq!(
            policy().check_pair(&Pin::new("480915"), &Pin::new("480916")),
            Err(PinRejected::Mismatch)
        );
    }

    #[test]
    fn pin_debug_hides_digits() {
        assert!(!format!("{:?}", Pin::new("480915")).contains("480915"));
    }

    #[test]
    fn hash_is_argon2id_with_configured_cost_and_verifies_only_with_the_pepper() {
        let hasher = PinHasher::new(b"pepper-one", HashCost::DEFAULT).unwrap();
        let phc = hasher.hash(&Pin::new("480915")).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=65536,t=3,p=1$"), "{phc}");
        assert!(!phc.contains("480915"));
        assert!(hasher.verify(&Pin::new("480915"), Some(&phc)));
        assert!(!hasher.verify(&Pin::new("480916"), Some(&phc)));
        assert!(!hasher.verify(&Pin::new("480915"), None));
        // The dummy hash has the same cost as a real one, so both checks take the same time.
        assert!(
            hasher
                .dummy_phc
                .starts_with("$argon2id$v=19$m=65536,t=3,p=1$"),
            "{}",
            hasher.dummy_phc
        );
        assert!(argon2::password_hash::phc::PasswordHash::new(&hasher.dummy_phc).is_ok());
        let other_pepper = PinHasher::new(b"pepper-two", HashCost::DEFAULT).unwrap();
        assert!(!other_pepper.verify(&Pin::new("480915"), Some(&phc)));
    }

    #[test]
    fn waits_are_capped_at_the_policys_longest_even_when_the_clock_moved_back() {
        let policy = LockoutPolicy::default();
        assert_eq!(policy.longest_wait(), Duration::minutes(8));
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        // A wait stored a day ahead (the clock was set back after it was stored).
        let stored = now + Duration::days(1) + Duration::seconds(30);
        assert_eq!(policy.wait_ends(stored, now), None);
        assert_eq!(
            policy.wait_ends(now + Duration::seconds(30), now),
            Some(now + Duration::seconds(30))
        );
        assert_eq!(policy.wait_ends(now - Duration::seconds(1), now), None);
        assert_eq!(policy.kiosk_lock_ends(now + Duration::days(2), now), None);
        assert_eq!(
            policy.kiosk_lock_ends(now + Duration::minutes(14), now),
            Some(now + Duration::minutes(14))
        );
        for failures in 0..policy.failures_before_disable {
            if let AfterFailure::WaitUntil(until) = policy.after_failure(failures, now) {
                assert!(until - now <= policy.longest_wait(), "{failures}");
            }
        }
    }

    #[test]
    fn lockout_waits_double_then_disable() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let policy = LockoutPolicy::default();
        assert_eq!(
            policy.after_failure(1, now),
            AfterFailure::TryAgain {
                failures_left_before_wait: 4
            }
        );
        assert_eq!(
            policy.after_failure(5, now),
            AfterFailure::WaitUntil(now + Duration::seconds(30))
        );
        assert_eq!(
            policy.after_failure(6, now),
            AfterFailure::WaitUntil(now + Duration::seconds(60))
        );
        assert_eq!(
            policy.after_failure(9, now),
            AfterFailure::WaitUntil(now + Duration::seconds(480))
        );
        assert_eq!(policy.after_failure(10, now), AfterFailure::Disable);
    }
}
