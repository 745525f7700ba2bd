//! Driver handshake tokens: short-lived, signed by the store's key, small enough for a QR code a
//! phone can read off a terminal, and checkable offline by anyone with the store's public key.
//!
//! Layout (30 bytes, big-endian), then a 64-byte Ed25519 signature over
//! `SIGN_TAG || payload`, the 94 bytes base45-encoded (RFC 9285, whose alphabet is exactly QR's
//! alphanumeric set) behind the prefix `HK1:` — 145 characters in all:
//!
//! | bytes | field |
//! |---|---|
//! | 1 | format version (1) |
//! | 1 | direction: 1 delivery to the store, 2 pickup from the store |
//! | 4 | store id packed: letters base 26, then the four digits |
//! | 8 | handoff session id (random) |
//! | 4 | issued at, Unix seconds |
//! | 2 | lifetime in seconds |
//! | 2 | parcel count (pickup; 0 for a delivery) |
//! | 8 | first 8 bytes of SHA-256 over the sorted tracking ids (pickup; zeros for a delivery) |

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::ids::{StoreId, TrackingId};
use super::signing::{StoreKey, StorePublicKey};

pub const TOKEN_PREFIX: &str = "HK1:";
pub const TOKEN_VERSION: u8 = 1;
const SIGN_TAG: &[u8] = b"handoff-kiosk/handshake/v1\0";
const CODE_TAG: &[u8] = b"handoff-kiosk/handshake-code/v1\0";
const PARCELS_TAG: &[u8] = b"handoff-kiosk/handshake-parcels/v1\0";
const PAYLOAD_LEN: usize = 30;
const SIGNATURE_LEN: usize = 64;
/// Tokens stamped further ahead of the verifier's clock than this are refused: a phone's clock
/// may be a little off, but a token from the future was not made now.
pub const CLOCK_SKEW_ALLOWANCE: Duration = Duration::seconds(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// A driver hands parcels to the store.
    DeliveryToStore,
    /// A driver takes parcels from the store.
    PickupFromStore,
}

impl Direction {
    fn byte(self) -> u8 {
        match self {
            Direction::DeliveryToStore => 1,
            Direction::PickupFromStore => 2,
        }
    }

    fn from_byte(byte: u8) -> Option<Self> {
        match byte {
            1 => Some(Direction::DeliveryToStore),
            2 => Some(Direction::PickupFromStore),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Direction::DeliveryToStore => "delivery_to_store",
            Direction::PickupFromStore => "pickup_from_store",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Direction::DeliveryToStore, Direction::PickupFromStore]
            .into_iter()
            .find(|direction| direction.code() == code)
    }
}

/// What a token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandshakeClaims {
    pub store_id: StoreId,
    pub session_id: [u8; 8],
    pub direction: Direction,
    /// Whole seconds: the token carries no finer time.
    pub issued_at: DateTime<Utc>,
    pub lifetime_seconds: u16,
    pub parcel_count: u16,
    pub parcel_digest: [u8; 8],
}

impl HandshakeClaims {
    pub fn expires_at(&self) -> DateTime<Utc> {
        self.issued_at + Duration::seconds(i64::from(self.lifetime_seconds))
    }

    /// The id the ledger records for the handoff this token opened.
    pub fn token_id(&self) -> String {
        hex::encode(self.session_id)
    }

    fn payload(&self) -> [u8; PAYLOAD_LEN] {
        let mut out = [0_u8; PAYLOAD_LEN];
        out[0] = TOKEN_VERSION;
        out[1] = self.direction.byte();
        out[2..6].copy_from_slice(&pack_store_id(&self.store_id).to_be_bytes());
        out[6..14].copy_from_slice(&self.session_id);
        let issued = u32::try_from(self.issued_at.timestamp()).unwrap_or(0);
        out[14..18].copy_from_slice(&issued.to_be_bytes());
        out[18..20].copy_from_slice(&self.lifetime_seconds.to_be_bytes());
        out[20..22].copy_from_slice(&self.parcel_count.to_be_bytes());
        out[22..30].copy_from_slice(&self.parcel_digest);
        out
    }
}

/// The token's fields as a driver app (or `kiosk verify-qr`) would show them.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimsReport {
    pub version: u8,
    pub store_id: String,
    pub token_id: String,
    pub direction: Direction,
    pub issued_at: String,
    pub expires_at: String,
    pub parcel_count: u16,
    pub parcel_digest: String,
    pub fallback_code: String,
}

/// Packs `ABC-0045` into 32 bits: ((A*26 + B)*26 + C) * 10000 + 45.
fn pack_store_id(store_id: &StoreId) -> u32 {
    let bytes = store_id.as_str().as_bytes();
    let letters = bytes[..3]
        .iter()
        .fold(0_u32, |acc, letter| acc * 26 + u32::from(letter - b'A'));
    let digits = bytes[4..]
        .iter()
        .fold(0_u32, |acc, digit| acc * 10 + u32::from(digit - b'0'));
    letters * 10_000 + digits
}

fn unpack_store_id(packed: u32) -> Option<StoreId> {
    let digits = packed % 10_000;
    let mut letters = packed / 10_000;
    if letters >= 26 * 26 * 26 {
        return None;
    }
    let mut name = [0_u8; 3];
    for slot in name.iter_mut().rev() {
        *slot = b'A' + (letters % 26) as u8;
        letters /= 26;
    }
    let text = format!("{}-{digits:04}", String::from_utf8_lossy(&name));
    StoreId::parse(&text).ok()
}

/// The digest a pickup token carries: the same whatever order the parcels were scanned in.
pub fn parcel_list_digest(parcels: &[TrackingId]) -> [u8; 8] {
    let mut sorted: Vec<&str> = parcels.iter().map(TrackingId::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut hasher = Sha256::new();
    hasher.update(PARCELS_TAG);
    for id in sorted {
        hasher.update((id.len() as u32).to_be_bytes());
        hasher.update(id.as_bytes());
    }
    let digest = hasher.finalize();
    let mut out = [0_u8; 8];
    out.copy_from_slice(&digest[..8]);
    out
}

/// A signed token ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    pub claims: HandshakeClaims,
    /// The text the QR code encodes.
    pub text: String,
    /// The 6-digit code shown above the QR for drivers whose scan fails.
    pub fallback_code: String,
}

impl IssuedToken {
    pub fn token_id(&self) -> String {
        self.claims.token_id()
    }
}

/// The fallback code is derived from the whole signed token, so a typed code points at exactly
/// one token in the ledger's list of issued tokens.
fn fallback_code(signed: &[u8]) -> String {
    let digest = Sha256::new()
        .chain_update(CODE_TAG)
        .chain_update(signed)
        .finalize();
    let value = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
    format!("{:06}", value % 1_000_000)
}

#[derive(Debug, Error)]
pub enum IssueError {
    #[error("a pickup token needs the list of parcels (1-65535)")]
    BadParcelList,
    #[error("the token lifetime must be 1-65535 seconds")]
    BadLifetime,
    #[error("the system random number generator failed: {0}")]
    Random(String),
}

/// Makes and signs a token. `parcels` is the list for a pickup, `None` for a delivery.
pub fn issue_token(
    key: &StoreKey,
    store_id: &StoreId,
    direction: Direction,
    parcels: Option<&[TrackingId]>,
    lifetime: Duration,
    now: DateTime<Utc>,
) -> Result<IssuedToken, IssueError> {
    let lifetime_seconds = u16::try_from(lifetime.num_seconds())
        .ok()
        .filter(|seconds| *seconds > 0)
        .ok_or(IssueError::BadLifetime)?;
    let (parcel_count, parcel_digest) = match (direction, parcels) {
        (Direction::PickupFromStore, Some(list)) => {
            let count = u16::try_from(list.len())
                .ok()
                .filter(|count| *count > 0)
                .ok_or(IssueError::BadParcelList)?;
            (count, parcel_list_digest(list))
        }
        (Direction::PickupFromStore, None) => return Err(IssueError::BadParcelList),
        (Direction::DeliveryToStore, _) => (0, [0; 8]),
    };
    let mut session_id = [0_u8; 8];
    getrandom::fill(&mut session_id).map_err(|e| IssueError::Random(e.to_string()))?;
    let claims = HandshakeClaims {
        store_id: store_id.clone(),
        session_id,
        direction,
        issued_at: DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now),
        lifetime_seconds,
        parcel_count,
        parcel_digest,
    };
    Ok(sign_claims(key, claims))
}

fn signed_message(payload: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(SIGN_TAG.len() + payload.len());
    message.extend_from_slice(SIGN_TAG);
    message.extend_from_slice(payload);
    message
}

/// Signs given claims (public for tests that need exact field values).
pub fn sign_claims(key: &StoreKey, claims: HandshakeClaims) -> IssuedToken {
    let payload = claims.payload();
    let signature = key.sign(&signed_message(&payload));
    let mut signed = Vec::with_capacity(PAYLOAD_LEN + SIGNATURE_LEN);
    signed.extend_from_slice(&payload);
    signed.extend_from_slice(&signature);
    IssuedToken {
        text: format!("{TOKEN_PREFIX}{}", base45::encode(&signed)),
        fallback_code: fallback_code(&signed),
        claims,
    }
}

/// Why a token was refused.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("malformed: {0}")]
    Malformed(String),
    #[error("wrong store: the token is for store {token_store}, not {expected}")]
    WrongStore {
        token_store: String,
        expected: String,
    },
    #[error("bad signature: the token was not signed by the key {key_id} or was altered")]
    BadSignature { key_id: String },
    #[error("expired at {}", .expired_at.to_rfc3339())]
    Expired { expired_at: DateTime<Utc> },
    #[error("not yet valid: issued at {}, ahead of this clock", .issued_at.to_rfc3339())]
    NotYetValid { issued_at: DateTime<Utc> },
}

impl TokenError {
    /// The one-word reason, for scripts and the JSON output.
    pub fn reason(&self) -> &'static str {
        match self {
            TokenError::Malformed(_) => "malformed",
            TokenError::WrongStore { .. } => "wrong_store",
            TokenError::BadSignature { .. } => "bad_signature",
            TokenError::Expired { .. } => "expired",
            TokenError::NotYetValid { .. } => "not_yet_valid",
        }
    }
}

/// What a driver app does offline: check prefix, encoding, fields, store, signature (strict)
/// and time. `expected_store` is the store the driver is standing in, when known.
pub fn verify_token(
    text: &str,
    key: &StorePublicKey,
    expected_store: Option<&StoreId>,
    now: DateTime<Utc>,
) -> Result<(HandshakeClaims, String), TokenError> {
    let (claims, fallback) = verify_token_signature(text, key, expected_store)?;
    if claims.issued_at > now + CLOCK_SKEW_ALLOWANCE {
        return Err(TokenError::NotYetValid {
            issued_at: claims.issued_at,
        });
    }
    if now > claims.expires_at() {
        return Err(TokenError::Expired {
            expired_at: claims.expires_at(),
        });
    }
    Ok((claims, fallback))
}

/// Everything [`verify_token`] checks except the time: what `kiosk verify` uses to hold each
/// stored token row against the token the kiosk signed, long after it expired.
pub fn verify_token_signature(
    text: &str,
    key: &StorePublicKey,
    expected_store: Option<&StoreId>,
) -> Result<(HandshakeClaims, String), TokenError> {
    let malformed = |reason: &str| TokenError::Malformed(reason.to_owned());
    let body = text
        .strip_prefix(TOKEN_PREFIX)
        .ok_or_else(|| malformed("it does not start with HK1:"))?;
    let signed = base45::decode(body).map_err(|_| malformed("it is not valid base45"))?;
    if signed.len() != PAYLOAD_LEN + SIGNATURE_LEN {
        return Err(malformed(&format!(
            "it holds {} bytes, a token has {}",
            signed.len(),
            PAYLOAD_LEN + SIGNATURE_LEN
        )));
    }
    let (payload, signature) = signed.split_at(PAYLOAD_LEN);
    if payload[0] != TOKEN_VERSION {
        return Err(malformed(&format!("unknown format version {}", payload[0])));
    }
    let direction =
        Direction::from_byte(payload[1]).ok_or_else(|| malformed("unknown direction"))?;
    let be_u32 = |range: std::ops::Range<usize>| {
        payload
            .get(range)
            .and_then(|bytes| <[u8; 4]>::try_from(bytes).ok())
            .map_or(0, u32::from_be_bytes)
    };
    let be_u16 = |range: std::ops::Range<usize>| {
        payload
            .get(range)
            .and_then(|bytes| <[u8; 2]>::try_from(bytes).ok())
            .map_or(0, u16::from_be_bytes)
    };
    let store_id =
        unpack_store_id(be_u32(2..6)).ok_or_else(|| malformed("the store id is invalid"))?;
    let mut session_id = [0_u8; 8];
    session_id.copy_from_slice(&payload[6..14]);
    let mut parcel_digest = [0_u8; 8];
    parcel_digest.copy_from_slice(&payload[22..30]);
    let issued_at = DateTime::from_timestamp(i64::from(be_u32(14..18)), 0)
        .ok_or_else(|| malformed("the issue time is invalid"))?;
    let claims = HandshakeClaims {
        store_id,
        session_id,
        direction,
        issued_at,
        lifetime_seconds: be_u16(18..20),
        parcel_count: be_u16(20..22),
        parcel_digest,
    };
    if let Some(expected) = expected_store
        && *expected != claims.store_id
    {
        return Err(TokenError::WrongStore {
            token_store: claims.store_id.to_string(),
            expected: expected.to_string(),
        });
    }
    if !key.verify(&signed_message(payload), signature) {
        return Err(TokenError::BadSignature {
            key_id: key.key_id(),
        });
    }
    Ok((claims, fallback_code(&signed)))
}

/// The fields of a verified token, for display.
pub fn report(claims: &HandshakeClaims, fallback_code: &str) -> ClaimsReport {
    ClaimsReport {
        version: TOKEN_VERSION,
        store_id: claims.store_id.to_string(),
        token_id: claims.token_id(),
        direction: claims.direction,
        issued_at: claims.issued_at.to_rfc3339(),
        expires_at: claims.expires_at().to_rfc3339(),
        parcel_count: claims.parcel_count,
        parcel_digest: hex::encode(claims.parcel_digest),
        fallback_code: fallback_code.to_owned(),
    }
}

/// When a token on screen should be replaced: with a quarter of its life (at least 20 s) left,
/// so a driver never scans one that expires in their hand.
pub fn rotation_due_at(token: &HandshakeClaims) -> DateTime<Utc> {
    let lifetime = Duration::seconds(i64::from(token.lifetime_seconds));
    let margin = (lifetime / 4).max(Duration::seconds(20)).min(lifetime);
    token.expires_at() - margin
}

pub fn needs_rotation(token: &HandshakeClaims, now: DateTime<Utc>) -> bool {
    now >= rotation_due_at(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> StoreId {
        StoreId::parse("RVM-0045").unwrap()
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    #[test]
    fn store_ids_pack_and_unpack() {
        for text in ["AAA-0000", "RVM-0045", "ZZZ-9999"] {
            let id = StoreId::parse(text).unwrap();
            assert_eq!(unpack_store_id(pack_store_id(&id)), Some(id));
        }
        assert_eq!(unpack_store_id(u32::MAX), None);
    }

    #[test]
    fn a_token_is_145_qr_alphanumeric_characters_and_verifies() {
        let key = StoreKey::generate().unwrap();
        let parcels = [
            TrackingId::parse("1Z0002").unwrap(),
            TrackingId::parse("1Z0001").unwrap(),
        ];
        let token = issue_token(
            &key,
            &store(),
            Direction::PickupFromStore,
            Some(&parcels),
            Duration::seconds(120),
            now(),
        )
        .unwrap();
        assert_eq!(token.text.len(), 145);
        assert!(
            token
                .text
                .chars()
                .all(|c| "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".contains(c))
        );
        assert_eq!(token.fallback_code.len(), 6);
        let (claims, code) =
            verify_token(&token.text, &key.public(), Some(&store()), now()).unwrap();
        assert_eq!(claims, token.claims);
        assert_eq!(code, token.fallback_code);
        assert_eq!(claims.parcel_count, 2);
        let reversed = [parcels[1].clone(), parcels[0].clone()];
        assert_eq!(
            claims.parcel_digest,
            parcel_list_digest(&reversed),
            "order does not matter"
        );
    }

    #[test]
    fn expiry_boundary() {
        let key = StoreKey::generate().unwrap();
        let token = issue_token(
            &key,
            &store(),
            Direction::DeliveryToStore,
            None,
            Duration::seconds(120),
            now(),
        )
        .unwrap();
        let expiry = token.claims.expires_at();
        assert!(
            verify_token(
                &token.text,
                &key.public(),
                None,
                expiry - Duration::seconds(1)
            )
            .is_ok()
        );
        assert!(verify_token(&token.text, &key.public(), None, expiry).is_ok());
        assert_eq!(
            verify_token(
                &token.text,
                &key.public(),
                None,
                expiry + Duration::seconds(1)
            )
            .unwrap_err()
            .reason(),
            "expired"
        );
        assert_eq!(
            verify_token(
                &token.text,
                &key.public(),
                None,
                now() - Duration::seconds(31)
            )
            .unwrap_err()
            .reason(),
            "not_yet_valid"
        );
    }

    #[test]
    fn rotation_comes_before_expiry() {
        let key = StoreKey::generate().unwrap();
        let token = issue_token(
            &key,
            &store(),
            Direction::DeliveryToStore,
            None,
            Duration::seconds(120),
            now(),
        )
        .unwrap();
        assert!(!needs_rotation(
            &token.claims,
            now() + Duration::seconds(89)
        ));
        assert!(needs_rotation(&token.claims, now() + Duration::seconds(90)));
    }

    #[test]
    fn pickups_need_a_list() {
        let key = StoreKey::generate().unwrap();
        assert!(
            issue_token(
                &key,
                &store(),
                Direction::PickupFromStore,
                None,
                Duration::seconds(120),
                now()
            )
            .is_err()
        );
        assert!(
            issue_token(
                &key,
                &store(),
                Direction::PickupFromStore,
                Some(&[]),
                Duration::seconds(120),
                now()
            )
            .is_err()
        );
    }
}
