//! `kiosk import-expected FILE`: the carrier's announcement of parcels on their way.
//! The whole file is checked first, each id read as a label under the store's `[carriers]`;
//! any bad line refuses the file, and every bad line is named.

use std::path::Path;
use std::process::ExitCode;

use super::Failure;
use crate::config::KioskConfig;
use crate::domain::clock::{Clock, SystemClock};
use crate::domain::expected::parse_announcement;
use crate::service::Kiosk;
use crate::store::Actor;

pub fn run(config: &KioskConfig, file: &Path) -> Result<ExitCode, Failure> {
    let text = std::fs::read(file)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
    let parcels = parse_announcement(&text, &config.carriers).map_err(|error| {
        let lines = error.lines();
        Failure::usage(if lines.len() > 1 {
            // Every bad line on its own line, so none is hidden behind "and N more".
            let listed: Vec<String> = lines
                .iter()
                .map(|(line, message)| format!("  line {line}: {message}"))
                .collect();
            format!(
                "{}: {} lines refused, nothing imported:\n{}",
                file.display(),
                lines.len(),
                listed.join("\n")
            )
        } else {
            format!("{}: {error}", file.display())
        })
    })?;
    let mut kiosk = Kiosk::open(config)?;
    let source = file.file_name().map_or_else(
        || file.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    let outcome = kiosk.store.import_expected(
        &parcels,
        &source,
        &kiosk.codes,
        Actor::AdminCommandLine,
        SystemClock.now(),
    )?;
    println!("{}: {}", file.display(), outcome.summary());
    for (id, what) in &outcome.reannounced {
        println!("  re-announced {id}: {what}");
    }
    for (id, why) in &outcome.refused {
        println!("  refused {id}: {why}");
    }
    Ok(ExitCode::SUCCESS)
}
