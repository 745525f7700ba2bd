//! Continuity across several exports: each export proves its own days (signature, hashes,
//! chain inside it), but a withheld export leaves no trace in the others. Put side by side,
//! sorted by their first day, consecutive exports must meet: the store days follow on, and the
//! chain picks up where the previous export ended (same hash, next event number). Pure: takes
//! the manifests (already verified one by one) and names every gap or overlap.

use chrono::{Days, NaiveDate};

use super::export::ManifestBody;

/// What continuity needs of one verified export: its days, its events and where its chain
/// starts and ends, with the name it is shown by (its folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSpan {
    pub label: String,
    pub store_id: String,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub first_seq: Option<u64>,
    pub last_seq: Option<u64>,
    pub event_count: u64,
    pub chain_head_before: String,
    pub chain_head_after: String,
}

impl ExportSpan {
    pub fn of(label: &str, body: &ManifestBody) -> Self {
        Self {
            label: label.to_owned(),
            store_id: body.store_id.clone(),
            from_date: body.from_date,
            to_date: body.to_date,
            first_seq: body.first_seq,
            last_seq: body.last_seq,
            event_count: body.event_count,
            chain_head_before: body.chain_head_before.clone(),
            chain_head_after: body.chain_head_after.clone(),
        }
    }
}

/// What the exports cover together, when they are continuous.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContinuitySummary {
    pub exports: usize,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub first_seq: Option<u64>,
    pub last_seq: Option<u64>,
    pub event_count: u64,
}

/// Checks that `exports` (in any order) form one unbroken run of days and events. Returns the
/// run, or every problem found, each naming the exports and the missing days and events.
pub fn check_continuity(exports: &[ExportSpan]) -> Result<ContinuitySummary, Vec<String>> {
    let mut sorted: Vec<&ExportSpan> = exports.iter().collect();
    sorted.sort_by_key(|export| {
        (
            export.from_date,
            export.first_seq.unwrap_or(0),
            export.to_date,
        )
    });
    let Some(first) = sorted.first() else {
        return Err(vec!["no export to check".to_owned()]);
    };
    let mut problems = Vec::new();
    // The newest event number seen so far: an export without events carries it on.
    let mut last_seq = first.last_seq;
    let mut event_count = first.event_count;
    for pair in sorted.windows(2) {
        let (before, after) = (&pair[0], &pair[1]);
        if before.store_id != after.store_id {
            problems.push(format!(
                "export {} is of store {}, export {} of store {}: they cannot continue each other",
                before.label, before.store_id, after.label, after.store_id
            ));
            continue;
        }
        let next_day = before.to_date.checked_add_days(Days::new(1));
        let missing_events = missing_event_range(last_seq, after);
        let events_text = match missing_events {
            Some((from, to)) if from == to => format!(" (event {from})"),
            Some((from, to)) => format!(" (events {from} to {to})"),
            None => String::new(),
        };
        match next_day {
            Some(next) if after.from_date > next => {
                let last_missing = after.from_date.pred_opt().unwrap_or(next);
                let (days, verb) = if next == last_missing {
                    (format!("day {next}"), "is")
                } else {
                    (format!("days {next} to {last_missing}"), "are")
                };
                problems.push(format!(
                    "{days}{events_text} {verb} missing between export {} and export {}",
                    before.label, after.label
                ));
            }
            Some(next) if after.from_date < next => {
                problems.push(format!(
                    "export {} ({} to {}) overlaps export {} ({} to {}): give each day once",
                    after.label,
                    after.from_date,
                    after.to_date,
                    before.label,
                    before.from_date,
                    before.to_date
                ));
            }
            _ => match missing_events {
                Some((from, to)) => problems.push(format!(
                    "events {from} to {to} are missing between export {} and export {}, though their days follow on",
                    before.label, after.label
                )),
                // Days and numbers meet: the chain must pick up exactly where it left off.
                None if after.chain_head_before != before.chain_head_after => {
                    problems.push(format!(
                        "export {} does not continue the chain where export {} ends (its chain starts at {}, the other ends at {}): events between them are missing or altered",
                        after.label,
                        before.label,
                        short(&after.chain_head_before),
                        short(&before.chain_head_after)
                    ))
                }
                None => {}
            },
        }
        if after.last_seq.is_some() {
            last_seq = after.last_seq;
        }
        event_count += after.event_count;
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let last = sorted.last().copied().unwrap_or(first);
    Ok(ContinuitySummary {
        exports: sorted.len(),
        from_date: first.from_date,
        to_date: last.to_date,
        first_seq: sorted.iter().find_map(|export| export.first_seq),
        last_seq,
        event_count,
    })
}

/// The event numbers between the newest seen and `after`'s first, if any are missing.
fn missing_event_range(last_seq: Option<u64>, after: &ExportSpan) -> Option<(u64, u64)> {
    let next = last_seq.map_or(1, |seq| seq + 1);
    match after.first_seq {
        Some(first) if first > next => Some((next, first - 1)),
        _ => None,
    }
}

fn short(hash: &str) -> String {
    hash.chars().take(12).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// An export of `from..=to` with events `first..=last`; chain hashes named after the event
    /// number they follow, so consecutive exports meet.
    fn export(
        label: &str,
        from: &str,
        to: &str,
        events: Option<(u64, u64)>,
        head_before: u64,
    ) -> ExportSpan {
        let (first_seq, last_seq, count, head_after) = match events {
            Some((first, last)) => (Some(first), Some(last), last + 1 - first, last),
            None => (None, None, 0, head_before),
        };
        ExportSpan {
            label: label.into(),
            store_id: "RVM-0045".into(),
            from_date: day(from),
            to_date: day(to),
            first_seq,
            last_seq,
            event_count: count,
            chain_head_before: format!("{head_before:064}"),
            chain_head_after: format!("{head_after:064}"),
        }
    }

    #[test]
    fn contiguous_exports_in_any_order_pass() {
        let items = [
            export("C", "2026-11-05", "2026-11-05", Some((701, 760)), 700),
            export("A", "2026-11-01", "2026-11-02", Some((1, 511)), 0),
            export("B", "2026-11-03", "2026-11-04", Some((512, 700)), 511),
        ];
        let summary = check_continuity(&items).unwrap();
        assert_eq!(summary.exports, 3);
        assert_eq!(
            (summary.from_date, summary.to_date),
            (day("2026-11-01"), day("2026-11-05"))
        );
        assert_eq!((summary.first_seq, summary.last_seq), (Some(1), Some(760)));
        assert_eq!(summary.event_count, 760);
    }

    #[test]
    fn a_withheld_export_is_named_with_its_days_and_events() {
        let items = [
            export("A", "2026-11-01", "2026-11-02", Some((1, 511)), 0),
            export("C", "2026-11-05", "2026-11-05", Some((701, 760)), 700),
        ];
        assert_eq!(
            check_continuity(&items).unwrap_err(),
            [
                "days 2026-11-03 to 2026-11-04 (events 512 to 700) are missing between export A and export C"
            ]
        );
    }

    #[test]
    fn one_missing_day_after_a_quiet_day() {
        // A day with no events, exported on its own, carries the chain on.
        let items = [
            export("A", "2026-11-01", "2026-11-01", Some((1, 10)), 0),
            export("B", "2026-11-02", "2026-11-02", None, 10),
            export("D", "2026-11-04", "2026-11-04", Some((21, 30)), 20),
        ];
        assert_eq!(
            check_continuity(&items).unwrap_err(),
            ["day 2026-11-03 (events 11 to 20) is missing between export B and export D"]
        );
    }

    #[test]
    fn a_chain_that_does_not_meet_another_store_or_an_overlap_is_named() {
        let mut altered = export("B", "2026-11-02", "2026-11-02", Some((11, 20)), 10);
        altered.chain_head_before = format!("{:064}", 99);
        let items = [
            export("A", "2026-11-01", "2026-11-01", Some((1, 10)), 0),
            altered,
        ];
        let problems = check_continuity(&items).unwrap_err();
        assert!(
            problems[0].contains("does not continue the chain"),
            "{problems:?}"
        );

        let mut other = export("B", "2026-11-02", "2026-11-02", Some((11, 20)), 10);
        other.store_id = "XYZ-0001".into();
        let items = [
            export("A", "2026-11-01", "2026-11-01", Some((1, 10)), 0),
            other,
        ];
        let problems = check_continuity(&items).unwrap_err();
        assert!(problems[0].contains("store XYZ-0001"), "{problems:?}");

        let items = [
            export("A", "2026-11-01", "2026-11-02", Some((1, 10)), 0),
            export("B", "2026-11-02", "2026-11-03", Some((5, 20)), 4),
        ];
        let problems = check_continuity(&items).unwrap_err();
        assert!(problems[0].contains("overlaps"), "{problems:?}");
    }
}
