//! `kiosk.toml` -> a typed, validated [`KioskConfig`]. Every error names the file, the key and
//! its line, so a manager editing the file by hand knows exactly what to fix.
//!
//! `raw.rs` is the file as written (serde, shape only); `validate.rs` turns it into these typed
//! settings, naming the key and line of anything wrong.

mod head_office;
mod raw;
mod shape;
mod validate;

pub use head_office::{CertificatePin, HeadOfficeSettings};
use validate::Validator;

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveTime};
use chrono_tz::Tz;

use crate::domain::calendar::StoreCalendar;
use crate::domain::carriers::CarrierRules;
use crate::domain::ids::StoreId;
use crate::domain::pin::{HashCost, LockoutPolicy, PinPolicy};
pub use crate::print::PrinterConfig;

/// The commented default configuration, shipped as the top-level `kiosk.toml`.
pub const DEFAULT_CONFIG_TEXT: &str = include_str!("../../kiosk.toml");

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
        crate::domain::local_delivery::serves(&self.service_area, postal_code)
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

/// How the counter screen behaves (`[counter]`).
#[derive(Debug, Clone, PartialEq)]
pub struct CounterSettings {
    /// Ring the terminal bell on alerts that need the clerk's eyes (a wrong parcel, a refusal,
    /// a label that fails its check digit): the clerk is often looking at the customer.
    pub bell: bool,
    /// The counter's language before anyone signs in, and for staff enrolled without one.
    pub language: crate::i18n::Lang,
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
    pub counter: CounterSettings,
    /// Which carriers the store takes and each one's hold (`[carriers]`).
    pub carriers: CarrierRules,
    pub store_feed: StoreFeedSettings,
    /// The shelves of the shop's orders, returns and drop-offs (`[shelves]`).
    pub shelves: ShelfSettings,
    /// Where slips print (`[printer]`; none when the section is absent).
    pub printer: PrinterConfig,
    /// The live link (`[head_office]`); `None` without a url.
    pub head_office: Option<HeadOfficeSettings>,
}

/// Shelves for parcels that are not held for a named customer. Never a single letter: those
/// are the name shelves (a surname's first letter), so the two never share a shelf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShelfSettings {
    pub orders: String,
    pub returns: String,
    pub drop_offs: String,
}

/// What `kiosk store-feed` adds to the store's own settings (`[store_feed]`).
#[derive(Debug, Clone, PartialEq)]
pub struct StoreFeedSettings {
    /// Put before the store's name in `accessPointName` ("Amazon Counter - "; may be empty).
    pub name_prefix: String,
    /// Phone and e-mail for `communicationDetails`; both or neither, as the feed requires both.
    pub contact: Option<(String, String)>,
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

/// Every problem found in one reading of the file, so the manager fixes them all in one go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors {
    /// In the order of the file (problems without a line last); never empty.
    pub problems: Vec<ConfigError>,
}

impl ConfigErrors {
    fn new(mut problems: Vec<ConfigError>) -> Self {
        problems.sort_by_key(|problem| problem.line.unwrap_or(usize::MAX));
        Self { problems }
    }
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [only] => write!(f, "{only}"),
            all => {
                write!(f, "{} problems in the configuration:", all.len())?;
                for problem in all {
                    write!(f, "\n  {problem}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ConfigErrors {}

// ---------------------------------------------------------------------------------------------
// Loading.

impl KioskConfig {
    /// Reads and validates a config file. Nothing else is touched: no folder or file is created.
    pub fn load(path: &Path) -> Result<Self, ConfigErrors> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            ConfigErrors::new(vec![ConfigError {
                file: path.to_path_buf(),
                line: None,
                key: None,
                message: format!("cannot read the file: {error}"),
            }])
        })?;
        Self::parse(&text, path)
    }

    /// Validates config text as if read from `path` (which only locates relative paths).
    /// Every problem is found, not only the first: wrong keys and types, then every check.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigErrors> {
        let shape = shape::read(text, path).map_err(ConfigErrors::new)?;
        let validator = Validator {
            text,
            file: path,
            folder: path.parent().unwrap_or_else(|| Path::new("")).to_path_buf(),
            problems: Default::default(),
        };
        let config = validator.build(shape.raw);
        let mut problems = shape.problems;
        // A key stood in for has been reported already; what its stand-in fails says nothing.
        problems.extend(
            validator
                .problems
                .into_inner()
                .into_iter()
                .filter(|problem| {
                    let key = problem.key.as_deref().unwrap_or_default();
                    !shape
                        .stood_in
                        .iter()
                        .any(|done| shape::is_within(key, done) || shape::is_within(done, key))
                }),
        );
        match config {
            Some(config) if problems.is_empty() => Ok(config),
            _ if problems.is_empty() => Err(ConfigErrors::new(vec![ConfigError {
                file: path.to_path_buf(),
                line: None,
                key: None,
                message: "cannot be read (no single key is to blame)".into(),
            }])),
            _ => Err(ConfigErrors::new(problems)),
        }
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

/// The line of a dotted key path (`store.address.city`, `hours.closures[2].from`) in the
/// text, found through toml's spanned parse so it is right whatever the file's layout.
pub(crate) fn key_line(text: &str, dotted: &str) -> Option<usize> {
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
    fn shipped_carriers_hold_by_carrier_and_a_file_without_them_keeps_the_old_rules() {
        use crate::domain::labels::Carrier;
        let path = Path::new("/srv/kiosk/kiosk.toml");
        let config = KioskConfig::parse(DEFAULT_CONFIG_TEXT, path).unwrap();
        let carriers = &config.carriers;
        assert!(!carriers.label_policy().allow_other);
        assert!(carriers.accepts(&Carrier::Dpd));
        assert!(!carriers.accepts(&Carrier::Other));
        assert_eq!(carriers.hold_rule(&Carrier::Amazon).pickup_days, 14);
        assert_eq!(carriers.hold_rule(&Carrier::Ups).pickup_days, 7);
        let fedex = carriers.hold_rule(&Carrier::FedEx);
        assert_eq!((fedex.pickup_days, fedex.count_closed_days), (5, false));
        assert_eq!(carriers.hold_rule(&Carrier::Sscc), config.calendar.holds);
        assert_eq!(config.store_feed.name_prefix, "Amazon Counter - ");
        assert_eq!(config.store_feed.contact, None);

        let start = DEFAULT_CONFIG_TEXT.find("[carriers]").unwrap();
        let end = DEFAULT_CONFIG_TEXT.find("[security]").unwrap();
        let old = format!(
            "{}{}",
            &DEFAULT_CONFIG_TEXT[..start],
            &DEFAULT_CONFIG_TEXT[end..]
        );
        let config = KioskConfig::parse(&old, path).unwrap();
        assert_eq!(
            config.carriers,
            CarrierRules::everything(config.calendar.holds)
        );
        assert!(config.carriers.accepts(&Carrier::Other));
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

    // [printer] ---------------------------------------------------------------------------

    fn with_printer(section: &str) -> Result<KioskConfig, ConfigErrors> {
        let text = format!("{DEFAULT_CONFIG_TEXT}\n[printer]\n{section}\n");
        KioskConfig::parse(&text, Path::new("/srv/kiosk/kiosk.toml"))
    }

    #[test]
    fn printer_absent_is_none_and_each_kind_reads_its_keys() {
        use crate::print::{PaperWidth, PrinterConnection, PrinterOutput};
        let config = KioskConfig::parse(DEFAULT_CONFIG_TEXT, Path::new("/k/kiosk.toml")).unwrap();
        assert_eq!(config.printer.output, PrinterOutput::None);
        let config =
            with_printer("kind = \"escpos\"\nconnect = \"tcp://10.0.0.9\"\npaper_mm = 58").unwrap();
        assert_eq!(
            config.printer.output,
            PrinterOutput::EscPos(PrinterConnection::Tcp {
                host: "10.0.0.9".into(),
                port: 9100
            })
        );
        assert_eq!(config.printer.paper, PaperWidth::Mm58);
        assert_eq!(config.printer.timeout, std::time::Duration::from_secs(5));
        let config =
            with_printer("kind = \"pdf\"\nfolder = \"slips\"\ntimeout_seconds = 9").unwrap();
        assert_eq!(
            config.printer.output,
            PrinterOutput::Pdf("/srv/kiosk/slips".into())
        );
        assert_eq!(config.printer.paper, PaperWidth::Mm80);
    }

    #[test]
    fn printer_mistakes_are_each_named_together() {
        let errors = with_printer(
            "kind = \"escpos\"\nconnect = \"usb0\"\npaper_mm = 72\ntimeout_seconds = 0\n\
             folder = \"slips\"",
        )
        .unwrap_err()
        .to_string();
        for expected in [
            "`printer.connect`: \"usb0\" is not a printer: use tcp://HOST:PORT, a device",
            "`printer.paper_mm`: 72 is not a paper width: use 58 or 80",
            "`printer.timeout_seconds`: 0 is out of range: use 1 to 60",
            "`printer.folder`: is only used with kind = \"pdf\"",
        ] {
            assert!(errors.contains(expected), "{expected:?} not in:\n{errors}");
        }
        let errors = with_printer("kind = \"laser\"").unwrap_err().to_string();
        assert!(
            errors.contains("\"laser\" is not a printer kind: use \"escpos\", \"pdf\" or \"none\""),
            "{errors}"
        );
        let errors = with_printer("kind = \"pdf\"").unwrap_err().to_string();
        assert!(errors.contains("a pdf printer needs `folder`"), "{errors}");
        let errors = with_printer("kind = \"escpos\"\nconnect = \"tcp://p:99999\"")
            .unwrap_err()
            .to_string();
        assert!(
            errors.contains("the port \"99999\" is not a number from 1 to 65535"),
            "{errors}"
        );
    }

    #[test]
    fn the_shipped_printer_example_reads_once_uncommented() {
        let start = DEFAULT_CONFIG_TEXT.find("# [printer]\n").unwrap();
        let example: String = DEFAULT_CONFIG_TEXT[start..]
            .lines()
            .take_while(|line| line.starts_with('#'))
            .map(|line| format!("{}\n", line.trim_start_matches('#').trim_start()))
            .collect();
        let text = format!("{DEFAULT_CONFIG_TEXT}\n{example}");
        let config = KioskConfig::parse(&text, Path::new("/k/kiosk.toml")).unwrap();
        assert!(matches!(
            config.printer.output,
            crate::print::PrinterOutput::EscPos(_)
        ));
    }
}
