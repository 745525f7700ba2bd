//! Synthetic activity for benchmarks and demos, recorded through the same code path as real
//! handoffs (so the chain verifies). Each parcel is announced, delivered, and most are collected;
//! some are dropped off or returned instead.

use chrono::{DateTime, Utc};

use crate::domain::chain::{Counterparty, CounterpartyKind};
use crate::domain::codes::PickupCode;
use crate::domain::custody::{EventKind, suggest_shelf};
use crate::domain::expected::ExpectedParcel;
use crate::domain::ids::TrackingId;
use crate::domain::staff::PinProof;
use crate::setup::Kiosk;
use crate::store::{Actor, HandoffItem, HandoffRequest, StoreError};

const FIRST_NAMES: [&str; 12] = [
    "Ana", "Bo", "Cy", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lea",
];
const LAST_NAMES: [&str; 12] = [
    "Reyes", "Lee", "Park", "Diaz", "Novak", "Okafor", "Silva", "Tanaka", "Weber", "Young", "Zhou",
    "Moreau",
];

/// A carrier-like tracking id for parcel `n`: `1Z` and 16 characters that look random (taken
/// from a hash of `n`), so search sees the spread of real labels, not shared runs of zeros.
pub fn tracking_for(n: u64) -> Result<TrackingId, StoreError> {
    use sha2::{Digest, Sha256};
    const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let digest = Sha256::digest(n.to_be_bytes());
    let body: String = digest
        .iter()
        .take(16)
        .map(|byte| char::from(ALPHABET[usize::from(*byte) % 36]))
        .collect();
    TrackingId::parse(&format!("1Z{body}")).map_err(|e| StoreError::Invalid(e.to_string()))
}

/// Records about `events` events: parcels in batches of `batch`, each batch one announcement,
/// one delivery transaction and one collection transaction. Returns the events written.
pub fn seed_activity(
    kiosk: &mut Kiosk,
    proof: &PinProof,
    events: u64,
    batch: u64,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let mut written = 0_u64;
    let mut next = 0_u64;
    let batch = batch.max(1);
    while written < events {
        let ids: Vec<TrackingId> = (next..next + batch)
            .map(tracking_for)
            .collect::<Result<_, _>>()?;
        next += batch;
        let announced: Vec<ExpectedParcel> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let n = next as usize + i;
                Ok(ExpectedParcel {
                    tracking_id: id.clone(),
                    recipient_name: format!(
                        "{} {}",
                        FIRST_NAMES[n % 12],
                        LAST_NAMES[(n / 12) % 12]
                    ),
                    pickup_code: PickupCode::parse(&format!("{:06}", (n * 7919) % 1_000_000))
                        .map_err(|e| StoreError::Invalid(e.to_string()))?,
                    postal_code: format!("{:05}", 85000 + n % 40),
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let codes = kiosk.codes.clone();
        kiosk
            .store
            .import_expected(&announced, "seed", &codes, Actor::AdminCommandLine, now)?;
        written += 1;
        let single = |kind: EventKind,
                      counterparty: &Counterparty,
                      id: &TrackingId,
                      shelf: &str| HandoffRequest {
            kind,
            counterparty: counterparty.clone(),
            items: vec![HandoffItem::on_shelf(id.clone(), shelf)],
            token_id: None,
            note: String::new(),
        };
        let driver = Counterparty {
            kind: CounterpartyKind::Driver,
            reference: "D-SEED".into(),
        };
        let deliveries: Vec<HandoffRequest> = ids
            .iter()
            .zip(&announced)
            .map(|(id, parcel)| {
                single(
                    EventKind::DriverDelivery,
                    &driver,
                    id,
                    &suggest_shelf(&parcel.recipient_name),
                )
            })
            .collect();
        written += kiosk.record(proof, &deliveries, now)?.event_count();
        // Four in five are collected; the rest stay on the shelves.
        let collections: Vec<HandoffRequest> = ids
            .iter()
            .zip(&announced)
            .enumerate()
            .filter(|(i, _)| i % 5 != 0)
            .map(|(_, (id, parcel))| {
                let customer = Counterparty {
                    kind: CounterpartyKind::Customer,
                    reference: parcel.recipient_name.clone(),
                };
                single(EventKind::CustomerPickup, &customer, id, "")
            })
            .collect();
        if !collections.is_empty() {
            written += kiosk.record(proof, &collections, now)?.event_count();
        }
    }
    Ok(written)
}
