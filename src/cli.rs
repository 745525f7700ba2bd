//! The command line: `kiosk` alone runs the counter screen; subcommands do the admin work.

use std::path::PathBuf;

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
    Verify,
    /// Sign the ledger's current length and head hash with the store key.
    Checkpoint,
    /// Copy the ledger consistently (safe while the kiosk runs).
    Backup {
        /// Where to write the copy; must not exist.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Import the carrier's list of announced parcels (CSV: tracking_id, recipient_name,
    /// pickup_code[, postal_code]).
    ImportExpected {
        /// The CSV file.
        file: PathBuf,
    },
    /// Check or print the configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Show the store's public key.
    #[command(subcommand)]
    Key(KeyCommand),
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Enrol a staff member. The PIN is read without echo, or from standard input when piped.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
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
