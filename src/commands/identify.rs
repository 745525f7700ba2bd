//! `kiosk identify LABEL`: what the counter makes of a scan or a typed id, for support staff
//! and scripts. It needs no ledger and no configuration, so it runs anywhere.

use std::process::ExitCode;

use serde_json::json;

use super::Failure;
use crate::domain::labels::{CheckDigit, LabelPolicy, identify_label};

/// Prints the label as one JSON object, or fails with the clerk's message (exit 1).
pub fn run(scan: &str, allow_other: bool) -> Result<ExitCode, Failure> {
    let label = identify_label(scan, LabelPolicy { allow_other })
        .map_err(|error| Failure::check(format!("{scan:?}: {error}")))?;
    let mut output = json!({
        "tracking_id": label.tracking_id.as_str(),
        "carrier": label.carrier.code(),
        "format": label.format.code(),
        "check_digit": match label.check_digit {
            CheckDigit::Valid => "valid",
            CheckDigit::NoneDefined => "none",
        },
    });
    if let (Some(postal_code), Some(fields)) = (label.postal_code, output.as_object_mut()) {
        fields.insert("postal_code".into(), postal_code.into());
    }
    println!("{output}");
    Ok(ExitCode::SUCCESS)
}
