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

/// Why a slip did not print, in words for the clerk: which printer and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintError {
    /// The printer as the clerk's config names it: "tcp 192.168.1.50:9100", "/dev/usb/lp0".
    pub printer: String,
    /// What went wrong: "did not answer in 5 s", "no such device".
    pub reason: String,
}

impl fmt::Display for PrintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.printer, self.reason)
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
            printer: self.connection.to_string(),
            reason,
        })
    }
}
