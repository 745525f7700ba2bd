//! Building the end-of-day report from the ledger. The opening figure comes from the custody
//! totals kept in the recording transaction (`kiosk verify` rebuilds them from the chain); the
//! closing figure from the parcel records, wound back to the day's end. The two are derived
//! independently, so `opening + in - out = closing` is a real check that the records agree.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use crate::config::KioskConfig;
use crate::domain::correction::movement_of_body;
use crate::domain::custody::EventKind;
use crate::domain::custody::Movement;
use crate::domain::labels::carrier_of_text;
use crate::domain::report::{CarrierCount, Corrections, DayReport};
use crate::service::Kiosk;
use crate::store::{Store, StoreError};

pub fn day_report(kiosk: &Kiosk, day: NaiveDate) -> Result<DayReport, StoreError> {
    report_from(&kiosk.store, &kiosk.config, day)
}

/// The same from a bare store connection (the TUI's worker has no secrets open).
pub fn report_from(
    store: &Store,
    config: &KioskConfig,
    day: NaiveDate,
) -> Result<DayReport, StoreError> {
    let calendar = &config.calendar;
    let (start, end) = calendar.day_bounds(day);

    // Opening: the custody totals kept with the events (one look-up); a day that does not start
    // on a quarter hour (no such zone is in use) replays every earlier custody event instead.
    let opening = match store.in_custody_before(start)? {
        Some(count) => count,
        None => opening_by_replay(store, start)?,
    };

    // The day itself.
    let names: BTreeMap<i64, String> = store
        .list_staff()?
        .into_iter()
        .map(|m| (m.id.0, m.display_name))
        .collect();
    let mut received: BTreeMap<&'static str, (EventKind, u64)> = BTreeMap::new();
    let mut handed_over = received.clone();
    let mut exceptions = received.clone();
    let mut per_staff: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_carrier: Vec<CarrierCount> = Vec::new();
    let mut corrections = Corrections::default();
    store.for_each_event_between(start, end, |event| -> Result<(), StoreError> {
        let kind = event.body.kind;
        let parcels = event.body.items.len() as u64;
        let movement = movement_of_body(&event.body);
        if kind == EventKind::Correction {
            // Its own section: not a handoff, but on the books by what it undid.
            corrections.count(movement, parcels);
            return Ok(());
        }
        if matches!(movement, Movement::In | Movement::Out) {
            for item in &event.body.items {
                let carrier = carrier_of_text(&item.tracking_id);
                let index = match by_carrier.iter().position(|c| c.carrier == carrier) {
                    Some(index) => index,
                    None => {
                        by_carrier.push(CarrierCount {
                            carrier,
                            received: 0,
                            handed_over: 0,
                        });
                        by_carrier.len() - 1
                    }
                };
                let count = &mut by_carrier[index];
                if movement == Movement::In {
                    count.received += 1;
                } else {
                    count.handed_over += 1;
                }
            }
        }
        let bucket = match movement {
            Movement::In => &mut received,
            Movement::Out => &mut handed_over,
            Movement::Exception => &mut exceptions,
            Movement::None => return Ok(()),
        };
        bucket.entry(kind.code()).or_insert((kind, 0)).1 += parcels;
        if let Some(id) = event.body.staff_id {
            *per_staff
                .entry(
                    names
                        .get(&id.0)
                        .cloned()
                        // A name no longer listed: its number, alike in every language.
                        .unwrap_or_else(|| format!("#{id}")),
                )
                .or_default() += parcels;
        }
        Ok(())
    })?;

    // Closing: the parcel records now, wound back over anything recorded after the day.
    let mut closing = i128::from(store.count_in_custody()?);
    for later in store.custody_movements_since(end)? {
        match later.movement {
            Movement::In => closing -= i128::from(later.parcels),
            Movement::Out => closing += i128::from(later.parcels),
            Movement::Exception | Movement::None => {}
        }
    }
    let (head_seq, head_hash) = store.head_at(end)?;
    by_carrier.sort_by(|a, b| {
        (b.received, b.handed_over)
            .cmp(&(a.received, a.handed_over))
            .then_with(|| a.carrier.code().cmp(&b.carrier.code()))
    });
    Ok(DayReport {
        store_id: config.store.id.to_string(),
        store_name: config.store.name.clone(),
        day,
        opening,
        received: received.into_values().collect(),
        handed_over: handed_over.into_values().collect(),
        exceptions: exceptions.into_values().collect(),
        holds_expired: store.count_holds_ending_between_any_status(start, end)?,
        corrections,
        closing: u64::try_from(closing.max(0)).unwrap_or(0),
        per_staff: per_staff.into_iter().collect(),
        by_carrier,
        head_seq,
        head_hash: hex::encode(head_hash),
    })
}

/// The parcels in custody at `start`, by replaying every earlier custody event.
fn opening_by_replay(store: &Store, start: DateTime<Utc>) -> Result<u64, StoreError> {
    let mut in_custody: HashSet<String> = HashSet::new();
    store.for_each_event_between(
        DateTime::<Utc>::MIN_UTC,
        start,
        |event| -> Result<(), StoreError> {
            let direction = movement_of_body(&event.body);
            for item in event.body.items {
                match direction {
                    Movement::In => {
                        in_custody.insert(item.tracking_id);
                    }
                    Movement::Out => {
                        in_custody.remove(&item.tracking_id);
                    }
                    Movement::Exception | Movement::None => {}
                }
            }
            Ok(())
        },
    )?;
    Ok(in_custody.len() as u64)
}
