//! `kiosk store-feed` against the published Amazon Hub Counter Store Feed schema (the copy in
//! tests/schemas/, version 1.2.0) and the rules the same document's FAQ adds. No JSON-schema
//! crate is used (the schema is OpenAPI YAML, and the validators are heavy for a 2-core build
//! box), so each rule is checked here; the facts a check relies on are read from, or asserted
//! to be in, the schema copy, so a newer copy with other rules makes this test fail.

use std::collections::HashSet;
use std::process::{Command, Stdio};

use chrono::{NaiveDate, Utc};
use handoff_kiosk::config::DEFAULT_CONFIG_TEXT;
use serde_json::Value;

const SCHEMA: &str = include_str!("schemas/amazon-hub-counter-store-feed-1.2.0.yaml");

/// The lines of one component schema (`    Name:` up to the next component).
fn component(name: &str) -> Vec<&'static str> {
    let header = format!("    {name}:");
    SCHEMA
        .lines()
        .skip_while(|line| *line != header)
        .skip(1)
        .take_while(|line| line.is_empty() || line.starts_with("      "))
        .collect()
}

/// The `- item` lines under the first `key:` line at `indent` spaces after line `from`.
fn list_at(lines: &[&str], from: usize, indent: usize, key: &str) -> Vec<String> {
    let header = format!("{}{key}:", " ".repeat(indent));
    let item = format!("{}- ", " ".repeat(indent + 2));
    lines[from..]
        .iter()
        .skip_while(|line| line.trim_end() != header)
        .skip(1)
        .take_while(|line| line.starts_with(&item))
        .map(|line| line[item.len()..].trim().to_owned())
        .collect()
}

fn line_of(lines: &[&str], text: &str) -> usize {
    lines
        .iter()
        .position(|line| *line == text)
        .unwrap_or_else(|| panic!("the schema copy has no line {text:?}"))
}

/// `HH:MM:SS` as the schema's pattern `^(0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$`.
fn is_clock_time(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 8
        && b[2] == b':'
        && b[5] == b':'
        && matches!(
            (b[0], b[1]),
            (b'0' | b'1', b'0'..=b'9') | (b'2', b'0'..=b'3')
        )
        && matches!((b[3], b[4]), (b'0'..=b'5', b'0'..=b'9'))
        && matches!((b[6], b[7]), (b'0'..=b'5', b'0'..=b'9'))
}

/// The closure pattern `^(20[1-9][0-9])-(0[0-9]|1[0-2])-(0[1-9]|([12][0-9]|3[01]))` followed by
/// an optional `T` + clock time.
fn is_feed_date(text: &str) -> bool {
    let (date, time) = match text.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let b = date.as_bytes();
    let date_ok = b.len() == 10
        && date.starts_with("20")
        && matches!((b[2], b[3]), (b'1'..=b'9', b'0'..=b'9'))
        && b[4] == b'-'
        && b[7] == b'-'
        && matches!((b[5], b[6]), (b'0', b'0'..=b'9') | (b'1', b'0'..=b'2'))
        && matches!(
            (b[8], b[9]),
            (b'0', b'1'..=b'9') | (b'1' | b'2', b'0'..=b'9') | (b'3', b'0' | b'1')
        );
    date_ok && time.is_none_or(is_clock_time)
}

/// `[+-]?\d*\.?\d+`, anchored, with exactly 6 decimals as the FAQ requires.
fn is_six_decimal_coordinate(text: &str, limit: f64) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let shaped = unsigned.split_once('.').is_some_and(|(whole, decimals)| {
        !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && decimals.len() == 6
            && decimals.bytes().all(|b| b.is_ascii_digit())
    });
    shaped && text.parse::<f64>().is_ok_and(|value| value.abs() <= limit)
}

/// The shipped kiosk.toml with its closures moved 70 years on (so the test does not age),
/// plus a closure today, one in the past and one overlapping another.
fn config_text(today: NaiveDate) -> String {
    let yesterday = today.pred_opt().unwrap_or(today);
    let week_ago = today - chrono::Days::new(7);
    let moved = DEFAULT_CONFIG_TEXT
        .replace("\"2026-", "\"2096-")
        .replace("\"2027-", "\"2097-");
    let extra = format!(
        "\n[[hours.closures]]\nfrom = \"{today}\"\nto = \"{today}\"\nreason = \"Today\"\n\
         \n[[hours.closures]]\nfrom = \"{week_ago}\"\nto = \"{yesterday}\"\nreason = \"Past\"\n\
         \n[[hours.closures]]\nfrom = \"2096-12-24\"\nto = \"2096-12-26\"\nreason = \"Overlap\"\n"
    );
    // The closures are an array of tables under [hours]; they must come before the next
    // top-level table, so they go right after the last shipped closure.
    let anchor = "reason = \"Independence Day\"\n";
    moved.replacen(anchor, &format!("{anchor}{extra}"), 1)
}

fn store_feed() -> Value {
    let today = Utc::now()
        .with_timezone(&chrono_tz::America::Phoenix)
        .date_naive();
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("kiosk.toml");
    std::fs::write(&config, config_text(today)).expect("write config");
    let output = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .arg("--config")
        .arg(&config)
        .arg("store-feed")
        .stdin(Stdio::null())
        .output()
        .expect("kiosk runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    serde_json::from_slice(&output.stdout).expect("the feed is JSON")
}

#[test]
fn the_schema_copy_says_what_the_checks_assume() {
    assert!(SCHEMA.contains("commit 5f737eafe56bc6847811eb6aea55b3844b785481"));
    assert!(SCHEMA.contains("`info.version: '1.2.0'`"));
    let time_pattern = "pattern: '^(0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$'";
    assert_eq!(SCHEMA.matches(time_pattern).count(), 6, "HH:MM:SS fields");
    let date_pattern = "pattern: '^(20[1-9][0-9])-(0[0-9]|1[0-2])-(0[1-9]|([12][0-9]|3[01]))(T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])?$'";
    assert_eq!(SCHEMA.matches(date_pattern).count(), 4, "closure dates");
    // The coordinate patterns are single-quoted YAML with doubled backslashes (and a stray
    // quote after longitude's), which as written would demand a literal backslash; the FAQ's
    // "6 decimal places, -90 to 90 / -180 to 180, not 0,0" is what is checked instead.
    assert!(SCHEMA.contains("pattern: '[+-]?\\\\d*\\\\.?\\\\d+'\n"));
    assert!(SCHEMA.contains("pattern: '[+-]?\\\\d*\\\\.?\\\\d+'''"));
    for hours in ["StandardHoursOne", "StandardHoursTwo"] {
        let lines = component(hours);
        assert!(lines.contains(
            &"          enum: [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY]"
        ));
        assert!(lines.contains(&"          minItems: 1"), "midDayClosures");
    }
    let access_point = component("AccessPoint");
    assert!(access_point.contains(&"            enum: [PICK_UP, DROP_OFF]"));
    assert!(access_point.contains(&"              minimum: 5"));
    assert!(access_point.contains(&"          maximum: 50"));
    assert_eq!(
        access_point
            .iter()
            .filter(|l| **l == "          minItems: 2")
            .count(),
        2,
        "standardHours and exceptionalClosures"
    );
}

#[test]
fn the_store_feed_follows_the_published_schema_and_rules() {
    let body = store_feed();
    let access_point = component("AccessPoint");

    // FeedsRequest: {"accessPoints": [AccessPoint]}.
    let feeds_request = component("FeedsRequest");
    assert!(feeds_request.contains(&"        accessPoints: "));
    let keys: Vec<&String> = body
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys, ["accessPoints"]);
    let points = body["accessPoints"].as_array().expect("an array");
    assert_eq!(points.len(), 1);
    let point = &points[0];

    // Only the schema's properties, every required one, none null or empty (FAQ: "if they
    // are being provided, they can't be null or empty").
    let properties: HashSet<String> = access_point
        .iter()
        .filter_map(|line| line.strip_prefix("        "))
        .filter(|rest| !rest.starts_with(' ') && rest.ends_with(':'))
        .map(|rest| rest.trim_end_matches(':').to_owned())
        .collect();
    let fields = point.as_object().expect("an object");
    for (key, value) in fields {
        assert!(properties.contains(key), "{key} is not in the schema");
        assert!(
            !value.is_null() && value != "" && value != &Value::Array(Vec::new()),
            "{key}"
        );
    }
    let top = line_of(&access_point, "      required:");
    for required in list_at(&access_point, top - 1, 6, "required") {
        assert!(fields.contains_key(&required), "{required} is required");
    }

    // accessPointId: three capitals, a hyphen, four digits; accessPointName at most 50, with
    // the Amazon Counter prefix.
    let id = point["accessPointId"].as_str().unwrap_or_default();
    assert!(id.len() == 8 && id.as_bytes()[3] == b'-', "{id}");
    let name = point["accessPointName"].as_str().unwrap_or_default();
    assert!(
        name.starts_with("Amazon Counter - ") && name.chars().count() <= 50,
        "{name}"
    );
    assert_eq!(point["isActive"], true);
    assert_eq!(point["timeZone"], "America/Phoenix");
    assert!(
        point["capacity"]["threshold"]
            .as_u64()
            .is_some_and(|t| t >= 5)
    );
    let capabilities = point["capabilities"].as_array().expect("an array");
    assert!(!capabilities.is_empty());
    assert!(
        capabilities
            .iter()
            .all(|c| c == "PICK_UP" || c == "DROP_OFF")
    );

    // address: its required fields, all strings; coordinates as 6-decimal strings.
    let address_line = line_of(&access_point, "        address:");
    let address = point["address"].as_object().expect("an object");
    for required in list_at(&access_point, address_line, 10, "required") {
        assert!(
            address.contains_key(&required),
            "address.{required} is required"
        );
    }
    assert!(
        address
            .values()
            .all(|value| value.as_str().is_some_and(|s| !s.is_empty()))
    );
    let latitude = address["latitude"].as_str().unwrap_or_default();
    let longitude = address["longitude"].as_str().unwrap_or_default();
    assert!(is_six_decimal_coordinate(latitude, 90.0), "{latitude}");
    assert!(is_six_decimal_coordinate(longitude, 180.0), "{longitude}");
    assert_eq!((latitude, longitude), ("33.448400", "-112.074000"));

    // standardHours: at least 2 days, each day once, HH:MM:SS, opening before closing,
    // mid-day closures (if any: minItems 1) in order and inside the day's hours.
    let hours = point["standardHours"].as_array().expect("an array");
    assert!(hours.len() >= 2);
    let mut days = HashSet::new();
    for day in hours {
        assert!(
            days.insert(day["day"].as_str().unwrap_or_default()),
            "{day}"
        );
        let opening = day["openingTime"].as_str().unwrap_or_default();
        let closing = day["closingTime"].as_str().unwrap_or_default();
        assert!(is_clock_time(opening) && is_clock_time(closing), "{day}");
        assert!(opening < closing, "{day}");
        if let Some(breaks) = day.get("midDayClosures") {
            let breaks = breaks.as_array().expect("an array");
            assert!(!breaks.is_empty(), "{day}");
            let mut after = opening;
            for pause in breaks {
                let start = pause["startTime"].as_str().unwrap_or_default();
                let end = pause["endTime"].as_str().unwrap_or_default();
                assert!(is_clock_time(start) && is_clock_time(end), "{day}");
                assert!(after < start && start < end && end < closing, "{day}");
                after = end;
            }
        }
    }
    assert_eq!(days.len(), 7, "the shipped store opens every day");

    // exceptionalClosures: future only (not today), start before end, no overlaps, at most
    // 30: the five shipped holidays (moved on), the overlapping one merged into Christmas.
    let closures = point["exceptionalClosures"].as_array().expect("an array");
    assert!(closures.len() >= 2 && closures.len() <= 30);
    let today = Utc::now()
        .with_timezone(&chrono_tz::America::Phoenix)
        .date_naive()
        .to_string();
    let mut previous_end = String::new();
    for closure in closures {
        let start = closure["startDateTime"].as_str().unwrap_or_default();
        let end = closure["endDateTime"].as_str().unwrap_or_default();
        assert!(is_feed_date(start) && is_feed_date(end), "{closure}");
        assert!(start < end, "{closure}");
        assert!(
            start[..10] > *today.as_str(),
            "{closure} is not in the future"
        );
        assert!(
            start > previous_end.as_str(),
            "{closure} overlaps the one before"
        );
        previous_end = end.to_owned();
    }
    let christmas: Vec<&Value> = closures
        .iter()
        .filter(|c| {
            c["startDateTime"]
                .as_str()
                .is_some_and(|s| s.starts_with("2096-12"))
        })
        .collect();
    assert_eq!(
        christmas,
        [&serde_json::json!({
            "startDateTime": "2096-12-24T00:00:00",
            "endDateTime": "2096-12-26T23:59:59"
        })]
    );
    assert_eq!(closures.len(), 5);
}
