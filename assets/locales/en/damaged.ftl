# A parcel found damaged in the store (src/tui/flows/damaged.rs). No customer is at the
# counter: every message is the clerk's [clerk], in the clerk's language.

damaged-start = Scan each damaged parcel. F2 changes how it is damaged.
damaged-need-parcel = Scan at least one damaged parcel first.
damaged-title = FOUND DAMAGED IN THE STORE (goes back to the carrier)
damaged-pin-label = Your PIN to record the damage:{ " " }
damaged-keys-scanning = Enter add   empty Enter confirm   F2 damage   Del remove   Esc
# The help popup, one line each.
damaged-help =
    For a parcel found damaged while the store holds it.
    Scan each one; F2 cycles how it is damaged; Del removes the selected one.
    Enter on an empty line, then your PIN. The parcels then wait for the
    next driver, who takes them back to the carrier.
damaged-summary = { $count ->
    [one] { $count } parcel
   *[other] { $count } parcels
} found damaged
damaged-added = { $id } (shelf { $shelf }) added: take it off the shelf.
damaged-unknown = { $id } is not in the store's records.
damaged-not-held = { $id } is { $status }: only a parcel the store holds can be recorded damaged.
damaged-recorded = Recorded: { $count ->
    [one] { $count } parcel damaged; it waits
   *[other] { $count } parcels damaged; they wait
} for the next driver.
damaged-column-shelf = Shelf
damaged-column-id = Tracking id
damaged-column-carrier = Carrier
damaged-column-damage = Damage
# How a parcel is damaged. The ledger keeps the English words ($damage) whatever the
# language: this is only how they are shown.
damaged-damage = { $damage ->
    [crushed] crushed
    [wet] wet
    [torn-open] torn open
    [contents-broken] contents broken
   *[other] damaged
}
