//! The carrier's expected-parcels file: CSV with a header row and the columns `tracking_id`,
//! `recipient_name`, `pickup_code` and optionally `postal_code`. Parsed strictly: the first bad
//! line refuses the whole file, named by its line number.

use thiserror::Error;

use super::codes::PickupCode;
use super::ids::{TrackingId, clean_free_text};

/// One announced parcel.
#[derive(Debug, Clone)]
pub struct ExpectedParcel {
    pub tracking_id: TrackingId,
    pub recipient_name: String,
    pub pickup_code: PickupCode,
    pub postal_code: String,
}

/// Files larger than this are not a day's announcement but a mistake.
pub const MAX_EXPECTED_ROWS: usize = 1_000_000;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ExpectedFileError {
    #[error(
        "the file has no header row (expected tracking_id,recipient_name,pickup_code[,postal_code])"
    )]
    Empty,
    #[error(
        "the header lacks the column {0:?} (expected tracking_id,recipient_name,pickup_code[,postal_code])"
    )]
    MissingColumn(&'static str),
    #[error("line {line}: {message}")]
    Line { line: u64, message: String },
    #[error("the file has more than {MAX_EXPECTED_ROWS} parcels")]
    TooLarge,
}

pub fn parse_expected_csv(bytes: &[u8]) -> Result<Vec<ExpectedParcel>, ExpectedFileError> {
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
            message: e.to_string(),
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

    let mut parcels: Vec<ExpectedParcel> = Vec::new();
    let mut seen: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| ExpectedFileError::Line {
            line: e.position().map_or(0, |p| p.line()),
            message: format!("not valid CSV ({e})"),
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let fail = |message: String| ExpectedFileError::Line { line, message };
        if parcels.len() >= MAX_EXPECTED_ROWS {
            return Err(ExpectedFileError::TooLarge);
        }
        let field = |index: usize| record.get(index).unwrap_or("");
        let tracking_id = TrackingId::parse(field(tracking_column))
            .map_err(|e| fail(format!("tracking_id: {e}")))?;
        let recipient_name =
            clean_free_text("recipient_name", field(name_column), 80).map_err(fail)?;
        if recipient_name.is_empty() {
            return Err(fail("recipient_name is empty".into()));
        }
        // Never echo a bad code back: it may be a real code with a typo.
        let pickup_code =
            PickupCode::parse(field(code_column)).map_err(|e| fail(format!("pickup_code: {e}")))?;
        let postal_code = match postal_column {
            Some(index) => clean_free_text("postal_code", field(index), 10)
                .map_err(fail)?
                .to_ascii_uppercase(),
            None => String::new(),
        };
        // One hash look-up per line: a million-line file is checked in linear time.
        if let Some(first) = seen.insert(tracking_id.as_str().to_owned(), line) {
            return Err(fail(format!(
                "{tracking_id} is listed twice (first on line {first})"
            )));
        }
        parcels.push(ExpectedParcel {
            tracking_id,
            recipient_name,
            pickup_code,
            postal_code,
        });
    }
    Ok(parcels)
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
