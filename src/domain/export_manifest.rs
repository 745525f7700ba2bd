//! The signed manifest of a daily export: the files with their hashes, the range and the chain
//! heads, under the store key's signature. Head office checks it offline (`export::verify_export`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::signing::StoreKey;

/// Domain separation for the manifest's signature.
pub const MANIFEST_TAG: &[u8] = b"handoff-kiosk/export-manifest/v1\0";

/// One exported file as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

/// Everything the signature covers. Field order is the canonical order: never reorder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestBody {
    pub format: String,
    pub store_id: String,
    pub time_zone: String,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub first_seq: Option<u64>,
    pub last_seq: Option<u64>,
    pub event_count: u64,
    pub chain_head_before: String,
    pub chain_head_after: String,
    pub generated_at: String,
    pub demo_data: bool,
    /// Whether the last day exported had ended (store time) when the export was made: `false`
    /// for today before midnight, when more events may still come. Absent from manifests made
    /// before the field, so their bytes (and signatures) stay as they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complete: Option<bool>,
    pub files: Vec<ManifestFile>,
    pub key_id: String,
    pub public_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    #[serde(flatten)]
    pub body: ManifestBody,
    pub signature: String,
}

pub const MANIFEST_FORMAT: &str = "handoff-kiosk ledger export v1";

pub(crate) fn manifest_message(body: &ManifestBody) -> Result<Vec<u8>, String> {
    let mut message = MANIFEST_TAG.to_vec();
    message.extend(serde_json::to_vec(body).map_err(|e| e.to_string())?);
    Ok(message)
}

pub fn sign_manifest(key: &StoreKey, body: ManifestBody) -> Result<Manifest, String> {
    let signature = key.sign(&manifest_message(&body)?);
    Ok(Manifest {
        body,
        signature: hex::encode(signature),
    })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// What a clean export holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    pub store_id: String,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub event_count: u64,
    pub first_seq: Option<u64>,
    pub last_seq: Option<u64>,
    pub files: usize,
    /// The manifest's `complete` (see [`ManifestBody::complete`]).
    pub complete: Option<bool>,
}
