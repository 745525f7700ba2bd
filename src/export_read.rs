//! Reading a verified export back as events, for head office (`kiosk-hq`), which keeps every
//! store's exports. Verification is [`verify_export`] itself, the check `kiosk verify-export`
//! runs: nothing here re-implements the format.

use std::collections::BTreeMap;
use std::path::Path;

use crate::domain::export::{
    CSV_FILE, ExportSummary, ExportedEvent, JSON_FILE, MANIFEST_FILE, Manifest, NDJSON_FILE,
    sha256_hex,
};
use crate::domain::export_verify::{VerifiedFiles, verify_export_events};
use crate::domain::signing::StorePublicKey;

/// An export that verified under the key it was checked against, with its events.
#[derive(Debug, Clone)]
pub struct VerifiedExport {
    pub manifest: Manifest,
    /// SHA-256 of the manifest file's bytes: names this exact export.
    pub manifest_sha256: String,
    pub summary: ExportSummary,
    /// The events in sequence order, as the export's data files hold them.
    pub events: Vec<ExportedEvent>,
}

/// The manifest of an export (unverified: for routing it to the right key, never for trust).
pub fn read_manifest(manifest_text: &[u8]) -> Result<Manifest, String> {
    serde_json::from_slice(manifest_text)
        .map_err(|e| format!("{MANIFEST_FILE} is not a valid manifest: {e}"))
}

/// Verifies an export exactly as `kiosk verify-export` does, under `key`, and returns its
/// events. Every listed data file was checked to hold the same chain; the events are those
/// the check read from the JSON file when there is one, else NDJSON, else CSV (no file is
/// parsed twice).
pub fn verify_and_read_export(
    manifest_text: &[u8],
    files: &BTreeMap<String, Vec<u8>>,
    key: &StorePublicKey,
) -> Result<VerifiedExport, Vec<String>> {
    let VerifiedFiles {
        manifest,
        summary,
        events: mut by_file,
    } = verify_export_events(manifest_text, files, key)?;
    let listed = |name: &str| manifest.body.files.iter().any(|file| file.name == name);
    let events = match [JSON_FILE, NDJSON_FILE, CSV_FILE]
        .into_iter()
        .find(|name| listed(name))
    {
        // A listed file that verified was parsed by the check.
        Some(name) => by_file
            .remove(name)
            .ok_or_else(|| vec![format!("{name} is listed but was not read")])?,
        None if manifest.body.event_count == 0 => Vec::new(),
        None => return Err(vec!["the export lists no data file to read".to_owned()]),
    };
    Ok(VerifiedExport {
        manifest_sha256: sha256_hex(manifest_text),
        manifest,
        summary,
        events,
    })
}

/// Reads an export folder and verifies it: [`crate::export::read_export_folder`], then
/// [`verify_and_read_export`].
pub fn verify_and_read_export_folder(
    folder: &Path,
    key: &StorePublicKey,
) -> Result<VerifiedExport, Vec<String>> {
    let (manifest, files) = crate::export::read_export_folder(folder).map_err(|e| vec![e])?;
    verify_and_read_export(&manifest, &files, key)
}
