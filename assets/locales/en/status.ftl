# The status bar, the help overlay, the too-small screen and the read-only screen.

status-open = ● OPEN
status-closed = ○ CLOSED
status-nobody = nobody signed in
status-read-only = READ-ONLY
status-demo = DEMO DATA
# The status bar's clock: "Tue 24 Nov 10:00".
status-clock = { $weekday } { $day } { $month } { $time }
status-not-recording = NOT RECORDING: { $alarm }

status-enlarge = Enlarge the window
status-too-small = { $enlarge }: the kiosk needs at least { $min_width }x{ $min_height } (now { $width }x{ $height }).

status-read-only-keys = F10 quit (manager PIN)
status-read-only-title = ! READ-ONLY: THIS KIOSK CANNOT RECORD HANDOFFS
status-read-only-ledger = The ledger { $path } cannot be written
status-read-only-body =
    (the file or its folder is write-protected, or the disk is mounted read-only).
    {""}
    Nothing can be received, handed over or taken in until it is fixed. Do not
    hand parcels over without recording them: ask the manager to make the data
    folder writable for the kiosk's user, then restart the kiosk.
status-read-only-still-works = `kiosk verify` and `kiosk export` still work on a read-only ledger.

status-help-title = Help (Esc closes)
status-help-customer-language = F12  language of the customer (this handoff; going home resets it)
status-help-enrol =
    Type your name, then a PIN twice; F3 chooses your language.
    Tab moves between the fields; Enter on the last one enrols you.
    You become a manager and can add staff with `kiosk staff add`.
status-help-sign-in =
    Choose yourself with the arrow keys or by typing your staff number,
    press Enter, type your PIN and press Enter.
    After 5 wrong PINs in a row each try must wait; after 10 the account
    is disabled until a manager resets the PIN.
    F10 quits the kiosk (a manager's PIN is needed).
status-help-home =
    D  a driver delivers parcels      T  a driver takes parcels away
    P  a customer collects            O  a customer drops off / returns
    S  the shop's own outgoing orders V  local delivery (rural stores)
    X  a parcel found damaged in the store
    F  find a parcel and its history  E  the ledger (events by day)
    M  manager's desk                 R  refresh   L  lock the screen
    The red line lists expired parcels: give them to the next driver.
status-help-search =
    Type or scan any part of a tracking id (3+ characters), a name, or a
    shelf. Enter shows the parcel's whole history; there P prints its
    last slip again, marked REPRINT (the reprint is logged).
status-help-ledger =
    Events of a day, newest first. ←/→ change the day, F3 filters by
    kind, F4 by staff. ↑↓ choose an event, Enter shows its parcels (Esc
    goes back). The chain is re-checked in the background.
    P prints the chosen event's slip again, marked REPRINT (logged).
    When a slip did not print, F9 prints it again on any screen.
status-help-desk =
    Managers only. Each change is confirmed with your PIN at that moment
    and is recorded in the ledger under your name. 8 corrects a parcel's
    latest record (nothing is edited): it goes back to where it was before.
status-help-read-only =
    The ledger cannot be written, so no handoff can be recorded.
    Make the data folder writable for the kiosk's user and restart.
