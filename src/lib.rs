//! handoff-kiosk: the store-side system that records every parcel handoff in a hash-chained,
//! PIN-attributed SQLite ledger. `main.rs` is a thin shell over this library so tests can drive
//! the same code the counter runs.
#![deny(clippy::unwrap_used)]

pub mod cli;
pub mod commands;
pub mod config;
pub mod domain;
pub mod export;
pub mod export_read;
pub mod i18n;
pub mod instance;
pub mod link;
pub mod logging;
pub mod print;
pub mod report;
pub mod report_text;
pub mod secrets;
pub mod seed;
pub mod service;
pub mod setup;
pub mod slips;
pub mod store;
pub mod tui;
