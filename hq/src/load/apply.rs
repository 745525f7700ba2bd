//! Applying a verified export in PostgreSQL: the prepared statements, the chain state held per
//! store, COPY of the events and parcels, the export's record, and joining waiting exports.

use super::*;

/// The statements every export runs, prepared once per load (a statement given as text is
/// parsed by the server on each call: one more round trip each, the COPYs included, and
/// round trips are what a load waits for when the cores are busy).
pub(super) struct Statements {
    pub(super) lock_store: Statement,
    pub(super) copy_events: Statement,
    pub(super) copy_parcels: Statement,
    pub(super) update_head: Statement,
    pub(super) insert_export: Statement,
    pub(super) note_parcel_stores: Statement,
    pub(super) next_waiting: Statement,
}

impl Statements {
    pub(super) fn prepare(client: &mut Client) -> Result<Self, DbError> {
        Ok(Self {
            // The store row's lock serialises loads of one store; the export's own row, if
            // it was received before (the same folder twice in one run), comes along. The
            // subquery names the store by $1, not by s.store_id: Citus routes FOR UPDATE to
            // one shard only when every table is filtered by the distribution column.
            lock_store: client.prepare(
                "SELECT s.loaded_seq, s.loaded_head,
                        (SELECT e.state FROM exports e
                         WHERE e.store_id = $1 AND e.manifest_sha256 = $2)
                 FROM stores s WHERE s.store_id = $1 FOR UPDATE OF s",
            )?,
            copy_events: client.prepare(&format!("COPY events ({EVENT_COLUMNS}) FROM STDIN"))?,
            copy_parcels: client
                .prepare(&format!("COPY event_parcels ({PARCEL_COLUMNS}) FROM STDIN"))?,
            next_waiting: client.prepare(
                "SELECT e.manifest_sha256, e.source FROM exports e JOIN stores s USING (store_id)
                 WHERE e.store_id = $1 AND e.state = 'waiting' AND e.first_seq <= s.loaded_seq + 1
                 ORDER BY e.first_seq LIMIT 1",
            )?,
            update_head: client.prepare(
                "UPDATE stores SET loaded_seq = $2, loaded_head = $3,
                   last_event_at = GREATEST(last_event_at, $4) WHERE store_id = $1",
            )?,
            insert_export: client.prepare(
                "INSERT INTO exports (store_id, manifest_sha256, state, from_date, to_date,
                    first_seq, last_seq, event_count, chain_head_before, chain_head_after, key_id,
                    demo_data, manifest, source, loaded_at, new_events)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
                    CASE WHEN $15 THEN now() END, $16)",
            )?,
            // The ids come sorted and distinct; most were seen by this store the day before.
            note_parcel_stores: client.prepare(
                "INSERT INTO parcel_stores (tracking_id, store_id)
                 SELECT tracking_id, $1 FROM unnest($2::text[]) AS ids (tracking_id)
                 ON CONFLICT DO NOTHING",
            )?,
        })
    }
}

pub(super) struct Loader {
    pub(super) statements: Statements,
    pub(super) ensured_months: BTreeSet<NaiveDate>,
    pub(super) applied: usize,
    pub(super) stall_at: Option<usize>,
    /// The tracking ids of the last export this loader committed, with its store: they are
    /// in `parcel_stores` for that store (its rows are never deleted), so the store's next
    /// export does not send them again. Most parcels of a day were seen the day before
    /// (dropped off, then picked up): this spares the server those conflict checks.
    pub(super) noted: Option<(String, HashSet<String>)>,
}

/// The chain state head office holds for a store.
pub(super) struct Held {
    pub(super) loaded_seq: u64,
    pub(super) loaded_head: Vec<u8>,
}

pub(super) fn to_u64(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

pub(super) fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

pub(super) fn unhex(text: &str) -> Vec<u8> {
    hex::decode(text).unwrap_or_default()
}

pub(super) fn event_time(event: &ExportedEvent) -> Option<DateTime<Utc>> {
    DateTime::parse_from_str(&event.recorded_at, TIME_FORMAT)
        .ok()
        .map(|time| time.with_timezone(&Utc))
}

/// The months (UTC, as the partitions are cut) that `events` were recorded in.
pub(super) fn event_months(events: &[ExportedEvent]) -> BTreeSet<NaiveDate> {
    events
        .iter()
        .filter_map(event_time)
        .map(|time| month_start(time.date_naive()))
        .collect()
}

impl Loader {
    /// Applies one verified export, then any waiting exports of its store it lets join.
    pub(super) fn apply_and_join(
        &mut self,
        client: &mut Client,
        checked: Checked,
    ) -> Result<Vec<ExportResult>, DbError> {
        let store_id = checked.received.store_id.clone();
        let mut results = vec![self.apply(client, checked, false)?];
        if !matches!(results[0].outcome, Outcome::Loaded { .. }) {
            return Ok(results);
        }
        while let Some(waiting) = next_joinable(client, &self.statements.next_waiting, &store_id)? {
            let waiting = match waiting {
                Ok(checked) => checked,
                Err(rejected) => {
                    let (received, refusal) = *rejected;
                    // It verified when it arrived; under today's registry it no longer does.
                    client.execute(
                        "DELETE FROM exports WHERE store_id = $1 AND manifest_sha256 = $2",
                        &[&received.store_id, &unhex(&received.manifest_sha256)],
                    )?;
                    results.push(ExportResult {
                        source: received.source,
                        store_id: received.store_id,
                        days: received.days,
                        events: 0,
                        outcome: Outcome::Refused(refusal),
                    });
                    continue;
                }
            };
            results.push(self.apply(client, waiting, true)?);
            if !matches!(
                results.last().map(|r| &r.outcome),
                Some(Outcome::Loaded { .. })
            ) {
                break;
            }
        }
        Ok(results)
    }

    pub(super) fn apply(
        &mut self,
        client: &mut Client,
        checked: Checked,
        was_waiting: bool,
    ) -> Result<ExportResult, DbError> {
        let Checked {
            received,
            files,
            verified,
            copy_rows: prebuilt,
            months,
        } = checked;
        let body = &verified.manifest.body;
        let result = |outcome: Outcome| ExportResult {
            source: received.source.clone(),
            store_id: received.store_id.clone(),
            days: received.days.clone(),
            events: body.event_count,
            outcome,
        };
        // Partitions first, in their own transactions: the load's transaction takes no DDL lock.
        let months = months.unwrap_or_else(|| event_months(&verified.events));
        for month in months {
            if self.ensured_months.insert(month) {
                ensure_month_partitions(client, month)?;
            }
        }
        let store_id = received.store_id.as_str();
        let sha = unhex(&verified.manifest_sha256);
        let mut tx = client.transaction()?;
        let Some(row) = tx.query_opt(&self.statements.lock_store, &[&store_id, &sha])? else {
            return Ok(result(Outcome::Refused(Refusal::UnknownStore(
                store_id.to_owned(),
            ))));
        };
        let held = Held {
            loaded_seq: to_u64(row.get(0)),
            loaded_head: row.get(1),
        };
        // The same export twice in one run (a copied folder) is found here, under the lock.
        let received_before: Option<String> = row.get(2);
        if !was_waiting && let Some(state) = received_before {
            return Ok(result(if state == "loaded" {
                Outcome::AlreadyLoaded
            } else {
                Outcome::AlreadyWaiting
            }));
        }
        let (Some(first_seq), Some(last_seq)) = (body.first_seq, body.last_seq) else {
            // An export of days without events adds nothing; it is recorded so that `gaps`
            // counts its days as exported.
            record_export(
                &mut tx,
                &self.statements.insert_export,
                &verified,
                &received,
                "loaded",
                Some(0),
                was_waiting,
            )?;
            tx.commit()?;
            return Ok(result(Outcome::Loaded {
                new_events: 0,
                overlapping: 0,
            }));
        };
        if first_seq > held.loaded_seq + 1 {
            if !was_waiting {
                record_export(
                    &mut tx,
                    &self.statements.insert_export,
                    &verified,
                    &received,
                    "waiting",
                    None,
                    false,
                )?;
                let mut all = files;
                all.insert(MANIFEST_FILE.to_owned(), received.manifest_bytes.clone());
                for (name, bytes) in &all {
                    tx.execute(
                        "INSERT INTO waiting_files (store_id, manifest_sha256, name, bytes) VALUES ($1, $2, $3, $4)",
                        &[&store_id, &sha, name, bytes],
                    )?;
                }
                tx.commit()?;
            }
            return Ok(result(Outcome::Waiting {
                expected_seq: held.loaded_seq + 1,
                first_seq,
            }));
        }
        // The overlap with what is held must be identical, event by event.
        let overlap_end = last_seq.min(held.loaded_seq);
        let mut overlapping = 0_u64;
        if first_seq <= overlap_end {
            let rows = tx.query(
                "SELECT seq, hash FROM events WHERE store_id = $1 AND seq BETWEEN $2 AND $3",
                &[&store_id, &to_i64(first_seq), &to_i64(overlap_end)],
            )?;
            let loaded: HashMap<u64, Vec<u8>> = rows
                .into_iter()
                .map(|row| (to_u64(row.get(0)), row.get(1)))
                .collect();
            for event in verified.events.iter().filter(|e| e.seq <= overlap_end) {
                let loaded_hash = loaded.get(&event.seq).map(hex::encode).unwrap_or_default();
                if loaded_hash != event.hash {
                    drop(tx);
                    return self.refuse_conflict(
                        client,
                        &received,
                        result,
                        was_waiting,
                        Refusal::Conflict {
                            seq: event.seq,
                            loaded_hash,
                            export_hash: event.hash.clone(),
                        },
                    );
                }
                overlapping += 1;
            }
        } else {
            // It starts right after what is held: its head before must be our head.
            let before = unhex(&body.chain_head_before);
            if before != held.loaded_head {
                drop(tx);
                return self.refuse_conflict(
                    client,
                    &received,
                    result,
                    was_waiting,
                    Refusal::Conflict {
                        seq: first_seq,
                        loaded_hash: hex::encode(&held.loaded_head),
                        export_hash: format!(
                            "{} (its link to the event before)",
                            body.chain_head_before
                        ),
                    },
                );
            }
        }
        let new: Vec<&ExportedEvent> = verified
            .events
            .iter()
            .filter(|e| e.seq > held.loaded_seq)
            .collect();
        let mut noted_now = None;
        if let Some(last) = new.last() {
            // Rows built ahead hold every event; with an overlap only the new ones go.
            let mut rows = match prebuilt {
                Some(rows) if new.len() == verified.events.len() => rows,
                _ => copy_rows(store_id, &verified.manifest_sha256, &new),
            };
            let tracking_ids = std::mem::take(&mut rows.tracking_ids);
            rows.tracking_ids = match &self.noted {
                Some((noted_store, noted)) if noted_store == store_id => tracking_ids
                    .iter()
                    .filter(|id| !noted.contains(*id))
                    .cloned()
                    .collect(),
                _ => tracking_ids.clone(),
            };
            copy_events(&mut tx, &self.statements, store_id, rows)?;
            noted_now = Some(tracking_ids);
            tx.execute(
                &self.statements.update_head,
                &[
                    &store_id,
                    &to_i64(last.seq),
                    &unhex(&last.hash),
                    &event_time(last),
                ],
            )?;
        }
        let new_events = new.len() as u64;
        record_export(
            &mut tx,
            &self.statements.insert_export,
            &verified,
            &received,
            "loaded",
            Some(new_events),
            was_waiting,
        )?;
        self.applied += 1;
        if self.stall_at == Some(self.applied) {
            eprintln!(
                "kiosk-hq: stalled inside export {} for a test",
                self.applied
            );
            loop {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            }
        }
        tx.commit()?;
        if let Some(ids) = noted_now {
            self.noted = Some((store_id.to_owned(), ids.into_iter().collect()));
        }
        Ok(result(Outcome::Loaded {
            new_events,
            overlapping,
        }))
    }

    /// A conflicting export is refused; if it was waiting, it no longer waits (its files stay
    /// wherever they came from, and the refusal names both hashes).
    pub(super) fn refuse_conflict(
        &mut self,
        client: &mut Client,
        received: &Received,
        result: impl Fn(Outcome) -> ExportResult,
        was_waiting: bool,
        refusal: Refusal,
    ) -> Result<ExportResult, DbError> {
        let mut tx = client.transaction()?;
        let sha = unhex(&received.manifest_sha256);
        if was_waiting {
            tx.execute(
                "DELETE FROM exports WHERE store_id = $1 AND manifest_sha256 = $2",
                &[&received.store_id, &sha],
            )?;
        }
        if let Refusal::Conflict {
            seq,
            loaded_hash,
            export_hash,
        } = &refusal
        {
            tx.execute(
                "INSERT INTO chain_breaks (store_id, manifest_sha256, seq, loaded_hash, export_hash, source)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (store_id, manifest_sha256) DO NOTHING",
                &[
                    &received.store_id,
                    &sha,
                    &to_i64(*seq),
                    &unhex(loaded_hash),
                    &unhex(export_hash.split(' ').next().unwrap_or_default()),
                    &received.source,
                ],
            )?;
        }
        tx.commit()?;
        Ok(result(Outcome::Refused(refusal)))
    }
}

/// What one export adds: COPY text for `events` and `event_parcels`, and the distinct
/// tracking ids for `parcel_stores`.
pub(super) struct CopyRows {
    pub(super) events: String,
    pub(super) parcels: String,
    pub(super) tracking_ids: Vec<String>,
}

/// The rows `events` add.
pub(super) fn copy_rows(
    store_id: &str,
    manifest_sha256: &str,
    events: &[&ExportedEvent],
) -> CopyRows {
    let mut event_rows = String::with_capacity(events.len() * 700);
    let mut parcel_rows = String::with_capacity(events.len() * 120);
    let mut carriers = CarrierMemo::default();
    let mut tracking_ids = BTreeSet::new();
    for event in events {
        let json = serde_json::to_string(event).unwrap_or_default();
        push_event_rows(
            &mut event_rows,
            &mut parcel_rows,
            store_id,
            manifest_sha256,
            event,
            &json,
            &mut carriers,
        );
        tracking_ids.extend(event.items.iter().map(|item| item.tracking_id.as_str()));
    }
    CopyRows {
        events: event_rows,
        parcels: parcel_rows,
        tracking_ids: tracking_ids.into_iter().map(str::to_owned).collect(),
    }
}

/// COPY of the rows, and the store noted against each tracking id (in the same transaction).
pub(super) fn copy_events(
    tx: &mut Transaction<'_>,
    statements: &Statements,
    store_id: &str,
    rows: CopyRows,
) -> Result<(), DbError> {
    let mut writer = tx.copy_in(&statements.copy_events)?;
    writer
        .write_all(rows.events.as_bytes())
        .map_err(|e| DbError::Other(e.to_string()))?;
    writer.finish()?;
    if !rows.parcels.is_empty() {
        let mut writer = tx.copy_in(&statements.copy_parcels)?;
        writer
            .write_all(rows.parcels.as_bytes())
            .map_err(|e| DbError::Other(e.to_string()))?;
        writer.finish()?;
    }
    if !rows.tracking_ids.is_empty() {
        tx.execute(
            &statements.note_parcel_stores,
            &[&store_id, &rows.tracking_ids],
        )?;
    }
    Ok(())
}

pub(super) fn record_export(
    tx: &mut Transaction<'_>,
    insert_export: &Statement,
    verified: &VerifiedExport,
    received: &Received,
    state: &str,
    new_events: Option<u64>,
    was_waiting: bool,
) -> Result<(), DbError> {
    let body = &verified.manifest.body;
    let sha = unhex(&verified.manifest_sha256);
    if was_waiting {
        tx.execute(
            "UPDATE exports SET state = $3, loaded_at = now(), new_events = $4
             WHERE store_id = $1 AND manifest_sha256 = $2",
            &[&received.store_id, &sha, &state, &new_events.map(to_i64)],
        )?;
        tx.execute(
            "DELETE FROM waiting_files WHERE store_id = $1 AND manifest_sha256 = $2",
            &[&received.store_id, &sha],
        )?;
        return Ok(());
    }
    let manifest = serde_json::to_value(&verified.manifest).unwrap_or_default();
    let loaded = state == "loaded";
    tx.execute(
        insert_export,
        &[
            &received.store_id,
            &sha,
            &state,
            &body.from_date,
            &body.to_date,
            &body.first_seq.map(to_i64),
            &body.last_seq.map(to_i64),
            &to_i64(body.event_count),
            &unhex(&body.chain_head_before),
            &unhex(&body.chain_head_after),
            &body.key_id,
            &body.demo_data,
            &manifest,
            &received.source,
            &loaded,
            &new_events.map(to_i64),
        ],
    )?;
    Ok(())
}

/// The store's first waiting export that now meets the loaded chain, verified again from its
/// stored bytes under the registered key.
type Joinable = Result<Checked, Rejected>;

pub(super) fn next_joinable(
    client: &mut Client,
    next_waiting: &Statement,
    store_id: &str,
) -> Result<Option<Joinable>, DbError> {
    let Some(row) = client.query_opt(next_waiting, &[&store_id])? else {
        return Ok(None);
    };
    let sha: Vec<u8> = row.get(0);
    let source: String = row.get(1);
    let mut files: BTreeMap<String, Vec<u8>> = client
        .query(
            "SELECT name, bytes FROM waiting_files WHERE store_id = $1 AND manifest_sha256 = $2",
            &[&store_id, &sha],
        )?
        .into_iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    let manifest_bytes = files.remove(MANIFEST_FILE).unwrap_or_default();
    let manifest = read_manifest(&manifest_bytes).map_err(DbError::Other)?;
    let received = Received {
        source,
        manifest_sha256: hex::encode(&sha),
        store_id: store_id.to_owned(),
        key_id: manifest.body.key_id.clone(),
        days: day_span(manifest.body.from_date, manifest.body.to_date),
        first_seq: manifest.body.first_seq,
        manifest_bytes,
    };
    let keys = registered_keys(client, store_id)?;
    Ok(Some(verify_received(received, files, &keys)))
}
