//! The command line: `kiosk` alone runs the counter screen; subcommands do the admin work.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "kiosk",
    version,
    about = "Parcel handoff kiosk: the counter screen and its admin commands",
    long_about = "Run without a command to open the full-screen counter kiosk. The subcommands \
                  manage the ledger, staff and configuration.\n\nExit codes: 0 ok, 1 a check \
                  failed, 2 bad usage or configuration."
)]
pub struct Cli {
    /// The configuration file; relative paths inside it are resolved from its folder.
    #[arg(long, global = true, value_name = "PATH", default_value = "kiosk.toml")]
    pub config: PathBuf,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the ledger, the pepper and the store's signing key (keeps any that exist).
    Init,
    /// Manage staff: add, list, disable, reset a PIN.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Recompute the hash chain, check the signed checkpoints and SQLite's integrity.
    Verify {
        /// Check the hash chain and the signed checkpoints only, without SQLite's check of the
        /// whole file (indexes, search index, free pages): a third of the time on a large
        /// ledger, and tampering with events is caught the same.
        #[arg(long)]
        chain_only: bool,
        /// The store's public key file (hex, as `kiosk key show` prints it). Default: the public
        /// half of the signing key file kiosk.toml names. Never the copy inside the ledger.
        #[arg(long, value_name = "FILE")]
        pubkey: Option<PathBuf>,
    },
    /// Sign the ledger's current length and head hash with the store key.
    Checkpoint,
    /// Copy the ledger consistently (safe while the kiosk runs). The pepper and the signing key
    /// are not in that copy: back them up with --with-secrets DIR.
    Backup {
        /// Where to write the copy of the ledger alone; must not exist.
        #[arg(
            long,
            value_name = "FILE",
            required_unless_present = "with_secrets",
            conflicts_with = "with_secrets"
        )]
        out: Option<PathBuf>,
        /// A new folder (made readable by this user only) for the ledger together with the
        /// pepper and the signing key. It holds the store's secrets: keep it locked away.
        #[arg(long, value_name = "DIR")]
        with_secrets: Option<PathBuf>,
    },
    /// Import the carrier's list of announced parcels (CSV: tracking_id, recipient_name,
    /// pickup_code[, postal_code, street, city]).
    ImportExpected {
        /// The CSV file.
        file: PathBuf,
    },
    /// Check a driver handshake QR text offline, as a driver app would, and print its fields as
    /// JSON; or trace a typed fallback code (--code) in this kiosk's ledger.
    #[command(group(clap::ArgGroup::new("what").required(true).args(["text", "code"])))]
    VerifyQr {
        /// The text the QR code holds (starts with HK1:).
        text: Option<String>,
        /// Check as of this time instead of now (RFC 3339, e.g. 2026-11-24T17:00:00Z).
        #[arg(long, value_name = "RFC3339-TIME")]
        at: Option<String>,
        /// The store's public key: a file holding its hex (as `kiosk key show` prints it) or its
        /// 32 raw bytes. Without it, the key recorded in this kiosk's ledger is used.
        #[arg(long, value_name = "FILE")]
        pubkey: Option<PathBuf>,
        /// A 6-digit fallback code to look up among the tokens this kiosk issued.
        #[arg(long, value_name = "CODE")]
        code: Option<String>,
    },
    /// Check the signed token in a drop-off or return receipt's QR code offline, and say what
    /// the store signed: store, time, kind, ledger event and every parcel. Exit 0 valid, 1 not.
    VerifyReceipt {
        /// The text the receipt's QR code holds (starts with HKR1:).
        text: String,
        /// The store's public key: a file holding its hex (as `kiosk key show` prints it) or its
        /// 32 raw bytes. Without it, the key recorded in this kiosk's ledger is used.
        #[arg(long, value_name = "FILE")]
        pubkey: Option<PathBuf>,
    },
    /// Export store days of the ledger (CSV, JSON, NDJSON) with a signed manifest.
    Export {
        /// The store-local day (YYYY-MM-DD); default: today.
        #[arg(long, value_parser = parse_date, conflicts_with_all = ["from", "to"])]
        date: Option<NaiveDate>,
        /// The first day of a range.
        #[arg(long, value_parser = parse_date, requires = "to")]
        from: Option<NaiveDate>,
        /// The last day of a range (included).
        #[arg(long, value_parser = parse_date, requires = "from")]
        to: Option<NaiveDate>,
        /// Where the export folder is made; default: [ledger] export_dir.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The formats to write (repeatable); default: csv and json.
        #[arg(long, value_enum)]
        format: Vec<FormatArg>,
    },
    /// Check export folders offline: signature, file hashes, counts and chain continuity; with
    /// several, also that they follow on (no day or event missing between them).
    VerifyExport {
        /// The export folders (each holding manifest.json).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// The store's public key file; default: the key recorded in this kiosk's ledger.
        #[arg(long, value_name = "FILE")]
        pubkey: Option<PathBuf>,
    },
    /// The end-of-day report (48 columns, for a receipt printer or a notice board).
    Report {
        /// The store-local day; default: today.
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// Also write it to this file (never overwritten).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Print the store as a carrier store-feed access-point record (JSON).
    StoreFeed,
    /// Fill a fresh ledger with synthetic activity (marked as demo data) for demos and benchmarks.
    Seed {
        /// How many days of activity.
        #[arg(long)]
        days: u32,
        /// About how many events on each open day.
        #[arg(long)]
        per_day: u32,
        /// The first day; default: `days` days before today.
        #[arg(long, value_parser = parse_date)]
        start: Option<NaiveDate>,
    },
    /// Check or print the configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Show the store's public key.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Read a label as the counter would and print its carrier's tracking id, carrier, format
    /// and check digit as JSON; exit 1 naming what is wrong.
    Identify {
        /// What the scanner sent or a person typed (quote it: spaces and `%` belong to it).
        label: String,
        /// Take an id of no known format as carrier "other", as a store may allow.
        #[arg(long)]
        allow_other: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Enrol a staff member. The PIN is read without echo, or from standard input when piped.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// The language the counter speaks to them (en, es). Default: the counter's own.
        #[arg(long, value_parser = parse_lang)]
        lang: Option<crate::i18n::Lang>,
    },
    /// Set the language the counter speaks to a staff member from their next sign-in.
    SetLang {
        /// The staff number.
        id: i64,
        /// en or es.
        #[arg(value_parser = parse_lang)]
        lang: crate::i18n::Lang,
    },
    /// List staff with their state.
    List,
    /// Disable a staff member (they can no longer sign in or record).
    Disable {
        /// The staff number.
        id: i64,
    },
    /// Set a new PIN, re-enable the account and clear its lockout.
    ResetPin {
        /// The staff number.
        id: i64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Csv,
    Json,
    Ndjson,
}

fn parse_lang(text: &str) -> Result<crate::i18n::Lang, String> {
    crate::i18n::Lang::parse(text)
        .ok_or_else(|| format!("{text:?} is not a language the kiosk speaks: use en or es"))
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date like 2026-11-24"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Clerk,
    Manager,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate the configuration file and print a summary.
    Check,
    /// Print the fully commented default configuration.
    Default,
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Print the public key (hex) and its key id.
    Show,
}
