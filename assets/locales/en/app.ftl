# What the app itself says on the message line (src/tui/app, src/tui/text.rs).

app-kiosk-mode-keys = Kiosk mode: this key does not end the kiosk. To quit, lock the screen and press F10 (manager PIN).
app-recorded-nothing = Nothing was recorded.
app-code-refusal-not-recorded = The wrong code could not be put on record
app-idle-locked = Locked after a while without activity. Any unfinished handoff was discarded.
app-idle-warning = Locking in { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
} for lack of use: an unfinished handoff is discarded. Press any key to stay.
app-esc-again = Press Esc again to discard this handoff (nothing is recorded).
app-handoff-discarded = Handoff discarded. Nothing was recorded.
app-locked = Locked.
app-quit-from-home = To quit, lock the screen (L) and press F10: a manager's PIN is needed.
app-ledger-unreadable = Could not read the ledger: { $error }
app-worker-stopped = The background worker stopped; restart the kiosk.
app-pin-checker-stopped = The PIN checker stopped; restart the kiosk.
app-checkpoint-failed = The end-of-day checkpoint failed: { $error }
