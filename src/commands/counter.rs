//! `kiosk` with no subcommand: the full-screen counter (the TUI) on this kiosk.toml. It
//! initialises the kiosk on the first run (the first screen then enrols the first manager).

use std::io::IsTerminal;
use std::process::ExitCode;

use super::Failure;
use crate::config::KioskConfig;

pub fn run(config: &KioskConfig) -> Result<ExitCode, Failure> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Failure::usage(
            "the kiosk runs full-screen in a terminal; for scripts use the subcommands (kiosk --help)",
        ));
    }
    crate::tui::run(config).map_err(|error| {
        // Setup problems (a damaged ledger, a missing key) keep their exit code 2.
        match error.downcast::<crate::setup::SetupError>() {
            Ok(setup) => Failure::from(setup),
            Err(other) => match other.downcast::<crate::store::StoreError>() {
                Ok(store) => Failure::from(store),
                Err(other) => Failure::check(format!("{other:#}")),
            },
        }
    })?;
    Ok(ExitCode::SUCCESS)
}
