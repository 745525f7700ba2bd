//! The performance suite of issue #8. `bench/run.sh` runs it (it is `cargo bench --bench
//! suite`): it seeds a 1-year and a 10-year ledger in a temp folder with the real `kiosk
//! seed`, measures every figure beside the best alternative in the same run, and prints one
//! Markdown table (the one in BENCHMARKS.md). `-- --smoke` runs it tiny, as `cargo test` does;
//! `-- --pin-lanes-only` measures only the PIN check beside a chain check (issue #12);
//! `-- --only=commit,export,verify,report,print` only those figures, on ledgers seeded earlier when
//! `BENCH_LEDGERS` names their folder (`one/` and `ten/`, see `figures::run_some`).

#[path = "../../tests/common/pty.rs"]
#[allow(dead_code)]
mod pty;

mod figures;

fn main() {
    let smoke = std::env::args().any(|arg| arg == "--smoke");
    let pin_lanes_only = std::env::args().any(|arg| arg == "--pin-lanes-only");
    let scale = if smoke {
        figures::Scale::smoke()
    } else {
        figures::Scale::full()
    };
    let work = match std::env::var_os("BENCH_DIR") {
        Some(dir) => tempfile::tempdir_in(dir),
        None => tempfile::tempdir(),
    }
    .expect("a temp folder");
    let started = std::time::Instant::now();
    let mut say = |step: &str| {
        eprintln!("[{:>6.1} s] {step}", started.elapsed().as_secs_f64());
    };
    let only: Option<Vec<String>> = std::env::args()
        .find_map(|arg| arg.strip_prefix("--only=").map(str::to_owned))
        .map(|list| list.split(',').map(str::to_owned).collect());
    let ledgers = std::env::var_os("BENCH_LEDGERS").map(std::path::PathBuf::from);
    let figures = if pin_lanes_only {
        figures::run_pin_lanes(&scale, work.path(), &mut say)
    } else if let Some(only) = &only {
        let only: Vec<&str> = only.iter().map(String::as_str).collect();
        figures::run_some(&scale, work.path(), ledgers.as_deref(), &only, &mut say)
    } else {
        figures::run(&scale, work.path(), &mut say)
    };
    println!("{}\n", figures::machine());
    println!("{}", figures::markdown(&figures));
    eprintln!("suite finished in {:.0} s", started.elapsed().as_secs_f64());
}
