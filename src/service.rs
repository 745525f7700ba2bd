//! The service layer the counter and the commands share: an open kiosk (ledger, pepper, store
//! key, PIN hasher) and the operations that need more than the store alone: recording under the
//! store's rules, issuing and claiming the driver's handshake tokens, overdue checkpoints.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::config::KioskConfig;
use crate::domain::chain::Fact;
use crate::domain::codes::CodeDigester;
use crate::domain::handshake::{Direction, IssuedToken, issue_token};
use crate::domain::ids::TrackingId;
use crate::domain::pin::PinHasher;
use crate::domain::signing::StoreKey;
use crate::domain::staff::PinProof;
use crate::secrets::read_secret_file;
use crate::setup::{InitReport, PEPPER, SetupError, check_key_matches, init, load_key};
use crate::store::{HandoffRequest, OpenMode, Receipt, RecordContext, Store, StoreError};

/// An initialised kiosk with everything recording needs.
pub struct Kiosk {
    pub config: KioskConfig,
    pub store: Store,
    /// Shared with the TUI's worker thread, which runs the slow argon2 checks.
    pub pins: Arc<PinHasher>,
    pub codes: CodeDigester,
    pub key: StoreKey,
}

impl Kiosk {
    /// Opens an initialised kiosk; nothing is created.
    pub fn open(config: &KioskConfig) -> Result<Self, SetupError> {
        let store = Store::open(&config.ledger.database, OpenMode::Existing)?;
        store.bind_store_id(config.store.id.as_str())?;
        Self::with_store(config, store)
    }

    fn with_store(config: &KioskConfig, store: Store) -> Result<Self, SetupError> {
        store.set_time_zone(config.store.time_zone);
        let pepper = read_secret_file(&config.security.pepper_file, PEPPER)?;
        let key = load_key(config)?;
        check_key_matches(&store, &key, &config.ledger.signing_key)?;
        let pins = Arc::new(PinHasher::new(&pepper, config.security.hash_cost)?);
        Ok(Self {
            config: config.clone(),
            store,
            pins,
            codes: CodeDigester::new(&pepper),
            key,
        })
    }

    /// The kiosk's first start: initialise what is missing, then open. A ledger that exists but
    /// cannot be written opens read-only (the counter then says so and records nothing).
    pub fn open_or_init(config: &KioskConfig) -> Result<(Self, InitReport), SetupError> {
        match init(config) {
            Ok(report) => Ok((Self::open(config)?, report)),
            Err(SetupError::Store(StoreError::ReadOnly)) => {
                Ok((Self::open_read_only(config)?, InitReport::default()))
            }
            Err(error) => Err(error),
        }
    }

    /// Opens an existing ledger read-only, with the secrets (which need only be readable).
    pub fn open_read_only(config: &KioskConfig) -> Result<Self, SetupError> {
        let store = Store::open_read_only(&config.ledger.database)?;
        store.bind_store_id(config.store.id.as_str())?;
        Self::with_store(config, store)
    }

    /// Records handoffs under a fresh PIN proof with this store's rules (calendar, capacity,
    /// pickup-code key). See [`Store::record_handoffs`].
    pub fn record(
        &mut self,
        proof: &PinProof,
        requests: &[HandoffRequest],
        now: DateTime<Utc>,
    ) -> Result<Receipt, StoreError> {
        let requests: Vec<(HandoffRequest, Vec<Fact>)> = requests
            .iter()
            .map(|request| (request.clone(), Vec::new()))
            .collect();
        self.record_with_facts(proof, &requests, now)
    }

    /// [`Kiosk::record`], each event also carrying its request's facts (see
    /// [`Store::record_handoffs_with_facts`]).
    pub fn record_with_facts(
        &mut self,
        proof: &PinProof,
        requests: &[(HandoffRequest, Vec<Fact>)],
        now: DateTime<Utc>,
    ) -> Result<Receipt, StoreError> {
        let context = RecordContext {
            calendar: &self.config.calendar,
            carriers: &self.config.carriers,
            capacity: self.config.store.capacity,
            codes: &self.codes,
            seal_codes_to: self.config.head_office.as_ref().map(|hq| &hq.codes_key),
        };
        let outcome = self
            .store
            .record_handoffs_with_facts(proof, requests, &context, now);
        // Kinds, counts and event numbers only: no names, no codes.
        match &outcome {
            Ok(receipt) => tracing::info!(
                staff = %proof.staff_id(),
                first = receipt.first_seq,
                last = receipt.last_seq,
                kinds = ?requests.iter().map(|(r, _)| r.kind.code()).collect::<Vec<_>>(),
                parcels = requests.iter().map(|(r, _)| r.items.len()).sum::<usize>(),
                "recorded"
            ),
            Err(error) => {
                tracing::warn!(staff = %proof.staff_id(), reason = %error, "nothing recorded")
            }
        }
        outcome
    }

    /// Signs a checkpoint when events of an earlier store day (or a sealed state from an
    /// upgrade) are not yet covered by one: the kiosk may have been off at a day's end. Returns
    /// whether it signed.
    pub fn sign_overdue_checkpoint(&mut self, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let store_id = self.config.store.id.as_str().to_owned();
        let covered = self
            .store
            .checkpoints(&store_id)?
            .iter()
            .map(|record| record.checkpoint.event_count)
            .max()
            .unwrap_or(0);
        let today = self.config.calendar.local_date(now);
        let overdue = self
            .store
            .days_after(covered, &self.config.calendar)?
            .iter()
            .any(|day| *day < today)
            || self.store.sealed_after(covered)?;
        if overdue {
            self.store.write_checkpoint(&self.key, &store_id, now)?;
        }
        Ok(overdue)
    }

    /// Marks the moment the driver's step completed with a token, signed with the store key.
    pub fn claim_token(&self, token_id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.store.claim_token(token_id, &self.key, now)
    }

    /// Issues a handshake token for the driver's QR and records it in the ledger before it is
    /// shown, so every code a driver could have scanned is on record.
    pub fn issue_handshake(
        &self,
        direction: Direction,
        parcels: Option<&[TrackingId]>,
        now: DateTime<Utc>,
    ) -> Result<IssuedToken, StoreError> {
        let token = issue_token(
            &self.key,
            &self.config.store.id,
            direction,
            parcels,
            self.config.handshake.token_lifetime,
            now,
        )
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.store.record_issued_token(&token)?;
        Ok(token)
    }
}
