//! The live link's wire format, shared by the kiosk's sender and head office's server.
//!
//! A batch is an export of a run of events: a manifest signed with the store key (store id,
//! events `first_seq..=last_seq`, the chain heads before and after) and one NDJSON file of the
//! events in the export's own row form ([`ExportedEvent`]). Head office checks it with the very
//! code that checks an export (`verify_export`), so there is one canonical form, not two.
//! Head office answers with a receipt signed with its own key.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::chain::{ChainHash, LedgerEvent};
use super::export::{
    ExportedEvent, MANIFEST_FILE, MANIFEST_FORMAT, ManifestBody, ManifestFile, NDJSON_FILE,
    sha256_hex, sign_manifest,
};
use super::signing::{StoreKey, StorePublicKey};

/// Domain separation for head office's receipts.
pub const RECEIPT_TAG: &[u8] = b"handoff-kiosk/hq-receipt/v1\0";
pub const RECEIPT_FORMAT: &str = "handoff-kiosk hq receipt v1";
/// Where a kiosk posts its batches, under `[head_office] url`.
pub const BATCH_PATH: &str = "/v1/batches";

/// One batch as posted (JSON): the manifest's bytes and the NDJSON file's, as an export
/// folder would hold them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    pub manifest: String,
    pub ledger_ndjson: String,
}

impl Batch {
    /// The batch as an export: the manifest's bytes and the data files by name.
    pub fn as_export(&self) -> (Vec<u8>, BTreeMap<String, Vec<u8>>) {
        let mut files = BTreeMap::new();
        files.insert(
            NDJSON_FILE.to_owned(),
            self.ledger_ndjson.as_bytes().to_vec(),
        );
        (self.manifest.as_bytes().to_vec(), files)
    }
}

/// What goes into a batch besides the events.
pub struct BatchSource<'a> {
    pub key: &'a StoreKey,
    pub store_id: &'a str,
    pub zone: chrono_tz::Tz,
    /// The hash of the event before the first one (genesis before event 1).
    pub head_before: ChainHash,
    pub demo_data: bool,
    pub now: DateTime<Utc>,
}

/// Builds and signs the batch of `events` (consecutive, in order, each with the name of the
/// staff member who recorded it). `None` for no events.
pub fn build_batch(
    source: &BatchSource<'_>,
    events: &[(LedgerEvent, String)],
) -> Result<Option<Batch>, String> {
    let (Some((first, _)), Some((last, _))) = (events.first(), events.last()) else {
        return Ok(None);
    };
    let mut ndjson = String::new();
    for (event, staff_name) in events {
        let exported = ExportedEvent::from_event(event, staff_name, &source.zone);
        ndjson.push_str(&serde_json::to_string(&exported).map_err(|e| e.to_string())?);
        ndjson.push('\n');
    }
    let local_date = |event: &LedgerEvent| {
        event
            .body
            .recorded_at
            .with_timezone(&source.zone)
            .date_naive()
    };
    let public = source.key.public();
    let body = ManifestBody {
        format: MANIFEST_FORMAT.to_owned(),
        store_id: source.store_id.to_owned(),
        time_zone: source.zone.name().to_owned(),
        from_date: local_date(first),
        to_date: local_date(last),
        first_seq: Some(first.seq),
        last_seq: Some(last.seq),
        event_count: events.len() as u64,
        chain_head_before: hex::encode(source.head_before),
        chain_head_after: hex::encode(last.hash),
        generated_at: source.now.with_timezone(&source.zone).to_rfc3339(),
        demo_data: source.demo_data,
        // More events of the last day may follow in the next batch.
        complete: Some(false),
        files: vec![ManifestFile {
            name: NDJSON_FILE.to_owned(),
            bytes: ndjson.len() as u64,
            sha256: sha256_hex(ndjson.as_bytes()),
        }],
        key_id: public.key_id(),
        public_key: public.to_hex(),
    };
    let manifest = sign_manifest(source.key, body)?;
    let manifest = serde_json::to_string(&manifest).map_err(|e| format!("{MANIFEST_FILE}: {e}"))?;
    Ok(Some(Batch {
        manifest,
        ledger_ndjson: ndjson,
    }))
}

/// What head office acknowledges: it holds the store's chain up to `last_seq`, ending in
/// `head_hash`, as of `acknowledged_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptBody {
    pub format: String,
    pub store_id: String,
    pub last_seq: u64,
    pub head_hash: String,
    /// RFC 3339, UTC.
    pub acknowledged_at: String,
}

impl ReceiptBody {
    pub fn new(store_id: &str, last_seq: u64, head_hash: &[u8], at: DateTime<Utc>) -> Self {
        Self {
            format: RECEIPT_FORMAT.to_owned(),
            store_id: store_id.to_owned(),
            last_seq,
            head_hash: hex::encode(head_hash),
            acknowledged_at: at.to_rfc3339_opts(SecondsFormat::Secs, true),
        }
    }

    pub fn head_hash(&self) -> Option<ChainHash> {
        hex::decode(&self.head_hash)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
    }

    pub fn acknowledged_at(&self) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(&self.acknowledged_at)
            .ok()
            .map(|at| at.with_timezone(&Utc))
    }
}

/// A receipt as sent and kept: the body's exact signed text, head office's key id and its
/// signature (hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedReceipt {
    pub body: String,
    pub key_id: String,
    pub signature: String,
}

fn receipt_message(body: &str) -> Vec<u8> {
    let mut message = RECEIPT_TAG.to_vec();
    message.extend_from_slice(body.as_bytes());
    message
}

pub fn sign_receipt(key: &StoreKey, body: &ReceiptBody) -> Result<SignedReceipt, String> {
    let text = serde_json::to_string(body).map_err(|e| e.to_string())?;
    let signature = key.sign(&receipt_message(&text));
    Ok(SignedReceipt {
        body: text,
        key_id: key.public().key_id(),
        signature: hex::encode(signature),
    })
}

/// Checks a receipt's signature under head office's key (from the kiosk's configuration,
/// never from the receipt) and that it is for `store_id`; returns what it says.
pub fn verify_receipt(
    receipt_body: &str,
    signature: &[u8],
    key: &StorePublicKey,
    store_id: &str,
) -> Result<ReceiptBody, String> {
    if !key.verify(&receipt_message(receipt_body), signature) {
        return Err(format!(
            "the receipt's signature does not verify under head office's key {}",
            key.key_id()
        ));
    }
    let body: ReceiptBody = serde_json::from_str(receipt_body)
        .map_err(|e| format!("the receipt cannot be read: {e}"))?;
    if body.format != RECEIPT_FORMAT {
        return Err(format!("unknown receipt format {:?}", body.format));
    }
    if body.store_id != store_id {
        return Err(format!(
            "the receipt is for store {}, not {store_id}",
            body.store_id
        ));
    }
    if body.head_hash().is_none() {
        return Err("the receipt's head hash is not 32 bytes of hex".to_owned());
    }
    Ok(body)
}

/// Head office's answer to a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Reply {
    /// Held: the receipt says up to where.
    Acknowledged { receipt: SignedReceipt },
    /// The batch starts past what head office holds: send again from `expected_seq`.
    Gap { expected_seq: u64 },
    /// Not taken, and why (a wrong key, a tampered batch, conflicting evidence).
    Refused { reason: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receipt_verifies_only_under_its_key_and_for_its_store() {
        let hq = StoreKey::generate().unwrap();
        let other = StoreKey::generate().unwrap();
        let body = ReceiptBody::new("RVM-0045", 7, &[3; 32], Utc::now());
        let signed = sign_receipt(&hq, &body).unwrap();
        let signature = hex::decode(&signed.signature).unwrap();
        let read = verify_receipt(&signed.body, &signature, &hq.public(), "RVM-0045").unwrap();
        assert_eq!(read, body);
        assert!(verify_receipt(&signed.body, &signature, &other.public(), "RVM-0045").is_err());
        assert!(verify_receipt(&signed.body, &signature, &hq.public(), "RVM-0046").is_err());
        let altered = signed.body.replace("\"last_seq\":7", "\"last_seq\":8");
        assert!(verify_receipt(&altered, &signature, &hq.public(), "RVM-0045").is_err());
    }
}
