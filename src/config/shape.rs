//! Reading the file's shape (keys and types) so that every problem is found in one go, each
//! said in plain words ("a whole number", "true or false", "text in quotes").
//!
//! serde stops at the first problem. To find the rest, the offending key is taken out (an
//! unknown key) or stood in for by a harmless value of the type that fits (a wrong type or a
//! missing key), and the file is read again. Which stand-in fits also says, in words, what the
//! key takes, so no Rust type name ("i64", "struct RawStore") ever reaches the manager.

use std::path::Path;

use serde_path_to_error::Segment;
use toml::Value;

use super::raw::RawConfig;
use super::{ConfigError, key_line, line_at};

/// Enough for any real file; a bound so that a pathological one cannot loop for long.
const MOST_PROBLEMS: usize = 64;

/// The raw file (with stand-ins where it was wrong), the shape problems found, and the keys
/// that were stood in for (the checks that follow say nothing more about them).
pub(super) struct Shape {
    pub(super) raw: RawConfig,
    pub(super) problems: Vec<ConfigError>,
    pub(super) stood_in: Vec<String>,
}

/// Reads the text; a TOML syntax error is the only problem then (the parser cannot go on).
pub(super) fn read(text: &str, file: &Path) -> Result<Shape, Vec<ConfigError>> {
    let mut document: toml::Table = toml::from_str(text).map_err(|error| {
        vec![ConfigError {
            file: file.to_path_buf(),
            line: error.span().map(|span| line_at(text, span.start)),
            key: None,
            message: format!("not valid TOML: {}", plain_syntax(error.message())),
        }]
    })?;
    let mut problems = Vec::new();
    let mut stood_in: Vec<String> = Vec::new();
    // A missing key has no line of its own: then the line of its table.
    let problem = |key: &str, message: String| ConfigError {
        file: file.to_path_buf(),
        line: key_line(text, key).or_else(|| {
            key.rsplit_once('.')
                .and_then(|(table, _)| key_line(text, table))
        }),
        key: Some(key.to_owned()),
        message,
    };
    for _ in 0..MOST_PROBLEMS {
        let error = match attempt(&document) {
            Ok(raw) => {
                return Ok(Shape {
                    raw,
                    problems,
                    stood_in,
                });
            }
            Err(error) => error,
        };
        // A problem inside a key already stood in for is part of that one problem.
        let mut report = |stood_in: &[String], key: &str, message: String| {
            if !stood_in.iter().any(|done| is_within(key, done)) {
                problems.push(problem(key, message));
            }
        };
        match error.kind {
            Kind::Unknown { name, known } => {
                // The path names the unknown key itself, or (in some tables) only its table.
                let mut table = error.at.clone();
                if matches!(table.last(), Some(Segment::Map { key }) if *key == name) {
                    table.pop();
                }
                let key = join(&table, &name);
                report(&stood_in, &key, unknown_key(&known));
                let removed = table_at(&mut document, &table)
                    .and_then(|table| table.remove(&name))
                    .is_some();
                if !removed {
                    return Err(problems);
                }
            }
            Kind::Missing { name } => {
                let key = join(&error.at, &name);
                let mut at = error.at.clone();
                at.push(Segment::Map { key: name });
                report(
                    &stood_in,
                    &key,
                    "is missing (this key is required; see `kiosk config default`)".into(),
                );
                if stand_in(&mut document, &at).is_none() {
                    return Err(problems);
                }
                stood_in.push(key);
            }
            Kind::Wrong => {
                let key = dotted(&error.at);
                let found = value_at(&mut document, &error.at).map(|value| describe(value));
                match stand_in(&mut document, &error.at) {
                    Some(wanted) => {
                        let found = found.unwrap_or_else(|| "something else".into());
                        report(&stood_in, &key, format!("should be {wanted}, not {found}"));
                        stood_in.push(key);
                    }
                    None => {
                        report(&stood_in, &key, "has a value of the wrong kind".into());
                        return Err(problems);
                    }
                }
            }
        }
    }
    Err(problems)
}

enum Kind {
    Unknown { name: String, known: Vec<String> },
    Missing { name: String },
    Wrong,
}

struct ShapeError {
    at: Vec<Segment>,
    kind: Kind,
}

fn attempt(document: &toml::Table) -> Result<RawConfig, ShapeError> {
    serde_path_to_error::deserialize(Value::Table(document.clone())).map_err(|error| {
        let at: Vec<Segment> = error.path().iter().cloned().collect();
        let message = error.into_inner().message().trim().to_owned();
        let quoted = |prefix: &str| {
            message
                .strip_prefix(prefix)
                .and_then(|rest| rest.split('`').next())
                .map(str::to_owned)
        };
        let kind = if let Some(name) = quoted("unknown field `") {
            let known = message
                .split_once("expected")
                .map(|(_, rest)| {
                    rest.split('`')
                        .skip(1)
                        .step_by(2)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            Kind::Unknown { name, known }
        } else if let Some(name) = quoted("missing field `") {
            Kind::Missing { name }
        } else {
            Kind::Wrong
        };
        ShapeError { at, kind }
    })
}

/// Puts at `at` the first stand-in the file accepts there; returns what that kind is called.
fn stand_in(document: &mut toml::Table, at: &[Segment]) -> Option<&'static str> {
    // Float before integer: a number key takes both, a whole-number key only the integer.
    let candidates: [(Value, &str); 6] = [
        (Value::Float(0.0), "a number"),
        (Value::Integer(0), "a whole number"),
        (Value::Boolean(false), "true or false"),
        (Value::String(String::new()), "text in quotes"),
        (Value::Array(Vec::new()), "a list in square brackets"),
        (Value::Table(toml::Table::new()), "a table of keys"),
    ];
    let original = value_at(document, at).cloned();
    for (candidate, words) in candidates {
        put(document, at, candidate)?;
        match attempt(document) {
            Ok(_) => return Some(words),
            Err(next) if !same_place(&next.at, at) => return Some(words),
            // A table that fits but lacks keys is the right kind; its own keys come next.
            Err(ShapeError {
                kind: Kind::Missing { .. },
                ..
            }) => return Some(words),
            Err(_) => {}
        }
    }
    if let Some(original) = original {
        put(document, at, original);
    }
    None
}

fn same_place(a: &[Segment], b: &[Segment]) -> bool {
    dotted(a) == dotted(b)
}

fn put(document: &mut toml::Table, at: &[Segment], value: Value) -> Option<()> {
    let (last, parent) = at.split_last()?;
    match last {
        Segment::Map { key } => {
            table_at(document, parent)?.insert(key.clone(), value);
        }
        Segment::Seq { index } => {
            let Value::Array(items) = value_at(document, parent)? else {
                return None;
            };
            *items.get_mut(*index)? = value;
        }
        _ => return None,
    }
    Some(())
}

fn table_at<'a>(document: &'a mut toml::Table, at: &[Segment]) -> Option<&'a mut toml::Table> {
    if at.is_empty() {
        return Some(document);
    }
    match value_at(document, at)? {
        Value::Table(table) => Some(table),
        _ => None,
    }
}

fn value_at<'a>(document: &'a mut toml::Table, at: &[Segment]) -> Option<&'a mut Value> {
    let (first, rest) = at.split_first()?;
    let Segment::Map { key } = first else {
        return None;
    };
    let mut value = document.get_mut(key)?;
    for segment in rest {
        value = match (segment, value) {
            (Segment::Map { key }, Value::Table(table)) => table.get_mut(key)?,
            (Segment::Seq { index }, Value::Array(items)) => items.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(value)
}

/// `store.address.city`, `hours.closures[2].from`: the form [`key_line`] reads.
fn dotted(at: &[Segment]) -> String {
    let mut text = String::new();
    for segment in at {
        match segment {
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(key);
            }
            Segment::Seq { index } => text.push_str(&format!("[{index}]")),
            Segment::Unknown => {}
        }
    }
    text
}

fn join(at: &[Segment], name: &str) -> String {
    let parent = dotted(at);
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

/// Whether `key` is `outer` itself or lies inside it.
pub(super) fn is_within(key: &str, outer: &str) -> bool {
    key == outer
        || key
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// What a value in the file is, in words.
fn describe(value: &Value) -> String {
    match value {
        Value::String(text) => format!("the text {text:?}"),
        Value::Integer(number) => format!("the whole number {number}"),
        Value::Float(number) => format!("the number {number}"),
        Value::Boolean(flag) => format!("{flag}"),
        Value::Datetime(datetime) => format!("the date or time {datetime}"),
        Value::Array(_) => "a list".into(),
        Value::Table(_) => "a table".into(),
    }
}

fn unknown_key(known: &[String]) -> String {
    if known.is_empty() {
        "is not a key this file knows (check the spelling)".into()
    } else {
        format!(
            "is not a key this file knows (check the spelling; here it takes {})",
            known.join(", ")
        )
    }
}

/// The toml parser's own words, minus anything that reads like the parser's internals.
fn plain_syntax(message: &str) -> String {
    message.trim().replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_means_the_key_or_below_it() {
        assert!(is_within("store.capacity", "store.capacity"));
        assert!(is_within("store.address.city", "store.address"));
        assert!(is_within("store.capabilities[0]", "store.capabilities"));
        assert!(!is_within("store.capacity_x", "store.capacity"));
    }
}
