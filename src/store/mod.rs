//! The only code that touches SQLite. Every connection gets the same pragmas; every query binds
//! its parameters; functions take and return domain types.
//!
//! The files form one straight line, each importing only those below it: `error`, `schema` and
//! `status_sets` at the bottom; `guard`; `connection` (the `Store`, the statement cache and the
//! one write-transaction helper); `append` (the only insert into `events`); `parcel_rows`,
//! `tokens`, `staff`, `sealed_codes`; `evidence`; and on top the orchestration: `open`,
//! `recording`, `expected_import`, `corrections`, `events`, `parcels`, `carriers`, `stats`,
//! `verify`, `pickup_guard`, `outbox`, and `announcements` (the link's import, over
//! `outbox` and `expected_import`). This file only declares and re-exports.

mod announcements;
mod append;
mod carriers;
mod connection;
mod corrections;
mod error;
mod events;
mod evidence;
mod expected_import;
mod guard;
mod open;
mod outbox;
mod parcel_rows;
mod parcels;
mod pickup_guard;
#[cfg(test)]
mod query_plan;
mod recording;
mod reprints;
mod schema;
mod sealed_codes;
mod staff;
mod stats;
mod status_sets;
mod tokens;
mod verify;

pub use crate::domain::expected::AnnouncedParcel;
/// The handoff types are the domain's; kept here so callers that name them through the store
/// go on compiling while they move to `crate::domain::handoff`.
pub use crate::domain::handoff::{HandoffItem, HandoffRequest, Receipt, RecordContext};
pub use connection::{BUSY_TIMEOUT, ConnectionPragmas, OpenMode, Store};
pub use error::{StoreError, TokenUseError};
pub use events::{Instants, SeqSpan};
pub use expected_import::{ExpectedParcel, ImportOutcome};
pub use guard::{FileIdentity, identify as identify_file};
pub use outbox::{LinkLedger, OutboxState, StoredReceipt};
pub use parcel_rows::ParcelRecord;
pub use pickup_guard::NAME_SEARCH_MIN_CHARS;
pub use schema::{APPLICATION_ID, MIGRATIONS, latest_version};
pub use staff::{Actor, PinCheck, PinCheckOutcome};
pub use stats::CustodyMovement;
pub use tokens::TokenRecord;
pub use verify::{CheckpointRecord, FileCheck, VerifyReport};
