//! The database side of `serve`: a few threads, each with its own PostgreSQL connection, take
//! batches from one queue, load each through `load`'s per-export path and sign the receipt.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};

use anyhow::Result;
use chrono::Utc;
use handoff_kiosk::domain::link_wire::{Batch, ReceiptBody, Reply, sign_receipt};
use handoff_kiosk::domain::signing::StoreKey;
use postgres::Client;
use tokio::sync::oneshot;

use crate::codes::keep_sealed;
use crate::db::{self, DbError};
use crate::load::{Outcome, load_export_bytes};

/// Set in tests only: the Nth batch this server loads stops inside its transaction (after
/// COPY, before COMMIT), so a test can kill head office mid-batch.
pub const STALL_BATCH_ENV: &str = "KIOSK_HQ_TEST_STALL_IN_BATCH";

type Job = (Batch, oneshot::Sender<Result<Reply, String>>);

#[derive(Clone)]
pub(super) struct Ingest {
    queue: mpsc::SyncSender<Job>,
}

impl Ingest {
    /// Connects `connections` workers (failing now, not at the first batch, when the database
    /// cannot be reached or has no schema).
    pub(super) fn start(url: &str, connections: usize, key: Arc<StoreKey>) -> Result<Self> {
        let (queue, jobs) = mpsc::sync_channel::<Job>(connections * 4);
        let jobs = Arc::new(Mutex::new(jobs));
        let stall_at: Option<usize> = std::env::var(STALL_BATCH_ENV)
            .ok()
            .and_then(|n| n.parse().ok());
        let loaded = Arc::new(AtomicUsize::new(0));
        for _ in 0..connections {
            let mut client = db::connect(url)?;
            db::check_schema(&mut client)?;
            let (jobs, key, loaded) = (Arc::clone(&jobs), Arc::clone(&key), Arc::clone(&loaded));
            std::thread::spawn(move || {
                loop {
                    let job = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
                    let Ok((batch, answer)) = job else {
                        return;
                    };
                    let number = loaded.fetch_add(1, Ordering::SeqCst) + 1;
                    let stall = stall_at == Some(number);
                    let reply = ingest(&mut client, &batch, &key, stall).map_err(|e| e.to_string());
                    let _ = answer.send(reply);
                }
            });
        }
        Ok(Self { queue })
    }

    /// Queues a batch and waits for its answer; `Err` when the database failed (nothing of
    /// the batch was kept: the kiosk sends it again).
    pub(super) async fn submit(&self, batch: Batch) -> Result<Reply, String> {
        let (answer, reply) = oneshot::channel();
        let queue = self.queue.clone();
        // The queue is bounded: waiting for room must not hold an async worker thread.
        tokio::task::spawn_blocking(move || queue.send((batch, answer)))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|_| "head office's database workers have stopped".to_owned())?;
        reply
            .await
            .map_err(|_| "head office's database worker stopped".to_owned())?
    }
}

/// Loads one batch and answers it.
fn ingest(
    client: &mut Client,
    batch: &Batch,
    key: &StoreKey,
    stall: bool,
) -> Result<Reply, DbError> {
    let (manifest, files) = batch.as_export();
    let result = load_export_bytes(client, "live link", manifest, files, stall)?;
    let held = |client: &mut Client| -> Result<Option<(u64, Vec<u8>)>, DbError> {
        Ok(client
            .query_opt(
                "SELECT loaded_seq, loaded_head FROM stores WHERE store_id = $1",
                &[&result.store_id],
            )?
            .map(|row| (u64::try_from(row.get::<_, i64>(0)).unwrap_or(0), row.get(1))))
    };
    Ok(match result.outcome {
        Outcome::Refused(refusal) => Reply::Refused {
            reason: refusal.to_string(),
        },
        Outcome::Waiting { expected_seq, .. } => Reply::Gap { expected_seq },
        Outcome::AlreadyWaiting => Reply::Gap {
            expected_seq: held(client)?.map_or(1, |(seq, _)| seq + 1),
        },
        Outcome::Loaded { .. } | Outcome::AlreadyLoaded => {
            let Some((last_seq, head)) = held(client)? else {
                return Ok(Reply::Refused {
                    reason: format!("store {} is not registered", result.store_id),
                });
            };
            // After the events' own transaction: a failure here answers "try again", and the
            // batch sent again is recognised as loaded and brings its codes again.
            keep_sealed(client, &result.store_id, last_seq, &batch.sealed_codes)?;
            let body = ReceiptBody::new(&result.store_id, last_seq, &head, Utc::now());
            match sign_receipt(key, &body) {
                Ok(receipt) => Reply::Acknowledged { receipt },
                Err(reason) => return Err(DbError::Other(reason)),
            }
        }
    })
}
