//! Turns what a barcode scanner or a person typed at the counter into the carrier's own
//! tracking id, the carrier and the label format, refusing a wrong check digit. It is the one
//! place ids are read: the scan field, `import-expected` and search are to call
//! [`identify_label`] as `kiosk identify` does, so one parcel gets one id however its label
//! was read or announced.

mod check;
mod countries;
mod formats;
#[cfg(test)]
pub(crate) mod tests;

use std::fmt;

use thiserror::Error;

use super::ids::{
    InvalidTrackingId, TRACKING_ID_MAX_LEN, TRACKING_ID_MIN_LEN, TrackingId, describe_char,
};

/// Who issued the tracking id, as far as its format tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Carrier {
    Ups,
    Usps,
    FedEx,
    Dhl,
    Dpd,
    Amazon,
    /// A national post's UPU S10 number; the country is the post that issued it.
    PostalS10 {
        country: PostCountry,
    },
    /// A GS1 Serial Shipping Container Code: any shipper may print one, so it names no carrier.
    Sscc,
    /// An id of no known format, taken only where the store's policy allows it.
    Other,
}

impl Carrier {
    /// The short code scripts and exports use (`ups`, `post-GB`, ...).
    pub fn code(&self) -> String {
        match self {
            Carrier::Ups => "ups".into(),
            Carrier::Usps => "usps".into(),
            Carrier::FedEx => "fedex".into(),
            Carrier::Dhl => "dhl".into(),
            Carrier::Dpd => "dpd".into(),
            Carrier::Amazon => "amazon".into(),
            Carrier::PostalS10 { country } => format!("post-{country}"),
            Carrier::Sscc => "sscc".into(),
            Carrier::Other => "other".into(),
        }
    }
}

impl fmt::Display for Carrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Carrier::Ups => f.write_str("UPS"),
            Carrier::Usps => f.write_str("USPS"),
            Carrier::FedEx => f.write_str("FedEx"),
            Carrier::Dhl => f.write_str("DHL"),
            Carrier::Dpd => f.write_str("DPD"),
            Carrier::Amazon => f.write_str("Amazon"),
            Carrier::PostalS10 { country } => write!(f, "post ({country})"),
            Carrier::Sscc => f.write_str("GS1 SSCC"),
            Carrier::Other => f.write_str("other"),
        }
    }
}

/// The two capital letters ending an S10 number, checked against the UPU's postal countries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PostCountry([u8; 2]);

impl PostCountry {
    pub fn as_str(&self) -> &str {
        // Built only from two checked ASCII capitals, so this never falls back.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for PostCountry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The format the scan was read as; several long barcodes wrap a shorter tracking id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LabelFormat {
    /// `1Z` + 6 shipper + 2 service + 7 package characters + check digit.
    Ups1Z,
    FedExExpress12,
    FedExGround15,
    /// The 22-digit Ground barcode `96` + 5 + the 15-digit tracking number.
    FedExGround96,
    /// The 34-digit Express barcode; its last 12 digits are the tracking number.
    FedExExpress34,
    /// The 34-digit Ground barcode starting `96`; its last 12 digits are the tracking number.
    FedExGround34,
    /// The 32-digit FedEx ASTRA barcode, with the 12-digit tracking number at 17..28.
    FedExAstra32,
    /// 20 digits, check digit over the 19 digits before it.
    Usps20,
    /// 20-digit Certified Mail number (`71...`) whose check digit also covers the `91`
    /// application identifier its barcode carries in front.
    Usps20Certified,
    /// IMpb (`92`..`95`) or legacy `91` 22-digit number.
    Usps22,
    Usps26,
    Sscc18,
    DhlExpress,
    /// DPD's 14-digit parcel number followed by its check character, as printed.
    DpdParcel15,
    /// DPD's 14-digit parcel number alone, as carriers' announcement files give it.
    DpdParcel14,
    /// DPD's Code 128 barcode: `%` + postcode (7) + parcel number (14) + service + country.
    DpdBarcode,
    /// The barcode's 27 characters as printed under it, with the check character.
    DpdLabel28,
    AmazonLogistics,
    UpuS10,
    Other,
}

impl LabelFormat {
    /// The short code scripts use (`usps-22`, `fedex-34`, ...).
    pub fn code(self) -> &'static str {
        match self {
            LabelFormat::Ups1Z => "ups-1z",
            LabelFormat::FedExExpress12 => "fedex-express-12",
            LabelFormat::FedExGround15 => "fedex-ground-15",
            LabelFormat::FedExGround96 => "fedex-ground-96-22",
            LabelFormat::FedExExpress34 => "fedex-express-34",
            LabelFormat::FedExGround34 => "fedex-ground-96-34",
            LabelFormat::FedExAstra32 => "fedex-astra-32",
            LabelFormat::Usps20 => "usps-20",
            LabelFormat::Usps20Certified => "usps-20-certified",
            LabelFormat::Usps22 => "usps-22",
            LabelFormat::Usps26 => "usps-26",
            LabelFormat::Sscc18 => "gs1-sscc-18",
            LabelFormat::DhlExpress => "dhl-express",
            LabelFormat::DpdParcel15 => "dpd-15",
            LabelFormat::DpdParcel14 => "dpd-14",
            LabelFormat::DpdBarcode => "dpd-barcode",
            LabelFormat::DpdLabel28 => "dpd-28",
            LabelFormat::AmazonLogistics => "amazon-tba",
            LabelFormat::UpuS10 => "upu-s10",
            LabelFormat::Other => "other",
        }
    }
}

impl fmt::Display for LabelFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LabelFormat::Ups1Z => "UPS 1Z",
            LabelFormat::FedExExpress12 => "FedEx Express 12-digit",
            LabelFormat::FedExGround15 => "FedEx Ground 15-digit",
            LabelFormat::FedExGround96 => "FedEx Ground 22-digit",
            LabelFormat::FedExExpress34 => "FedEx 34-digit",
            LabelFormat::FedExGround34 => "FedEx Ground 34-digit",
            LabelFormat::FedExAstra32 => "FedEx 32-digit",
            LabelFormat::Usps20 | LabelFormat::Usps20Certified => "USPS 20-digit",
            LabelFormat::Usps22 => "USPS 22-digit",
            LabelFormat::Usps26 => "USPS 26-digit",
            LabelFormat::Sscc18 => "SSCC-18",
            LabelFormat::DhlExpress => "DHL Express",
            LabelFormat::DpdParcel15 | LabelFormat::DpdParcel14 => "DPD parcel",
            LabelFormat::DpdBarcode => "DPD barcode",
            LabelFormat::DpdLabel28 => "DPD label",
            LabelFormat::AmazonLogistics => "Amazon TBA",
            LabelFormat::UpuS10 => "postal S10",
            LabelFormat::Other => "other",
        })
    }
}

/// Whether the id carried a check digit that held, or its format defines none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckDigit {
    Valid,
    NoneDefined,
}

/// A scan read as a carrier's label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The carrier's own tracking id: what its systems, announcements and customers use.
    pub tracking_id: TrackingId,
    pub carrier: Carrier,
    pub format: LabelFormat,
    pub check_digit: CheckDigit,
    /// The destination postal code the barcode carried (USPS `420` + ZIP, DPD's postcode).
    pub postal_code: Option<String>,
}

/// What a store accepts beyond the formats this module knows; the kiosk config sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LabelPolicy {
    /// Take an id of no known format as carrier "other" (still 4-40 letters and digits). A
    /// known format with a wrong check digit is refused either way.
    pub allow_other: bool,
}

/// Why a scan gave no tracking id, in words for the clerk at the counter.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum LabelError {
    #[error("the scan is empty")]
    Empty,
    #[error("the scan contains {0}, which no label has: scan again or retype")]
    BadCharacter(String),
    #[error("check digit does not match: scan again or retype (read as a {format} number)")]
    CheckDigit { format: LabelFormat },
    #[error("not a label format this kiosk knows: {shown} ({length} characters)")]
    UnknownFormat { shown: String, length: usize },
    #[error("{code} is not a post that issues tracking numbers: scan again or retype")]
    UnknownPostCountry { code: String },
    #[error("this barcode holds only a ZIP code ({postal_code}): scan the tracking barcode")]
    RoutingOnly { postal_code: String },
    #[error("the scan holds {0} separate parts: scan one label at a time")]
    SeveralParts(usize),
    #[error(transparent)]
    Invalid(#[from] InvalidTrackingId),
}

/// Reads a scan or a typed id as a carrier label: scanner artefacts go, the carrier's id is
/// taken out of the barcode that wraps it, and the check digit must hold.
pub fn identify_label(text: &str, policy: LabelPolicy) -> Result<Label, LabelError> {
    let Elements { elements, gs1 } = split_elements(text)?;
    // A lone `420...` without GS1 framing may be a carrier's number, so a routing element is
    // split off only when the framing or a second part shows it is one.
    let (routing, rest): (Vec<&String>, Vec<&String>) = if gs1 || elements.len() > 1 {
        elements.iter().partition(|e| routing_zip(e).is_some())
    } else {
        (Vec::new(), elements.iter().collect())
    };
    let postal_code = routing
        .last()
        .and_then(|e| routing_zip(e))
        .map(str::to_owned);
    let element = match rest.as_slice() {
        [] => {
            return Err(match postal_code {
                Some(postal_code) => LabelError::RoutingOnly { postal_code },
                None => LabelError::Empty,
            });
        }
        [one] => one.as_str(),
        many => return Err(LabelError::SeveralParts(many.len())),
    };
    let mut label = match formats::classify(element) {
        Some(found) => found?,
        None if policy.allow_other => Label {
            tracking_id: TrackingId::parse(element)?,
            carrier: Carrier::Other,
            format: LabelFormat::Other,
            check_digit: CheckDigit::NoneDefined,
            postal_code: None,
        },
        None => {
            return Err(LabelError::UnknownFormat {
                shown: shown(element),
                length: element.len(),
            });
        }
    };
    if label.postal_code.is_none() {
        label.postal_code = postal_code;
    }
    Ok(label)
}

/// The longest scan echoed back in an error; a stuck scanner's kilobytes stay off the screen.
const SHOWN_MAX: usize = 40;

fn shown(element: &str) -> String {
    match element.get(..SHOWN_MAX) {
        Some(start) if element.len() > SHOWN_MAX => format!("{start}…"),
        _ => element.to_owned(),
    }
}

/// AIM symbology identifiers (ISO/IEC 15424) a scanner may put in front: `]` + symbology
/// letter + modifier, e.g. `]C1` GS1-128, `]C0` Code 128, `]d2` GS1 DataMatrix, `]Q3` GS1 QR.
/// Returns the rest and whether the identifier says the data is GS1 element strings.
fn strip_symbology_identifier(text: &str) -> Result<(&str, bool), LabelError> {
    const GS1_IDENTIFIERS: [&str; 5] = ["C1", "d2", "Q3", "e0", "J1"];
    let Some(rest) = text.strip_prefix(']') else {
        return Ok((text, false));
    };
    let mut chars = rest.chars();
    match (chars.next(), chars.next()) {
        (Some(symbology), Some(modifier))
            if symbology.is_ascii_alphabetic() && modifier.is_ascii_alphanumeric() =>
        {
            let gs1 = GS1_IDENTIFIERS.contains(&&rest[..2]);
            Ok((chars.as_str(), gs1))
        }
        _ => Err(LabelError::BadCharacter(describe_char(']'))),
    }
}

/// Splits a scan into its GS1 element strings, upper-cased, without what people and scanners
/// add: spaces and hyphens go; GS (FNC1), Tab and line breaks separate elements (GS1 data
/// puts GS after a variable-length field such as `420` + ZIP, and some keyboard wedges send
/// GS as Tab); parts left over once routing is dropped are refused, never joined into one id.
/// `(AI)` as printed under a GS1 barcode starts an element. `%` may only open an element
/// (DPD's barcode). Anything else is refused by name, so nothing is dropped silently.
fn split_elements(text: &str) -> Result<Elements, LabelError> {
    let (body, mut gs1) = strip_symbology_identifier(text.trim())?;
    let mut elements = Vec::new();
    let mut current = String::new();
    let mut in_application_identifier = false;
    for character in body.chars() {
        match character {
            ' ' | '-' => {}
            '\u{1D}' if !in_application_identifier => {
                gs1 = true;
                elements.push(std::mem::take(&mut current));
            }
            '\t' | '\n' | '\r' if !in_application_identifier => {
                elements.push(std::mem::take(&mut current));
            }
            '(' if !in_application_identifier => {
                gs1 = true;
                elements.push(std::mem::take(&mut current));
                in_application_identifier = true;
            }
            ')' if in_application_identifier => in_application_identifier = false,
            '0'..='9' => current.push(character),
            'a'..='z' | 'A'..='Z' if !in_application_identifier => {
                current.push(character.to_ascii_uppercase());
            }
            '%' if current.is_empty() && !in_application_identifier => current.push('%'),
            other => return Err(LabelError::BadCharacter(describe_char(other))),
        }
    }
    if in_application_identifier {
        return Err(LabelError::BadCharacter(describe_char('(')));
    }
    elements.push(current);
    elements.retain(|element| !element.is_empty());
    Ok(Elements { elements, gs1 })
}

/// A scan split into its element strings; `gs1` when its framing (AIM identifier, GS, or
/// `(AI)` notation) says they are GS1 element strings.
struct Elements {
    elements: Vec<String>,
    gs1: bool,
}

/// The ZIP code of a GS1 `420` ship-to postal code element holding a US ZIP5 or ZIP+4.
pub(crate) fn routing_zip(element: &str) -> Option<&str> {
    let zip = element.strip_prefix("420")?;
    (matches!(zip.len(), 5 | 9) && all_digits(zip)).then_some(zip)
}

pub(crate) fn all_digits(text: &str) -> bool {
    text.bytes().all(|byte| byte.is_ascii_digit())
}

/// The carrier of an id the kiosk already stored: the stored id re-read as a label, with any
/// format allowed. Pure, so the `carrier` column of `parcels` is a function of the tracking id
/// the chain already covers, and replay recomputes it exactly (see `projection`). An id stored
/// before labels were read (an old ledger, a shop order's own number) is `Other`.
pub fn carrier_of(tracking_id: &TrackingId) -> Carrier {
    identify_label(tracking_id.as_str(), LabelPolicy { allow_other: true })
        .map_or(Carrier::Other, |label| label.carrier)
}

/// [`carrier_of`] for the stored text of an id, as rows and exports hold it.
pub fn carrier_of_text(tracking_id: &str) -> Carrier {
    // A stored id is already what reading a scan makes of it (upper-case letters and digits,
    // one element): its format is looked up straight away, without normalising and splitting
    // it again into new strings. The export reads a carrier for every parcel row it has not
    // met lately, and that was a tenth of its time.
    let bytes = tracking_id.as_bytes();
    let stored_form = (TRACKING_ID_MIN_LEN..=TRACKING_ID_MAX_LEN).contains(&bytes.len())
        && bytes
            .iter()
            .all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit());
    if stored_form {
        return match formats::classify(tracking_id) {
            Some(Ok(label)) => label.carrier,
            Some(Err(_)) | None => Carrier::Other,
        };
    }
    carrier_of_scan_text(tracking_id)
}

/// [`carrier_of_text`] the whole way round: the text read as a scan, then its label.
fn carrier_of_scan_text(tracking_id: &str) -> Carrier {
    TrackingId::parse(tracking_id).map_or(Carrier::Other, |id| carrier_of(&id))
}

impl Carrier {
    /// The kiosk.toml name of the carrier's group: every national post is `postal`.
    pub fn config_key(&self) -> &'static str {
        match self {
            Carrier::Ups => "ups",
            Carrier::Usps => "usps",
            Carrier::FedEx => "fedex",
            Carrier::Dhl => "dhl",
            Carrier::Dpd => "dpd",
            Carrier::Amazon => "amazon",
            Carrier::PostalS10 { .. } => "postal",
            Carrier::Sscc => "sscc",
            Carrier::Other => "other",
        }
    }

    /// Reads [`Carrier::code`] back (`ups`, `post-GB`, `other`); `None` for any other text.
    pub fn from_code(code: &str) -> Option<Carrier> {
        Some(match code {
            "ups" => Carrier::Ups,
            "usps" => Carrier::Usps,
            "fedex" => Carrier::FedEx,
            "dhl" => Carrier::Dhl,
            "dpd" => Carrier::Dpd,
            "amazon" => Carrier::Amazon,
            "sscc" => Carrier::Sscc,
            "other" => Carrier::Other,
            _ => {
                let country = code.strip_prefix("post-")?;
                Carrier::PostalS10 {
                    country: PostCountry::parse(country)?,
                }
            }
        })
    }
}

impl PostCountry {
    /// Two ASCII capitals the UPU lists as a postal country.
    pub fn parse(code: &str) -> Option<PostCountry> {
        let bytes: [u8; 2] = code.as_bytes().try_into().ok()?;
        (bytes.iter().all(u8::is_ascii_uppercase) && countries::is_upu_country(&bytes))
            .then_some(PostCountry(bytes))
    }
}
