//! The words a person reads at the counter and on paper, in each language the kiosk speaks.
//!
//! Every message lives in a Fluent file under `assets/locales/<lang>/`, one file per screen or
//! area (listed in [`files::FILES`]), compiled into the binary so a kiosk can never start with
//! a missing file. Code asks for a message by id with [`t!`](crate::t):
//!
//! ```
//! use handoff_kiosk::{i18n::Lang, t};
//! assert_eq!(t!(Lang::Es, "language-name"), "Español");
//! assert_eq!(t!(Lang::En, "n-parcels", count = 2), "2 parcels");
//! assert_eq!(t!(Lang::Es, "n-parcels", count = 1), "1 paquete");
//! ```
//!
//! Plurals follow each locale's CLDR rules (Fluent's `[one]`/`*[other]` variants), so code never
//! picks a word form itself. The domain and the ledger never hold translated text: what is
//! recorded is the same whichever language the clerk reads.
//!
//! A message missing at run time shows its id (never a panic) and is logged; the tests in this
//! module fail first when any locale lacks a message another one has, or when a message's
//! placeholders differ between locales, or when code asks for an id no file defines.

pub mod files;

use std::borrow::Cow;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, Weekday};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

pub use fluent_bundle::FluentArgs as Args;
pub use fluent_bundle::FluentValue as Value;

/// A language the kiosk speaks. The code is what kiosk.toml, the staff table and the command
/// line use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// Reads a language code: `en`, `es`, and locale forms such as `es_MX.UTF-8` or `en-US`.
    pub fn parse(text: &str) -> Option<Lang> {
        let primary = text
            .trim()
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.code() == primary)
    }

    /// The language after this one, for the key that switches the customer's language.
    pub fn next(self) -> Lang {
        let at = Lang::ALL.iter().position(|lang| *lang == self).unwrap_or(0);
        Lang::ALL[(at + 1) % Lang::ALL.len()]
    }

    /// The language's own name, as its speakers write it ("English", "Español").
    pub fn name(self) -> String {
        message(self, "language-name", None)
    }

    fn locale(self) -> LanguageIdentifier {
        // Region-less tags: the plural rules of "en" and "es" do not vary by region.
        self.code().parse().unwrap_or_default()
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

struct Bundles {
    en: FluentBundle<FluentResource>,
    es: FluentBundle<FluentResource>,
}

impl Bundles {
    fn of(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::En => &self.en,
            Lang::Es => &self.es,
        }
    }
}

static BUNDLES: LazyLock<Bundles> = LazyLock::new(|| Bundles {
    en: bundle(Lang::En),
    es: bundle(Lang::Es),
});

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let mut bundle = FluentBundle::new_concurrent(vec![lang.locale()]);
    // Fluent wraps placeables in Unicode bidi isolation marks by default; a terminal would
    // count them as characters and shift every column after them.
    bundle.set_use_isolating(false);
    for file in files::FILES {
        let source = file.source(lang);
        let resource = match FluentResource::try_new(source.to_owned()) {
            Ok(resource) => resource,
            Err((resource, errors)) => {
                // The tests refuse any syntax error; at run time keep what parsed.
                tracing::error!(lang = %lang, file = file.name, ?errors, "message file has errors");
                resource
            }
        };
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(lang = %lang, file = file.name, ?errors, "message defined twice");
        }
    }
    bundle
}

/// The message `id` in `lang`, with `args` filled in. Prefer the [`t!`](crate::t) macro.
pub fn message(lang: Lang, id: &str, args: Option<&FluentArgs<'_>>) -> String {
    let bundle = BUNDLES.of(lang);
    let Some(pattern) = bundle.get_message(id).and_then(|message| message.value()) else {
        tracing::error!(lang = %lang, id, "no such message");
        return id.to_owned();
    };
    let mut errors = Vec::new();
    let text: Cow<'_, str> = bundle.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        tracing::error!(lang = %lang, id, ?errors, "message formatted with errors");
    }
    text.into_owned()
}

/// Whether `lang` defines `id` (for code that offers an optional line).
pub fn has_message(lang: Lang, id: &str) -> bool {
    BUNDLES.of(lang).has_message(id)
}

/// A date as a person reads it in `lang`: "Thu 26 Nov 2026" / "jue 26 nov 2026", the day of
/// the month in two digits ("Tue 01 Dec 2026"), as the screens have always written it.
pub fn date(lang: Lang, day: NaiveDate) -> String {
    crate::t!(
        lang,
        "date-long",
        weekday = weekday_short(lang, day.weekday()),
        day = day.format("%d").to_string(),
        month = month_short(lang, day.month()),
        year = day.year()
    )
}

/// A weekday's short name in `lang`: "Tue", "mar".
pub fn weekday_short(lang: Lang, day: Weekday) -> String {
    message(
        lang,
        &format!("weekday-short-{}", day.number_from_monday()),
        None,
    )
}

/// A month's short name in `lang`, `month` from 1 to 12: "Nov", "nov".
pub fn month_short(lang: Lang, month: u32) -> String {
    message(lang, &format!("month-short-{month}"), None)
}

/// A message by id, with named arguments: `t!(lang, "id")` or
/// `t!(lang, "id", count = n, name = name.as_str())`. Arguments take anything a Fluent value
/// is made from: numbers (for plurals), `&str` and `String`.
#[macro_export]
macro_rules! t {
    ($lang:expr, $id:literal $(,)?) => {
        $crate::i18n::message($lang, $id, None)
    };
    ($lang:expr, $id:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::Args::new();
        $( args.set(stringify!($name), $crate::i18n::Value::from($value)); )+
        $crate::i18n::message($lang, $id, Some(&args))
    }};
}

#[cfg(test)]
mod tests;
