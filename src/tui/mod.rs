//! The full-screen counter kiosk: one loop that draws from the app state, sleeps until input,
//! a signal, a worker result or the next clock change arrives, and hands that to the app.

pub mod action;
pub mod app;
pub mod event;
pub mod flows;
pub mod message;
pub mod reasons;
pub mod screens;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod view;
pub mod widgets;
pub mod worker;

use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration as StdDuration;

use anyhow::Context;

use crate::config::KioskConfig;
use crate::domain::clock::{Clock, SystemClock};
use crate::service::Kiosk;
use app::App;
use event::{spawn_input_reader, spawn_signal_listener};
use terminal::TerminalGuard;
use theme::Theme;
use worker::Worker;

/// Runs the kiosk until a manager quits it or a signal ends it, printing on the printer
/// `[printer]` names (none when it names none). Setup errors are returned before the terminal
/// is touched, so they print on a normal screen.
pub fn run(config: &KioskConfig) -> anyhow::Result<()> {
    run_with_printer(config, crate::print::connect(&config.printer))
}

/// As [`run`], printing slips on `printer` (from `[printer]` in kiosk.toml) after each record
/// commits; with `None` nothing prints and nothing is said about it.
pub fn run_with_printer(
    config: &KioskConfig,
    printer: Option<Box<dyn crate::print::SlipPrinter>>,
) -> anyhow::Result<()> {
    let (kiosk, _report) = Kiosk::open_or_init(config)?;
    // Held until the kiosk ends: a second counter screen on this ledger is refused.
    let _instance = match crate::instance::InstanceLock::acquire(
        &config.ledger.database,
        SystemClock.now(),
        config.store.time_zone,
    ) {
        Ok(lock) => Some(lock),
        // A read-only folder cannot hold the lock file; a read-only kiosk records nothing.
        Err(crate::instance::InstanceError::Io { .. }) if kiosk.store.is_read_only() => None,
        Err(error) => return Err(error.into()),
    };
    let _log = crate::logging::start(&config.ledger.database);
    tracing::info!(store = %config.store.id, pid = std::process::id(), "kiosk started");
    let (events, inbox) = mpsc::channel();
    let worker = Worker::spawn_with_printer(Arc::clone(&kiosk.pins), events.clone(), printer);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    // Its own thread and ledger connection: the counter never waits for head office.
    let link = (!kiosk.store.is_read_only())
        .then(|| crate::link::start_or_report(&kiosk.config, &kiosk.key, Arc::clone(&clock)))
        .flatten();
    let mut app = App::new(kiosk, Arc::clone(&clock), Theme::from_environment(), worker)?;
    app.link = link;
    spawn_signal_listener(events.clone()).context("cannot listen for SIGTERM/SIGHUP")?;
    let mut guard = TerminalGuard::enter().context("cannot take over the terminal")?;
    spawn_input_reader(events);
    // Paint first: the frame appears before the home figures are read.
    guard.terminal.draw(|frame| screens::render(frame, &app))?;
    app.refresh_home();
    deliberate_test_panic();
    loop {
        guard.terminal.draw(|frame| screens::render(frame, &app))?;
        if app.take_bell() {
            guard.ring_bell();
        }
        if app.should_quit {
            break;
        }
        let now = clock.now();
        let wait = (app.next_deadline() - now)
            .to_std()
            .unwrap_or(StdDuration::ZERO);
        // The link's state changes on its own thread: the status bar looks again each second.
        let wait = if app.link.is_some() {
            wait.min(StdDuration::from_secs(1))
        } else {
            wait
        };
        match inbox.recv_timeout(wait.max(StdDuration::from_millis(5))) {
            Ok(event) => {
                app.handle(event);
                // Drain everything queued (a scanner's whole burst) before the next draw.
                while let Ok(event) = inbox.try_recv() {
                    app.handle(event);
                }
                app.settle();
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        app.tick();
    }
    app.shutdown();
    drop(guard);
    tracing::info!("kiosk stopped");
    Ok(())
}

/// Lets the end-to-end test check that a panic restores the terminal. Only in debug builds, so
/// no environment variable can make a counter's release binary panic.
fn deliberate_test_panic() {
    #[cfg(debug_assertions)]
    if std::env::var_os("HANDOFF_KIOSK_TEST_PANIC").is_some() {
        panic!("deliberate test panic (HANDOFF_KIOSK_TEST_PANIC)");
    }
}
