//! The raw file -> typed settings, each problem named with its key and line.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate, NaiveTime};
use chrono_tz::Tz;

use super::raw::*;
use super::*;
use crate::domain::calendar::{Closure, HoldRule, OpenInterval, StoreCalendar};
use crate::domain::carriers::{CARRIER_KEYS, CarrierRules};
use crate::domain::ids::StoreId;
use crate::domain::pin::{HashCost, LockoutPolicy, PinPolicy};

/// Checks every key, noting each problem and going on, so all of them are shown at once.
/// Each check returns `None` when its key is wrong (the problem is noted in `problems`).
pub(super) struct Validator<'a> {
    pub(super) text: &'a str,
    pub(super) file: &'a Path,
    pub(super) folder: PathBuf,
    pub(super) problems: RefCell<Vec<ConfigError>>,
}

impl Validator<'_> {
    /// Notes a problem and goes on.
    fn note(&self, problem: ConfigError) {
        self.problems.borrow_mut().push(problem);
    }

    /// The value, or `None` with its problem noted.
    fn keep<T>(&self, result: Result<T, ConfigError>) -> Option<T> {
        result.map_err(|problem| self.note(problem)).ok()
    }

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

    /// The typed settings, or `None` when anything was wrong (every problem noted).
    pub(super) fn build(&self, raw: RawConfig) -> Option<KioskConfig> {
        let store = self.store(raw.store);
        let weekly_hours = self.weekly_hours(&raw.hours);
        let closures = self.closures(&raw.hours.closures);
        let pickup_days =
            self.keep(self.in_range("holds.pickup_days", raw.holds.pickup_days, 1, 90));
        let holds = HoldRule {
            pickup_days: pickup_days.unwrap_or(1),
            count_closed_days: raw.holds.count_closed_days,
        };
        let security = self.security(raw.security);
        let database = self.keep(self.path("ledger.path", &raw.ledger.path));
        let signing_key = self.keep(self.path("ledger.signing_key", &raw.ledger.signing_key));
        let export_dir = self.keep(self.path("ledger.export_dir", &raw.ledger.export_dir));
        let token_seconds = self.keep(self.in_range(
            "handshake.token_seconds",
            raw.handshake.token_seconds,
            30,
            600,
        ));
        let default_leave_by = self.keep(parse_time(raw.orders.leave_by.trim()).ok_or_else(|| {
            self.error(
                "orders.leave_by",
                format!("{:?} is not a time like \"16:30\"", raw.orders.leave_by),
            )
        }));
        let warn_minutes =
            self.keep(self.in_range("orders.warn_minutes", raw.orders.warn_minutes, 0, 600));
        let carriers = match raw.carriers {
            Some(carriers) => self.carriers(carriers, holds),
            None => Some(CarrierRules::everything(holds)),
        };
        let language = self.keep(crate::i18n::Lang::parse(&raw.counter.language).ok_or_else(
            || {
                self.error(
                    "counter.language",
                    format!(
                        "{:?} is not a language the kiosk speaks: use \"en\" or \"es\"",
                        raw.counter.language
                    ),
                )
            },
        ));
        let store_feed = self.store_feed(raw.store_feed);
        let shelves = self.keep(self.shelves(raw.shelves));
        let printer = self.printer(raw.printer);
        let head_office =
            super::head_office::check(&raw.head_office, &self.folder).map_err(|problems| {
                for (key, message) in problems {
                    self.note(self.error(key, message));
                }
            });
        let store = store?;
        let calendar = StoreCalendar {
            time_zone: store.time_zone,
            weekly_hours: weekly_hours?,
            closures: closures?,
            holds: HoldRule {
                pickup_days: pickup_days?,
                ..holds
            },
        };
        let ledger = LedgerSettings {
            database: database?,
            signing_key: signing_key?,
            export_dir: export_dir?,
        };
        let (token_seconds, default_leave_by, warn_minutes) =
            (token_seconds?, default_leave_by?, warn_minutes?);
        Some(KioskConfig {
            source: self.file.to_path_buf(),
            security: security?,
            carriers: carriers?,
            store_feed: store_feed?,
            store,
            calendar,
            ledger,
            handshake: HandshakeSettings {
                token_lifetime: Duration::seconds(i64::from(token_seconds)),
            },
            orders: OrderSettings {
                default_leave_by,
                warn_before: Duration::minutes(i64::from(warn_minutes)),
            },
            counter: CounterSettings {
                bell: raw.counter.bell,
                language: language?,
            },
            shelves: shelves?,
            printer: printer?,
            head_office: head_office.ok()?,
        })
    }

    /// `[printer]`: each kind takes its own keys; a key of another kind is a mistake to point
    /// out, except under `kind = "none"` (switching printing off keeps the rest as it was).
    fn printer(&self, raw: RawPrinter) -> Option<PrinterConfig> {
        use crate::print::{PaperWidth, PrinterOutput, parse_connection};
        let paper = PaperWidth::from_mm(raw.paper_mm);
        if paper.is_none() {
            self.note(self.error(
                "printer.paper_mm",
                format!("{} is not a paper width: use 58 or 80", raw.paper_mm),
            ));
        }
        let timeout =
            self.keep(self.in_range("printer.timeout_seconds", raw.timeout_seconds, 1, 60));
        let only_for = |key: &str, kind: &str| {
            self.note(self.error(
                key,
                format!("is only used with kind = \"{kind}\", not \"{}\"", raw.kind),
            ));
        };
        let output = match raw.kind.trim() {
            "none" => Some(PrinterOutput::None),
            "escpos" => {
                if raw.folder.is_some() {
                    only_for("printer.folder", "pdf");
                }
                match raw.connect.as_deref() {
                    None => {
                        self.note(self.error(
                            "printer.kind",
                            "an escpos printer needs `connect` (tcp://HOST:PORT, a device path \
                             such as /dev/usb/lp0, or lp:QUEUE)",
                        ));
                        None
                    }
                    Some(text) => self.keep(
                        parse_connection(text)
                            .map(PrinterOutput::EscPos)
                            .map_err(|reason| self.error("printer.connect", reason)),
                    ),
                }
                .filter(|_| raw.folder.is_none())
            }
            "pdf" => {
                if raw.connect.is_some() {
                    only_for("printer.connect", "escpos");
                }
                match raw.folder.as_deref() {
                    None => {
                        self.note(self.error(
                            "printer.kind",
                            "a pdf printer needs `folder`, where the PDF files go",
                        ));
                        None
                    }
                    Some(folder) => self
                        .keep(self.path("printer.folder", folder))
                        .map(PrinterOutput::Pdf),
                }
                .filter(|_| raw.connect.is_none())
            }
            other => {
                self.note(self.error(
                    "printer.kind",
                    format!("{other:?} is not a printer kind: use \"escpos\", \"pdf\" or \"none\""),
                ));
                None
            }
        };
        Some(PrinterConfig {
            output: output?,
            paper: paper?,
            timeout: std::time::Duration::from_secs(u64::from(timeout?)),
        })
    }

    fn carriers(&self, raw: RawCarriers, store_hold: HoldRule) -> Option<CarrierRules> {
        let known = |code: &str| CARRIER_KEYS.iter().copied().find(|key| *key == code);
        let mut fine = true;
        let mut accepted = Vec::new();
        for code in &raw.accept {
            let Some(key) = known(code.trim()) else {
                fine = false;
                self.note(self.error(
                    "carriers.accept",
                    format!(
                        "{code:?} is not a carrier: use {} (allow_other takes unknown formats)",
                        CARRIER_KEYS.join(", ")
                    ),
                ));
                continue;
            };
            if accepted.contains(&key) {
                fine = false;
                self.note(self.error("carriers.accept", format!("{code} is listed twice")));
                continue;
            }
            accepted.push(key);
        }
        if fine && accepted.is_empty() && !raw.allow_other {
            fine = false;
            self.note(self.error(
                "carriers.accept",
                "list at least one carrier, or set allow_other = true",
            ));
        }
        let mut holds = Vec::new();
        for (code, hold) in &raw.hold {
            let Some(key) = known(code) else {
                fine = false;
                self.note(self.error(
                    &format!("carriers.hold.{code}"),
                    format!("{code:?} is not a carrier: use {}", CARRIER_KEYS.join(", ")),
                ));
                continue;
            };
            let key_days = format!("carriers.hold.{code}.days");
            let Some(days) = self.keep(self.in_range(&key_days, hold.days, 1, 90)) else {
                fine = false;
                continue;
            };
            holds.push((
                key,
                HoldRule {
                    pickup_days: days,
                    count_closed_days: hold.count_closed_days,
                },
            ));
        }
        fine.then(|| CarrierRules::new(accepted, raw.allow_other, holds, store_hold))
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
        let shelf = crate::domain::custody::shelf_name(value)
            .map_err(|reason| self.error(key, reason.to_string()))?;
        if crate::domain::custody::is_name_shelf(&shelf) {
            return Err(self.error(
                key,
                format!("{shelf:?} is a name shelf (one letter A-Z): use two or more characters, e.g. \"ORD\""),
            ));
        }
        Ok(shelf)
    }

    fn store_feed(&self, raw: RawStoreFeed) -> Option<StoreFeedSettings> {
        let mut fine = true;
        if raw.name_prefix.chars().any(char::is_control) {
            fine = false;
            self.note(self.error(
                "store_feed.name_prefix",
                "cannot contain control characters",
            ));
        }
        let both = "the feed sends phone and email together: give both or neither";
        let contact = match (raw.phone.trim(), raw.email.trim()) {
            ("", "") => None,
            ("", _) => {
                self.note(self.error("store_feed.phone", both));
                return None;
            }
            (_, "") => {
                self.note(self.error("store_feed.email", both));
                return None;
            }
            (phone, email) => {
                let phone = self.keep(self.text_field("store_feed.phone", phone, 30));
                let email = self.keep(self.text_field("store_feed.email", email, 100))?;
                let parts = email.split_once('@');
                if !parts.is_some_and(|(user, host)| !user.is_empty() && host.contains('.')) {
                    self.note(self.error(
                        "store_feed.email",
                        format!("{email:?} is not an e-mail address"),
                    ));
                    return None;
                }
                Some((phone?, email))
            }
        };
        fine.then_some(StoreFeedSettings {
            name_prefix: raw.name_prefix,
            contact,
        })
    }

    fn store(&self, raw: RawStore) -> Option<StoreSettings> {
        let id = self
            .keep(StoreId::parse(raw.id.trim()).map_err(|e| self.error("store.id", e.to_string())));
        let name = self.keep(self.text_field("store.name", &raw.name, 50));
        let time_zone: Option<Tz> = self.keep(raw.time_zone.trim().parse().map_err(|_| {
            self.error(
                "store.time_zone",
                format!(
                    "{:?} is not an IANA time zone name (e.g. America/Phoenix)",
                    raw.time_zone
                ),
            )
        }));
        let capacity = self.keep(self.in_range("store.capacity", raw.capacity, 5, 100_000));
        let mut fine = true;
        let mut capabilities = Vec::new();
        for code in &raw.capabilities {
            let Some(capability) = Capability::from_code(code.trim()) else {
                fine = false;
                self.note(self.error(
                    "store.capabilities",
                    format!(
                        "{code:?} is not a capability: use PICK_UP, DROP_OFF or LOCAL_DELIVERY"
                    ),
                ));
                continue;
            };
            if capabilities.contains(&capability) {
                fine = false;
                self.note(self.error("store.capabilities", format!("{code} is listed twice")));
                continue;
            }
            capabilities.push(capability);
        }
        if fine && capabilities.is_empty() {
            fine = false;
            self.note(self.error("store.capabilities", "list at least one capability"));
        }
        let mut service_area = Vec::new();
        for code in &raw.service_area {
            let trimmed = code.trim();
            let valid = (3..=10).contains(&trimmed.len())
                && trimmed
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
            if !valid {
                fine = false;
                self.note(self.error(
                    "store.service_area",
                    format!("{code:?} is not a postal code"),
                ));
                continue;
            }
            service_area.push(trimmed.to_ascii_uppercase());
        }
        if capabilities.contains(&Capability::LocalDelivery) && raw.service_area.is_empty() {
            fine = false;
            self.note(self.error(
                "store.service_area",
                "LOCAL_DELIVERY needs the postal codes the store delivers to",
            ));
        }
        let address = self.address(raw.address);
        if !fine {
            return None;
        }
        Some(StoreSettings {
            id: id?,
            name: name?,
            time_zone: time_zone?,
            capacity: capacity?,
            capabilities,
            is_active: raw.is_active,
            address: address?,
            service_area,
        })
    }

    fn address(&self, raw: RawAddress) -> Option<Address> {
        let country_code = raw.country_code.trim().to_owned();
        let country_fine =
            country_code.len() == 2 && country_code.bytes().all(|b| b.is_ascii_uppercase());
        if !country_fine {
            self.note(self.error(
                "store.address.country_code",
                format!("{country_code:?} is not a two-letter ISO country code (e.g. US)"),
            ));
        }
        let latitude_fine = (-90.0..=90.0).contains(&raw.latitude);
        if !latitude_fine {
            self.note(self.error("store.address.latitude", "must be between -90 and 90"));
        }
        let longitude_fine = (-180.0..=180.0).contains(&raw.longitude);
        if !longitude_fine {
            self.note(self.error("store.address.longitude", "must be between -180 and 180"));
        }
        let street = self.keep(self.text_field("store.address.street", &raw.street, 100));
        let city = self.keep(self.text_field("store.address.city", &raw.city, 60));
        let region = self.keep(self.text_field("store.address.region", &raw.region, 60));
        let postal_code =
            self.keep(self.text_field("store.address.postal_code", &raw.postal_code, 10));
        if !(country_fine && latitude_fine && longitude_fine) {
            return None;
        }
        Some(Address {
            street: street?,
            city: city?,
            region: region?,
            postal_code: postal_code?,
            country_code,
            latitude: raw.latitude,
            longitude: raw.longitude,
        })
    }

    fn weekly_hours(&self, raw: &RawHours) -> Option<[Vec<OpenInterval>; 7]> {
        let days: [(&str, &Vec<String>); 7] = [
            ("monday", &raw.monday),
            ("tuesday", &raw.tuesday),
            ("wednesday", &raw.wednesday),
            ("thursday", &raw.thursday),
            ("friday", &raw.friday),
            ("saturday", &raw.saturday),
            ("sunday", &raw.sunday),
        ];
        let mut fine = true;
        let mut weekly: [Vec<OpenInterval>; 7] = Default::default();
        for (slot, (day, intervals)) in weekly.iter_mut().zip(days) {
            let key = format!("hours.{day}");
            let mut parsed: Vec<OpenInterval> = Vec::new();
            for text in intervals {
                let Some(interval) = parse_interval(text) else {
                    fine = false;
                    self.note(self.error(
                        &key,
                        format!("{text:?} is not an interval like \"09:00-18:00\" (opening before closing)"),
                    ));
                    break;
                };
                if parsed
                    .last()
                    .is_some_and(|previous| previous.closes > interval.opens)
                {
                    fine = false;
                    self.note(self.error(&key, "intervals must be in order and must not overlap"));
                    break;
                }
                parsed.push(interval);
            }
            *slot = parsed;
        }
        if fine && weekly.iter().all(Vec::is_empty) {
            fine = false;
            self.note(self.error("hours", "the store must open on at least one weekday"));
        }
        fine.then_some(weekly)
    }

    fn closures(&self, raw: &[RawClosure]) -> Option<Vec<Closure>> {
        let checked: Vec<Option<Closure>> = raw
            .iter()
            .enumerate()
            .map(|(index, closure)| {
                let key = |field: &str| format!("hours.closures[{index}].{field}");
                let first_day = self.keep(self.date(&key("from"), &closure.from));
                let last_day = self.keep(self.date(&key("to"), &closure.to));
                let reason = if closure.reason.trim().is_empty() {
                    Some("closed".to_owned())
                } else {
                    self.keep(self.text_field(&key("reason"), &closure.reason, 60))
                };
                let (first_day, last_day) = (first_day?, last_day?);
                if last_day < first_day {
                    self.note(self.error(&key("to"), "the closure ends before it starts"));
                    return None;
                }
                if (last_day - first_day).num_days() > 366 {
                    self.note(self.error(&key("to"), "a closure spans at most a year"));
                    return None;
                }
                Some(Closure {
                    first_day,
                    last_day,
                    reason: reason?,
                })
            })
            .collect();
        checked.into_iter().collect()
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

    fn security(&self, raw: RawSecurity) -> Option<SecuritySettings> {
        let memory_kib = self.keep(self.in_range(
            "security.argon2_memory_kib",
            raw.argon2_memory_kib,
            i64::from(HashCost::MIN_MEMORY_KIB),
            4_194_304,
        ));
        let iterations = self.keep(self.in_range(
            "security.argon2_iterations",
            raw.argon2_iterations,
            i64::from(HashCost::MIN_ITERATIONS),
            20,
        ));
        let parallelism =
            self.keep(self.in_range("security.argon2_parallelism", raw.argon2_parallelism, 1, 16));
        let min_length =
            self.keep(self.in_range("security.pin_min_length", raw.pin_min_length, 6, 12));
        let failures_before_wait = self.keep(self.in_range(
            "security.failures_before_wait",
            raw.failures_before_wait,
            1,
            20,
        ));
        let wait_base_seconds = self.keep(self.in_range(
            "security.wait_base_seconds",
            raw.wait_base_seconds,
            1,
            3_600,
        ));
        let failures_before_disable = self.keep(self.in_range(
            "security.failures_before_disable",
            raw.failures_before_disable,
            2,
            50,
        ));
        let mut in_order = true;
        if let (Some(wait), Some(disable)) = (failures_before_wait, failures_before_disable)
            && disable <= wait
        {
            in_order = false;
            self.note(self.error(
                "security.failures_before_disable",
                format!("must be greater than failures_before_wait ({wait})"),
            ));
        }
        let idle_lock_seconds = self.keep(self.in_range(
            "security.idle_lock_seconds",
            raw.idle_lock_seconds,
            15,
            3_600,
        ));
        let pepper_file = self.keep(self.path("security.pepper_file", &raw.pepper_file));
        if !in_order {
            return None;
        }
        Some(SecuritySettings {
            hash_cost: HashCost {
                memory_kib: memory_kib?,
                iterations: iterations?,
                parallelism: parallelism?,
            },
            pin_policy: PinPolicy {
                min_length: min_length? as usize,
            },
            lockout: LockoutPolicy {
                failures_before_wait: failures_before_wait?,
                base_wait: Duration::seconds(i64::from(wait_base_seconds?)),
                failures_before_disable: failures_before_disable?,
                ..LockoutPolicy::default()
            },
            idle_lock: Duration::seconds(i64::from(idle_lock_seconds?)),
            kiosk_mode: raw.kiosk_mode,
            pepper_file: pepper_file?,
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
