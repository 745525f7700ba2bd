//! Proving the ledger sound: signed checkpoints of the chain head, and `verify`, which walks the
//! chain, holds the checkpoints against it and replays the events against the derived tables.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::append::{EVENT_COLUMNS, chain_head, event_from_row};
use super::connection::{OpenMode, Store, cached_execute};
use super::error::StoreError;
use super::events::stored_event;
use super::evidence::{EventParcelsWalk, compare_with_replay};
use crate::domain::chain::{ChainFault, ChainHash, ChainVerifier, GENESIS_HASH};
use crate::domain::clock::{from_micros, to_micros};
use crate::domain::replay::Replay;
use crate::domain::signing::{Checkpoint, StoreKey, StorePublicKey};

/// Whether `verify` also has SQLite check the whole file beside the chain walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileCheck {
    /// `PRAGMA integrity_check`: page structure, free pages, and every index (the search index
    /// too) cross-checked against its table. On a 10-year ledger it takes longer than the chain.
    Full,
    /// The chain and the signed checkpoints only. The chain depends on no index, so an event
    /// altered, removed or inserted is caught just the same.
    ChainOnly,
}

/// What `kiosk verify` found.
#[derive(Debug, Clone, Default)]
pub struct VerifyReport {
    pub events_checked: u64,
    pub head_hash: Option<ChainHash>,
    pub chain_fault: Option<ChainFault>,
    pub checkpoints_checked: usize,
    pub checkpoint_problems: Vec<String>,
    pub integrity_problems: Vec<String>,
    /// Whether the derived tables were held against the replayed events (not with
    /// [`FileCheck::ChainOnly`], nor when the chain itself is broken).
    pub derived_checked: bool,
    /// Rows of the derived tables that differ from what the events make, and events that break
    /// the rules they are replayed under; each names the table, the row and the field.
    pub derived_problems: Vec<String>,
    /// The most events a sound checkpoint (signed under the key, matching the chain) covers.
    pub covered_by_checkpoints: u64,
}

impl VerifyReport {
    pub fn is_ok(&self) -> bool {
        self.chain_fault.is_none()
            && self.checkpoint_problems.is_empty()
            && self.integrity_problems.is_empty()
            && self.derived_problems.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointRecord {
    pub id: i64,
    pub checkpoint: Checkpoint,
    pub key_id: String,
    pub signature: Vec<u8>,
}

impl Store {
    /// Signs the current head with the store key and stores the checkpoint.
    pub fn write_checkpoint(
        &mut self,
        key: &StoreKey,
        store_id: &str,
        now: DateTime<Utc>,
    ) -> Result<CheckpointRecord, StoreError> {
        self.write(now, |tx, sql| {
            let (event_count, head_hash) = chain_head(tx).map_err(sql)?;
            let checkpoint = Checkpoint {
                store_id: store_id.to_owned(),
                event_count,
                head_hash,
                signed_at: now,
            };
            let signature = key.sign(&checkpoint.message());
            let key_id = key.public().key_id();
            cached_execute(tx,
                "INSERT INTO checkpoints (event_count, head_hash, signed_at_us, key_id, signature) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![event_count as i64, head_hash.as_slice(), to_micros(now), key_id, signature.as_slice()],
            )
            .map_err(sql)?;
            let id = tx.last_insert_rowid();
            Ok(CheckpointRecord {
                id,
                checkpoint,
                key_id,
                signature: signature.to_vec(),
            })
        })
    }

    pub fn checkpoints(&self, store_id: &str) -> Result<Vec<CheckpointRecord>, StoreError> {
        self.collect_rows(
            "SELECT id, event_count, head_hash, signed_at_us, key_id, signature FROM checkpoints ORDER BY id",
            [],
            |row| {
                let head: Vec<u8> = row.get(2)?;
                Ok(CheckpointRecord {
                    id: row.get(0)?,
                    checkpoint: Checkpoint {
                        store_id: store_id.to_owned(),
                        event_count: row.get::<_, i64>(1)?.max(0) as u64,
                        head_hash: head.try_into().unwrap_or(GENESIS_HASH),
                        signed_at: from_micros(row.get(3)?),
                    },
                    key_id: row.get(4)?,
                    signature: row.get(5)?,
                })
            },
        )
    }

    /// Recomputes the whole chain, checks every checkpoint against it and, with
    /// [`FileCheck::Full`], runs SQLite's integrity check. Streams the events: memory does not grow with the
    /// ledger.
    pub fn verify(
        &self,
        store_id: &str,
        public_key: &StorePublicKey,
        depth: FileCheck,
    ) -> Result<VerifyReport, StoreError> {
        // SQLite's integrity check runs on a second connection beside the chain walk: on a large
        // ledger each takes seconds, and together they take the longer of the two.
        let (path, read_only) = (self.path.clone(), self.read_only);
        let integrity = (depth == FileCheck::Full).then(|| {
            std::thread::spawn(move || -> Result<Vec<String>, StoreError> {
                let other = if read_only {
                    Store::open_read_only(&path)?
                } else {
                    Store::open(&path, OpenMode::Existing)?
                };
                other.integrity_problems()
            })
        });
        let mut report = VerifyReport::default();
        let checkpoints = self.checkpoints(store_id)?;
        // The hash the chain must have at each checkpointed length.
        let mut wanted: BTreeMap<u64, Vec<&CheckpointRecord>> = BTreeMap::new();
        for record in &checkpoints {
            if !public_key.verify(&record.checkpoint.message(), &record.signature) {
                report.checkpoint_problems.push(format!(
                    "checkpoint #{} (signed {}) does not verify under the store key {}: it was forged or altered",
                    record.id,
                    crate::domain::store_time::for_people(
                        record.checkpoint.signed_at,
                        &self.file_guard.time_zone()
                    ),
                    public_key.key_id()
                ));
            }
            wanted
                .entry(record.checkpoint.event_count)
                .or_default()
                .push(record);
        }
        let mut verifier = ChainVerifier::default();
        let check_at = |count: u64, head: &ChainHash, report: &mut VerifyReport| {
            for record in wanted.get(&count).into_iter().flatten() {
                if record.checkpoint.head_hash != *head {
                    report.checkpoint_problems.push(format!(
                        "checkpoint #{} says event {count} has hash {}, but the ledger's event {count} hashes to {}",
                        record.id,
                        hex::encode(record.checkpoint.head_hash),
                        hex::encode(head)
                    ));
                }
            }
        };
        check_at(0, &GENESIS_HASH, &mut report);
        let replaying = depth == FileCheck::Full;
        let mut replay = Replay::default();
        let mut replay_fault: Option<String> = None;
        let mut parcels_statement =
            EventParcelsWalk::prepare(&self.conn).map_err(|e| self.sql_error(e))?;
        let mut parcels_walk =
            EventParcelsWalk::new(&mut parcels_statement).map_err(|e| self.sql_error(e))?;
        let mut statement = self
            .conn
            .prepare(&format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY seq"))
            .map_err(|e| self.sql_error(e))?;
        let mut rows = statement.query([]).map_err(|e| self.sql_error(e))?;
        // The canonical bytes of each event, rebuilt in one buffer.
        let mut scratch = Vec::with_capacity(1024);
        while let Some(row) = rows.next().map_err(|e| self.sql_error(e))? {
            if !replaying {
                // The chain alone: hashed from the row's own bytes. A row not in the kiosk's
                // plain form is decoded in full below, which gives the same verdict.
                let plain = stored_event(row).and_then(|stored| stored.plain());
                match plain.and_then(|event| verifier.check_plain(&event, &mut scratch)) {
                    Some(Ok(())) => {
                        check_at(verifier.count(), &verifier.head(), &mut report);
                        continue;
                    }
                    Some(Err(fault)) => {
                        report.chain_fault = Some(fault);
                        break;
                    }
                    None => {}
                }
            }
            let decoded = event_from_row(row).map_err(|e| self.sql_error(e))?;
            let event = match decoded.and_then(|event| verifier.check(&event).map(|()| event)) {
                Ok(event) => event,
                Err(fault) => {
                    report.chain_fault = Some(fault);
                    break;
                }
            };
            if replaying {
                parcels_walk
                    .check_event(
                        event.seq,
                        event.body.items.iter().map(|item| item.tracking_id.clone()),
                    )
                    .map_err(|e| self.sql_error(e))?;
                if replay_fault.is_none()
                    && let Err(reason) = replay.apply(&event)
                {
                    replay_fault = Some(reason);
                }
            }
            check_at(verifier.count(), &verifier.head(), &mut report);
        }
        drop(rows);
        drop(statement);
        if replaying && report.chain_fault.is_none() {
            report.derived_checked = true;
            report
                .derived_problems
                .extend(parcels_walk.finish().map_err(|e| self.sql_error(e))?);
            match (replay_fault, replay.state_unknown_since) {
                (Some(reason), _) => report.derived_problems.push(format!(
                    "the events cannot be replayed: {reason}"
                )),
                (None, Some(seq)) => report.derived_problems.push(format!(
                    "event {seq} is in the old format with no sealed state after it, so the records cannot be rebuilt from the chain"
                )),
                (None, None) => report.derived_problems.extend(
                    compare_with_replay(&self.conn, &mut replay, store_id, public_key)
                        .map_err(|e| self.sql_error(e))?,
                ),
            }
        } else {
            drop(parcels_walk);
        }
        drop(parcels_statement);
        if let Some(integrity) = integrity {
            report.integrity_problems = integrity.join().map_err(|_| {
                StoreError::Invalid("the integrity check stopped unexpectedly".into())
            })??;
        }
        report.events_checked = verifier.count();
        report.head_hash = Some(verifier.head());
        if report.chain_fault.is_none() {
            for record in checkpoints
                .iter()
                .filter(|record| record.checkpoint.event_count > verifier.count())
            {
                report.checkpoint_problems.push(format!(
                    "the ledger ends at event {}, but checkpoint #{} (signed {}) covers {} events: events {} to {} are missing (the tail was cut off)",
                    verifier.count(),
                    record.id,
                    crate::domain::store_time::for_people(
                        record.checkpoint.signed_at,
                        &self.file_guard.time_zone()
                    ),
                    record.checkpoint.event_count,
                    verifier.count() + 1,
                    record.checkpoint.event_count
                ));
            }
        }
        report.checkpoints_checked = checkpoints.len();
        let sound = |record: &&CheckpointRecord| {
            public_key.verify(&record.checkpoint.message(), &record.signature)
                && record.checkpoint.event_count <= verifier.count()
                && !report
                    .checkpoint_problems
                    .iter()
                    .any(|problem| problem.starts_with(&format!("checkpoint #{} ", record.id)))
        };
        report.covered_by_checkpoints = checkpoints
            .iter()
            .filter(sound)
            .map(|record| record.checkpoint.event_count)
            .max()
            .unwrap_or(0);
        Ok(report)
    }
}
