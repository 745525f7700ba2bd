//! What scanners and people add around an id, what the kiosk refuses by name, and properties
//! over arbitrary input.

use proptest::prelude::*;

use super::super::*;
use super::samples::VALID;
use super::strict;

fn other_allowed() -> LabelPolicy {
    LabelPolicy { allow_other: true }
}

fn id_of(scan: &str) -> String {
    identify_label(scan, strict())
        .map(|label| label.tracking_id.as_str().to_owned())
        .unwrap_or_else(|e| format!("refused: {e}"))
}

#[test]
fn scanner_separators_and_typed_spacing_are_understood() {
    // A keyboard wedge that sends GS as Tab still splits the routing element off.
    assert_eq!(
        id_of("42085004\t9205590164917312751089"),
        "9205590164917312751089"
    );
    assert_eq!(
        id_of("]d2420850041234\u{1d}9205590164917312751089"),
        "9205590164917312751089"
    );
    assert_eq!(id_of("9865-7878-8855"), "986578788855");
    assert_eq!(id_of("1z5r89390357567127\r\n"), "1Z5R89390357567127");
    assert_eq!(id_of("(00) 1 0614141 234567890 8"), "106141412345678908");
}

#[test]
fn two_ids_in_one_scan_are_refused_not_joined() {
    for scan in [
        "986578788855\t477179081230",
        "986578788855\u{1d}477179081230",
    ] {
        assert_eq!(
            identify_label(scan, other_allowed()),
            Err(LabelError::SeveralParts(2))
        );
    }
    assert_eq!(
        LabelError::SeveralParts(2).to_string(),
        "the scan holds 2 separate parts: scan one label at a time"
    );
}

#[test]
fn the_routing_barcode_alone_is_named() {
    for scan in ["42085004", "]C142085004", "(420)850041234"] {
        let refused = identify_label(scan, other_allowed());
        assert!(
            matches!(refused, Err(LabelError::RoutingOnly { .. })),
            "{scan:?}: {refused:?}"
        );
    }
    let message = identify_label("42085004", strict())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        message,
        "this barcode holds only a ZIP code (85004): scan the tracking barcode"
    );
}

#[test]
fn characters_no_label_has_are_refused_by_name() {
    let cases = [
        ("1Z5R8939\u{1b}[2J0357567127", "U+001B"),
        ("1Z5R8939\u{202e}0357567127", "U+202E"),
        ("ABC%DEF", "'%'"),
        ("]", "']'"),
        ("]C", "']'"),
        ("(00", "'('"),
        ("(0A)123", "'A'"),
        ("1Z5R8939.0357567127", "'.'"),
    ];
    for (scan, named) in cases {
        assert_eq!(
            identify_label(scan, other_allowed()),
            Err(LabelError::BadCharacter(named.into())),
            "{scan:?}"
        );
    }
}

#[test]
fn empty_scans_are_refused() {
    for scan in ["", "   ", "]C1", " - ", "\u{1d}\u{1d}"] {
        assert_eq!(
            identify_label(scan, other_allowed()),
            Err(LabelError::Empty),
            "{scan:?}"
        );
    }
}

#[test]
fn unknown_formats_follow_the_store_policy() {
    assert_eq!(
        identify_label("abc-123", strict())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default(),
        "not a label format this kiosk knows: ABC123 (6 characters)"
    );
    let other = identify_label("abc-123", other_allowed());
    assert_eq!(
        other.as_ref().map(|label| (
            label.tracking_id.as_str(),
            label.carrier,
            label.format,
            label.check_digit
        )),
        Ok((
            "ABC123",
            Carrier::Other,
            LabelFormat::Other,
            CheckDigit::NoneDefined
        ))
    );
    // A stuck scanner: the error shows only the start, and "other" still has a length limit.
    let stuck = "7".repeat(10_000);
    let message = identify_label(&stuck, strict())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        message.contains("…") && message.contains("10000 characters"),
        "{message}"
    );
    assert!(message.len() < 120, "{message}");
    assert!(matches!(
        identify_label(&stuck, other_allowed()),
        Err(LabelError::Invalid(_))
    ));
    // Well-formed but for its country: refused either way, naming the code.
    for policy in [strict(), other_allowed()] {
        assert_eq!(
            identify_label("RB123456785XX", policy),
            Err(LabelError::UnknownPostCountry { code: "XX".into() })
        );
    }
}

#[test]
fn dpd_numbers_meet_however_they_were_read() {
    let forms = [
        "09980000020033",
        "09980000020033F",
        "%008182709980000020033350276",
        "008182709980000020033350276C",
    ];
    for form in forms {
        assert_eq!(id_of(form), "09980000020033", "{form}");
    }
    assert_eq!(
        identify_label("09980000020033", strict()).map(|label| label.check_digit),
        Ok(CheckDigit::NoneDefined)
    );
    // A `%` scan of the wrong length is no DPD barcode.
    assert!(matches!(
        identify_label("%00818270998000002003335027", strict()),
        Err(LabelError::UnknownFormat { .. })
    ));
}

/// Noise a scanner or a person adds: an AIM prefix, spaces and hyphens, lower case, white
/// space around.
fn with_noise(scan: &str, prefix: &str, separators: &[(usize, bool)], lower: bool) -> String {
    // A sample that already carries an AIM identifier keeps it whole, in front.
    let (identifier, scan) = match scan.strip_prefix(']') {
        Some(_) => scan.split_at(3),
        None => (prefix, scan),
    };
    let mut characters: Vec<char> = scan.chars().collect();
    for &(at, hyphen) in separators {
        let at = at % (characters.len() + 1);
        characters.insert(at, if hyphen { '-' } else { ' ' });
    }
    let body: String = characters.into_iter().collect();
    let body = if lower { body.to_lowercase() } else { body };
    format!("  {identifier}{body}\r\n")
}

proptest! {
    /// The carrier of a stored id read the short way is the carrier of the id read as a scan.
    #[test]
    fn a_stored_ids_carrier_is_its_scans_carrier(
        text in prop_oneof![
            "[0-9A-Z]{0,42}",
            "(1Z|JD|JJD|TBA|9[2-5]|420[0-9]{5}|[A-Z]{2})[0-9A-Z]{6,30}",
            "[0-9]{10,34}",
            "[0-9A-Z\\-a-z ]{0,42}",
        ],
    ) {
        prop_assert_eq!(carrier_of_text(&text), carrier_of_scan_text(&text), "{}", text);
    }

    /// Whatever arrives, nothing panics, and an accepted id read again is the same id of the
    /// same carrier (so normalising is idempotent).
    #[test]
    fn accepted_ids_scan_back_to_themselves(
        text in prop_oneof![
            ".{0,60}",
            "[0-9 \\-]{8,44}",
            "[0-9A-Z%()\\x1d\\t\\] ]{0,40}",
            "(420[0-9]{5})?[0-9]{10,34}",
        ],
        allow_other in any::<bool>(),
    ) {
        let policy = LabelPolicy { allow_other };
        if let Ok(label) = identify_label(&text, policy) {
            let again = identify_label(label.tracking_id.as_str(), policy);
            prop_assert_eq!(
                again.as_ref().map(|l| (l.tracking_id.as_str(), l.carrier)),
                Ok((label.tracking_id.as_str(), label.carrier)),
                "{:?} -> {:?}", text, label
            );
        }
    }

    /// A published valid number survives an AIM prefix, spaces, hyphens and lower case.
    #[test]
    fn a_valid_id_survives_what_scanners_and_people_add(
        pick in 0_usize..VALID.len(),
        prefix in prop_oneof![Just(""), Just("]C0"), Just("]C1"), Just("]E0"), Just("]d2")],
        separators in proptest::collection::vec((0_usize..40, any::<bool>()), 0..6),
        lower in any::<bool>(),
    ) {
        let (scan, id, carrier, ..) = VALID[pick];
        let noisy = with_noise(scan, prefix, &separators, lower);
        let label = identify_label(&noisy, strict());
        prop_assert_eq!(
            label.as_ref().map(|l| (l.tracking_id.as_str(), l.carrier.code())),
            Ok((id, carrier.to_owned())),
            "{:?}", noisy
        );
    }
}
