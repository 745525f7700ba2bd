//! One channel for everything the loop reacts to: terminal input, resizes, signals and worker
//! results. Time-based work (clock, idle lock, token rotation) is handled by the loop's
//! `recv_timeout`, so an idle kiosk sleeps instead of polling.

use std::sync::mpsc::Sender;
use std::thread;

use crossterm::event::{Event as TerminalEvent, KeyEvent, KeyEventKind};

use super::worker::jobs::JobResult;

#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    Resize,
    /// SIGTERM or SIGHUP: leave cleanly.
    Terminate(i32),
    Worker(JobResult),
    /// The input thread lost the terminal.
    InputClosed(String),
}

/// Reads terminal input on its own thread, forwarding key presses (not repeats or releases,
/// which double keys on some terminals) and resizes.
pub fn spawn_input_reader(events: Sender<Event>) {
    thread::spawn(move || {
        loop {
            let forwarded = match crossterm::event::read() {
                Ok(TerminalEvent::Key(key)) if key.kind == KeyEventKind::Press => {
                    events.send(Event::Key(key))
                }
                Ok(TerminalEvent::Resize(_, _)) => events.send(Event::Resize),
                Ok(_) => Ok(()),
                Err(error) => {
                    let _ = events.send(Event::InputClosed(error.to_string()));
                    return;
                }
            };
            if forwarded.is_err() {
                return;
            }
        }
    });
}

/// Turns SIGTERM and SIGHUP into events, so the loop ends and the terminal guard restores the
/// terminal (a signal handler itself must not touch the terminal).
pub fn spawn_signal_listener(events: Sender<Event>) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
    thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let _ = events.send(Event::Terminate(signal));
        }
    });
    Ok(())
}
