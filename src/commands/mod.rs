//! One module per subcommand. Each returns `Ok` with the process exit code or a [`Failure`]
//! that says what went wrong in words a store manager can act on.

mod admin;
mod config_cmd;
mod counter;
mod export;
mod identify;
mod import_expected;
mod report;
mod staff;
mod verify_qr;
mod verify_receipt;

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use crate::cli::{Cli, Command, ConfigCommand, KeyCommand};
use crate::config::{ConfigErrors, KioskConfig};
use crate::domain::pin::{Pin, PinPolicy};
use crate::setup::SetupError;
use crate::store::StoreError;

/// Exit code 1: a check failed or an operation could not be done.
pub const EXIT_CHECK_FAILED: u8 = 1;
/// Exit code 2: bad usage, a bad configuration or an unusable ledger file.
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug)]
pub struct Failure {
    pub exit_code: u8,
    pub message: String,
}

impl Failure {
    pub fn check(message: impl Into<String>) -> Self {
        Self {
            exit_code: EXIT_CHECK_FAILED,
            message: message.into(),
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            exit_code: EXIT_USAGE,
            message: message.into(),
        }
    }
}

impl From<ConfigErrors> for Failure {
    fn from(error: ConfigErrors) -> Self {
        Failure::usage(error.to_string())
    }
}

fn store_exit_code(error: &StoreError) -> u8 {
    match error {
        StoreError::NotFound(_)
        | StoreError::NotALedger(_)
        | StoreError::Corrupt { .. }
        | StoreError::TooNew { .. }
        | StoreError::WrongStore { .. } => EXIT_USAGE,
        _ => EXIT_CHECK_FAILED,
    }
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        Failure {
            exit_code: store_exit_code(&error),
            message: error.to_string(),
        }
    }
}

impl From<SetupError> for Failure {
    fn from(error: SetupError) -> Self {
        let exit_code = match &error {
            SetupError::Store(store) => store_exit_code(store),
            other if other.is_configuration_problem() => EXIT_USAGE,
            _ => EXIT_CHECK_FAILED,
        };
        Failure {
            exit_code,
            message: error.to_string(),
        }
    }
}

pub fn run(cli: Cli) -> ExitCode {
    match dispatch(&cli) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("kiosk: {}", failure.message);
            ExitCode::from(failure.exit_code)
        }
    }
}

fn dispatch(cli: &Cli) -> Result<ExitCode, Failure> {
    match &cli.command {
        Some(Command::Config(ConfigCommand::Default)) => return config_cmd::print_default(),
        Some(Command::Identify { label, allow_other }) => {
            return identify::run(label, *allow_other);
        }
        // A driver's offline check needs only the public key, not this kiosk's configuration.
        Some(Command::VerifyQr {
            text: Some(text),
            at,
            pubkey: Some(pubkey),
            code: None,
        }) => return verify_qr::check_text(text, at.as_deref(), Some(pubkey), None),
        Some(Command::VerifyExport {
            dirs,
            pubkey: Some(pubkey),
        }) => return export::verify(dirs, Some(pubkey), None),
        Some(Command::VerifyReceipt {
            text,
            pubkey: Some(pubkey),
        }) => return verify_receipt::run(text, Some(pubkey), None),
        _ => {}
    }
    let config = KioskConfig::load(&cli.config)?;
    match &cli.command {
        None => counter::run(&config),
        Some(Command::Init) => admin::init(&config),
        Some(Command::Staff(command)) => staff::run(command, &config),
        Some(Command::Verify { chain_only, pubkey }) => {
            admin::verify(&config, *chain_only, pubkey.as_deref())
        }
        Some(Command::Checkpoint) => admin::checkpoint(&config),
        Some(Command::Backup { out, with_secrets }) => match (out, with_secrets) {
            (_, Some(folder)) => admin::backup_with_secrets(&config, folder),
            (Some(out), None) => admin::backup(&config, out),
            (None, None) => Err(Failure::usage("give --out FILE or --with-secrets DIR")),
        },
        Some(Command::ImportExpected { file }) => import_expected::run(&config, file),
        Some(Command::Config(ConfigCommand::Check)) => config_cmd::check(&config),
        Some(Command::Config(ConfigCommand::Default)) => config_cmd::print_default(),
        Some(Command::Identify { label, allow_other }) => identify::run(label, *allow_other),
        Some(Command::Key(KeyCommand::Show)) => admin::key_show(&config),
        Some(Command::Export {
            date,
            from,
            to,
            out,
            format,
        }) => export::export(&config, *date, from.zip(*to), out.as_deref(), format),
        Some(Command::Report { date, out }) => report::run(&config, *date, out.as_deref()),
        Some(Command::StoreFeed) => report::store_feed(&config),
        Some(Command::Seed {
            days,
            per_day,
            start,
        }) => report::seed(&config, *days, *per_day, *start),
        Some(Command::VerifyExport { dirs, pubkey }) => {
            export::verify(dirs, pubkey.as_deref(), Some(&config))
        }
        Some(Command::VerifyQr {
            code: Some(code), ..
        }) => verify_qr::trace_code(&config, code),
        Some(Command::VerifyReceipt { text, pubkey }) => {
            verify_receipt::run(text, pubkey.as_deref(), Some(&config))
        }
        Some(Command::VerifyQr {
            text, at, pubkey, ..
        }) => verify_qr::check_text(
            text.as_deref().unwrap_or_default(),
            at.as_deref(),
            pubkey.as_deref(),
            Some(&config),
        ),
    }
}

/// Reads a new PIN: twice without echo at a terminal, or from standard input when piped (one
/// line; a second line, if present, must repeat it) so scripts and tests can enrol staff.
pub(crate) fn read_new_pin(policy: &PinPolicy) -> Result<Pin, Failure> {
    let unreadable = |e: std::io::Error| Failure::check(format!("cannot read the PIN: {e}"));
    let (pin, repeated) = if std::io::stdin().is_terminal() {
        eprintln!("PIN rules: {}", policy.explain());
        let pin = Pin::new(rpassword::prompt_password("New PIN: ").map_err(unreadable)?);
        let repeated =
            Pin::new(rpassword::prompt_password("Repeat the PIN: ").map_err(unreadable)?);
        (pin, repeated)
    } else {
        let mut lines = std::io::stdin().lock().lines();
        let mut next_line = || -> Result<Option<Pin>, Failure> {
            match lines.next() {
                Some(line) => Ok(Some(Pin::new(line.map_err(unreadable)?.trim().to_owned()))),
                None => Ok(None),
            }
        };
        let pin = next_line()?.ok_or_else(|| Failure::usage("no PIN on standard input"))?;
        let repeated = next_line()?
            .filter(|line| !line.is_empty())
            .unwrap_or_else(|| pin.clone());
        (pin, repeated)
    };
    policy
        .check_pair(&pin, &repeated)
        .map_err(|e| Failure::usage(format!("PIN refused: {e} ({})", policy.explain())))?;
    Ok(pin)
}
