# The ledger view, and the words for each kind of recorded event (shown, never recorded).

ledger-keys = ←→ day  F3 kind  F4 staff  ↑↓ PgUp PgDn  Enter parcels  P reprint  Esc home
ledger-keys-detail = Esc back to the day's events
ledger-title = LEDGER  { $day }  kind: { $kind }  staff: { $staff }
ledger-all = all
ledger-admin = admin
ledger-chain-checking = checking the chain { $spinner }
ledger-chain-verified = chain verified up to event { $events }
ledger-chain-failed = CHECK FAILED: { $reason }
# Why: the check's own words ($fault, $what) as it said them.
ledger-chain-at-event = at event { $seq }: { $fault }
ledger-chain-edited = { $what } edited
ledger-n-events = { $count ->
    [one] { $count } event
   *[other] { $count } events
}
ledger-col-event = Event
ledger-col-time = Time
ledger-col-what = What
ledger-col-staff = Staff
ledger-col-with = With
ledger-col-detail = Detail
ledger-col-tracking-id = Tracking id
ledger-col-shelf = Shelf
ledger-col-recipient = Recipient
ledger-event-heading = Event { $seq }  { $time }  { $what }
ledger-event-staff = Staff { $staff }   with { $with }
ledger-event-note = Note: { $note }
ledger-no-parcels = This event moved no parcel.

ledger-kind-driver_delivery = driver delivery
ledger-kind-delivery_refused_damaged = refused at delivery
ledger-kind-customer_pickup = customer pickup
ledger-kind-customer_drop_off = customer drop-off
ledger-kind-customer_return = customer return
ledger-kind-outgoing_order = outgoing order
ledger-kind-driver_pickup = driver pickup
ledger-kind-local_delivery_out = out for local delivery
ledger-kind-local_delivery_delivered = delivered locally
ledger-kind-local_delivery_returned = back from local delivery
ledger-kind-unable_to_find = unable to find
ledger-kind-customer_refused = customer refused
ledger-kind-drop_off_refused = drop-off refused
ledger-kind-damaged = damaged
ledger-kind-staff_enrolled = staff enrolled
ledger-kind-staff_disabled = staff disabled
ledger-kind-staff_pin_reset = PIN reset
ledger-kind-staff_unlocked = staff unlocked
ledger-kind-expected_parcels_imported = expected parcels imported
ledger-kind-state_sealed = state sealed (upgrade)
ledger-kind-demo_data_marked = marked as demo data
ledger-kind-correction = correction
ledger-kind-pickup_code_refused = pickup code refused
ledger-kind-slip_reprinted = slip reprinted

# Who was on the other side of a handoff (the ledger keeps the code; shown in the ledger and
# a parcel's history).
ledger-counterparty-driver = driver
ledger-counterparty-customer = customer
ledger-counterparty-carrier = carrier
ledger-counterparty-store = store
