//! Which carriers a store takes and how long each carrier's parcels are held: the store's
//! rules for carriers, read from kiosk.toml and applied when a parcel is scanned or received.

use super::calendar::HoldRule;
use super::labels::{Carrier, LabelPolicy};

/// The carrier groups kiosk.toml names, in the order it lists them.
pub const CARRIER_KEYS: [&str; 8] = [
    "ups", "usps", "fedex", "dhl", "dpd", "amazon", "postal", "sscc",
];

/// A store's carrier rules. [`CarrierRules::everything`] is the behaviour before kiosk.toml had
/// a `[carriers]` section: every format, unknown ones too, all held under `[holds]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarrierRules {
    /// Config keys (see [`Carrier::config_key`]) of the carriers the store takes.
    accepted: Vec<&'static str>,
    allow_other: bool,
    /// Per config key, the carrier's own hold; carriers without one take `default_hold`.
    holds: Vec<(&'static str, HoldRule)>,
    default_hold: HoldRule,
}

impl CarrierRules {
    /// Every carrier and unknown formats, all held under `default_hold`.
    pub fn everything(default_hold: HoldRule) -> Self {
        Self {
            accepted: CARRIER_KEYS.to_vec(),
            allow_other: true,
            holds: Vec::new(),
            default_hold,
        }
    }

    /// Rules from validated parts: `accepted` and the keys of `holds` are from [`CARRIER_KEYS`].
    pub fn new(
        accepted: Vec<&'static str>,
        allow_other: bool,
        holds: Vec<(&'static str, HoldRule)>,
        default_hold: HoldRule,
    ) -> Self {
        Self {
            accepted,
            allow_other,
            holds,
            default_hold,
        }
    }

    /// What [`super::labels::identify_label`] is to accept beyond the known formats.
    pub fn label_policy(&self) -> LabelPolicy {
        LabelPolicy {
            allow_other: self.allow_other,
        }
    }

    /// Whether the store takes parcels of this carrier; `Other` only when unknown formats are
    /// allowed.
    pub fn accepts(&self, carrier: &Carrier) -> bool {
        match carrier {
            Carrier::Other => self.allow_other,
            known => self.accepted.contains(&known.config_key()),
        }
    }

    /// How long a parcel of this carrier is held: its own figure, else the store's `[holds]`.
    pub fn hold_rule(&self, carrier: &Carrier) -> HoldRule {
        let key = carrier.config_key();
        self.holds
            .iter()
            .find(|(name, _)| *name == key)
            .map_or(self.default_hold, |(_, rule)| *rule)
    }

    /// The carriers the store takes, by config key, in kiosk.toml's order.
    pub fn accepted_keys(&self) -> &[&'static str] {
        &self.accepted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::labels::PostCountry;

    const STORE: HoldRule = HoldRule {
        pickup_days: 14,
        count_closed_days: false,
    };

    #[test]
    fn a_store_without_carrier_rules_takes_everything_under_its_holds() {
        let rules = CarrierRules::everything(STORE);
        assert!(rules.label_policy().allow_other);
        assert!(rules.accepts(&Carrier::Other));
        assert!(rules.accepts(&Carrier::Dpd));
        assert_eq!(rules.hold_rule(&Carrier::Ups), STORE);
    }

    #[test]
    fn own_holds_win_and_posts_share_one_key() {
        let ups = HoldRule {
            pickup_days: 7,
            count_closed_days: true,
        };
        let rules = CarrierRules::new(vec!["ups", "postal"], false, vec![("ups", ups)], STORE);
        assert_eq!(rules.hold_rule(&Carrier::Ups), ups);
        assert_eq!(rules.hold_rule(&Carrier::FedEx), STORE);
        let country = PostCountry::parse("GB").unwrap();
        assert!(rules.accepts(&Carrier::PostalS10 { country }));
        assert!(!rules.accepts(&Carrier::FedEx));
        assert!(!rules.accepts(&Carrier::Other));
    }
}
