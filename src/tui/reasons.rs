//! Why something was refused or failed, in the reader's language. The domain and the store
//! give their reasons as typed values whose `Display` is the English the command line and the
//! logs use; the counter says them from the same facts with the messages in
//! `assets/locales/*/reasons.ftl`. Nothing here is recorded: only what is shown is translated.

use crate::domain::clock::ClockBehind;
use crate::domain::codes::{PICKUP_CODE_MAX_LEN, PICKUP_CODE_MIN_LEN};
use crate::domain::custody::{CustodyError, ShelfNameError};
use crate::domain::expected::{ExpectedFileError, LINES_SHOWN, LineProblem, MAX_EXPECTED_ROWS};
use crate::domain::ids::{
    FreeTextError, InvalidTrackingId, TRACKING_ID_MAX_LEN, TRACKING_ID_MIN_LEN,
};
use crate::domain::labels::LabelFormat;
use crate::domain::store_time::for_people;
use crate::i18n::Lang;
use crate::store::{StoreError, TokenUseError};
use crate::t;
use crate::tui::screens::labels;
use crate::tui::widgets::pin_field::auth_refusal;
use crate::tui::widgets::scan_field::ScanRefusal;

/// A free-text field at the counter, named in its refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    /// The recipient's name typed from an unannounced parcel's label.
    RecipientName,
    /// A driver's badge.
    Badge,
    /// Who drops a parcel off (a name or a reference).
    Reference,
    /// The name of someone collecting for the customer.
    ProxyName,
}

impl TextField {
    /// The selector the messages choose the field's name by.
    fn code(self) -> &'static str {
        match self {
            TextField::RecipientName => "recipient",
            TextField::Badge => "badge",
            TextField::Reference => "reference",
            TextField::ProxyName => "proxy",
        }
    }
}

/// A refusal of something typed or scanned at the counter, kept as facts until it is said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Scan(ScanRefusal),
    Shelf(ShelfNameError),
    FreeText(TextField, FreeTextError),
}

impl From<ScanRefusal> for Refusal {
    fn from(refusal: ScanRefusal) -> Self {
        Refusal::Scan(refusal)
    }
}

impl From<ShelfNameError> for Refusal {
    fn from(refusal: ShelfNameError) -> Self {
        Refusal::Shelf(refusal)
    }
}

/// A counter refusal in `lang`.
pub fn refusal_text(lang: Lang, refusal: &Refusal) -> String {
    match refusal {
        Refusal::Scan(scan) => scan_refusal_text(lang, scan),
        Refusal::Shelf(shelf) => shelf_refusal_text(lang, shelf),
        Refusal::FreeText(field, error) => free_text_text(lang, *field, error),
    }
}

/// A spoiled scan (invisible characters, a stuck scanner) in `lang`.
pub fn scan_refusal_text(lang: Lang, refusal: &ScanRefusal) -> String {
    match refusal {
        ScanRefusal::Hidden { count, first } => t!(
            lang,
            "reason-scan-hidden",
            count = *count,
            character = first.map_or_else(
                || t!(lang, "reason-character-unknown"),
                crate::domain::ids::describe_char
            )
        ),
        ScanRefusal::TooLong { length } => t!(lang, "reason-scan-too-long", length = *length),
    }
}

/// Free text refused, naming the field: "the badge contains U+0007, which is not allowed".
pub fn free_text_text(lang: Lang, field: TextField, error: &FreeTextError) -> String {
    match error {
        FreeTextError::BadCharacter(character) => t!(
            lang,
            "reason-free-text-bad-character",
            field = field.code(),
            character = character.as_str()
        ),
        FreeTextError::TooLong { length, max } => t!(
            lang,
            "reason-free-text-too-long",
            field = field.code(),
            length = *length,
            max = *max
        ),
    }
}

/// A shelf name refused (the shelf quoted as the English has always shown it).
pub fn shelf_refusal_text(lang: Lang, error: &ShelfNameError) -> String {
    match error {
        ShelfNameError::Empty => t!(lang, "reason-shelf-empty"),
        ShelfNameError::TooLong { shelf } => t!(
            lang,
            "reason-shelf-too-long",
            shelf = format!("{shelf:?}"),
            max = crate::domain::custody::SHELF_MAX_CHARS
        ),
        ShelfNameError::NotAShelf { shelf } => {
            t!(
                lang,
                "reason-shelf-not-a-shelf",
                shelf = format!("{shelf:?}")
            )
        }
    }
}

/// Why a scan is not a tracking id.
pub fn tracking_id_text(lang: Lang, error: &InvalidTrackingId) -> String {
    match error {
        InvalidTrackingId::Empty => t!(lang, "reason-id-empty"),
        InvalidTrackingId::TooLong(length) => t!(
            lang,
            "reason-id-too-long",
            length = *length,
            max = TRACKING_ID_MAX_LEN
        ),
        InvalidTrackingId::TooShort(length) => t!(
            lang,
            "reason-id-too-short",
            length = *length,
            min = TRACKING_ID_MIN_LEN
        ),
        InvalidTrackingId::BadCharacter(what) => {
            t!(lang, "reason-id-bad-character", what = what.as_str())
        }
    }
}

/// A label format by name: "USPS 20-digit", "USPS de 20 dígitos".
pub fn label_format_name(lang: Lang, format: LabelFormat) -> String {
    t!(lang, "reason-label-format", format = format.code())
}

/// Why the custody rules refuse a handoff of a parcel.
pub fn custody_error_text(lang: Lang, error: &CustodyError) -> String {
    match error {
        CustodyError::AlreadyHeld(id, status) => t!(
            lang,
            "reason-custody-already-held",
            id = id.to_string(),
            status = status.code()
        ),
        CustodyError::Unknown(id) => t!(lang, "reason-custody-unknown", id = id.to_string()),
        CustodyError::NotCustodian {
            tracking_id,
            status,
            kind,
        } => t!(
            lang,
            "reason-custody-not-custodian",
            id = tracking_id.to_string(),
            status = labels::status(lang, *status),
            kind = labels::kind(lang, *kind)
        ),
        CustodyError::NotDueForDriver(id) => {
            t!(lang, "reason-custody-not-due", id = id.to_string())
        }
        CustodyError::Duplicate(id) => t!(lang, "reason-custody-duplicate", id = id.to_string()),
        CustodyError::NoParcels(kind) => {
            t!(
                lang,
                "reason-custody-no-parcels",
                kind = labels::kind(lang, *kind)
            )
        }
        CustodyError::NotCustody(kind) => {
            t!(
                lang,
                "reason-custody-not-custody",
                kind = labels::kind(lang, *kind)
            )
        }
        CustodyError::NotHandoff(kind) => {
            t!(
                lang,
                "reason-custody-not-handoff",
                kind = labels::kind(lang, *kind)
            )
        }
    }
}

/// Why a driver's handshake token cannot be used.
pub fn token_use_text(lang: Lang, error: &TokenUseError) -> String {
    match error {
        TokenUseError::Unknown(token) => {
            t!(lang, "reason-token-unknown", token = token.as_str())
        }
        TokenUseError::AlreadyUsed { token_id, seq } => t!(
            lang,
            "reason-token-used",
            token = token_id.as_str(),
            seq = *seq
        ),
        TokenUseError::Expired(token) => {
            t!(lang, "reason-token-expired", token = token.as_str())
        }
        TokenUseError::WrongDirection {
            token_id,
            direction,
            kind,
        } => t!(
            lang,
            "reason-token-wrong-direction",
            token = token_id.as_str(),
            direction = match *direction {
                "delivery to the store" => "delivery",
                "pickup from the store" => "pickup",
                other => other,
            },
            kind = labels::kind(lang, *kind)
        ),
        TokenUseError::ParcelsDiffer { count } => {
            t!(lang, "reason-token-parcels-differ", count = *count)
        }
    }
}

/// Why the carrier's announcement file is refused (the desk's import), every bad line named.
pub fn expected_file_text(lang: Lang, error: &ExpectedFileError) -> String {
    match error {
        ExpectedFileError::Empty => t!(lang, "reason-import-no-header"),
        ExpectedFileError::MissingColumn(column) => t!(
            lang,
            "reason-import-missing-column",
            column = format!("{column:?}")
        ),
        ExpectedFileError::TooLarge => t!(
            lang,
            "reason-import-too-large",
            max = MAX_EXPECTED_ROWS.to_string()
        ),
        ExpectedFileError::Line { .. } | ExpectedFileError::Lines(_) => {
            let lines = error.problems();
            let mut said: Vec<String> = lines
                .iter()
                .take(LINES_SHOWN)
                .map(|(line, problem)| {
                    t!(
                        lang,
                        "reason-import-line",
                        line = *line,
                        problem = line_problem_text(lang, problem)
                    )
                })
                .collect();
            if lines.len() > LINES_SHOWN {
                said.push(t!(
                    lang,
                    "reason-import-more-lines",
                    count = lines.len() - LINES_SHOWN
                ));
            }
            said.join("; ")
        }
    }
}

/// Why one line of the announcement is refused.
pub fn line_problem_text(lang: Lang, problem: &LineProblem) -> String {
    match problem {
        LineProblem::Csv(detail) => detail.clone(),
        LineProblem::NotCsv(detail) => {
            t!(lang, "reason-import-not-csv", detail = detail.as_str())
        }
        LineProblem::TrackingId(error) => t!(
            lang,
            "reason-import-tracking-id",
            reason = tracking_id_text(lang, error)
        ),
        LineProblem::Label(error) => t!(
            lang,
            "reason-import-tracking-id",
            reason = crate::tui::flows::label_error(lang, error)
        ),
        LineProblem::CarrierNotTaken {
            tracking_id,
            carrier,
        } => t!(
            lang,
            "reason-import-carrier-not-taken",
            id = tracking_id.to_string(),
            carrier = crate::tui::flows::carrier_name(lang, *carrier)
        ),
        LineProblem::Text { column, error } => match error {
            FreeTextError::BadCharacter(character) => t!(
                lang,
                "reason-import-text-bad-character",
                column = *column,
                character = character.as_str()
            ),
            FreeTextError::TooLong { length, max } => t!(
                lang,
                "reason-import-text-too-long",
                column = *column,
                length = *length,
                max = *max
            ),
        },
        LineProblem::NameEmpty => t!(lang, "reason-import-name-empty"),
        LineProblem::PickupCode(_) => t!(
            lang,
            "reason-import-pickup-code",
            min = PICKUP_CODE_MIN_LEN,
            max = PICKUP_CODE_MAX_LEN
        ),
        LineProblem::ListedTwice { tracking_id, first } => t!(
            lang,
            "reason-import-listed-twice",
            id = tracking_id.to_string(),
            first = *first
        ),
    }
}

/// The clock stands behind the ledger: both times as the store's wall clock shows them.
pub fn clock_behind_text(lang: Lang, behind: &ClockBehind) -> String {
    t!(
        lang,
        "reason-clock-behind",
        now = for_people(behind.now, &behind.zone),
        last = for_people(behind.last_event, &behind.zone)
    )
}

/// What went wrong with the ledger, in `lang`, for every screen that shows a store error (the
/// flows, the desk, the sign-in). A detail the store gives as text (SQLite's own words, a
/// file's path) is shown as it came.
pub fn store_error_text(lang: Lang, error: &StoreError) -> String {
    let path = |path: &std::path::Path| path.display().to_string();
    match error {
        StoreError::NotFound(at) => t!(lang, "reason-store-not-found", path = path(at)),
        StoreError::NotALedger(at) => t!(lang, "reason-store-not-a-ledger", path = path(at)),
        StoreError::Corrupt { path: at, detail } => t!(
            lang,
            "reason-store-corrupt",
            path = path(at),
            detail = detail.as_str()
        ),
        StoreError::TooNew {
            path: at,
            found,
            supported,
        } => t!(
            lang,
            "reason-store-too-new",
            path = path(at),
            found = *found,
            supported = *supported
        ),
        StoreError::Locked => t!(lang, "reason-store-locked"),
        StoreError::DiskFull => t!(lang, "reason-store-disk-full"),
        StoreError::ReadOnly => t!(lang, "reason-store-read-only"),
        StoreError::WrongStore { ledger, config } => t!(
            lang,
            "reason-store-wrong-store",
            ledger = ledger.as_str(),
            config = config.as_str()
        ),
        StoreError::ProofExpired => t!(lang, "reason-store-proof-expired"),
        StoreError::NotManager => t!(lang, "reason-store-not-manager"),
        StoreError::StaffInactive(id) => t!(lang, "reason-store-staff-inactive", id = *id),
        StoreError::Custody(custody) => custody_error_text(lang, custody),
        // The store knows no time zone; the sign-in screen says these in the store's.
        StoreError::Auth(auth) => auth_refusal(lang, auth, &chrono_tz::UTC),
        StoreError::Token(token) => token_use_text(lang, token),
        StoreError::Invalid(detail) => detail.clone(),
        StoreError::HardLinked { path: at, links } => t!(
            lang,
            "reason-store-hard-linked",
            path = path(at),
            links = *links
        ),
        StoreError::LedgerGone { path: at } => t!(lang, "reason-store-gone", path = path(at)),
        StoreError::LedgerReplaced { path: at, detail } => t!(
            lang,
            "reason-store-replaced",
            path = path(at),
            detail = detail.as_str()
        ),
        StoreError::WalMissing { wal, rescue } => t!(
            lang,
            "reason-store-wal-missing",
            wal = path(wal),
            rescue = rescue.as_str()
        ),
        StoreError::WentBackwards {
            path: at,
            seen,
            head,
        } => t!(
            lang,
            "reason-store-went-backwards",
            path = path(at),
            seen = *seen,
            head = *head
        ),
        StoreError::RecordingStopped(why) => {
            t!(lang, "reason-store-recording-stopped", why = why.as_str())
        }
        StoreError::ClockBehind(behind) => clock_behind_text(lang, behind),
        StoreError::Sqlite(sqlite) => {
            t!(lang, "reason-store-database", detail = sqlite.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::domain::custody::{EventKind, ParcelStatus};
    use crate::domain::ids::TrackingId;

    /// English reads exactly as the `Display` the command line and logs use, so the counter's
    /// English did not change when its words moved to the message files.
    #[test]
    fn english_reads_as_the_display_text() {
        let id = TrackingId::parse("1Z0001").expect("id");
        let stores = [
            StoreError::NotFound(PathBuf::from("/tmp/ledger.db")),
            StoreError::NotALedger(PathBuf::from("/tmp/x")),
            StoreError::Corrupt {
                path: PathBuf::from("/tmp/x"),
                detail: "bad page".into(),
            },
            StoreError::TooNew {
                path: PathBuf::from("/tmp/x"),
                found: 9,
                supported: 8,
            },
            StoreError::Locked,
            StoreError::DiskFull,
            StoreError::ReadOnly,
            StoreError::WrongStore {
                ledger: "ABC-0001".into(),
                config: "ABC-0002".into(),
            },
            StoreError::ProofExpired,
            StoreError::NotManager,
            StoreError::StaffInactive(4),
            StoreError::Custody(CustodyError::AlreadyHeld(
                id.clone(),
                ParcelStatus::HeldForCustomer,
            )),
            StoreError::Custody(CustodyError::Unknown(id.clone())),
            StoreError::Custody(CustodyError::NotDueForDriver(id.clone())),
            StoreError::Custody(CustodyError::Duplicate(id.clone())),
            StoreError::Token(TokenUseError::Unknown("t1".into())),
            StoreError::Token(TokenUseError::AlreadyUsed {
                token_id: "t1".into(),
                seq: 7,
            }),
            StoreError::Token(TokenUseError::Expired("t1".into())),
            StoreError::Token(TokenUseError::ParcelsDiffer { count: 2 }),
            StoreError::HardLinked {
                path: PathBuf::from("/tmp/x"),
                links: 2,
            },
            StoreError::LedgerGone {
                path: PathBuf::from("/tmp/x"),
            },
            StoreError::LedgerReplaced {
                path: PathBuf::from("/tmp/x"),
                detail: "inode changed".into(),
            },
            StoreError::WalMissing {
                wal: PathBuf::from("/tmp/x-wal"),
                rescue: "the last events were kept".into(),
            },
            StoreError::WentBackwards {
                path: PathBuf::from("/tmp/x"),
                seen: 9,
                head: 3,
            },
            StoreError::RecordingStopped("the disk is full".into()),
        ];
        for error in &stores {
            assert_eq!(store_error_text(Lang::En, error), error.to_string());
            assert_ne!(
                store_error_text(Lang::Es, error),
                error.to_string(),
                "{error:?} is said in Spanish"
            );
        }
        for error in [
            ShelfNameError::Empty,
            ShelfNameError::TooLong {
                shelf: "SHELF6".into(),
            },
            ShelfNameError::NotAShelf {
                shelf: "A B".into(),
            },
        ] {
            assert_eq!(shelf_refusal_text(Lang::En, &error), error.to_string());
        }
        for error in [
            InvalidTrackingId::Empty,
            InvalidTrackingId::TooLong(41),
            InvalidTrackingId::TooShort(2),
            InvalidTrackingId::BadCharacter("'*'".into()),
        ] {
            assert_eq!(tracking_id_text(Lang::En, &error), error.to_string());
        }
        for format in [LabelFormat::Usps20, LabelFormat::UpuS10, LabelFormat::Other] {
            assert_eq!(label_format_name(Lang::En, format), format.to_string());
        }
        for (refusal, english) in [
            (
                ScanRefusal::Hidden {
                    count: 1,
                    first: Some('\u{7}'),
                },
                "That scan held 1 invisible or control character, the first U+0007, and was refused; scan again.",
            ),
            (
                ScanRefusal::Hidden {
                    count: 3,
                    first: Some('\u{1b}'),
                },
                "That scan held 3 invisible or control characters, the first U+001B, and was refused; scan again.",
            ),
            (
                ScanRefusal::TooLong { length: 300 },
                "That scan was 300 characters long and was refused; scan again.",
            ),
        ] {
            assert_eq!(scan_refusal_text(Lang::En, &refusal), english);
            assert_eq!(refusal.to_string(), english);
        }
        let bad = FreeTextError::BadCharacter("U+0007".into());
        assert_eq!(
            free_text_text(Lang::En, TextField::Badge, &bad),
            format!("the badge {bad}")
        );
        assert_eq!(
            crate::domain::ids::clean_free_text("the badge", "a\u{7}", 40),
            Err(free_text_text(Lang::En, TextField::Badge, &bad))
        );
    }

    #[test]
    fn an_announcement_is_refused_in_the_managers_words() {
        use crate::domain::expected::{parse_announcement, parse_expected_csv};
        let bad = "tracking_id,recipient_name,pickup_code,postal_code\n\
            1Z0001,Ana Diaz,482913,85004\n\
            1Z0002,,482913,85004\n\
            1Z0001,Bo Lee,482914,85004\n\
            1Z0003,Cy Moe,482915,850041234567\n\
            A,Dee Ray,482916,85004\n\
            1Z0004,Eve Ng,12,85004\n";
        let Err(error) = parse_expected_csv(bad.as_bytes()) else {
            panic!("refused")
        };
        assert_eq!(expected_file_text(Lang::En, &error), error.to_string());
        assert_eq!(
            expected_file_text(Lang::Es, &error),
            "línea 3: recipient_name está vacío; \
             línea 4: 1Z0001 aparece dos veces (la primera en la línea 2); \
             línea 5: la columna postal_code tiene 12 caracteres; se permiten 10 como máximo; \
             línea 6: tracking_id: el escaneo tiene 1 carácter; un número de rastreo tiene \
             al menos 4; \
             línea 7: pickup_code: un código de recogida tiene de 4 a 12 dígitos"
        );
        let rules =
            crate::domain::carriers::CarrierRules::everything(crate::domain::calendar::HoldRule {
                pickup_days: 14,
                count_closed_days: false,
            });
        let wrong_digit = "tracking_id,recipient_name,pickup_code\n1Z999AA10123456785,Ana,482913\n";
        let Err(error) = parse_announcement(wrong_digit.as_bytes(), &rules) else {
            panic!("refused")
        };
        assert_eq!(expected_file_text(Lang::En, &error), error.to_string());
        assert!(expected_file_text(Lang::Es, &error).contains("el dígito de control no coincide"));
        for whole in [
            ExpectedFileError::Empty,
            ExpectedFileError::MissingColumn("pickup_code"),
            ExpectedFileError::TooLarge,
        ] {
            assert_eq!(expected_file_text(Lang::En, &whole), whole.to_string());
            assert_ne!(expected_file_text(Lang::Es, &whole), whole.to_string());
        }
    }

    #[test]
    fn spanish_says_the_same_facts() {
        assert_eq!(
            store_error_text(Lang::Es, &StoreError::DiskFull),
            "El disco está lleno; no se registró nada: libere espacio e intente de nuevo"
        );
        let id = TrackingId::parse("1Z0001").expect("id");
        assert_eq!(
            custody_error_text(
                Lang::Es,
                &CustodyError::NotCustodian {
                    tracking_id: id,
                    status: ParcelStatus::Collected,
                    kind: EventKind::CustomerPickup,
                }
            ),
            "El paquete 1Z0001 (estado: recogido por el cliente) no se puede registrar como \
             recogida del cliente"
        );
        assert_eq!(
            scan_refusal_text(Lang::Es, &ScanRefusal::TooLong { length: 300 }),
            "Escaneo rechazado: tenía 300 caracteres; escanee de nuevo."
        );
        assert_eq!(
            free_text_text(
                Lang::Es,
                TextField::RecipientName,
                &FreeTextError::TooLong {
                    length: 90,
                    max: 80
                }
            ),
            "El nombre del destinatario tiene 90 caracteres; se permiten 80 como máximo"
        );
    }
}
