//! The raw file -> typed settings, each problem named with its key and line.

use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate, NaiveTime};
use chrono_tz::Tz;

use super::raw::*;
use super::*;
use crate::domain::calendar::{Closure, HoldRule, OpenInterval, StoreCalendar};
use crate::domain::carriers::{CARRIER_KEYS, CarrierRules};
use crate::domain::ids::StoreId;
use crate::domain::pin::{HashCost, LockoutPolicy, PinPolicy};

pub(super) struct Validator<'a> {
    pub(super) text: &'a str,
    pub(super) file: &'a Path,
    pub(super) folder: PathBuf,
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

    pub(super) fn build(&mut self, raw: RawConfig) -> Result<KioskConfig, ConfigError> {
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
        let carriers = match raw.carriers {
            Some(carriers) => self.carriers(carriers, calendar.holds)?,
            None => CarrierRules::everything(calendar.holds),
        };
        let store_feed = self.store_feed(raw.store_feed)?;
        let shelves = self.shelves(raw.shelves)?;
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
            carriers,
            store_feed,
            shelves,
        })
    }

    fn carriers(
        &self,
        raw: RawCarriers,
        store_hold: HoldRule,
    ) -> Result<CarrierRules, ConfigError> {
        let known = |code: &str| CARRIER_KEYS.iter().copied().find(|key| *key == code);
        let mut accepted = Vec::new();
        for code in &raw.accept {
            let key = known(code.trim()).ok_or_else(|| {
                self.error(
                    "carriers.accept",
                    format!(
                        "{code:?} is not a carrier: use {} (allow_other takes unknown formats)",
                        CARRIER_KEYS.join(", ")
                    ),
                )
            })?;
            if accepted.contains(&key) {
                return Err(self.error("carriers.accept", format!("{code} is listed twice")));
            }
            accepted.push(key);
        }
        if accepted.is_empty() && !raw.allow_other {
            return Err(self.error(
                "carriers.accept",
                "list at least one carrier, or set allow_other = true",
            ));
        }
        let mut holds = Vec::new();
        for (code, hold) in &raw.hold {
            let key = known(code).ok_or_else(|| {
                self.error(
                    &format!("carriers.hold.{code}"),
                    format!("{code:?} is not a carrier: use {}", CARRIER_KEYS.join(", ")),
                )
            })?;
            let days = self.in_range(&format!("carriers.hold.{code}.days"), hold.days, 1, 90)?;
            holds.push((
                key,
                HoldRule {
                    pickup_days: days,
                    count_closed_days: hold.count_closed_days,
                },
            ));
        }
        Ok(CarrierRules::new(
            accepted,
            raw.allow_other,
            holds,
            store_hold,
        ))
    }

    /// `[shelves]`: each a shelf of its own, never a name shelf (one letter A-Z).
    fn shelves(&self, raw: RawShelves) -> Result<ShelfSettings, ConfigError> {
        let orders = self.own_shelf("shelves.orders", &raw.orders)?;
        let returns = self.own_shelf("shelves.returns", &raw.returns)?;
        let drop_offs = self.own_shelf("shelves.drop_offs", &raw.drop_offs)?;
        if returns == orders {
            return Err(self.error(
                "shelves.returns",
                format!("{returns:?} is the orders shelf too: each needs its own"),
            ));
        }
        if drop_offs == orders || drop_offs == returns {
            return Err(self.error(
                "shelves.drop_offs",
                format!("{drop_offs:?} is the orders or returns shelf too: each needs its own"),
            ));
        }
        Ok(ShelfSettings {
            orders,
            returns,
            drop_offs,
        })
    }

    fn own_shelf(&self, key: &str, value: &str) -> Result<String, ConfigError> {
        let shelf =
            crate::domain::custody::shelf_name(value).map_err(|reason| self.error(key, reason))?;
        if crate::domain::custody::is_name_shelf(&shelf) {
            return Err(self.error(
                key,
                format!("{shelf:?} is a name shelf (one letter A-Z): use two or more characters, e.g. \"ORD\""),
            ));
        }
        Ok(shelf)
    }

    fn store_feed(&self, raw: RawStoreFeed) -> Result<StoreFeedSettings, ConfigError> {
        if raw.name_prefix.chars().any(char::is_control) {
            return Err(self.error(
                "store_feed.name_prefix",
                "cannot contain control characters",
            ));
        }
        let contact = match (raw.phone.trim(), raw.email.trim()) {
            ("", "") => None,
            ("", _) => {
                return Err(self.error(
                    "store_feed.phone",
                    "the feed sends phone and email together: give both or neither",
                ));
            }
            (_, "") => {
                return Err(self.error(
                    "store_feed.email",
                    "the feed sends phone and email together: give both or neither",
                ));
            }
            (phone, email) => {
                let phone = self.text_field("store_feed.phone", phone, 30)?;
                let email = self.text_field("store_feed.email", email, 100)?;
                let parts = email.split_once('@');
                if !parts.is_some_and(|(user, host)| !user.is_empty() && host.contains('.')) {
                    return Err(self.error(
                        "store_feed.email",
                        format!("{email:?} is not an e-mail address"),
                    ));
                }
                Some((phone, email))
            }
        };
        Ok(StoreFeedSettings {
            name_prefix: raw.name_prefix,
            contact,
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
