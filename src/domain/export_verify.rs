//! Checking an export offline, as head office and `kiosk verify-export` do: the manifest's
//! signature under the store key, each file's digest, and every event against the chain.

use std::collections::BTreeMap;

use super::chain::{ChainHash, ChainVerifier};
use super::export::*;
use super::export_manifest::manifest_message;
use super::signing::StorePublicKey;

/// Checks an export as head office would: the signature under the store's key, every file's
/// hash, and inside each data file the sequence, the count and the chain from the head before
/// to the head after. `files` maps file names to their bytes. Returns every problem found.
pub fn verify_export(
    manifest_text: &[u8],
    files: &BTreeMap<String, Vec<u8>>,
    key: &StorePublicKey,
) -> Result<ExportSummary, Vec<String>> {
    verify_export_events(manifest_text, files, key).map(|verified| verified.summary)
}

/// What [`verify_export_events`] found in an export that verified.
#[derive(Debug, Clone)]
pub struct VerifiedFiles {
    pub manifest: Manifest,
    pub summary: ExportSummary,
    /// The events of each listed data file, by file name, as that file gives them.
    pub events: BTreeMap<String, Vec<ExportedEvent>>,
}

/// [`verify_export`], the very same checks, keeping the events it read from each data file, so
/// that a reader (head office) need not parse them again.
///
/// Each data file is parsed once, the carrier of each distinct tracking id is worked out once
/// for the whole export ([`CarrierMemo`]), and a data file whose events are equal, field for
/// field, to those of a file already found clean is not walked along the chain a second time:
/// the chain checks are a function of the events and the manifest alone, so they would find
/// the same nothing.
pub fn verify_export_events(
    manifest_text: &[u8],
    files: &BTreeMap<String, Vec<u8>>,
    key: &StorePublicKey,
) -> Result<VerifiedFiles, Vec<String>> {
    let manifest: Manifest = serde_json::from_slice(manifest_text)
        .map_err(|e| vec![format!("{MANIFEST_FILE} is not a valid manifest: {e}")])?;
    let body = &manifest.body;
    let mut problems = Vec::new();
    if body.format != MANIFEST_FORMAT {
        problems.push(format!("unknown export format {:?}", body.format));
    }
    let signature = hex::decode(&manifest.signature).unwrap_or_default();
    let signed = manifest_message(body)
        .map(|message| key.verify(&message, &signature))
        .unwrap_or(false);
    if !signed {
        problems.push(format!(
            "the manifest's signature does not verify under the store key {} (the manifest was altered, or signed by another key)",
            key.key_id()
        ));
    }
    let mut carriers = CarrierMemo::default();
    let mut parsed: BTreeMap<String, Vec<ExportedEvent>> = BTreeMap::new();
    // Data files whose events passed every chain check.
    let mut clean: Vec<&str> = Vec::new();
    for listed in &body.files {
        match files.get(&listed.name) {
            None => problems.push(format!(
                "{} is listed in the manifest but missing",
                listed.name
            )),
            Some(bytes)
                if sha256_hex(bytes) != listed.sha256 || bytes.len() as u64 != listed.bytes =>
            {
                problems.push(format!(
                    "{} was altered: its SHA-256 does not match the manifest",
                    listed.name
                ));
            }
            Some(bytes) => match parse_data_file_with(&listed.name, bytes, &mut carriers) {
                Err(reason) => problems.push(format!("{}: {reason}", listed.name)),
                Ok(mut events) => {
                    let same_as_clean = clean.iter().any(|name| parsed.get(*name) == Some(&events));
                    if !same_as_clean {
                        let found = check_events(&listed.name, &mut events, body);
                        if found.is_empty() {
                            clean.push(&listed.name);
                        }
                        problems.extend(found);
                    }
                    parsed.insert(listed.name.clone(), events);
                }
            },
        }
    }
    for name in files.keys() {
        if name != MANIFEST_FILE && !body.files.iter().any(|listed| &listed.name == name) {
            problems.push(format!("{name} is not listed in the manifest"));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let summary = ExportSummary {
        store_id: body.store_id.clone(),
        from_date: body.from_date,
        to_date: body.to_date,
        event_count: body.event_count,
        first_seq: body.first_seq,
        last_seq: body.last_seq,
        files: body.files.len(),
        complete: body.complete,
    };
    Ok(VerifiedFiles {
        manifest,
        summary,
        events: parsed,
    })
}

pub fn parse_data_file(name: &str, bytes: &[u8]) -> Result<Vec<ExportedEvent>, String> {
    parse_data_file_with(name, bytes, &mut CarrierMemo::default())
}

/// [`parse_data_file`], the carrier of each id looked up in `carriers`.
fn parse_data_file_with(
    name: &str,
    bytes: &[u8],
    carriers: &mut CarrierMemo,
) -> Result<Vec<ExportedEvent>, String> {
    let events = parse_data_events(name, bytes, carriers)?;
    for event in &events {
        check_carriers_with(event, carriers)?;
    }
    Ok(events)
}

fn parse_data_events(
    name: &str,
    bytes: &[u8],
    carriers: &mut CarrierMemo,
) -> Result<Vec<ExportedEvent>, String> {
    if name.ends_with(".csv") {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(bytes);
        let header = reader.headers().map_err(|e| e.to_string())?;
        let known = |columns: &[&str]| header.iter().eq(columns.iter().copied());
        if !known(&CSV_HEADER)
            && !known(&CSV_HEADER[..CSV_COLUMNS_V2])
            && !known(&CSV_HEADER[..CSV_COLUMNS_V1])
        {
            return Err("the CSV header is not the export's".to_owned());
        }
        // Every record is read (as `records()` would) before any is regrouped, so a malformed
        // record anywhere is reported before a problem in the events.
        let mut events = CsvEvents::new(carriers);
        let mut record = csv::StringRecord::new();
        let mut regrouped: Result<(), String> = Ok(());
        while reader.read_record(&mut record).map_err(|e| e.to_string())? {
            if regrouped.is_ok() {
                regrouped = events.push_row(&record);
            }
        }
        regrouped?;
        events.finish()
    } else if name.ends_with(".ndjson") {
        bytes
            .split(|byte| *byte == b'\n')
            .filter(|line| !line.is_empty())
            .enumerate()
            .map(|(index, line)| {
                serde_json::from_slice(line).map_err(|e| format!("line {}: {e}", index + 1))
            })
            .collect()
    } else {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }
}

fn check_events(name: &str, events: &mut [ExportedEvent], body: &ManifestBody) -> Vec<String> {
    let mut problems = Vec::new();
    if events.len() as u64 != body.event_count {
        problems.push(format!(
            "{name} holds {} events, the manifest says {}",
            events.len(),
            body.event_count
        ));
    }
    if events.first().map(|e| e.seq) != body.first_seq
        || events.last().map(|e| e.seq) != body.last_seq
    {
        problems.push(format!(
            "{name} does not span events {:?} to {:?} as the manifest says",
            body.first_seq, body.last_seq
        ));
    }
    let Some(head_before) = hex::decode(&body.chain_head_before)
        .ok()
        .and_then(|b| ChainHash::try_from(b).ok())
    else {
        problems.push("the manifest's chain head before is not a hash".to_owned());
        return problems;
    };
    let start = body.first_seq.unwrap_or(1).saturating_sub(1);
    let mut verifier = ChainVerifier::resume(start, head_before);
    for exported in events.iter_mut() {
        let checked = exported
            .with_event(|event| verifier.check(event).map_err(|fault| fault.to_string()))
            .and_then(|checked| checked);
        if let Err(reason) = checked {
            problems.push(format!("{name}: {reason}"));
            return problems;
        }
    }
    if hex::encode(verifier.head()) != body.chain_head_after {
        problems.push(format!(
            "{name}: the chain ends at a different head than the manifest says"
        ));
    }
    problems
}
