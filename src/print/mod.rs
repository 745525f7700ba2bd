//! Paper at the counter. A [`Slip`] says what is printed, in blocks that know nothing of paper
//! width; a [`SlipPrinter`] lays the blocks out for its width and sends them to the printer.
//! Builders of slips (what a receipt or a run sheet holds) never see a printer, and printers
//! never see the ledger, so either side can be tested alone.

pub mod charset;
pub mod escpos;
pub mod layout;
pub mod pdf;
pub mod settings;
pub mod transport;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::domain::clock::SystemClock;

pub use escpos::encode_slip;
pub use pdf::PdfPrinter;
pub use settings::{PaperWidth, PrinterConfig, PrinterConnection, PrinterOutput, parse_connection};

/// What a slip is for. Printers may head or file a slip by it (the PDF file name, for one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlipKind {
    /// Drop-off or return receipt for the customer, with a signed receipt token.
    Receipt,
    /// Pickup notice for an unannounced parcel: name, code, hold-until date, store hours.
    PickupNotice,
    /// What a driver took, after a driver pickup.
    DriverManifest,
    /// A rural store's local-delivery run, stop by stop.
    RunSheet,
    /// The end-of-day report, from the manager's desk.
    DayReport,
}

/// One slip: blocks in print order. Nothing here knows the paper's width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    pub kind: SlipKind,
    /// A reprint is marked REPRINT at the top, so it cannot pass for a second handoff.
    pub reprint: bool,
    /// The language the slip is written in: the printer's own marks (REPRINT) follow it.
    pub lang: crate::i18n::Lang,
    pub blocks: Vec<Block>,
}

impl Slip {
    /// Every piece of text on the slip, in order, as a reader of the paper sees it (labels and
    /// values apart; rules and blank lines have none): for checks of what a slip holds.
    pub fn texts(&self) -> Vec<&str> {
        self.blocks
            .iter()
            .flat_map(|block| match block {
                Block::Heading(text)
                | Block::Text(text)
                | Block::Code(text)
                | Block::WriteIn(text)
                | Block::Qr(text) => vec![text.as_str()],
                Block::Pair { label, value } => vec![label.as_str(), value.as_str()],
                Block::Rule | Block::Blank => Vec::new(),
            })
            .collect()
    }
}

/// A piece of a slip. Text is wrapped at word boundaries to the paper's width; a word is never
/// cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Centred and emphasised: the store's name, the slip's title.
    Heading(String),
    /// Running text, wrapped at spaces.
    Text(String),
    /// A label at the left and its value at the right ("Parcels" ... "3"). When both do not
    /// fit on one line the value goes on the next, right-aligned.
    Pair { label: String, value: String },
    /// A value that is read or keyed character by character (a tracking id, a pickup code):
    /// on a line of its own, and split into groups only when wider than the paper.
    Code(String),
    /// A label followed by a line to write on by hand ("Outcome ________").
    WriteIn(String),
    /// A full-width rule.
    Rule,
    /// An empty line.
    Blank,
    /// A QR code holding this text.
    Qr(String),
}

/// Sends slips to paper (or to a PDF). Runs on the worker, never on the UI thread: a printer
/// may take seconds to answer or never answer.
pub trait SlipPrinter: Send {
    fn print(&mut self, slip: &Slip) -> Result<(), PrintError>;
}

/// Why a slip did not print: which printer and what happened, as facts. `Display` is the
/// English of the logs; the counter words it in the clerk's language
/// (`tui::app::printing::print_error_text`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintError {
    /// The printer as the clerk's config names it: "printer at 192.168.1.50:9100".
    pub printer: PrinterName,
    /// What went wrong: "did not answer in 5 s", "no such device".
    pub reason: PrintFailure,
}

impl fmt::Display for PrintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.printer, self.reason)
    }
}

/// The printer a failure is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterName {
    /// An ESC/POS printer, by its connection.
    Connection(PrinterConnection),
    /// The PDF printer, by its folder.
    PdfFolder(PathBuf),
    /// No printer is set up.
    None,
    /// The worker's printer lane.
    Lane,
    /// A printer that names itself (a stand-in printer): shown as it is.
    Named(String),
}

impl fmt::Display for PrinterName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrinterName::Connection(connection) => connection.fmt(f),
            PrinterName::PdfFolder(folder) => write!(f, "PDF folder {}", folder.display()),
            PrinterName::None => f.write_str("none"),
            PrinterName::Lane => f.write_str("printer lane"),
            PrinterName::Named(name) => f.write_str(name),
        }
    }
}

impl From<&str> for PrinterName {
    fn from(name: &str) -> Self {
        PrinterName::Named(name.to_owned())
    }
}

/// What went wrong with a printer. `detail` fields hold the system's own words for an I/O
/// error (or `lp`'s complaint), shown as the system said them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintFailure {
    /// Nothing came back before the deadline.
    Silent {
        seconds: u64,
    },
    Refused,
    Unreachable,
    NoDevice,
    NoPermission,
    NoLp,
    AddressNotFound {
        host: String,
        detail: String,
    },
    NoAddress {
        host: String,
    },
    CannotConnect {
        detail: String,
    },
    ConnectionBroke {
        detail: String,
    },
    CannotOpen {
        detail: String,
    },
    TakesNoMore,
    CannotWrite {
        detail: String,
    },
    LpCannotStart {
        detail: String,
    },
    LpTimedOut {
        seconds: u64,
    },
    LpLost {
        detail: String,
    },
    LpFailed {
        complaint: String,
    },
    NoFolder {
        detail: String,
    },
    NoFreeName {
        base: String,
    },
    NotWritten {
        path: PathBuf,
        detail: String,
    },
    /// The worker was given no printer.
    NotSetUp,
    /// The worker's printer lane has stopped.
    LaneStopped,
}

impl fmt::Display for PrintFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrintFailure::Silent { seconds } => write!(f, "did not answer in {seconds} s"),
            PrintFailure::Refused => {
                f.write_str("refused the connection (is it on, and is the port right?)")
            }
            PrintFailure::Unreachable => f.write_str("cannot be reached on the network"),
            PrintFailure::NoDevice => {
                f.write_str("no such device (is it plugged in and switched on?)")
            }
            PrintFailure::NoPermission => f.write_str(
                "permission denied (add the kiosk's user to the device's group, often lp)",
            ),
            PrintFailure::NoLp => {
                f.write_str("the lp command is missing (install the CUPS client)")
            }
            PrintFailure::AddressNotFound { host, detail } => {
                write!(f, "cannot find the address of {host}: {detail}")
            }
            PrintFailure::NoAddress { host } => write!(f, "{host} has no address"),
            PrintFailure::CannotConnect { detail } => write!(f, "cannot connect: {detail}"),
            PrintFailure::ConnectionBroke { detail } => write!(f, "the connection broke: {detail}"),
            PrintFailure::CannotOpen { detail } => write!(f, "cannot open it: {detail}"),
            PrintFailure::TakesNoMore => f.write_str("it takes no more bytes"),
            PrintFailure::CannotWrite { detail } => write!(f, "cannot write to it: {detail}"),
            PrintFailure::LpCannotStart { detail } => write!(f, "cannot start lp: {detail}"),
            PrintFailure::LpTimedOut { seconds } => write!(f, "lp did not finish in {seconds} s"),
            PrintFailure::LpLost { detail } => write!(f, "lost track of lp: {detail}"),
            PrintFailure::LpFailed { complaint } => write!(f, "lp failed: {complaint}"),
            PrintFailure::NoFolder { detail } => write!(f, "cannot make the folder: {detail}"),
            PrintFailure::NoFreeName { base } => write!(f, "too many files named {base}"),
            PrintFailure::NotWritten { path, detail } => {
                write!(f, "cannot write {}: {detail}", path.display())
            }
            PrintFailure::NotSetUp => f.write_str("no printer is set up in kiosk.toml"),
            PrintFailure::LaneStopped => f.write_str("stopped; restart the kiosk"),
        }
    }
}

impl std::error::Error for PrintError {}

/// The printer `[printer]` names, ready for the worker; `None` when the store prints nothing.
pub fn connect(config: &PrinterConfig) -> Option<Box<dyn SlipPrinter>> {
    match &config.output {
        PrinterOutput::None => None,
        PrinterOutput::EscPos(connection) => Some(Box::new(EscPosPrinter::new(
            connection.clone(),
            config.paper,
            config.timeout,
        ))),
        PrinterOutput::Pdf(folder) => Some(Box::new(PdfPrinter::new(
            folder.clone(),
            config.paper,
            Arc::new(SystemClock),
        ))),
    }
}

/// An ESC/POS receipt printer on a network port, a device file or a print queue.
#[derive(Debug, Clone)]
pub struct EscPosPrinter {
    connection: PrinterConnection,
    paper: PaperWidth,
    timeout: Duration,
    /// `lp`, found on the PATH; tests put a stand-in here.
    lp_program: PathBuf,
}

impl EscPosPrinter {
    pub fn new(connection: PrinterConnection, paper: PaperWidth, timeout: Duration) -> Self {
        Self {
            connection,
            paper,
            timeout,
            lp_program: PathBuf::from("lp"),
        }
    }

    /// Runs this program instead of `lp` for a print queue (same arguments).
    pub fn with_lp_program(mut self, program: PathBuf) -> Self {
        self.lp_program = program;
        self
    }
}

impl SlipPrinter for EscPosPrinter {
    fn print(&mut self, slip: &Slip) -> Result<(), PrintError> {
        let bytes = encode_slip(slip, self.paper);
        let sent = match &self.connection {
            PrinterConnection::Tcp { host, port } => {
                transport::send_tcp(host, *port, &bytes, self.timeout)
            }
            PrinterConnection::Device(path) => transport::send_device(path, &bytes, self.timeout),
            PrinterConnection::Queue(queue) => {
                transport::send_queue(&self.lp_program, queue, &bytes, self.timeout)
            }
        };
        sent.map_err(|reason| PrintError {
            printer: PrinterName::Connection(self.connection.clone()),
            reason,
        })
    }
}
