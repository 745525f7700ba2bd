//! `[head_office]`: where the live link sends the ledger, how it knows head office's server
//! (a pinned certificate, never the system's trust store) and head office's public key, which
//! signs the receipts. Without `url` the kiosk has no link and nothing about it changes.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::sealed_codes::CodeSealKey;
use crate::domain::signing::StorePublicKey;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct RawHeadOffice {
    pub(super) url: String,
    pub(super) ca_file: String,
    pub(super) cert_sha256: String,
    pub(super) public_key: String,
    pub(super) codes_key: String,
    pub(super) batch_events: i64,
}

impl Default for RawHeadOffice {
    fn default() -> Self {
        Self {
            url: String::new(),
            ca_file: String::new(),
            cert_sha256: String::new(),
            public_key: String::new(),
            codes_key: String::new(),
            batch_events: 500,
        }
    }
}

/// How the kiosk recognises head office's server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificatePin {
    /// Trust only certificates issued by the CA in this PEM file.
    CaFile(PathBuf),
    /// Trust only the server certificate with this SHA-256 (of its DER bytes).
    Sha256([u8; 32]),
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeadOfficeSettings {
    /// As written, for messages.
    pub url: String,
    pub host: String,
    pub port: u16,
    /// The path batches are posted under (without a trailing slash; may be empty).
    pub base_path: String,
    pub pin: CertificatePin,
    pub public_key: StorePublicKey,
    /// Head office's X25519 key: the pickup codes of unannounced parcels are sealed to it.
    pub codes_key: CodeSealKey,
    /// Events per batch at most.
    pub batch_events: u32,
}

/// Checks `[head_office]`: `Ok(None)` when it has no url. Problems as (key, message).
pub(super) fn check(
    raw: &RawHeadOffice,
    folder: &Path,
) -> Result<Option<HeadOfficeSettings>, Vec<(&'static str, String)>> {
    let url = raw.url.trim();
    if url.is_empty() {
        let stray = [
            ("head_office.ca_file", &raw.ca_file),
            ("head_office.cert_sha256", &raw.cert_sha256),
            ("head_office.public_key", &raw.public_key),
            ("head_office.codes_key", &raw.codes_key),
        ];
        let problems: Vec<_> = stray
            .into_iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(key, _)| {
                (
                    key,
                    "is set but head_office.url is empty: give the url, or remove the key"
                        .to_owned(),
                )
            })
            .collect();
        return if problems.is_empty() {
            Ok(None)
        } else {
            Err(problems)
        };
    }
    let mut problems = Vec::new();
    let address = parse_url(url).map_err(|message| problems.push(("head_office.url", message)));
    let pin = match (raw.ca_file.trim(), raw.cert_sha256.trim()) {
        ("", "") => {
            problems.push((
                "head_office.url",
                "needs head office's certificate pinned: set ca_file or cert_sha256".to_owned(),
            ));
            None
        }
        (ca, "") => {
            let path = Path::new(ca);
            Some(CertificatePin::CaFile(if path.is_absolute() {
                path.to_path_buf()
            } else {
                folder.join(path)
            }))
        }
        ("", fingerprint) => match parse_fingerprint(fingerprint) {
            Some(digest) => Some(CertificatePin::Sha256(digest)),
            None => {
                problems.push((
                    "head_office.cert_sha256",
                    "is not a SHA-256 fingerprint: 64 hex digits (colons allowed)".to_owned(),
                ));
                None
            }
        },
        _ => {
            problems.push((
                "head_office.cert_sha256",
                "set ca_file or cert_sha256, not both".to_owned(),
            ));
            None
        }
    };
    let public_key = match hex::decode(raw.public_key.trim())
        .ok()
        .and_then(|bytes| StorePublicKey::from_bytes(&bytes).ok())
    {
        Some(key) => Some(key),
        None => {
            problems.push((
                "head_office.public_key",
                if raw.public_key.trim().is_empty() {
                    "is needed to check head office's receipts: the 64 hex digits `kiosk-hq keygen` prints".to_owned()
                } else {
                    "is not an Ed25519 public key: 64 hex digits, as `kiosk-hq keygen` prints".to_owned()
                },
            ));
            None
        }
    };
    let codes_key = match CodeSealKey::from_hex(&raw.codes_key) {
        Some(key) => Some(key),
        None => {
            problems.push((
                "head_office.codes_key",
                if raw.codes_key.trim().is_empty() {
                    "is needed to seal the pickup codes of unannounced parcels for head office: the codes_key line `kiosk-hq keygen` prints".to_owned()
                } else {
                    "is not an X25519 public key: 64 hex digits, as `kiosk-hq keygen` prints".to_owned()
                },
            ));
            None
        }
    };
    let batch_events = match u32::try_from(raw.batch_events) {
        Ok(n @ 1..=5000) => Some(n),
        _ => {
            problems.push((
                "head_office.batch_events",
                format!("{} is out of range: use 1 to 5000", raw.batch_events),
            ));
            None
        }
    };
    match (address, pin, public_key, codes_key, batch_events) {
        (
            Ok((host, port, base_path)),
            Some(pin),
            Some(public_key),
            Some(codes_key),
            Some(batch_events),
        ) if problems.is_empty() => Ok(Some(HeadOfficeSettings {
            url: url.to_owned(),
            host,
            port,
            base_path,
            pin,
            public_key,
            codes_key,
            batch_events,
        })),
        _ => Err(problems),
    }
}

/// `https://host[:port][/path]` -> (host, port, path).
fn parse_url(url: &str) -> Result<(String, u16, String), String> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Err(format!(
            "{url:?} must start with https:// (the link never sends the ledger unencrypted)"
        ));
    };
    let (authority, path) = match rest.find('/') {
        Some(slash) => (&rest[..slash], rest[slash..].trim_end_matches('/')),
        None => (rest, ""),
    };
    let bad_port = || format!("{url:?} has no valid port after the colon");
    let read_port = |port: &str| port.parse::<u16>().ok().filter(|port| *port > 0);
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed
            .split_once(']')
            .ok_or_else(|| format!("{url:?} has no closing bracket"))?;
        match after.strip_prefix(':') {
            Some(port) => (host, read_port(port).ok_or_else(bad_port)?),
            None if after.is_empty() => (host, 443),
            None => return Err(format!("{url:?} has no valid host name")),
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, read_port(port).ok_or_else(bad_port)?),
            None => (authority, 443),
        }
    };
    if host.is_empty() || host.contains(['@', '?', '#', ' ', '[', ']']) {
        return Err(format!("{url:?} has no valid host name"));
    }
    Ok((host.to_owned(), port, path.to_owned()))
}

fn parse_fingerprint(text: &str) -> Option<[u8; 32]> {
    let digits: String = text.chars().filter(|c| *c != ':').collect();
    hex::decode(digits).ok()?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(url: &str, ca: &str, sha: &str, key: &str) -> RawHeadOffice {
        RawHeadOffice {
            url: url.into(),
            ca_file: ca.into(),
            cert_sha256: sha.into(),
            public_key: key.into(),
            codes_key: CODES_KEY.into(),
            ..RawHeadOffice::default()
        }
    }

    const CODES_KEY: &str = "8f40c5adb68f25624ae5b214ea767a6ec94d829d3d7b5e1ad1ba6f3e2138285f";

    const KEY: &str = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";

    #[test]
    fn no_url_is_no_link_and_a_url_needs_its_pin_and_key() {
        let folder = Path::new("/srv/kiosk");
        assert_eq!(check(&RawHeadOffice::default(), folder), Ok(None));
        let fingerprint = "AB:".repeat(31) + "AB";
        let settings = check(
            &raw("https://hq.example:8443/link/", "", &fingerprint, KEY),
            folder,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            (
                settings.host.as_str(),
                settings.port,
                settings.base_path.as_str()
            ),
            ("hq.example", 8443, "/link")
        );
        assert_eq!(settings.pin, CertificatePin::Sha256([0xAB; 32]));
        let settings = check(&raw("https://127.0.0.1", "hq-ca.pem", "", KEY), folder)
            .unwrap()
            .unwrap();
        assert_eq!(settings.port, 443);
        assert_eq!(
            settings.pin,
            CertificatePin::CaFile(PathBuf::from("/srv/kiosk/hq-ca.pem"))
        );

        let keys = |result: Result<_, Vec<(&'static str, String)>>| -> Vec<&'static str> {
            result
                .unwrap_err()
                .into_iter()
                .map(|(key, _)| key)
                .collect()
        };
        assert_eq!(
            keys(check(&raw("http://hq.example", "", "", KEY), folder)),
            ["head_office.url", "head_office.url"]
        );
        assert_eq!(
            keys(check(
                &raw("https://hq", "ca.pem", &fingerprint, ""),
                folder
            )),
            ["head_office.cert_sha256", "head_office.public_key"]
        );
        assert_eq!(
            keys(check(&raw("", "", "", KEY), folder)),
            ["head_office.public_key", "head_office.codes_key"]
        );
        let missing = RawHeadOffice {
            codes_key: String::new(),
            ..raw("https://hq", "ca.pem", "", KEY)
        };
        let problems = check(&missing, folder).unwrap_err();
        assert_eq!(problems[0].0, "head_office.codes_key");
        assert!(problems[0].1.contains("kiosk-hq keygen"), "{problems:?}");
        let malformed = RawHeadOffice {
            codes_key: "12ab".into(),
            ..raw("https://hq", "ca.pem", "", KEY)
        };
        let problems = check(&malformed, folder).unwrap_err();
        assert!(
            problems[0].1.contains("not an X25519 public key"),
            "{problems:?}"
        );
    }
}
