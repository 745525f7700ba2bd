//! The formats this kiosk knows, each as a function that says whether an element has its
//! shape and, if so, whether its check digit holds.

use super::{
    Carrier, CheckDigit, Label, LabelError, LabelFormat, PostCountry, all_digits, check, countries,
    routing_zip,
};
use crate::domain::ids::TrackingId;

/// `Some(Err)`: the shape fits but its check failed; `None`: the shape does not fit.
type Candidate = Option<Result<Label, LabelError>>;

/// Every format, most specific first. The first whose check holds wins; if none holds but
/// some had the shape, the first of those names the failed check. Formats share lengths
/// (15 digits: FedEx Ground or DPD with a numeric check character), so order decides and
/// the store's carrier list can narrow it later.
const FORMATS: &[fn(&str) -> Candidate] = &[
    dpd_barcode,
    ups_1z,
    upu_s10,
    amazon,
    usps_routed,
    sscc,
    usps,
    fedex_express_12,
    fedex_ground_15,
    fedex_ground_96,
    fedex_34,
    fedex_astra_32,
    dhl_express,
    dpd_parcel,
    dpd_label_28,
    routing_alone,
];

pub(super) fn classify(element: &str) -> Candidate {
    let mut first_failure = None;
    for format in FORMATS {
        match format(element) {
            Some(Ok(label)) => return Some(Ok(label)),
            Some(Err(error)) => {
                first_failure.get_or_insert(error);
            }
            None => {}
        }
    }
    first_failure.map(Err)
}

fn label(
    id: &str,
    carrier: Carrier,
    format: LabelFormat,
    check_digit: CheckDigit,
) -> Result<Label, LabelError> {
    Ok(Label {
        tracking_id: TrackingId::parse(id)?,
        carrier,
        format,
        check_digit,
        postal_code: None,
    })
}

/// A label whose check digit was computed as `expected` and printed as `printed`.
fn checked(
    id: &str,
    carrier: Carrier,
    format: LabelFormat,
    expected: u8,
    printed: u8,
) -> Candidate {
    Some(if expected == printed {
        label(id, carrier, format, CheckDigit::Valid)
    } else {
        Err(LabelError::CheckDigit { format })
    })
}

fn digit(byte: u8) -> u8 {
    byte.wrapping_sub(b'0')
}

fn ups_1z(element: &str) -> Candidate {
    let bytes = element.as_bytes();
    if bytes.len() != 18 || !element.starts_with("1Z") || !bytes[17].is_ascii_digit() {
        return None;
    }
    let expected = check::ups_mod10(&bytes[2..17]);
    checked(
        element,
        Carrier::Ups,
        LabelFormat::Ups1Z,
        expected,
        digit(bytes[17]),
    )
}

fn upu_s10(element: &str) -> Candidate {
    let bytes = element.as_bytes();
    let shaped = bytes.len() == 13
        && bytes[..2].iter().all(u8::is_ascii_uppercase)
        && bytes[2..11].iter().all(u8::is_ascii_digit)
        && bytes[11..].iter().all(u8::is_ascii_uppercase);
    if !shaped {
        return None;
    }
    let country = [bytes[11], bytes[12]];
    if !countries::is_upu_country(&country) {
        return Some(Err(LabelError::UnknownPostCountry {
            code: element[11..].to_owned(),
        }));
    }
    let carrier = Carrier::PostalS10 {
        country: PostCountry(country),
    };
    let expected = check::upu_s10(&bytes[2..10]);
    checked(
        element,
        carrier,
        LabelFormat::UpuS10,
        expected,
        digit(bytes[10]),
    )
}

/// Amazon Logistics `TBA`/`TBC`/`TBM` + 12 digits: no check digit is published.
fn amazon(element: &str) -> Candidate {
    let serial = ["TBA", "TBC", "TBM"]
        .iter()
        .find_map(|prefix| element.strip_prefix(prefix))?;
    (serial.len() == 12 && all_digits(serial)).then(|| {
        label(
            element,
            Carrier::Amazon,
            LabelFormat::AmazonLogistics,
            CheckDigit::NoneDefined,
        )
    })
}

/// A USPS tracking number on its own: 20, 22 (`91`-`95`) or 26 (`92`-`95`) digits.
fn usps(element: &str) -> Candidate {
    let bytes = element.as_bytes();
    if !all_digits(element) {
        return None;
    }
    let service_prefix = |low: u8| bytes[0] == b'9' && (low..=b'5').contains(&bytes[1]);
    let format = match bytes.len() {
        20 if !element.starts_with("00") => LabelFormat::Usps20,
        22 if service_prefix(b'1') => LabelFormat::Usps22,
        26 if service_prefix(b'2') => LabelFormat::Usps26,
        _ => return None,
    };
    let (data, printed) = bytes.split_at(bytes.len() - 1);
    let printed = digit(printed[0]);
    if format == LabelFormat::Usps20
        && check::gs1_mod10(data) != printed
        && element.starts_with("71")
    {
        let mut with_channel = b"91".to_vec();
        with_channel.extend_from_slice(data);
        let expected = check::gs1_mod10(&with_channel);
        return checked(
            element,
            Carrier::Usps,
            LabelFormat::Usps20Certified,
            expected,
            printed,
        );
    }
    checked(
        element,
        Carrier::Usps,
        format,
        check::gs1_mod10(data),
        printed,
    )
}

/// A USPS barcode with its GS1 `420` routing element run straight into the tracking number
/// (the scanner sent no GS): `420` + ZIP+4 or ZIP5, then the number. ZIP+4 is tried first, as
/// a ZIP5 reading of the same digits would leave a number that starts with ZIP digits.
fn usps_routed(element: &str) -> Candidate {
    let after = element.strip_prefix("420")?;
    if !all_digits(after) {
        return None;
    }
    let mut first_failure = None;
    for zip_length in [9, 5] {
        let Some((zip, number)) = after.split_at_checked(zip_length) else {
            continue;
        };
        match usps(number) {
            Some(Ok(mut found)) => {
                found.postal_code = Some(zip.to_owned());
                return Some(Ok(found));
            }
            Some(Err(error)) => {
                first_failure.get_or_insert(error);
            }
            None => {}
        }
    }
    first_failure.map(Err)
}

/// GS1 SSCC-18, alone or after its application identifier `00`.
fn sscc(element: &str) -> Candidate {
    let number = match element.len() {
        18 => element,
        20 => element.strip_prefix("00")?,
        _ => return None,
    };
    if !all_digits(number) {
        return None;
    }
    let bytes = number.as_bytes();
    let expected = check::gs1_mod10(&bytes[..17]);
    checked(
        number,
        Carrier::Sscc,
        LabelFormat::Sscc18,
        expected,
        digit(bytes[17]),
    )
}

fn fedex_express_12(element: &str) -> Candidate {
    let bytes = element.as_bytes();
    if bytes.len() != 12 || !all_digits(element) {
        return None;
    }
    let expected = check::fedex_mod11(&bytes[..11]);
    checked(
        element,
        Carrier::FedEx,
        LabelFormat::FedExExpress12,
        expected,
        digit(bytes[11]),
    )
}

fn fedex_ground_15(element: &str) -> Candidate {
    let bytes = element.as_bytes();
    if bytes.len() != 15 || !all_digits(element) {
        return None;
    }
    let expected = check::gs1_mod10(&bytes[..14]);
    checked(
        element,
        Carrier::FedEx,
        LabelFormat::FedExGround15,
        expected,
        digit(bytes[14]),
    )
}

/// `96` + service-class code (2) + service (3) + the 15-digit Ground tracking number, whose
/// check digit covers its own 14 digits only.
fn fedex_ground_96(element: &str) -> Candidate {
    let bytes = element.as_bytes();
    if bytes.len() != 22 || !element.starts_with("96") || !all_digits(element) {
        return None;
    }
    let number = &element[7..];
    let expected = check::gs1_mod10(&bytes[7..21]);
    checked(
        number,
        Carrier::FedEx,
        LabelFormat::FedExGround96,
        expected,
        digit(bytes[21]),
    )
}

/// The 34-digit FedEx barcodes (Express, and Ground starting `96`): 20 digits of routing and
/// form codes, then a 13-digit serial and its mod 11 check. The tracking number is the last
/// 12 digits, so the serial must open with `00`, which carries no weight; a `420` start is a
/// USPS routing barcode instead.
fn fedex_34(element: &str) -> Candidate {
    if element.len() != 34 || !all_digits(element) || element.starts_with("420") {
        return None;
    }
    let format = if element.starts_with("96") {
        LabelFormat::FedExGround34
    } else if !element.starts_with('9') {
        LabelFormat::FedExExpress34
    } else {
        return None;
    };
    fedex_34_serial(element, format)
}

fn fedex_34_serial(element: &str, format: LabelFormat) -> Candidate {
    let bytes = element.as_bytes();
    if &element[20..22] != "00" {
        return None;
    }
    let expected = check::fedex_mod11(&bytes[20..33]);
    checked(
        &element[22..],
        Carrier::FedEx,
        format,
        expected,
        digit(bytes[33]),
    )
}

/// The 32-digit ASTRA barcode: `3` + 15 digits, the 12-digit Express number, 4 more digits.
fn fedex_astra_32(element: &str) -> Candidate {
    let bytes = element.as_bytes();
    if bytes.len() != 32 || bytes[0] != b'3' || !all_digits(element) {
        return None;
    }
    let expected = check::fedex_mod11(&bytes[16..27]);
    checked(
        &element[16..28],
        Carrier::FedEx,
        LabelFormat::FedExAstra32,
        expected,
        digit(bytes[27]),
    )
}

/// DHL Express waybill: 10 digits (9 + check), or 11 (10 + check) on older labels.
fn dhl_express(element: &str) -> Candidate {
    let bytes = element.as_bytes();
    if !matches!(bytes.len(), 10 | 11) || !all_digits(element) {
        return None;
    }
    let (data, printed) = bytes.split_at(bytes.len() - 1);
    let expected = check::dhl_mod7(data);
    checked(
        element,
        Carrier::Dhl,
        LabelFormat::DhlExpress,
        expected,
        digit(printed[0]),
    )
}

/// DPD's 14-digit parcel number is the id (carriers' files and DPD tracking use it); the
/// check character printed after it is verified and dropped, so every DPD form meets.
fn dpd_parcel(element: &str) -> Candidate {
    let number = element.get(..14)?;
    if !all_digits(number) {
        return None;
    }
    match element.as_bytes().get(14) {
        None => Some(label(
            number,
            Carrier::Dpd,
            LabelFormat::DpdParcel14,
            CheckDigit::NoneDefined,
        )),
        Some(&printed) if element.len() == 15 && printed.is_ascii_alphanumeric() => {
            let expected = check::iso7064_mod37_36(number.as_bytes())?;
            checked(
                number,
                Carrier::Dpd,
                LabelFormat::DpdParcel15,
                expected,
                printed,
            )
        }
        Some(_) => None,
    }
}

/// The DPD barcode's 27 characters after `%` (postcode 7, parcel number 14, service 3,
/// ISO numeric country 3); the barcode carries no check character of its own.
fn dpd_parts(body: &str) -> Option<(&str, &str)> {
    let bytes = body.as_bytes();
    let shaped = bytes.len() == 27
        && bytes[..7].iter().all(u8::is_ascii_alphanumeric)
        && all_digits(&body[7..]);
    shaped.then(|| (&body[..7], &body[7..21]))
}

fn dpd_barcode(element: &str) -> Candidate {
    let (postcode, number) = dpd_parts(element.strip_prefix('%')?)?;
    Some(
        label(
            number,
            Carrier::Dpd,
            LabelFormat::DpdBarcode,
            CheckDigit::NoneDefined,
        )
        .map(|found| Label {
            postal_code: Some(postcode.to_owned()),
            ..found
        }),
    )
}

/// The barcode's content printed under it with a check character over all 27.
fn dpd_label_28(element: &str) -> Candidate {
    let body = element.get(..27)?;
    let printed = *element.as_bytes().get(27)?;
    if element.len() != 28 {
        return None;
    }
    let (postcode, number) = dpd_parts(body)?;
    let expected = check::iso7064_mod37_36(body.as_bytes())?;
    let found = checked(
        number,
        Carrier::Dpd,
        LabelFormat::DpdLabel28,
        expected,
        printed,
    )?;
    Some(found.map(|found| Label {
        postal_code: Some(postcode.to_owned()),
        ..found
    }))
}

/// A `420` + ZIP element on its own is the routing barcode next to the tracking barcode.
fn routing_alone(element: &str) -> Candidate {
    routing_zip(element).map(|zip| {
        Err(LabelError::RoutingOnly {
            postal_code: zip.to_owned(),
        })
    })
}
