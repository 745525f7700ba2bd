//! `kiosk-hq`: the head-office command line.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::{NaiveDate, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use handoff_kiosk::domain::sealed_codes::CodeOpenKey;
use kiosk_hq::db;
use kiosk_hq::load::{self, LoadSummary, Outcome};
use kiosk_hq::queries;
use kiosk_hq::registry::{self, KeyChange};

/// Exit code when a load refused an export or a check found problems.
const EXIT_REFUSED: u8 = 2;

#[derive(Parser)]
#[command(
    name = "kiosk-hq",
    version,
    about = "Head office: verify every store's signed ledger exports and keep them in PostgreSQL"
)]
struct Cli {
    /// PostgreSQL connection: a URL (postgresql://user@host/db) or key=value pairs
    /// (host=/run/postgresql dbname=hq).
    #[arg(long, env = "KIOSK_HQ_DB", global = true)]
    db: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create or upgrade the schema (versioned migrations).
    Init,
    /// The store key registry.
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
    /// Verify and load export folders (or folders of them), of one store or many, in any order.
    Load {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Load jobs at once, each on its own database connection.
        ///
        /// Different stores load in parallel; each store's exports
        /// stay on one job, in chain order. Default: one per core.
        #[arg(long, visible_alias = "connections", default_value_t = default_jobs(),
              value_parser = clap::value_parser!(u8).range(1..=16), verbatim_doc_comment)]
        jobs: u8,
    },
    /// Per store: missing events, days without an export, chain breaks, silent stores.
    Gaps {
        #[arg(long)]
        store: Option<String>,
        /// A store is silent when its last export is older than this many days.
        #[arg(long, default_value_t = 2)]
        silent_days: i64,
        /// The day to measure silence from (default: today, UTC).
        #[arg(long)]
        today: Option<NaiveDate>,
    },
    /// A parcel's whole history across stores.
    Parcel { tracking_id: String },
    /// Handoffs and parcels per store by kind and carrier in a store-local month, with totals.
    Report {
        /// YYYY-MM
        #[arg(long)]
        month: String,
        #[arg(long)]
        store: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Parcels held for their customer past their hold, across all stores.
    Overdue {
        #[arg(long, default_value_t = 14)]
        hold_days: i32,
    },
    /// The live link: take kiosks' batches over HTTPS and answer each with a signed receipt.
    Serve {
        /// The address to listen on, e.g. 0.0.0.0:8443 (port 0 picks a free one).
        #[arg(long, value_name = "ADDR")]
        listen: std::net::SocketAddr,
        /// The server's certificate chain (PEM); kiosks pin it or its CA.
        #[arg(long, value_name = "PEM")]
        cert: PathBuf,
        /// The certificate's private key (PEM).
        #[arg(long, value_name = "PEM")]
        key: PathBuf,
        /// Head office's signing key (`kiosk-hq keygen` makes it); it signs the receipts.
        #[arg(long, value_name = "FILE")]
        signing_key: PathBuf,
        /// Database connections ingesting batches at once.
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u8).range(1..=64))]
        connections: u8,
    },
    /// Queue a carrier's announcement of expected parcels (the CSV `kiosk import-expected`
    /// takes) for a store; its kiosk imports it at its next sync over the live link.
    Announce {
        #[arg(long)]
        store: String,
        file: PathBuf,
    },
    /// Open the pickup codes kiosks sealed for head office and received since T, for a
    /// notification service; a box that does not open is reported, never printed.
    Codes {
        /// RFC 3339, e.g. 2026-03-04T08:00:00Z: codes received at or after it.
        #[arg(long, value_name = "T")]
        since: chrono::DateTime<Utc>,
        /// Head office's signing key (`kiosk-hq keygen`): the codes key is derived from it.
        #[arg(long, value_name = "FILE")]
        signing_key: PathBuf,
        #[arg(long, value_enum, default_value_t = CodesFormat::Csv)]
        format: CodesFormat,
    },
    /// Make head office's signing key (a new file, readable by this user only) and print its
    /// public half for the kiosks' `[head_office] public_key`.
    Keygen {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Test data: kiosks with their own keys, seeded and exported day by day.
    MakeTestExports {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 3)]
        stores: u32,
        #[arg(long, default_value_t = 3)]
        days: u32,
        #[arg(long, default_value_t = 300)]
        per_day: u32,
        #[arg(long, default_value = "2026-03-02")]
        first_day: NaiveDate,
    },
}

/// One load job per core: the server's work per export and kiosk-hq's verification share the
/// cores, and commits of different jobs share their WAL flushes.
fn default_jobs() -> u8 {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 16)
        .try_into()
        .unwrap_or(1)
}

#[derive(Subcommand)]
enum StoreCommand {
    /// Register a store's public key (`kiosk key show` prints it); a change needs --rotate.
    Add {
        #[arg(long)]
        id: String,
        #[arg(long)]
        pubkey: PathBuf,
        #[arg(long)]
        rotate: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum CodesFormat {
    Csv,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Csv,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("kiosk-hq: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn connect(url: Option<&str>) -> Result<postgres::Client> {
    let Some(url) = url else {
        bail!("no database: give --db URL or set KIOSK_HQ_DB");
    };
    let mut client = db::connect(url)?;
    db::check_schema(&mut client)?;
    Ok(client)
}

fn run(cli: Cli) -> Result<ExitCode> {
    let url = cli.db.as_deref();
    match cli.command {
        Command::Keygen { out } => {
            let key = handoff_kiosk::domain::signing::StoreKey::generate()?;
            handoff_kiosk::secrets::create_secret_file(
                &out,
                "head office signing key",
                key.secret_bytes().as_ref(),
            )?;
            // The codes key is derived from the signing key: one secret file to keep.
            let codes = CodeOpenKey::derive(key.secret_bytes().as_ref());
            println!("public_key = \"{}\"", key.public().to_hex());
            println!("codes_key = \"{}\"", codes.public().to_hex());
            eprintln!(
                "wrote {} (key id {}); give the kiosks the two lines above in [head_office]",
                out.display(),
                key.public().key_id()
            );
        }
        Command::Serve {
            listen,
            cert,
            key,
            signing_key,
            connections,
        } => {
            let Some(url) = url else {
                bail!("no database: give --db URL or set KIOSK_HQ_DB");
            };
            let secret =
                handoff_kiosk::secrets::read_secret_file(&signing_key, "head office signing key")?;
            let signing_key = handoff_kiosk::domain::signing::StoreKey::from_secret_bytes(&secret)
                .with_context(|| format!("{} is not a signing key", signing_key.display()))?;
            let public = signing_key.public();
            kiosk_hq::serve::serve(
                kiosk_hq::serve::ServeOptions {
                    listen,
                    db_url: url.to_owned(),
                    cert_pem: cert,
                    key_pem: key,
                    signing_key,
                    connections: usize::from(connections),
                },
                |bound| {
                    println!(
                        "serving on https://{bound} (receipts signed with key {})",
                        public.key_id()
                    );
                    use std::io::Write as _;
                    let _ = std::io::stdout().flush();
                },
            )?;
        }
        Command::Announce { store, file } => {
            let csv =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let source = file.file_name().map_or_else(
                || file.display().to_string(),
                |name| name.to_string_lossy().into_owned(),
            );
            let mut client = connect(url)?;
            match kiosk_hq::announce::queue(&mut client, &store, &source, &csv)? {
                Ok(queued) => println!(
                    "queued announcement {} for {store}: {} {}",
                    queued.announcement_id,
                    queued.parcels,
                    if queued.parcels == 1 {
                        "parcel"
                    } else {
                        "parcels"
                    }
                ),
                Err(reason) => {
                    eprintln!("kiosk-hq: {}: not queued: {reason}", file.display());
                    return Ok(ExitCode::from(EXIT_REFUSED));
                }
            }
        }
        Command::Codes {
            since,
            signing_key,
            format,
        } => {
            let secret =
                handoff_kiosk::secrets::read_secret_file(&signing_key, "head office signing key")?;
            let key = CodeOpenKey::derive(&secret);
            let mut client = connect(url)?;
            let (opened, unopened) = kiosk_hq::codes::open_since(&mut client, &key, since)?;
            match format {
                CodesFormat::Json => println!("{}", serde_json::to_string_pretty(&opened)?),
                CodesFormat::Csv => {
                    println!(
                        "store_id,tracking_id,recipient,code,hold_until,recorded_at,received_at"
                    );
                    for c in &opened {
                        println!(
                            "{},{},{},{},{},{},{}",
                            csv_cell(&c.store_id),
                            csv_cell(&c.tracking_id),
                            csv_cell(&c.recipient),
                            csv_cell(&c.code),
                            csv_cell(&c.hold_until),
                            csv_cell(&c.recorded_at),
                            csv_cell(&c.received_at)
                        );
                    }
                }
            }
            for u in &unopened {
                eprintln!(
                    "kiosk-hq: the code of {} (store {}, event {}) did not open, not printed: {}",
                    u.tracking_id, u.store_id, u.seq, u.reason
                );
            }
            if !unopened.is_empty() {
                return Ok(ExitCode::from(EXIT_REFUSED));
            }
        }
        Command::Init => {
            let Some(url) = url else {
                bail!("no database: give --db URL or set KIOSK_HQ_DB");
            };
            let mut client = db::connect(url)?;
            let applied = db::migrate(&mut client)?;
            if applied.is_empty() {
                println!("schema is up to date");
            } else {
                for version in applied {
                    println!("applied migration {version}");
                }
            }
        }
        Command::Store {
            command: StoreCommand::Add { id, pubkey, rotate },
        } => {
            let key = registry::read_public_key_file(&pubkey)?;
            let mut client = connect(url)?;
            match registry::add_store(&mut client, &id, &key, rotate)? {
                KeyChange::NewStore { key_id } => println!("registered {id} with key {key_id}"),
                KeyChange::Unchanged { key_id } => {
                    println!("{id} already has key {key_id}; nothing changed");
                }
                KeyChange::Rotated { old_key_id, key_id } => println!(
                    "rotated the key of {id}: {old_key_id} retired, {key_id} current (recorded)"
                ),
            }
        }
        Command::Load { paths, jobs } => {
            let folders = load::find_export_folders(&paths).map_err(anyhow::Error::msg)?;
            let mut clients = Vec::new();
            for _ in 0..jobs {
                clients.push(connect(url)?);
            }
            let mut clients: Vec<&mut postgres::Client> = clients.iter_mut().collect();
            let started = std::time::Instant::now();
            let summary = if std::io::stderr().is_terminal() {
                load::load_folders_on(&mut clients, &folders, &mut load::TerminalBar { started })?
            } else {
                load::load_folders_on(&mut clients, &folders, &mut load::NoProgress)?
            };
            print_load_summary(&summary, started.elapsed());
            if summary.refused() > 0 {
                return Ok(ExitCode::from(EXIT_REFUSED));
            }
        }
        Command::Gaps {
            store,
            silent_days,
            today,
        } => {
            let mut client = connect(url)?;
            let today = today.unwrap_or_else(|| Utc::now().date_naive());
            let gaps = queries::gaps(&mut client, store.as_deref(), today, silent_days)?;
            if gaps.is_empty() {
                println!("no gaps");
            } else {
                let rows: Vec<Vec<String>> = gaps
                    .iter()
                    .map(|gap| {
                        vec![
                            gap.store_id.clone(),
                            gap.problem.label().to_owned(),
                            gap.detail.clone(),
                        ]
                    })
                    .collect();
                print_table(&["store", "problem", "detail"], &rows);
                return Ok(ExitCode::from(EXIT_REFUSED));
            }
        }
        Command::Parcel { tracking_id } => {
            let mut client = connect(url)?;
            let tracking_id = tracking_id.trim().to_uppercase();
            let steps = queries::parcel_history(&mut client, &tracking_id)?;
            if steps.is_empty() {
                println!("no store has recorded {tracking_id}");
                return Ok(ExitCode::from(EXIT_REFUSED));
            }
            let rows: Vec<Vec<String>> = steps
                .iter()
                .map(|s| {
                    vec![
                        s.recorded_at.clone(),
                        s.store_id.clone(),
                        s.seq.to_string(),
                        s.kind.clone(),
                        format!("{} {}", s.counterparty_kind, s.counterparty)
                            .trim()
                            .to_owned(),
                        s.shelf.clone(),
                        s.detail.clone(),
                        s.staff_name.clone(),
                    ]
                })
                .collect();
            println!("{tracking_id}: {} steps", steps.len());
            print_table(
                &[
                    "recorded at",
                    "store",
                    "event",
                    "kind",
                    "with",
                    "shelf",
                    "detail",
                    "staff",
                ],
                &rows,
            );
        }
        Command::Report {
            month,
            store,
            format,
        } => {
            let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
                .with_context(|| format!("--month {month:?} is not YYYY-MM"))?;
            let mut client = connect(url)?;
            let lines = queries::monthly_report(&mut client, first, store.as_deref())?;
            print_report(&month, &lines, format)?;
        }
        Command::Overdue { hold_days } => {
            let mut client = connect(url)?;
            let parcels = queries::overdue(&mut client, Utc::now(), hold_days)?;
            if parcels.is_empty() {
                println!("no parcel is held past {hold_days} days");
            } else {
                let rows: Vec<Vec<String>> = parcels
                    .iter()
                    .map(|p| {
                        vec![
                            p.tracking_id.clone(),
                            p.store_id.clone(),
                            p.received_at.clone(),
                            p.shelf.clone(),
                            p.days_held.to_string(),
                        ]
                    })
                    .collect();
                print_table(
                    &["tracking id", "store", "received", "shelf", "days"],
                    &rows,
                );
            }
        }
        Command::MakeTestExports {
            out,
            stores,
            days,
            per_day,
            first_day,
        } => {
            let made = kiosk_hq::testdata::make_stores(
                &out,
                stores,
                first_day,
                days,
                per_day,
                &mut |n| eprintln!("store {n}/{stores} done"),
            )?;
            for store in &made {
                println!(
                    "{}: {} events in {} exports, key {}",
                    store.store_id,
                    store.events,
                    store.exports.len(),
                    store.public_key_file.display()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_load_summary(summary: &LoadSummary, elapsed: std::time::Duration) {
    let rows: Vec<Vec<String>> = summary
        .results
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::Loaded { .. } | Outcome::AlreadyLoaded))
        .map(|r| {
            vec![
                r.source.clone(),
                r.store_id.clone(),
                r.days.clone(),
                match &r.outcome {
                    Outcome::Waiting {
                        expected_seq,
                        first_seq,
                    } => format!(
                        "waiting for the gap: events {expected_seq} to {} are missing",
                        first_seq - 1
                    ),
                    Outcome::AlreadyWaiting => "already waiting for its gap".to_owned(),
                    Outcome::Refused(refusal) => format!("REFUSED: {refusal}"),
                    Outcome::Loaded { .. } | Outcome::AlreadyLoaded => String::new(),
                },
            ]
        })
        .collect();
    if !rows.is_empty() {
        print_table(&["export", "store", "days", "result"], &rows);
        println!();
    }
    let loaded_events: u64 = summary
        .results
        .iter()
        .map(|r| match r.outcome {
            Outcome::Loaded { new_events, .. } => new_events,
            _ => 0,
        })
        .sum();
    let overlapping: u64 = summary
        .results
        .iter()
        .map(|r| match r.outcome {
            Outcome::Loaded { overlapping, .. } => overlapping,
            _ => 0,
        })
        .sum();
    let count = |f: fn(&Outcome) -> bool| summary.count(f).to_string();
    print_table(
        &["result", "exports"],
        &[
            vec![
                format!("loaded ({loaded_events} new events, {overlapping} identical overlapping)"),
                count(|o| matches!(o, Outcome::Loaded { .. })),
            ],
            vec![
                "already loaded (nothing changed)".to_owned(),
                count(|o| matches!(o, Outcome::AlreadyLoaded)),
            ],
            vec![
                "waiting for a gap".to_owned(),
                count(|o| matches!(o, Outcome::Waiting { .. } | Outcome::AlreadyWaiting)),
            ],
            vec![
                "refused".to_owned(),
                count(|o| matches!(o, Outcome::Refused(_))),
            ],
        ],
    );
    println!("in {:.2} s", elapsed.as_secs_f64());
}

/// The monthly report as a table a person reads, or as CSV or JSON (one line per count, its
/// `level` saying what it totals: carrier, kind, store or all).
fn print_report(month: &str, lines: &[queries::ReportLine], format: Format) -> Result<()> {
    use queries::ReportLevel;
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(lines)?),
        Format::Csv => {
            println!("level,store_id,kind,carrier,handoffs,parcels");
            for l in lines {
                let cell = |text: &Option<String>| csv_cell(text.as_deref().unwrap_or(""));
                let level = match l.level {
                    ReportLevel::Carrier => "carrier",
                    ReportLevel::Kind => "kind",
                    ReportLevel::Store => "store",
                    ReportLevel::All => "all",
                };
                println!(
                    "{level},{},{},{},{},{}",
                    cell(&l.store_id),
                    cell(&l.kind),
                    cell(&l.carrier),
                    l.handoffs,
                    l.parcels
                );
            }
        }
        Format::Table if lines.is_empty() => {
            println!("no handoffs recorded in {month} (store-local time)");
        }
        Format::Table => {
            println!("Handoffs in {month} (store-local time), from verified exports:");
            let rows: Vec<Vec<String>> = lines
                .iter()
                .map(|l| {
                    let named = |text: &Option<String>, all: &str| {
                        text.clone().unwrap_or_else(|| all.to_owned())
                    };
                    let carrier = match l.level {
                        ReportLevel::Carrier => named(&l.carrier, ""),
                        _ => "= all carriers".to_owned(),
                    };
                    vec![
                        named(&l.store_id, "ALL STORES"),
                        named(&l.kind, "= all kinds"),
                        carrier,
                        l.handoffs.to_string(),
                        l.parcels.to_string(),
                    ]
                })
                .collect();
            print_table(&["store", "kind", "carrier", "handoffs", "parcels"], &rows);
        }
    }
    Ok(())
}

/// A CSV cell: quoted when it holds a comma, a quote or a line break.
fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A Markdown table: readable in a terminal, pasteable into a report.
fn print_table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        println!("| {} |", padded.join(" | "));
    };
    line(header.iter().map(|h| (*h).to_owned()).collect());
    println!(
        "|{}|",
        widths
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("|")
    );
    for row in rows {
        line(row.clone());
    }
}
