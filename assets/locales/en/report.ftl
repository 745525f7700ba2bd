# The end-of-day report's body, as the manager's desk shows it and the day-report slip prints
# it (src/report_text.rs). Lines are at most 48 columns: a label, then its figure at the right.
# The command line's `kiosk report` keeps its own English (src/domain/report.rs).

# "End of day  Tue 24 Nov 2026".
report-end-of-day = End of day  { $date }
report-opening = Opening on hand
report-received = Received
report-handed-over = Handed over
report-exceptions = Exceptions
report-corrections = Corrections
report-receipts-undone = receipts undone
report-handovers-undone = handovers undone
report-others-undone = other records undone
report-holds-expired = Holds expired today
report-closing = Closing on hand
# $sum: "12 + 8 - 5 = 15".
report-check = Check: { $sum }
report-check-ok = OK
report-check-mismatch = MISMATCH !
report-investigate = ! Closing on hand is { $closing }: investigate
report-by-carrier = By carrier
# Column heads over each carrier's parcels in and out (5 and 6 columns wide, or wider).
report-carrier-in = in
report-carrier-out = out
report-none = none
report-by-staff = Handoffs by staff
report-chain-head = Chain head after event { $seq }
