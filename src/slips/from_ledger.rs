//! Slip facts from committed ledger events. The first print and every reprint read the same
//! events, so a reprint holds what the original held (less the pickup code, which only the
//! moment of recording knows). Events of one transaction share their instant: a drop-off and
//! its refusals print as one receipt.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{ManifestFacts, NoticeFacts, ReceiptFacts, RunSheetFacts, RunStop, SlipFacts};
use crate::domain::chain::LedgerEvent;
use crate::domain::clock::from_micros;
use crate::domain::codes::PickupCode;
use crate::domain::custody::EventKind;
pub use crate::domain::expected::DeliveryAddress;
use crate::domain::ids::TrackingId;
use crate::domain::labels::carrier_of;

/// What the ledger events do not hold, read by the app beside them.
#[derive(Debug, Default)]
pub struct Extras {
    /// The clerk who recorded the events, as enrolled.
    pub clerk: String,
    /// Codes generated for unannounced parcels, known only in the moment of recording.
    pub generated_codes: Vec<(TrackingId, PickupCode)>,
    /// Which parcels of a driver delivery get a pickup notice: at recording, the unannounced
    /// ones; on a reprint, the parcel asked for.
    pub notices_for: Vec<TrackingId>,
    /// The driver's fallback code of the handshake token, if a token was used.
    pub fallback_code: Option<String>,
    /// Announced street addresses by tracking id, for the run sheet.
    pub addresses: HashMap<String, DeliveryAddress>,
    /// Recipient and postal code by tracking id, from the parcel records, for a run sheet
    /// (a courier's event lists only the parcels).
    pub recipients: HashMap<String, (String, String)>,
}

fn tracking_ids(event: &LedgerEvent) -> Vec<TrackingId> {
    event
        .body
        .items
        .iter()
        .filter_map(|item| TrackingId::parse(&item.tracking_id).ok())
        .collect()
}

/// A refusal's reason as the drop-off flow wrote it ("refused: damaged"), kept as recorded:
/// the slip translates the reasons it knows when it prints.
fn refusal_reason(detail: &str) -> String {
    detail
        .strip_prefix("refused: ")
        .unwrap_or(detail)
        .to_owned()
}

fn time_of(micros: Option<i64>) -> Option<DateTime<Utc>> {
    micros.map(from_micros)
}

/// The slips of events recorded together (one transaction), in print order.
pub fn slips_for(events: &[LedgerEvent], extras: &Extras) -> Vec<SlipFacts> {
    let mut slips = Vec::new();
    let custody_in = events.iter().find(|event| {
        matches!(
            event.body.kind,
            EventKind::CustomerDropOff | EventKind::CustomerReturn
        )
    });
    let refused = events
        .iter()
        .find(|event| event.body.kind == EventKind::DropOffRefused);
    if let Some(anchor) = custody_in.or(refused) {
        let kind = custody_in.map_or(EventKind::CustomerDropOff, |event| event.body.kind);
        slips.push(SlipFacts::Receipt(ReceiptFacts {
            kind,
            seq: anchor.seq,
            event_hash: custody_in.map(|event| event.hash),
            recorded_at: anchor.body.recorded_at,
            parcels: custody_in
                .map(|event| {
                    tracking_ids(event)
                        .into_iter()
                        .map(|id| {
                            let carrier = carrier_of(&id);
                            (id, carrier)
                        })
                        .collect()
                })
                .unwrap_or_default(),
            refusals: refused
                .map(|event| {
                    event
                        .body
                        .items
                        .iter()
                        .filter_map(|item| {
                            TrackingId::parse(&item.tracking_id)
                                .ok()
                                .map(|id| (id, refusal_reason(&item.detail)))
                        })
                        .collect()
                })
                .unwrap_or_default(),
            clerk: extras.clerk.clone(),
        }));
    }
    for event in events {
        match event.body.kind {
            EventKind::DriverDelivery => {
                for item in &event.body.items {
                    let Ok(tracking_id) = TrackingId::parse(&item.tracking_id) else {
                        continue;
                    };
                    if !extras.notices_for.contains(&tracking_id) {
                        continue;
                    }
                    let code = extras
                        .generated_codes
                        .iter()
                        .find(|(id, _)| *id == tracking_id)
                        .map(|(_, code)| code.clone());
                    slips.push(SlipFacts::PickupNotice(NoticeFacts {
                        recipient: item.recipient.clone(),
                        tracking_id,
                        code,
                        hold_until: time_of(item.hold_until_us),
                        recorded_at: event.body.recorded_at,
                        seq: event.seq,
                    }));
                }
            }
            EventKind::DriverPickup => {
                let parcels = tracking_ids(event);
                let mut carriers = Vec::new();
                for id in &parcels {
                    let carrier = carrier_of(id);
                    if !carriers.contains(&carrier) {
                        carriers.push(carrier);
                    }
                }
                slips.push(SlipFacts::DriverManifest(ManifestFacts {
                    seq: event.seq,
                    carriers,
                    badge: event.body.counterparty.reference.clone(),
                    parcels,
                    token_id: event.body.token_id.clone(),
                    fallback_code: extras.fallback_code.clone(),
                    recorded_at: event.body.recorded_at,
                }));
            }
            EventKind::LocalDeliveryOut => {
                slips.push(SlipFacts::RunSheet(run_sheet_facts(event, extras)));
            }
            _ => {}
        }
    }
    slips
}

/// One stop per recipient at one address, in the order the courier's list had them.
fn run_sheet_facts(event: &LedgerEvent, extras: &Extras) -> RunSheetFacts {
    let mut stops: Vec<RunStop> = Vec::new();
    for item in &event.body.items {
        let Ok(tracking_id) = TrackingId::parse(&item.tracking_id) else {
            continue;
        };
        let address = extras
            .addresses
            .get(&item.tracking_id)
            .map(DeliveryAddress::lines)
            .unwrap_or_default();
        let (recipient, postal_code) = match extras.recipients.get(&item.tracking_id) {
            Some((recipient, postal_code)) if item.recipient.is_empty() => {
                (recipient.clone(), postal_code.clone())
            }
            _ => (item.recipient.clone(), item.postal_code.clone()),
        };
        let same_stop = stops.iter_mut().find(|stop| {
            stop.recipient == recipient
                && stop.address == address
                && stop.postal_code == postal_code
        });
        match same_stop {
            Some(stop) => stop.parcels.push(tracking_id),
            None => stops.push(RunStop {
                recipient,
                address,
                postal_code,
                parcels: vec![tracking_id],
            }),
        }
    }
    let courier = event.body.counterparty.reference.clone();
    RunSheetFacts {
        seq: event.seq,
        courier: courier
            .strip_prefix("courier: ")
            .unwrap_or(&courier)
            .to_owned(),
        recorded_at: event.body.recorded_at,
        stops,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::chain::{
        Counterparty, CounterpartyKind, EventBody, EventItem, GENESIS_HASH,
    };
    use chrono::TimeZone;

    fn event(seq: u64, kind: EventKind, items: Vec<EventItem>) -> LedgerEvent {
        LedgerEvent {
            seq,
            body: EventBody {
                recorded_at: Utc.with_ymd_and_hms(2026, 11, 25, 22, 5, 3).unwrap(),
                kind,
                staff_id: None,
                counterparty: Counterparty {
                    kind: CounterpartyKind::Store,
                    reference: "courier: Sam".into(),
                },
                items,
                token_id: None,
                note: String::new(),
                format: 2,
                facts: Vec::new(),
            },
            prev_hash: GENESIS_HASH,
            hash: GENESIS_HASH,
        }
    }

    fn item(id: &str, recipient: &str, postal: &str) -> EventItem {
        EventItem {
            recipient: recipient.into(),
            postal_code: postal.into(),
            ..EventItem::new(id)
        }
    }

    #[test]
    fn a_drop_off_and_its_refusals_make_one_receipt() {
        let refused = EventItem {
            detail: "refused: over the size limit".into(),
            ..EventItem::new("BIGBOX01")
        };
        let events = [
            event(
                5,
                EventKind::CustomerDropOff,
                vec![EventItem::new("1Z999AA10123456784")],
            ),
            event(6, EventKind::DropOffRefused, vec![refused]),
        ];
        let slips = slips_for(&events, &Extras::default());
        let [SlipFacts::Receipt(receipt)] = slips.as_slice() else {
            panic!("{slips:?}");
        };
        assert_eq!(receipt.seq, 5);
        assert_eq!(receipt.parcels[0].1, crate::domain::labels::Carrier::Ups);
        assert_eq!(receipt.refusals[0].1, "over the size limit");
    }

    #[test]
    fn run_sheet_stops_group_a_recipients_parcels_and_carry_the_announced_address() {
        let events = [event(
            9,
            EventKind::LocalDeliveryOut,
            vec![
                item("PARCELA1", "Lee Park", "85354"),
                item("PARCELB1", "Kim Ortiz", "85355"),
                item("PARCELA2", "Lee Park", "85354"),
            ],
        )];
        let address = DeliveryAddress {
            street: "14 Mill Rd".into(),
            city: "Tonopah".into(),
            postal_code: "85354".into(),
        };
        let extras = Extras {
            addresses: [
                ("PARCELA1".to_owned(), address.clone()),
                ("PARCELA2".to_owned(), address),
            ]
            .into(),
            ..Extras::default()
        };
        let slips = slips_for(&events, &extras);
        let [SlipFacts::RunSheet(sheet)] = slips.as_slice() else {
            panic!("{slips:?}");
        };
        assert_eq!(sheet.courier, "Sam");
        assert_eq!(sheet.stops.len(), 2);
        assert_eq!(sheet.stops[0].parcels.len(), 2);
        assert_eq!(sheet.stops[0].address, ["14 Mill Rd", "Tonopah 85354"]);
        assert!(sheet.stops[1].address.is_empty());
    }

    #[test]
    fn a_driver_pickup_makes_a_manifest_with_badge_carriers_token_and_fallback_code() {
        let mut pickup = event(
            11,
            EventKind::DriverPickup,
            vec![
                EventItem::new("1Z999AA10123456784"),
                EventItem::new("1Z879E930346834440"),
            ],
        );
        pickup.body.counterparty = Counterparty {
            kind: CounterpartyKind::Driver,
            reference: "UPS-4471".into(),
        };
        pickup.body.token_id = Some("tok-3f9a".into());
        let missing = event(
            12,
            EventKind::UnableToFind,
            vec![EventItem::new("GONE0001")],
        );
        let extras = Extras {
            fallback_code: Some("731204".into()),
            ..Extras::default()
        };
        let slips = slips_for(&[pickup, missing], &extras);
        let [SlipFacts::DriverManifest(manifest)] = slips.as_slice() else {
            panic!("{slips:?}");
        };
        assert_eq!(manifest.badge, "UPS-4471");
        assert_eq!(manifest.carriers, [crate::domain::labels::Carrier::Ups]);
        assert_eq!(
            manifest.parcels.len(),
            2,
            "what the driver took, not what was missing"
        );
        assert_eq!(manifest.token_id.as_deref(), Some("tok-3f9a"));
        assert_eq!(manifest.fallback_code.as_deref(), Some("731204"));
        assert_eq!(manifest.seq, 11);
    }

    #[test]
    fn notices_only_for_the_parcels_asked_and_codes_only_when_known() {
        let events = [event(
            3,
            EventKind::DriverDelivery,
            vec![item("PARCELX1", "Jo", ""), item("PARCELX2", "Al", "")],
        )];
        let extras = Extras {
            notices_for: vec![TrackingId::parse("PARCELX2").unwrap()],
            generated_codes: vec![(
                TrackingId::parse("PARCELX2").unwrap(),
                PickupCode::parse("123456").unwrap(),
            )],
            ..Extras::default()
        };
        let slips = slips_for(&events, &extras);
        let [SlipFacts::PickupNotice(notice)] = slips.as_slice() else {
            panic!("{slips:?}");
        };
        assert_eq!(notice.recipient, "Al");
        assert!(notice.code.is_some());
        let again = SlipFacts::PickupNotice(notice.clone()).for_reprint();
        let SlipFacts::PickupNotice(again) = again else {
            panic!()
        };
        assert!(again.code.is_none());
    }
}
