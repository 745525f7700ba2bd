//! The full-screen counter kiosk.

pub mod widgets;
