//! `kiosk verify`'s outside anchor: the chain must still hold the head that head office last
//! acknowledged in a signed receipt. The store key can re-sign a rewritten past; it cannot make
//! head office's receipt say something else.

use crate::config::KioskConfig;
use crate::domain::link_wire::verify_receipt;
use crate::store::{Store, StoreError};

/// What the newest receipt says about the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptCheck {
    /// No receipt kept yet (no link, or nothing acknowledged).
    NoReceipt,
    /// The chain holds the acknowledged head.
    Matches {
        last_seq: u64,
        acknowledged_at: String,
    },
    /// It does not, or the receipt itself does not check: why, in words.
    Fails(String),
}

/// Checks the chain against the newest receipt, under head office's key from kiosk.toml.
/// Without `[head_office]` a kept receipt cannot be checked, and that is a failure too.
pub fn check_latest_receipt(
    store: &Store,
    config: &KioskConfig,
) -> Result<ReceiptCheck, StoreError> {
    let Some(receipt) = store.latest_link_receipt()? else {
        return Ok(ReceiptCheck::NoReceipt);
    };
    let Some(head_office) = &config.head_office else {
        return Ok(ReceiptCheck::Fails(format!(
            "the ledger keeps head office's receipt for event {}, but kiosk.toml has no [head_office] public_key to check it with",
            receipt.last_seq
        )));
    };
    let body = match verify_receipt(
        &receipt.body_json,
        &receipt.signature,
        &head_office.public_key,
        config.store.id.as_str(),
    ) {
        Ok(body) => body,
        Err(reason) => {
            return Ok(ReceiptCheck::Fails(format!(
                "head office's newest receipt does not check: {reason}"
            )));
        }
    };
    let acknowledged = hex::encode(body.head_hash().unwrap_or_default());
    Ok(match store.event_hash(body.last_seq)? {
        None => ReceiptCheck::Fails(format!(
            "head office acknowledged events up to {} on {}, but the ledger ends before it: events were removed",
            body.last_seq, body.acknowledged_at
        )),
        Some(hash) if hex::encode(hash) != acknowledged => ReceiptCheck::Fails(format!(
            "event {} has hash {}, but head office acknowledged hash {acknowledged} on {}: the ledger was rewritten behind head office's receipt",
            body.last_seq,
            hex::encode(hash),
            body.acknowledged_at
        )),
        Some(_) => ReceiptCheck::Matches {
            last_seq: body.last_seq,
            acknowledged_at: body.acknowledged_at,
        },
    })
}
