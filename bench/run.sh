#!/usr/bin/env bash
# The performance suite of issue #8, from a clean clone: builds release, seeds a 1-year and a
# 10-year ledger into a temp folder with `kiosk seed`, measures every figure beside the best
# alternative in the same run, and prints one Markdown table (paste it into BENCHMARKS.md).
#
#   bench/run.sh            the full suite (about 4 minutes on 2 cores, ~1 GB of temp space)
#   bench/run.sh --smoke    everything tiny, in seconds (what `cargo test` runs)
#
# BENCH_DIR=/some/disk puts the temp ledgers there (default: the system temp folder).
# Then head office (kiosk-hq, issue #16): a throwaway PostgreSQL cluster, `kiosk-hq load` of
# HQ_BENCH_STORE_DAYS store-days of 300 events (default 1000, over HQ_BENCH_STORES stores,
# default 50) beside `psql \copy` of the same rows, a reload, and parcel lookups; its own table.
set -euo pipefail
cd "$(dirname "$0")/.."

# The export and verify figures compare against the sqlite3 shell.
if ! command -v sqlite3 >/dev/null 2>&1; then
  echo "== installing sqlite3 (the export and verify figures compare against its shell)" >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq sqlite3 >/dev/null
  fi
fi

# The head-office figures start their own PostgreSQL cluster from the server package.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "== installing postgresql (the head-office figures start a throwaway cluster)" >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq postgresql >/dev/null
  fi
fi

export CARGO_TERM_COLOR=never
echo "== building release" >&2
cargo build --release --locked --bin kiosk >&2
cargo bench --locked --bench suite --no-run >&2
echo "== running the suite" >&2
cargo bench --locked --bench suite -- "$@"
echo "== head office: kiosk-hq load beside psql \\copy, reload, parcel lookups" >&2
cargo bench --locked -p kiosk-hq --bench hq_load --no-run >&2
cargo bench --locked -p kiosk-hq --bench hq_load -- "$@"
