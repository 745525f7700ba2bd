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

// The guard: words a person reads come from the message files, never from a string literal
// in the code. It scans the folders listed in GUARDED_ROOTS; widen it by adding a root.

/// Where no English sentence may be written in the code (folders, or single files).
const GUARDED_ROOTS: &[&str] = &[
    "src/tui/flows",
    "src/tui/widgets",
    "src/tui/text.rs",
    "src/tui/reasons.rs",
    "src/tui/app",
    "src/tui/screens",
    "src/tui/worker",
    "src/slips",
    "src/print",
    "src/report_text.rs",
];

/// Files under a guarded root that are held to it elsewhere (none, for now, beyond these).
const GUARD_SKIPS: &[&str] = &[
    // The printer's kiosk.toml setting: read by the config check at start-up, whose errors are
    // English like every other kiosk.toml error (README, "Languages").
    "src/print/settings.rs",
];

/// String literals that are English on purpose: the canonical words the ledger keeps (hashed
/// into the chain, the same whatever language the counter speaks; the screens translate them
/// by their keys).
const ALLOWED_LITERALS: &[&str] = &[
    // Event details and references recorded by the flows.
    "not found on the shelf at pickup",
    "refused by the customer at the counter",
    "not found for the driver pickup",
    "the customer",
    "found damaged in store",
    "shop order",
    "leave by {local}",
    "brought back",
    // local_delivery::DELIVERY_NOTES, damaged::DAMAGE, drop_off::REFUSAL_REASONS.
    "handed to the recipient",
    "left with a neighbour",
    "left in a safe place",
    "torn open",
    "contents broken",
    "over the size limit",
    "over the weight limit",
    "prohibited item",
    // The slips' names in the reprint log (tui/app/printing.rs `slip_name`): recorded.
    "pickup notice",
    "driver manifest",
    "run sheet",
    "day report",
    // `DeskAct::describe`: the act in English for the logs and for telling two acts apart;
    // the manager reads `describe_in` (desk.ftl).
    "set the language of staff {id} to {lang}",
    "set a new PIN for staff {id}",
    "disable staff {id}",
    "clear the lockout of staff {id}",
    "correct event {seq} of {tracking_id}",
    "quit the kiosk",
    // The store's derived-table problem, cut at this phrase to fit the status line
    // (tui/worker): matched, not shown.
    ": the table says",
    // The store's words for a token's direction (store/tokens.rs), matched to say them.
    "delivery to the store",
    "pickup from the store",
];

/// Spans of `source` the guard does not look into, each starting at one of these and ending
/// where its brackets close: English for logs and the command line (`#[error(..)]`, tracing
/// calls, `Display`/`Debug` impls) and message ids (`t!(..)`).
const UNGUARDED_STARTS: &[&str] = &[
    "#[error(",
    "tracing::",
    "impl fmt::Display for",
    "impl std::fmt::Display for",
    "impl fmt::Debug for",
    "t!(",
];

/// Every string literal of `source` (its text between the quotes, escapes kept) with the byte
/// offset of its opening quote. Comments and char literals are skipped.
fn string_literals(source: &str) -> Vec<(usize, String)> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'/' if bytes.get(at + 1) == Some(&b'/') => {
                while at < bytes.len() && bytes[at] != b'\n' {
                    at += 1;
                }
            }
            b'\'' => {
                // A char literal ('x', '\n', '"') or a lifetime ('a): skip either.
                let rest = &source[at + 1..];
                let end = if rest.starts_with('\\') {
                    rest[2..].find('\'').map(|i| i + 3)
                } else {
                    let mut chars = rest.char_indices();
                    chars.next();
                    chars.next().filter(|(_, c)| *c == '\'').map(|(i, _)| i + 1)
                };
                at += 1 + end.unwrap_or(0);
            }
            b'r' if matches!(bytes.get(at + 1), Some(b'"' | b'#'))
                && (at == 0 || !bytes[at - 1].is_ascii_alphanumeric()) =>
            {
                let hashes = source[at + 1..].chars().take_while(|c| *c == '#').count();
                let open = at + 1 + hashes;
                if bytes.get(open) != Some(&b'"') {
                    at += 1;
                    continue;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let end = source[open + 1..]
                    .find(&close)
                    .map_or(source.len(), |i| open + 1 + i);
                found.push((at, source[open + 1..end].to_owned()));
                at = end + close.len();
            }
            b'"' => {
                let mut end = at + 1;
                while end < bytes.len() && bytes[end] != b'"' {
                    end += if bytes[end] == b'\\' { 2 } else { 1 };
                }
                found.push((at, source[at + 1..end.min(source.len())].to_owned()));
                at = end + 1;
            }
            _ => at += 1,
        }
    }
    found
}

/// The byte ranges of the spans in [`UNGUARDED_STARTS`]: from the start to where the first
/// bracket after it closes (strings may hold brackets).
fn unguarded_spans(source: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    for start in UNGUARDED_STARTS {
        for (at, _) in source.match_indices(start) {
            let before = source[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // `format!(` is not `t!(`
            }
            let mut depth = 0;
            let mut in_string = false;
            let mut escaped = false;
            let mut end = source.len();
            for (index, c) in source[at..].char_indices() {
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
                            end = at + index;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            spans.push((at, end));
        }
    }
    spans
}

/// Whether `text` holds two English words in a row ("Nothing was", "the badge"): a word of two
/// or more letters, one space, and a lower-case word of two or more letters.
fn reads_as_english(text: &str) -> bool {
    let words: Vec<&str> = text.split(' ').collect();
    words.windows(2).any(|pair| {
        let first = pair[0].trim_start_matches(|c: char| !c.is_ascii_alphabetic());
        let second = pair[1];
        let mut first_chars = first.chars();
        let first_is_word = first_chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && first.len() >= 2
            && first_chars.all(|c| c.is_ascii_lowercase());
        let second_is_word =
            second.len() >= 2 && second.chars().take(2).all(|c| c.is_ascii_lowercase());
        first_is_word && second_is_word
    })
}

/// The English sentences written as literals in one file: (line, literal).
fn english_literals(source: &str) -> Vec<(usize, String)> {
    // A test module (at the end of a file) may say what it likes.
    let source = match source.find("#[cfg(test)]") {
        Some(at) => &source[..at],
        None => source,
    };
    let spans = unguarded_spans(source);
    string_literals(source)
        .into_iter()
        .filter(|(at, _)| !spans.iter().any(|(from, to)| from <= at && at <= to))
        .filter(|(_, text)| reads_as_english(text))
        .filter(|(_, text)| !ALLOWED_LITERALS.contains(&text.as_str()))
        .map(|(at, text)| (source[..at].lines().count().max(1), text))
        .collect()
}

fn rust_files(path: &Path, into: &mut Vec<std::path::PathBuf>) {
    if path.is_file() {
        into.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, into);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            into.push(path);
        }
    }
}

#[test]
fn no_english_sentence_is_written_in_the_guarded_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for guarded in GUARDED_ROOTS {
        rust_files(&root.join(guarded), &mut files);
    }
    assert!(files.len() > 5, "the guard finds the files");
    let mut found = Vec::new();
    for file in files {
        let relative = file.strip_prefix(root).unwrap_or(&file);
        if GUARD_SKIPS.iter().any(|skip| relative == Path::new(skip)) {
            continue;
        }
        let source = std::fs::read_to_string(&file).expect("read source");
        for (line, text) in english_literals(&source) {
            found.push(format!("{}:{line}: \"{text}\"", relative.display()));
        }
    }
    assert!(
        found.is_empty(),
        "English written in the code instead of a message file (assets/locales/*/*.ftl):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_guard_finds_english_and_leaves_ids_logs_and_tests_alone() {
    let source = r#"
        const WORDS: &str = "Nothing was recorded.";
        let said = Action::alert(format!("the badge {reason}"));
        let id = t!(lang, "flow-not-recorded", error = "kept as it is");
        tracing::warn!("a worker result did not fit");
        // "A comment is not code."
        #[error("the scan is empty")]
        let quiet = "flow-parcels";
        let shelf = "A-Z";
        let kept = "the customer";
        let c = '"'; let also = "Also this one";
        #[cfg(test)]
        mod tests { const X: &str = "Tests say what they like."; }
    "#;
    let found: Vec<String> = english_literals(source)
        .into_iter()
        .map(|(_, text)| text)
        .collect();
    assert_eq!(
        found,
        [
            "Nothing was recorded.",
            "the badge {reason}",
            "Also this one"
        ]
    );
}
