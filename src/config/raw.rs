//! The file as written: serde types that only check shape (unknown keys, types).

use serde::Deserialize;

use crate::domain::pin::HashCost;

// ---------------------------------------------------------------------------------------------
// The file as written: serde types that only check shape (unknown keys, types).

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub(super) store: RawStore,
    #[serde(default)]
    pub(super) hours: RawHours,
    #[serde(default)]
    pub(super) holds: RawHolds,
    #[serde(default)]
    pub(super) security: RawSecurity,
    #[serde(default)]
    pub(super) ledger: RawLedger,
    #[serde(default)]
    pub(super) handshake: RawHandshake,
    #[serde(default)]
    pub(super) orders: RawOrders,
    #[serde(default)]
    pub(super) counter: RawCounter,
    /// `None` when the file has no `[carriers]`: the store then takes every format, as before.
    #[serde(default)]
    pub(super) carriers: Option<RawCarriers>,
    #[serde(default)]
    pub(super) store_feed: RawStoreFeed,
    #[serde(default)]
    pub(super) shelves: RawShelves,
    #[serde(default)]
    pub(super) printer: RawPrinter,
    #[serde(default)]
    pub(super) head_office: super::head_office::RawHeadOffice,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct RawShelves {
    pub(super) orders: String,
    pub(super) returns: String,
    pub(super) drop_offs: String,
}

impl Default for RawShelves {
    fn default() -> Self {
        Self {
            orders: "ORD".into(),
            returns: "RET".into(),
            drop_offs: "OUT".into(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCarriers {
    #[serde(default = "default_accepted_carriers")]
    pub(super) accept: Vec<String>,
    #[serde(default)]
    pub(super) allow_other: bool,
    /// Per carrier key, its own hold (`[carriers.hold.ups]`).
    #[serde(default)]
    pub(super) hold: std::collections::BTreeMap<String, RawCarrierHold>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCarrierHold {
    pub(super) days: i64,
    #[serde(default)]
    pub(super) count_closed_days: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct RawStoreFeed {
    pub(super) name_prefix: String,
    pub(super) phone: String,
    pub(super) email: String,
}

impl Default for RawStoreFeed {
    fn default() -> Self {
        Self {
            name_prefix: crate::domain::store_feed::AMAZON_COUNTER_NAME_PREFIX.into(),
            phone: String::new(),
            email: String::new(),
        }
    }
}

pub(super) fn default_accepted_carriers() -> Vec<String> {
    crate::domain::carriers::CARRIER_KEYS
        .iter()
        .map(|key| (*key).to_owned())
        .collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct RawCounter {
    pub(super) bell: bool,
    pub(super) language: String,
}

impl Default for RawCounter {
    fn default() -> Self {
        Self {
            bell: true,
            language: "en".into(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct RawOrders {
    pub(super) leave_by: String,
    pub(super) warn_minutes: i64,
}

impl Default for RawOrders {
    fn default() -> Self {
        Self {
            leave_by: "16:30".into(),
            warn_minutes: 60,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStore {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) time_zone: String,
    #[serde(default = "default_capacity")]
    pub(super) capacity: i64,
    pub(super) capabilities: Vec<String>,
    #[serde(default = "default_true")]
    pub(super) is_active: bool,
    #[serde(default)]
    pub(super) service_area: Vec<String>,
    pub(super) address: RawAddress,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAddress {
    pub(super) street: String,
    pub(super) city: String,
    pub(super) region: String,
    pub(super) postal_code: String,
    pub(super) country_code: String,
    pub(super) latitude: f64,
    pub(super) longitude: f64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHours {
    #[serde(default)]
    pub(super) monday: Vec<String>,
    #[serde(default)]
    pub(super) tuesday: Vec<String>,
    #[serde(default)]
    pub(super) wednesday: Vec<String>,
    #[serde(default)]
    pub(super) thursday: Vec<String>,
    #[serde(default)]
    pub(super) friday: Vec<String>,
    #[serde(default)]
    pub(super) saturday: Vec<String>,
    #[serde(default)]
    pub(super) sunday: Vec<String>,
    #[serde(default)]
    pub(super) closures: Vec<RawClosure>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawClosure {
    pub(super) from: toml::Value,
    pub(super) to: toml::Value,
    #[serde(default)]
    pub(super) reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHolds {
    #[serde(default = "default_pickup_days")]
    pub(super) pickup_days: i64,
    #[serde(default)]
    pub(super) count_closed_days: bool,
}

impl Default for RawHolds {
    fn default() -> Self {
        Self {
            pickup_days: default_pickup_days(),
            count_closed_days: false,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct RawSecurity {
    pub(super) argon2_memory_kib: i64,
    pub(super) argon2_iterations: i64,
    pub(super) argon2_parallelism: i64,
    pub(super) pin_min_length: i64,
    pub(super) failures_before_wait: i64,
    pub(super) wait_base_seconds: i64,
    pub(super) failures_before_disable: i64,
    pub(super) idle_lock_seconds: i64,
    pub(super) kiosk_mode: bool,
    pub(super) pepper_file: String,
}

impl Default for RawSecurity {
    fn default() -> Self {
        Self {
            argon2_memory_kib: i64::from(HashCost::DEFAULT.memory_kib),
            argon2_iterations: i64::from(HashCost::DEFAULT.iterations),
            argon2_parallelism: i64::from(HashCost::DEFAULT.parallelism),
            pin_min_length: 6,
            failures_before_wait: 5,
            wait_base_seconds: 30,
            failures_before_disable: 10,
            idle_lock_seconds: 120,
            kiosk_mode: true,
            pepper_file: "data/pepper.bin".into(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct RawLedger {
    pub(super) path: String,
    pub(super) signing_key: String,
    pub(super) export_dir: String,
}

impl Default for RawLedger {
    fn default() -> Self {
        Self {
            path: "data/ledger.sqlite3".into(),
            signing_key: "data/store-signing.key".into(),
            export_dir: "exports".into(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct RawHandshake {
    pub(super) token_seconds: i64,
}

impl Default for RawHandshake {
    fn default() -> Self {
        Self { token_seconds: 120 }
    }
}

pub(super) fn default_capacity() -> i64 {
    20
}
pub(super) fn default_true() -> bool {
    true
}
pub(super) fn default_pickup_days() -> i64 {
    14
}

// [printer] -----------------------------------------------------------------------------------

/// `[printer]` as written; which keys a kind needs is checked in `validate.rs`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPrinter {
    #[serde(default = "default_printer_kind")]
    pub(super) kind: String,
    #[serde(default)]
    pub(super) connect: Option<String>,
    #[serde(default = "default_paper_mm")]
    pub(super) paper_mm: i64,
    #[serde(default)]
    pub(super) folder: Option<String>,
    #[serde(default = "default_printer_timeout")]
    pub(super) timeout_seconds: i64,
}

impl Default for RawPrinter {
    fn default() -> Self {
        Self {
            kind: default_printer_kind(),
            connect: None,
            paper_mm: default_paper_mm(),
            folder: None,
            timeout_seconds: default_printer_timeout(),
        }
    }
}

pub(super) fn default_printer_kind() -> String {
    "none".into()
}
pub(super) fn default_paper_mm() -> i64 {
    80
}
pub(super) fn default_printer_timeout() -> i64 {
    5
}
