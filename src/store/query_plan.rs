//! For the store's tests: what SQLite plans to do for a query, and a throwaway ledger to ask.

use rusqlite::Params;

use super::connection::{OpenMode, Store};

/// A new empty ledger in a temporary folder (kept alive by the returned guard).
pub(crate) fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(
        &dir.path().join("ledger.sqlite3"),
        OpenMode::CreateIfMissing,
    )
    .expect("open");
    (dir, store)
}

/// The query plan of `sql` with `values` bound, one line a step.
pub(crate) fn query_plan(store: &Store, sql: &str, values: impl Params) -> String {
    let mut statement = store
        .conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .expect("explain");
    let rows = statement
        .query_map(values, |row| row.get::<_, String>(3))
        .expect("plan");
    rows.map(|row| row.expect("a plan row"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The query plan of `sql` with the same value bound to every parameter.
pub(crate) fn query_plan_with_each<V: rusqlite::ToSql + Clone>(
    store: &Store,
    sql: &str,
    value: V,
) -> String {
    let count = store
        .conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .expect("explain")
        .parameter_count();
    query_plan(store, sql, rusqlite::params_from_iter(vec![value; count]))
}
