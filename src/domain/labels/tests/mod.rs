//! Published sample numbers for every format, each single-digit change of them, and property
//! tests for the normaliser.
//!
//! Sources, cited by tag in the tables:
//! - `tnd:<courier>`: jkeen/tracking_number_data, `couriers/<courier>.json` at commit b79ce4b,
//!   the `test_numbers.valid` / `.invalid` lists.
//! - `issue13`: the examples in issue #13 of this project.
//! - `gs1`: GS1's SSCC example (00)106141412345678908 (company prefix 0614141; also in the
//!   GS1 EPC Tag Data Standard as `urn:epc:id:sscc:0614141.1234567890`).
//! - `dpd-barcode`: the DPD barcode layout `%` + PPPPPPP + 14-digit number + SSS + CCC, with
//!   the check character in the printed text only (DPD parcel label specification, as quoted
//!   by neodynamic.com/barcodes/DPD-Code-Barcode.aspx and activePDF's "DPD Code" reference),
//!   applied to the tnd:dpd 28-character samples.

pub(crate) mod samples;
mod scans;

use super::*;
use samples::{VALID, WRONG_CHECK};

pub(super) fn strict() -> LabelPolicy {
    LabelPolicy { allow_other: false }
}

#[test]
fn published_samples_map_to_the_carriers_id() {
    for &(scan, id, carrier, format, postal_code, source) in VALID {
        let label = identify_label(scan, strict())
            .unwrap_or_else(|e| panic!("{scan:?} ({source}) refused: {e}"));
        assert_eq!(label.tracking_id.as_str(), id, "{scan:?} ({source})");
        assert_eq!(label.carrier.code(), carrier, "{scan:?} ({source})");
        assert_eq!(label.format, format, "{scan:?} ({source})");
        assert_eq!(
            label.postal_code.as_deref(),
            postal_code,
            "{scan:?} ({source})"
        );
        let expected_check = match format {
            LabelFormat::AmazonLogistics | LabelFormat::DpdBarcode | LabelFormat::DpdParcel14 => {
                CheckDigit::NoneDefined
            }
            _ => CheckDigit::Valid,
        };
        assert_eq!(label.check_digit, expected_check, "{scan:?} ({source})");
    }
}

/// A stored id's carrier, read the short way, is its carrier as published; an id whose check
/// digit is wrong is no carrier's, read either way.
#[test]
fn published_samples_stored_read_back_to_their_carrier() {
    for &(scan, id, carrier, _, _, source) in VALID {
        assert_eq!(carrier_of_text(id).code(), carrier, "{scan:?} ({source})");
    }
    for &(scan, source) in WRONG_CHECK {
        let stored: String = scan.chars().filter(|c| *c != ' ').collect();
        assert_eq!(
            carrier_of_text(&stored),
            Carrier::Other,
            "{scan:?} ({source})"
        );
        assert_eq!(carrier_of_text(scan), Carrier::Other, "{scan:?} ({source})");
    }
}

#[test]
fn published_invalid_samples_are_refused_for_their_check_digit() {
    for &(scan, source) in WRONG_CHECK {
        for policy in [strict(), LabelPolicy { allow_other: true }] {
            let refused = identify_label(scan, policy);
            assert!(
                matches!(refused, Err(LabelError::CheckDigit { .. })),
                "{scan:?} ({source}): {refused:?}"
            );
        }
    }
    let message = identify_label("1Z5R89390357567128", strict())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        message.starts_with("check digit does not match: scan again or retype"),
        "{message}"
    );
}

/// What a format's published rule cannot see, so that a changed digit there passing is the
/// rule working as published, not this code missing a check.
fn blind_spot(format: LabelFormat, id: &str, position: usize, from: u8, to: u8) -> bool {
    let delta = from.abs_diff(to);
    match format {
        // Doubled places (the 2nd, 4th... character after `1Z`) cannot see a change of 5.
        LabelFormat::Ups1Z => position >= 2 && (position - 2) % 2 == 1 && delta == 5,
        // Mod 7 cannot see a change of 7.
        LabelFormat::DhlExpress => delta == 7,
        // Mod 11 written as one digit: remainders 0 and 10 both print 0.
        LabelFormat::FedExExpress12
        | LabelFormat::FedExExpress34
        | LabelFormat::FedExGround34
        | LabelFormat::FedExAstra32 => id.ends_with('0'),
        // S10 remainders 0 and 6 both print 5.
        LabelFormat::UpuS10 => id.as_bytes().get(10) == Some(&b'5'),
        // Two published 20-digit rules (with and without the `91` in front) for `71...`.
        LabelFormat::Usps20 | LabelFormat::Usps20Certified => id.starts_with("71"),
        _ => false,
    }
}

/// Every single-digit change inside the tracking id (and the printed DPD check character) is
/// refused, or is a blind spot of the published rule, or reads as another format whose own
/// check holds (15 digits are FedEx Ground or DPD with a numeric check character) and so
/// never as the same parcel.
#[test]
fn every_single_digit_change_is_refused() {
    let mut other_formats = Vec::new();
    for &(scan, id, carrier, format, _, source) in VALID {
        if matches!(
            format,
            LabelFormat::AmazonLogistics | LabelFormat::DpdBarcode | LabelFormat::DpdParcel14
        ) {
            continue;
        }
        let cleaned: String = scan.chars().filter(|c| *c != ' ').collect();
        let cleaned = cleaned.trim_start_matches("]C1").to_owned();
        let Some(start) = cleaned.rfind(id) else {
            continue; // the SSCC sample in (00) notation: its plain twin covers it
        };
        let mut positions: Vec<usize> = (start..start + id.len()).collect();
        if matches!(format, LabelFormat::DpdParcel15 | LabelFormat::DpdLabel28) {
            positions.push(cleaned.len() - 1);
        }
        for position in positions {
            let original = cleaned.as_bytes()[position];
            if !original.is_ascii_digit() {
                continue;
            }
            for replacement in b'0'..=b'9' {
                if replacement == original {
                    continue;
                }
                let mut changed = cleaned.clone().into_bytes();
                changed[position] = replacement;
                let changed = String::from_utf8(changed).unwrap_or_default();
                let Ok(label) = identify_label(&changed, strict()) else {
                    continue;
                };
                let in_id = position.checked_sub(start).unwrap_or(usize::MAX);
                let same_format = label.carrier.code() == carrier;
                if same_format {
                    assert!(
                        blind_spot(format, id, in_id, original, replacement),
                        "{scan:?} ({source}) with {changed:?} accepted as {label:?}"
                    );
                } else {
                    other_formats.push((changed, in_id, label.format));
                }
            }
        }
    }
    // Only 15 digits (FedEx Ground or DPD) or a change in the two digits that name the format
    // (USPS `93...` changed to FedEx `96...`) may read as another carrier's number.
    for (changed, in_id, format) in &other_formats {
        assert!(
            changed.len() == 15 || *in_id < 2,
            "{changed} read as {format:?}"
        );
    }
    assert!(other_formats.len() < 10, "{other_formats:?}");
}

/// The parcel's `carrier` column is re-derived from the stored id, so every id a label gives
/// must name the same carrier again, and every code must read back.
#[test]
fn the_stored_id_names_the_carrier_the_label_named() {
    for &(scan, _, _, _, _, source) in VALID {
        let label = identify_label(scan, strict()).unwrap();
        assert_eq!(
            carrier_of(&label.tracking_id),
            label.carrier,
            "{scan:?} ({source})"
        );
        assert_eq!(
            Carrier::from_code(&label.carrier.code()),
            Some(label.carrier)
        );
    }
    assert_eq!(carrier_of_text("SHOP-ORDER-1"), Carrier::Other);
    assert_eq!(Carrier::from_code("post-XX"), None);
}
