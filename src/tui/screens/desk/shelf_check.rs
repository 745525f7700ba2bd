//! The shelf check's judgement: what was scanned against what the ledger says is on the shelves
//! that were scanned. Pure, so the rule is tested without a screen.

use crate::domain::custody::ParcelStatus;
use crate::domain::ids::TrackingId;
use crate::store::ParcelRecord;

use super::words;
use crate::i18n::Lang;
use crate::t;
use crate::tui::screens::labels;

/// A shelf check's outcome in one language: its lines, and whether every parcel on record on
/// the shelves checked was found where it should be (the screen marks that as good news).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    pub lines: Vec<String>,
    pub all_found: bool,
}

/// The lines of a shelf check, in English (the report file beside the ledger).
pub fn judge(
    shelves: &[String],
    scanned: &[(TrackingId, String)],
    on_shelves: &[ParcelRecord],
    status_of: impl Fn(&TrackingId) -> Option<ParcelStatus>,
) -> Vec<String> {
    judge_in(Lang::En, shelves, scanned, on_shelves, status_of).lines
}

/// The judgement in `lang`. `shelves` are the shelves whose labels were scanned; only the
/// parcels recorded on them can be missing. `scanned` is each parcel scanned with the shelf it
/// was found on ("" when no shelf label came first). `on_shelves` is every parcel on record as
/// on a shelf; `status_of` tells what the ledger says of a scanned parcel it has off the
/// shelves.
pub fn judge_in(
    lang: Lang,
    shelves: &[String],
    scanned: &[(TrackingId, String)],
    on_shelves: &[ParcelRecord],
    status_of: impl Fn(&TrackingId) -> Option<ParcelStatus>,
) -> Judgement {
    let mut report = Vec::new();
    let checked: Vec<&ParcelRecord> = on_shelves
        .iter()
        .filter(|parcel| shelves.contains(&parcel.shelf))
        .collect();
    for parcel in &checked {
        if !scanned.iter().any(|(id, _)| *id == parcel.tracking_id) {
            report.push(t!(
                lang,
                "desk-shelf-missing",
                id = parcel.tracking_id.to_string(),
                shelf = parcel.shelf.as_str(),
                status = labels::status(lang, parcel.status)
            ));
        }
    }
    for (id, bin) in scanned {
        let found = if bin.is_empty() {
            t!(lang, "desk-shelf-found-nowhere")
        } else {
            t!(lang, "desk-shelf-found-on", shelf = bin.as_str())
        };
        match on_shelves.iter().find(|parcel| parcel.tracking_id == *id) {
            Some(parcel) if !bin.is_empty() && *bin != parcel.shelf => report.push(t!(
                lang,
                "desk-shelf-wrong-shelf",
                id = id.to_string(),
                found = found,
                shelf = parcel.shelf.as_str()
            )),
            Some(_) => {}
            None => report.push(match status_of(id) {
                Some(status) => t!(
                    lang,
                    "desk-shelf-unexpected",
                    id = id.to_string(),
                    found = found,
                    status = labels::status(lang, status)
                ),
                None => t!(
                    lang,
                    "desk-shelf-unexpected-unknown",
                    id = id.to_string(),
                    found = found
                ),
            }),
        }
    }
    let mut all_found = false;
    if report.is_empty() {
        report.push(if shelves.is_empty() {
            t!(lang, "desk-shelf-none-checked")
        } else {
            all_found = true;
            t!(
                lang,
                "desk-shelf-all-found",
                count = checked.len(),
                shelves = words::shelves_in(lang, shelves)
            )
        });
    }
    Judgement {
        lines: report,
        all_found,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::handoff::ParcelOrigin;
    use crate::domain::labels::Carrier;

    fn id(text: &str) -> TrackingId {
        TrackingId::parse(text).unwrap()
    }

    fn on(shelf: &str, text: &str) -> ParcelRecord {
        ParcelRecord {
            tracking_id: id(text),
            status: ParcelStatus::HeldForCustomer,
            shelf: shelf.into(),
            recipient_name: String::new(),
            postal_code: String::new(),
            received_at: None,
            hold_expires_at: None,
            missing: false,
            last_seq: 1,
            origin: ParcelOrigin::Carrier,
            leave_by: None,
            carrier: Carrier::Other,
        }
    }

    #[test]
    fn only_the_shelves_scanned_are_judged_and_states_are_words() {
        let record = [on("X", "XA0001"), on("X", "XA0002"), on("B", "BB0001")];
        let scanned = [(id("XA0001"), "X".to_owned())];
        let report = judge(&["X".into()], &scanned, &record, |_| None);
        assert_eq!(
            report,
            ["MISSING     XA0002 (shelf X, held for its customer)"],
            "BB0001 is on shelf B, which nobody checked"
        );
        let all = judge(
            &["X".into()],
            &[(id("XA0001"), "X".into()), (id("XA0002"), "X".into())],
            &record,
            |_| None,
        );
        assert_eq!(
            all,
            ["All 2 parcels on record on shelf X were found where they should be."]
        );
        let stray = judge(
            &["B".into()],
            &[(id("ZZ0001"), "B".into())],
            &record,
            |_| Some(ParcelStatus::Collected),
        );
        assert!(
            stray.contains(
                &"UNEXPECTED  ZZ0001 found on B; on record as collected by the customer".to_owned()
            ),
            "{stray:?}"
        );
        assert!(stray.iter().all(|line| !line.contains('_')), "{stray:?}");
        let nothing = judge(&[], &[], &record, |_| None);
        assert_eq!(
            nothing,
            ["No shelf label was scanned, so no shelf was checked."]
        );
    }

    #[test]
    fn the_screen_hears_the_check_in_the_managers_language() {
        let record = [on("X", "XA0001"), on("X", "XA0002")];
        let missing = judge_in(Lang::Es, &["X".into()], &[], &record, |_| None);
        assert!(!missing.all_found);
        assert_eq!(
            missing.lines[0],
            "FALTA       XA0001 (estante X, guardado para su cliente)"
        );
        let all = judge_in(
            Lang::Es,
            &["X".into()],
            &[(id("XA0001"), "X".into()), (id("XA0002"), "X".into())],
            &record,
            |_| None,
        );
        assert!(all.all_found);
        assert_eq!(
            all.lines,
            ["Los 2 paquetes registrados en el estante X estaban en su lugar."]
        );
        assert_eq!(
            words::shelves_in(Lang::Es, &["X".into(), "B".into(), "C".into()]),
            "X, B y C"
        );
    }
}
