//! The five slips, block by block. Each takes the store's header, its facts and whether it is a
//! reprint; a reprint says which record it copies (the printer marks it REPRINT at the top).

use super::{
    Block, ManifestFacts, NoticeFacts, ReceiptFacts, RunSheetFacts, Slip, SlipKind, StoreHeader,
    first_name, last_chars, words,
};
use crate::domain::custody::EventKind;

/// The store's name and address, then the slip's title.
fn head(store: &StoreHeader, title: &str, reprint: bool, seq: Option<u64>) -> Vec<Block> {
    let mut blocks = vec![Block::Heading(store.name.clone())];
    blocks.extend(store.address.iter().cloned().map(Block::Text));
    blocks.push(Block::Rule);
    blocks.push(Block::Heading(title.to_owned()));
    if reprint && let Some(seq) = seq {
        blocks.push(Block::Text(words::reprint_of(seq)));
    }
    blocks
}

fn pair(label: &str, value: impl Into<String>) -> Block {
    Block::Pair {
        label: label.to_owned(),
        value: value.into(),
    }
}

/// The customer's proof of a drop-off or return, with the store's signed `token` as a QR (none
/// when every parcel was refused: the customer keeps them, and the slip only says why).
pub fn receipt(
    store: &StoreHeader,
    facts: &ReceiptFacts,
    token: Option<&str>,
    reprint: bool,
) -> Slip {
    let title = if facts.kind == EventKind::CustomerReturn {
        words::RECEIPT_RETURN
    } else {
        words::RECEIPT_DROP_OFF
    };
    let mut blocks = head(store, title, reprint, Some(facts.seq));
    blocks.push(pair(words::TIME, store.local_time(facts.recorded_at)));
    blocks.push(pair(words::CLERK, first_name(&facts.clerk)));
    blocks.push(pair(words::RECORD, format!("#{}", facts.seq)));
    blocks.push(Block::Rule);
    if !facts.parcels.is_empty() {
        blocks.push(Block::Text(words::taken_in(facts.parcels.len())));
        for (tracking_id, carrier) in &facts.parcels {
            blocks.push(Block::Code(tracking_id.to_string()));
            blocks.push(pair(words::CARRIER, carrier.clone()));
        }
    }
    if !facts.refusals.is_empty() {
        if !facts.parcels.is_empty() {
            blocks.push(Block::Blank);
        }
        blocks.push(Block::Text(words::refused(facts.refusals.len())));
        for (tracking_id, reason) in &facts.refusals {
            blocks.push(Block::Code(tracking_id.to_string()));
            blocks.push(pair(words::REFUSED_BECAUSE, reason.clone()));
        }
    }
    blocks.push(Block::Rule);
    if let Some(token) = token {
        blocks.push(Block::Qr(token.to_owned()));
        blocks.push(Block::Text(words::RECEIPT_QR.to_owned()));
        blocks.push(Block::Text(
            words::keep_receipt(facts.parcels.len()).to_owned(),
        ));
    }
    Slip {
        kind: SlipKind::Receipt,
        reprint,
        blocks,
    }
}

/// The notice for the recipient of a parcel that came unannounced: who, which parcel, the code
/// (only at recording time), until when, and when the store is open.
pub fn pickup_notice(store: &StoreHeader, facts: &NoticeFacts, reprint: bool) -> Slip {
    let mut blocks = head(store, words::PICKUP_NOTICE, reprint, Some(facts.seq));
    blocks.push(pair(words::NOTICE_FOR, facts.recipient.clone()));
    blocks.push(pair(
        words::NOTICE_PARCEL,
        last_chars(facts.tracking_id.as_str(), 6),
    ));
    match (&facts.code, reprint) {
        (Some(code), false) => {
            blocks.push(Block::Text(words::NOTICE_CODE.to_owned()));
            blocks.push(Block::Code(code.expose().to_owned()));
        }
        _ => blocks.push(pair(words::NOTICE_CODE, words::CODE_NOT_REPRINTED)),
    }
    if let Some(until) = facts.hold_until {
        blocks.push(pair(
            words::NOTICE_HOLD,
            store.local_date(until).format("%a %Y-%m-%d").to_string(),
        ));
    }
    blocks.push(Block::Rule);
    blocks.push(Block::Text(words::NOTICE_HOURS.to_owned()));
    blocks.extend(store.hours.iter().cloned().map(Block::Text));
    blocks.push(Block::Rule);
    blocks.push(Block::Text(words::NOTICE_BRING.to_owned()));
    Slip {
        kind: SlipKind::PickupNotice,
        reprint,
        blocks,
    }
}

/// What the driver took: carrier, badge, count, each id, the handshake that confirmed it.
pub fn driver_manifest(store: &StoreHeader, facts: &ManifestFacts, reprint: bool) -> Slip {
    let mut blocks = head(store, words::DRIVER_MANIFEST, reprint, Some(facts.seq));
    blocks.push(pair(words::TIME, store.local_time(facts.recorded_at)));
    blocks.push(pair(words::CARRIER, facts.carriers.join(", ")));
    blocks.push(pair(words::DRIVER, facts.badge.clone()));
    blocks.push(pair(words::RECORD, format!("#{}", facts.seq)));
    blocks.push(pair(
        words::PARCELS,
        words::counted(facts.parcels.len(), "parcel"),
    ));
    blocks.push(Block::Rule);
    blocks.extend(
        facts
            .parcels
            .iter()
            .map(|tracking_id| Block::Code(tracking_id.to_string())),
    );
    blocks.push(Block::Rule);
    blocks.push(pair(
        words::TOKEN,
        facts.token_id.as_deref().unwrap_or(words::NO_TOKEN),
    ));
    blocks.push(pair(
        words::FALLBACK,
        facts.fallback_code.as_deref().unwrap_or(words::NO_TOKEN),
    ));
    blocks.push(Block::Blank);
    blocks.push(Block::WriteIn(words::DRIVER_SIGNS.to_owned()));
    Slip {
        kind: SlipKind::DriverManifest,
        reprint,
        blocks,
    }
}

/// The courier's run: stops in order, each with its address, its parcels and a line for what
/// happened there.
pub fn run_sheet(store: &StoreHeader, facts: &RunSheetFacts, reprint: bool) -> Slip {
    let mut blocks = head(store, words::RUN_SHEET, reprint, Some(facts.seq));
    blocks.push(pair(words::TIME, store.local_time(facts.recorded_at)));
    blocks.push(pair(words::COURIER, facts.courier.clone()));
    blocks.push(pair(
        words::STOPS,
        words::counted(facts.stops.len(), "stop"),
    ));
    let parcels: usize = facts.stops.iter().map(|stop| stop.parcels.len()).sum();
    blocks.push(pair(words::PARCELS, words::counted(parcels, "parcel")));
    for (index, stop) in facts.stops.iter().enumerate() {
        blocks.push(Block::Rule);
        blocks.push(Block::Heading(words::stop_heading(
            index + 1,
            stop.parcels.len(),
        )));
        blocks.push(Block::Text(stop.recipient.clone()));
        if stop.address.is_empty() {
            blocks.push(Block::Text(format!(
                "{} ({})",
                stop.postal_code,
                words::NO_ADDRESS
            )));
        } else {
            blocks.extend(stop.address.iter().cloned().map(Block::Text));
        }
        blocks.extend(
            stop.parcels
                .iter()
                .map(|tracking_id| Block::Code(tracking_id.to_string())),
        );
        blocks.push(Block::WriteIn(words::OUTCOME.to_owned()));
    }
    Slip {
        kind: SlipKind::RunSheet,
        reprint,
        blocks,
    }
}

/// The end-of-day report as the desk shows it, one text block per line.
pub fn day_report(store: &StoreHeader, day: chrono::NaiveDate, text: &str) -> Slip {
    let mut blocks = head(store, words::DAY_REPORT, false, None);
    blocks.push(pair(
        words::REPORT_DAY,
        day.format("%a %Y-%m-%d").to_string(),
    ));
    blocks.push(Block::Rule);
    for line in text.lines() {
        blocks.push(if line.trim().is_empty() {
            Block::Blank
        } else {
            Block::Text(line.trim_end().to_owned())
        });
    }
    Slip {
        kind: SlipKind::DayReport,
        reprint: false,
        blocks,
    }
}

#[cfg(test)]
mod tests {
    use super::super::RunStop;
    use super::*;
    use crate::domain::codes::PickupCode;
    use crate::domain::ids::TrackingId;
    use chrono::{TimeZone, Utc};

    fn store() -> StoreHeader {
        StoreHeader {
            name: "Riverside Mall Parcel Point".into(),
            address: vec![
                "2 E Riverside Mall Dr, Unit 114".into(),
                "Phoenix AZ 85004".into(),
            ],
            hours: vec!["Mon 09:00-19:00".into(), "Sun closed".into()],
            time_zone: chrono_tz::America::Phoenix,
        }
    }

    fn id(text: &str) -> TrackingId {
        TrackingId::parse(text).unwrap()
    }

    fn at() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 22, 5, 3).unwrap()
    }

    /// Every piece of text on the slip, in order, for "holds" assertions.
    fn texts(slip: &Slip) -> Vec<String> {
        slip.texts().into_iter().map(str::to_owned).collect()
    }

    fn holds(slip: &Slip, wanted: &str) -> bool {
        texts(slip).iter().any(|text| text == wanted)
    }

    fn receipt_facts(parcels: usize, refusals: usize) -> ReceiptFacts {
        ReceiptFacts {
            kind: EventKind::CustomerDropOff,
            seq: 41,
            event_hash: Some([7; 32]),
            recorded_at: at(),
            parcels: (0..parcels)
                .map(|n| (id(&format!("1Z999AA1012345678{n}")), "UPS".to_owned()))
                .collect(),
            refusals: (0..refusals)
                .map(|n| (id(&format!("REFUSED00{n}")), "damaged".to_owned()))
                .collect(),
            clerk: "Ana María Lopez".into(),
        }
    }

    #[test]
    fn a_receipt_holds_store_time_parcels_carriers_refusals_clerk_and_signed_qr() {
        let slip = receipt(&store(), &receipt_facts(2, 1), Some("SIGNED.TOKEN"), false);
        assert_eq!(slip.kind, SlipKind::Receipt);
        assert!(!slip.reprint);
        assert_eq!(
            slip.blocks[0],
            Block::Heading("Riverside Mall Parcel Point".into())
        );
        for wanted in [
            "2 E Riverside Mall Dr, Unit 114",
            "Phoenix AZ 85004",
            words::RECEIPT_DROP_OFF,
            // Store-local time (Phoenix is UTC-7), not UTC.
            "2026-11-25 15:05:03 MST",
            "Ana",
            "2 parcels taken in",
            "1Z999AA10123456780",
            "1Z999AA10123456781",
            "UPS",
            "1 parcel refused",
            "REFUSED000",
            "damaged",
            "Keep this receipt as proof that the store took your parcels.",
        ] {
            assert!(
                holds(&slip, wanted),
                "{wanted:?} missing: {:?}",
                texts(&slip)
            );
        }
        assert!(!texts(&slip).iter().any(|text| text.contains("Lopez")));
        assert!(slip.blocks.contains(&Block::Qr("SIGNED.TOKEN".into())));
    }

    #[test]
    fn a_receipt_of_refusals_only_carries_no_token() {
        let slip = receipt(&store(), &receipt_facts(0, 1), None, false);
        assert!(holds(&slip, "1 parcel refused"));
        assert!(
            !slip
                .blocks
                .iter()
                .any(|block| matches!(block, Block::Qr(_)))
        );
    }

    #[test]
    fn counts_on_slips_are_singular_for_one() {
        let one = receipt(&store(), &receipt_facts(1, 2), Some("T"), false);
        assert!(holds(&one, "1 parcel taken in"));
        assert!(holds(&one, "2 parcels refused"));
        let none_refused = receipt(&store(), &receipt_facts(3, 0), Some("T"), false);
        assert!(holds(&none_refused, "3 parcels taken in"));
        assert!(!texts(&none_refused).iter().any(|t| t.contains("refused")));
    }

    #[test]
    fn a_return_is_titled_as_one() {
        let mut facts = receipt_facts(1, 0);
        facts.kind = EventKind::CustomerReturn;
        assert!(holds(
            &receipt(&store(), &facts, Some("T"), false),
            words::RECEIPT_RETURN
        ));
    }

    #[test]
    fn a_reprint_is_marked_and_names_the_record_it_copies() {
        let slip = receipt(&store(), &receipt_facts(1, 0), Some("T"), true);
        assert!(slip.reprint);
        assert!(holds(&slip, &words::reprint_of(41)));
        let first = receipt(&store(), &receipt_facts(1, 0), Some("T"), false);
        assert!(!holds(&first, &words::reprint_of(41)));
    }

    fn notice(code: Option<&str>) -> NoticeFacts {
        NoticeFacts {
            recipient: "Jordan Smith".into(),
            tracking_id: id("9400111899223344556677"),
            code: code.map(|code| PickupCode::parse(code).unwrap()),
            hold_until: Some(Utc.with_ymd_and_hms(2026, 12, 2, 6, 0, 0).unwrap()),
            recorded_at: at(),
            seq: 7,
        }
    }

    #[test]
    fn a_pickup_notice_holds_name_last_six_code_hold_date_and_hours() {
        let slip = pickup_notice(&store(), &notice(Some("482913")), false);
        assert_eq!(slip.kind, SlipKind::PickupNotice);
        for wanted in [
            "Jordan Smith",
            "556677",
            "482913",
            // 06:00 UTC on the 2nd is still the 1st in Phoenix.
            "Tue 2026-12-01",
            "Mon 09:00-19:00",
            "Sun closed",
        ] {
            assert!(
                holds(&slip, wanted),
                "{wanted:?} missing: {:?}",
                texts(&slip)
            );
        }
        assert!(
            !texts(&slip)
                .iter()
                .any(|t| t.contains("9400111899223344556677"))
        );
    }

    #[test]
    fn a_reprinted_notice_never_shows_the_code_and_says_where_to_get_it() {
        let slip = pickup_notice(&store(), &notice(Some("482913")), true);
        assert!(slip.reprint);
        assert!(!texts(&slip).iter().any(|t| t.contains("482913")));
        assert!(holds(&slip, words::CODE_NOT_REPRINTED));
        let from_ledger = pickup_notice(&store(), &notice(None), false);
        assert!(holds(&from_ledger, words::CODE_NOT_REPRINTED));
    }

    #[test]
    fn a_driver_manifest_holds_carrier_badge_count_ids_token_and_fallback() {
        let facts = ManifestFacts {
            seq: 12,
            carriers: vec!["UPS".into()],
            badge: "UPS-4471".into(),
            parcels: vec![id("1Z999AA10123456784"), id("1Z999AA10123456785")],
            token_id: Some("tok-3f9a".into()),
            fallback_code: Some("731 204".into()),
            recorded_at: at(),
        };
        let slip = driver_manifest(&store(), &facts, false);
        assert_eq!(slip.kind, SlipKind::DriverManifest);
        for wanted in [
            "UPS",
            "UPS-4471",
            "2 parcels",
            "1Z999AA10123456784",
            "1Z999AA10123456785",
            "tok-3f9a",
            "731 204",
            "2026-11-25 15:05:03 MST",
        ] {
            assert!(
                holds(&slip, wanted),
                "{wanted:?} missing: {:?}",
                texts(&slip)
            );
        }
        let one = ManifestFacts {
            parcels: vec![id("1Z999AA10123456784")],
            ..facts
        };
        assert!(holds(&driver_manifest(&store(), &one, false), "1 parcel"));
    }

    #[test]
    fn a_run_sheet_lists_stops_in_order_with_addresses_parcels_and_a_write_in() {
        let facts = RunSheetFacts {
            seq: 30,
            courier: "Sam".into(),
            recorded_at: at(),
            stops: vec![
                RunStop {
                    recipient: "Lee Park".into(),
                    address: vec!["14 Mill Rd".into(), "Tonopah AZ 85354".into()],
                    postal_code: "85354".into(),
                    parcels: vec![id("1Z999AA10123456786"), id("1Z999AA10123456787")],
                },
                RunStop {
                    recipient: "Kim Ortiz".into(),
                    address: Vec::new(),
                    postal_code: "85355".into(),
                    parcels: vec![id("1Z999AA10123456788")],
                },
            ],
        };
        let slip = run_sheet(&store(), &facts, false);
        assert_eq!(slip.kind, SlipKind::RunSheet);
        let all = texts(&slip);
        let at_of = |wanted: &str| all.iter().position(|t| t == wanted).unwrap();
        assert!(at_of("Stop 1: 2 parcels") < at_of("Lee Park"));
        assert!(at_of("14 Mill Rd") < at_of("Stop 2: 1 parcel"));
        assert!(at_of("Stop 2: 1 parcel") < at_of("Kim Ortiz"));
        assert!(holds(&slip, "Tonopah AZ 85354"));
        assert!(holds(&slip, "2 stops"));
        assert!(holds(&slip, "3 parcels"));
        assert!(holds(&slip, &format!("85355 ({})", words::NO_ADDRESS)));
        let write_ins = slip
            .blocks
            .iter()
            .filter(|block| matches!(block, Block::WriteIn(_)))
            .count();
        assert_eq!(write_ins, 2, "one outcome line per stop");
    }

    #[test]
    fn the_day_report_prints_the_reports_lines() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let slip = day_report(&store(), day, "Received   4\n\nHanded over   2\n");
        assert_eq!(slip.kind, SlipKind::DayReport);
        assert!(holds(&slip, "Received   4"));
        assert!(holds(&slip, "Handed over   2"));
        assert!(holds(&slip, "Wed 2026-11-25"));
    }
}
