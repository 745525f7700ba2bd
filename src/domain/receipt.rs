//! Signed receipt tokens: the QR on a customer's drop-off or return receipt. Signed with the
//! store's key like the driver handshake token, so the customer (or head office, or a carrier)
//! can prove offline that this store received these parcels, in this ledger event, at this time.
//!
//! Layout (big-endian), then a 64-byte Ed25519 signature over `SIGN_TAG || payload`, the whole
//! base45-encoded (RFC 9285: exactly QR's alphanumeric set) behind the prefix `HKR1:`:
//!
//! | bytes | field |
//! |---|---|
//! | 1 | format version (1) |
//! | 8 | store id, as its eight ASCII characters (`ABC-0045`) |
//! | 8 | ledger sequence number of the event |
//! | 32 | that event's chain hash |
//! | 8 | recorded at, Unix seconds (signed) |
//! | 1 + n | event kind: its stable ledger code, length first |
//! | 2 | parcel count |
//! | 1 + n each | tracking ids in the order received, each length first |
//!
//! The kind travels as its ledger code (the same word the chain hashes), so the token never
//! depends on the order of the `EventKind` enum.

use chrono::{DateTime, Utc};
use thiserror::Error;

use super::chain::ChainHash;
use super::custody::EventKind;
use super::ids::{StoreId, TrackingId};
use super::signing::{StoreKey, StorePublicKey};

pub const RECEIPT_PREFIX: &str = "HKR1:";
pub const RECEIPT_VERSION: u8 = 1;
const SIGN_TAG: &[u8] = b"handoff-kiosk/receipt/v1\0";
const SIGNATURE_LEN: usize = 64;
const STORE_ID_LEN: usize = 8;

/// What a receipt says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptClaims {
    pub store_id: StoreId,
    /// The ledger event the receipt is for.
    pub seq: i64,
    /// That event's hash, so the receipt points at exactly one event in an exported chain.
    pub event_hash: ChainHash,
    /// `CustomerDropOff` or `CustomerReturn`.
    pub kind: EventKind,
    /// Whole seconds: the token carries no finer time.
    pub recorded_at: DateTime<Utc>,
    /// Every parcel received, in order.
    pub parcels: Vec<TrackingId>,
}

impl ReceiptClaims {
    fn payload(&self) -> Vec<u8> {
        let kind = self.kind.code().as_bytes();
        let mut out = Vec::with_capacity(64 + kind.len() + self.parcels.len() * 24);
        out.push(RECEIPT_VERSION);
        out.extend_from_slice(self.store_id.as_str().as_bytes());
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&self.event_hash);
        out.extend_from_slice(&self.recorded_at.timestamp().to_be_bytes());
        push_short(&mut out, kind);
        // A receipt is for one counter handoff: far fewer than 65 535 parcels. Tracking ids are
        // at most 40 characters, so each length fits a byte.
        let count = u16::try_from(self.parcels.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&count.to_be_bytes());
        for parcel in self.parcels.iter().take(usize::from(count)) {
            push_short(&mut out, parcel.as_str().as_bytes());
        }
        out
    }
}

fn push_short(out: &mut Vec<u8>, bytes: &[u8]) {
    let length = u8::try_from(bytes.len()).unwrap_or(u8::MAX);
    out.push(length);
    out.extend_from_slice(&bytes[..usize::from(length)]);
}

fn signed_message(payload: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(SIGN_TAG.len() + payload.len());
    message.extend_from_slice(SIGN_TAG);
    message.extend_from_slice(payload);
    message
}

/// The text the receipt's QR code encodes.
pub fn sign_receipt(key: &StoreKey, claims: &ReceiptClaims) -> String {
    let mut signed = claims.payload();
    let signature = key.sign(&signed_message(&signed));
    signed.extend_from_slice(&signature);
    format!("{RECEIPT_PREFIX}{}", base45::encode(&signed))
}

/// Why a receipt token was refused.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum ReceiptError {
    #[error("malformed: {0}")]
    Malformed(String),
    #[error("bad signature: the receipt was not signed by the key {key_id} or was altered")]
    BadSignature { key_id: String },
}

impl ReceiptError {
    /// The one-word reason, for scripts.
    pub fn reason(&self) -> &'static str {
        match self {
            ReceiptError::Malformed(_) => "malformed",
            ReceiptError::BadSignature { .. } => "bad_signature",
        }
    }
}

/// Reads the payload front to back; running out of bytes means the text was cut short.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, count: usize, what: &str) -> Result<&'a [u8], ReceiptError> {
        if self.bytes.len() < count {
            return Err(ReceiptError::Malformed(format!(
                "cut short (it ends in the {what})"
            )));
        }
        let (head, tail) = self.bytes.split_at(count);
        self.bytes = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], ReceiptError> {
        let mut out = [0_u8; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }

    fn short(&mut self, what: &str) -> Result<&'a [u8], ReceiptError> {
        let [length] = self.array::<1>(what)?;
        self.take(usize::from(length), what)
    }
}

/// Checks prefix, encoding, every field and the signature (strict). A receipt does not expire:
/// it is proof of a past handoff.
pub fn verify_receipt(text: &str, key: &StorePublicKey) -> Result<ReceiptClaims, ReceiptError> {
    let malformed = |reason: String| ReceiptError::Malformed(reason);
    let body = text
        .trim()
        .strip_prefix(RECEIPT_PREFIX)
        .ok_or_else(|| malformed(format!("it does not start with {RECEIPT_PREFIX}")))?;
    let signed = base45::decode(body).map_err(|_| {
        malformed("it is not valid base45 (a character is wrong or it was cut short)".to_owned())
    })?;
    let mut reader = Reader { bytes: &signed };
    let [version] = reader.array::<1>("format version")?;
    if version != RECEIPT_VERSION {
        return Err(malformed(format!("unknown format version {version}")));
    }
    let store_bytes = reader.take(STORE_ID_LEN, "store id")?;
    let store_id = std::str::from_utf8(store_bytes)
        .ok()
        .and_then(|text| StoreId::parse(text).ok())
        .ok_or_else(|| malformed("the store id is invalid".to_owned()))?;
    let seq = i64::from_be_bytes(reader.array::<8>("sequence number")?);
    let event_hash = reader.array::<32>("event hash")?;
    let seconds = i64::from_be_bytes(reader.array::<8>("time")?);
    let recorded_at = DateTime::from_timestamp(seconds, 0)
        .ok_or_else(|| malformed("the time is invalid".to_owned()))?;
    let kind = std::str::from_utf8(reader.short("event kind")?)
        .ok()
        .and_then(|code| code.parse::<EventKind>().ok())
        .ok_or_else(|| malformed("the event kind is unknown".to_owned()))?;
    let count = u16::from_be_bytes(reader.array::<2>("parcel count")?);
    let mut parcels = Vec::with_capacity(usize::from(count));
    for number in 1..=count {
        let id = std::str::from_utf8(reader.short("parcel list")?)
            .ok()
            .and_then(|text| TrackingId::parse(text).ok())
            .ok_or_else(|| malformed(format!("parcel {number} is not a tracking id")))?;
        parcels.push(id);
    }
    let payload_len = signed.len() - reader.bytes.len();
    match reader.bytes.len() {
        SIGNATURE_LEN => {}
        short if short < SIGNATURE_LEN => {
            return Err(malformed(format!(
                "it is cut short: its signature holds {short} bytes, a signature has \
                 {SIGNATURE_LEN}"
            )));
        }
        long => {
            return Err(malformed(format!(
                "{} bytes follow the signature",
                long - SIGNATURE_LEN
            )));
        }
    }
    let (payload, signature) = signed.split_at(payload_len);
    if !key.verify(&signed_message(payload), signature) {
        return Err(ReceiptError::BadSignature {
            key_id: key.key_id(),
        });
    }
    Ok(ReceiptClaims {
        store_id,
        seq,
        event_hash,
        kind,
        recorded_at,
        parcels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const QR_ALPHANUMERIC: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

    fn claims() -> ReceiptClaims {
        ReceiptClaims {
            store_id: StoreId::parse("RVM-0045").unwrap(),
            seq: 4711,
            event_hash: std::array::from_fn(|i| i as u8 * 7),
            kind: EventKind::CustomerDropOff,
            recorded_at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
            parcels: [
                "1Z999AA10123456784",
                "9400111899223100000000000000000000",
                "JD0001",
            ]
            .into_iter()
            .map(|id| TrackingId::parse(id).unwrap())
            .collect(),
        }
    }

    #[test]
    fn a_receipt_round_trips_in_qr_alphanumeric_characters() {
        let key = StoreKey::generate().unwrap();
        for kind in [EventKind::CustomerDropOff, EventKind::CustomerReturn] {
            let claims = ReceiptClaims { kind, ..claims() };
            let text = sign_receipt(&key, &claims);
            assert!(text.starts_with("HKR1:"));
            assert!(text.chars().all(|c| QR_ALPHANUMERIC.contains(c)), "{text}");
            assert_eq!(verify_receipt(&text, &key.public()), Ok(claims));
        }
    }

    #[test]
    fn one_character_changed_anywhere_is_refused() {
        let key = StoreKey::generate().unwrap();
        let text = sign_receipt(&key, &claims());
        let characters: Vec<char> = text.chars().collect();
        for position in 0..characters.len() {
            for replacement in ['0', 'Z', '*'] {
                if characters[position] == replacement {
                    continue;
                }
                let mut altered = characters.clone();
                altered[position] = replacement;
                let altered: String = altered.into_iter().collect();
                assert!(
                    verify_receipt(&altered, &key.public()).is_err(),
                    "{replacement:?} at {position} was accepted"
                );
            }
        }
    }

    #[test]
    fn another_stores_key_is_refused() {
        let key = StoreKey::generate().unwrap();
        let other = StoreKey::generate().unwrap();
        let text = sign_receipt(&key, &claims());
        let refusal = verify_receipt(&text, &other.public()).unwrap_err();
        assert_eq!(refusal.reason(), "bad_signature");
        assert!(refusal.to_string().contains(&other.public().key_id()));
    }

    #[test]
    fn truncated_or_foreign_text_is_refused_with_a_reason() {
        let key = StoreKey::generate().unwrap();
        let text = sign_receipt(&key, &claims());
        for cut in [text.len() - 1, text.len() - 3, text.len() / 2, 8, 5] {
            let refusal = verify_receipt(&text[..cut], &key.public()).unwrap_err();
            assert_eq!(refusal.reason(), "malformed", "cut at {cut}: {refusal}");
            let words = refusal.to_string();
            assert!(
                words.contains("cut short") || words.contains("base45"),
                "cut at {cut}: {words}"
            );
        }
        let refusal = verify_receipt("HKR1:hello, world", &key.public()).unwrap_err();
        assert!(
            refusal.to_string().contains("not valid base45"),
            "{refusal}"
        );
        let refusal = verify_receipt("HK1:ABC", &key.public()).unwrap_err();
        assert!(
            refusal.to_string().contains("does not start with HKR1:"),
            "{refusal}"
        );
    }
}
