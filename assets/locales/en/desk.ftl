# The manager's desk: its pages, keys, confirmations and what it says when an act is done.
# (The end-of-day report's body is in report.ftl.)

desk-title = MANAGER'S DESK
desk-your-pin = Your PIN:{" "}
desk-your-pin-please = Manager's desk: your PIN, please.
desk-managers-only = Only a manager can open the manager's desk.
desk-open = Manager's desk open.
desk-cancelled = Cancelled; nothing was changed.
desk-now-your-pin = Now your own PIN to confirm.
desk-confirm = Your PIN to { $act }:{" "}

desk-menu-1 = 1  Staff: add, disable, new PIN, clear a lockout
desk-menu-2 = 2  Import the carrier's expected parcels
desk-menu-3 = 3  Store: calendar and settings in force
desk-menu-4 = 4  Shelf check
desk-menu-5 = 5  Quit the kiosk
desk-menu-6 = 6  End-of-day report
desk-menu-7 = 7  Export a day for head office
desk-menu-8 = 8  Correct a mistaken record
desk-menu-9 = 9  Head office link: what waits, last receipts

desk-keys-confirm = your PIN to confirm, Enter   Esc cancel
desk-keys-entry = your PIN, Enter   Esc back
desk-keys-menu = 1-9 open a page   Esc home
desk-keys-staff = ↑↓ choose   A add   P new PIN   X disable   U unlock   G language   Esc back
desk-keys-staff-form = Tab next field   F3 role   F4 language   Enter next/save   Esc back
desk-keys-import = type the file's path, Enter   Esc back
desk-keys-back = Esc back
desk-keys-shelf-check = scan SHELF:X then its parcels   empty Enter: report   Esc back
desk-keys-report = ←→ day   ↑↓ PgUp PgDn Home End scroll   P print   Esc back
desk-keys-correct-chosen = ↑↓ record   F3 reason   Enter correct   or scan another   Esc back
desk-keys-correct = scan or type the parcel's id, Enter   Esc back
desk-keys-exporting = exporting…
desk-keys-export-anyway = Enter export anyway   ←→ day   Esc back
desk-keys-export = ←→ day   Enter export   Esc back

# The staff page and form.
desk-staff-col-number = No.
desk-staff-col-name = Name
desk-staff-col-role = Role
desk-staff-col-language = Language
desk-staff-col-state = State
desk-staff-active = active
desk-staff-disabled = disabled
desk-staff-waiting = waiting ({ $count ->
    [one] { $count } wrong PIN
   *[other] { $count } wrong PINs
})
# A member with no language of their own hears the counter's.
desk-staff-counter-language = { $language } (counter)
desk-form-name = Name:
desk-form-role = Role:
desk-form-language = Language:
desk-form-pin = PIN:
desk-form-pin-again = PIN again:
desk-form-role-value = { $role } (F3 to change)
desk-form-language-value = { $language } (F4 to change)
desk-form-new-pin-for = New PIN for staff { $id }

# Acts, as the PIN prompt names them, and what is said once done.
desk-act-add = add { $name } as { $role }
desk-act-set-lang = speak { $language } to staff { $id }
desk-act-reset-pin = set a new PIN for staff { $id }
desk-act-disable = disable staff { $id }
desk-act-unlock = clear the lockout of staff { $id }
desk-act-import = import { $count ->
    [one] { $count } announced parcel
   *[other] { $count } announced parcels
} from { $source }
desk-act-correct = correct event { $seq } of { $id }
desk-act-quit = quit the kiosk
desk-done = Done: { $done }.
desk-done-added = { $name } is staff number { $id }
desk-done-set-lang = staff { $id } reads { $language } from their next sign-in
desk-done-reset-pin = staff { $id } has a new PIN and is enabled
desk-done-disabled = staff { $id } is disabled
desk-done-unlocked = staff { $id } may try again
desk-done-corrected = event { $seq } undone; { $id } is now { $status }
desk-done-quitting = quitting
desk-unknown = unknown

desk-import-what = The carrier's file: CSV with tracking_id, recipient_name, pickup_code[, postal_code].
desk-import-file = File:{" "}
desk-import-read = { $count ->
    [one] { $count } parcel read from { $source }; your PIN to import it.
   *[other] { $count } parcels read from { $source }; your PIN to import them.
}
desk-import-unreadable = cannot read { $path }: { $error }
desk-import-refused = { $path }: { $error }
# What an import did, its parts joined by commas ("3 newly announced, 1 refused").
desk-imported-new = { $count } newly announced
desk-imported-again = { $count } re-announced
desk-imported-unchanged = { $count } unchanged
desk-imported-refused = { $count } refused

desk-store-capacity = Capacity { $capacity }; { $capabilities }; service area { $area }
desk-store-none = none
desk-store-closed = closed
desk-store-hours = Hours:
desk-store-next-closed = Next closed: { $days }
desk-store-holds = Holds { $days } days ({ $counting }); orders leave by { $leave_by }; QR codes live { $qr_seconds } s
desk-store-closed-days-count = closed days count
desk-store-open-days = open days
desk-store-pins = PINs: argon2id m={ $memory } t={ $iterations } p={ $parallelism }, { $digits }+ digits; idle lock { $idle } s; kiosk mode { $kiosk_mode }
desk-store-on = on
desk-store-off = off
desk-store-ledger = Ledger: { $path }

desk-report-preparing = Preparing the report for { $day } { $spinner }
desk-more-above = ↑ more above
desk-more-below = ↓ { $count ->
    [one] { $count } more line
   *[other] { $count } more lines
}

desk-export-what = Export { $day } (store time) to { $folder }
desk-export-how = CSV and JSON with a signed manifest; check with `kiosk verify-export`.
desk-export-progress = { $done } of { $total } events
desk-export-done = done
desk-export-failed = failed
desk-export-enter-again = press Enter again to export
desk-export-enter = press Enter to start
desk-export-unfinished = ! { $day } has not ended: events recorded later that day will not be in this export, and its manifest will say "complete": false.
desk-export-again = ! This day was exported before; this export goes to a new folder, { $folder }.
desk-export-anyway = Enter: export anyway   Esc: back
# A finished export.
desk-exported = ✔ { $count ->
    [one] { $count } event
   *[other] { $count } events
} exported to { $folder } (manifest signed with key { $key })
desk-exported-unfinished = ✔ { $count ->
    [one] { $count } event
   *[other] { $count } events
} exported to { $folder } (manifest signed with key { $key }); the day was not over: "complete": false

desk-shelf-start = Scan a shelf label (SHELF:A) then every parcel on it; Enter on empty when done.
desk-shelf-scan = Scan:{" "}
desk-shelf-status = Shelf { $shelf }; { $count ->
    [one] { $count } parcel
   *[other] { $count } parcels
} scanned
desk-shelf-chosen = Shelf { $shelf }: scan its parcels.
desk-shelf-scanned = { $id } on shelf { $shelf }.
desk-not-a-label = Not a parcel label: { $reason }.
desk-shelf-saved = Report saved: { $file }
desk-shelf-not-saved = The report could not be saved ({ $error }); it is on screen.
# The report file beside the ledger: its first lines.
desk-shelf-file-heading = Shelf check at { $at } ({ $store })
desk-shelf-file-checked = shelves checked: { $shelves }
desk-shelf-file-counts = scanned { $scanned }, on record there { $on_record }

desk-correct-start = Scan or type the id of the parcel whose record was a mistake, then Enter.
desk-correct-choose = Choose the mistaken record (↑↓) and the reason (F3), then Enter and your PIN.
desk-correct-rule = Only the latest record of a parcel can be corrected.
desk-correct-nothing = Scan or type a parcel's id first.
desk-correct-not-on-record = { $id } is not in the store's records.
desk-correct-not-an-id = Not a parcel's id: { $reason }.
desk-correct-refused = Event { $seq } ({ $kind }) cannot be corrected. Only the latest record of a parcel can be corrected.
desk-correct-undo = Undo event { $seq } ({ $kind }) as { $reason }: your PIN.
desk-correct-parcel = Parcel:{" "}
desk-correct-reason = Reason (F3 to change): { $reason }
desk-correct-of-event = { $kind } of event { $seq }
desk-correct-latest = latest
desk-correct-col-record = Record
desk-correct-col-by = By
desk-correct-records = Its records
desk-correct-command-line = command line
desk-correct-staff = staff { $id }

desk-reason-scanned_in_error = scanned in error
desk-reason-wrong_parcel = wrong parcel scanned
desk-reason-recorded_twice = recorded twice
desk-reason-wrong_kind = wrong kind of handoff
desk-reason-other = other

# The shelf check's findings.
desk-shelf-missing = MISSING     { $id } (shelf { $shelf }, { $status })
desk-shelf-found-nowhere = with no shelf scanned
desk-shelf-found-on = on { $shelf }
desk-shelf-wrong-shelf = WRONG SHELF { $id } found { $found }, recorded on { $shelf }
desk-shelf-unexpected = UNEXPECTED  { $id } found { $found }; on record as { $status }
desk-shelf-unexpected-unknown = UNEXPECTED  { $id } found { $found }; not on record
desk-shelf-none-checked = No shelf label was scanned, so no shelf was checked.
desk-shelf-all-found = All { $count ->
    [one] { $count } parcel
   *[other] { $count } parcels
} on record on shelf { $shelves } were found where they should be.
desk-shelf-list = { $first } and { $last }
