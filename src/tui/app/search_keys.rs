//! The search screen's keys: typing the query (read once per burst), choosing a parcel and
//! opening its history.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{App, Screen};
use crate::tui::message::Message;
use crate::tui::screens::search::{history_notes, timeline};
use crate::tui::widgets::scan_field::ScanField;

impl App {
    pub(crate) fn start_search(&mut self) {
        self.screen = Screen::Search(Box::default());
        self.say(Message::info(crate::t!(self.lang(), "search-start")));
    }

    pub(crate) fn search_key(&mut self, key: KeyEvent) {
        let lang = self.lang();
        let Screen::Search(view) = &mut self.screen else {
            return;
        };
        if let Some((parcel, _)) = &view.history {
            if matches!(key.code, KeyCode::Esc | KeyCode::Enter | KeyCode::Backspace) {
                view.history = None;
                view.history_notes.clear();
            } else if matches!(key.code, KeyCode::Char('p' | 'P')) {
                let tracking_id = parcel.tracking_id.clone();
                self.reprint_last_slip_of(&tracking_id);
            }
            return;
        }
        match key.code {
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                view.query.push(c);
                view.stale = true;
            }
            KeyCode::Backspace => {
                view.query.backspace();
                view.stale = true;
            }
            KeyCode::Up => view.selected = view.selected.saturating_sub(1),
            KeyCode::Down => {
                view.selected = (view.selected + 1).min(view.results.len().saturating_sub(1))
            }
            KeyCode::Esc if !view.query.is_empty() => {
                view.query = ScanField::default();
                view.results.clear();
                view.stale = false;
            }
            KeyCode::Esc => self.go_home(),
            KeyCode::Enter => {
                // A scanner's Enter arrives in the same burst as its label: read for it first.
                if let Err(error) = view.run_query_if_stale(&self.kiosk.store) {
                    return self.say(Message::alert(self.refusal_words(&error)));
                }
                let Some(parcel) = view.results.get(view.selected).cloned() else {
                    return;
                };
                match self.kiosk.store.parcel_history(&parcel.tracking_id) {
                    Ok(events) => {
                        let rows = timeline(
                            &self.kiosk,
                            &events,
                            Some(parcel.tracking_id.as_str()),
                            lang,
                        );
                        if let Screen::Search(view) = &mut self.screen {
                            view.history = Some((parcel, rows));
                            view.history_notes = history_notes(&events, lang);
                        }
                    }
                    Err(error) => self.say(Message::alert(self.refusal_words(&error))),
                }
            }
            _ => {}
        }
    }
}
