//! What a screen or flow may read while drawing: the theme, the configuration, the time and
//! whether a PIN is being checked. Nothing in it can change the kiosk.

use chrono::{DateTime, Utc};

use super::theme::Theme;
use crate::config::KioskConfig;

#[derive(Clone, Copy)]
pub struct View<'a> {
    pub theme: &'a Theme,
    pub config: &'a KioskConfig,
    pub now: DateTime<Utc>,
    /// The spinner's frame while a PIN check runs, `None` when idle.
    pub busy: Option<char>,
    /// The spinner's frame for work running in the background (a chain check, a report).
    pub spinner: char,
}
