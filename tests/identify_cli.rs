//! `kiosk identify`, run as support staff and scripts run it: no ledger, no configuration.

use std::process::{Command, Stdio};

/// Runs `kiosk identify ARGS` against a configuration file that does not exist, to show the
/// command needs none; returns the exit code, standard output and standard error.
fn identify(args: &[&str]) -> (i32, String, String) {
    let missing = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .arg("--config")
        .arg(missing.path().join("kiosk.toml"))
        .arg("identify")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("kiosk runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{text:?} is not JSON: {e}"))
}

/// One scan of every format family (samples from jkeen/tracking_number_data couriers/*.json
/// at b79ce4b, and issue #13), with the id, carrier, format and check digit printed.
#[test]
fn identify_prints_the_carriers_id_for_every_format() {
    let cases = [
        (
            "420850049205590164917312751089",
            "9205590164917312751089",
            "usps",
            "usps-22",
            "valid",
        ),
        (
            "]C142085004\u{1d}9205590164917312751089",
            "9205590164917312751089",
            "usps",
            "usps-22",
            "valid",
        ),
        (
            "92748931507708513018050063",
            "92748931507708513018050063",
            "usps",
            "usps-26",
            "valid",
        ),
        (
            "0307 1790 0005 2348 3741",
            "03071790000523483741",
            "usps",
            "usps-20",
            "valid",
        ),
        (
            "1Z879E930346834440",
            "1Z879E930346834440",
            "ups",
            "ups-1z",
            "valid",
        ),
        (
            "9865 7878 8855",
            "986578788855",
            "fedex",
            "fedex-express-12",
            "valid",
        ),
        (
            "1001921334250001000300779017972697",
            "779017972697",
            "fedex",
            "fedex-express-34",
            "valid",
        ),
        (
            "9611020987654312345672",
            "987654312345672",
            "fedex",
            "fedex-ground-96-22",
            "valid",
        ),
        (
            "0414 4176 0228 964",
            "041441760228964",
            "fedex",
            "fedex-ground-15",
            "valid",
        ),
        (
            "(00)106141412345678908",
            "106141412345678908",
            "sscc",
            "gs1-sscc-18",
            "valid",
        ),
        ("3318810025", "3318810025", "dhl", "dhl-express", "valid"),
        (
            "%008182709980000020033350276",
            "09980000020033",
            "dpd",
            "dpd-barcode",
            "none",
        ),
        (
            "09 9800 0002 0033 F",
            "09980000020033",
            "dpd",
            "dpd-15",
            "valid",
        ),
        (
            "TBM502887274000",
            "TBM502887274000",
            "amazon",
            "amazon-tba",
            "none",
        ),
        (
            "RB123456785GB",
            "RB123456785GB",
            "post-GB",
            "upu-s10",
            "valid",
        ),
    ];
    for (scan, id, carrier, format, check_digit) in cases {
        let (code, out, err) = identify(&[scan]);
        assert_eq!(code, 0, "{scan:?}: {err}");
        let printed = json(&out);
        assert_eq!(printed["tracking_id"], id, "{scan:?}");
        assert_eq!(printed["carrier"], carrier, "{scan:?}");
        assert_eq!(printed["format"], format, "{scan:?}");
        assert_eq!(printed["check_digit"], check_digit, "{scan:?}");
    }
    let (_, out, _) = identify(&["420850049205590164917312751089"]);
    assert_eq!(json(&out)["postal_code"], "85004");
}

#[test]
fn identify_exits_1_naming_what_is_wrong() {
    let (code, out, err) = identify(&["1Z5R89390357567128"]);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("check digit does not match: scan again or retype"),
        "{err}"
    );
    let (code, _, err) = identify(&["ABC-123"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("not a label format this kiosk knows: ABC123"),
        "{err}"
    );
    let (code, out, err) = identify(&["--allow-other", "ABC-123"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["carrier"], "other");
    assert_eq!(json(&out)["check_digit"], "none");
    let (code, _, err) = identify(&["42085004"]);
    assert_eq!(code, 1);
    assert!(err.contains("only a ZIP code (85004)"), "{err}");
}
