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
use crate::service::Kiosk;
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
/// The carrier's announcement of demo parcel number `serial`: a name, code and postal code
/// that vary with the number, so searches and reports have something to find.
fn demo_announcement(tracking_id: TrackingId, serial: u64) -> Result<ExpectedParcel, StoreError> {
    let n = serial as usize;
    Ok(ExpectedParcel {
        tracking_id,
        recipient_name: format!("{} {}", FIRST_NAMES[n % 12], LAST_NAMES[(n / 12) % 12]),
        pickup_code: PickupCode::parse(&format!("{:06}", (n * 7919) % 1_000_000))
            .map_err(|e| StoreError::Invalid(e.to_string()))?,
        postal_code: format!("{:05}", 85000 + n % 40),
        address: Default::default(),
    })
}

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
            .zip(next..)
            .map(|(id, serial)| demo_announcement(id.clone(), serial))
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

/// What `seed_days` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedSummary {
    pub open_days: u32,
    pub events: u64,
    pub parcels: u64,
}

/// The demo staff: (name, role, PIN). Printed by `kiosk seed` so the demo can be signed into.
pub const DEMO_STAFF: [(&str, crate::domain::staff::Role, &str); 4] = [
    (
        "Demo Manager",
        crate::domain::staff::Role::Manager,
        "480915",
    ),
    (
        "Demo Clerk One",
        crate::domain::staff::Role::Clerk,
        "739162",
    ),
    (
        "Demo Clerk Two",
        crate::domain::staff::Role::Clerk,
        "826403",
    ),
    (
        "Demo Clerk Three",
        crate::domain::staff::Role::Clerk,
        "915037",
    ),
];

/// Fills a ledger with about `per_day` events on each open day from `first_day` for `days` days,
/// following the store calendar and the custody rules: deliveries (announced the day before),
/// customer pickups, drop-offs and returns, the shop's orders, driver pickups of what is due,
/// and a few exceptions. Everything goes through [`Kiosk::record`], so the chain verifies.
///
/// Each demo staff member's PIN is checked for real once; after that the seeder makes the PIN
/// proof for each synthetic moment itself (only code inside this crate can), since a real check
/// per event would take hours. The ledger is marked as demo data first, and `kiosk seed` refuses
/// a ledger that holds real activity.
pub fn seed_days(
    kiosk: &mut Kiosk,
    first_day: chrono::NaiveDate,
    days: u32,
    per_day: u32,
    progress: &mut dyn FnMut(u32, u64),
) -> Result<SeedSummary, StoreError> {
    seed_marked_and_signed(kiosk, first_day, days, per_day, None, progress)
}

/// [`seed_days`] with parcel numbers (and so tracking ids) from `first_serial` on, so that many
/// seeded stores (head office's tests and benchmark) do not all hold the same parcels.
pub fn seed_days_numbered(
    kiosk: &mut Kiosk,
    first_day: chrono::NaiveDate,
    days: u32,
    per_day: u32,
    first_serial: u64,
    progress: &mut dyn FnMut(u32, u64),
) -> Result<SeedSummary, StoreError> {
    seed_marked_and_signed(
        kiosk,
        first_day,
        days,
        per_day,
        Some(first_serial),
        progress,
    )
}

/// Marks the ledger as demo data on the chain, seeds it as a bulk load, and signs what was
/// seeded as the kiosk does at each day's end (`verify` names any past day left unsigned).
fn seed_marked_and_signed(
    kiosk: &mut Kiosk,
    first_day: chrono::NaiveDate,
    days: u32,
    per_day: u32,
    first_serial: Option<u64>,
    progress: &mut dyn FnMut(u32, u64),
) -> Result<SeedSummary, StoreError> {
    kiosk
        .store
        .mark_demo_data(kiosk.config.calendar.start_of_day(first_day))?;
    kiosk.store.bulk_load(true)?;
    let outcome = seed_open_days(kiosk, first_day, days, per_day, first_serial, progress);
    kiosk.store.bulk_load(false)?;
    let summary = outcome?;
    if let Some(last) = kiosk.store.last_event_time()? {
        let store_id = kiosk.config.store.id.as_str().to_owned();
        kiosk.store.write_checkpoint(&kiosk.key, &store_id, last)?;
    }
    Ok(summary)
}

fn seed_open_days(
    kiosk: &mut Kiosk,
    first_day: chrono::NaiveDate,
    days: u32,
    per_day: u32,
    first_serial: Option<u64>,
    progress: &mut dyn FnMut(u32, u64),
) -> Result<SeedSummary, StoreError> {
    use chrono::Duration;
    let calendar = kiosk.config.calendar.clone();
    let first_moment = calendar.start_of_day(first_day);
    let mut staff = Vec::new();
    for (name, role, pin) in DEMO_STAFF {
        let existing = kiosk
            .store
            .list_staff()?
            .into_iter()
            .find(|m| m.display_name == name);
        let id = match existing {
            Some(member) => member.id,
            None => {
                let hash = kiosk
                    .pins
                    .hash_new_pin(
                        &crate::domain::pin::Pin::new(pin),
                        &kiosk.config.security.pin_policy,
                    )
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                kiosk
                    .store
                    .add_staff(name, role, &hash, Actor::AdminCommandLine, first_moment)?
            }
        };
        let pins = kiosk.pins.clone();
        let lockout = kiosk.config.security.lockout;
        // The one real check per person.
        kiosk.store.verify_pin(
            id,
            &crate::domain::pin::Pin::new(pin),
            &pins,
            &lockout,
            || first_moment,
        )?;
        staff.push((id, role, name.to_owned()));
    }
    let mut serial = match first_serial {
        Some(serial) => serial,
        None => kiosk.store.head()?.0 * 10,
    };
    let mut held: std::collections::VecDeque<(TrackingId, String, DateTime<Utc>)> =
        std::collections::VecDeque::new();
    let mut awaiting: Vec<TrackingId> = Vec::new();
    let mut summary = SeedSummary {
        open_days: 0,
        events: 0,
        parcels: 0,
    };
    let driver = Counterparty {
        kind: CounterpartyKind::Driver,
        reference: "D-DEMO".into(),
    };
    for offset in 0..days {
        let day = first_day + Duration::days(i64::from(offset));
        if calendar.is_closed_day(day) {
            continue;
        }
        summary.open_days += 1;
        let hours = calendar.hours_on(chrono::Datelike::weekday(&day));
        let (Some(opens), Some(closes)) = (hours.first(), hours.last()) else {
            continue;
        };
        let open = calendar.start_of_day(day) + (opens.opens - chrono::NaiveTime::MIN);
        let close = calendar.start_of_day(day) + (closes.closes - chrono::NaiveTime::MIN);
        let span = (closes.closes - opens.opens).num_seconds().max(60);
        let step = span / i64::from(per_day.max(1) + 1);
        // Tomorrow's announced parcels arrive today: about a third of the day's events.
        let arriving = (per_day / 3).max(1) as usize;
        let announced: Vec<ExpectedParcel> = (0..arriving)
            .map(|_| {
                serial += 1;
                demo_announcement(tracking_for(serial)?, serial)
            })
            .collect::<Result<_, StoreError>>()?;
        let codes = kiosk.codes.clone();
        kiosk.store.import_expected(
            &announced,
            "demo carrier file",
            &codes,
            Actor::AdminCommandLine,
            open,
        )?;
        summary.events += 1;
        let mut moment = open;
        let mut written_today = 1_u32;
        let mut next_arrival = 0;
        let mut turn = 0_u64;
        while written_today < per_day {
            // Time moves on only when something happens, and the day ends at closing.
            let at = moment + Duration::seconds(step.max(1));
            if at >= close {
                break;
            }
            turn += 1;
            let (staff_id, role, name) = &staff[(turn % staff.len() as u64) as usize];
            let proof = crate::domain::staff::PinProof::new(*staff_id, *role, name.clone(), at);
            let request = match turn % 20 {
                // Deliveries: a few parcels per event, from the announced list.
                0..=5 if next_arrival < announced.len() => {
                    let batch: Vec<&ExpectedParcel> =
                        announced[next_arrival..].iter().take(3).collect();
                    next_arrival += batch.len();
                    for parcel in &batch {
                        held.push_back((
                            parcel.tracking_id.clone(),
                            parcel.recipient_name.clone(),
                            calendar.hold_expiry(at),
                        ));
                    }
                    HandoffRequest {
                        kind: EventKind::DriverDelivery,
                        counterparty: driver.clone(),
                        items: batch
                            .iter()
                            .map(|p| {
                                HandoffItem::on_shelf(
                                    p.tracking_id.clone(),
                                    &suggest_shelf(&p.recipient_name),
                                )
                            })
                            .collect(),
                        token_id: None,
                        note: String::new(),
                    }
                }
                // Drop-offs, returns and the shop's orders wait for a driver.
                13..=15 => {
                    serial += 1;
                    let id = tracking_for(serial)?;
                    awaiting.push(id.clone());
                    let kind = [
                        EventKind::CustomerDropOff,
                        EventKind::CustomerReturn,
                        EventKind::OutgoingOrder,
                    ][(turn % 3) as usize];
                    HandoffRequest {
                        kind,
                        counterparty: Counterparty {
                            kind: CounterpartyKind::Customer,
                            reference: "walk-in".into(),
                        },
                        items: vec![HandoffItem::on_shelf(
                            id,
                            shelf_for(kind, &kiosk.config.shelves),
                        )],
                        token_id: None,
                        note: String::new(),
                    }
                }
                // A driver takes what is due: waiting parcels and expired holds.
                16 => {
                    let mut due: Vec<TrackingId> = std::mem::take(&mut awaiting);
                    while held.front().is_some_and(|(_, _, expiry)| *expiry <= at) {
                        if let Some((id, _, _)) = held.pop_front() {
                            due.push(id);
                        }
                    }
                    if due.is_empty() {
                        continue;
                    }
                    HandoffRequest {
                        kind: EventKind::DriverPickup,
                        counterparty: driver.clone(),
                        items: due.into_iter().map(HandoffItem::new).collect(),
                        token_id: None,
                        note: String::new(),
                    }
                }
                // Now and then a parcel cannot be found at first.
                17 if !held.is_empty() => {
                    let (id, name, _) = held[held.len() / 2].clone();
                    HandoffRequest {
                        kind: EventKind::UnableToFind,
                        counterparty: Counterparty {
                            kind: CounterpartyKind::Customer,
                            reference: name,
                        },
                        items: vec![HandoffItem::new(id)],
                        token_id: None,
                        note: String::new(),
                    }
                }
                // Otherwise customers collect, oldest holds first.
                _ => {
                    let Some((id, name, _)) = held.pop_front() else {
                        continue;
                    };
                    HandoffRequest {
                        kind: EventKind::CustomerPickup,
                        counterparty: Counterparty {
                            kind: CounterpartyKind::Customer,
                            reference: name,
                        },
                        items: vec![HandoffItem::new(id)],
                        token_id: None,
                        note: String::new(),
                    }
                }
            };
            summary.parcels += request.items.len() as u64;
            kiosk.record(&proof, std::slice::from_ref(&request), at)?;
            moment = at;
            written_today += 1;
            summary.events += 1;
        }
        progress(offset + 1, summary.events);
    }
    Ok(summary)
}

/// The shelf `[shelves]` gives a drop-off, a return or a shop order.
fn shelf_for(kind: EventKind, shelves: &crate::config::ShelfSettings) -> &str {
    match kind {
        EventKind::CustomerReturn => &shelves.returns,
        EventKind::OutgoingOrder => &shelves.orders,
        _ => &shelves.drop_offs,
    }
}
