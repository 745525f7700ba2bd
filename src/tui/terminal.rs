//! Owning the terminal: raw mode and the alternate screen on the way in, and the way back out on
//! every path — normal quit and errors (the guard's Drop), panics (the hook restores before the
//! message prints), and SIGTERM/SIGHUP (delivered as events; the loop ends and the guard drops).

use std::io::{self, Stdout, Write};

use crossterm::cursor::{Hide, Show};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type KioskTerminal = Terminal<CrosstermBackend<Stdout>>;

/// Puts the terminal back as the shell had it. Safe to call more than once.
pub fn restore_terminal() {
    let _ = disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(out, LeaveAlternateScreen, Show);
    let _ = out.flush();
}

/// Restores the terminal when dropped, whatever ended the kiosk.
pub struct TerminalGuard {
    pub terminal: KioskTerminal,
}

impl TerminalGuard {
    pub fn enter() -> io::Result<Self> {
        install_panic_hook();
        enable_raw_mode()?;
        // Cleared here rather than with `Terminal::clear`, which asks the terminal where its
        // cursor is and waits up to 2 s for an answer some terminals never send: the first
        // frame would come 2 s late.
        let entered = execute!(
            io::stdout(),
            EnterAlternateScreen,
            Clear(ClearType::All),
            Hide
        );
        if let Err(error) = entered {
            restore_terminal();
            return Err(error);
        }
        match Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(terminal) => Ok(Self { terminal }),
            Err(error) => {
                restore_terminal();
                Err(error)
            }
        }
    }
}

impl TerminalGuard {
    /// Rings the terminal bell (BEL). A terminal that cannot ring ignores it; a failed write
    /// loses only the sound, never the alert on screen.
    pub fn ring_bell(&mut self) {
        let out = self.terminal.backend_mut();
        let _ = out.write_all(b"\x07");
        let _ = out.flush();
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Restores the terminal first, so the panic message lands on the normal screen where it can be
/// read, then runs the default hook to print it.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
}
