//! The live link to head office: a sender thread that pushes the outbox's events in signed
//! batches over HTTPS and keeps head office's signed receipts. It has its own connection to
//! the ledger and never touches the counter's thread: the counter records whether or not head
//! office can be reached, and the link catches up. With no `[head_office] url` it never starts.

pub mod https;
mod problem;
mod sender;
pub mod verify;

pub use problem::LinkProblem;
pub use sender::{AnnouncementSync, LinkHandle, LinkStatus, Sender, Step, start, start_or_report};
