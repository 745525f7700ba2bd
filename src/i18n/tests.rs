//! The locales are held to each other and to the code: a message missing in one language, a
//! placeholder that differs, an id the code asks for that no file defines, or a file that does
//! not parse fails here, before a clerk sees an id instead of a sentence.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast;

use super::files::FILES;
use super::*;

/// Each message's (and attribute's) placeholders: id -> variable names.
type Catalogue = BTreeMap<String, BTreeSet<String>>;

fn catalogue(lang: Lang) -> Catalogue {
    let mut found = Catalogue::new();
    for file in FILES {
        let resource = match fluent_syntax::parser::parse(file.source(lang)) {
            Ok(resource) => resource,
            Err((_, errors)) => panic!("{lang}/{}.ftl does not parse: {errors:?}", file.name),
        };
        for entry in resource.body {
            if let ast::Entry::Junk { content } = entry {
                panic!("{lang}/{}.ftl has junk: {content}", file.name);
            }
            let ast::Entry::Message(message) = entry else {
                continue;
            };
            let mut variables = BTreeSet::new();
            if let Some(value) = &message.value {
                pattern_variables(value, &mut variables);
            }
            for attribute in &message.attributes {
                pattern_variables(&attribute.value, &mut variables);
            }
            let id = message.id.name.to_owned();
            assert!(
                found.insert(id.clone(), variables).is_none(),
                "{lang}: {id} is defined twice"
            );
        }
    }
    found
}

fn pattern_variables(pattern: &ast::Pattern<&str>, into: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, into);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, into: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, into);
            for variant in variants {
                pattern_variables(&variant.value, into);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, into),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, into: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            into.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, into);
            }
            for argument in &arguments.named {
                inline_variables(&argument.value, into);
            }
        }
        ast::InlineExpression::TermReference {
            arguments: Some(arguments),
            ..
        } => {
            for argument in &arguments.named {
                inline_variables(&argument.value, into);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, into),
        _ => {}
    }
}

#[test]
fn every_locale_has_every_message_with_the_same_placeholders() {
    let english = catalogue(Lang::En);
    assert!(!english.is_empty());
    for lang in Lang::ALL {
        let other = catalogue(lang);
        let missing: Vec<_> = english
            .keys()
            .filter(|id| !other.contains_key(*id))
            .collect();
        let extra: Vec<_> = other
            .keys()
            .filter(|id| !english.contains_key(*id))
            .collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{lang} has messages English lacks: {extra:?}"
        );
        for (id, variables) in &english {
            assert_eq!(
                Some(variables),
                other.get(id),
                "{lang}: {id} has other placeholders than in English"
            );
        }
    }
}

/// A `t!(lang, "id", a = .., b = ..)` found in the source.
#[derive(Debug)]
struct Use {
    file: String,
    id: String,
    arguments: BTreeSet<String>,
}

fn uses_in(path: &Path, into: &mut Vec<Use>) {
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            uses_in(&path, into);
        } else if path.extension().is_some_and(|ext| ext == "rs")
            && !path.ends_with("i18n/tests.rs")
        {
            let source = std::fs::read_to_string(&path).expect("read source");
            // Comments (docs with examples among them) are not calls.
            let source: String = source
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            let file = path.display().to_string();
            into.extend(macro_uses(&source).into_iter().map(|(id, arguments)| Use {
                file: file.clone(),
                id,
                arguments,
            }));
        }
    }
}

/// The ids and argument names of every `t!(` call with a literal id in `source`.
fn macro_uses(source: &str) -> Vec<(String, BTreeSet<String>)> {
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("t!(") {
        let before = rest[..at].chars().last();
        rest = &rest[at + 3..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // e.g. `assert!(`, `print!(`
        }
        // The call's text up to its closing parenthesis (strings may hold parentheses).
        let mut depth = 1;
        let mut in_string = false;
        let mut escaped = false;
        let mut end = rest.len();
        for (index, c) in rest.char_indices() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = index;
                        break;
                    }
                }
                _ => {}
            }
        }
        let call = &rest[..end];
        let Some(id) = call.split('"').nth(1) else {
            continue; // the macro's own definition
        };
        let arguments = top_level_names(call);
        found.push((id.to_owned(), arguments));
    }
    found
}

/// The `name =` at the call's top level (not inside nested calls or strings).
fn top_level_names(call: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut depth = 0;
    let mut in_string = false;
    let mut escaped = false;
    let mut pieces = Vec::new();
    let mut piece = String::new();
    for c in call.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            piece.push(c);
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                pieces.push(std::mem::take(&mut piece));
                continue;
            }
            _ => {}
        }
        piece.push(c);
    }
    pieces.push(piece);
    for piece in pieces {
        if let Some((name, _)) = piece.split_once('=') {
            let name = name.trim();
            if !name.is_empty()
                && name.chars().all(|c| c.is_alphanumeric() || c == '_')
                && !piece.contains("==")
            {
                names.insert(name.to_owned());
            }
        }
    }
    names
}

#[test]
fn every_message_the_code_asks_for_exists_with_the_arguments_it_passes() {
    let english = catalogue(Lang::En);
    let mut uses = Vec::new();
    uses_in(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut uses,
    );
    assert!(
        uses.iter().any(|found| found.id == "date-long"),
        "the scan finds the t! calls"
    );
    for found in uses {
        let Some(variables) = english.get(&found.id) else {
            panic!("{}: no message {}", found.file, found.id);
        };
        assert_eq!(
            variables, &found.arguments,
            "{}: {} is given other arguments than its placeholders",
            found.file, found.id
        );
    }
}

#[test]
fn the_scanner_reads_ids_and_argument_names() {
    let source = r#"let a = t!(lang, "one-id"); let b = crate::t!(
        view.lang, "two-id", count = list.len(), name = format!("a, b = {}", x)); assert!(x);"#;
    let found = macro_uses(source);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].0, "one-id");
    assert!(found[0].1.is_empty());
    assert_eq!(found[1].0, "two-id");
    assert_eq!(
        found[1].1,
        BTreeSet::from(["count".to_owned(), "name".to_owned()])
    );
}

#[test]
fn plurals_follow_each_locale() {
    assert_eq!(t!(Lang::En, "n-parcels", count = 1), "1 parcel");
    assert_eq!(t!(Lang::En, "n-parcels", count = 2), "2 parcels");
    assert_eq!(t!(Lang::En, "n-parcels", count = 0), "0 parcels");
    assert_eq!(t!(Lang::Es, "n-parcels", count = 1), "1 paquete");
    assert_eq!(t!(Lang::Es, "n-parcels", count = 2), "2 paquetes");
}

#[test]
fn no_bidi_marks_reach_the_terminal() {
    let text = t!(Lang::Es, "customer-language", language = Lang::Es.name());
    assert_eq!(text, "Idioma del cliente: Español. F12 lo cambia de nuevo.");
    assert!(!text.contains(['\u{2068}', '\u{2069}']));
}

#[test]
fn dates_read_as_each_language_writes_them() {
    let day = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    assert_eq!(date(Lang::En, day), "Thu 26 Nov 2026");
    assert_eq!(date(Lang::Es, day), "jue 26 nov 2026");
    let first = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
    assert_eq!(date(Lang::En, first), "Tue 01 Dec 2026");
    assert_eq!(date(Lang::Es, first), "mar 01 dic 2026");
}

#[test]
fn a_missing_message_shows_its_id_rather_than_failing() {
    assert_eq!(
        message(Lang::Es, "no-such-message", None),
        "no-such-message"
    );
}

#[test]
fn language_codes_and_locale_names_are_read() {
    assert_eq!(Lang::parse("es"), Some(Lang::Es));
    assert_eq!(Lang::parse("es_MX.UTF-8"), Some(Lang::Es));
    assert_eq!(Lang::parse("en-US"), Some(Lang::En));
    assert_eq!(Lang::parse("fr"), None);
    assert_eq!(Lang::En.next(), Lang::Es);
    assert_eq!(Lang::Es.next(), Lang::En);
}
