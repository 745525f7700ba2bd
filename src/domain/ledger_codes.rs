//! The closed sets of words the ledger stores (event kinds, parcel statuses), each declared from
//! one list so its enum, its `ALL`, its stored codes and its labels cannot drift apart.

use thiserror::Error;

/// Declares a closed set of ledger codes: the enum, its `ALL` list, its stored `code()` and its
/// `label()` for people, from one list. A variant added here is in `ALL` and decodes from the
/// ledger at once; before, a variant left out of `ALL` failed to decode and `verify` called the
/// ledger tampered.
macro_rules! ledger_codes {
    (
        $(#[$enum_meta:meta])*
        pub enum $name:ident {
            $( $(#[$meta:meta])* $variant:ident => $code:literal, $label:literal; )*
        }
    ) => {
        $(#[$enum_meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$meta])* $variant, )*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$($code),*].len()] = [$($name::$variant),*];

            /// The stable name written to the ledger (and, for event kinds, hashed into the
            /// chain). Never rename one.
            pub fn code(self) -> &'static str {
                match self {
                    $( $name::$variant => $code, )*
                }
            }

            /// Words for people (the ledger view, parcel history).
            pub fn label(self) -> &'static str {
                match self {
                    $( $name::$variant => $label, )*
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::domain::ledger_codes::UnknownCode;
            fn from_str(code: &str) -> Result<Self, Self::Err> {
                // One match, which the compiler sorts out by length first: every row the
                // export and verify read names its kind.
                match code {
                    $( $code => Ok($name::$variant), )*
                    _ => Err($crate::domain::ledger_codes::UnknownCode(code.to_owned())),
                }
            }
        }
    };
}

pub(crate) use ledger_codes;

/// A stored code this build does not know: written behind the kiosk's back, or by a newer one.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("unknown event kind {0:?}")]
pub struct UnknownCode(pub String);
