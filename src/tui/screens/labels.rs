//! The ledger's codes as a person reads them in their language: event kinds, parcel states and
//! correction reasons. The ledger keeps the codes; only the screens translate them. Each code
//! has a message `<prefix>-<code>` (`ledger-kind-`, `search-status-`, `desk-reason-`); the test
//! below holds every code of every list to one in every language.

use crate::domain::chain::CounterpartyKind;
use crate::domain::correction::CorrectionReason;
use crate::domain::custody::{EventKind, ParcelStatus};
use crate::i18n::{Lang, has_message, message};

fn by_code(lang: Lang, prefix: &str, code: &str, english: &str) -> String {
    let id = format!("{prefix}-{code}");
    if has_message(lang, &id) {
        message(lang, &id, None)
    } else {
        english.to_owned()
    }
}

/// "driver delivery", "entrega del repartidor".
pub fn kind(lang: Lang, kind: EventKind) -> String {
    by_code(lang, "ledger-kind", kind.code(), kind.label())
}

/// "held for its customer", "guardado para su cliente".
pub fn status(lang: Lang, status: ParcelStatus) -> String {
    by_code(lang, "search-status", status.code(), status.label())
}

/// "scanned in error", "escaneado por error".
pub fn reason(lang: Lang, reason: CorrectionReason) -> String {
    by_code(lang, "desk-reason", reason.code(), reason.label())
}

/// Who was on the other side of a handoff: "driver", "repartidor".
pub fn counterparty(lang: Lang, kind: CounterpartyKind) -> String {
    by_code(lang, "ledger-counterparty", kind.code(), kind.code())
}

/// Every counterparty kind, for the test that holds each to its words.
#[cfg(test)]
const COUNTERPARTY_KINDS: [CounterpartyKind; 4] = [
    CounterpartyKind::Driver,
    CounterpartyKind::Customer,
    CounterpartyKind::Carrier,
    CounterpartyKind::Store,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_words_in_every_language_and_english_reads_as_before() {
        for lang in Lang::ALL {
            for code in EventKind::ALL {
                let id = format!("ledger-kind-{}", code.code());
                assert!(has_message(lang, &id), "{lang}: {id}");
            }
            for code in ParcelStatus::ALL {
                let id = format!("search-status-{}", code.code());
                assert!(has_message(lang, &id), "{lang}: {id}");
            }
            for code in CorrectionReason::ALL {
                let id = format!("desk-reason-{}", code.code());
                assert!(has_message(lang, &id), "{lang}: {id}");
            }
            for code in COUNTERPARTY_KINDS {
                let id = format!("ledger-counterparty-{}", code.code());
                assert!(has_message(lang, &id), "{lang}: {id}");
            }
        }
        for code in COUNTERPARTY_KINDS {
            assert_eq!(counterparty(Lang::En, code), code.code());
        }
        assert_eq!(
            counterparty(Lang::Es, CounterpartyKind::Driver),
            "repartidor"
        );
        for code in EventKind::ALL {
            assert_eq!(kind(Lang::En, code), code.label());
        }
        for code in ParcelStatus::ALL {
            assert_eq!(status(Lang::En, code), code.label());
        }
        for code in CorrectionReason::ALL {
            assert_eq!(reason(Lang::En, code), code.label());
        }
        assert_eq!(
            kind(Lang::Es, EventKind::DriverDelivery),
            "entrega del repartidor"
        );
    }
}
