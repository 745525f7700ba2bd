//! Pickup codes for head office, sealed: the code a kiosk makes for a parcel that arrived
//! unannounced is sealed to head office's X25519 public key (a libsodium-style sealed box,
//! `crypto_box`), so head office's notification service can tell the customer, and nobody
//! else can read it: not the kiosk (it keeps only the keyed digest, and the sealed box's
//! ephemeral key is gone after sealing), not the network, not a copy of the ledger.
//!
//! Head office does not keep a second secret for it: its X25519 key pair is derived from its
//! Ed25519 signing key (`kiosk-hq keygen` prints both public halves).

use chrono::{DateTime, SecondsFormat, Utc};
use crypto_box::aead::OsRng;
use crypto_box::{PublicKey, SecretKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Domain separation for deriving the X25519 secret from the signing key's secret.
const DERIVE_TAG: &[u8] = b"handoff-kiosk/hq-codes-key/v1\0";
pub const SEALED_CODE_FORMAT: &str = "handoff-kiosk sealed pickup code v1";

/// Head office's public key that codes are sealed to (kiosk.toml `[head_office] codes_key`).
#[derive(Clone, PartialEq, Eq)]
pub struct CodeSealKey(PublicKey);

impl std::fmt::Debug for CodeSealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CodeSealKey({})", self.to_hex())
    }
}

impl CodeSealKey {
    /// 64 hex digits.
    pub fn from_hex(text: &str) -> Option<Self> {
        let bytes: [u8; 32] = hex::decode(text.trim()).ok()?.try_into().ok()?;
        // The all-zero point (and other low-order points) would make every box readable.
        if bytes.iter().all(|b| *b == 0) {
            return None;
        }
        Some(Self(PublicKey::from(bytes)))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0.as_bytes())
    }

    /// Seals one code's details; only the holder of the matching [`CodeOpenKey`] opens it.
    pub fn seal(&self, code: &SealedCodeBody) -> Result<Vec<u8>, String> {
        let text = zeroize::Zeroizing::new(serde_json::to_vec(code).map_err(|e| e.to_string())?);
        self.0
            .seal(&mut OsRng, &text)
            .map_err(|_| "the pickup code could not be sealed".to_owned())
    }
}

/// Head office's secret half, derived from its signing key's secret bytes.
pub struct CodeOpenKey(SecretKey);

impl CodeOpenKey {
    pub fn derive(signing_secret: &[u8]) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(DERIVE_TAG);
        hasher.update(signing_secret);
        let bytes: [u8; 32] = hasher.finalize().into();
        Self(SecretKey::from(bytes))
    }

    pub fn public(&self) -> CodeSealKey {
        CodeSealKey(self.0.public_key())
    }

    /// Opens a sealed code. Fails for a box sealed to another key or altered on the way.
    pub fn open(&self, sealed: &[u8]) -> Result<SealedCodeBody, String> {
        let text = self
            .0
            .unseal(sealed)
            .map_err(|_| "sealed to another key, or altered".to_owned())?;
        let body: SealedCodeBody = serde_json::from_slice(&text)
            .map_err(|e| format!("opened, but cannot be read: {e}"))?;
        if body.format != SEALED_CODE_FORMAT {
            return Err(format!("unknown sealed code format {:?}", body.format));
        }
        Ok(body)
    }
}

/// What is sealed: everything a notification service needs to tell the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedCodeBody {
    pub format: String,
    pub store_id: String,
    pub tracking_id: String,
    pub code: String,
    /// The customer's name as the clerk recorded it (often empty for an unannounced parcel).
    pub recipient: String,
    /// RFC 3339, UTC; empty when the parcel has no hold end.
    pub hold_until: String,
    /// When the parcel was received, RFC 3339, UTC.
    pub recorded_at: String,
}

impl SealedCodeBody {
    pub fn new(
        store_id: &str,
        tracking_id: &str,
        code: &str,
        recipient: &str,
        hold_until: Option<DateTime<Utc>>,
        recorded_at: DateTime<Utc>,
    ) -> Self {
        let time = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Secs, true);
        Self {
            format: SEALED_CODE_FORMAT.to_owned(),
            store_id: store_id.to_owned(),
            tracking_id: tracking_id.to_owned(),
            code: code.to_owned(),
            recipient: recipient.to_owned(),
            hold_until: hold_until.map(time).unwrap_or_default(),
            recorded_at: time(recorded_at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_opens_only_under_the_key_it_was_sealed_to() {
        let hq = CodeOpenKey::derive(&[7; 32]);
        let other = CodeOpenKey::derive(&[8; 32]);
        assert_eq!(hq.public(), CodeOpenKey::derive(&[7; 32]).public());
        let body = SealedCodeBody::new("RVM-0045", "AB1234", "042042", "Ana", None, Utc::now());
        let sealed = hq.public().seal(&body).unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"042042"));
        assert_eq!(hq.open(&sealed).unwrap(), body);
        assert!(other.open(&sealed).is_err());
        let mut altered = sealed.clone();
        altered[40] ^= 1;
        assert!(hq.open(&altered).is_err());
        let key = CodeSealKey::from_hex(&hq.public().to_hex()).unwrap();
        assert_eq!(key, hq.public());
        assert!(CodeSealKey::from_hex(&"00".repeat(32)).is_none());
        assert!(CodeSealKey::from_hex("abc").is_none());
    }
}
