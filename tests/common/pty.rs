//! Running the real `kiosk` binary in a pseudo-terminal, reading its screen with `vt100` the
//! way a person reads it, and typing as a person or a scanner types.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

pub struct PtyKiosk {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    /// How many chunks of output have arrived; waiters are woken at each one, so a wait ends
    /// the moment the text arrives (the benchmarks time it).
    arrivals: Arc<(Mutex<u64>, Condvar)>,
    /// Set when the terminal's output has ended (the program and its children closed it).
    closed: Arc<(Mutex<bool>, Condvar)>,
    // Kept open so the child keeps its terminal until we are done.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl PtyKiosk {
    pub fn start(config: &Path, size: (u16, u16), env: &[(&str, &str)]) -> Self {
        let config = config.to_string_lossy().into_owned();
        Self::start_program(
            env!("CARGO_BIN_EXE_kiosk"),
            &["--config", &config],
            size,
            env,
        )
    }

    /// Any program in the pty (e.g. the kiosk under `setpriv` as another user).
    pub fn start_program(
        program: &str,
        args: &[&str],
        size: (u16, u16),
        env: &[(&str, &str)],
    ) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: size.1,
                cols: size.0,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pty");
        let mut command = CommandBuilder::new(program);
        command.args(args);
        command.env("TERM", "xterm-256color");
        command.env_remove("NO_COLOR");
        for (key, value) in env {
            command.env(key, value);
        }
        let child = pair.slave.spawn_command(command).expect("kiosk starts");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZero::new(size.1).unwrap(),
            std::num::NonZero::new(size.0).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let arrivals = Arc::new((Mutex::new(0_u64), Condvar::new()));
        let closed = Arc::new((Mutex::new(false), Condvar::new()));
        let (screen_feed, raw_feed, arrival_feed, closed_feed) = (
            Arc::clone(&screen),
            Arc::clone(&raw),
            Arc::clone(&arrivals),
            Arc::clone(&closed),
        );
        std::thread::spawn(move || {
            let mut buffer = [0_u8; 8192];
            while let Ok(read) = reader.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                screen_feed.lock().unwrap().process(&buffer[..read]);
                raw_feed.lock().unwrap().extend_from_slice(&buffer[..read]);
                let (count, arrived) = &*arrival_feed;
                *count.lock().unwrap() += 1;
                arrived.notify_all();
            }
            let (ended, signal) = &*closed_feed;
            *ended.lock().unwrap() = true;
            signal.notify_all();
        });
        Self {
            child,
            writer,
            screen,
            raw,
            arrivals,
            closed,
            _master: pair.master,
        }
    }

    /// Everything the program wrote, once its terminal output has ended (read to the end by
    /// the reader thread), or after `timeout` at the latest. After the program exits its last
    /// bytes may still be on their way through the reader thread, later still on a busy
    /// machine: waiting for the end instead of a fixed pause keeps the check from racing it.
    pub fn final_output(&self, timeout: Duration) -> Vec<u8> {
        let (ended, signal) = &*self.closed;
        let guard = ended.lock().unwrap();
        let _ended = signal
            .wait_timeout_while(guard, timeout, |ended| !*ended)
            .unwrap();
        self.raw_output()
    }

    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Each row of the screen as its cells: the glyph drawn there and whether any colour was
    /// set on it (foreground or background).
    pub fn cells(&self) -> Vec<Vec<(String, bool)>> {
        let parser = self.screen.lock().unwrap();
        let screen = parser.screen();
        let (rows, columns) = screen.size();
        (0..rows.get())
            .map(|row| {
                (0..columns.get())
                    .map(|column| match screen.cell(row, column) {
                        Some(cell) => (
                            cell.contents().to_owned(),
                            cell.fgcolor() != vt100::Color::Default
                                || cell.bgcolor() != vt100::Color::Default,
                        ),
                        None => (String::new(), false),
                    })
                    .collect()
            })
            .collect()
    }

    pub fn raw_output(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// On the first-run screen: enrols Ana Diaz as the first manager with `pin` and signs her in.
    pub fn enrol_first_manager(&mut self, pin: &str, timeout: Duration) {
        self.wait_for("WELCOME", timeout);
        self.send(&format!("Ana Diaz\t{pin}\t{pin}\r"));
        self.wait_for("Sign in with the new PIN", timeout);
        self.send(&format!("\r{pin}\r"));
        self.wait_for("Signed in as Ana Diaz", timeout);
    }

    /// Writes bytes in one go: a scanner's burst arrives as one write.
    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits until `text` is on screen; returns how long it took.
    pub fn wait_for(&self, text: &str, timeout: Duration) -> Duration {
        self.wait_for_since(text, Instant::now(), timeout)
    }

    /// Waits until `text` is on screen; returns the time from `start` until the output that
    /// showed it arrived.
    pub fn wait_for_since(&self, text: &str, start: Instant, timeout: Duration) -> Duration {
        let (count, arrived) = &*self.arrivals;
        loop {
            let seen = *count.lock().unwrap();
            if self.contents().contains(text) {
                return start.elapsed();
            }
            let left = timeout.saturating_sub(start.elapsed());
            if left.is_zero() {
                panic!(
                    "{text:?} did not appear within {timeout:?}; the screen:\n{}",
                    self.contents()
                );
            }
            let guard = count.lock().unwrap();
            // Sleep only if nothing arrived since the screen was read.
            let _woken = arrived
                .wait_timeout_while(guard, left, |now| *now == seen)
                .unwrap();
        }
    }

    /// How many chunks of output have arrived so far (about one per frame drawn).
    pub fn arrivals(&self) -> u64 {
        *self.arrivals.0.lock().unwrap()
    }

    /// Kills the kiosk and waits until it is gone (its instance lock with it).
    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("a pid")
    }

    /// Waits for the kiosk to end; its exit code.
    pub fn wait_exit(&mut self, timeout: Duration) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            if start.elapsed() > timeout {
                let _ = self.child.kill();
                panic!(
                    "the kiosk did not exit within {timeout:?}; the screen:\n{}",
                    self.contents()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for PtyKiosk {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}
