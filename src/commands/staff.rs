//! `kiosk staff add|list|disable|reset-pin|set-lang`.

use std::process::ExitCode;

use super::{Failure, read_new_pin};
use crate::cli::{RoleArg, StaffCommand};
use crate::config::KioskConfig;
use crate::domain::clock::{Clock, SystemClock};
use crate::domain::ids::StaffId;
use crate::domain::staff::{Role, check_name_unique};
use crate::domain::store_time;
use crate::service::Kiosk;
use crate::setup;
use crate::store::Actor;

pub fn run(command: &StaffCommand, config: &KioskConfig) -> Result<ExitCode, Failure> {
    match command {
        StaffCommand::List => list(config),
        StaffCommand::Add { name, role, lang } => {
            let mut kiosk = Kiosk::open(config)?;
            // Before the PIN is asked for: a name already taken is refused at once (the store
            // checks again when it writes).
            let names: Vec<(StaffId, String)> = kiosk
                .store
                .list_staff()?
                .into_iter()
                .map(|member| (member.id, member.display_name))
                .collect();
            check_name_unique(name, &names)
                .map_err(|e| Failure::usage(format!("name refused: {e}")))?;
            let policy = config.security.pin_policy;
            let pin = read_new_pin(&policy)?;
            let hash = kiosk
                .pins
                .hash_new_pin(&pin, &policy)
                .map_err(|e| Failure::usage(format!("PIN refused: {e}")))?;
            let role = match role {
                RoleArg::Clerk => Role::Clerk,
                RoleArg::Manager => Role::Manager,
            };
            let id = kiosk.store.add_staff_speaking(
                name,
                role,
                *lang,
                &hash,
                Actor::AdminCommandLine,
                SystemClock.now(),
            )?;
            match lang {
                Some(lang) => println!("added staff {id}: {} ({role}, {lang})", name.trim()),
                None => println!("added staff {id}: {} ({role})", name.trim()),
            }
            Ok(ExitCode::SUCCESS)
        }
        StaffCommand::Disable { id } => {
            let mut kiosk = Kiosk::open(config)?;
            kiosk
                .store
                .disable_staff(StaffId(*id), Actor::AdminCommandLine, SystemClock.now())?;
            println!("staff {id} disabled");
            Ok(ExitCode::SUCCESS)
        }
        StaffCommand::SetLang { id, lang } => {
            let mut kiosk = Kiosk::open(config)?;
            kiosk.store.set_staff_lang(
                StaffId(*id),
                *lang,
                Actor::AdminCommandLine,
                SystemClock.now(),
            )?;
            println!("staff {id}: language {lang} from the next sign-in");
            Ok(ExitCode::SUCCESS)
        }
        StaffCommand::ResetPin { id } => {
            let mut kiosk = Kiosk::open(config)?;
            if kiosk.store.staff_member(StaffId(*id))?.is_none() {
                return Err(Failure::usage(format!("there is no staff member {id}")));
            }
            let policy = config.security.pin_policy;
            let pin = read_new_pin(&policy)?;
            let hash = kiosk
                .pins
                .hash_new_pin(&pin, &policy)
                .map_err(|e| Failure::usage(format!("PIN refused: {e}")))?;
            kiosk.store.reset_pin(
                StaffId(*id),
                &hash,
                Actor::AdminCommandLine,
                SystemClock.now(),
            )?;
            println!("staff {id}: PIN reset, account enabled");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn list(config: &KioskConfig) -> Result<ExitCode, Failure> {
    let store = setup::open_ledger(config)?;
    let now = SystemClock.now();
    let staff = store.list_staff()?;
    if staff.is_empty() {
        println!(
            "no staff yet: add the first manager with `kiosk staff add --name NAME --role manager`"
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:>4}  {:<40}  {:<8}  {:<8}  state",
        "id", "name", "role", "language"
    );
    for member in staff {
        let state = if !member.active {
            "disabled".to_owned()
        } else if let Some(until) = member.locked_until.filter(|until| *until > now) {
            format!(
                "waiting until {}",
                store_time::clock_for_people(until, &config.store.time_zone)
            )
        } else if member.consecutive_failures == 1 {
            "active (1 wrong PIN)".to_owned()
        } else if member.consecutive_failures > 1 {
            format!(
                "active ({} wrong PINs in a row)",
                member.consecutive_failures
            )
        } else {
            "active".to_owned()
        };
        // "counter": they have no language of their own and hear the counter's.
        let lang = member.lang.map_or("counter", |lang| lang.code());
        println!(
            "{:>4}  {:<40}  {:<8}  {lang:<8}  {state}",
            member.id,
            member.display_name,
            member.role.code()
        );
    }
    Ok(ExitCode::SUCCESS)
}
