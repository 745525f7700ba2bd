# A driver delivers (src/tui/flows/delivery.rs).
# [customer]: the driver across the counter reads it (the customer's language, F12).
# [clerk]: the clerk reads it (the clerk's language).

# [customer]
delivery-title = DRIVER DELIVERY
# [customer] Beside the QR, under the title.
delivery-qr-ask = Driver: scan this code
delivery-qr-ask-app = with the carrier app.
# [clerk]
delivery-preparing = Preparing the driver's code…
# [clerk]
delivery-scan = Scan each parcel. Enter on an empty line when all are scanned.
# [clerk]
delivery-need-parcel = Scan at least one parcel first.
# [clerk]
delivery-pin-label = Your PIN to record this delivery:{ " " }
# [clerk]
delivery-write-codes = Write each new pickup code on its parcel's notice.
# [clerk]
delivery-keys-qr = Enter driver has scanned   Esc cancel   F1 help
# [clerk]
delivery-keys-scanning = Enter add  empty Enter confirm  F2 damaged  F4 shelf  F5 badge  Del remove  Esc
# [clerk]
delivery-keys-badge = type or scan the badge, Enter   Esc back to scanning
# [clerk]
delivery-keys-recipient = type the name from the label, Enter   Esc do not add it
# [clerk]
delivery-keys-pin = type your PIN, Enter   Esc back to the parcels
# [clerk]
delivery-keys-done = Enter home
# [clerk]
delivery-recipient-label = Recipient's name from the label:{ " " }
# [clerk]
delivery-badge-label = Driver's badge:{ " " }
# [clerk]
delivery-badge = Scan or type the driver's badge, then Enter.
# [clerk]
delivery-need-name = Type the recipient's name as the label shows it: the parcel needs an owner.
# [clerk] The help popup, one line each.
delivery-help =
    1. The driver scans the QR code (or types the 6-digit code).
    2. Scan each parcel; the screen shows its shelf. A duplicate scan is
       flagged, not added. F2 marks the selected parcel refused as damaged,
       Del removes it. An unannounced parcel asks for the recipient's name
       from its label. F4 puts the selected parcel on another shelf.
       F5 scans the driver's badge (optional; recorded with the delivery).
       Enter on an empty line when all are scanned.
    3. Type your PIN: everything is recorded at once, or nothing.
# [clerk]
delivery-no-code = Cannot show the driver's code: { $error }
# [clerk]
delivery-no-renewal = Cannot renew the driver's code: { $error }
# [clerk]
delivery-removed = { $id } removed from this delivery.
# [clerk]
delivery-duplicate = { $id } is already in this delivery (duplicate scan).
# [clerk]
delivery-added-expected = { $id } expected -> shelf { $shelf }
# [clerk]
delivery-added-unannounced = { $id } unannounced (a pickup code will be made) -> shelf { $shelf }
# [clerk]
delivery-unannounced = { $id } was not announced: type the recipient's name from its label, Enter.
# [clerk]
delivery-label-not-name = That was a parcel label, not a name. Type the recipient's name for { $id } first, then scan the next parcel.
# [clerk]
delivery-not-added = { $id } not added (no recipient's name).
# [clerk]
delivery-badge-noted = Driver badge { $badge } noted.
# [customer] The totals the driver confirms, once recorded.
delivery-recorded = { $refused ->
    [0] Recorded: { $received ->
        [one] { $received } parcel
       *[other] { $received } parcels
    } received.
   *[other] Recorded: { $received ->
        [one] { $received } parcel
       *[other] { $received } parcels
    } received, { $refused } refused as damaged.
}
# [customer] Under the title: what is received and refused, and the driver's badge.
delivery-summary = { $received } to receive, { $refused } refused as damaged; { $driver }
# [customer] Who delivers, in the summary.
delivery-driver = driver { $badge }
delivery-no-badge = no badge scanned (F5)
# [customer] The list's columns.
delivery-column-id = Tracking id
delivery-column-carrier = Carrier
delivery-column-recipient = Recipient
delivery-column-shelf = Shelf
delivery-column-state = State
# [customer] A parcel's state in the list.
delivery-state-refused = ✖ REFUSED (damaged)
delivery-state-code = ✔ code { $code }
delivery-state-receive = ✔ receive
delivery-state-receive-new-code = ✔ receive, new code
# [clerk] Under the list once recorded.
delivery-on-hand = On hand now { $on_hand }/{ $capacity }. Enter for home.
# [clerk]
delivery-over-capacity = { " " }! OVER CAPACITY
