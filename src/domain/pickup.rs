//! Handing parcels to a customer without trusting a code alone: who collected (the addressee
//! or a named proxy), how the parcels were found (by the pickup code or by name) and the ID the
//! clerk checked (its type and last four characters, never an image or the whole number). These
//! go into the pickup event's facts, so they are under the chain's hash and in every export.
//! Also the rule that makes guessing pickup codes slow: after too many wrong codes within a
//! minute, no code is checked for a while.

use chrono::{DateTime, Duration, Utc};

use super::chain::Fact;
use super::ids::{FreeTextError, check_free_text};
use super::ledger_codes::ledger_codes;
use super::projection::fact;

ledger_codes! {
    /// The kinds of photo ID a clerk may accept at pickup (the short list on the screen). The
    /// code is what the event's facts keep; never rename one.
    pub enum IdType {
        DrivingLicence => "driving_licence", "driving licence";
        Passport => "passport", "passport";
        NationalIdCard => "national_id_card", "national ID card";
        ResidencePermit => "residence_permit", "residence permit";
        OtherPhotoId => "other_photo_id", "other photo ID";
    }
}

/// The fact names a pickup event carries. Never rename one: they are hashed into the chain.
pub mod fact_names {
    /// `code` or `name`: how the clerk found the customer's parcels.
    pub const FOUND_BY: &str = "found_by";
    /// `addressee` or `proxy`.
    pub const COLLECTED_BY: &str = "collected_by";
    /// The proxy's name, as the clerk typed it (proxy pickups only).
    pub const PROXY_NAME: &str = "proxy_name";
    /// The [`super::IdType`] code of the ID checked.
    pub const ID_TYPE: &str = "id_type";
    /// The last four characters of the ID's number.
    pub const ID_LAST_FOUR: &str = "id_last_four";
}

/// How many characters of an ID number the clerk notes: enough to tell the ID again, too few to
/// be the number.
pub const ID_CHARACTERS_KEPT: usize = 4;

/// The longest proxy name taken (as long as a counterparty's reference).
pub const PROXY_NAME_MAX: usize = 80;

/// Why what the clerk typed is not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PickupEvidenceError {
    #[error("type the last 4 letters or digits of the ID number (you typed {0})")]
    LastFourLength(usize),
    #[error("the last 4 characters of an ID number are letters or digits only")]
    LastFourCharacters,
    #[error("type the name of the person collecting")]
    ProxyNameEmpty,
    #[error("the proxy's name {0}")]
    ProxyName(FreeTextError),
    #[error("an ID check is needed when the parcels are found by name or a proxy collects")]
    IdCheckNeeded,
}

/// The ID a clerk looked at: its type and the last four characters of its number, upper case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdCheck {
    pub id_type: IdType,
    last_four: String,
}

impl IdCheck {
    /// Takes exactly four letters or digits (spaces around them are ignored).
    pub fn new(id_type: IdType, typed: &str) -> Result<Self, PickupEvidenceError> {
        let typed = typed.trim();
        let count = typed.chars().count();
        if count != ID_CHARACTERS_KEPT {
            return Err(PickupEvidenceError::LastFourLength(count));
        }
        if !typed.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(PickupEvidenceError::LastFourCharacters);
        }
        Ok(Self {
            id_type,
            last_four: typed.to_ascii_uppercase(),
        })
    }

    pub fn last_four(&self) -> &str {
        &self.last_four
    }

    /// "passport ending 4821".
    pub fn describe(&self) -> String {
        format!("{} ending {}", self.id_type.label(), self.last_four)
    }
}

/// Who took the parcels over the counter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Collector {
    /// The person the parcels are addressed to.
    #[default]
    Addressee,
    /// Someone else, collecting for the addressee: their name as the clerk typed it.
    Proxy(String),
}

impl Collector {
    /// A proxy by name (cleaned like every text in the ledger).
    pub fn proxy(typed: &str) -> Result<Self, PickupEvidenceError> {
        let name =
            check_free_text(typed, PROXY_NAME_MAX).map_err(PickupEvidenceError::ProxyName)?;
        if name.is_empty() {
            return Err(PickupEvidenceError::ProxyNameEmpty);
        }
        Ok(Collector::Proxy(name))
    }
}

/// How the clerk found the customer's parcels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FoundBy {
    #[default]
    Code,
    Name,
}

impl FoundBy {
    fn code(self) -> &'static str {
        match self {
            FoundBy::Code => "code",
            FoundBy::Name => "name",
        }
    }
}

/// What a pickup event records about the person at the counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickupEvidence {
    pub found_by: FoundBy,
    pub collector: Collector,
    pub id_check: Option<IdCheck>,
}

impl PickupEvidence {
    /// The rule: a pickup without the code, or by a proxy, needs an ID check. (With the code,
    /// the addressee may collect without one.)
    pub fn new(
        found_by: FoundBy,
        collector: Collector,
        id_check: Option<IdCheck>,
    ) -> Result<Self, PickupEvidenceError> {
        let evidence = Self {
            found_by,
            collector,
            id_check,
        };
        if evidence.needs_id_check() && evidence.id_check.is_none() {
            return Err(PickupEvidenceError::IdCheckNeeded);
        }
        Ok(evidence)
    }

    /// Whether this pickup needs an ID check before anything is handed over.
    pub fn needs_id_check(&self) -> bool {
        self.found_by == FoundBy::Name || matches!(self.collector, Collector::Proxy(_))
    }

    /// The event's facts. A pickup with the code by the addressee without an ID check says
    /// nothing beyond what every pickup event says, so it carries none (as before).
    pub fn facts(&self) -> Vec<Fact> {
        if self.found_by == FoundBy::Code
            && self.collector == Collector::Addressee
            && self.id_check.is_none()
        {
            return Vec::new();
        }
        let mut facts = vec![(
            fact_names::FOUND_BY.to_owned(),
            self.found_by.code().to_owned(),
        )];
        match &self.collector {
            Collector::Addressee => {
                facts.push((fact_names::COLLECTED_BY.to_owned(), "addressee".to_owned()))
            }
            Collector::Proxy(name) => {
                facts.push((fact_names::COLLECTED_BY.to_owned(), "proxy".to_owned()));
                facts.push((fact_names::PROXY_NAME.to_owned(), name.clone()));
            }
        }
        if let Some(check) = &self.id_check {
            facts.push((
                fact_names::ID_TYPE.to_owned(),
                check.id_type.code().to_owned(),
            ));
            facts.push((fact_names::ID_LAST_FOUR.to_owned(), check.last_four.clone()));
        }
        facts
    }

    /// Reads the evidence back from an event's facts; `None` when the event carries none (a
    /// pickup with the code by the addressee, or another kind of event).
    pub fn from_facts(facts: &[Fact]) -> Option<Self> {
        let found_by = match fact(facts, fact_names::FOUND_BY)? {
            "code" => FoundBy::Code,
            "name" => FoundBy::Name,
            _ => return None,
        };
        let collector = match fact(facts, fact_names::COLLECTED_BY)? {
            "addressee" => Collector::Addressee,
            "proxy" => Collector::Proxy(fact(facts, fact_names::PROXY_NAME)?.to_owned()),
            _ => return None,
        };
        let id_check = match (
            fact(facts, fact_names::ID_TYPE),
            fact(facts, fact_names::ID_LAST_FOUR),
        ) {
            (Some(id_type), Some(last_four)) => Some(IdCheck {
                id_type: id_type.parse().ok()?,
                last_four: last_four.to_owned(),
            }),
            _ => None,
        };
        Some(Self {
            found_by,
            collector,
            id_check,
        })
    }

    /// The evidence in words, for the parcel history: "found by name, collected by the
    /// addressee, ID checked: passport ending 4821".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.found_by == FoundBy::Name {
            parts.push("found by name (no code)".to_owned());
        }
        parts.push(match &self.collector {
            Collector::Addressee => "collected by the addressee".to_owned(),
            Collector::Proxy(name) => format!("collected by proxy {name}"),
        });
        parts.push(match &self.id_check {
            Some(check) => format!("ID checked: {}", check.describe()),
            None => "no ID checked".to_owned(),
        });
        parts.join(", ")
    }
}

/// How many wrong pickup codes may be tried within [`CODE_MISS_WINDOW`].
pub const CODE_MISSES_ALLOWED: usize = 5;

/// The window the wrong codes are counted in.
pub const CODE_MISS_WINDOW: Duration = Duration::seconds(60);

/// How long no code is checked after [`CODE_MISSES_ALLOWED`] wrong codes within the window.
pub const CODE_WAIT: Duration = Duration::seconds(30);

/// How far back refused codes can still matter for [`code_wait_until`] at a given instant.
pub const CODE_MISS_HORIZON: Duration = Duration::seconds(90);

/// Until when no pickup code may be checked, given when codes were refused: whenever
/// [`CODE_MISSES_ALLOWED`] refusals fall within [`CODE_MISS_WINDOW`], the counter waits
/// [`CODE_WAIT`] from the last of them. `None`: codes may be checked now. The wait is never
/// longer than [`CODE_WAIT`] from `now`, so a clock set back cannot shut the counter for long.
/// Only refusals within [`CODE_MISS_HORIZON`] of `now` can matter.
pub fn code_wait_until(refused: &[DateTime<Utc>], now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let mut times = refused.to_vec();
    times.sort_unstable();
    let run = CODE_MISSES_ALLOWED.max(1) - 1;
    let until = times
        .windows(run + 1)
        .filter(|window| window[run] - window[0] <= CODE_MISS_WINDOW)
        .map(|window| window[run] + CODE_WAIT)
        .max()?;
    (until > now).then(|| until.min(now + CODE_WAIT))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn five_wrong_codes_within_a_minute_make_the_counter_wait_thirty_seconds() {
        let quick: Vec<_> = [0, 5, 10, 15, 20].map(at).to_vec();
        // (refused codes, now, wait until)
        let table: Vec<(Vec<DateTime<Utc>>, i64, Option<i64>)> = vec![
            (quick[..4].to_vec(), 21, None),
            (quick.clone(), 21, Some(50)),
            (quick.clone(), 49, Some(50)),
            (quick.clone(), 50, None),
            // Spread over more than a minute: no wait.
            ([0, 20, 40, 55, 61].map(at).to_vec(), 62, None),
            // Exactly a minute counts.
            ([0, 20, 40, 55, 60].map(at).to_vec(), 62, Some(90)),
            // Order does not matter.
            ([20, 0, 15, 5, 10].map(at).to_vec(), 21, Some(50)),
            // After a wait, a further miss within the minute waits again.
            ([0, 5, 10, 15, 20, 51].map(at).to_vec(), 52, Some(81)),
            // A clock set back never shuts the counter longer than one wait from now.
            (quick.clone(), -600, Some(-570)),
        ];
        for (refused, now, wait) in table {
            assert_eq!(
                code_wait_until(&refused, at(now)),
                wait.map(at),
                "{refused:?} at {now}"
            );
        }
    }

    #[test]
    fn the_horizon_covers_every_refusal_that_can_still_matter() {
        // The earliest refusal of a run whose wait is still on.
        let refused: Vec<_> = [0, 15, 30, 45, 60].map(at).to_vec();
        let now = at(89);
        assert!(code_wait_until(&refused, now).is_some());
        assert!(now - refused[0] <= CODE_MISS_HORIZON);
        assert_eq!(CODE_MISS_HORIZON, CODE_MISS_WINDOW + CODE_WAIT);
    }

    #[test]
    fn id_checks_keep_four_letters_or_digits_only() {
        let check = IdCheck::new(IdType::Passport, " 48a1 ").unwrap();
        assert_eq!(check.last_four(), "48A1");
        assert_eq!(check.describe(), "passport ending 48A1");
        assert_eq!(
            IdCheck::new(IdType::Passport, "123"),
            Err(PickupEvidenceError::LastFourLength(3))
        );
        assert_eq!(
            IdCheck::new(IdType::Passport, "123456789"),
            Err(PickupEvidenceError::LastFourLength(9))
        );
        assert_eq!(
            IdCheck::new(IdType::Passport, "12-4"),
            Err(PickupEvidenceError::LastFourCharacters)
        );
    }

    #[test]
    fn a_pickup_by_name_or_by_a_proxy_needs_an_id_check() {
        let passport = IdCheck::new(IdType::Passport, "4821").unwrap();
        assert!(PickupEvidence::new(FoundBy::Code, Collector::Addressee, None).is_ok());
        assert_eq!(
            PickupEvidence::new(FoundBy::Name, Collector::Addressee, None),
            Err(PickupEvidenceError::IdCheckNeeded)
        );
        let proxy = Collector::proxy("Jo Bloggs").unwrap();
        assert_eq!(
            PickupEvidence::new(FoundBy::Code, proxy.clone(), None),
            Err(PickupEvidenceError::IdCheckNeeded)
        );
        assert!(PickupEvidence::new(FoundBy::Code, proxy, Some(passport)).is_ok());
        assert_eq!(
            Collector::proxy("  "),
            Err(PickupEvidenceError::ProxyNameEmpty)
        );
        assert!(Collector::proxy("Jo\u{1b}[2J").is_err());
    }

    #[test]
    fn evidence_goes_into_facts_and_back_and_reads_in_words() {
        let plain = PickupEvidence::new(FoundBy::Code, Collector::Addressee, None).unwrap();
        assert!(plain.facts().is_empty());
        assert_eq!(PickupEvidence::from_facts(&plain.facts()), None);

        let by_name = PickupEvidence::new(
            FoundBy::Name,
            Collector::Addressee,
            Some(IdCheck::new(IdType::DrivingLicence, "12ab").unwrap()),
        )
        .unwrap();
        let facts = by_name.facts();
        assert_eq!(
            facts,
            [
                ("found_by", "name"),
                ("collected_by", "addressee"),
                ("id_type", "driving_licence"),
                ("id_last_four", "12AB"),
            ]
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
        );
        assert_eq!(PickupEvidence::from_facts(&facts), Some(by_name.clone()));
        assert_eq!(
            by_name.describe(),
            "found by name (no code), collected by the addressee, ID checked: driving licence ending 12AB"
        );

        let proxy = PickupEvidence::new(
            FoundBy::Code,
            Collector::proxy("Jo Bloggs").unwrap(),
            Some(IdCheck::new(IdType::NationalIdCard, "7731").unwrap()),
        )
        .unwrap();
        assert_eq!(
            PickupEvidence::from_facts(&proxy.facts()),
            Some(proxy.clone())
        );
        assert_eq!(
            proxy.describe(),
            "collected by proxy Jo Bloggs, ID checked: national ID card ending 7731"
        );
    }

    #[test]
    fn id_types_round_trip_through_their_codes() {
        for id_type in IdType::ALL {
            assert_eq!(id_type.code().parse::<IdType>(), Ok(id_type));
        }
    }
}
