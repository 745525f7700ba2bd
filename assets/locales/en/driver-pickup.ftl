# A driver takes parcels away (src/tui/flows/driver_pickup.rs).
# [customer]: the driver across the counter reads it (the customer's language, F12).
# [clerk]: the clerk reads it (the clerk's language).

# [clerk]
driver-pickup-nothing-due = Nothing is due for a driver right now.
# [clerk]
driver-pickup-badge = Scan or type the driver's badge, then Enter.
# [clerk]
driver-pickup-carrier-locked = Choose the driver's carrier (F6) before parcels go onto the cart.
# [clerk]
driver-pickup-need-cart = Scan the parcels onto the cart first (or mark F4).
# [customer]
driver-pickup-title = DRIVER PICKUP (most urgent first)
# [clerk]
driver-pickup-pin-label = Your PIN to record this pickup:{ " " }
# [clerk]
driver-pickup-keys-scanning = Enter scan   empty Enter: QR   F4 not found   F5 badge   F6 carrier   Esc
# [clerk] The help popup, one line each.
driver-pickup-help =
    The list holds what is due: orders, expired holds, drop-offs, returns.
    Scan each parcel onto the cart; anything not on the list is refused.
    F4 marks the selected parcel as not found; F5 scans the driver's badge;
    F6 shows only what the driver's carrier takes (and the shop's own parcels).
    Empty Enter shows the driver's QR for the cart; then your PIN.
# [clerk]
driver-pickup-for-carrier = { $count ->
    [one] { $count } parcel
   *[other] { $count } parcels
} due for a { $carrier } driver.
# [clerk]
driver-pickup-for-any = { $count ->
    [one] { $count } parcel
   *[other] { $count } parcels
} due for any driver.
# [clerk]
driver-pickup-due = { $count ->
    [one] { $count } parcel
   *[other] { $count } parcels
} due. Scan each as it goes onto the driver's cart.
# [customer] Beside the QR: the title, then what the driver is asked to do.
driver-pickup-qr-title = DRIVER PICKUP
driver-pickup-qr-ask = Driver: scan this code
driver-pickup-qr-count = for { $count ->
    [one] { $count } parcel
   *[other] { $count } parcels
}:
driver-pickup-qr-binds = it binds this list.
# [clerk]
driver-pickup-badge-noted = Driver badge { $badge } noted.
# [clerk]
driver-pickup-already-on-cart = { $id } is already on the cart.
# [clerk]
driver-pickup-on-cart = { $id } on the cart.
# [clerk]
driver-pickup-not-on-list = NOT ON THE LIST: keep { $id } here ({ $why }).
# [clerk] Why a parcel is not on the list.
driver-pickup-held = it is held for its customer
driver-pickup-held-until = it is held for its customer until { $weekday } { $day } { $month }
driver-pickup-goes-with = it goes with { $carrier }
driver-pickup-is = it is { $status }
driver-pickup-no-record = the store has no record of it
# [clerk]
driver-pickup-no-code = Cannot show the driver's code: { $error }
# [customer] The totals the driver confirms, once recorded.
driver-pickup-recorded = Recorded: { $taken ->
    [one] { $taken } parcel
   *[other] { $taken } parcels
} left with the driver, { $not_found } not found.
# [customer] Under the title: what is on the cart, the carrier and the badge.
driver-pickup-summary = { $on_cart } of { $total } on the cart{ $carrier }{ $driver }
driver-pickup-summary-carrier = , { $carrier } driver
driver-pickup-summary-driver = , driver { $badge }
# [customer] The list's columns.
driver-pickup-column-shelf = Shelf
driver-pickup-column-id = Tracking id
driver-pickup-column-carrier = Carrier
driver-pickup-column-why = Why
driver-pickup-column-state = State
# [customer] A parcel's state in the list.
driver-pickup-state-fetch = … fetch
driver-pickup-state-on-cart = ✔ on the cart
driver-pickup-state-not-found = ! unable to find
# [customer] Why a parcel is due.
driver-pickup-why-order = shop order
driver-pickup-why-order-by = shop order, leave by { $time }
driver-pickup-why-late = { " " }! LATE
driver-pickup-why-drop-off = customer drop-off
driver-pickup-why-return = customer return
driver-pickup-why-expired = hold expired
driver-pickup-why-carrier = back to the carrier
