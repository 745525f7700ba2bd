//! A receipt printer on loopback TCP for tests: it collects each connection's bytes (one job a
//! connection, as a raw port 9100 printer takes them), or plays dead. And a reader of ESC/POS
//! streams written from the command reference, independent of the kiosk's encoder: it strips
//! the commands, splits the lines, decodes PC858 and pulls the QR payload out of `GS ( k`.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use handoff_kiosk::print::PrinterConnection;

/// How the test printer behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// Reads each connection to its end, keeps the bytes, closes: a working printer.
    Prints,
    /// Takes the connection and then neither reads nor closes.
    NeverReads,
    /// Listens but never accepts a connection.
    NeverAccepts,
}

/// One job as the printer got it.
#[derive(Debug, Clone)]
pub struct Job {
    pub bytes: Vec<u8>,
    /// When the connection was accepted and when its first byte arrived.
    pub accepted_at: Instant,
    pub first_byte_at: Option<Instant>,
}

pub struct TestPrinter {
    pub port: u16,
    jobs: Arc<Mutex<Vec<Job>>>,
}

impl TestPrinter {
    pub fn start(behaviour: Behaviour) -> Self {
        Self::start_on(0, behaviour)
    }

    /// On a given port (0: any), e.g. to bring a printer "back" where a dead one was.
    pub fn start_on(port: u16, behaviour: Behaviour) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind the test printer");
        let port = listener.local_addr().expect("its address").port();
        let jobs = Arc::new(Mutex::new(Vec::new()));
        let collected = Arc::clone(&jobs);
        std::thread::spawn(move || match behaviour {
            Behaviour::NeverAccepts => {
                let _keep = listener;
                std::thread::sleep(Duration::from_secs(3600));
            }
            Behaviour::NeverReads => {
                let mut held: Vec<TcpStream> = Vec::new();
                for stream in listener.incoming().flatten() {
                    held.push(stream);
                }
            }
            Behaviour::Prints => {
                for stream in listener.incoming().flatten() {
                    let collected = Arc::clone(&collected);
                    std::thread::spawn(move || take_job(stream, &collected));
                }
            }
        });
        Self { port, jobs }
    }

    pub fn connection(&self) -> PrinterConnection {
        PrinterConnection::Tcp {
            host: "127.0.0.1".into(),
            port: self.port,
        }
    }

    /// What `connect =` would say for this printer.
    pub fn address(&self) -> String {
        format!("tcp://127.0.0.1:{}", self.port)
    }

    /// The jobs so far, waiting up to `patience` for at least `count`.
    pub fn jobs(&self, count: usize, patience: Duration) -> Vec<Job> {
        let until = Instant::now() + patience;
        loop {
            let jobs = self.jobs.lock().expect("jobs").clone();
            if jobs.len() >= count || Instant::now() >= until {
                return jobs;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn take_job(mut stream: TcpStream, jobs: &Mutex<Vec<Job>>) {
    let accepted_at = Instant::now();
    let mut bytes = Vec::new();
    let mut first_byte_at = None;
    let mut buffer = [0_u8; 4096];
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    while let Ok(read) = stream.read(&mut buffer) {
        if read == 0 {
            break;
        }
        first_byte_at.get_or_insert_with(Instant::now);
        bytes.extend_from_slice(&buffer[..read]);
    }
    jobs.lock().expect("jobs").push(Job {
        bytes,
        accepted_at,
        first_byte_at,
    });
    // Dropping the stream closes it: the job is taken.
}

/// A loopback port with nothing listening on it.
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

/// What a stream printed, as a person would read the paper.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Paper {
    pub lines: Vec<String>,
    /// The lines printed with emphasis on (ESC E 1).
    pub bold_lines: Vec<String>,
    /// Each QR code's stored data (GS ( k, function 180).
    pub qr_payloads: Vec<Vec<u8>>,
    pub starts_with_reset: bool,
    /// The last thing in the stream is a cut (GS V), nothing printed after it.
    pub ends_with_cut: bool,
    /// The code page chosen with ESC t, if any.
    pub code_page: Option<u8>,
}

/// PC858 letters the tests look for, from the code page chart (0x80-0xFF).
fn pc858(byte: u8) -> char {
    match byte {
        0x20..=0x7E => char::from(byte),
        0x81 => 'ü',
        0x82 => 'é',
        0x90 => 'É',
        0x9A => 'Ü',
        0xA0 => 'á',
        0xA1 => 'í',
        0xA2 => 'ó',
        0xA3 => 'ú',
        0xA4 => 'ñ',
        0xA5 => 'Ñ',
        0xA8 => '¿',
        0xAD => '¡',
        0xB5 => 'Á',
        0xD6 => 'Í',
        0xE0 => 'Ó',
        0xE9 => 'Ú',
        0xD5 => '€',
        _ => '\u{FFFD}',
    }
}

/// Reads an ESC/POS stream; an unknown command is an error, not skipped.
pub fn read_paper(bytes: &[u8]) -> Result<Paper, String> {
    let mut paper = Paper {
        starts_with_reset: bytes.starts_with(&[0x1B, b'@']),
        ..Paper::default()
    };
    let mut line = String::new();
    let mut bold = false;
    let mut line_bold = false;
    let mut at = 0;
    let mut last_was_cut = false;
    let byte = |index: usize| {
        bytes
            .get(index)
            .copied()
            .ok_or_else(|| format!("the stream ends inside a command at {index}"))
    };
    while at < bytes.len() {
        let current = bytes[at];
        last_was_cut = false;
        match current {
            0x0A => {
                paper.lines.push(std::mem::take(&mut line));
                if line_bold {
                    paper
                        .bold_lines
                        .push(paper.lines.last().cloned().unwrap_or_default());
                }
                line_bold = false;
                at += 1;
            }
            0x1B => match byte(at + 1)? {
                b'@' => at += 2,
                b't' => {
                    paper.code_page = Some(byte(at + 2)?);
                    at += 3;
                }
                b'E' => {
                    bold = byte(at + 2)? & 1 == 1;
                    at += 3;
                }
                b'a' | b'd' | b'!' | b'-' => at += 3,
                other => return Err(format!("unknown ESC {other:#04x} at {at}")),
            },
            0x1D => match byte(at + 1)? {
                b'V' => {
                    let mode = byte(at + 2)?;
                    at += if matches!(mode, 65 | 66 | 97..=103) {
                        4
                    } else {
                        3
                    };
                    last_was_cut = true;
                }
                b'(' if byte(at + 2)? == b'k' => {
                    let length = usize::from(byte(at + 3)?) + 256 * usize::from(byte(at + 4)?);
                    let body = bytes
                        .get(at + 5..at + 5 + length)
                        .ok_or("a GS ( k command runs past the end")?;
                    if body.len() >= 3 && body[0] == 49 && body[1] == 80 {
                        paper.qr_payloads.push(body[3..].to_vec());
                    }
                    at += 5 + length;
                }
                other => return Err(format!("unknown GS {other:#04x} at {at}")),
            },
            0x00..=0x1F | 0x7F => return Err(format!("stray control byte {current:#04x} at {at}")),
            printable => {
                line.push(pc858(printable));
                line_bold |= bold;
                at += 1;
            }
        }
    }
    if !line.is_empty() {
        paper.lines.push(line);
    }
    paper.ends_with_cut = last_was_cut;
    Ok(paper)
}
