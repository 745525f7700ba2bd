//! Head office's certificate pinned by its SHA-256 (`cert_sha256`) is held to what a CA-issued
//! one is: it must name the host the kiosk connects to and be within its dates by the kiosk's
//! injected clock. Each refusal says why, in words, on the desk's link page.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use common::counter::*;
use common::*;
use crossterm::event::KeyCode;
use handoff_kiosk::config::{CertificatePin, HeadOfficeSettings};
use handoff_kiosk::domain::clock::{Clock, FixedClock, SystemClock};
use handoff_kiosk::domain::sealed_codes::CodeOpenKey;
use handoff_kiosk::domain::signing::StoreKey;
use handoff_kiosk::link::https::HttpsClient;
use handoff_kiosk::link::{LinkHandle, LinkProblem, LinkStatus};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use sha2::{Digest, Sha256};

/// A TLS server on loopback with a certificate for `names`, valid between the two dates,
/// answering every request with "ok"; returns its port and the certificate's SHA-256.
fn server(names: &[&str], valid: (i32, i32)) -> (u16, [u8; 32]) {
    let mut params =
        rcgen::CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>())
            .unwrap();
    params.not_before = rcgen::date_time_ymd(valid.0, 1, 1);
    params.not_after = rcgen::date_time_ymd(valid.1, 1, 1);
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    let digest: [u8; 32] = Sha256::digest(cert.der()).into();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        vec![CertificateDer::from(cert.der().to_vec())],
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    )
    .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let connection = rustls::ServerConnection::new(Arc::clone(&config)).unwrap();
            let mut tls = rustls::StreamOwned::new(connection, tcp);
            let mut request = Vec::new();
            let mut chunk = [0_u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match tls.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&chunk[..n]),
                }
            }
            let _ = tls.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            let _ = tls.flush();
        }
    });
    (port, digest)
}

fn settings(port: u16, digest: [u8; 32]) -> HeadOfficeSettings {
    HeadOfficeSettings {
        url: format!("https://127.0.0.1:{port}"),
        host: "127.0.0.1".to_owned(),
        port,
        base_path: String::new(),
        pin: CertificatePin::Sha256(digest),
        public_key: StoreKey::generate().unwrap().public(),
        codes_key: CodeOpenKey::derive(&[5; 32]).public(),
        batch_events: 500,
    }
}

fn post(
    settings: &HeadOfficeSettings,
    clock: Arc<dyn Clock>,
) -> Result<(u16, Vec<u8>), LinkProblem> {
    HttpsClient::with_clock(settings, Duration::from_secs(10), clock)
        .unwrap()
        .post_json("/v1/batches", b"{}")
}

fn at(year: i32, month: u32, day: u32) -> Arc<dyn Clock> {
    Arc::new(FixedClock::at(
        Utc.with_ymd_and_hms(year, month, day, 12, 0, 0).unwrap(),
    ))
}

#[test]
fn a_pinned_certificate_within_its_dates_by_the_kiosks_clock_for_its_host_is_taken() {
    let (port, digest) = server(&["127.0.0.1"], (2030, 2031));
    let settings = settings(port, digest);
    assert_eq!(
        post(&settings, at(2030, 6, 1)).unwrap(),
        (200, b"ok".to_vec()),
        "the injected clock stands inside the dates"
    );
    let refused = post(&settings, Arc::new(SystemClock))
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("pinned certificate is valid only from 2030-01-01"),
        "{refused}"
    );
}

#[test]
fn an_expired_pinned_certificate_is_refused_with_its_date() {
    let (port, digest) = server(&["127.0.0.1"], (2020, 2021));
    let problem = post(&settings(port, digest), at(2026, 3, 1)).unwrap_err();
    let refused = problem.to_string();
    assert!(
        refused.contains("head office's pinned certificate expired on 2021-01-01"),
        "{refused}"
    );
    assert!(
        refused.contains("the kiosk's clock says 2026-03-01"),
        "{refused}"
    );
    let page = link_page_with_problem(problem);
    assert!(
        page.contains("✖ connection to 127.0.0.1: head office's pinned certificate"),
        "{page}"
    );
    assert!(page.contains("expired on 2021-01-01"), "{page}");
}

#[test]
fn a_pinned_certificate_for_another_host_is_refused() {
    let (port, digest) = server(&["hq.example"], (2020, 2090));
    let problem = post(&settings(port, digest), at(2026, 3, 1)).unwrap_err();
    let refused = problem.to_string();
    assert!(
        refused.contains("head office's pinned certificate is not for 127.0.0.1"),
        "{refused}"
    );
    let page = link_page_with_problem(problem);
    assert!(page.contains("is not for 127.0.0.1"), "{page}");
}

/// The desk's link page at 80x24 while the sender reports `problem`, its words joined.
fn link_page_with_problem(problem: LinkProblem) -> String {
    let text = test_config_text()
        + &format!(
            "\n[head_office]\nurl = \"https://127.0.0.1:8443\"\ncert_sha256 = \"{}\"\npublic_key = \"{}\"\ncodes_key = \"{}\"\n",
            "ab".repeat(32),
            StoreKey::generate().unwrap().public().to_hex(),
            CodeOpenKey::derive(&[5; 32]).public().to_hex()
        );
    let mut c = counter_with(&text);
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    let now = c.clock.now();
    c.app.link = Some(LinkHandle::detached(LinkStatus {
        offline_since: Some(now),
        problem: Some(problem),
        ..LinkStatus::default()
    }));
    c.type_text("m");
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.type_text("9");
    let page = c.screen(80, 24);
    assert!(page.lines().all(|line| line.chars().count() <= 80));
    // The reason wraps; read it as one text.
    page.split_whitespace().collect::<Vec<_>>().join(" ")
}
