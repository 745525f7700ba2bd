//! Pickup codes: the secret a customer shows to collect parcels. The ledger never stores one in
//! the clear; lookups go through a digest keyed with the store's pepper, so a copied database
//! does not reveal which code opens which parcel.

use std::fmt;

use sha2::{Digest, Sha256};
use thiserror::Error;
use zeroize::Zeroizing;

const CODE_TAG: &[u8] = b"handoff-kiosk/pickup-code/v1\0";
pub const PICKUP_CODE_MIN_LEN: usize = 4;
pub const PICKUP_CODE_MAX_LEN: usize = 12;

#[derive(Clone, PartialEq, Eq)]
pub struct PickupCode(Zeroizing<String>);

#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("a pickup code is {PICKUP_CODE_MIN_LEN}-{PICKUP_CODE_MAX_LEN} digits")]
pub struct InvalidPickupCode;

impl PickupCode {
    pub fn parse(text: &str) -> Result<Self, InvalidPickupCode> {
        let trimmed = text.trim();
        let well_formed = (PICKUP_CODE_MIN_LEN..=PICKUP_CODE_MAX_LEN).contains(&trimmed.len())
            && trimmed.bytes().all(|b| b.is_ascii_digit());
        if well_formed {
            Ok(Self(Zeroizing::new(trimmed.to_owned())))
        } else {
            Err(InvalidPickupCode)
        }
    }

    /// A fresh random 6-digit code for a parcel that arrived unannounced.
    pub fn generate() -> Result<Self, getrandom::Error> {
        // Rejection sampling keeps all 1,000,000 codes equally likely.
        loop {
            let candidate = getrandom::u32()?;
            if candidate < 4_294_000_000 {
                return Ok(Self(Zeroizing::new(format!(
                    "{:06}",
                    candidate % 1_000_000
                ))));
            }
        }
    }

    /// Only for showing to the clerk once (on receipt of an unannounced parcel).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PickupCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PickupCode(<redacted>)")
    }
}

/// Turns codes into the keyed digests the database stores.
#[derive(Clone)]
pub struct CodeDigester {
    pepper: Zeroizing<Vec<u8>>,
}

impl CodeDigester {
    pub fn new(pepper: &[u8]) -> Self {
        Self {
            pepper: Zeroizing::new(pepper.to_vec()),
        }
    }

    pub fn digest(&self, code: &PickupCode) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(CODE_TAG);
        hasher.update((self.pepper.len() as u32).to_be_bytes());
        hasher.update(self.pepper.as_slice());
        hasher.update(code.expose().as_bytes());
        hasher.finalize().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_generate_and_digest_with_pepper() {
        assert!(PickupCode::parse("04 ").is_err());
        assert!(PickupCode::parse("12a456").is_err());
        let code = PickupCode::parse(" 042042 ").unwrap();
        assert_eq!(code.expose(), "042042");
        assert!(!format!("{code:?}").contains("042042"));
        let generated = PickupCode::generate().unwrap();
        assert_eq!(generated.expose().len(), 6);
        let one = CodeDigester::new(b"pepper-one");
        let two = CodeDigester::new(b"pepper-two");
        assert_eq!(
            one.digest(&code),
            one.digest(&PickupCode::parse("042042").unwrap())
        );
        assert_ne!(one.digest(&code), two.digest(&code));
    }
}
