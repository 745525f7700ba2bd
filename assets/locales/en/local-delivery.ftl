# Local delivery by the store's own courier (src/tui/flows/local_delivery.rs). The courier is
# the store's: every message is the clerk's [clerk], in the clerk's language.

local-delivery-not-offered = This store does not deliver locally (no LOCAL_DELIVERY in kiosk.toml).
local-delivery-start = Scan the parcels going out on this run. F3: record a run that came back.
local-delivery-back = For each parcel: F7 delivered (again for another note), F8 or scan: brought back.
local-delivery-nothing = Nothing to record yet.
local-delivery-title-out = LOCAL DELIVERY: build a run
local-delivery-title-back = LOCAL DELIVERY: the run is back
local-delivery-pin-label = Your PIN to record:{ " " }
local-delivery-keys-out = Enter add   empty Enter confirm   F3 a run came back   Esc cancel
local-delivery-keys-back = F7 delivered/note   F8 or scan: back   empty Enter confirm   F3 new run
# The help popup, one line each.
local-delivery-help =
    Build a run: scan held parcels; only addresses in the service area go.
    F3 when the courier is back: F7 delivered (again: another note),
    F8 or a scan: brought back to the shelf. Empty Enter, then your PIN.
local-delivery-summary = { $count ->
    [one] { $count } parcel
   *[other] { $count } parcels
}; service area { $area }
local-delivery-brought-back = { $id } brought back.
local-delivery-already-on-run = { $id } is already on this run.
local-delivery-was-not-out = { $id } was not out for delivery.
local-delivery-unknown = { $id } is not in the store's records.
local-delivery-cannot-go = { $id } cannot go on this run: { $reason }.
local-delivery-not-held = it is { $status }, not held for a customer
local-delivery-no-postal-code = it has no delivery postal code on record, so the service area cannot be checked
local-delivery-outside-area = it goes to { $postal_code }, outside the service area ({ $area })
local-delivery-joins = { $id } joins the run ({ $postal_code }).
local-delivery-recorded = Recorded: { $out } out for delivery, { $delivered } delivered, { $back } brought back.
local-delivery-column-id = Tracking id
local-delivery-column-carrier = Carrier
local-delivery-column-recipient = Recipient
local-delivery-column-postal = Postal
local-delivery-column-state = State
local-delivery-state-going = → out on this run
local-delivery-state-waiting = … not recorded yet
local-delivery-state-brought-back = ! brought back
# A delivered parcel's note. The ledger keeps the English words whatever the language: this
# is only how they are shown.
local-delivery-state-delivered = ✔ { $note ->
    [recipient] handed to the recipient
    [neighbour] left with a neighbour
    [safe-place] left in a safe place
   *[other] delivered
}
