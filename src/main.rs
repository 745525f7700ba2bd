//! The `kiosk` binary: parse the command line and hand over to the library.

use std::process::ExitCode;

use clap::Parser;
use handoff_kiosk::cli::Cli;

fn main() -> ExitCode {
    handoff_kiosk::commands::run(Cli::parse())
}
