//! The pure core: parcels, custody rules, staff PINs, the store calendar, the hash chain and the
//! store's signatures. Nothing here touches a terminal or a database.

pub mod byte_words;
pub mod calendar;
pub mod carriers;
pub mod chain;
pub mod clock;
pub mod codes;
pub mod correction;
pub mod custody;
pub mod event_kind;
pub mod expected;
pub mod export;
pub mod export_continuity;
pub mod export_manifest;
pub mod export_verify;
pub mod handoff;
pub mod handshake;
pub mod ids;
pub mod labels;
pub mod ledger_codes;
pub mod link_wire;
pub mod local_delivery;
pub mod pickup;
pub mod pin;
pub mod projection;
pub mod receipt;
pub mod replay;
pub mod report;
pub mod sealed_codes;
pub mod signing;
pub mod staff;
pub mod store_feed;
pub mod store_time;
