# A customer drops off or returns a parcel (src/tui/flows/drop_off.rs).
# [customer]: the customer reads it (the customer's language, F12).
# [clerk]: the clerk reads it (the clerk's language).

# [clerk]
drop-off-not-offered = This store does not take drop-offs (no DROP_OFF in kiosk.toml).
# [clerk]
drop-off-start = Type the customer's name or reference, then Enter.
# [clerk]
drop-off-scan = Scan each parcel's label. F2 refuse, F3 drop-off/return, F4 shelf.
# [clerk]
drop-off-need-reference = Type the customer's name or reference first.
# [clerk]
drop-off-need-parcel = Scan at least one parcel first.
# [customer]
drop-off-title-drop-off = CUSTOMER DROP-OFF (F3: return)
# [customer]
drop-off-title-return = CUSTOMER RETURN (F3: drop-off)
# [clerk]
drop-off-setup-label = Customer name or reference:{ " " }
# [clerk]
drop-off-pin-label-drop-off = Your PIN to record this drop-off:{ " " }
# [clerk]
drop-off-pin-label-return = Your PIN to record this return:{ " " }
# [clerk]
drop-off-keys-setup = type the name or reference, Enter   Esc cancel
# [clerk]
drop-off-keys-scanning = Enter add  empty Enter confirm  F2 refuse/reason  F3 drop-off/return  F4 shelf
# [clerk] The help popup, one line each.
drop-off-help =
    Type who brings it (name or reference), then scan each label.
    F2 refuses the selected parcel and cycles the reason (damaged, size,
    weight, prohibited); F3 switches between drop-off and return.
    F4 puts the selected parcel on another shelf than the suggested one.
    Enter on an empty line, then your PIN: refusals are recorded too.
# [clerk]
drop-off-added = { $id } added.
# [customer] The totals the customer confirms, once recorded.
drop-off-recorded = Recorded: { $taken ->
    [one] { $taken } parcel
   *[other] { $taken } parcels
} taken in, { $refused } refused.
# [customer] Under the title: who brings the parcels and what is taken in. $kind is
# drop_off or return.
drop-off-summary = From { $from }: { $taken } to take in as { $kind ->
    [return] RETURN
   *[drop_off] DROP-OFF
}, { $refused } refused
# [customer] The list's columns.
drop-off-column-id = Tracking id
drop-off-column-carrier = Carrier
drop-off-column-shelf = Shelf
drop-off-column-condition = Condition
# [customer] A parcel's condition in the list.
drop-off-accepted = ✔ accepted
drop-off-refused = ✖ REFUSED: { $reason }
# [customer] Why a parcel is refused. The ledger keeps the English words ($reason) whatever
# the language: this is only how they are shown.
drop-off-reason = { $reason ->
    [damaged] damaged
    [over-size] over the size limit
    [over-weight] over the weight limit
    [prohibited] prohibited item
   *[other] { $reason }
}
