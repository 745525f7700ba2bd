//! The connection and the versioned migrations.

use chrono::{Datelike, NaiveDate};
use postgres::{Client, NoTls};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum DbError {
    #[error("cannot connect to PostgreSQL at {url}: {source}")]
    Connect {
        url: String,
        source: postgres::Error,
    },
    #[error("PostgreSQL: {0}")]
    Sql(#[from] postgres::Error),
    #[error(
        "the database holds schema version {found}, newer than this kiosk-hq knows ({known}); use a newer kiosk-hq"
    )]
    NewerSchema { found: i32, known: i32 },
    #[error("the database has no kiosk-hq schema; run `kiosk-hq init --db URL` first")]
    NotInitialised,
    #[error("{0}")]
    Other(String),
}

/// The migrations, in order. A released migration is never edited: add the next one.
pub const MIGRATIONS: &[(i32, &str, &str)] = &[
    (1, "ledger", include_str!("../migrations/0001_ledger.sql")),
    (
        2,
        "carriers and parcel stores",
        include_str!("../migrations/0002_carriers_and_parcel_stores.sql"),
    ),
    (
        3,
        "live link: announcements and sealed codes",
        include_str!("../migrations/0003_live_link.sql"),
    ),
];

/// Connects with a libpq-style URL or key=value string (`host=/run/postgresql dbname=hq`).
pub fn connect(url: &str) -> Result<Client, DbError> {
    Client::connect(url, NoTls).map_err(|source| DbError::Connect {
        url: redact(url),
        source,
    })
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ if url.contains("password") => "(connection string with a password)".to_owned(),
        _ => url.to_owned(),
    }
}

/// Applies the migrations not yet applied, each in its own transaction, under an advisory lock
/// so two `init`s cannot race. Returns the versions applied now.
pub fn migrate(client: &mut Client) -> Result<Vec<i32>, DbError> {
    let mut tx = client.transaction()?;
    // An arbitrary constant: kiosk-hq's migration lock, released at commit.
    tx.execute("SELECT pg_advisory_xact_lock(7460021016)", &[])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    integer     PRIMARY KEY,
             name       text        NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now()
         )",
    )?;
    let current: i32 = tx
        .query_one(
            "SELECT COALESCE(max(version), 0) FROM schema_migrations",
            &[],
        )?
        .get(0);
    let known = MIGRATIONS.last().map_or(0, |(version, _, _)| *version);
    if current > known {
        return Err(DbError::NewerSchema {
            found: current,
            known,
        });
    }
    let mut applied = Vec::new();
    for (version, name, sql) in MIGRATIONS {
        if *version <= current {
            continue;
        }
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
            &[version, name],
        )?;
        applied.push(*version);
    }
    tx.commit()?;
    Ok(applied)
}

/// Refuses to work on a database `init` has not set up (or one from a newer kiosk-hq).
pub fn check_schema(client: &mut Client) -> Result<(), DbError> {
    let exists: bool = client
        .query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Err(DbError::NotInitialised);
    }
    let current: i32 = client
        .query_one(
            "SELECT COALESCE(max(version), 0) FROM schema_migrations",
            &[],
        )?
        .get(0);
    let known = MIGRATIONS.last().map_or(0, |(version, _, _)| *version);
    if current > known {
        return Err(DbError::NewerSchema {
            found: current,
            known,
        });
    }
    if current < known {
        return Err(DbError::NotInitialised);
    }
    Ok(())
}

/// The first day of the month `day` falls in.
pub fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

fn next_month(first: NaiveDate) -> NaiveDate {
    first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first)
}

/// Creates the monthly partitions of `events` and `event_parcels` for the month starting
/// `first`, if missing. Run in its own short transaction before a load, so the load's
/// transaction takes no DDL lock; an advisory lock keeps two loaders from racing to create the
/// same partition (`IF NOT EXISTS` alone does not).
pub fn ensure_month_partitions(client: &mut Client, first: NaiveDate) -> Result<(), DbError> {
    let first = month_start(first);
    let next = next_month(first);
    let suffix = format!("y{:04}m{:02}", first.year(), first.month());
    let mut tx = client.transaction()?;
    // An arbitrary constant: kiosk-hq's partition lock, released at commit.
    tx.execute("SELECT pg_advisory_xact_lock(7460021017)", &[])?;
    for table in ["events", "event_parcels"] {
        // Identifiers and bounds are built from dates, never from input text.
        tx.batch_execute(&format!(
            "CREATE TABLE IF NOT EXISTS {table}_{suffix} PARTITION OF {table} \
             FOR VALUES FROM ('{first} 00:00:00+00') TO ('{next} 00:00:00+00')"
        ))?;
    }
    tx.commit()?;
    Ok(())
}
