//! Getting bytes to a receipt printer: a raw TCP port, a device file or the `lp` queue. Each
//! keeps to one deadline and never hangs: a printer that does not answer is a failed print.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream, ToSocketAddrs};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::PrintFailure;

/// "did not answer in N s", N at least 1.
fn silent(timeout: Duration) -> PrintFailure {
    PrintFailure::Silent {
        seconds: timeout.as_secs().max(1),
    }
}

/// Time left before the deadline, or the "did not answer" failure.
fn left(deadline: Instant, timeout: Duration) -> Result<Duration, PrintFailure> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|left| !left.is_zero())
        .ok_or_else(|| silent(timeout))
}

fn timed_out(error: &std::io::Error) -> bool {
    matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

/// AppSocket (port 9100): connect, send, close our side, then wait for the printer to close
/// its side, which it does once it has taken the whole job (as CUPS's socket backend waits).
/// A printer that takes the connection but never reads nor closes did not print. A host name
/// is looked up by the system resolver, outside the deadline: give printers fixed addresses.
pub fn send_tcp(
    host: &str,
    port: u16,
    bytes: &[u8],
    timeout: Duration,
) -> Result<(), PrintFailure> {
    let deadline = Instant::now() + timeout;
    let addresses: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| PrintFailure::AddressNotFound {
            host: host.to_owned(),
            detail: e.to_string(),
        })?
        .collect();
    let mut last_error = None;
    let mut connected = None;
    for address in addresses {
        match TcpStream::connect_timeout(&address, left(deadline, timeout)?) {
            Ok(stream) => {
                connected = Some(stream);
                break;
            }
            Err(error) => last_error = Some(error),
        }
    }
    let mut stream = connected.ok_or_else(|| match last_error {
        Some(error) if error.kind() == ErrorKind::ConnectionRefused => PrintFailure::Refused,
        Some(error) if timed_out(&error) => silent(timeout),
        Some(error)
            if matches!(
                error.kind(),
                ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable
            ) =>
        {
            PrintFailure::Unreachable
        }
        Some(error) => PrintFailure::CannotConnect {
            detail: error.to_string(),
        },
        None => PrintFailure::NoAddress {
            host: host.to_owned(),
        },
    })?;
    let broke = |error: std::io::Error| {
        if timed_out(&error) {
            silent(timeout)
        } else {
            PrintFailure::ConnectionBroke {
                detail: error.to_string(),
            }
        }
    };
    stream
        .set_write_timeout(Some(left(deadline, timeout)?))
        .map_err(broke)?;
    stream.write_all(bytes).map_err(broke)?;
    stream.flush().map_err(broke)?;
    stream.shutdown(Shutdown::Write).map_err(broke)?;
    let mut answer = [0_u8; 256];
    loop {
        stream
            .set_read_timeout(Some(left(deadline, timeout)?))
            .map_err(broke)?;
        match stream.read(&mut answer) {
            Ok(0) => return Ok(()),
            // Status bytes some printers send back: read on to the close.
            Ok(_) => {}
            Err(error) if error.kind() == ErrorKind::Interrupted => {}
            // Closing hard after taking the job is still taking the job.
            Err(error) if error.kind() == ErrorKind::ConnectionReset => return Ok(()),
            Err(error) => return Err(broke(error)),
        }
    }
}

/// A device file (`/dev/usb/lp0`), opened non-blocking: a printer that stops taking bytes
/// (out of paper, cover open) is waited for until the deadline, never forever.
pub fn send_device(path: &Path, bytes: &[u8], timeout: Duration) -> Result<(), PrintFailure> {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;

    let deadline = Instant::now() + timeout;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|error| match (error.kind(), error.raw_os_error()) {
            (ErrorKind::NotFound, _) => PrintFailure::NoDevice,
            (_, Some(libc::ENODEV | libc::ENXIO)) => PrintFailure::NoDevice,
            (ErrorKind::PermissionDenied, _) => PrintFailure::NoPermission,
            _ => PrintFailure::CannotOpen {
                detail: error.to_string(),
            },
        })?;
    let mut rest = bytes;
    while !rest.is_empty() {
        match file.write(rest) {
            Ok(0) => return Err(PrintFailure::TakesNoMore),
            Ok(written) => rest = &rest[written..],
            Err(error) if error.kind() == ErrorKind::Interrupted => {}
            Err(error) if error.kind() == ErrorKind::WouldBlock => {
                let wait = left(deadline, timeout)?;
                let mut poll = libc::pollfd {
                    fd: file.as_raw_fd(),
                    events: libc::POLLOUT,
                    revents: 0,
                };
                let millis = libc::c_int::try_from(wait.as_millis()).unwrap_or(libc::c_int::MAX);
                // SAFETY: one valid pollfd, for a file descriptor this function owns.
                let ready = unsafe { libc::poll(&mut poll, 1, millis.max(1)) };
                if ready == 0 {
                    return Err(silent(timeout));
                }
            }
            Err(error) if error.raw_os_error() == Some(libc::ENODEV) => {
                return Err(PrintFailure::NoDevice);
            }
            Err(error) => {
                return Err(PrintFailure::CannotWrite {
                    detail: error.to_string(),
                });
            }
        }
    }
    Ok(())
}

/// The system queue: `lp -d QUEUE -o raw`, fed the job on its input, waited for until the
/// deadline and killed after it; its own complaint (stderr) is the reason when it fails.
pub fn send_queue(
    program: &Path,
    queue: &str,
    bytes: &[u8],
    timeout: Duration,
) -> Result<(), PrintFailure> {
    let deadline = Instant::now() + timeout;
    let mut child = Command::new(program)
        .args(["-d", queue, "-o", "raw"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| match error.kind() {
            ErrorKind::NotFound => PrintFailure::NoLp,
            _ => PrintFailure::LpCannotStart {
                detail: error.to_string(),
            },
        })?;
    // Feeding and reading on their own threads: a stuck lp must not stall this one.
    if let Some(mut input) = child.stdin.take() {
        let job = bytes.to_vec();
        std::thread::spawn(move || input.write_all(&job));
    }
    let (said, heard) = std::sync::mpsc::channel();
    if let Some(mut errors) = child.stderr.take() {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = errors.read_to_string(&mut text);
            let _ = said.send(text);
        });
    }
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(PrintFailure::LpTimedOut {
                    seconds: timeout.as_secs().max(1),
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(error) => {
                return Err(PrintFailure::LpLost {
                    detail: error.to_string(),
                });
            }
        }
    };
    if status.success() {
        return Ok(());
    }
    let complaint = heard
        .recv_timeout(Duration::from_millis(500))
        .unwrap_or_default();
    let complaint = complaint
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .map(|line| line.chars().filter(|c| !c.is_control()).take(200).collect())
        .unwrap_or_else(|| status.to_string());
    Err(PrintFailure::LpFailed { complaint })
}
