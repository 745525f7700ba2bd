//! The benchmark suite run tiny, so it cannot rot: every figure of issue #8 is measured end to
//! end on small seeded ledgers and lands in the table. No time is asserted here (numbers on a
//! shared machine are for `bench/run.sh` and BENCHMARKS.md, not for a test).

#[path = "common/pty.rs"]
#[allow(dead_code)]
mod pty;

#[path = "../benches/suite/figures.rs"]
mod figures;

use figures::{Budget, Figure};

#[test]
fn every_benchmark_figure_runs_and_lands_in_the_table() {
    let work = tempfile::tempdir().unwrap();
    let measured = figures::run(&figures::Scale::smoke(), work.path(), &mut |_| {});
    let names: Vec<&str> = measured.iter().map(|f| f.name.as_str()).collect();
    for expected in [
        "seed: `kiosk seed`",
        "durable handoff commit",
        "PIN verify",
        "start to first frame",
        "bytes read by start-up",
        "RSS after start",
        "sign-in on the counter",
        "idle CPU",
        "scan to screen",
        "search on",
        "to CSV + signed manifest",
        "`kiosk export --date`",
        "-event chain (`kiosk verify --chain-only`)",
        "full integrity check",
        "PIN check with a chain check running",
        "`kiosk import-expected`",
        "`kiosk report --date` one day,",
        "10-year ledger / 1-year ledger",
        "the desk's report",
    ] {
        assert!(
            names.iter().any(|name| name.contains(expected)),
            "{expected:?} missing from {names:#?}"
        );
    }
    for figure in &measured {
        assert!(figure.value.is_finite(), "{figure:?}");
        // Idle may truly cost nothing; everything else took some time, memory or bytes.
        if figure.name.starts_with("idle") {
            assert!(figure.value >= 0.0, "{figure:?}");
        } else {
            assert!(figure.value > 0.0, "{figure:?}");
        }
        if let Some((what, value)) = &figure.alternative {
            assert!(*value > 0.0, "{what}: {figure:?}");
        }
        // .ci/run installs the sqlite3 shell, so CI always measures the comparisons.
        if matches!(figure.budget, Budget::RatioAtMost(_)) && figures::sqlite3_shell_installed() {
            assert!(
                figure.ratio().is_some(),
                "a ratio needs an alternative: {figure:?}"
            );
        }
    }
    let table = figures::markdown(&measured);
    assert_eq!(table.lines().count(), measured.len() + 2, "{table}");
    assert!(figures::machine().contains("cores"));
}

#[test]
fn the_pin_check_beside_a_chain_check_runs_on_its_own_and_has_its_baseline() {
    let work = tempfile::tempdir().unwrap();
    let measured = figures::run_pin_lanes(&figures::Scale::smoke(), work.path(), &mut |_| {});
    let [figure] = measured.as_slice() else {
        panic!("one figure: {measured:#?}");
    };
    assert!(figure.name.contains("PIN check with a chain check running"));
    assert!(figure.value > 0.0, "{figure:?}");
    // The ratio to the PIN check alone is the figure's point; no time is asserted.
    assert!(figure.ratio().is_some_and(f64::is_finite), "{figure:?}");
}

#[test]
fn some_figures_run_alone_on_ledgers_seeded_earlier() {
    let work = tempfile::tempdir().unwrap();
    let scale = figures::Scale::smoke();
    // Seeded as `BENCH_LEDGERS` expects them: `one/` and `ten/`.
    figures::seed_ledger(work.path(), "one", scale.one_year);
    figures::seed_ledger(work.path(), "ten", scale.ten_years);
    let measured = figures::run_some(
        &scale,
        work.path(),
        Some(work.path()),
        &["export", "verify", "report"],
        &mut |_| {},
    );
    let names: Vec<&str> = measured.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(measured.len(), 8, "{names:#?}");
    assert!(names[0].contains("to CSV + signed manifest"), "{names:#?}");
    assert!(names.iter().any(|name| name.contains("desk's report")));
    let only_verify = figures::run_some(
        &scale,
        work.path(),
        Some(work.path()),
        &["verify"],
        &mut |_| {},
    );
    assert_eq!(only_verify.len(), 2);
}

#[test]
fn the_full_suite_measures_a_million_events_and_a_minute_of_idling() {
    let full = figures::Scale::full();
    let (days, per_day) = full.ten_years;
    assert!(u64::from(days) * u64::from(per_day) >= 1_000_000);
    assert!(days >= 3650, "ten years");
    assert_eq!(full.idle, std::time::Duration::from_secs(60));
}

#[test]
fn the_table_says_when_a_budget_is_missed() {
    let figure = |value: f64, alternative: f64, budget: Budget| Figure {
        name: "x".into(),
        value,
        unit: "s",
        alternative: Some(("y".into(), alternative)),
        budget,
        note: String::new(),
        floor: None,
    };
    let over = figure(1.6, 1.0, Budget::RatioAtMost(1.5));
    let under = figure(1.4, 1.0, Budget::RatioAtMost(1.5));
    let absolute = figure(61.0, 1.0, Budget::AtMost(60.0));
    assert_eq!(over.within_budget(), Some(false));
    assert_eq!(under.within_budget(), Some(true));
    assert_eq!(absolute.within_budget(), Some(false));
    let table = figures::markdown(&[over, under]);
    assert!(
        table.contains("| 1.60x |  |  | <= 1.5x | **NO** |"),
        "{table}"
    );
    assert!(table.contains("| 1.40x |  |  | <= 1.5x | yes |"), "{table}");
    // A figure within its baseline ratio but over its floor budget is marked too.
    let mut over_floor = figure(1.4, 1.0, Budget::RatioAtMost(1.5));
    over_floor.floor = Some(("z".into(), 0.5, Some(1.6)));
    assert!((over_floor.floor_ratio().unwrap() - 2.8).abs() < 1e-9);
    assert_eq!(over_floor.within_budget(), Some(false));
    let table = figures::markdown(&[over_floor]);
    assert!(
        table.contains("| z: 0.50 s | 2.80x | <= 1.5x; <= 1.6x floor | **NO** |"),
        "{table}"
    );
}
