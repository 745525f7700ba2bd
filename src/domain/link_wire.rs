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
    /// The pickup codes made for unannounced parcels in these events, sealed to head office's
    /// key (`domain::sealed_codes`). Not under the manifest's signature: head office takes
    /// only those of events it holds from this store, and only head office can open them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sealed_codes: Vec<SealedCode>,
}

/// One sealed pickup code as it travels: the event that made it, the parcel, and the box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedCode {
    pub seq: u64,
    pub tracking_id: String,
    /// RFC 3339, UTC.
    pub recorded_at: String,
    /// The sealed box, hex.
    pub sealed: String,
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
        sealed_codes: Vec::new(),
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

/// Where a kiosk asks for its announcements, under `[head_office] url`.
pub const ANNOUNCEMENTS_PATH: &str = "/v1/announcements";
/// Domain separation for the kiosk's request and head office's answer.
pub const ANNOUNCEMENT_REQUEST_TAG: &[u8] = b"handoff-kiosk/announcement-request/v1\0";
pub const ANNOUNCEMENTS_TAG: &[u8] = b"handoff-kiosk/hq-announcements/v1\0";
pub const ANNOUNCEMENTS_FORMAT: &str = "handoff-kiosk hq announcements v1";

/// The kiosk's request for its pending announcements, signed with the store key (head office
/// answers only a registered store). `applied_through` acknowledges every announcement up to
/// that id as imported: head office marks them delivered only then, so an answer lost on the
/// way is sent again instead of lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementRequest {
    pub store_id: String,
    pub applied_through: u64,
    /// RFC 3339, UTC.
    pub at: String,
    pub key_id: String,
    /// Hex, over [`AnnouncementRequest::message`].
    pub signature: String,
}

impl AnnouncementRequest {
    pub fn signed(
        key: &StoreKey,
        store_id: &str,
        applied_through: u64,
        now: DateTime<Utc>,
    ) -> Self {
        let mut request = Self {
            store_id: store_id.to_owned(),
            applied_through,
            at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
            key_id: key.public().key_id(),
            signature: String::new(),
        };
        request.signature = hex::encode(key.sign(&request.message()));
        request
    }

    fn message(&self) -> Vec<u8> {
        let mut message = ANNOUNCEMENT_REQUEST_TAG.to_vec();
        message.extend_from_slice(
            format!("{}\n{}\n{}", self.store_id, self.applied_through, self.at).as_bytes(),
        );
        message
    }

    /// Whether the store key `key` signed this request.
    pub fn is_signed_by(&self, key: &StorePublicKey) -> bool {
        hex::decode(&self.signature).is_ok_and(|signature| key.verify(&self.message(), &signature))
    }
}

/// One announcement as head office queued it: the carrier's CSV, exactly as given to
/// `kiosk-hq announce`, read at the kiosk by the same parser as `kiosk import-expected`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    /// Head office's number for it, rising per store: the kiosk imports each id once.
    pub id: u64,
    /// The file's name at head office, for the import's event.
    pub source: String,
    pub csv: String,
}

/// What head office signs: the store's pending announcements, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementsBody {
    pub format: String,
    pub store_id: String,
    pub announcements: Vec<Announcement>,
    /// RFC 3339, UTC.
    pub issued_at: String,
}

/// Head office's answer to an [`AnnouncementRequest`]: the body's exact signed text, its key
/// id and signature (hex); or a refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AnnouncementsReply {
    Signed {
        body: String,
        key_id: String,
        signature: String,
    },
    Refused {
        reason: String,
    },
}

fn announcements_message(body: &str) -> Vec<u8> {
    let mut message = ANNOUNCEMENTS_TAG.to_vec();
    message.extend_from_slice(body.as_bytes());
    message
}

/// Signs a store's pending announcements with head office's key.
pub fn sign_announcements(
    key: &StoreKey,
    store_id: &str,
    announcements: Vec<Announcement>,
    now: DateTime<Utc>,
) -> Result<AnnouncementsReply, String> {
    let body = AnnouncementsBody {
        format: ANNOUNCEMENTS_FORMAT.to_owned(),
        store_id: store_id.to_owned(),
        announcements,
        issued_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
    };
    let text = serde_json::to_string(&body).map_err(|e| e.to_string())?;
    let signature = key.sign(&announcements_message(&text));
    Ok(AnnouncementsReply::Signed {
        body: text,
        key_id: key.public().key_id(),
        signature: hex::encode(signature),
    })
}

/// Checks head office's signature (under the key kiosk.toml pins, never one the answer names)
/// and that the announcements are for `store_id`; returns them. Anything else refuses the
/// whole answer, so nothing of a tampered batch is imported.
pub fn verify_announcements(
    body: &str,
    signature_hex: &str,
    key: &StorePublicKey,
    store_id: &str,
) -> Result<AnnouncementsBody, String> {
    let signed = hex::decode(signature_hex)
        .is_ok_and(|signature| key.verify(&announcements_message(body), &signature));
    if !signed {
        return Err(format!(
            "the announcements' signature does not verify under head office's key {}",
            key.key_id()
        ));
    }
    let body: AnnouncementsBody =
        serde_json::from_str(body).map_err(|e| format!("the announcements cannot be read: {e}"))?;
    if body.format != ANNOUNCEMENTS_FORMAT {
        return Err(format!("unknown announcements format {:?}", body.format));
    }
    if body.store_id != store_id {
        return Err(format!(
            "the announcements are for store {}, not {store_id}",
            body.store_id
        ));
    }
    if body
        .announcements
        .windows(2)
        .any(|pair| pair[0].id >= pair[1].id)
    {
        return Err("the announcements are not in rising order".to_owned());
    }
    Ok(body)
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

    #[test]
    fn announcements_verify_only_under_head_offices_key_and_for_their_store() {
        let hq = StoreKey::generate().unwrap();
        let other = StoreKey::generate().unwrap();
        let one = Announcement {
            id: 4,
            source: "day.csv".into(),
            csv: "tracking_id,recipient_name,pickup_code\nAB1234,Ana,1234\n".into(),
        };
        let AnnouncementsReply::Signed {
            body, signature, ..
        } = sign_announcements(&hq, "RVM-0045", vec![one.clone()], Utc::now()).unwrap()
        else {
            panic!("signed");
        };
        let read = verify_announcements(&body, &signature, &hq.public(), "RVM-0045").unwrap();
        assert_eq!(read.announcements, vec![one]);
        assert!(verify_announcements(&body, &signature, &other.public(), "RVM-0045").is_err());
        assert!(verify_announcements(&body, &signature, &hq.public(), "RVM-0046").is_err());
        let altered = body.replace("Ana", "Bob");
        assert!(verify_announcements(&altered, &signature, &hq.public(), "RVM-0045").is_err());

        let store = StoreKey::generate().unwrap();
        let request = AnnouncementRequest::signed(&store, "RVM-0045", 3, Utc::now());
        assert!(request.is_signed_by(&store.public()));
        assert!(!request.is_signed_by(&other.public()));
        let moved = AnnouncementRequest {
            applied_through: 9,
            ..request
        };
        assert!(!moved.is_signed_by(&store.public()));
    }
}
