//! One export received as bytes rather than read from a folder (a batch over the live link,
//! `kiosk-hq serve`), through the same per-export path as `load`: the same O(1) recognition of
//! an export already received, the same verification under the registered key only, the same
//! transaction, overlap check and joining of waiting exports.

use super::*;

/// Verifies and loads one export given as its manifest's bytes and its files. With `stall`
/// (tests only) it stops inside the export's transaction, as [`STALL_ENV`] does for `load`.
pub fn load_export_bytes(
    client: &mut Client,
    source: &str,
    manifest_bytes: Vec<u8>,
    files: BTreeMap<String, Vec<u8>>,
    stall: bool,
) -> Result<ExportResult, DbError> {
    let refused = |store_id: String, refusal: Refusal| ExportResult {
        source: source.to_owned(),
        store_id,
        days: String::new(),
        events: 0,
        outcome: Outcome::Refused(refusal),
    };
    let manifest = match read_manifest(&manifest_bytes) {
        Ok(manifest) => manifest,
        Err(reason) => return Ok(refused(String::new(), Refusal::Unreadable(reason))),
    };
    let body = &manifest.body;
    let received = Received {
        source: source.to_owned(),
        manifest_sha256: sha256_hex(&manifest_bytes),
        store_id: body.store_id.clone(),
        key_id: body.key_id.clone(),
        days: day_span(body.from_date, body.to_date),
        first_seq: body.first_seq,
        manifest_bytes,
    };
    let known = known_exports(client, std::slice::from_ref(&received))?;
    if let Some(state) = known.get(&(received.store_id.clone(), received.manifest_sha256.clone())) {
        return Ok(ExportResult {
            source: received.source,
            store_id: received.store_id,
            days: received.days,
            events: 0,
            outcome: if state == "loaded" {
                Outcome::AlreadyLoaded
            } else {
                Outcome::AlreadyWaiting
            },
        });
    }
    let keys = registered_keys(client, &received.store_id)?;
    let checked = match verify_received(received, files, &keys) {
        Ok(checked) => checked,
        Err(rejected) => {
            let (received, refusal) = *rejected;
            return Ok(refused(received.store_id, refusal));
        }
    };
    let mut loader = Loader {
        statements: Statements::prepare(client)?,
        ensured_months: BTreeSet::new(),
        applied: 0,
        stall_at: stall.then_some(1),
        noted: None,
    };
    // The first result is this export's; the others are waiting exports it let join.
    loader
        .apply_and_join(client, checked)?
        .into_iter()
        .next()
        .ok_or_else(|| DbError::Other("the load gave no result for the export".to_owned()))
}
