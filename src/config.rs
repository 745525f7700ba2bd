//! `kiosk.toml` -> a typed, validated [`KioskConfig`]. Every error names the file, the key and
//! its line, so a manager editing the file by hand knows exactly what to fix.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::domain::calendar::{Closure, HoldRule, OpenInterval, StoreCalendar};
use crate::domain::ids::StoreId;
use crate::domain::pin::{HashCost, LockoutPolicy, PinPolicy};

/// The commented default configuration, shipped as the top-level `kiosk.toml`.
pub const DEFAULT_CONFIG_TEXT: &str = include_str!("../kiosk.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capability {
    PickUp,
    DropOff,
    LocalDelivery,
}

impl Capability {
    pub fn code(self) -> &'static str {
        match self {
            Capability::PickUp => "PICK_UP",
            Capability::DropOff => "DROP_OFF",
            Capability::LocalDelivery => "LOCAL_DELIVERY",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        [Self::PickUp, Self::DropOff, Self::LocalDelivery]
            .into_iter()
            .find(|capability| capability.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Address {
    pub street: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country_code: String,
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoreSettings {
    pub id: StoreId,
    pub name: String,
    pub time_zone: Tz,
    pub capacity: u32,
    pub capabilities: Vec<Capability>,
    pub is_active: bool,
    pub address: Address,
    pub service_area: Vec<String>,
}

impl StoreSettings {
    pub fn offers(&self, capability: Capability) -> bool {
        self.capabilities.contains(&capability)
    }

    /// Whether a local delivery to this postal code is within the store's service area.
    pub fn serves(&self, postal_code: &str) -> bool {
        let wanted = postal_code.trim().to_ascii_uppercase();
        !wanted.is_empty() && self.service_area.contains(&wanted)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SecuritySettings {
    pub hash_cost: HashCost,
    pub pin_policy: PinPolicy,
    pub lockout: LockoutPolicy,
    pub idle_lock: Duration,
    pub kiosk_mode: bool,
    pub pepper_file: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LedgerSettings {
    pub database: PathBuf,
    pub signing_key: PathBuf,
    pub export_dir: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HandshakeSettings {
    pub token_lifetime: Duration,
}

/// The shop's own outgoing orders.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderSettings {
    /// The must-leave-by time an order gets unless the clerk changes it (store-local).
    pub default_leave_by: NaiveTime,
    /// How long before its deadline an order with no driver yet is flagged on the home screen.
    pub warn_before: Duration,
}

/// The validated configuration. Passed down by reference; there is no global config.
#[derive(Debug, Clone, PartialEq)]
pub struct KioskConfig {
    /// The file this came from (errors and relative paths refer to it).
    pub source: PathBuf,
    pub store: StoreSettings,
    pub calendar: StoreCalendar,
    pub security: SecuritySettings,
    pub ledger: LedgerSettings,
    pub handshake: HandshakeSettings,
    pub orders: OrderSettings,
}

/// A configuration problem, located as precisely as the file allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": key `{key}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

// ---------------------------------------------------------------------------------------------
// The file as written: serde types that only check shape (unknown keys, types).

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    store: RawStore,
    #[serde(default)]
    hours: RawHours,
    #[serde(default)]
    holds: RawHolds,
    #[serde(default)]
    security: RawSecurity,
    #[serde(default)]
    ledger: RawLedger,
    #[serde(default)]
    handshake: RawHandshake,
    #[serde(default)]
    orders: RawOrders,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawOrders {
    leave_by: String,
    warn_minutes: i64,
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
struct RawStore {
    id: String,
    name: String,
    time_zone: String,
    #[serde(default = "default_capacity")]
    capacity: i64,
    capabilities: Vec<String>,
    #[serde(default = "default_true")]
    is_active: bool,
    #[serde(default)]
    service_area: Vec<String>,
    address: RawAddress,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAddress {
    street: String,
    city: String,
    region: String,
    postal_code: String,
    country_code: String,
    latitude: f64,
    longitude: f64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHours {
    #[serde(default)]
    monday: Vec<String>,
    #[serde(default)]
    tuesday: Vec<String>,
    #[serde(default)]
    wednesday: Vec<String>,
    #[serde(default)]
    thursday: Vec<String>,
    #[serde(default)]
    friday: Vec<String>,
    #[serde(default)]
    saturday: Vec<String>,
    #[serde(default)]
    sunday: Vec<String>,
    #[serde(default)]
    closures: Vec<RawClosure>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClosure {
    from: toml::Value,
    to: toml::Value,
    #[serde(default)]
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHolds {
    #[serde(default = "default_pickup_days")]
    pickup_days: i64,
    #[serde(default)]
    count_closed_days: bool,
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
struct RawSecurity {
    argon2_memory_kib: i64,
    argon2_iterations: i64,
    argon2_parallelism: i64,
    pin_min_length: i64,
    failures_before_wait: i64,
    wait_base_seconds: i64,
    failures_before_disable: i64,
    idle_lock_seconds: i64,
    kiosk_mode: bool,
    pepper_file: String,
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
struct RawLedger {
    path: String,
    signing_key: String,
    export_dir: String,
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
struct RawHandshake {
    token_seconds: i64,
}

impl Default for RawHandshake {
    fn default() -> Self {
        Self { token_seconds: 120 }
    }
}

fn default_capacity() -> i64 {
    20
}
fn default_true() -> bool {
    true
}
fn default_pickup_days() -> i64 {
    14
}

// ---------------------------------------------------------------------------------------------
// Loading.

impl KioskConfig {
    /// Reads and validates a config file. Nothing else is touched: no folder or file is created.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError {
            file: path.to_path_buf(),
            line: None,
            key: None,
            message: format!("cannot read the file: {error}"),
        })?;
        Self::parse(&text, path)
    }

    /// Validates config text as if read from `path` (which only locates relative paths).
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let raw = parse_raw(text, path)?;
        let mut validator = Validator {
            text,
            file: path,
            folder: path.parent().unwrap_or_else(|| Path::new("")).to_path_buf(),
        };
        validator.build(raw)
    }

    /// The config folder: where relative paths in the file are resolved from.
    pub fn folder(&self) -> PathBuf {
        self.source
            .parent()
            .unwrap_or_else(|| Path::new(""))
            .to_path_buf()
    }
}

fn line_at(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(0, |prefix| prefix.matches('\n').count())
        + 1
}

fn parse_raw(text: &str, path: &Path) -> Result<RawConfig, ConfigError> {
    let syntax_error = |error: toml::de::Error| ConfigError {
        file: path.to_path_buf(),
        line: error.span().map(|span| line_at(text, span.start)),
        key: None,
        message: format!("not valid TOML: {}", error.message().trim()),
    };
    let deserializer = toml::de::Deserializer::parse(text).map_err(syntax_error)?;
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path_text = error.path().to_string();
        let inner = error.into_inner();
        let message = inner.message().trim().to_owned();
        // For an unknown or missing key, name the key itself, not just its table.
        let field_named = |prefix: &str| {
            message
                .strip_prefix(prefix)
                .and_then(|rest| rest.split('`').next())
                .map(str::to_owned)
        };
        let missing = field_named("missing field `");
        let unknown = field_named("unknown field `").or_else(|| missing.clone());
        let key = match (&unknown, path_text.as_str()) {
            (Some(name), ".") => name.clone(),
            (Some(name), path) if path == name || path.ends_with(&format!(".{name}")) => {
                path.to_owned()
            }
            (Some(name), parent) => format!("{parent}.{name}"),
            (None, own) => own.to_owned(),
        };
        // A missing key has no line of its own: point at its table.
        let key_line = if missing.is_some() {
            key_line(text, &path_text)
        } else {
            key_line(text, &key)
        };
        ConfigError {
            file: path.to_path_buf(),
            line: inner
                .span()
                .map(|span| line_at(text, span.start))
                .or(key_line),
            key: (key != ".").then_some(key),
            message: if message.starts_with("missing field") {
                format!("{message} (this key is required)")
            } else {
                message
            },
        }
    })
}

/// The line of a dotted key path (`store.address.city`, `hours.closures[2].from`) in the
/// text, found through toml's spanned parse so it is right whatever the file's layout.
fn key_line(text: &str, dotted: &str) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let mut table = root.get_ref();
    let mut found: Option<usize> = None;
    let mut segments = dotted.split('.').peekable();
    while let Some(segment) = segments.next() {
        let (name, index) = match segment.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        let (key, value) = table
            .iter()
            .find(|(key, _)| key.get_ref().as_ref() == name)?;
        found = Some(key.span().start);
        let mut value = value;
        if let Some(index) = index {
            let DeValue::Array(items) = value.get_ref() else {
                break;
            };
            value = items.get(index)?;
            found = Some(value.span().start);
        }
        if segments.peek().is_none() {
            break;
        }
        match value.get_ref() {
            DeValue::Table(inner) => table = inner,
            _ => break,
        }
    }
    found.map(|offset| line_at(text, offset))
}

struct Validator<'a> {
    text: &'a str,
    file: &'a Path,
    folder: PathBuf,
}

impl Validator<'_> {
    fn error(&self, key: &str, message: impl Into<String>) -> ConfigError {
        ConfigError {
            file: self.file.to_path_buf(),
            line: key_line(self.text, key),
            key: Some(key.to_owned()),
            message: message.into(),
        }
    }

    fn in_range(&self, key: &str, value: i64, min: i64, max: i64) -> Result<u32, ConfigError> {
        if value < min || value > max {
            return Err(self.error(key, format!("{value} is out of range: use {min} to {max}")));
        }
        u32::try_from(value).map_err(|_| self.error(key, format!("{value} is out of range")))
    }

    fn text_field(&self, key: &str, value: &str, max_chars: usize) -> Result<String, ConfigError> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(self.error(key, "cannot be empty"));
        }
        if trimmed.chars().count() > max_chars {
            return Err(self.error(
                key,
                format!(
                    "has {} characters; at most {max_chars} are allowed",
                    trimmed.chars().count()
                ),
            ));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(self.error(key, "cannot contain control characters"));
        }
        Ok(trimmed.to_owned())
    }

    fn path(&self, key: &str, value: &str) -> Result<PathBuf, ConfigError> {
        if value.trim().is_empty() {
            return Err(self.error(key, "cannot be empty"));
        }
        let path = Path::new(value);
        Ok(if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.folder.join(path)
        })
    }

    fn build(&mut self, raw: RawConfig) -> Result<KioskConfig, ConfigError> {
        let store = self.store(raw.store)?;
        let calendar = StoreCalendar {
            time_zone: store.time_zone,
            weekly_hours: self.weekly_hours(&raw.hours)?,
            closures: self.closures(&raw.hours.closures)?,
            holds: HoldRule {
                pickup_days: self.in_range("holds.pickup_days", raw.holds.pickup_days, 1, 90)?,
                count_closed_days: raw.holds.count_closed_days,
            },
        };
        let security = self.security(raw.security)?;
        let ledger = LedgerSettings {
            database: self.path("ledger.path", &raw.ledger.path)?,
            signing_key: self.path("ledger.signing_key", &raw.ledger.signing_key)?,
            export_dir: self.path("ledger.export_dir", &raw.ledger.export_dir)?,
        };
        let token_seconds = self.in_range(
            "handshake.token_seconds",
            raw.handshake.token_seconds,
            30,
            600,
        )?;
        let default_leave_by = parse_time(raw.orders.leave_by.trim()).ok_or_else(|| {
            self.error(
                "orders.leave_by",
                format!("{:?} is not a time like \"16:30\"", raw.orders.leave_by),
            )
        })?;
        let warn_minutes = self.in_range("orders.warn_minutes", raw.orders.warn_minutes, 0, 600)?;
        Ok(KioskConfig {
            source: self.file.to_path_buf(),
            store,
            calendar,
            security,
            ledger,
            handshake: HandshakeSettings {
                token_lifetime: Duration::seconds(i64::from(token_seconds)),
            },
            orders: OrderSettings {
                default_leave_by,
                warn_before: Duration::minutes(i64::from(warn_minutes)),
            },
        })
    }

    fn store(&self, raw: RawStore) -> Result<StoreSettings, ConfigError> {
        let id =
            StoreId::parse(raw.id.trim()).map_err(|e| self.error("store.id", e.to_string()))?;
        let name = self.text_field("store.name", &raw.name, 50)?;
        let time_zone: Tz = raw.time_zone.trim().parse().map_err(|_| {
            self.error(
                "store.time_zone",
                format!(
                    "{:?} is not an IANA time zone name (e.g. America/Phoenix)",
                    raw.time_zone
                ),
            )
        })?;
        let capacity = self.in_range("store.capacity", raw.capacity, 5, 100_000)?;
        let mut capabilities = Vec::new();
        for code in &raw.capabilities {
            let capability = Capability::from_code(code.trim()).ok_or_else(|| {
                self.error(
                    "store.capabilities",
                    format!(
                        "{code:?} is not a capability: use PICK_UP, DROP_OFF or LOCAL_DELIVERY"
                    ),
                )
            })?;
            if capabilities.contains(&capability) {
                return Err(self.error("store.capabilities", format!("{code} is listed twice")));
            }
            capabilities.push(capability);
        }
        if capabilities.is_empty() {
            return Err(self.error("store.capabilities", "list at least one capability"));
        }
        let mut service_area = Vec::new();
        for code in &raw.service_area {
            let trimmed = code.trim();
            let valid = (3..=10).contains(&trimmed.len())
                && trimmed
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
            if !valid {
                return Err(self.error(
                    "store.service_area",
                    format!("{code:?} is not a postal code"),
                ));
            }
            service_area.push(trimmed.to_ascii_uppercase());
        }
        if capabilities.contains(&Capability::LocalDelivery) && service_area.is_empty() {
            return Err(self.error(
                "store.service_area",
                "LOCAL_DELIVERY needs the postal codes the store delivers to",
            ));
        }
        let address = self.address(raw.address)?;
        Ok(StoreSettings {
            id,
            name,
            time_zone,
            capacity,
            capabilities,
            is_active: raw.is_active,
            address,
            service_area,
        })
    }

    fn address(&self, raw: RawAddress) -> Result<Address, ConfigError> {
        let country_code = raw.country_code.trim().to_owned();
        if country_code.len() != 2 || !country_code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(self.error(
                "store.address.country_code",
                format!("{country_code:?} is not a two-letter ISO country code (e.g. US)"),
            ));
        }
        if !(-90.0..=90.0).contains(&raw.latitude) {
            return Err(self.error("store.address.latitude", "must be between -90 and 90"));
        }
        if !(-180.0..=180.0).contains(&raw.longitude) {
            return Err(self.error("store.address.longitude", "must be between -180 and 180"));
        }
        Ok(Address {
            street: self.text_field("store.address.street", &raw.street, 100)?,
            city: self.text_field("store.address.city", &raw.city, 60)?,
            region: self.text_field("store.address.region", &raw.region, 60)?,
            postal_code: self.text_field("store.address.postal_code", &raw.postal_code, 10)?,
            country_code,
            latitude: raw.latitude,
            longitude: raw.longitude,
        })
    }

    fn weekly_hours(&self, raw: &RawHours) -> Result<[Vec<OpenInterval>; 7], ConfigError> {
        let days: [(&str, &Vec<String>); 7] = [
            ("monday", &raw.monday),
            ("tuesday", &raw.tuesday),
            ("wednesday", &raw.wednesday),
            ("thursday", &raw.thursday),
            ("friday", &raw.friday),
            ("saturday", &raw.saturday),
            ("sunday", &raw.sunday),
        ];
        let mut weekly: [Vec<OpenInterval>; 7] = Default::default();
        for (slot, (day, intervals)) in weekly.iter_mut().zip(days) {
            let key = format!("hours.{day}");
            let mut parsed: Vec<OpenInterval> = Vec::new();
            for text in intervals {
                let interval = parse_interval(text).ok_or_else(|| {
                    self.error(&key, format!("{text:?} is not an interval like \"09:00-18:00\" (opening before closing)"))
                })?;
                if parsed
                    .last()
                    .is_some_and(|previous| previous.closes > interval.opens)
                {
                    return Err(self.error(&key, "intervals must be in order and must not overlap"));
                }
                parsed.push(interval);
            }
            *slot = parsed;
        }
        if weekly.iter().all(Vec::is_empty) {
            return Err(self.error("hours", "the store must open on at least one weekday"));
        }
        Ok(weekly)
    }

    fn closures(&self, raw: &[RawClosure]) -> Result<Vec<Closure>, ConfigError> {
        raw.iter()
            .enumerate()
            .map(|(index, closure)| {
                let key = |field: &str| format!("hours.closures[{index}].{field}");
                let first_day = self.date(&key("from"), &closure.from)?;
                let last_day = self.date(&key("to"), &closure.to)?;
                if last_day < first_day {
                    return Err(self.error(&key("to"), "the closure ends before it starts"));
                }
                if (last_day - first_day).num_days() > 366 {
                    return Err(self.error(&key("to"), "a closure spans at most a year"));
                }
                let reason = if closure.reason.trim().is_empty() {
                    "closed".to_owned()
                } else {
                    self.text_field(&key("reason"), &closure.reason, 60)?
                };
                Ok(Closure {
                    first_day,
                    last_day,
                    reason,
                })
            })
            .collect()
    }

    /// Accepts `"2026-12-25"` or a bare TOML date `2026-12-25`.
    fn date(&self, key: &str, value: &toml::Value) -> Result<NaiveDate, ConfigError> {
        let text = match value {
            toml::Value::String(text) => text.clone(),
            toml::Value::Datetime(datetime) if datetime.time.is_none() => datetime.to_string(),
            _ => String::new(),
        };
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| self.error(key, format!("{value} is not a date like \"2026-12-25\"")))
    }

    fn security(&self, raw: RawSecurity) -> Result<SecuritySettings, ConfigError> {
        let memory_kib = self.in_range(
            "security.argon2_memory_kib",
            raw.argon2_memory_kib,
            i64::from(HashCost::MIN_MEMORY_KIB),
            4_194_304,
        )?;
        let iterations = self.in_range(
            "security.argon2_iterations",
            raw.argon2_iterations,
            i64::from(HashCost::MIN_ITERATIONS),
            20,
        )?;
        let parallelism =
            self.in_range("security.argon2_parallelism", raw.argon2_parallelism, 1, 16)?;
        let min_length = self.in_range("security.pin_min_length", raw.pin_min_length, 6, 12)?;
        let failures_before_wait = self.in_range(
            "security.failures_before_wait",
            raw.failures_before_wait,
            1,
            20,
        )?;
        let wait_base_seconds = self.in_range(
            "security.wait_base_seconds",
            raw.wait_base_seconds,
            1,
            3_600,
        )?;
        let failures_before_disable = self.in_range(
            "security.failures_before_disable",
            raw.failures_before_disable,
            2,
            50,
        )?;
        if failures_before_disable <= failures_before_wait {
            return Err(self.error(
                "security.failures_before_disable",
                format!("must be greater than failures_before_wait ({failures_before_wait})"),
            ));
        }
        let idle_lock_seconds = self.in_range(
            "security.idle_lock_seconds",
            raw.idle_lock_seconds,
            15,
            3_600,
        )?;
        Ok(SecuritySettings {
            hash_cost: HashCost {
                memory_kib,
                iterations,
                parallelism,
            },
            pin_policy: PinPolicy {
                min_length: min_length as usize,
            },
            lockout: LockoutPolicy {
                failures_before_wait,
                base_wait: Duration::seconds(i64::from(wait_base_seconds)),
                failures_before_disable,
                ..LockoutPolicy::default()
            },
            idle_lock: Duration::seconds(i64::from(idle_lock_seconds)),
            kiosk_mode: raw.kiosk_mode,
            pepper_file: self.path("security.pepper_file", &raw.pepper_file)?,
        })
    }
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .ok()
}

fn parse_interval(text: &str) -> Option<OpenInterval> {
    let (opens, closes) = text.split_once('-')?;
    let interval = OpenInterval {
        opens: parse_time(opens.trim())?,
        closes: parse_time(closes.trim())?,
    };
    (interval.opens < interval.closes).then_some(interval)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_default_is_valid_and_resolves_paths_against_its_folder() {
        let config =
            KioskConfig::parse(DEFAULT_CONFIG_TEXT, Path::new("/srv/kiosk/kiosk.toml")).unwrap();
        assert_eq!(config.store.id.as_str(), "RVM-0045");
        assert_eq!(config.security.hash_cost, HashCost::DEFAULT);
        assert_eq!(
            config.ledger.database,
            Path::new("/srv/kiosk/data/ledger.sqlite3")
        );
        assert_eq!(
            config.calendar.weekly_hours[5].len(),
            2,
            "Saturday has a midday closure"
        );
        assert_eq!(config.calendar.closures.len(), 5);
    }

    #[test]
    fn key_lines_are_found_in_nested_tables_and_arrays() {
        let text = DEFAULT_CONFIG_TEXT;
        let line_of = |needle: &str| text.lines().position(|l| l.starts_with(needle)).unwrap() + 1;
        assert_eq!(
            key_line(text, "store.address.city"),
            Some(line_of("city = "))
        );
        assert_eq!(
            key_line(text, "security.pin_min_length"),
            Some(line_of("pin_min_length"))
        );
        let second_from = text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.starts_with("from = "))
            .nth(1)
            .unwrap()
            .0
            + 1;
        assert_eq!(key_line(text, "hours.closures[1].from"), Some(second_from));
    }
}
