//! The counter in the clerk's language: a Spanish-speaking manager enrolled at a counter set to
//! Spanish sees sign-in, home, search, the ledger and the desk in Spanish (snapshots at 80x24,
//! named `_es`, with their English twins where none existed); each staff member's language
//! takes over at sign-in; F12 switches what the customer reads until the counter goes home.

mod common;

use common::counter::*;
use common::*;
use crossterm::event::KeyCode;
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::ids::StaffId;
use handoff_kiosk::domain::pin::Pin;
use handoff_kiosk::domain::staff::Role;
use handoff_kiosk::i18n::Lang;
use handoff_kiosk::store::Actor;
use handoff_kiosk::tui::app::Screen;

/// The shipped configuration with the counter's own language set to `code`.
fn counter_speaking(code: &str) -> Counter {
    let text = test_config_text().replace("language = \"en\"", &format!("language = \"{code}\""));
    assert!(text.contains(&format!("language = \"{code}\"")));
    counter_with(&text)
}

/// One snapshot at 80x24, named with its language (`home_es`).
fn snapshot_80x24(c: &Counter, name: &str) {
    let temp = c.dir.path().display().to_string();
    let screen = c.screen(80, 24).replace(&temp, "<tmp>");
    let screen = mask_six_digit_codes(&mask_key_ids(&mask_hashes(&screen)));
    insta::with_settings!({
        snapshot_suffix => "80x24",
        prepend_module_to_snapshot => false,
        snapshot_path => "snapshots",
    }, {
        insta::assert_snapshot!(name, screen);
    });
}

fn deliver(c: &mut Counter, ids: &[&str]) {
    c.type_text("d");
    c.key(KeyCode::Enter);
    for id in ids {
        c.scan(id);
    }
    c.key(KeyCode::Enter);
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    c.key(KeyCode::Enter);
}

/// Adds a staff member from the command line's side of the store, speaking `lang`.
fn add_staff(c: &mut Counter, name: &str, role: Role, lang: Option<Lang>, pin: &str) -> StaffId {
    let hash = c
        .app
        .kiosk
        .pins
        .hash_new_pin(&Pin::new(pin), &c.app.kiosk.config.security.pin_policy)
        .unwrap();
    let now = c.clock.now();
    c.app
        .kiosk
        .store
        .add_staff_speaking(name, role, lang, &hash, Actor::AdminCommandLine, now)
        .unwrap()
}

fn walk_the_screens(c: &mut Counter, lang: &str) {
    snapshot_80x24(c, &format!("lang_enrol_{lang}"));
    c.enrol_manager();
    snapshot_80x24(c, &format!("lang_lock_{lang}"));
    c.sign_in("111111");
    snapshot_80x24(c, &format!("lang_lock_wrong_pin_{lang}"));
    c.sign_in(MANAGER_PIN);
    snapshot_80x24(c, &format!("lang_home_{lang}"));
    c.key(KeyCode::F(1));
    snapshot_80x24(c, &format!("lang_home_help_{lang}"));
    c.key(KeyCode::Esc);
    deliver(c, &[PARCELS[0], PARCELS[1]]);
    c.type_text("f");
    c.type_text("x");
    snapshot_80x24(c, &format!("lang_search_results_{lang}"));
    c.key(KeyCode::Enter);
    snapshot_80x24(c, &format!("lang_search_history_{lang}"));
    c.key(KeyCode::Esc);
    c.key(KeyCode::Esc);
    c.key(KeyCode::Esc);
    c.type_text("e");
    snapshot_80x24(c, &format!("lang_ledger_today_{lang}"));
    c.key(KeyCode::Enter);
    snapshot_80x24(c, &format!("lang_ledger_event_{lang}"));
    c.key(KeyCode::Esc);
    c.key(KeyCode::Esc);
    c.type_text("m");
    snapshot_80x24(c, &format!("lang_desk_entry_{lang}"));
    c.type_text(MANAGER_PIN);
    c.key(KeyCode::Enter);
    snapshot_80x24(c, &format!("lang_desk_menu_{lang}"));
    c.type_text("1");
    snapshot_80x24(c, &format!("lang_desk_staff_{lang}"));
    c.type_text("a");
    c.type_text("Bo Lee");
    snapshot_80x24(c, &format!("lang_desk_staff_form_{lang}"));
    c.key(KeyCode::Esc);
    c.key(KeyCode::Esc);
    c.type_text("3");
    snapshot_80x24(c, &format!("lang_desk_store_{lang}"));
}

#[test]
fn the_main_screens_in_spanish_at_80x24() {
    let mut c = counter_speaking("es");
    walk_the_screens(&mut c, "es");
    let text = c.screen(80, 24);
    assert!(text.contains("ESCRITORIO DEL GERENTE"), "{text}");
}

#[test]
fn the_main_screens_in_english_at_80x24() {
    let mut c = counter_speaking("en");
    walk_the_screens(&mut c, "en");
    let text = c.screen(80, 24);
    assert!(text.contains("MANAGER'S DESK"), "{text}");
}

#[test]
fn the_first_manager_chooses_spanish_on_the_enrolment_form() {
    let mut c = counter_speaking("en");
    assert!(c.screen(80, 24).contains("WELCOME"));
    c.key(KeyCode::F(3));
    let text = c.screen(80, 24);
    assert!(
        text.contains("BIENVENIDO") && text.contains("Español"),
        "{text}"
    );
    c.enrol_manager();
    let staff = c.app.kiosk.store.list_staff().unwrap();
    assert_eq!(staff[0].lang, Some(Lang::Es));
    // The lock screen speaks the counter's language; the manager's own takes over at sign-in.
    assert!(c.screen(80, 24).contains("LOCKED"));
    c.sign_in(MANAGER_PIN);
    let text = c.screen(80, 24);
    assert!(text.contains("Sesión iniciada: Ana Diaz."), "{text}");
    assert!(
        text.contains("Estantes") && text.contains("Mostrador"),
        "{text}"
    );
}

/// A story: at an English counter, a staff member enrolled with `es` signs in and the home
/// screen speaks Spanish; one enrolled with `en` signs in and it does not; one enrolled before
/// staff had a language hears the counter's.
#[test]
fn each_staff_member_signs_in_to_their_own_language() {
    let mut c = counter_speaking("en");
    c.enrol_manager();
    let ana = StaffId(1);
    c.app
        .kiosk
        .store
        .set_staff_lang(ana, Lang::En, Actor::AdminCommandLine, c.clock.now())
        .unwrap();
    add_staff(&mut c, "Bo Lee", Role::Clerk, Some(Lang::Es), CLERK_PIN);
    add_staff(&mut c, "Cy Park", Role::Clerk, None, "826403");

    c.type_text("2");
    c.sign_in(CLERK_PIN);
    let home = c.screen(80, 24);
    assert!(home.contains("Sesión iniciada: Bo Lee."), "{home}");
    assert!(
        home.contains("Hoy:") && home.contains("Próximos días cerrados"),
        "{home}"
    );
    assert!(!home.contains("Today:"), "{home}");
    c.type_text("l");
    // Locked again: the counter's own language.
    assert!(c.screen(80, 24).contains("LOCKED"));

    c.type_text("1");
    c.sign_in(MANAGER_PIN);
    let home = c.screen(80, 24);
    assert!(
        home.contains("Signed in as Ana Diaz.") && home.contains("Today:"),
        "{home}"
    );
    assert!(!home.contains("Hoy:"), "{home}");
    c.type_text("l");

    c.type_text("3");
    c.sign_in("826403");
    let home = c.screen(80, 24);
    assert!(home.contains("Today:"), "{home}");
}

#[test]
fn a_wrong_pin_is_refused_in_the_clerks_language_at_a_spanish_counter() {
    let mut c = counter_speaking("es");
    c.enrol_manager();
    c.sign_in("111111");
    let text = c.screen(80, 24);
    assert!(
        text.contains("número de empleado o PIN incorrecto."),
        "{text}"
    );
    assert!(matches!(c.app.screen, Screen::Lock(_)));
}

/// F12 switches what the customer reads for this handoff: the clerk keeps their language, and
/// going home gives the customer's side back to the clerk's.
#[test]
fn f12_switches_the_customers_language_until_the_counter_goes_home() {
    let mut c = counter_speaking("en");
    c.enrol_manager();
    c.sign_in(MANAGER_PIN);
    assert_eq!(c.app.lang(), Lang::En);
    assert_eq!(c.app.customer_lang(), Lang::En);
    c.type_text("p");
    assert!(matches!(c.app.screen, Screen::Flow(_)));
    c.key(KeyCode::F(12));
    assert_eq!(c.app.customer_lang(), Lang::Es);
    assert_eq!(c.app.lang(), Lang::En, "the clerk still reads English");
    let text = c.screen(80, 24);
    assert!(text.contains("Customer's language: Español"), "{text}");
    // Home again: the next customer is read to in the clerk's language.
    c.key(KeyCode::Esc);
    if matches!(c.app.screen, Screen::Flow(_)) {
        c.key(KeyCode::Esc);
    }
    assert!(matches!(c.app.screen, Screen::Home), "{}", c.screen(80, 24));
    assert_eq!(c.app.customer_lang(), Lang::En);
    // The help lists the key wherever a clerk is signed in.
    c.key(KeyCode::F(1));
    assert!(c.screen(80, 24).contains("F12  language of the customer"));
}

/// The recorded events are the same whichever language the staff member reads: enrolment
/// facts carry no language, so the ledger verifies and says nothing translated.
#[test]
fn the_language_never_enters_the_ledger() {
    let mut es = counter_speaking("es");
    es.enrol_manager();
    let mut en = counter_speaking("en");
    en.enrol_manager();
    let event = |c: &mut Counter| {
        let (count, _) = c.app.kiosk.store.head().unwrap();
        c.app.kiosk.store.event(count).unwrap().unwrap().body
    };
    let (es_event, en_event) = (event(&mut es), event(&mut en));
    assert_eq!(es_event.kind, en_event.kind);
    assert_eq!(es_event.note, en_event.note);
    assert_eq!(es_event.facts.len(), en_event.facts.len());
    for (a, b) in es_event.facts.iter().zip(&en_event.facts) {
        // The PIN's digest differs with its salt; every other fact is the same.
        if !format!("{a:?}").contains("pin") {
            assert_eq!(format!("{a:?}"), format!("{b:?}"));
        }
    }
    assert_eq!(
        es.app.kiosk.store.list_staff().unwrap()[0].lang,
        Some(Lang::Es)
    );
}

/// At an English counter, a Spanish-speaking clerk who has chosen themselves reads the PIN
/// prompt and a wrong PIN's refusal in Spanish; with no one choosing, the counter's again.
#[test]
fn the_pin_prompt_speaks_the_chosen_clerks_language() {
    let mut c = counter_speaking("en");
    c.enrol_manager();
    add_staff(&mut c, "Bo Lee", Role::Clerk, Some(Lang::Es), CLERK_PIN);
    assert!(c.screen(80, 24).contains("LOCKED"));
    c.type_text("2");
    c.sign_in("111111");
    let text = c.screen(80, 24);
    assert!(text.contains("PIN de Bo Lee:"), "{text}");
    assert!(
        text.contains("número de empleado o PIN incorrecto."),
        "{text}"
    );
    c.key(KeyCode::Esc);
    assert!(c.screen(80, 24).contains("LOCKED"));
}
