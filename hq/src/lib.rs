//! kiosk-hq: head office for handoff-kiosk. It verifies every store's signed daily ledger
//! exports through the kiosk's own library (never a copy of the format) and keeps them in
//! PostgreSQL. `main.rs` is a thin shell over this library so tests drive the same code.
#![deny(clippy::unwrap_used)]

pub mod announce;
pub mod codes;
pub mod copy_text;
pub mod db;
pub mod load;
pub mod queries;
pub mod registry;
pub mod serve;
pub mod testdata;
pub mod throwaway;
