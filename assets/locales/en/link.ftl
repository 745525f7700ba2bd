# The live link to head office: the status bar and the desk's link page (the clerk's language).

link-ok = HQ ✔
link-ok-ago = HQ ✔ { $ago }
link-just-now = just now
link-minutes-ago = { $minutes } min ago
link-hours-ago = { $hours } h ago
link-days-ago = { $days } d ago
link-offline-since = HQ offline since { $when }, { $waiting } waiting
link-sending = HQ sending, { $waiting } waiting
link-down-compact = HQ ✘ { $waiting } waiting
# An earlier day's time: "24 Nov 09:14".
link-day-time = { $day } { $month } { $time }

desk-link-title = Head office link
desk-link-not-configured = No head office is set up: [head_office] url in kiosk.toml starts the link.
desk-link-nothing-waits = ✔ Nothing waits: head office holds every event.
desk-link-no-receipt = No receipt from head office yet.
desk-link-receipts = Last receipts (head office's signed acknowledgement):
desk-link-unreadable = cannot be read
desk-link-waiting = … { $count ->
    [one] { $count } event
   *[other] { $count } events
} to send, the oldest recorded { $oldest }.
desk-link-receipt = {"  "}up to event { $seq }, acknowledged { $at } (key { $key })
