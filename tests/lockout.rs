//! PIN failure handling with an injected clock: waits that double, the disable after ten, and
//! counters that survive closing and reopening the database.

mod common;

use chrono::Duration;
use common::*;
use handoff_kiosk::domain::clock::Clock;
use handoff_kiosk::domain::ids::StaffId;
use handoff_kiosk::domain::pin::Pin;
use handoff_kiosk::domain::staff::{AuthError, PinProof, Role};
use handoff_kiosk::store::{Actor, StoreError};

fn attempt(t: &mut TestKiosk, id: StaffId, pin: &str) -> Result<PinProof, StoreError> {
    let clock = t.clock.clone();
    let lockout = t.kiosk.config.security.lockout;
    t.kiosk
        .store
        .verify_pin(id, &Pin::new(pin), &t.kiosk.pins, &lockout, || clock.now())
}

fn auth_error(result: Result<PinProof, StoreError>) -> AuthError {
    match result {
        Err(StoreError::Auth(error)) => error,
        other => panic!("expected an auth error, got {other:?}"),
    }
}

const WRONG: &str = "605118";

#[test]
fn four_failures_cost_nothing_and_success_resets_the_count() {
    let mut t = new_kiosk();
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    for _ in 0..4 {
        assert!(auth_error(attempt(&mut t, clerk, WRONG)).is_wrong_pin());
    }
    assert!(attempt(&mut t, clerk, CLERK_PIN).is_ok());
    // The count started again: four more failures still cost nothing.
    for _ in 0..4 {
        assert!(auth_error(attempt(&mut t, clerk, WRONG)).is_wrong_pin());
    }
    assert!(attempt(&mut t, clerk, CLERK_PIN).is_ok());
}

#[test]
fn waits_double_and_survive_a_reopen() {
    let mut t = new_kiosk();
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    for _ in 0..5 {
        assert!(auth_error(attempt(&mut t, clerk, WRONG)).is_wrong_pin());
    }
    // The fifth failure imposed a 30 s wait: even the right PIN is refused meanwhile.
    let until = t.clock.now() + Duration::seconds(30);
    assert_eq!(
        auth_error(attempt(&mut t, clerk, CLERK_PIN)),
        AuthError::LockedOut { until }
    );
    // A restart (here: close and reopen the database) forgets nothing.
    t.reopen();
    assert_eq!(
        auth_error(attempt(&mut t, clerk, CLERK_PIN)),
        AuthError::LockedOut { until }
    );
    t.advance(Duration::seconds(29));
    assert_eq!(
        auth_error(attempt(&mut t, clerk, CLERK_PIN)),
        AuthError::LockedOut { until }
    );
    t.advance(Duration::seconds(1));
    // The sixth failure doubles the wait to 60 s.
    assert_eq!(
        auth_error(attempt(&mut t, clerk, WRONG)),
        AuthError::WrongStaffOrPin
    );
    let until = t.clock.now() + Duration::seconds(60);
    assert_eq!(
        auth_error(attempt(&mut t, clerk, CLERK_PIN)),
        AuthError::LockedOut { until }
    );
    t.advance(Duration::seconds(60));
    assert!(
        attempt(&mut t, clerk, CLERK_PIN).is_ok(),
        "the wait is over and the PIN is right"
    );
}

#[test]
fn ten_failures_disable_until_a_manager_resets_the_pin() {
    let mut t = new_kiosk();
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    for failure in 1..=10 {
        let refused = auth_error(attempt(&mut t, clerk, WRONG));
        assert!(refused.is_wrong_pin(), "failure {failure}: {refused:?}");
        // Wait out whatever wait was imposed (at most 30 s * 2^4 = 8 min).
        t.advance(Duration::minutes(9));
    }
    assert_eq!(
        auth_error(attempt(&mut t, clerk, CLERK_PIN)),
        AuthError::Disabled
    );
    t.reopen();
    t.advance(Duration::days(2));
    assert_eq!(
        auth_error(attempt(&mut t, clerk, CLERK_PIN)),
        AuthError::Disabled
    );
    assert!(!t.kiosk.store.staff_member(clerk).unwrap().unwrap().active);

    let new_pin = "826403";
    let hash = t
        .kiosk
        .pins
        .hash_new_pin(&Pin::new(new_pin), &t.kiosk.config.security.pin_policy)
        .unwrap();
    t.kiosk
        .store
        .reset_pin(clerk, &hash, Actor::AdminCommandLine, t.clock.now())
        .unwrap();
    assert_eq!(
        auth_error(attempt(&mut t, clerk, CLERK_PIN)),
        AuthError::WrongStaffOrPin
    );
    assert!(attempt(&mut t, clerk, new_pin).is_ok());
}

#[test]
fn unknown_staff_and_wrong_pin_look_the_same() {
    let mut t = new_kiosk();
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    let wrong_pin = auth_error(attempt(&mut t, clerk, WRONG));
    let unknown = auth_error(attempt(&mut t, StaffId(999), CLERK_PIN));
    assert_eq!(wrong_pin, unknown);
    assert_eq!(wrong_pin.to_string(), unknown.to_string());
    assert_eq!(wrong_pin.to_string(), "wrong staff number or PIN");
}

#[test]
fn a_manager_proof_is_needed_for_manager_acts() {
    let mut t = new_kiosk();
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    let other = t.enrol("Cy", Role::Clerk, "826403");
    let clerk_proof = t.sign_in(clerk, CLERK_PIN);
    let refused = t
        .kiosk
        .store
        .disable_staff(other, Actor::Manager(&clerk_proof), t.clock.now());
    assert!(
        matches!(refused, Err(StoreError::NotManager)),
        "{refused:?}"
    );
    let manager = t.enrol("Ana", Role::Manager, MANAGER_PIN);
    let manager_proof = t.sign_in(manager, MANAGER_PIN);
    t.advance(Duration::minutes(5));
    let stale = t
        .kiosk
        .store
        .disable_staff(other, Actor::Manager(&manager_proof), t.clock.now());
    assert!(matches!(stale, Err(StoreError::ProofExpired)), "{stale:?}");
}

#[test]
fn twenty_wrong_pins_at_the_kiosk_lock_it_for_all_but_managers_even_across_a_restart() {
    let mut t = new_kiosk();
    let manager = t.enrol("Ana", Role::Manager, MANAGER_PIN);
    let clerks: Vec<StaffId> = (0..3)
        .map(|n| t.enrol(&format!("Clerk {n}"), Role::Clerk, CLERK_PIN))
        .collect();
    // 19 failures spread over several accounts (each below its own wait) and unknown numbers.
    for failure in 0..19 {
        let target = if failure % 4 == 3 {
            StaffId(900 + failure)
        } else {
            clerks[failure as usize % 3]
        };
        let _ = attempt(&mut t, target, WRONG);
        t.advance(Duration::seconds(31)); // past any per-account wait
        // Successes in between do not reset the kiosk-wide count.
        if failure % 5 == 0 {
            assert!(attempt(&mut t, clerks[2], CLERK_PIN).is_ok());
        }
    }
    assert!(
        attempt(&mut t, clerks[0], CLERK_PIN).is_ok(),
        "19 failures: still open"
    );
    let _ = attempt(&mut t, StaffId(999), WRONG); // the 20th
    t.reopen();
    let locked = auth_error(attempt(&mut t, clerks[1], CLERK_PIN));
    assert!(
        matches!(locked, AuthError::KioskLocked { .. }),
        "{locked:?}"
    );
    assert!(locked.to_string().contains("only a manager can sign in"));
    assert!(matches!(
        auth_error(attempt(&mut t, StaffId(999), CLERK_PIN)),
        AuthError::KioskLocked { .. }
    ));
    // A manager may sign in, and doing so opens the kiosk again.
    assert!(attempt(&mut t, manager, MANAGER_PIN).is_ok());
    assert!(attempt(&mut t, clerks[1], CLERK_PIN).is_ok());
}

#[test]
fn the_kiosk_wide_lock_ends_when_the_failures_age_out() {
    let mut t = new_kiosk();
    t.enrol("Ana", Role::Manager, MANAGER_PIN);
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    for n in 0..20 {
        let _ = attempt(&mut t, StaffId(500 + n), WRONG);
    }
    let AuthError::KioskLocked { until } = auth_error(attempt(&mut t, clerk, CLERK_PIN)) else {
        panic!("expected the kiosk-wide lock");
    };
    assert_eq!(until, t.clock.now() + Duration::minutes(15));
    t.advance(Duration::minutes(15));
    assert!(attempt(&mut t, clerk, CLERK_PIN).is_ok());
}

#[test]
fn from_the_third_wrong_pin_the_refusal_says_how_many_tries_remain_before_a_wait() {
    let mut t = new_kiosk();
    let clerk = t.enrol("Bo", Role::Clerk, CLERK_PIN);
    let said: Vec<String> = (0..5)
        .map(|_| auth_error(attempt(&mut t, clerk, WRONG)).to_string())
        .collect();
    assert_eq!(
        said,
        [
            "wrong staff number or PIN",
            "wrong staff number or PIN",
            "wrong staff number or PIN: 2 tries left before a 30 s wait",
            "wrong staff number or PIN: 1 try left before a 30 s wait",
            "wrong staff number or PIN",
        ]
    );
    // The wait that follows is told in the store's time, as the clock on screen shows it.
    let refused = auth_error(attempt(&mut t, clerk, CLERK_PIN));
    let until = t.clock.now() + Duration::seconds(30);
    let zone = t.kiosk.config.store.time_zone;
    assert_eq!(
        refused.for_staff(&zone),
        format!(
            "too many wrong PINs: try again at {}",
            until.with_timezone(&zone).format("%H:%M:%S %Z")
        )
    );
    assert!(refused.for_staff(&zone).ends_with("MST"), "{refused:?}");
}
