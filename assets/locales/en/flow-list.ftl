# Words the counter flows share (src/tui/flows/list.rs and mod.rs).
# Each message says whose it is: [clerk] what the clerk reads (key hints, instructions,
# errors, PIN prompts), in the clerk's language; [customer] what the person across the
# counter reads (a customer, or the driver in a driver's handoff), in the customer's language
# (F12 switches it for the handoff).

## Counts

# [customer] A count of parcels in a flow's list.
flow-parcels = { $count ->
    [one] { $count } parcel
   *[other] { $count } parcels
}

# [customer] The carrier column for a label of no known carrier.
flow-carrier-other = other
# [customer] A national post's S10 number, by its country's code.
flow-carrier-post = post ({ $country })

## The shelf a clerk types with F4

# [clerk]
flow-shelf-entry = Type the shelf for the selected parcel, Enter. Esc keeps it.
# [clerk]
flow-shelf-needs-parcel = Scan a parcel first, then F4 to change its shelf.
# [clerk]
flow-shelf-label = Shelf:{ " " }
# [clerk]
flow-shelf-keys = type the shelf, Enter   Esc keep the suggested shelf
# [clerk]
flow-shelf-set = { $id } -> shelf { $shelf } (changed by the clerk).

## The steps every list flow shares

# [clerk]
flow-keys-qr = Enter driver has scanned   Esc back to the list
# [clerk]
flow-keys-pin = type your PIN, Enter   Esc back
# [clerk]
flow-keys-done = Enter home
# [clerk]
flow-scan-label = Scan:{ " " }
# [clerk]
flow-done-next = Done. Enter for home.
# [clerk]
flow-scan-cleared = Scan line cleared.
# [clerk]
flow-duplicate = { $id } is already in this list (duplicate scan).

## Recording

# [clerk] Recording failed: why, and that nothing was recorded.
flow-not-recorded = { $error }. Nothing was recorded.
# [clerk] Added to what was recorded when the store is over its capacity.
flow-over-capacity = { $words } ! Over capacity: { $on_hand } on hand.

## Labels (a scan read as a carrier's tracking id)

# [clerk]
flow-not-a-label = Not a parcel label: { $reason }.
# [clerk]
flow-carrier-not-taken = { $id } is a { $carrier } parcel, which this store does not take ([carriers] in kiosk.toml).
# [clerk] The status is its ledger code (held_for_customer), as English has always shown it.
flow-already-held = parcel { $id } is already held by the store ({ $status }); it cannot be received again. It is on shelf { $shelf }.
# [clerk] Why a scan is not a label.
flow-label-empty = the scan is empty
flow-label-bad-character = the scan contains { $what }, which no label has: scan again or retype
flow-label-check-digit = check digit does not match: scan again or retype (read as a { $format } number)
flow-label-unknown-format = not a label format this kiosk knows: { $shown } ({ $length } characters)
flow-label-unknown-post = { $code } is not a post that issues tracking numbers: scan again or retype
flow-label-routing-only = this barcode holds only a ZIP code ({ $postal_code }): scan the tracking barcode
flow-label-several-parts = the scan holds { $count } separate parts: scan one label at a time

## A parcel's status, as the flows name it ([clerk]; the ledger keeps the code)

flow-status = { $status ->
    [held_for_customer] held for its customer
    [awaiting_driver] waiting for a driver
    [out_for_delivery] out for local delivery
    [collected] collected by the customer
    [with_driver] gone with a driver
    [delivered] delivered locally
    [refused_at_receipt] refused at the counter
    [recorded_in_error] recorded in error
   *[other] { $status }
}
