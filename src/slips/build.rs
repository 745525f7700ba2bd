//! The five slips, block by block. Each takes the language it is printed in, the store's
//! header, its facts and whether it is a reprint; a reprint says which record it copies (the
//! printer marks it REPRINT at the top, in the slip's language). Every word comes from
//! slips.ftl; what the facts hold (names, ids, recorded reasons) is printed as recorded, with
//! the kiosk's own canonical words translated.

use super::{
    Block, ManifestFacts, NoticeFacts, ReceiptFacts, RunSheetFacts, Slip, SlipKind, StoreHeader,
    carrier_name, day_text, first_name, last_chars, refusal_reason_text,
};
use crate::domain::custody::EventKind;
use crate::domain::report::DayReport;
use crate::i18n::Lang;
use crate::report_text::{self, ReportLine};
use crate::t;

/// The store's name and address, then the slip's title.
fn head(
    lang: Lang,
    store: &StoreHeader,
    title: String,
    reprint: bool,
    seq: Option<u64>,
) -> Vec<Block> {
    let mut blocks = vec![Block::Heading(store.name.clone())];
    blocks.extend(store.address.iter().cloned().map(Block::Text));
    blocks.push(Block::Rule);
    blocks.push(Block::Heading(title));
    if reprint && let Some(seq) = seq {
        blocks.push(Block::Text(t!(
            lang,
            "slip-reprint-of",
            seq = seq.to_string()
        )));
    }
    blocks
}

fn pair(label: String, value: impl Into<String>) -> Block {
    Block::Pair {
        label,
        value: value.into(),
    }
}

fn slip(kind: SlipKind, lang: Lang, reprint: bool, blocks: Vec<Block>) -> Slip {
    Slip {
        kind,
        reprint,
        lang,
        blocks,
    }
}

/// The customer's proof of a drop-off or return, with the store's signed `token` as a QR (none
/// when every parcel was refused: the customer keeps them, and the slip only says why). The
/// token is the same whatever the language: it signs the record, not the paper's words.
pub fn receipt(
    lang: Lang,
    store: &StoreHeader,
    facts: &ReceiptFacts,
    token: Option<&str>,
    reprint: bool,
) -> Slip {
    let title = if facts.kind == EventKind::CustomerReturn {
        t!(lang, "slip-title-return")
    } else {
        t!(lang, "slip-title-drop-off")
    };
    let mut blocks = head(lang, store, title, reprint, Some(facts.seq));
    blocks.push(pair(
        t!(lang, "slip-time"),
        store.local_time(lang, facts.recorded_at),
    ));
    blocks.push(pair(t!(lang, "slip-clerk"), first_name(&facts.clerk)));
    blocks.push(pair(t!(lang, "slip-record"), format!("#{}", facts.seq)));
    blocks.push(Block::Rule);
    if !facts.parcels.is_empty() {
        blocks.push(Block::Text(t!(
            lang,
            "slip-taken-in",
            count = facts.parcels.len()
        )));
        for (tracking_id, carrier) in &facts.parcels {
            blocks.push(Block::Code(tracking_id.to_string()));
            blocks.push(pair(t!(lang, "slip-carrier"), carrier_name(lang, *carrier)));
        }
    }
    if !facts.refusals.is_empty() {
        if !facts.parcels.is_empty() {
            blocks.push(Block::Blank);
        }
        blocks.push(Block::Text(t!(
            lang,
            "slip-refused",
            count = facts.refusals.len()
        )));
        for (tracking_id, reason) in &facts.refusals {
            blocks.push(Block::Code(tracking_id.to_string()));
            blocks.push(pair(
                t!(lang, "slip-refused-because"),
                refusal_reason_text(lang, reason),
            ));
        }
    }
    blocks.push(Block::Rule);
    if let Some(token) = token {
        blocks.push(Block::Qr(token.to_owned()));
        blocks.push(Block::Text(t!(lang, "slip-receipt-qr")));
        blocks.push(Block::Text(t!(
            lang,
            "slip-keep-receipt",
            count = facts.parcels.len()
        )));
    }
    slip(SlipKind::Receipt, lang, reprint, blocks)
}

/// The notice for the recipient of a parcel that came unannounced: who, which parcel, the code
/// (only at recording time), until when, and when the store is open.
pub fn pickup_notice(lang: Lang, store: &StoreHeader, facts: &NoticeFacts, reprint: bool) -> Slip {
    let mut blocks = head(
        lang,
        store,
        t!(lang, "slip-title-notice"),
        reprint,
        Some(facts.seq),
    );
    blocks.push(pair(t!(lang, "slip-notice-for"), facts.recipient.clone()));
    blocks.push(pair(
        t!(lang, "slip-notice-parcel"),
        last_chars(facts.tracking_id.as_str(), 6),
    ));
    match (&facts.code, reprint) {
        (Some(code), false) => {
            blocks.push(Block::Text(t!(lang, "slip-notice-code")));
            blocks.push(Block::Code(code.expose().to_owned()));
        }
        _ => blocks.push(pair(
            t!(lang, "slip-notice-code"),
            t!(lang, "slip-code-not-reprinted"),
        )),
    }
    if let Some(until) = facts.hold_until {
        blocks.push(pair(
            t!(lang, "slip-notice-hold"),
            day_text(lang, store.local_date(until)),
        ));
    }
    blocks.push(Block::Rule);
    blocks.push(Block::Text(t!(lang, "slip-notice-hours")));
    blocks.extend(store.hours_lines(lang).into_iter().map(Block::Text));
    blocks.push(Block::Rule);
    blocks.push(Block::Text(t!(lang, "slip-notice-bring")));
    slip(SlipKind::PickupNotice, lang, reprint, blocks)
}

/// What the driver took: carrier, badge, count, each id, the handshake that confirmed it.
pub fn driver_manifest(
    lang: Lang,
    store: &StoreHeader,
    facts: &ManifestFacts,
    reprint: bool,
) -> Slip {
    let mut blocks = head(
        lang,
        store,
        t!(lang, "slip-title-manifest"),
        reprint,
        Some(facts.seq),
    );
    blocks.push(pair(
        t!(lang, "slip-time"),
        store.local_time(lang, facts.recorded_at),
    ));
    let carriers: Vec<String> = facts
        .carriers
        .iter()
        .map(|carrier| carrier_name(lang, *carrier))
        .collect();
    blocks.push(pair(t!(lang, "slip-carrier"), carriers.join(", ")));
    blocks.push(pair(t!(lang, "slip-driver"), facts.badge.clone()));
    blocks.push(pair(t!(lang, "slip-record"), format!("#{}", facts.seq)));
    blocks.push(pair(
        t!(lang, "slip-parcels"),
        t!(lang, "n-parcels", count = facts.parcels.len()),
    ));
    blocks.push(Block::Rule);
    blocks.extend(
        facts
            .parcels
            .iter()
            .map(|tracking_id| Block::Code(tracking_id.to_string())),
    );
    blocks.push(Block::Rule);
    let none = || t!(lang, "slip-no-token");
    blocks.push(pair(
        t!(lang, "slip-token"),
        facts.token_id.clone().unwrap_or_else(none),
    ));
    blocks.push(pair(
        t!(lang, "slip-fallback"),
        facts.fallback_code.clone().unwrap_or_else(none),
    ));
    blocks.push(Block::Blank);
    blocks.push(Block::WriteIn(t!(lang, "slip-driver-signs")));
    slip(SlipKind::DriverManifest, lang, reprint, blocks)
}

/// The courier's run: stops in order, each with its address, its parcels and a line for what
/// happened there.
pub fn run_sheet(lang: Lang, store: &StoreHeader, facts: &RunSheetFacts, reprint: bool) -> Slip {
    let mut blocks = head(
        lang,
        store,
        t!(lang, "slip-title-run-sheet"),
        reprint,
        Some(facts.seq),
    );
    blocks.push(pair(
        t!(lang, "slip-time"),
        store.local_time(lang, facts.recorded_at),
    ));
    blocks.push(pair(t!(lang, "slip-courier"), facts.courier.clone()));
    blocks.push(pair(
        t!(lang, "slip-stops"),
        t!(lang, "slip-n-stops", count = facts.stops.len()),
    ));
    let parcels: usize = facts.stops.iter().map(|stop| stop.parcels.len()).sum();
    blocks.push(pair(
        t!(lang, "slip-parcels"),
        t!(lang, "n-parcels", count = parcels),
    ));
    for (index, stop) in facts.stops.iter().enumerate() {
        blocks.push(Block::Rule);
        blocks.push(Block::Heading(t!(
            lang,
            "slip-stop-heading",
            number = index + 1,
            parcels = stop.parcels.len()
        )));
        blocks.push(Block::Text(stop.recipient.clone()));
        if stop.address.is_empty() {
            blocks.push(Block::Text(t!(
                lang,
                "slip-no-address",
                postal_code = stop.postal_code.as_str()
            )));
        } else {
            blocks.extend(stop.address.iter().cloned().map(Block::Text));
        }
        blocks.extend(
            stop.parcels
                .iter()
                .map(|tracking_id| Block::Code(tracking_id.to_string())),
        );
        blocks.push(Block::WriteIn(t!(lang, "slip-outcome")));
    }
    slip(SlipKind::RunSheet, lang, reprint, blocks)
}

/// The end-of-day report in `lang`: the slip's head and the day, then the report's figures
/// (src/report_text.rs), each label with its figure at the right whatever the roll's width.
pub fn day_report(lang: Lang, store: &StoreHeader, report: &DayReport) -> Slip {
    let mut blocks = head(lang, store, t!(lang, "slip-title-day-report"), false, None);
    blocks.push(pair(
        t!(lang, "slip-report-day"),
        day_text(lang, report.day),
    ));
    for line in report_text::body(lang, report, true) {
        blocks.push(match line {
            ReportLine::Rule(_) => Block::Rule,
            ReportLine::Text { text, .. } => Block::Text(text),
            ReportLine::Figure { label, value, .. } => pair(label, value),
            ReportLine::Hash(chunk) => Block::Code(chunk),
        });
    }
    slip(SlipKind::DayReport, lang, false, blocks)
}

#[cfg(test)]
mod tests {
    use super::super::RunStop;
    use super::*;
    use crate::domain::calendar::OpenInterval;
    use crate::domain::codes::PickupCode;
    use crate::domain::ids::TrackingId;
    use crate::domain::labels::Carrier;
    use chrono::{NaiveTime, TimeZone, Utc, Weekday};

    fn time(hour: u32, minute: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
    }

    fn store() -> StoreHeader {
        StoreHeader {
            name: "Riverside Mall Parcel Point".into(),
            address: vec![
                "2 E Riverside Mall Dr, Unit 114".into(),
                "Phoenix AZ 85004".into(),
            ],
            hours: vec![
                (
                    Weekday::Mon,
                    vec![OpenInterval {
                        opens: time(9, 0),
                        closes: time(19, 0),
                    }],
                ),
                (
                    Weekday::Sat,
                    vec![
                        OpenInterval {
                            opens: time(9, 0),
                            closes: time(12, 30),
                        },
                        OpenInterval {
                            opens: time(14, 0),
                            closes: time(18, 0),
                        },
                    ],
                ),
                (Weekday::Sun, Vec::new()),
            ],
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
                .map(|n| (id(&format!("1Z999AA1012345678{n}")), Carrier::Ups))
                .collect(),
            refusals: (0..refusals)
                .map(|n| (id(&format!("REFUSED00{n}")), "damaged".to_owned()))
                .collect(),
            clerk: "Ana María Lopez".into(),
        }
    }

    #[test]
    fn a_receipt_holds_store_time_parcels_carriers_refusals_clerk_and_signed_qr() {
        let slip = receipt(
            Lang::En,
            &store(),
            &receipt_facts(2, 1),
            Some("SIGNED.TOKEN"),
            false,
        );
        assert_eq!(slip.kind, SlipKind::Receipt);
        assert!(!slip.reprint);
        assert_eq!(
            slip.blocks[0],
            Block::Heading("Riverside Mall Parcel Point".into())
        );
        for wanted in [
            "2 E Riverside Mall Dr, Unit 114",
            "Phoenix AZ 85004",
            "DROP-OFF RECEIPT",
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
        let slip = receipt(Lang::En, &store(), &receipt_facts(0, 1), None, false);
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
        let one = receipt(Lang::En, &store(), &receipt_facts(1, 2), Some("T"), false);
        assert!(holds(&one, "1 parcel taken in"));
        assert!(holds(&one, "2 parcels refused"));
        let none_refused = receipt(Lang::En, &store(), &receipt_facts(3, 0), Some("T"), false);
        assert!(holds(&none_refused, "3 parcels taken in"));
        assert!(!texts(&none_refused).iter().any(|t| t.contains("refused")));
    }

    #[test]
    fn a_return_is_titled_as_one() {
        let mut facts = receipt_facts(1, 0);
        facts.kind = EventKind::CustomerReturn;
        assert!(holds(
            &receipt(Lang::En, &store(), &facts, Some("T"), false),
            "RETURN RECEIPT"
        ));
    }

    #[test]
    fn a_reprint_is_marked_and_names_the_record_it_copies() {
        let slip = receipt(Lang::En, &store(), &receipt_facts(1, 0), Some("T"), true);
        assert!(slip.reprint);
        assert!(holds(&slip, "Copy of record #41, printed again."));
        let first = receipt(Lang::En, &store(), &receipt_facts(1, 0), Some("T"), false);
        assert!(!holds(&first, "Copy of record #41, printed again."));
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
        let slip = pickup_notice(Lang::En, &store(), &notice(Some("482913")), false);
        assert_eq!(slip.kind, SlipKind::PickupNotice);
        for wanted in [
            "Jordan Smith",
            "556677",
            "482913",
            // 06:00 UTC on the 2nd is still the 1st in Phoenix.
            "Tue 2026-12-01",
            "Mon 09:00-19:00",
            "Sat 09:00-12:30, 14:00-18:00",
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
        let slip = pickup_notice(Lang::En, &store(), &notice(Some("482913")), true);
        assert!(slip.reprint);
        assert!(!texts(&slip).iter().any(|t| t.contains("482913")));
        assert!(holds(&slip, "code not reprinted: ask at the counter"));
        let from_ledger = pickup_notice(Lang::En, &store(), &notice(None), false);
        assert!(holds(
            &from_ledger,
            "code not reprinted: ask at the counter"
        ));
    }

    #[test]
    fn a_driver_manifest_holds_carrier_badge_count_ids_token_and_fallback() {
        let facts = ManifestFacts {
            seq: 12,
            carriers: vec![Carrier::Ups],
            badge: "UPS-4471".into(),
            parcels: vec![id("1Z999AA10123456784"), id("1Z999AA10123456785")],
            token_id: Some("tok-3f9a".into()),
            fallback_code: Some("731 204".into()),
            recorded_at: at(),
        };
        let slip = driver_manifest(Lang::En, &store(), &facts, false);
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
        assert!(holds(
            &driver_manifest(Lang::En, &store(), &one, false),
            "1 parcel"
        ));
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
        let slip = run_sheet(Lang::En, &store(), &facts, false);
        assert_eq!(slip.kind, SlipKind::RunSheet);
        let all = texts(&slip);
        let at_of = |wanted: &str| all.iter().position(|t| t == wanted).unwrap();
        assert!(at_of("Stop 1: 2 parcels") < at_of("Lee Park"));
        assert!(at_of("14 Mill Rd") < at_of("Stop 2: 1 parcel"));
        assert!(at_of("Stop 2: 1 parcel") < at_of("Kim Ortiz"));
        assert!(holds(&slip, "Tonopah AZ 85354"));
        assert!(holds(&slip, "2 stops"));
        assert!(holds(&slip, "3 parcels"));
        assert!(holds(
            &slip,
            "85355 (address not announced: see the parcel label)"
        ));
        let write_ins = slip
            .blocks
            .iter()
            .filter(|block| matches!(block, Block::WriteIn(_)))
            .count();
        assert_eq!(write_ins, 2, "one outcome line per stop");
    }

    fn day(received: u64, handed_over: u64) -> DayReport {
        DayReport {
            store_id: "RVM-0045".into(),
            store_name: "Riverside Mall Parcel Point".into(),
            day: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            opening: 0,
            received: vec![(EventKind::DriverDelivery, received)],
            handed_over: vec![(EventKind::CustomerPickup, handed_over)],
            exceptions: Vec::new(),
            holds_expired: 0,
            corrections: Default::default(),
            closing: received - handed_over,
            per_staff: vec![("Ana".into(), received + handed_over)],
            by_carrier: Vec::new(),
            head_seq: 9,
            head_hash: "ab".repeat(32),
        }
    }

    #[test]
    fn the_day_report_prints_the_reports_figures() {
        let slip = day_report(Lang::En, &store(), &day(4, 2));
        assert_eq!(slip.kind, SlipKind::DayReport);
        assert!(slip.blocks.contains(&pair("Received".into(), "4")));
        assert!(slip.blocks.contains(&pair("Handed over".into(), "2")));
        assert!(
            slip.blocks
                .contains(&pair("Check: 0 + 4 - 2 = 2".into(), "OK"))
        );
        assert!(holds(&slip, "Wed 2026-11-25"));
        assert!(holds(&slip, &"ab".repeat(16)), "the chain head, as a code");
    }

    #[test]
    fn a_spanish_receipt_words_counts_reasons_and_times_in_spanish() {
        let mut facts = receipt_facts(1, 2);
        facts.refusals[1].1 = "wet through".into();
        let slip = receipt(Lang::Es, &store(), &facts, Some("T"), true);
        assert_eq!(slip.lang, Lang::Es);
        for wanted in [
            "COMPROBANTE DE ENVÍO",
            "Copia del registro #41, impresa de nuevo.",
            "25/11/2026 15:05:03 MST",
            "1 paquete recibido",
            "2 paquetes rechazados",
            "Paquetería",
            // A reason the counter records is translated; one it does not know prints as
            // recorded.
            "dañado",
            "wet through",
            "Guarde este comprobante: prueba que la tienda recibió su paquete.",
        ] {
            assert!(
                holds(&slip, wanted),
                "{wanted:?} missing: {:?}",
                texts(&slip)
            );
        }
        assert!(!holds(&slip, "damaged"));
        let many = receipt(Lang::Es, &store(), &receipt_facts(2, 1), Some("T"), false);
        assert!(holds(&many, "2 paquetes recibidos"));
        assert!(holds(&many, "1 paquete rechazado"));
        assert!(holds(
            &many,
            "Guarde este comprobante: prueba que la tienda recibió sus paquetes."
        ));
    }

    #[test]
    fn every_reason_the_counter_records_has_its_words_in_each_language() {
        for reason in crate::tui::flows::drop_off::REFUSAL_REASONS {
            assert_eq!(refusal_reason_text(Lang::En, reason), reason);
            assert_ne!(
                refusal_reason_text(Lang::Es, reason),
                reason,
                "{reason:?} has no Spanish"
            );
        }
    }

    #[test]
    fn carriers_named_by_a_word_are_translated_and_brands_are_not() {
        let post = crate::domain::labels::carrier_of(&id("RA123456785MX"));
        assert_eq!(carrier_name(Lang::En, post), post.to_string());
        assert_eq!(carrier_name(Lang::Es, post), "correo (MX)");
        assert_eq!(carrier_name(Lang::Es, Carrier::Other), "otra");
        assert_eq!(carrier_name(Lang::Es, Carrier::Ups), "UPS");
    }

    #[test]
    fn a_spanish_notice_gives_hours_and_the_hold_date_as_spanish_reads_them() {
        let slip = pickup_notice(Lang::Es, &store(), &notice(Some("482913")), false);
        for wanted in [
            "¡SU PAQUETE YA LLEGÓ!",
            "Código de recogida",
            "482913",
            "mar 01/12/2026",
            "lun 09:00-19:00",
            "sáb 09:00-12:30, 14:00-18:00",
            "dom cerrado",
            "Traiga este aviso y una identificación con foto.",
        ] {
            assert!(
                holds(&slip, wanted),
                "{wanted:?} missing: {:?}",
                texts(&slip)
            );
        }
        let again = pickup_notice(Lang::Es, &store(), &notice(Some("482913")), true);
        assert!(holds(
            &again,
            "el código no se reimprime: pídalo en el mostrador"
        ));
    }

    #[test]
    fn a_spanish_day_report_says_its_figures_in_spanish() {
        let slip = day_report(Lang::Es, &store(), &day(4, 2));
        assert!(holds(&slip, "REPORTE DE CIERRE DEL DÍA"));
        assert!(holds(&slip, "mié 25/11/2026"));
        assert!(slip.blocks.contains(&pair("Recibidos".into(), "4")));
        assert!(
            slip.blocks
                .contains(&pair("  entrega del repartidor".into(), "4"))
        );
        assert!(
            slip.blocks
                .contains(&pair("Cuadre: 0 + 4 - 2 = 2".into(), "CUADRA"))
        );
        assert!(!texts(&slip).iter().any(|text| text.contains("Received")));
    }
}
