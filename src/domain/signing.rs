//! The store's Ed25519 identity: it signs checkpoints of the ledger (and later handshake tokens
//! and export manifests) so that anyone holding the public key can check them offline.

use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::chain::ChainHash;
use super::clock::to_micros;

/// Domain separation for checkpoint signatures.
pub const CHECKPOINT_TAG: &[u8] = b"handoff-kiosk/checkpoint/v1\0";

#[derive(Debug, Error)]
pub enum KeyError {
    #[error("the key file holds {0} bytes; a store key has exactly 32")]
    WrongLength(usize),
    #[error("the public key is not a valid Ed25519 point")]
    InvalidPublicKey,
    #[error("the system random number generator failed: {0}")]
    Random(String),
}

/// The store's signing key. Created once at `kiosk init`, kept in a 0600 file, never in the ledger.
pub struct StoreKey {
    signing: SigningKey,
}

impl StoreKey {
    pub fn generate() -> Result<Self, KeyError> {
        let mut secret = zeroize::Zeroizing::new([0_u8; 32]);
        getrandom::fill(secret.as_mut()).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(Self {
            signing: SigningKey::from_bytes(&secret),
        })
    }

    pub fn from_secret_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        let secret: [u8; 32] = bytes
            .try_into()
            .map_err(|_| KeyError::WrongLength(bytes.len()))?;
        Ok(Self {
            signing: SigningKey::from_bytes(&secret),
        })
    }

    pub fn secret_bytes(&self) -> zeroize::Zeroizing<[u8; 32]> {
        zeroize::Zeroizing::new(self.signing.to_bytes())
    }

    pub fn public(&self) -> StorePublicKey {
        StorePublicKey(self.signing.verifying_key())
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }
}

/// The public half, as carriers and head office hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorePublicKey(VerifyingKey);

impl StorePublicKey {
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        let array: [u8; 32] = bytes
            .try_into()
            .map_err(|_| KeyError::WrongLength(bytes.len()))?;
        VerifyingKey::from_bytes(&array)
            .map(Self)
            .map_err(|_| KeyError::InvalidPublicKey)
    }

    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.to_bytes())
    }

    /// A short id for the key: the first 8 bytes of SHA-256 of the public key, in hex.
    pub fn key_id(&self) -> String {
        let digest = Sha256::digest(self.to_bytes());
        hex::encode(&digest[..8])
    }

    /// `verify_strict` rejects the weak keys and malleable signatures plain `verify` allows.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(signature) = Signature::from_slice(signature) else {
            return false;
        };
        self.0.verify_strict(message, &signature).is_ok()
    }
}

/// What the kiosk signs when a driver's step of a handshake completes: the claim time decides
/// whether the token was still valid, so it must not be backdated behind the kiosk's back.
pub fn token_claim_message(token_id: &str, claimed_at_us: i64) -> Vec<u8> {
    let mut out = b"handoff-kiosk/token-claim/v1\0".to_vec();
    out.extend_from_slice(&(token_id.len() as u32).to_be_bytes());
    out.extend_from_slice(token_id.as_bytes());
    out.extend_from_slice(&claimed_at_us.to_be_bytes());
    out
}

/// A signed statement that the ledger held `event_count` events ending in `head_hash`. A later
/// ledger must still contain that prefix, which catches a truncated tail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub store_id: String,
    pub event_count: u64,
    pub head_hash: ChainHash,
    pub signed_at: DateTime<Utc>,
}

impl Checkpoint {
    pub fn message(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(96);
        out.extend_from_slice(CHECKPOINT_TAG);
        out.extend_from_slice(&(self.store_id.len() as u32).to_be_bytes());
        out.extend_from_slice(self.store_id.as_bytes());
        out.extend_from_slice(&self.event_count.to_be_bytes());
        out.extend_from_slice(&self.head_hash);
        out.extend_from_slice(&to_micros(self.signed_at).to_be_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoint_signature_verifies_only_unchanged_and_under_its_key() {
        let key = StoreKey::generate().unwrap();
        let checkpoint = Checkpoint {
            store_id: "ABC-0045".into(),
            event_count: 7,
            head_hash: [9; 32],
            signed_at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
        };
        let signature = key.sign(&checkpoint.message());
        assert!(key.public().verify(&checkpoint.message(), &signature));
        let mut moved = checkpoint.clone();
        moved.event_count = 6;
        assert!(!key.public().verify(&moved.message(), &signature));
        let stranger = StoreKey::generate().unwrap();
        assert!(!stranger.public().verify(&checkpoint.message(), &signature));
        let reloaded = StoreKey::from_secret_bytes(key.secret_bytes().as_ref()).unwrap();
        assert_eq!(reloaded.public(), key.public());
        assert_eq!(key.public().key_id().len(), 16);
    }
}
