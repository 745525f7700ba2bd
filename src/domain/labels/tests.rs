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

use super::*;

fn strict() -> LabelPolicy {
    LabelPolicy { allow_other: false }
}

/// (scan, tracking id, carrier code, format, postal code, source)
const VALID: &[(&str, &str, &str, LabelFormat, Option<&str>, &str)] = &[
    (
        "1Z5R89390357567127",
        "1Z5R89390357567127",
        "ups",
        LabelFormat::Ups1Z,
        None,
        "tnd:ups",
    ),
    (
        "1Z879E930346834440",
        "1Z879E930346834440",
        "ups",
        LabelFormat::Ups1Z,
        None,
        "tnd:ups",
    ),
    (
        "1Z410E7W0392751591",
        "1Z410E7W0392751591",
        "ups",
        LabelFormat::Ups1Z,
        None,
        "tnd:ups",
    ),
    (
        " 1 Z 8 V 9 2 A 7 0 3 6 7 2 0 3 0 2 4 ",
        "1Z8V92A70367203024",
        "ups",
        LabelFormat::Ups1Z,
        None,
        "tnd:ups",
    ),
    (
        "1ZXX3150YW44070023",
        "1ZXX3150YW44070023",
        "ups",
        LabelFormat::Ups1Z,
        None,
        "tnd:ups",
    ),
    (
        "986578788855",
        "986578788855",
        "fedex",
        LabelFormat::FedExExpress12,
        None,
        "tnd:fedex",
    ),
    (
        "9865 7878 8855",
        "986578788855",
        "fedex",
        LabelFormat::FedExExpress12,
        None,
        "issue13",
    ),
    (
        "477179081230",
        "477179081230",
        "fedex",
        LabelFormat::FedExExpress12,
        None,
        "tnd:fedex",
    ),
    (
        "799531274483",
        "799531274483",
        "fedex",
        LabelFormat::FedExExpress12,
        None,
        "tnd:fedex",
    ),
    (
        "974367662710",
        "974367662710",
        "fedex",
        LabelFormat::FedExExpress12,
        None,
        "tnd:fedex",
    ),
    (
        "1001921334250001000300779017972697",
        "779017972697",
        "fedex",
        LabelFormat::FedExExpress34,
        None,
        "tnd:fedex",
    ),
    (
        "1001901781990001000300617767839437",
        "617767839437",
        "fedex",
        LabelFormat::FedExExpress34,
        None,
        "tnd:fedex",
    ),
    (
        "1027590111820004833500785458233610",
        "785458233610",
        "fedex",
        LabelFormat::FedExExpress34,
        None,
        "tnd:fedex",
    ),
    (
        "1 1 9 52 6 64739 3000 75211 00 8710 799 199 40",
        "871079919940",
        "fedex",
        LabelFormat::FedExExpress34,
        None,
        "tnd:fedex",
    ),
    (
        "1195583874210007521100871140316936",
        "871140316936",
        "fedex",
        LabelFormat::FedExExpress34,
        None,
        "tnd:fedex",
    ),
    (
        "9622001900000000000000776632517510",
        "776632517510",
        "fedex",
        LabelFormat::FedExGround34,
        None,
        "tnd:fedex",
    ),
    (
        "9632001560123456789900794808390594",
        "794808390594",
        "fedex",
        LabelFormat::FedExGround34,
        None,
        "tnd:fedex",
    ),
    (
        "32971514560102447849175802862014",
        "784917580286",
        "fedex",
        LabelFormat::FedExAstra32,
        None,
        "tnd:fedex",
    ),
    (
        "33810799560000004380417923803212",
        "438041792380",
        "fedex",
        LabelFormat::FedExAstra32,
        None,
        "tnd:fedex",
    ),
    (
        "0414 4176 0228 964",
        "041441760228964",
        "fedex",
        LabelFormat::FedExGround15,
        None,
        "tnd:fedex",
    ),
    (
        "5682 8361 0012 734",
        "568283610012734",
        "fedex",
        LabelFormat::FedExGround15,
        None,
        "tnd:fedex",
    ),
    (
        "9611020987654312345672",
        "987654312345672",
        "fedex",
        LabelFormat::FedExGround96,
        None,
        "tnd:fedex",
    ),
    (
        "00 0123 4500 0000 0027",
        "000123450000000027",
        "sscc",
        LabelFormat::Sscc18,
        None,
        "tnd:fedex",
    ),
    (
        "(00)106141412345678908",
        "106141412345678908",
        "sscc",
        LabelFormat::Sscc18,
        None,
        "gs1",
    ),
    (
        "]C100106141412345678908",
        "106141412345678908",
        "sscc",
        LabelFormat::Sscc18,
        None,
        "gs1",
    ),
    (
        "420850049205590164917312751089",
        "9205590164917312751089",
        "usps",
        LabelFormat::Usps22,
        Some("85004"),
        "issue13",
    ),
    (
        "]C142085004\u{1d}9205590164917312751089",
        "9205590164917312751089",
        "usps",
        LabelFormat::Usps22,
        Some("85004"),
        "issue13",
    ),
    (
        "9205590164917312751089",
        "9205590164917312751089",
        "usps",
        LabelFormat::Usps22,
        None,
        "issue13",
    ),
    (
        "0307 1790 0005 2348 3741",
        "03071790000523483741",
        "usps",
        LabelFormat::Usps20,
        None,
        "tnd:usps",
    ),
    (
        "7112 3456 7891 2345 6787",
        "71123456789123456787",
        "usps",
        LabelFormat::Usps20,
        None,
        "tnd:usps",
    ),
    (
        "7196 9010 7560 0307 7385",
        "71969010756003077385",
        "usps",
        LabelFormat::Usps20Certified,
        None,
        "tnd:usps",
    ),
    (
        "9101 1234 5678 9000 0000 13",
        "9101123456789000000013",
        "usps",
        LabelFormat::Usps22,
        None,
        "tnd:usps",
    ),
    (
        "420 22153 9101026837331000039521",
        "9101026837331000039521",
        "usps",
        LabelFormat::Usps22,
        Some("22153"),
        "tnd:usps",
    ),
    (
        "420787459400111206206406260787",
        "9400111206206406260787",
        "usps",
        LabelFormat::Usps22,
        Some("78745"),
        "tnd:usps",
    ),
    (
        "9400 1112 0108 0805 4830 16",
        "9400111201080805483016",
        "usps",
        LabelFormat::Usps22,
        None,
        "tnd:usps",
    ),
    (
        "9405803699300124287899",
        "9405803699300124287899",
        "usps",
        LabelFormat::Usps22,
        None,
        "tnd:usps",
    ),
    (
        "9434611206206407667136",
        "9434611206206407667136",
        "usps",
        LabelFormat::Usps22,
        None,
        "tnd:usps",
    ),
    (
        "4201002334249200190132607600833457",
        "9200190132607600833457",
        "usps",
        LabelFormat::Usps22,
        Some("100233424"),
        "tnd:usps",
    ),
    (
        "4201028200009261290113185417468510",
        "9261290113185417468510",
        "usps",
        LabelFormat::Usps22,
        Some("102820000"),
        "tnd:usps",
    ),
    (
        "9505 5110 6960 5048 6006 24",
        "9505511069605048600624",
        "usps",
        LabelFormat::Usps22,
        None,
        "tnd:usps",
    ),
    (
        "92748931507708513018050063",
        "92748931507708513018050063",
        "usps",
        LabelFormat::Usps26,
        None,
        "tnd:usps",
    ),
    (
        "92001903060085300042901077",
        "92001903060085300042901077",
        "usps",
        LabelFormat::Usps26,
        None,
        "tnd:usps",
    ),
    (
        "9361 2898 7870 0317 6337 95",
        "9361289878700317633795",
        "usps",
        LabelFormat::Usps22,
        None,
        "tnd:usps",
    ),
    (
        "420 11213 92 6129098349792366623 8",
        "9261290983497923666238",
        "usps",
        LabelFormat::Usps22,
        Some("11213"),
        "tnd:usps",
    ),
    (
        "420902459261290336128704042634",
        "9261290336128704042634",
        "usps",
        LabelFormat::Usps22,
        Some("90245"),
        "tnd:usps",
    ),
    (
        "3318810025",
        "3318810025",
        "dhl",
        LabelFormat::DhlExpress,
        None,
        "tnd:dhl",
    ),
    (
        "73891051146",
        "73891051146",
        "dhl",
        LabelFormat::DhlExpress,
        None,
        "tnd:dhl",
    ),
    (
        "8487135506",
        "8487135506",
        "dhl",
        LabelFormat::DhlExpress,
        None,
        "tnd:dhl",
    ),
    (
        "1099255990",
        "1099255990",
        "dhl",
        LabelFormat::DhlExpress,
        None,
        "tnd:dhl",
    ),
    (
        "3821724944",
        "3821724944",
        "dhl",
        LabelFormat::DhlExpress,
        None,
        "tnd:dhl",
    ),
    (
        "09 9800 0002 0033 F",
        "09980000020033",
        "dpd",
        LabelFormat::DpdParcel15,
        None,
        "tnd:dpd",
    ),
    (
        "0998 0000 0200 34D",
        "09980000020034",
        "dpd",
        LabelFormat::DpdParcel15,
        None,
        "tnd:dpd",
    ),
    (
        "00 81827 0998 0000 0200 33 350 276 C",
        "09980000020033",
        "dpd",
        LabelFormat::DpdLabel28,
        Some("0081827"),
        "tnd:dpd",
    ),
    (
        "0081 827 0998 0000 0200 45 327 276 N",
        "09980000020045",
        "dpd",
        LabelFormat::DpdLabel28,
        Some("0081827"),
        "tnd:dpd",
    ),
    (
        "%008182709980000020033350276",
        "09980000020033",
        "dpd",
        LabelFormat::DpdBarcode,
        Some("0081827"),
        "dpd-barcode",
    ),
    (
        "]C0%008182709980000020045327276",
        "09980000020045",
        "dpd",
        LabelFormat::DpdBarcode,
        Some("0081827"),
        "dpd-barcode",
    ),
    (
        "TBM502887274000",
        "TBM502887274000",
        "amazon",
        LabelFormat::AmazonLogistics,
        None,
        "tnd:amazon",
    ),
    (
        "TBC 000000000000",
        "TBC000000000000",
        "amazon",
        LabelFormat::AmazonLogistics,
        None,
        "tnd:amazon",
    ),
    (
        "RB123456785GB",
        "RB123456785GB",
        "post-GB",
        LabelFormat::UpuS10,
        None,
        "tnd:s10",
    ),
    (
        "RB123456785US",
        "RB123456785US",
        "post-US",
        LabelFormat::UpuS10,
        None,
        "tnd:s10",
    ),
    (
        "RB123456785CV",
        "RB123456785CV",
        "post-CV",
        LabelFormat::UpuS10,
        None,
        "tnd:s10",
    ),
];

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

/// (scan, source): the published invalid samples whose shape is right but whose check digit
/// is not, refused for that reason.
const WRONG_CHECK: &[(&str, &str)] = &[
    ("1Z5R89390357567128", "issue13"),
    ("996578788855", "tnd:fedex"),
    ("1001901781990001000300617767839438", "tnd:fedex"),
    ("32971514560102447849175802852014", "tnd:fedex"),
    ("5682 8361 0012 732", "tnd:fedex"),
    ("9600000000000000000001", "tnd:fedex"),
    ("9622001560001234567100794808390595", "tnd:fedex"),
    ("000000000000000001", "tnd:fedex"),
    ("0307 1790 0005 2348 3742", "tnd:usps"),
    ("9434611206206407667131", "tnd:usps"),
    ("4201028200009261290113185417468511", "tnd:usps"),
    ("9101 1234 5678 9000 0000 14", "tnd:usps"),
    ("7196 9010 7560 0307 7386", "tnd:usps"),
    ("3318810010", "tnd:dhl"),
    ("3318810034", "tnd:dhl"),
    ("09980000020033D", "tnd:dpd"),
    ("008182709980000020033350276A", "tnd:dpd"),
    ("RB123456786US", "tnd:s10"),
];

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
