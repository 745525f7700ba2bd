# The printed slips: receipts, pickup notices, driver manifests, run sheets, the day report's
# frame. Slips are laid out at 32 or 48 columns and wrap at spaces; ids stand on lines of their
# own. Printed in the customer's language for the handoff (F12), else the clerk's.

## Titles
slip-title-drop-off = DROP-OFF RECEIPT
slip-title-return = RETURN RECEIPT
slip-title-notice = PARCEL WAITING FOR YOU
slip-title-manifest = DRIVER MANIFEST
slip-title-run-sheet = LOCAL DELIVERY RUN
slip-title-day-report = END-OF-DAY REPORT

## Reprints
# The first line of a reprint, so it cannot pass for a second handoff.
slip-reprint-mark = *** REPRINT ***
slip-reprint-of = Copy of record #{ $seq }, printed again.

## Dates and times, in the store's time zone
# When the slip's record was made: "2026-11-25 15:05:03 MST".
slip-moment = { $year }-{ $month }-{ $day } { $time }
# A day: "Tue 2026-12-01".
slip-day = { $weekday } { $year }-{ $month }-{ $day }
# One line of the week's opening hours: "Mon 09:00-19:00" ("Mon 09:00-12:30, 14:00-19:00").
slip-hours-open = { $weekday } { $hours }
slip-hours-closed = { $weekday } closed

## Labels
slip-time = Time
slip-clerk = Clerk
slip-record = Record
slip-carrier = Carrier
slip-parcels = Parcels
slip-refused-because = Refused

## Carriers whose name is a word rather than a brand
slip-carrier-post = post ({ $country })
slip-carrier-other = other

## Receipts
slip-taken-in = { $count ->
    [one] { $count } parcel taken in
   *[other] { $count } parcels taken in
}
slip-refused = { $count ->
    [one] { $count } parcel refused
   *[other] { $count } parcels refused
}
slip-receipt-qr = Signed by the store. Check it with: kiosk verify-receipt
slip-keep-receipt = { $count ->
    [one] Keep this receipt as proof that the store took your parcel.
   *[other] Keep this receipt as proof that the store took your parcels.
}
# Why a drop-off was refused, as the counter records it (the record keeps the English).
slip-reason-damaged = damaged
slip-reason-size = over the size limit
slip-reason-weight = over the weight limit
slip-reason-prohibited = prohibited item

## Pickup notices
slip-notice-for = For
slip-notice-parcel = Parcel ending
slip-notice-code = Pickup code
slip-notice-hold = Held until
slip-notice-hours = Opening hours
slip-notice-bring = Bring this notice and a photo ID.
# The code exists only when the parcel is recorded; a reprint cannot show it.
slip-code-not-reprinted = code not reprinted: ask at the counter

## Driver manifests
slip-driver = Driver badge
slip-token = Handshake token
slip-fallback = Fallback code
slip-no-token = none
slip-driver-signs = Driver's signature

## Local delivery runs
slip-courier = Courier
slip-stops = Stops
slip-n-stops = { $count ->
    [one] { $count } stop
   *[other] { $count } stops
}
slip-stop-heading = Stop { $number }: { $parcels ->
    [one] { $parcels } parcel
   *[other] { $parcels } parcels
}
slip-no-address = { $postal_code } (address not announced: see the parcel label)
slip-outcome = Outcome (delivered / not home / refused)

## The day report (its lines are the report's own)
slip-report-day = Day
