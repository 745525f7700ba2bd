//! The counter flows, one file each. A flow owns its state, turns keys into [`Action`]s, builds
//! the domain's handoff requests, takes the receipt back and draws itself from its own state
//! plus a [`View`]. It reads the store only through a [`Lookup`] (fast indexed queries) and
//! never sees the app.
//!
//! Adding a flow: its file here, one line in [`FLOWS`] (its home-screen key and how it starts),
//! and its line on the home screen's menu.

pub mod damaged;
pub mod delivery;
pub mod driver_pickup;
pub mod drop_off;
pub mod list;
pub mod local_delivery;
pub mod outgoing_order;
pub mod pickup;

use std::any::Any;
use std::fmt::Debug;

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::action::{Action, Outcome};
use super::message::Message;
use super::view::View;
use crate::config::KioskConfig;
use crate::domain::codes::{CodeDigester, PickupCode};
use crate::domain::custody::{CustodyError, ParcelStatus, check_not_already_held};
use crate::domain::handoff::Receipt;
use crate::domain::ids::TrackingId;
use crate::domain::labels::{Carrier, Label, LabelError, LabelPolicy, identify_label};
use crate::i18n::Lang;
use crate::store::{ParcelRecord, Store, StoreError};
use crate::t;
use crate::tui::reasons::{
    custody_error_text, label_format_name, store_error_text, tracking_id_text,
};

/// A counter flow. The app routes keys and outcomes to the flow on screen and performs the
/// actions it returns.
pub trait Flow: Debug + Any {
    fn handle_key(&mut self, key: KeyEvent, lookup: &Lookup<'_>) -> Action;

    /// The result of an effect this flow asked for.
    fn outcome(&mut self, outcome: Outcome, lookup: &Lookup<'_>) -> Action;

    /// Time passed (at least once a minute, and at [`Flow::next_deadline`]).
    fn tick(&mut self, _now: DateTime<Utc>) -> Action {
        Action::None
    }

    /// When the flow next changes by itself (e.g. its QR renews).
    fn next_deadline(&self) -> Option<DateTime<Utc>> {
        None
    }

    fn render(&self, frame: &mut Frame, view: &View<'_>, area: Rect);

    /// Whether the flow takes the whole screen now (a QR on a short terminal).
    fn wants_full_screen(&self) -> bool {
        false
    }

    /// The key line at the bottom, in the clerk's language.
    fn keys(&self, lang: Lang) -> String;

    /// The help popup's lines, in the clerk's language.
    fn help(&self, lang: Lang) -> Vec<String>;

    /// Whether the focused field takes free text (so `?` is a character, not help).
    fn takes_text(&self) -> bool;
}

/// How a flow starts: its first state and its first action (a message, or an effect such as
/// issuing the driver's QR), or why it cannot start here.
pub type StartFlow = fn(&Lookup<'_>) -> Result<(Box<dyn Flow>, Action), Message>;

/// The registry: a flow's home-screen key and how it starts.
pub const FLOWS: &[(char, StartFlow)] = &[
    ('d', delivery::start),
    ('p', pickup::start),
    ('o', drop_off::start),
    ('s', outgoing_order::start),
    ('t', driver_pickup::start),
    ('v', local_delivery::start),
    ('x', damaged::start),
];

/// The flow a home-screen key starts, if any.
pub fn flow_for_key(key: char) -> Option<StartFlow> {
    let key = key.to_ascii_lowercase();
    FLOWS
        .iter()
        .find(|(flow_key, _)| *flow_key == key)
        .map(|(_, start)| *start)
}

/// The fast, read-only queries a flow may make while it takes keys. Every one is an indexed
/// lookup or a bounded list; nothing here writes.
pub struct Lookup<'a> {
    store: &'a Store,
    codes: &'a CodeDigester,
    pub config: &'a KioskConfig,
    pub now: DateTime<Utc>,
    /// The signed-in clerk, whose PIN confirms what the flow records.
    pub clerk_name: &'a str,
    /// The clerk's language, for what the flow says to the clerk.
    pub lang: Lang,
    /// The customer's language in this handoff, for what the customer reads.
    pub customer_lang: Lang,
}

impl<'a> Lookup<'a> {
    pub fn new(
        store: &'a Store,
        codes: &'a CodeDigester,
        config: &'a KioskConfig,
        now: DateTime<Utc>,
        clerk_name: &'a str,
    ) -> Self {
        Self {
            store,
            codes,
            config,
            now,
            clerk_name,
            lang: config.counter.language,
            customer_lang: config.counter.language,
        }
    }

    /// The same lookup speaking `lang` to the clerk and `customer_lang` to the customer.
    pub fn speaking(self, lang: Lang, customer_lang: Lang) -> Self {
        Self {
            lang,
            customer_lang,
            ..self
        }
    }

    /// The same lookup with the customer's language of this handoff (F12), for what a flow
    /// says to the customer as it takes keys and outcomes.
    pub fn for_customer(self, customer_lang: Lang) -> Self {
        Self {
            customer_lang,
            ..self
        }
    }

    /// How this store reads labels (whether ids of no known format are taken).
    pub fn label_policy(&self) -> LabelPolicy {
        self.config.carriers.label_policy()
    }

    /// Whether this store takes parcels of `carrier` (`[carriers] accept` in kiosk.toml).
    pub fn accepts(&self, carrier: &Carrier) -> bool {
        self.config.carriers.accepts(carrier)
    }

    pub fn parcel(&self, tracking_id: &TrackingId) -> Result<Option<ParcelRecord>, StoreError> {
        self.store.parcel(tracking_id)
    }

    /// The recipient named in the carrier's announcement, if it was announced.
    pub fn announced_recipient(
        &self,
        tracking_id: &TrackingId,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .store
            .expected_parcel(tracking_id)?
            .map(|(name, _)| name))
    }

    pub fn parcels_for_code(&self, code: &PickupCode) -> Result<Vec<ParcelRecord>, StoreError> {
        self.store.parcels_for_code(code, self.codes)
    }

    /// Parcels held for customers whose name contains `name` (3 or more characters), for a
    /// pickup without the code.
    pub fn held_parcels_named(&self, name: &str) -> Result<Vec<ParcelRecord>, StoreError> {
        self.store.held_parcels_named(name, 200)
    }

    /// When pickup codes were refused recently enough to matter for the wait after wrong codes.
    pub fn recent_code_refusals(&self) -> Result<Vec<DateTime<Utc>>, StoreError> {
        self.store
            .pickup_codes_refused_since(self.now - crate::domain::pickup::CODE_MISS_HORIZON)
    }

    pub fn parcels_due_to_driver(&self) -> Result<Vec<ParcelRecord>, StoreError> {
        self.store.parcels_due_to_driver(self.now)
    }

    /// What is due for a driver of `carrier` (shop orders and unknown carriers are on every
    /// driver's list); `None`: for any driver.
    pub fn parcels_due_to_driver_for(
        &self,
        carrier: Option<&Carrier>,
    ) -> Result<Vec<ParcelRecord>, StoreError> {
        self.store.parcels_due_to_driver_for(self.now, carrier)
    }

    pub fn parcels_with_status(
        &self,
        status: ParcelStatus,
    ) -> Result<Vec<ParcelRecord>, StoreError> {
        self.store.parcels_with_status(status)
    }
}

/// A store error met while looking something up, in the clerk's words.
pub fn store_failed(lang: Lang, error: &StoreError) -> Action {
    Action::alert(store_error_text(lang, error))
}

/// The message when recording failed: what went wrong, and that nothing was recorded.
pub fn not_recorded(lang: Lang, error: &str) -> Action {
    Action::alert(t!(lang, "flow-not-recorded", error = error))
}

/// Why a scan is not a label, in the clerk's words.
pub fn label_error(lang: Lang, error: &LabelError) -> String {
    match error {
        LabelError::Empty => t!(lang, "flow-label-empty"),
        LabelError::BadCharacter(what) => {
            t!(lang, "flow-label-bad-character", what = what.as_str())
        }
        LabelError::CheckDigit { format } => t!(
            lang,
            "flow-label-check-digit",
            format = label_format_name(lang, *format)
        ),
        LabelError::UnknownFormat { shown, length } => t!(
            lang,
            "flow-label-unknown-format",
            shown = shown.as_str(),
            length = *length
        ),
        LabelError::UnknownPostCountry { code } => {
            t!(lang, "flow-label-unknown-post", code = code.as_str())
        }
        LabelError::RoutingOnly { postal_code } => t!(
            lang,
            "flow-label-routing-only",
            postal_code = postal_code.as_str()
        ),
        LabelError::SeveralParts(count) => t!(lang, "flow-label-several-parts", count = *count),
        LabelError::Invalid(invalid) => tracking_id_text(lang, invalid),
    }
}

/// A carrier as the counter names it: its name, or a national post and "other" in the
/// reader's words.
pub fn carrier_name(lang: Lang, carrier: Carrier) -> String {
    match carrier {
        Carrier::Other => t!(lang, "flow-carrier-other"),
        Carrier::PostalS10 { country } => {
            t!(lang, "flow-carrier-post", country = country.as_str())
        }
        known => known.to_string(),
    }
}

/// A parcel's status in the clerk's words (the ledger keeps its code).
pub fn status_words(lang: Lang, status: ParcelStatus) -> String {
    t!(lang, "flow-status", status = status.code())
}

/// A scanned or typed label read as the carrier's tracking id (scanner artefacts, routing
/// prefixes and barcode wrappers removed, the check digit held), or the clerk-facing reason it
/// is not one this store takes.
pub fn parse_label(lookup: &Lookup<'_>, scanned: &str) -> Result<Label, Action> {
    let lang = lookup.lang;
    let label = identify_label(scanned, lookup.label_policy()).map_err(|reason| {
        Action::alert(t!(
            lang,
            "flow-not-a-label",
            reason = label_error(lang, &reason)
        ))
    })?;
    if !lookup.accepts(&label.carrier) {
        return Err(Action::alert(t!(
            lang,
            "flow-carrier-not-taken",
            id = label.tracking_id.to_string(),
            carrier = carrier_name(lang, label.carrier)
        )));
    }
    Ok(label)
}

/// A help message (one Fluent message, a line of the popup per line) as the popup's lines.
pub fn help_lines(text: String) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

/// Moves a list selection up or down within `len` rows.
pub fn move_selection(selected: &mut usize, len: usize, down: bool) {
    *selected = if down {
        (*selected + 1).min(len.saturating_sub(1))
    } else {
        selected.saturating_sub(1)
    };
}

/// A label for a parcel coming into the store's custody: a valid id, not in this list yet, and
/// not already held here (a parcel cannot be received twice).
pub fn incoming_label<'i>(
    lookup: &Lookup<'_>,
    scanned: &str,
    already: impl IntoIterator<Item = &'i TrackingId>,
) -> Result<TrackingId, Action> {
    let tracking_id = parse_label(lookup, scanned)?.tracking_id;
    if already.into_iter().any(|id| *id == tracking_id) {
        return Err(Action::warn(t!(
            lookup.lang,
            "flow-duplicate",
            id = tracking_id.to_string()
        )));
    }
    refuse_if_held(lookup, &tracking_id)?;
    Ok(tracking_id)
}

/// The domain's "already held" rule, said with the shelf the parcel is on.
pub fn refuse_if_held(lookup: &Lookup<'_>, tracking_id: &TrackingId) -> Result<(), Action> {
    let parcel = lookup
        .parcel(tracking_id)
        .map_err(|error| store_failed(lookup.lang, &error))?;
    let status = parcel.as_ref().map(|parcel| parcel.status);
    check_not_already_held(tracking_id, status).map_err(|refusal| {
        let shelf = parcel.map(|parcel| parcel.shelf).unwrap_or_default();
        match refusal {
            CustodyError::AlreadyHeld(id, held) => Action::alert(t!(
                lookup.lang,
                "flow-already-held",
                id = id.to_string(),
                status = held.code(),
                shelf = shelf
            )),
            other => Action::alert(custody_error_text(lookup.lang, &other)),
        }
    })
}

/// What the message line says once requests are recorded: the flow's words, and a warning
/// (the clerk's, in `lang`) when the store is now over its capacity.
pub fn recorded_words(lang: Lang, words: &str, receipt: &Receipt) -> String {
    if receipt.over_capacity() {
        t!(
            lang,
            "flow-over-capacity",
            words = words,
            on_hand = receipt.on_hand
        )
    } else {
        words.to_owned()
    }
}
