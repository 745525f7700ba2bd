//! Issued handshake tokens: recorded when shown, claimed while valid, used once.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::connection::Store;
use super::error::{StoreError, TokenUseError};
use crate::domain::clock::{from_micros, to_micros};
use crate::domain::custody::EventKind;
use crate::domain::handshake::{Direction, IssuedToken, parcel_list_digest};
use crate::domain::ids::TrackingId;
use crate::domain::signing::{StoreKey, token_claim_message};

/// An issued token as the ledger keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub token_id: String,
    pub direction: Direction,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub parcel_count: u16,
    pub fallback_code: String,
    pub token_text: String,
    pub claimed_at: Option<DateTime<Utc>>,
    pub used_seq: Option<u64>,
}

const TOKEN_COLUMNS: &str = "token_id, direction, issued_at_us, expires_at_us, parcel_count, fallback_code, token_text, claimed_at_us, used_seq";

fn token_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<TokenRecord> {
    let direction: String = row.get(1)?;
    Ok(TokenRecord {
        token_id: row.get(0)?,
        direction: Direction::from_code(&direction).unwrap_or(Direction::DeliveryToStore),
        issued_at: from_micros(row.get(2)?),
        expires_at: from_micros(row.get(3)?),
        parcel_count: u16::try_from(row.get::<_, i64>(4)?).unwrap_or(0),
        fallback_code: row.get(5)?,
        token_text: row.get(6)?,
        claimed_at: row.get::<_, Option<i64>>(7)?.map(from_micros),
        used_seq: row.get::<_, Option<i64>>(8)?.map(|seq| seq.max(0) as u64),
    })
}

fn direction_for(kind: EventKind) -> Option<Direction> {
    match kind {
        EventKind::DriverDelivery | EventKind::DeliveryRefusedDamaged => {
            Some(Direction::DeliveryToStore)
        }
        EventKind::DriverPickup => Some(Direction::PickupFromStore),
        EventKind::CustomerPickup
        | EventKind::CustomerDropOff
        | EventKind::CustomerReturn
        | EventKind::OutgoingOrder
        | EventKind::LocalDeliveryOut
        | EventKind::LocalDeliveryDelivered
        | EventKind::LocalDeliveryReturned
        | EventKind::UnableToFind
        | EventKind::CustomerRefused
        | EventKind::DropOffRefused
        | EventKind::Damaged
        | EventKind::StaffEnrolled
        | EventKind::StaffDisabled
        | EventKind::StaffPinReset
        | EventKind::StaffUnlocked
        | EventKind::ExpectedParcelsImported
        | EventKind::StateSealed
        | EventKind::DemoDataMarked
        | EventKind::Correction
        | EventKind::PickupCodeRefused
        | EventKind::SlipReprinted => None,
    }
}

/// Checks, inside the recording transaction, that a handoff may use this token. Tokens already
/// used earlier in the same transaction (`used_here`) may be shared by its events: a delivery
/// and the parcels refused from it are one handshake.
pub(crate) fn check_token_use(
    tx: &Transaction<'_>,
    token_id: &str,
    kind: EventKind,
    parcels: &[TrackingId],
    used_here: &[String],
    now: DateTime<Utc>,
) -> rusqlite::Result<Result<(), TokenUseError>> {
    let row: Option<(TokenRecord, Vec<u8>)> = tx
        .query_row(
            &format!(
                "SELECT {TOKEN_COLUMNS}, parcel_digest FROM handshake_tokens WHERE token_id = ?1"
            ),
            [token_id],
            |row| Ok((token_from_row(row)?, row.get(9)?)),
        )
        .optional()?;
    let Some((token, digest)) = row else {
        return Ok(Err(TokenUseError::Unknown(token_id.to_owned())));
    };
    Ok(token_use_problem(
        token, &digest, token_id, kind, parcels, used_here, now,
    ))
}

fn token_use_problem(
    token: TokenRecord,
    digest: &[u8],
    token_id: &str,
    kind: EventKind,
    parcels: &[TrackingId],
    used_here: &[String],
    now: DateTime<Utc>,
) -> Result<(), TokenUseError> {
    if let Some(seq) = token.used_seq
        && !used_here.iter().any(|id| id == token_id)
    {
        return Err(TokenUseError::AlreadyUsed {
            token_id: token_id.to_owned(),
            seq,
        });
    }
    if direction_for(kind) != Some(token.direction) {
        return Err(TokenUseError::WrongDirection {
            token_id: token_id.to_owned(),
            direction: match token.direction {
                Direction::DeliveryToStore => "delivery to the store",
                Direction::PickupFromStore => "pickup from the store",
            },
            kind,
        });
    }
    // Valid when the driver's step completed (claimed) or, unclaimed, valid now.
    let valid_at = token.claimed_at.unwrap_or(now);
    if valid_at > token.expires_at {
        return Err(TokenUseError::Expired(token_id.to_owned()));
    }
    if token.direction == Direction::PickupFromStore
        && (usize::from(token.parcel_count) != parcels.len()
            || parcel_list_digest(parcels).as_slice() != digest)
    {
        return Err(TokenUseError::ParcelsDiffer {
            count: token.parcel_count,
        });
    }
    Ok(())
}

pub(crate) fn mark_token_used(
    tx: &Transaction<'_>,
    token_id: &str,
    seq: u64,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE handshake_tokens SET used_seq = ?1 WHERE token_id = ?2 AND used_seq IS NULL",
        params![seq as i64, token_id],
    )
    .map(|_| ())
}

impl Store {
    /// Records a token the moment it is shown, so a typed fallback code can be traced to it.
    pub fn record_issued_token(&self, token: &IssuedToken) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO handshake_tokens (token_id, direction, issued_at_us, expires_at_us, parcel_count, parcel_digest, fallback_code, token_text)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    token.token_id(),
                    token.claims.direction.code(),
                    to_micros(token.claims.issued_at),
                    to_micros(token.claims.expires_at()),
                    token.claims.parcel_count,
                    token.claims.parcel_digest.as_slice(),
                    token.fallback_code,
                    token.text
                ],
            )
            .map(|_| ())
            .map_err(|e| self.sql_error(e))
    }

    /// Marks the moment the driver's step completed with this token; it must still be valid.
    /// The claim time is signed with the store key (see [`token_claim_message`]).
    pub fn claim_token(
        &self,
        token_id: &str,
        key: &StoreKey,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let token = self
            .token(token_id)?
            .ok_or_else(|| TokenUseError::Unknown(token_id.to_owned()))?;
        if let Some(seq) = token.used_seq {
            return Err(TokenUseError::AlreadyUsed {
                token_id: token_id.to_owned(),
                seq,
            }
            .into());
        }
        if now > token.expires_at {
            return Err(TokenUseError::Expired(token_id.to_owned()).into());
        }
        self.conn
            .execute(
                "UPDATE handshake_tokens SET claimed_at_us = ?1, claim_signature = ?2 WHERE token_id = ?3 AND claimed_at_us IS NULL",
                params![
                    to_micros(now),
                    key.sign(&token_claim_message(token_id, to_micros(now))).as_slice(),
                    token_id
                ],
            )
            .map(|_| ())
            .map_err(|e| self.sql_error(e))
    }

    pub fn token(&self, token_id: &str) -> Result<Option<TokenRecord>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {TOKEN_COLUMNS} FROM handshake_tokens WHERE token_id = ?1"),
                [token_id],
                token_from_row,
            )
            .optional()
            .map_err(|e| self.sql_error(e))
    }

    /// Tokens whose fallback code is `code`, newest first (codes are 6 digits, so old tokens
    /// can share one; the issue time tells them apart).
    pub fn tokens_with_code(&self, code: &str) -> Result<Vec<TokenRecord>, StoreError> {
        self.collect_rows(
            &format!("SELECT {TOKEN_COLUMNS} FROM handshake_tokens WHERE fallback_code = ?1 ORDER BY issued_at_us DESC"),
            [code],
            token_from_row,
        )
    }
}
