//! Test and benchmark data: real kiosks (one per store id, each with its own key) recording
//! through the kiosk library's own recording path (`kiosk seed`'s seeder) and exporting each
//! day through its own export path. Nothing here writes an export by hand.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use handoff_kiosk::config::{DEFAULT_CONFIG_TEXT, KioskConfig};
use handoff_kiosk::domain::pin::Pin;
use handoff_kiosk::domain::staff::{PinProof, Role};
use handoff_kiosk::export::{ExportFormat, export_days};
use handoff_kiosk::service::Kiosk;
use handoff_kiosk::setup;
use handoff_kiosk::store::Actor;

/// The shipped store id the template config carries.
const TEMPLATE_STORE_ID: &str = "id = \"RVM-0045\"";

/// The store id of test store number `n`: `HQT-0001`, `HQT-0002`, ...
pub fn store_id(n: u32) -> String {
    format!("HQT-{:04}", n % 10_000)
}

/// A kiosk for `store_id` in `work/<store_id>/`, initialised, with the cheapest PIN hashing the
/// kiosk accepts (this is test data; the recording path is otherwise the counter's).
pub fn open_kiosk(work: &Path, store_id: &str) -> Result<Kiosk> {
    let folder = work.join(store_id);
    std::fs::create_dir_all(&folder).with_context(|| format!("creating {}", folder.display()))?;
    let text = DEFAULT_CONFIG_TEXT
        .replace(TEMPLATE_STORE_ID, &format!("id = \"{store_id}\""))
        .replace("argon2_memory_kib = 65536", "argon2_memory_kib = 19456")
        .replace("argon2_iterations = 3", "argon2_iterations = 2");
    let path = folder.join("kiosk.toml");
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    let config = KioskConfig::load(&path).map_err(|e| anyhow::anyhow!("{e}"))?;
    setup::init(&config).map_err(|e| anyhow::anyhow!("kiosk init for {store_id}: {e}"))?;
    Kiosk::open(&config).map_err(|e| anyhow::anyhow!("opening the kiosk of {store_id}: {e}"))
}

/// Writes the store's public key as `kiosk key show` gives it (hex) to `<keys>/<store>.pub`.
pub fn write_public_key(kiosk: &Kiosk, keys: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(keys).with_context(|| format!("creating {}", keys.display()))?;
    let path = keys.join(format!("{}.pub", kiosk.config.store.id));
    std::fs::write(&path, format!("{}\n", kiosk.key.public().to_hex()))
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// Enrols a manager and signs in for real, for tests that record their own handoffs.
pub fn sign_in_manager(kiosk: &mut Kiosk, now: DateTime<Utc>) -> Result<PinProof> {
    const PIN: &str = "480915";
    let hash = kiosk
        .pins
        .hash_new_pin(&Pin::new(PIN), &kiosk.config.security.pin_policy)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let id = kiosk
        .store
        .add_staff(
            "Test Manager",
            Role::Manager,
            &hash,
            Actor::AdminCommandLine,
            now,
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let pins = kiosk.pins.clone();
    let lockout = kiosk.config.security.lockout;
    kiosk
        .store
        .verify_pin(id, &Pin::new(PIN), &pins, &lockout, || now)
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Signs the test manager in again at `now` (enrolling them the first time).
pub fn sign_in_manager_again(kiosk: &mut Kiosk, now: DateTime<Utc>) -> Result<PinProof> {
    const PIN: &str = "480915";
    let existing = kiosk
        .store
        .list_staff()
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .into_iter()
        .find(|member| member.display_name == "Test Manager");
    let Some(member) = existing else {
        return sign_in_manager(kiosk, now);
    };
    let pins = kiosk.pins.clone();
    let lockout = kiosk.config.security.lockout;
    kiosk
        .store
        .verify_pin(member.id, &Pin::new(PIN), &pins, &lockout, || now)
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Exports each day `first..=last` of the kiosk's ledger as its own folder in `out` (CSV and
/// JSON, the kiosk's default formats). Returns the folders.
pub fn export_each_day(
    kiosk: &Kiosk,
    first: NaiveDate,
    last: NaiveDate,
    out: &Path,
) -> Result<Vec<PathBuf>> {
    let mut folders = Vec::new();
    for day in first.iter_days().take_while(|day| *day <= last) {
        let outcome = export_days(
            kiosk,
            day,
            day,
            &[ExportFormat::Csv, ExportFormat::Json],
            out,
            Utc::now(),
            &mut |_, _| {},
        )
        .map_err(|e| anyhow::anyhow!("exporting {day}: {e}"))?;
        folders.push(outcome.folder);
    }
    Ok(folders)
}

/// What [`make_stores`] made for one store.
#[derive(Debug, Clone)]
pub struct MadeStore {
    pub store_id: String,
    pub public_key_file: PathBuf,
    pub exports: Vec<PathBuf>,
    pub events: u64,
}

/// `stores` kiosks (`HQT-0001`...), each seeded with about `per_day` events on each of `days`
/// days from `first_day` by the kiosk's seeder, and exported one folder per day into
/// `out/exports`; public keys in `out/keys`, the kiosks themselves in `out/kiosks`.
pub fn make_stores(
    out: &Path,
    stores: u32,
    first_day: NaiveDate,
    days: u32,
    per_day: u32,
    progress: &mut dyn FnMut(u32),
) -> Result<Vec<MadeStore>> {
    let mut made = Vec::new();
    for n in 1..=stores {
        let id = store_id(n);
        let mut kiosk = open_kiosk(&out.join("kiosks"), &id)?;
        // Each store its own parcels: a billion parcel numbers apart.
        let first_serial = u64::from(n) * 1_000_000_000;
        let summary = handoff_kiosk::seed::seed_days_numbered(
            &mut kiosk,
            first_day,
            days,
            per_day,
            first_serial,
            &mut |_, _| {},
        )
        .map_err(|e| anyhow::anyhow!("seeding {id}: {e}"))?;
        let last = first_day + chrono::Duration::days(i64::from(days.max(1)) - 1);
        let exports = export_each_day(&kiosk, first_day, last, &out.join("exports"))?;
        let public_key_file = write_public_key(&kiosk, &out.join("keys"))?;
        made.push(MadeStore {
            store_id: id,
            public_key_file,
            exports,
            events: summary.events,
        });
        progress(n);
    }
    Ok(made)
}
