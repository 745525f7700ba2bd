//! Driving the app with key events on a `TestBackend` (screen tests), with snapshots at
//! 80x24 and 120x40 and codes masked.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use handoff_kiosk::config::{DEFAULT_CONFIG_TEXT, KioskConfig};
use handoff_kiosk::domain::clock::{Clock, FixedClock};
use handoff_kiosk::domain::custody::EventKind;
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::service::Kiosk;
use handoff_kiosk::setup;
use handoff_kiosk::tui::app::App;
use handoff_kiosk::tui::event::Event;
use handoff_kiosk::tui::screens;
use handoff_kiosk::tui::theme::Theme;
use handoff_kiosk::tui::worker::Worker;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;

pub struct Counter {
    pub dir: tempfile::TempDir,
    pub app: App,
    pub clock: FixedClock,
}

pub fn counter_with(config_text: &str) -> Counter {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), config_text);
    let config = KioskConfig::load(&path).unwrap();
    setup::init(&config).unwrap();
    let kiosk = Kiosk::open(&config).unwrap();
    let clock = FixedClock::at(tuesday_morning());
    let worker = Worker::inline(Arc::clone(&kiosk.pins));
    // Monochrome styles keep the snapshots to text; colours stay on so the random QR is drawn
    // as half blocks whose colours a text snapshot does not show (the glyph-only QR, which
    // would make every snapshot differ, is checked in a pty by tests/pty_counter.rs).
    let theme = Theme {
        colours: true,
        ..Theme::monochrome()
    };
    let app = App::new(kiosk, Arc::new(clock.clone()), theme, worker).unwrap();
    Counter { dir, app, clock }
}

/// The shipped kiosk.toml, but taking ids of no known format as carrier "other": the screen
/// tests use short made-up ids (EXP0001) beside published samples. `tests/flows.rs` checks the
/// shipped setting itself.
pub fn test_config_text() -> String {
    DEFAULT_CONFIG_TEXT.replace("allow_other = false", "allow_other = true")
}

pub fn counter() -> Counter {
    counter_with(&test_config_text())
}

impl Counter {
    /// One key as the run loop would take it: handled, then deferred work settled.
    pub fn key(&mut self, code: KeyCode) {
        self.app
            .handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.app.settle();
    }

    pub fn ctrl(&mut self, character: char) {
        self.app.handle(Event::Key(KeyEvent::new(
            KeyCode::Char(character),
            KeyModifiers::CONTROL,
        )));
    }

    pub fn type_text(&mut self, text: &str) {
        for character in text.chars() {
            self.key(KeyCode::Char(character));
        }
    }

    /// A keyboard-wedge scanner: the whole id and Enter, with no draw in between. In a driver
    /// delivery a parcel the carrier did not announce then asks for the recipient's name from
    /// its label: the clerk types [`UNANNOUNCED_RECIPIENT`] (`tests/counter_flows.rs` checks
    /// the question itself with [`Counter::scan_only`]).
    pub fn scan(&mut self, text: &str) {
        self.scan_only(text);
        let asks_name = self
            .app
            .flow::<handoff_kiosk::tui::flows::delivery::DeliveryFlow>()
            .is_some_and(|flow| {
                matches!(
                    flow.entry,
                    handoff_kiosk::tui::flows::delivery::Entry::Recipient(_)
                )
            });
        if asks_name {
            self.scan_only(UNANNOUNCED_RECIPIENT);
        }
    }

    /// The text and Enter, nothing more.
    pub fn scan_only(&mut self, text: &str) {
        self.type_text(text);
        self.key(KeyCode::Enter);
    }

    pub fn screen(&self, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|frame| screens::render(frame, &self.app))
            .unwrap();
        let buffer = terminal.backend().buffer();
        (0..height)
            .map(|y| {
                let row: String = (0..width)
                    .map(|x| buffer[(x, y)].symbol().to_owned())
                    .collect();
                row.trim_end().to_owned()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn snapshot(&self, name: &str) {
        for (width, height) in [(80, 24), (120, 40)] {
            let temp = self.dir.path().display().to_string();
            // Widest first: a six-digit code mask inside a path, hash or key id would break it up.
            let screen = self.screen(width, height).replace(&temp, "<tmp>");
            let screen = mask_six_digit_codes(&mask_key_ids(&mask_hashes(&screen)));
            insta::with_settings!({
                snapshot_suffix => format!("{width}x{height}"),
                prepend_module_to_snapshot => false,
                snapshot_path => "../snapshots",
            }, {
                insta::assert_snapshot!(name, screen);
            });
        }
    }

    pub fn enrol_manager(&mut self) {
        self.type_text("Ana Diaz");
        self.key(KeyCode::Tab);
        self.type_text(MANAGER_PIN);
        self.key(KeyCode::Tab);
        self.type_text(MANAGER_PIN);
        self.key(KeyCode::Enter);
    }

    pub fn sign_in(&mut self, pin: &str) {
        self.key(KeyCode::Enter);
        self.type_text(pin);
        self.key(KeyCode::Enter);
    }

    pub fn add_clerk(&mut self) {
        let hash = self
            .app
            .kiosk
            .pins
            .hash_new_pin(
                &handoff_kiosk::domain::pin::Pin::new(CLERK_PIN),
                &self.app.kiosk.config.security.pin_policy,
            )
            .unwrap();
        let now = self.clock.now();
        self.app
            .kiosk
            .store
            .add_staff(
                "Bo Lee",
                Role::Clerk,
                &hash,
                handoff_kiosk::store::Actor::AdminCommandLine,
                now,
            )
            .unwrap();
    }

    /// Imports a carrier's announcement file (`tracking_id,recipient_name,pickup_code[,...]`)
    /// as the admin command line would, at the counter's clock.
    pub fn announce_csv(&mut self, csv: &str) {
        let parcels = handoff_kiosk::domain::expected::parse_expected_csv(csv.as_bytes()).unwrap();
        let (now, codes) = (self.clock.now(), self.app.kiosk.codes.clone());
        self.app
            .kiosk
            .store
            .import_expected(
                &parcels,
                "test.csv",
                &codes,
                handoff_kiosk::store::Actor::AdminCommandLine,
                now,
            )
            .unwrap();
    }

    pub fn events(&mut self) -> Vec<EventKind> {
        let (count, _) = self.app.kiosk.store.head().unwrap();
        (1..=count)
            .map(|seq| self.app.kiosk.store.event(seq).unwrap().unwrap().body.kind)
            .collect()
    }

    /// After a long jump of the clock the idle lock may have locked the screen: sign in again.
    pub fn sign_in_again_if_locked(&mut self) {
        self.app.tick();
        if matches!(self.app.screen, handoff_kiosk::tui::app::Screen::Lock(_)) {
            self.sign_in(MANAGER_PIN);
        }
    }

    pub fn text_on_screen(&self) -> String {
        self.screen(120, 40)
    }
}

/// Hashes (runs of 32 or more hex digits) change with every random token id.
pub fn mask_hashes(text: &str) -> String {
    let characters: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut index = 0;
    while index < characters.len() {
        let run = characters[index..]
            .iter()
            .take_while(|c| c.is_ascii_hexdigit())
            .count();
        if run >= 32 {
            out.push_str(&"#".repeat(run));
            index += run;
        } else if run > 0 {
            out.extend(&characters[index..index + run]);
            index += run;
        } else {
            out.push(characters[index]);
            index += 1;
        }
    }
    out
}

/// Key ids (16 hex digits after "key ") are random per test.
pub fn mask_key_ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(index) = rest.find("key ") {
        let (before, after) = rest.split_at(index + 4);
        out.push_str(before);
        let hex: String = after.chars().take(16).collect();
        if hex.len() == 16 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            out.push_str("<key-id>");
            rest = &after[16..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Pickup and fallback codes are random: a run of exactly six digits becomes `######`.
pub fn mask_six_digit_codes(text: &str) -> String {
    let characters: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut index = 0;
    while index < characters.len() {
        let run = characters[index..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let after_digit = index > 0 && characters[index - 1].is_ascii_digit();
        if run == 6 && !after_digit {
            out.push_str("######");
            index += 6;
        } else if run > 0 {
            out.extend(&characters[index..index + run]);
            index += run;
        } else {
            out.push(characters[index]);
            index += 1;
        }
    }
    out
}

/// The name a test clerk types from an unannounced parcel's label (its shelf stays X).
pub const UNANNOUNCED_RECIPIENT: &str = "Sam Xu";

pub const PARCELS: [&str; 5] = [
    "1Z999AA10123456784",
    "1Z879E930346834440",
    "JD014600006281234567",
    "TBA123456789000",
    "9205590164917312751089",
];

pub fn deliver_five(counter: &mut Counter) {
    counter.type_text("d");
    counter.key(KeyCode::Enter); // the driver has scanned the QR
    for id in PARCELS {
        counter.scan(id);
    }
}
