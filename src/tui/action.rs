//! What a counter flow asks the app to do, and what comes back. A flow never performs an
//! effect itself: it returns an [`Action`]; the app performs it and hands the flow the
//! [`Outcome`]. That keeps every store write and worker job in one place (the app), and lets a
//! flow be tested by feeding it keys and outcomes.

use crate::domain::chain::Fact;
use crate::domain::handoff::{HandoffRequest, Receipt};
use crate::domain::handshake::{Direction, IssuedToken};
use crate::domain::ids::TrackingId;
use crate::domain::pin::Pin;

use super::message::Message;

#[derive(Debug)]
pub enum Action {
    None,
    /// Show a message.
    Say(Message),
    /// Clear the message line (the step moved on; the last message no longer applies).
    ClearMessage,
    /// Leave the flow for the home screen. When it would discard unrecorded work, the app asks
    /// for a second Esc first.
    Leave {
        discards_work: bool,
    },
    /// Leave the flow for the home screen at once, saying why (it cannot go on).
    Abandon(Message),
    /// Check the signed-in clerk's PIN on the worker; once it passes, record these requests
    /// together (all or nothing) and hand the flow the receipt.
    Record {
        pin: Pin,
        requests: Vec<HandoffRequest>,
    },
    /// As [`Action::Record`], each event also carrying its request's named facts (format 2,
    /// under the hash): at a pickup, the ID checked and who collected.
    RecordWithFacts {
        pin: Pin,
        requests: Vec<(HandoffRequest, Vec<Fact>)>,
    },
    /// Put a refused pickup code on the chain under the signed-in clerk (never the code
    /// itself), then show the message.
    RecordCodeRefused(Message),
    /// Issue (and put on record) a handshake token for the driver's QR.
    IssueToken {
        direction: Direction,
        cart: Option<Vec<TrackingId>>,
    },
    /// The driver has scanned: mark the token claimed (refused once it has expired).
    ClaimToken {
        token_id: String,
    },
}

impl Action {
    pub fn info(text: impl Into<String>) -> Self {
        Action::Say(Message::info(text))
    }
    pub fn ok(text: impl Into<String>) -> Self {
        Action::Say(Message::ok(text))
    }
    pub fn warn(text: impl Into<String>) -> Self {
        Action::Say(Message::warn(text))
    }
    pub fn alert(text: impl Into<String>) -> Self {
        Action::Say(Message::alert(text))
    }
}

/// The result of an effect a flow asked for.
#[derive(Debug)]
pub enum Outcome {
    Recorded(Result<Receipt, String>),
    TokenIssued(Result<IssuedToken, String>),
    TokenClaimed(Result<(), String>),
}
