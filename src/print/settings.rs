//! What `[printer]` in kiosk.toml says, typed: which printer, how it is reached, the paper.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// The validated `[printer]` section. Absent from the file, it is [`PrinterOutput::None`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterConfig {
    pub output: PrinterOutput,
    pub paper: PaperWidth,
    /// How long one slip may take to reach the printer before the print is called failed.
    pub timeout: Duration,
}

impl Default for PrinterConfig {
    fn default() -> Self {
        Self {
            output: PrinterOutput::None,
            paper: PaperWidth::Mm80,
            timeout: Duration::from_secs(5),
        }
    }
}

/// Where slips go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterOutput {
    /// The store prints nothing.
    None,
    /// An ESC/POS receipt printer.
    EscPos(PrinterConnection),
    /// One PDF per slip into this folder.
    Pdf(PathBuf),
}

/// How an ESC/POS printer is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterConnection {
    /// A network printer's raw port (`tcp://HOST:PORT`, 9100 by default).
    Tcp { host: String, port: u16 },
    /// A device file such as `/dev/usb/lp0`.
    Device(PathBuf),
    /// The system's print queue, through `lp -d QUEUE -o raw`.
    Queue(String),
}

impl fmt::Display for PrinterConnection {
    /// The printer as a clerk's error message names it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrinterConnection::Tcp { host, port } => write!(f, "printer at {host}:{port}"),
            PrinterConnection::Device(path) => write!(f, "printer {}", path.display()),
            PrinterConnection::Queue(queue) => write!(f, "print queue {queue}"),
        }
    }
}

/// Receipt paper: 58 mm rolls print 32 columns, 80 mm rolls 48 (Font A, 12 dots a column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperWidth {
    Mm58,
    Mm80,
}

impl PaperWidth {
    pub fn from_mm(mm: i64) -> Option<Self> {
        match mm {
            58 => Some(PaperWidth::Mm58),
            80 => Some(PaperWidth::Mm80),
            _ => None,
        }
    }

    pub fn mm(self) -> u32 {
        match self {
            PaperWidth::Mm58 => 58,
            PaperWidth::Mm80 => 80,
        }
    }

    /// Characters on a line.
    pub fn columns(self) -> usize {
        match self {
            PaperWidth::Mm58 => 32,
            PaperWidth::Mm80 => 48,
        }
    }

    /// Printable dots across at 203 dpi, for sizing the QR code.
    pub fn dots(self) -> u32 {
        match self {
            PaperWidth::Mm58 => 384,
            PaperWidth::Mm80 => 576,
        }
    }
}

/// Reads `tcp://HOST[:PORT]`, a device path or `lp:QUEUE`; the error says what is accepted.
pub fn parse_connection(text: &str) -> Result<PrinterConnection, String> {
    let text = text.trim();
    let forms = "use tcp://HOST:PORT, a device such as /dev/usb/lp0, or lp:QUEUE";
    if let Some(rest) = text.strip_prefix("tcp://") {
        let (host, port) = match rest.rsplit_once(':') {
            // `[::1]` alone has colons but no port.
            Some((host, port)) if !rest.ends_with(']') => {
                let port = port
                    .parse::<u16>()
                    .ok()
                    .filter(|port| *port > 0)
                    .ok_or_else(|| format!("the port {port:?} is not a number from 1 to 65535"))?;
                (host, port)
            }
            _ => (rest, 9100),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() || host.contains(['/', ' ', '@']) {
            return Err(format!(
                "{text:?} has no printer host name or address; {forms}"
            ));
        }
        return Ok(PrinterConnection::Tcp {
            host: host.to_owned(),
            port,
        });
    }
    if let Some(queue) = text.strip_prefix("lp:") {
        let fits = |c: char| c.is_ascii_alphanumeric() || "-_.@".contains(c);
        if queue.is_empty() || !queue.chars().all(fits) {
            return Err(format!(
                "{queue:?} is not a print queue name (letters, digits, - _ . @; see `lpstat -p`)"
            ));
        }
        return Ok(PrinterConnection::Queue(queue.to_owned()));
    }
    if text.starts_with('/') {
        return Ok(PrinterConnection::Device(PathBuf::from(text)));
    }
    Err(format!("{text:?} is not a printer: {forms}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_read_as_written() {
        let tcp = |host: &str, port| PrinterConnection::Tcp {
            host: host.into(),
            port,
        };
        assert_eq!(
            parse_connection("tcp://192.168.1.50"),
            Ok(tcp("192.168.1.50", 9100))
        );
        assert_eq!(
            parse_connection("tcp://printer.local:9101"),
            Ok(tcp("printer.local", 9101))
        );
        assert_eq!(parse_connection("tcp://[::1]:9100"), Ok(tcp("::1", 9100)));
        assert_eq!(parse_connection("tcp://[::1]"), Ok(tcp("::1", 9100)));
        assert_eq!(
            parse_connection("/dev/usb/lp0"),
            Ok(PrinterConnection::Device("/dev/usb/lp0".into()))
        );
        assert_eq!(
            parse_connection("lp:receipts"),
            Ok(PrinterConnection::Queue("receipts".into()))
        );
        for wrong in [
            "tcp://",
            "tcp://host:0",
            "tcp://host:port",
            "lp:",
            "lp:a b",
            "usb0",
            "",
        ] {
            assert!(parse_connection(wrong).is_err(), "{wrong:?} was accepted");
        }
    }
}
