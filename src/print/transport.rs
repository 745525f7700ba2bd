//! Getting bytes to a receipt printer: a raw TCP port, a device file or the `lp` queue. Each
//! keeps to one deadline and never hangs: a printer that does not answer is a failed print.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream, ToSocketAddrs};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod words {
    use std::time::Duration;

    pub fn silent(timeout: Duration) -> String {
        format!("did not answer in {} s", timeout.as_secs().max(1))
    }
    pub const REFUSED: &str = "refused the connection (is it on, and is the port right?)";
    pub const UNREACHABLE: &str = "cannot be reached on the network";
    pub const NO_DEVICE: &str = "no such device (is it plugged in and switched on?)";
    pub const NO_PERMISSION: &str =
        "permission denied (add the kiosk's user to the device's group, often lp)";
    pub const NO_LP: &str = "the lp command is missing (install the CUPS client)";
}

/// Time left before the deadline, or the "did not answer" failure.
fn left(deadline: Instant, timeout: Duration) -> Result<Duration, String> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|left| !left.is_zero())
        .ok_or_else(|| words::silent(timeout))
}

fn timed_out(error: &std::io::Error) -> bool {
    matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

/// AppSocket (port 9100): connect, send, close our side, then wait for the printer to close
/// its side, which it does once it has taken the whole job (as CUPS's socket backend waits).
/// A printer that takes the connection but never reads nor closes did not print. A host name
/// is looked up by the system resolver, outside the deadline: give printers fixed addresses.
pub fn send_tcp(host: &str, port: u16, bytes: &[u8], timeout: Duration) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    let addresses: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot find the address of {host}: {e}"))?
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
        Some(error) if error.kind() == ErrorKind::ConnectionRefused => words::REFUSED.to_owned(),
        Some(error) if timed_out(&error) => words::silent(timeout),
        Some(error)
            if matches!(
                error.kind(),
                ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable
            ) =>
        {
            words::UNREACHABLE.to_owned()
        }
        Some(error) => format!("cannot connect: {error}"),
        None => format!("{host} has no address"),
    })?;
    let broke = |error: std::io::Error| {
        if timed_out(&error) {
            words::silent(timeout)
        } else {
            format!("the connection broke: {error}")
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
pub fn send_device(path: &Path, bytes: &[u8], timeout: Duration) -> Result<(), String> {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;

    let deadline = Instant::now() + timeout;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|error| match (error.kind(), error.raw_os_error()) {
            (ErrorKind::NotFound, _) => words::NO_DEVICE.to_owned(),
            (_, Some(libc::ENODEV | libc::ENXIO)) => words::NO_DEVICE.to_owned(),
            (ErrorKind::PermissionDenied, _) => words::NO_PERMISSION.to_owned(),
            _ => format!("cannot open it: {error}"),
        })?;
    let mut rest = bytes;
    while !rest.is_empty() {
        match file.write(rest) {
            Ok(0) => return Err("it takes no more bytes".to_owned()),
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
                    return Err(words::silent(timeout));
                }
            }
            Err(error) if error.raw_os_error() == Some(libc::ENODEV) => {
                return Err(words::NO_DEVICE.to_owned());
            }
            Err(error) => return Err(format!("cannot write to it: {error}")),
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
) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    let mut child = Command::new(program)
        .args(["-d", queue, "-o", "raw"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| match error.kind() {
            ErrorKind::NotFound => words::NO_LP.to_owned(),
            _ => format!("cannot start lp: {error}"),
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
                return Err(format!(
                    "lp did not finish in {} s",
                    timeout.as_secs().max(1)
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(error) => return Err(format!("lost track of lp: {error}")),
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
    Err(format!("lp failed: {complaint}"))
}
