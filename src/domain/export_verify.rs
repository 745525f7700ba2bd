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
            Some(bytes) => {
                let events = parse_data_file(&listed.name, bytes);
                match events {
                    Err(reason) => problems.push(format!("{}: {reason}", listed.name)),
                    Ok(events) => problems.extend(check_events(&listed.name, &events, body)),
                }
            }
        }
    }
    for name in files.keys() {
        if name != MANIFEST_FILE && !body.files.iter().any(|listed| &listed.name == name) {
            problems.push(format!("{name} is not listed in the manifest"));
        }
    }
    if problems.is_empty() {
        Ok(ExportSummary {
            store_id: body.store_id.clone(),
            from_date: body.from_date,
            to_date: body.to_date,
            event_count: body.event_count,
            first_seq: body.first_seq,
            last_seq: body.last_seq,
            files: body.files.len(),
            complete: body.complete,
        })
    } else {
        Err(problems)
    }
}

pub fn parse_data_file(name: &str, bytes: &[u8]) -> Result<Vec<ExportedEvent>, String> {
    let events = parse_data_events(name, bytes)?;
    for event in &events {
        check_carriers(event)?;
    }
    Ok(events)
}

fn parse_data_events(name: &str, bytes: &[u8]) -> Result<Vec<ExportedEvent>, String> {
    if name.ends_with(".csv") {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(bytes);
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| e.to_string())?
            .iter()
            .map(str::to_owned)
            .collect();
        if header != CSV_HEADER
            && header != CSV_HEADER[..CSV_COLUMNS_V2]
            && header != CSV_HEADER[..CSV_COLUMNS_V1]
        {
            return Err("the CSV header is not the export's".to_owned());
        }
        let rows = reader
            .records()
            .map(|record| {
                record
                    .map(|r| r.iter().map(str::to_owned).collect::<Vec<_>>())
                    .map_err(|e| e.to_string())
            })
            .collect::<Result<Vec<_>, _>>()?;
        events_from_csv_rows(&rows)
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

fn check_events(name: &str, events: &[ExportedEvent], body: &ManifestBody) -> Vec<String> {
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
    for exported in events {
        let checked = exported
            .to_event()
            .and_then(|event| verifier.check(&event).map_err(|fault| fault.to_string()));
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
