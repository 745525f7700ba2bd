//! Every kind of bad kiosk.toml gets a message naming the file, the key and the line, exit 2,
//! and nothing is created.

mod common;

use common::*;
use handoff_kiosk::config::DEFAULT_CONFIG_TEXT;

struct Case {
    /// Text in the default config to replace (must occur once).
    find: &'static str,
    replace: &'static str,
    /// The key the error must name, or "" for a syntax error.
    key: &'static str,
    /// A fragment of the message.
    says: &'static str,
}

const CASES: &[Case] = &[
    Case {
        find: "capacity = 20",
        replace: "capacity = 20\ncolour = \"red\"",
        key: "store.colour",
        says: "is not a key this file knows",
    },
    Case {
        find: "[handshake]",
        replace: "[extras]\nx = 1\n[handshake]",
        key: "extras",
        says: "is not a key this file knows",
    },
    Case {
        find: "capacity = 20",
        replace: "capacity = \"twenty\"",
        key: "store.capacity",
        says: "should be a whole number, not the text \"twenty\"",
    },
    Case {
        find: "capacity = 20",
        replace: "capacity = 2",
        key: "store.capacity",
        says: "2 is out of range: use 5 to",
    },
    Case {
        find: "id = \"RVM-0045\"",
        replace: "id = \"RVM45\"",
        key: "store.id",
        says: "three capital letters",
    },
    Case {
        find: "id = \"RVM-0045\"",
        replace: "# no id",
        key: "store.id",
        says: "is missing (this key is required",
    },
    Case {
        find: "name = \"Riverside Mall Parcel Point\"",
        replace: "name = \"Riverside Mall Parcel Point and General Store of Greater Phoenix\"",
        key: "store.name",
        says: "at most 50",
    },
    Case {
        find: "time_zone = \"America/Phoenix\"",
        replace: "time_zone = \"Mars/Olympus\"",
        key: "store.time_zone",
        says: "IANA time zone",
    },
    Case {
        find: "capabilities = [\"PICK_UP\", \"DROP_OFF\"]",
        replace: "capabilities = [\"PICK_UP\", \"TELEPORT\"]",
        key: "store.capabilities",
        says: "\"TELEPORT\" is not a capability",
    },
    Case {
        find: "capabilities = [\"PICK_UP\", \"DROP_OFF\"]",
        replace: "capabilities = [\"PICK_UP\", \"LOCAL_DELIVERY\"]",
        key: "store.service_area",
        says: "LOCAL_DELIVERY needs",
    },
    Case {
        find: "country_code = \"US\"",
        replace: "country_code = \"USA\"",
        key: "store.address.country_code",
        says: "two-letter",
    },
    Case {
        find: "latitude = 33.4484",
        replace: "latitude = 133.4484",
        key: "store.address.latitude",
        says: "between -90 and 90",
    },
    Case {
        find: "monday = [\"09:00-19:00\"]",
        replace: "monday = [\"9 to 5\"]",
        key: "hours.monday",
        says: "not an interval",
    },
    Case {
        find: "monday = [\"09:00-19:00\"]",
        replace: "monday = [\"19:00-09:00\"]",
        key: "hours.monday",
        says: "opening before closing",
    },
    Case {
        find: "saturday = [\"10:00-13:00\", \"13:30-18:00\"]",
        replace: "saturday = [\"10:00-14:00\", \"13:30-18:00\"]",
        key: "hours.saturday",
        says: "must not overlap",
    },
    Case {
        find: "from = \"2026-12-25\"\nto = \"2026-12-25\"",
        replace: "from = \"2026-12-25\"\nto = \"2026-12-24\"",
        key: "hours.closures[1].to",
        says: "ends before it starts",
    },
    Case {
        find: "from = \"2027-01-01\"",
        replace: "from = \"first of January\"",
        key: "hours.closures[2].from",
        says: "not a date",
    },
    Case {
        find: "pickup_days = 14",
        replace: "pickup_days = 0",
        key: "holds.pickup_days",
        says: "out of range",
    },
    Case {
        find: "argon2_memory_kib = 65536",
        replace: "argon2_memory_kib = 4096",
        key: "security.argon2_memory_kib",
        says: "4096 is out of range: use 19456",
    },
    Case {
        find: "argon2_iterations = 3",
        replace: "argon2_iterations = 1",
        key: "security.argon2_iterations",
        says: "use 2 to",
    },
    Case {
        find: "pin_min_length = 6",
        replace: "pin_min_length = 4",
        key: "security.pin_min_length",
        says: "use 6 to 12",
    },
    Case {
        find: "failures_before_disable = 10",
        replace: "failures_before_disable = 5",
        key: "security.failures_before_disable",
        says: "greater than failures_before_wait",
    },
    Case {
        find: "kiosk_mode = true",
        replace: "kiosk_mode = \"yes\"",
        key: "security.kiosk_mode",
        says: "should be true or false, not the text \"yes\"",
    },
    Case {
        find: "token_seconds = 120",
        replace: "token_seconds = 5",
        key: "handshake.token_seconds",
        says: "use 30 to 600",
    },
    Case {
        find: "path = \"data/ledger.sqlite3\"",
        replace: "path = \"\"",
        key: "ledger.path",
        says: "cannot be empty",
    },
    Case {
        find: "leave_by = \"16:30\"",
        replace: "leave_by = \"half past four\"",
        key: "orders.leave_by",
        says: "not a time",
    },
    Case {
        find: "[holds]",
        replace: "[holds\n",
        key: "",
        says: "not valid TOML",
    },
    Case {
        find: "accept = [\"ups\", \"usps\"",
        replace: "accept = [\"ups\", \"royalmail\"",
        key: "carriers.accept",
        says: "\"royalmail\" is not a carrier",
    },
    Case {
        find: "[carriers.hold.dpd]",
        replace: "[carriers.hold.gls]",
        key: "carriers.hold.gls",
        says: "\"gls\" is not a carrier",
    },
    Case {
        find: "[carriers.hold.amazon]\ndays = 14",
        replace: "[carriers.hold.amazon]\ndays = 400",
        key: "carriers.hold.amazon.days",
        says: "400 is out of range: use 1 to 90",
    },
    Case {
        find: "[carriers.hold.ups]",
        replace: "[carriers.hold.ups]\nweeks = 1",
        key: "carriers.hold.ups.weeks",
        says: "is not a key this file knows",
    },
    Case {
        find: "email = \"\"",
        replace: "email = \"store@example.com\"",
        key: "store_feed.phone",
        says: "give both or neither",
    },
];

#[test]
fn each_bad_config_names_key_and_line_exits_2_and_creates_nothing() {
    for case in CASES {
        assert_eq!(
            DEFAULT_CONFIG_TEXT.matches(case.find).count(),
            1,
            "ambiguous case {:?}",
            case.find
        );
        let text = DEFAULT_CONFIG_TEXT.replacen(case.find, case.replace, 1);
        let dir = tempfile::tempdir().unwrap();
        let config = write_config(dir.path(), &text);
        for command in [&["config", "check"][..], &["init"][..]] {
            let output = kiosk_command(&config, command, None);
            let stderr = text_of(&output.stderr);
            assert_eq!(
                output.status.code(),
                Some(2),
                "{:?} {command:?}: {stderr}",
                case.find
            );
            let location = format!("{}:", config.display());
            assert!(
                stderr.contains(&location),
                "{:?}: no file in {stderr}",
                case.find
            );
            assert!(
                stderr.contains(case.says),
                "{:?}: {stderr} lacks {:?}",
                case.find,
                case.says
            );
            if !case.key.is_empty() {
                assert!(
                    stderr.contains(&format!("key `{}`", case.key)),
                    "{:?}: {stderr} lacks key {}",
                    case.find,
                    case.key
                );
            }
            // The line named is the line where the change was made (or, for a missing key, the
            // table it is missing from).
            let needle = if case.key == "store.service_area" {
                "service_area = []"
            } else {
                case.replace
            };
            let changed_line = text[..text.find(needle).unwrap()].matches('\n').count() + 1;
            let after = stderr.find(&location).unwrap() + location.len();
            let named_line: usize = stderr[after..]
                .split(':')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{:?}: no line number in {stderr}", case.find));
            let tolerance = if case.says.starts_with("is missing") {
                12
            } else {
                1
            };
            assert!(
                named_line.abs_diff(changed_line) <= tolerance,
                "{:?}: named line {named_line}, changed line {changed_line}: {stderr}",
                case.find
            );
            assert!(
                !dir.path().join("data").exists(),
                "{:?}: something was created",
                case.find
            );
        }
    }
}

#[test]
fn a_missing_config_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let output = kiosk_command(&dir.path().join("nope.toml"), &["verify"], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(text_of(&output.stderr).contains("nope.toml: cannot read the file"));
}

#[test]
fn config_default_prints_the_shipped_file_and_it_checks() {
    let dir = tempfile::tempdir().unwrap();
    let output = kiosk_command(
        &dir.path().join("unused.toml"),
        &["config", "default"],
        None,
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(text_of(&output.stdout), DEFAULT_CONFIG_TEXT);
    let config = write_config(dir.path(), &text_of(&output.stdout));
    let check = kiosk_command(&config, &["config", "check"], None);
    assert_eq!(check.status.code(), Some(0), "{}", text_of(&check.stderr));
    assert!(text_of(&check.stdout).contains("RVM-0045"));
}

fn text_of(bytes: &[u8]) -> String {
    text(bytes)
}

/// Applies each (find, replace) once to the shipped file.
fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = DEFAULT_CONFIG_TEXT.to_owned();
    for (find, replace) in edits {
        assert_eq!(text.matches(find).count(), 1, "ambiguous edit {find:?}");
        text = text.replacen(find, replace, 1);
    }
    text
}

/// The line of the first occurrence of `needle` in `text`, counting from 1.
fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

#[test]
fn every_problem_is_shown_at_once_in_file_order_at_start_and_in_config_check() {
    let text = edited(&[
        ("capacity = 20", "capacity = \"twenty\"\ncolour = \"red\""),
        ("country_code = \"US\"", "country_code = \"USA\""),
        ("monday = [\"09:00-19:00\"]", "monday = [\"9 to 5\"]"),
        ("pin_min_length = 6", "pin_min_length = 4"),
        ("kiosk_mode = true", "kiosk_mode = \"yes\""),
        ("token_seconds = 120", "token_seconds = 5"),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &text);
    let expected = [
        (
            "store.capacity",
            "capacity = \"twenty\"",
            "should be a whole number",
        ),
        (
            "store.colour",
            "colour = \"red\"",
            "is not a key this file knows",
        ),
        (
            "store.address.country_code",
            "country_code = \"USA\"",
            "two-letter",
        ),
        ("hours.monday", "monday = [\"9 to 5\"]", "not an interval"),
        (
            "security.pin_min_length",
            "pin_min_length = 4",
            "use 6 to 12",
        ),
        (
            "security.kiosk_mode",
            "kiosk_mode = \"yes\"",
            "should be true or false",
        ),
        (
            "handshake.token_seconds",
            "token_seconds = 5",
            "use 30 to 600",
        ),
    ];
    // No subcommand is the counter itself: it refuses before touching the terminal.
    for command in [&["config", "check"][..], &[][..], &["init"][..]] {
        let output = kiosk_command(&config, command, None);
        let stderr = text_of(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(
            stderr.contains(&format!("{} problems in the configuration", expected.len())),
            "{command:?}: {stderr}"
        );
        let mut last_position = 0;
        for (key, needle, says) in expected {
            let location = format!(
                "{}:{}: key `{key}`: ",
                config.display(),
                line_of(&text, needle)
            );
            let position = stderr
                .find(&location)
                .unwrap_or_else(|| panic!("{command:?}: no {location:?} in {stderr}"));
            assert!(position > last_position, "not in file order: {stderr}");
            last_position = position;
            let line = stderr[position..].lines().next().unwrap();
            assert!(line.contains(says), "{line:?} lacks {says:?}");
        }
        assert_eq!(
            stderr.lines().count(),
            expected.len() + 1,
            "a key stood in for says nothing more: {stderr}"
        );
        assert!(!dir.path().join("data").exists());
    }
}

#[test]
fn wrong_types_are_named_in_plain_words_never_in_rust() {
    let text = edited(&[
        ("name = \"Riverside Mall Parcel Point\"", "name = 45"),
        ("latitude = 33.4484", "latitude = \"north\""),
        (
            "capabilities = [\"PICK_UP\", \"DROP_OFF\"]",
            "capabilities = \"PICK_UP\"",
        ),
        ("pickup_days = 14", "pickup_days = 14.5"),
        ("failures_before_wait = 5", "failures_before_wait = true"),
        ("[handshake]", "[unused]\nx = 1\n[handshake]"),
        ("id = \"RVM-0045\"", "# no id"),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &text);
    let output = kiosk_command(&config, &["config", "check"], None);
    let stderr = text_of(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    for says in [
        "key `store.name`: should be text in quotes, not the whole number 45",
        "key `store.address.latitude`: should be a number, not the text \"north\"",
        "key `store.capabilities`: should be a list in square brackets, not the text \"PICK_UP\"",
        "key `holds.pickup_days`: should be a whole number, not the number 14.5",
        "key `security.failures_before_wait`: should be a whole number, not true",
        "key `store.id`: is missing (this key is required",
        "key `unused`: is not a key this file knows",
    ] {
        assert!(stderr.contains(says), "lacks {says:?}: {stderr}");
    }
    for rust in [
        "i64",
        "f64",
        "expected",
        "invalid type",
        "sequence",
        "struct",
        "Raw",
        "field `",
    ] {
        assert!(!stderr.contains(rust), "Rust wording {rust:?} in {stderr}");
    }
}

#[test]
fn a_syntax_error_is_one_problem_with_its_line() {
    let text = edited(&[
        ("[holds]", "[holds\n"),
        ("capacity = 20", "capacity = \"x\""),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &text);
    let output = kiosk_command(&config, &[], None);
    let stderr = text_of(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let location = format!(
        "{}:{}: not valid TOML",
        config.display(),
        line_of(&text, "[holds")
    );
    assert!(stderr.contains(&location), "{stderr}");
    assert!(
        !stderr.contains("problems in the configuration"),
        "{stderr}"
    );
}
