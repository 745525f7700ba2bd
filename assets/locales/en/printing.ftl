# What the counter says about printing, to the clerk (in the clerk's language).

printing-no-printer = No printer is set up ([printer] in kiosk.toml): nothing printed.
printing-nothing-to-reprint = This record has no slip to print.
printing-no-record-chosen = Choose a record first.
printing-notice-from-history = Pickup notices print again one at a time: F, the parcel, Enter, then P.
# $why: the printer and what went wrong; $waiting: how many slips F9 would print.
printing-not-printed = Not printed ({ $why }). The record stands. F9 prints { $waiting ->
    [one] it
   *[other] all { $waiting }
} again.
# The day report is not a record: nothing to say about one when it does not print.
printing-report-not-printed = Not printed ({ $why }). F9 prints { $waiting ->
    [one] it
   *[other] all { $waiting }
} again.
# $slip: receipt, pickup-notice, driver-manifest, run-sheet or day-report.
printing-reprinting = Printing the { $slip ->
    [receipt] receipt
    [pickup-notice] pickup notice
    [driver-manifest] driver manifest
    [run-sheet] run sheet
    [day-report] day report
   *[other] slip
} of record #{ $seq } again (marked REPRINT).
printing-reprint-not-logged = The reprint could not be logged, so nothing printed: { $error }.
printing-again = Printing again.
printing-day-report = The day's report is on its way to the printer.
# When the worker's printer lane has stopped.
printing-lane = printer lane
printing-lane-stopped = stopped; restart the kiosk
