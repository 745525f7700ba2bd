# The lock screen, the quit screen, the first manager's enrolment, and every PIN field.

signin-title-locked = LOCKED: choose yourself and enter your PIN
signin-title-quit = QUIT THE KIOSK: a manager signs
signin-staff = Staff
signin-disabled = disabled
signin-role-clerk = clerk
signin-role-manager = manager
signin-pin-for = PIN for { $name }:{" "}
signin-selected = Selected:{" "}
signin-press-enter = {"   "}press Enter to type the PIN
signin-keys-choose = ↑↓ or number choose   Enter PIN   F10 quit (manager)   F1 help
signin-keys-choose-manager = ↑↓ or number: choose a manager   Enter: PIN   Esc back
signin-keys-pin = type the PIN, Enter   Esc choose someone else
signin-manager-to-quit = To quit the kiosk a manager enters their PIN.
signin-only-manager-quits = Only a manager can quit the kiosk.
signin-signed-in = Signed in as { $name }.
signin-enrolled = { $name } is manager number { $id }. Sign in with the new PIN.

signin-enrol-title = WELCOME: enrol the first manager
signin-enrol-intro-1 = This kiosk has no staff yet. The first person enrolled is a manager, who can
signin-enrol-intro-2 = then add the rest of the staff.
signin-enrol-name = Name:
signin-enrol-pin = PIN:
signin-enrol-pin-again = PIN again:
signin-enrol-language = Language:
# The language chosen, and the one F3 switches to.
signin-enrol-language-value = { $language }   (F3: { $other })
signin-enrol-language-chosen = Language: { $language }. The counter speaks it to you from sign-in.
signin-enrol-remember = Nobody can read a PIN back, not even a manager: remember it.
signin-enrol-keys = Tab next field   Enter next / enrol   F3 language   F10 leave
signin-enrol-leave = Leave? Nothing is enrolled yet. F10 or y: leave the kiosk; other keys: stay.
signin-enrol-staying = Staying: enrol the first manager.

# Names refused (lower case: the screen adds the capital and the full stop).
signin-name-empty = a name cannot be empty
signin-name-too-long = a name has at most { $max } characters
signin-name-disguising = a name cannot contain { $what }: invisible, control and direction characters could disguise it
signin-name-taken = { $existing } (staff number { $id }) already has that name: add an initial to tell them apart

# PIN fields: the rules for a new PIN, its refusals, and a PIN check's refusals.
signin-pin-rules = PIN rules: { $min }-{ $max } digits; not a common PIN, not one digit repeated, not a run like 123456.
signin-pin-not-digits = a PIN has only digits
signin-pin-too-short = a PIN has at least { $min } digits
signin-pin-too-long = a PIN has at most { $max } digits
signin-pin-too-common = that PIN is too easy to guess (a common PIN, one digit repeated, or a run like 123456)
signin-pin-mismatch = the two PINs differ
signin-pin-checking = checking { $spinner }
signin-pin-empty-enter = Type your PIN first, then press Enter (nothing was tried).
signin-pin-wrong = wrong staff number or PIN
signin-pin-wrong-warned = wrong staff number or PIN: { $tries ->
    [one] { $tries } try
   *[other] { $tries } tries
} left before a { $wait } wait
signin-pin-wait-seconds = { $seconds } s
signin-pin-wait-minutes = { $minutes } min
signin-pin-locked-out = too many wrong PINs: try again at { $until }
signin-pin-disabled = this account is disabled; a manager must reset the PIN
signin-pin-kiosk-locked = too many wrong PINs at this kiosk: only a manager can sign in until { $until }
