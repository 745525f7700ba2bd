//! The carrier's expected-parcels file: CSV with a header row and the columns `tracking_id`,
//! `recipient_name`, `pickup_code` and optionally `postal_code`, `street` and `city` (the
//! delivery address a local-delivery run sheet prints; files without them import as before). Parsed strictly: any bad line
//! refuses the whole file, and every bad line is named by its number, so nothing is imported
//! by halves and nothing is dropped silently.

use thiserror::Error;

use super::carriers::CarrierRules;
use super::codes::PickupCode;
use super::ids::{FreeTextError, InvalidTrackingId, TrackingId, check_free_text};
use super::labels::{Carrier, LabelError, identify_label};

/// One announced parcel.
#[derive(Debug, Clone)]
pub struct ExpectedParcel {
    pub tracking_id: TrackingId,
    pub recipient_name: String,
    pub pickup_code: PickupCode,
    pub postal_code: String,
    /// Where the recipient lives, when the carrier says (empty otherwise).
    pub address: StreetAddress,
}

/// The recipient's street and town from the announcement; the postal code is its own column.
/// Kept beside the announcement for the run sheet, not on the chain: it moves nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreetAddress {
    pub street: String,
    pub city: String,
}

/// A parcel the carrier announced that has not arrived yet, for "announced, not here yet".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnouncedParcel {
    pub tracking_id: TrackingId,
    pub carrier: super::labels::Carrier,
    pub recipient_name: String,
    pub postal_code: String,
    pub announced_at: chrono::DateTime<chrono::Utc>,
}

/// A delivery address as the carrier announced it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryAddress {
    pub street: String,
    pub city: String,
    pub postal_code: String,
}

impl DeliveryAddress {
    /// The printed lines: the street, then the town with its postal code. Empty when the
    /// announcement carried no street.
    pub fn lines(&self) -> Vec<String> {
        if self.street.trim().is_empty() {
            return Vec::new();
        }
        let town = [self.city.trim(), self.postal_code.trim()]
            .iter()
            .filter(|part| !part.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        [self.street.trim().to_owned(), town]
            .into_iter()
            .filter(|line| !line.is_empty())
            .collect()
    }
}

/// Files larger than this are not a day's announcement but a mistake.
pub const MAX_EXPECTED_ROWS: usize = 1_000_000;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ExpectedFileError {
    #[error(
        "the file has no header row (expected tracking_id,recipient_name,pickup_code[,postal_code,street,city])"
    )]
    Empty,
    #[error(
        "the header lacks the column {0:?} (expected tracking_id,recipient_name,pickup_code[,postal_code,street,city])"
    )]
    MissingColumn(&'static str),
    #[error("line {line}: {problem}")]
    Line { line: u64, problem: LineProblem },
    /// Several bad lines, each with its number, in file order.
    #[error("{}", several_lines(.0))]
    Lines(Vec<(u64, LineProblem)>),
    #[error("the file has more than {MAX_EXPECTED_ROWS} parcels")]
    TooLarge,
}

/// Why one line of the file is refused; `Display` is the English the command prints.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum LineProblem {
    /// What the CSV reader said (a header it cannot read, a line that is not CSV).
    #[error("{0}")]
    Csv(String),
    #[error("not valid CSV ({0})")]
    NotCsv(String),
    #[error("tracking_id: {0}")]
    TrackingId(InvalidTrackingId),
    #[error("tracking_id: {0}")]
    Label(LabelError),
    #[error(
        "tracking_id: {tracking_id} is a {carrier} label, and this store does not take {carrier} parcels ([carriers] accept)"
    )]
    CarrierNotTaken {
        tracking_id: TrackingId,
        carrier: Carrier,
    },
    /// A text column (`recipient_name`, `postal_code`, `street`, `city`) refused.
    #[error("{column} {error}")]
    Text {
        column: &'static str,
        error: FreeTextError,
    },
    #[error("recipient_name is empty")]
    NameEmpty,
    /// Never echoes the code: it may be a real code with a typo.
    #[error("pickup_code: {0}")]
    PickupCode(super::codes::InvalidPickupCode),
    #[error("{tracking_id} is listed twice (first on line {first})")]
    ListedTwice { tracking_id: TrackingId, first: u64 },
}

/// Lines listed in the error's own text; the command prints every one of them.
pub const LINES_SHOWN: usize = 20;

fn several_lines(lines: &[(u64, LineProblem)]) -> String {
    let mut text = lines
        .iter()
        .take(LINES_SHOWN)
        .map(|(line, message)| format!("line {line}: {message}"))
        .collect::<Vec<_>>()
        .join("; ");
    if lines.len() > LINES_SHOWN {
        text.push_str(&format!(
            "; and {} more bad lines",
            lines.len() - LINES_SHOWN
        ));
    }
    text
}

impl ExpectedFileError {
    /// Every bad line with its number, in English (empty for a problem of the whole file).
    pub fn lines(&self) -> Vec<(u64, String)> {
        self.problems()
            .into_iter()
            .map(|(line, problem)| (line, problem.to_string()))
            .collect()
    }

    /// Every bad line with its number and what is wrong with it, for a screen to say.
    pub fn problems(&self) -> Vec<(u64, LineProblem)> {
        match self {
            ExpectedFileError::Line { line, problem } => vec![(*line, problem.clone())],
            ExpectedFileError::Lines(lines) => lines.clone(),
            _ => Vec::new(),
        }
    }
}

/// Reads the file with ids taken as written (any 4-40 letters and digits), as the manager's
/// desk did before labels were read. `kiosk import-expected` uses [`parse_announcement`],
/// which reads each id as a label under the store's carrier rules; the desk is to move to it.
pub fn parse_expected_csv(bytes: &[u8]) -> Result<Vec<ExpectedParcel>, ExpectedFileError> {
    parse_with(bytes, |text| {
        TrackingId::parse(text).map_err(LineProblem::TrackingId)
    })
}

/// Reads a carrier's announcement with every id read as a label ([`identify_label`] under the
/// store's policy): a scan form (`420` + ZIP, a FedEx 34-digit barcode, DPD's `%` barcode)
/// becomes the carrier's tracking id the counter will scan, a wrong check digit and a carrier
/// the store does not take are refused, each on its line. O(n): one hash look-up per line.
pub fn parse_announcement(
    bytes: &[u8],
    rules: &CarrierRules,
) -> Result<Vec<ExpectedParcel>, ExpectedFileError> {
    let policy = rules.label_policy();
    parse_with(bytes, |text| {
        let label = identify_label(text, policy).map_err(LineProblem::Label)?;
        if !rules.accepts(&label.carrier) {
            return Err(LineProblem::CarrierNotTaken {
                tracking_id: label.tracking_id,
                carrier: label.carrier,
            });
        }
        Ok(label.tracking_id)
    })
}

fn parse_with(
    bytes: &[u8],
    read_id: impl Fn(&str) -> Result<TrackingId, LineProblem>,
) -> Result<Vec<ExpectedParcel>, ExpectedFileError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        // Fields are trimmed by their own parsers: trimming them all here would silently drop
        // a line separator (U+2028) at the end of a name instead of refusing it.
        .trim(csv::Trim::Headers)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| ExpectedFileError::Line {
            line: 1,
            problem: LineProblem::Csv(e.to_string()),
        })?
        .clone();
    if headers.is_empty() || headers.iter().all(str::is_empty) {
        return Err(ExpectedFileError::Empty);
    }
    let column = |name: &'static str| {
        headers.iter().position(|header| {
            header
                .trim_start_matches('\u{feff}')
                .eq_ignore_ascii_case(name)
        })
    };
    let tracking_column =
        column("tracking_id").ok_or(ExpectedFileError::MissingColumn("tracking_id"))?;
    let name_column =
        column("recipient_name").ok_or(ExpectedFileError::MissingColumn("recipient_name"))?;
    let code_column =
        column("pickup_code").ok_or(ExpectedFileError::MissingColumn("pickup_code"))?;
    let postal_column = column("postal_code");
    let address_columns = [column("street"), column("city")];

    let mut parcels: Vec<ExpectedParcel> = Vec::new();
    let mut seen: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    let mut bad_lines: Vec<(u64, LineProblem)> = Vec::new();
    let mut rows = 0_usize;
    for record in reader.records() {
        rows += 1;
        if rows > MAX_EXPECTED_ROWS {
            return Err(ExpectedFileError::TooLarge);
        }
        let parsed = record
            .map_err(|e| ExpectedFileError::Line {
                line: e.position().map_or(0, |p| p.line()),
                problem: LineProblem::NotCsv(e.to_string()),
            })
            .and_then(|record| {
                read_line(
                    &record,
                    [tracking_column, name_column, code_column],
                    postal_column,
                    address_columns,
                    &read_id,
                    &mut seen,
                )
            });
        match parsed {
            Ok(parcel) => parcels.push(parcel),
            Err(ExpectedFileError::Line { line, problem }) => bad_lines.push((line, problem)),
            Err(other) => return Err(other),
        }
    }
    match bad_lines.len() {
        0 => Ok(parcels),
        1 => {
            let (line, problem) = bad_lines.remove(0);
            Err(ExpectedFileError::Line { line, problem })
        }
        _ => Err(ExpectedFileError::Lines(bad_lines)),
    }
}

/// One line of the file, or why it is refused (always [`ExpectedFileError::Line`]).
fn read_line(
    record: &csv::StringRecord,
    [tracking_column, name_column, code_column]: [usize; 3],
    postal_column: Option<usize>,
    [street_column, city_column]: [Option<usize>; 2],
    read_id: &impl Fn(&str) -> Result<TrackingId, LineProblem>,
    seen: &mut std::collections::HashMap<String, u64>,
) -> Result<ExpectedParcel, ExpectedFileError> {
    let line = record.position().map_or(0, |p| p.line());
    let fail = |problem: LineProblem| ExpectedFileError::Line { line, problem };
    let field = |index: usize| record.get(index).unwrap_or("");
    let text = |column: &'static str, index: usize, max: usize| {
        check_free_text(field(index), max)
            .map_err(|error| fail(LineProblem::Text { column, error }))
    };
    let tracking_id = read_id(field(tracking_column)).map_err(fail)?;
    let recipient_name = text("recipient_name", name_column, 80)?;
    if recipient_name.is_empty() {
        return Err(fail(LineProblem::NameEmpty));
    }
    // Never echo a bad code back: it may be a real code with a typo.
    let pickup_code =
        PickupCode::parse(field(code_column)).map_err(|e| fail(LineProblem::PickupCode(e)))?;
    let postal_code = match postal_column {
        Some(index) => text("postal_code", index, 10)?.to_ascii_uppercase(),
        None => String::new(),
    };
    let optional = |name: &'static str, index: Option<usize>, max: usize| match index {
        Some(index) => text(name, index, max),
        None => Ok(String::new()),
    };
    let address = StreetAddress {
        street: optional("street", street_column, 100)?,
        city: optional("city", city_column, 60)?,
    };
    // One hash look-up per line: a million-line file is checked in linear time.
    if let Some(first) = seen.insert(tracking_id.as_str().to_owned(), line) {
        return Err(fail(LineProblem::ListedTwice { tracking_id, first }));
    }
    Ok(ExpectedParcel {
        tracking_id,
        recipient_name,
        pickup_code,
        postal_code,
        address,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_file_parses() {
        let text = "tracking_id,recipient_name,pickup_code,postal_code\n1z0001,Ana Diaz,482913,85004\n1Z0002,\"Lee, Bo\",004411,\n";
        let parcels = parse_expected_csv(text.as_bytes()).unwrap();
        assert_eq!(parcels.len(), 2);
        assert_eq!(parcels[0].tracking_id.as_str(), "1Z0001");
        assert_eq!(parcels[1].recipient_name, "Lee, Bo");
        assert_eq!(parcels[1].pickup_code.expose(), "004411");
    }

    #[test]
    fn address_columns_are_optional_and_read_when_present() {
        let old = "tracking_id,recipient_name,pickup_code,postal_code\nPARCEL01,Ana,482913,85354\n";
        let parcels = parse_expected_csv(old.as_bytes()).unwrap();
        assert_eq!(parcels[0].address, StreetAddress::default());
        let new = "tracking_id,recipient_name,pickup_code,postal_code,street,city\n\
            PARCEL01,Ana,482913,85354,\"14 Mill Rd, Unit 2\",Tonopah\n\
            PARCEL02,Bo,482914,85354,,\n";
        let parcels = parse_expected_csv(new.as_bytes()).unwrap();
        assert_eq!(parcels[0].address.street, "14 Mill Rd, Unit 2");
        assert_eq!(parcels[0].address.city, "Tonopah");
        assert_eq!(parcels[1].address, StreetAddress::default());
        let bad =
            "tracking_id,recipient_name,pickup_code,street\nPARCEL01,Ana,482913,\"a\u{2028}b\"\n";
        let error = parse_expected_csv(bad.as_bytes()).unwrap_err();
        assert!(error.to_string().contains("street"), "{error}");
    }

    fn store_rules(accepted: Vec<&'static str>) -> CarrierRules {
        let hold = crate::domain::calendar::HoldRule {
            pickup_days: 14,
            count_closed_days: false,
        };
        CarrierRules::new(accepted, false, Vec::new(), hold)
    }

    #[test]
    fn announced_ids_are_read_as_labels_into_the_carriers_id() {
        // USPS announced with its 420 + ZIP routing and a GS, a FedEx 34-digit barcode, a DPD
        // barcode: each becomes the id the carrier and the customer use.
        let text = "tracking_id,recipient_name,pickup_code\n\
            420850049205590164917312751089,Ana,482913\n\
            1001901781990001000300617767839437,Bo,482914\n\
            1z 999 aa1 0123 4567 84,Cy,482915\n";
        let all = store_rules(crate::domain::carriers::CARRIER_KEYS.to_vec());
        let parcels = parse_announcement(text.as_bytes(), &all).unwrap();
        let ids: Vec<&str> = parcels.iter().map(|p| p.tracking_id.as_str()).collect();
        assert_eq!(ids[0], "9205590164917312751089");
        assert_eq!(ids[2], "1Z999AA10123456784");
        assert_eq!(ids[1], "617767839437");
    }

    #[test]
    fn every_refused_label_is_named_by_line_and_nothing_is_read() {
        let text = "tracking_id,recipient_name,pickup_code\n\
            1Z999AA10123456784,Ana,482913\n\
            1Z999AA10123456785,Bo,482914\n\
            TBA123456789000,Cy,482915\n\
            NOSUCHFORMAT1,Di,482916\n";
        let error = parse_announcement(text.as_bytes(), &store_rules(vec!["ups"])).unwrap_err();
        let lines = error.lines();
        assert_eq!(
            lines.iter().map(|(line, _)| *line).collect::<Vec<_>>(),
            [3, 4, 5]
        );
        assert!(
            lines[0].1.contains("check digit does not match"),
            "{lines:?}"
        );
        assert!(lines[1].1.contains("does not take Amazon"), "{lines:?}");
        assert!(lines[2].1.contains("not a label format"), "{lines:?}");
        assert!(
            error.to_string().starts_with("line 3: tracking_id"),
            "{error}"
        );
    }

    #[test]
    fn bad_lines_are_named_and_codes_not_echoed() {
        let missing = parse_expected_csv(b"tracking_id,recipient_name\n1Z0001,Ana\n");
        assert_eq!(
            missing.unwrap_err(),
            ExpectedFileError::MissingColumn("pickup_code")
        );
        let bad_code = parse_expected_csv(
            b"tracking_id,recipient_name,pickup_code\n1Z0001,Ana,482913\n1Z0002,Bo,48x91\n",
        )
        .unwrap_err()
        .to_string();
        assert!(bad_code.starts_with("line 3: pickup_code"), "{bad_code}");
        assert!(!bad_code.contains("48x91"));
        let duplicate = parse_expected_csv(
            b"tracking_id,recipient_name,pickup_code\n1Z0001,Ana,482913\n1z0001,Bo,482914\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            duplicate.contains("line 3") && duplicate.contains("twice"),
            "{duplicate}"
        );
        assert_eq!(
            parse_expected_csv(b"").unwrap_err(),
            ExpectedFileError::Empty
        );
    }
}
