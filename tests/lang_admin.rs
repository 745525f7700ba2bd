//! Languages at the edges: kiosk.toml refuses a language the kiosk does not speak, and the
//! admin command line (in English) enrols a staff member with a language and changes it,
//! without a word of it entering the ledger (the chain still verifies).

mod common;

use common::*;
use handoff_kiosk::config::DEFAULT_CONFIG_TEXT;

fn run(config: &std::path::Path, args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let output = kiosk_command(config, args, stdin);
    (
        output.status.code().unwrap_or(-1),
        text(&output.stdout),
        text(&output.stderr),
    )
}

#[test]
fn a_counter_language_the_kiosk_does_not_speak_is_refused_with_its_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(DEFAULT_CONFIG_TEXT.matches("language = \"en\"").count(), 1);
    let text = DEFAULT_CONFIG_TEXT.replacen("language = \"en\"", "language = \"fr\"", 1);
    let config = write_config(dir.path(), &text);
    let line = text[..text.find("language = \"fr\"").unwrap()]
        .matches('\n')
        .count()
        + 1;
    for command in [&["config", "check"][..], &["init"][..]] {
        let (code, _, err) = run(&config, command, None);
        assert_eq!(code, 2, "{command:?}: {err}");
        assert!(err.contains("key `counter.language`"), "{err}");
        assert!(
            err.contains("\"fr\" is not a language the kiosk speaks: use \"en\" or \"es\""),
            "{err}"
        );
        assert!(
            err.contains(&format!("{}:{line}:", config.display())),
            "line {line}: {err}"
        );
        assert!(!dir.path().join("data").exists(), "nothing is created");
    }
}

#[test]
fn staff_get_a_language_from_the_command_line_and_the_ledger_still_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), DEFAULT_CONFIG_TEXT);
    let (code, _, err) = run(&config, &["init"], None);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(
        &config,
        &[
            "staff", "add", "--name", "Ana", "--role", "manager", "--lang", "es",
        ],
        Some("480915\n"),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("added staff 1: Ana (manager, es)"), "{out}");
    let (code, out, _) = run(
        &config,
        &["staff", "add", "--name", "Bo", "--role", "clerk"],
        Some("739162\n"),
    );
    assert_eq!(code, 0);
    assert!(out.contains("added staff 2: Bo (clerk)"), "{out}");

    let (_, out, _) = run(&config, &["staff", "list"], None);
    let line_of = |name: &str| {
        out.lines()
            .find(|line| line.contains(name))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        out.lines().next().unwrap_or_default().contains("language"),
        "{out}"
    );
    assert!(
        line_of("Ana").contains(" es ") && line_of("Ana").ends_with("active"),
        "{out}"
    );
    assert!(line_of("Bo").contains("counter"), "{out}");

    let (code, out, err) = run(&config, &["staff", "set-lang", "2", "es"], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("staff 2: language es"), "{out}");
    let (_, out, _) = run(&config, &["staff", "list"], None);
    assert!(
        out.lines()
            .any(|line| line.contains("Bo") && line.contains(" es ")),
        "{out}"
    );

    let (code, _, err) = run(&config, &["staff", "set-lang", "2", "fr"], None);
    assert_ne!(code, 0);
    assert!(err.contains("not a language the kiosk speaks"), "{err}");
    let (code, _, err) = run(&config, &["staff", "set-lang", "9", "en"], None);
    assert_ne!(code, 0);
    assert!(err.contains("no staff member 9"), "{err}");

    // A language is not a custody fact: the chain verifies, and no event mentions it.
    let (code, out, err) = run(&config, &["verify"], None);
    assert_eq!(code, 0, "{out}{err}");
    let conn = rusqlite::Connection::open(dir.path().join("data/ledger.sqlite3")).unwrap();
    let mentions: i64 = conn
        .query_row(
            "SELECT count(*) FROM events WHERE facts_json LIKE '%lang%' OR note LIKE '%es)%'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(mentions, 0);
}

/// A ledger made before staff had a language upgrades in place: its staff have none (they hear
/// the counter's), and the events written before still verify.
#[test]
fn a_ledger_from_before_staff_languages_upgrades_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), DEFAULT_CONFIG_TEXT);
    assert_eq!(run(&config, &["init"], None).0, 0);
    let (code, _, err) = run(
        &config,
        &["staff", "add", "--name", "Ana", "--role", "manager"],
        Some("480915\n"),
    );
    assert_eq!(code, 0, "{err}");
    let ledger = dir.path().join("data/ledger.sqlite3");
    {
        // Back to the version before the language column, as an older kiosk left it.
        let conn = rusqlite::Connection::open(&ledger).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .unwrap();
        conn.execute_batch(&format!(
            "ALTER TABLE staff DROP COLUMN lang; PRAGMA user_version = {};",
            version - 1
        ))
        .unwrap();
    }
    let (code, out, err) = run(&config, &["staff", "list"], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.lines()
            .any(|line| line.contains("Ana") && line.contains("counter")),
        "{out}"
    );
    let (code, out, err) = run(&config, &["verify"], None);
    assert_eq!(code, 0, "{out}{err}");
}
