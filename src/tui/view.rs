//! What a screen or flow may read while drawing: the theme, the configuration, the time and
//! whether a PIN is being checked. Nothing in it can change the kiosk.

use chrono::{DateTime, Utc};

use super::theme::Theme;
use crate::config::KioskConfig;
use crate::i18n::Lang;

#[derive(Clone, Copy)]
pub struct View<'a> {
    pub theme: &'a Theme,
    pub config: &'a KioskConfig,
    pub now: DateTime<Utc>,
    /// The spinner's frame while a PIN check runs, `None` when idle.
    pub busy: Option<char>,
    /// The spinner's frame for work running in the background (a chain check, a report).
    pub spinner: char,
    /// The language of the signed-in clerk (the counter's own before sign-in).
    pub lang: Lang,
    /// The language of what the customer reads in this handoff: the clerk's unless F12
    /// switched it.
    pub customer_lang: Lang,
}
