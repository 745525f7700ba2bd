//! Why the link to head office did not do what it tried, as facts. `Display` is the English of
//! the logs and the command line; the desk words it in the manager's language
//! (`tui::screens::desk::link::problem_text`). `detail` fields hold words the link did not write
//! itself (the system's for an I/O error, TLS's, the ledger's, a check's in the wire format),
//! and `reason` fields head office's own words: both are shown as they were said.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkProblem {
    // Reaching head office.
    HostNotFound {
        host: String,
        detail: String,
    },
    NoAddress {
        host: String,
    },
    CannotConnect {
        address: String,
        detail: String,
    },
    Connection {
        host: String,
        detail: String,
    },
    Tls {
        detail: String,
    },
    // Setting the link up.
    CaFileUnreadable {
        path: PathBuf,
        detail: String,
    },
    NotCaCertificate {
        path: PathBuf,
        detail: String,
    },
    NoCertificate {
        path: PathBuf,
    },
    NotAHostName {
        host: String,
    },
    ThreadNotStarted {
        detail: String,
    },
    /// The ledger or a secret could not be read or written.
    Ledger {
        detail: String,
    },
    /// A request could not be put into JSON.
    Encoding {
        detail: String,
    },
    // Batches and receipts.
    EventMissing {
        seq: u64,
    },
    BatchNotBuilt {
        detail: String,
    },
    ReceiptSignatureNotHex,
    ReceiptUnchecked {
        detail: String,
    },
    ReceiptHeadHashInvalid,
    ChainsDiffer {
        seq: u64,
    },
    GapDoesNotFit {
        expected: u64,
        from: u64,
    },
    BatchRefused {
        reason: String,
    },
    BatchStatus {
        status: u16,
    },
    // Announcements.
    AnnouncementsRefused {
        detail: String,
    },
    AnnouncementUnreadable {
        id: u64,
        source: String,
        detail: String,
    },
    AnnouncementNotImported {
        id: u64,
        detail: String,
    },
    AnnouncementRequestRefused {
        reason: String,
    },
    AnnouncementStatus {
        status: u16,
    },
}

impl fmt::Display for LinkProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkProblem::HostNotFound { host, detail } => write!(f, "cannot find {host}: {detail}"),
            LinkProblem::NoAddress { host } => write!(f, "{host} has no address"),
            LinkProblem::CannotConnect { address, detail } => {
                write!(f, "cannot connect to {address}: {detail}")
            }
            LinkProblem::Connection { host, detail } => write!(f, "connection to {host}: {detail}"),
            LinkProblem::Tls { detail } => write!(f, "TLS: {detail}"),
            LinkProblem::CaFileUnreadable { path, detail } => write!(
                f,
                "cannot read head office's CA file {}: {detail}",
                path.display()
            ),
            LinkProblem::NotCaCertificate { path, detail } => {
                write!(f, "{}: not a CA certificate: {detail}", path.display())
            }
            LinkProblem::NoCertificate { path } => {
                write!(f, "{} holds no certificate", path.display())
            }
            LinkProblem::NotAHostName { host } => {
                write!(f, "{host:?} is not a host name TLS can check")
            }
            LinkProblem::ThreadNotStarted { detail } => {
                write!(f, "cannot start the link's thread: {detail}")
            }
            LinkProblem::Ledger { detail } | LinkProblem::Encoding { detail } => {
                f.write_str(detail)
            }
            LinkProblem::EventMissing { seq } => {
                write!(f, "event {seq} is missing from the ledger")
            }
            LinkProblem::BatchNotBuilt { detail } | LinkProblem::ReceiptUnchecked { detail } => {
                f.write_str(detail)
            }
            LinkProblem::ReceiptSignatureNotHex => {
                f.write_str("the receipt's signature is not hex")
            }
            LinkProblem::ReceiptHeadHashInvalid => {
                f.write_str("the receipt's head hash is not valid")
            }
            LinkProblem::ChainsDiffer { seq } => write!(
                f,
                "head office acknowledged event {seq} with another hash than this ledger's: the two chains differ"
            ),
            LinkProblem::GapDoesNotFit { expected, from } => write!(
                f,
                "head office expects event {expected} next, which does not fit batch {from}.."
            ),
            LinkProblem::BatchRefused { reason } => {
                write!(f, "head office refused the batch: {reason}")
            }
            LinkProblem::BatchStatus { status } => write!(f, "head office answered HTTP {status}"),
            LinkProblem::AnnouncementsRefused { detail } => write!(
                f,
                "announcements from head office refused, nothing imported: {detail}"
            ),
            LinkProblem::AnnouncementUnreadable { id, source, detail } => write!(
                f,
                "announcement {id} ({source}) from head office does not read under this store's rules, nothing imported: {detail}"
            ),
            LinkProblem::AnnouncementNotImported { id, detail } => {
                write!(f, "announcement {id}: {detail}")
            }
            LinkProblem::AnnouncementRequestRefused { reason } => write!(
                f,
                "head office refused the request for announcements: {reason}"
            ),
            LinkProblem::AnnouncementStatus { status } => write!(
                f,
                "head office answered the request for announcements with HTTP {status}"
            ),
        }
    }
}

impl std::error::Error for LinkProblem {}

impl LinkProblem {
    /// The ledger's (or a secret file's) failure.
    pub fn ledger(error: impl fmt::Display) -> Self {
        LinkProblem::Ledger {
            detail: error.to_string(),
        }
    }

    pub fn encoding(error: impl fmt::Display) -> Self {
        LinkProblem::Encoding {
            detail: error.to_string(),
        }
    }
}
