//! A small blocking HTTPS client for the link: one POST per connection over rustls (ring),
//! with head office's certificate pinned (its CA from a file, or its SHA-256), never the
//! system's trust store. Either way the certificate must name the host and be within its
//! dates, by the kiosk's injected clock (rustls is given it as its time provider). Hand-made on purpose: the common blocking clients take a CA list but
//! no pinned fingerprint, and the link needs nothing of HTTP beyond one POST and its answer.

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::time_provider::TimeProvider;
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme, StreamOwned};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use sha2::{Digest, Sha256};

use super::problem::LinkProblem;
use crate::config::{CertificatePin, HeadOfficeSettings};
use crate::domain::clock::{Clock, SystemClock};

/// The most of an answer read (a reply is a few hundred bytes).
const MAX_ANSWER: usize = 1024 * 1024;

pub struct HttpsClient {
    config: Arc<ClientConfig>,
    server_name: ServerName<'static>,
    host: String,
    port: u16,
    timeout: Duration,
}

/// The kiosk's clock as rustls's: certificate dates are checked against it.
struct ClockTime(Arc<dyn Clock>);

impl std::fmt::Debug for ClockTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClockTime")
    }
}

impl TimeProvider for ClockTime {
    fn current_time(&self) -> Option<UnixTime> {
        let seconds = u64::try_from(self.0.now().timestamp()).ok()?;
        Some(UnixTime::since_unix_epoch(Duration::from_secs(seconds)))
    }
}

impl HttpsClient {
    /// A client on the system clock.
    pub fn new(settings: &HeadOfficeSettings, timeout: Duration) -> Result<Self, LinkProblem> {
        Self::with_clock(settings, timeout, Arc::new(SystemClock))
    }

    /// A client that checks certificate dates against `clock`.
    pub fn with_clock(
        settings: &HeadOfficeSettings,
        timeout: Duration,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, LinkProblem> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder =
            ClientConfig::builder_with_details(Arc::clone(&provider), Arc::new(ClockTime(clock)))
                .with_safe_default_protocol_versions()
                .map_err(|e| LinkProblem::Tls {
                    detail: e.to_string(),
                })?;
        let config = match &settings.pin {
            CertificatePin::CaFile(path) => {
                let mut roots = rustls::RootCertStore::empty();
                let certs = CertificateDer::pem_file_iter(path)
                    .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                    .map_err(|e| LinkProblem::CaFileUnreadable {
                        path: path.clone(),
                        detail: e.to_string(),
                    })?;
                for cert in certs {
                    roots.add(cert).map_err(|e| LinkProblem::NotCaCertificate {
                        path: path.clone(),
                        detail: e.to_string(),
                    })?;
                }
                if roots.is_empty() {
                    return Err(LinkProblem::NoCertificate { path: path.clone() });
                }
                builder.with_root_certificates(roots).with_no_client_auth()
            }
            CertificatePin::Sha256(digest) => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(PinnedCertificate {
                    digest: *digest,
                    provider,
                    host: settings.host.clone(),
                }))
                .with_no_client_auth(),
        };
        let server_name =
            ServerName::try_from(settings.host.clone()).map_err(|_| LinkProblem::NotAHostName {
                host: settings.host.clone(),
            })?;
        Ok(Self {
            config: Arc::new(config),
            server_name,
            host: settings.host.clone(),
            port: settings.port,
            timeout,
        })
    }

    /// Posts `body` as JSON to `path`; returns the status code and the answer's body.
    pub fn post_json(&self, path: &str, body: &[u8]) -> Result<(u16, Vec<u8>), LinkProblem> {
        let addresses: Vec<_> = (self.host.as_str(), self.port)
            .to_socket_addrs()
            .map_err(|e| LinkProblem::HostNotFound {
                host: self.host.clone(),
                detail: e.to_string(),
            })?
            .collect();
        let mut last_error = LinkProblem::NoAddress {
            host: self.host.clone(),
        };
        let mut tcp = None;
        for address in addresses {
            match TcpStream::connect_timeout(&address, self.timeout) {
                Ok(stream) => {
                    tcp = Some(stream);
                    break;
                }
                Err(e) => {
                    last_error = LinkProblem::CannotConnect {
                        address: address.to_string(),
                        detail: e.to_string(),
                    }
                }
            }
        }
        let tcp = tcp.ok_or(last_error)?;
        let io = |e: std::io::Error| {
            // The pinned certificate's own reasons, in words, without rustls's wrapping.
            match e
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
            {
                Some(rustls::Error::General(reason)) => LinkProblem::Connection {
                    host: self.host.clone(),
                    detail: reason.clone(),
                },
                _ => LinkProblem::Connection {
                    host: self.host.clone(),
                    detail: e.to_string(),
                },
            }
        };
        tcp.set_read_timeout(Some(self.timeout)).map_err(io)?;
        tcp.set_write_timeout(Some(self.timeout)).map_err(io)?;
        let connection = ClientConnection::new(Arc::clone(&self.config), self.server_name.clone())
            .map_err(|e| LinkProblem::Tls {
                detail: e.to_string(),
            })?;
        let mut stream = StreamOwned::new(connection, tcp);
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {}:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.host,
            self.port,
            body.len()
        );
        stream.write_all(head.as_bytes()).map_err(io)?;
        stream.write_all(body).map_err(io)?;
        stream.flush().map_err(io)?;
        read_answer(&mut stream).map_err(io)
    }
}

/// Reads an HTTP/1.1 answer: the status, then the body by its Content-Length (or to the end).
fn read_answer(stream: &mut impl Read) -> std::io::Result<(u16, Vec<u8>)> {
    let invalid = |what: &str| std::io::Error::new(ErrorKind::InvalidData, what.to_owned());
    let mut buffer = Vec::new();
    let mut chunk = [0_u8; 8192];
    // (where the body starts, its length if the answer gives one, the status)
    let mut expected: Option<(usize, Option<usize>, u16)> = None;
    loop {
        if let Some((start, Some(length), status)) = expected
            && buffer.len() >= start.saturating_add(length)
        {
            return Ok((status, buffer[start..start + length].to_vec()));
        }
        let read = match stream.read(&mut chunk) {
            Ok(read) => read,
            // A server that closes without TLS's close_notify after a whole answer is fine.
            Err(e) if e.kind() == ErrorKind::UnexpectedEof => 0,
            Err(e) => return Err(e),
        };
        if read == 0 {
            return match expected {
                None if buffer.is_empty() => Err(invalid("the server closed without answering")),
                None => Err(invalid("the answer ends inside its headers")),
                Some((start, None, status)) => Ok((status, buffer[start..].to_vec())),
                Some(_) => Err(invalid("the answer is shorter than it says")),
            };
        }
        buffer.extend_from_slice(&chunk[..read]);
        if buffer.len() > MAX_ANSWER {
            return Err(invalid("the answer is too long"));
        }
        if expected.is_none()
            && let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n")
        {
            let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
            let status = head
                .split_whitespace()
                .nth(1)
                .and_then(|code| code.parse::<u16>().ok())
                .ok_or_else(|| invalid("the answer has no status"))?;
            let mut length = None;
            for line in head.lines().skip(1) {
                let Some((name, value)) = line.split_once(':') else {
                    continue;
                };
                if name.trim().eq_ignore_ascii_case("content-length") {
                    length = Some(
                        value
                            .trim()
                            .parse()
                            .map_err(|_| invalid("the Content-Length is not a number"))?,
                    );
                }
                if name.trim().eq_ignore_ascii_case("transfer-encoding") {
                    return Err(invalid("chunked answers are not expected from head office"));
                }
            }
            expected = Some((end + 4, length, status));
        }
    }
}

/// Accepts exactly the certificate whose SHA-256 kiosk.toml gives, when it names the host the
/// kiosk connects to and is within its dates (as a CA-issued one must be); the handshake
/// signature is still checked, so only the holder of that certificate's key gets through.
#[derive(Debug)]
struct PinnedCertificate {
    digest: [u8; 32],
    provider: Arc<CryptoProvider>,
    /// As kiosk.toml's url gives it, for messages.
    host: String,
}

impl ServerCertVerifier for PinnedCertificate {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let digest: [u8; 32] = Sha256::digest(end_entity.as_ref()).into();
        if digest != self.digest {
            return Err(rustls::Error::General(format!(
                "head office's certificate has SHA-256 {}, not the {} pinned in kiosk.toml",
                hex::encode(digest),
                hex::encode(self.digest)
            )));
        }
        let parsed = rustls::server::ParsedCertificate::try_from(end_entity)?;
        if rustls::client::verify_server_name(&parsed, server_name).is_err() {
            return Err(rustls::Error::General(format!(
                "head office's pinned certificate is not for {}: it names other hosts",
                self.host
            )));
        }
        let Some((not_before, not_after)) = validity(end_entity.as_ref()) else {
            return Err(rustls::Error::General(
                "head office's pinned certificate has no dates the kiosk can read".to_owned(),
            ));
        };
        let now = i64::try_from(now.as_secs()).unwrap_or(i64::MAX);
        let day = |seconds: i64| {
            chrono::DateTime::from_timestamp(seconds, 0).map_or_else(
                || seconds.to_string(),
                |at| at.format("%Y-%m-%d %H:%M UTC").to_string(),
            )
        };
        if now > not_after {
            return Err(rustls::Error::General(format!(
                "head office's pinned certificate expired on {} (the kiosk's clock says {})",
                day(not_after),
                day(now)
            )));
        }
        if now < not_before {
            return Err(rustls::Error::General(format!(
                "head office's pinned certificate is valid only from {} (the kiosk's clock says {})",
                day(not_before),
                day(now)
            )));
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A certificate's validity (notBefore, notAfter) in Unix seconds, read from its DER:
/// Certificate { tbsCertificate { [0] version?, serialNumber, signature, issuer, validity } }.
fn validity(der: &[u8]) -> Option<(i64, i64)> {
    let (_, certificate, _) = read_tlv(der)?;
    let (_, tbs, _) = read_tlv(certificate)?;
    let mut rest = tbs;
    let (tag, _, after) = read_tlv(rest)?;
    if tag == 0xA0 {
        rest = after;
    }
    for _ in 0..3 {
        // serialNumber, signature, issuer
        rest = read_tlv(rest)?.2;
    }
    let (_, validity, _) = read_tlv(rest)?;
    let (tag, not_before, after) = read_tlv(validity)?;
    let not_before = read_time(tag, not_before)?;
    let (tag, not_after, _) = read_tlv(after)?;
    Some((not_before, read_time(tag, not_after)?))
}

/// One DER element: (tag, contents, what follows).
fn read_tlv(bytes: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = bytes.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (length, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7F);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let length = rest[..count]
            .iter()
            .fold(0_usize, |length, byte| (length << 8) | usize::from(*byte));
        (length, &rest[count..])
    };
    (rest.len() >= length).then(|| (tag, &rest[..length], &rest[length..]))
}

/// UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ), in Unix seconds.
fn read_time(tag: u8, contents: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(contents).ok()?.strip_suffix('Z')?;
    let full = match tag {
        0x17 if text.len() == 12 => {
            let year: u32 = text[..2].parse().ok()?;
            format!("{}{text}", if year >= 50 { "19" } else { "20" })
        }
        0x18 if text.len() == 14 => text.to_owned(),
        _ => return None,
    };
    chrono::NaiveDateTime::parse_from_str(&full, "%Y%m%d%H%M%S")
        .ok()
        .map(|at| at.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_by_their_length_or_to_the_end() {
        let mut answer: &[u8] =
            b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-type: x\r\n\r\nhelloEXTRA";
        assert_eq!(read_answer(&mut answer).unwrap(), (200, b"hello".to_vec()));
        let mut answer: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\n\r\nlater";
        assert_eq!(read_answer(&mut answer).unwrap(), (503, b"later".to_vec()));
        let mut short: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhi";
        assert!(read_answer(&mut short).is_err());
        let mut nothing: &[u8] = b"";
        assert!(read_answer(&mut nothing).is_err());
    }
}
