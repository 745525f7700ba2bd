# A customer collects (src/tui/flows/pickup.rs).
# [customer]: the customer reads it (the customer's language, F12): the title, their parcels
# and their count, the confirmation once recorded.
# [clerk]: the clerk reads it (the clerk's language): the steps, the ID check, keys, errors.

# [clerk]
pickup-start = Type or scan the customer's pickup code.
# [customer]
pickup-title = CUSTOMER PICKUP
# [clerk]
pickup-ask = Ask for the pickup code (on the customer's phone or notice).
# [clerk]
pickup-lost-code = Lost code? F2 finds the parcels by name, with an ID check.
# [clerk]
pickup-name-heading = Lost code: find the customer's parcels by name.
# [clerk]
pickup-name-hint = Then check a photo ID: its type and the last 4 characters.
# [clerk]
pickup-name-start = Type 3 or more letters of the customer's name and press Enter.
# [clerk]
pickup-name-too-short = Type 3 or more letters of the name.
# [clerk]
pickup-no-parcels = No parcels wait for this code. Check the code with the customer.
# [clerk]
pickup-scan-first = Scan each parcel as you hand it over (or mark it with F4/F6) first.
# [clerk]
pickup-code-label = Pickup code:{ " " }
# [clerk]
pickup-name-label = Customer's name:{ " " }
# [clerk]
pickup-pin-label = Your PIN to record this pickup:{ " " }
# [clerk]
pickup-id-type-prompt = Which ID is shown? 1-5 or ↑↓, then Enter.
# [clerk]
pickup-done = Done. Enter for home.
# [clerk]
pickup-wait-over = The wait is over: pickup codes are checked again.
# [clerk]
pickup-keys-code = type/scan the code, Enter   F2 lost code: find by name   Esc cancel
pickup-keys-name = type a name, Enter   ↑↓ choose, Enter   Esc back to the code
pickup-keys-proxy = type the name, Enter (empty: the addressee)   Esc back
pickup-keys-id-type = 1-5 or ↑↓, Enter   F7 someone else collects   Esc back
pickup-keys-last-four = type the last 4 letters or digits, Enter   Esc back
pickup-keys-parcels = Enter scan  empty Enter done  F4 not found  F6 refused  F7 proxy  Esc cancel
pickup-keys-partial = Enter yes, hand over only these   or scan   Esc back
pickup-keys-pin = type your PIN, Enter   Esc back
pickup-keys-done = Enter home
# [clerk] The help popup, one line each.
pickup-help =
    1. Type or scan the customer's pickup code.
       Lost code? F2: type the customer's name, choose them, then check a
       photo ID: its type and the last 4 characters of its number (never
       the whole number).
    2. Someone else collects? F7: type their name and check their ID.
    3. Fetch the parcels from the shelves shown and scan each as you hand
       it over. A parcel not for this customer is refused.
       F4: unable to find it.  F6: the customer refuses it.
    4. Enter on an empty line, then your PIN: all is recorded at once.
    After 5 wrong codes within a minute no code is checked for 30 seconds.
# [clerk] Shown in place of a name when the parcels name no one.
pickup-the-customer = the customer
# [clerk]
pickup-found = { $count ->
    [one] { $count } parcel
   *[other] { $count } parcels
} for { $customer }. Scan each as you hand it over.
# [customer] Under the title: whose parcels, and how many.
pickup-heading = For { $customer }: { $count ->
    [one] { $count } parcel
   *[other] { $count } parcels
}
# [clerk]
pickup-names-found = { $customers ->
    [0] No parcels are held for that name. Try part of the name.
    [one] 1 customer found. Enter to choose, then check their ID.
   *[other] { $customers } customers found. Choose one with ↑↓ and press Enter.
}
# [clerk]
pickup-check-id-of = Check the photo ID of { $person }: which ID is it?
pickup-proxy-id = The ID of { $proxy }, who collects for { $customer }:
pickup-addressee-id = The ID of { $customer }, the addressee:
pickup-proxy-hint = Someone else collects for { $customer }: their photo ID is checked next.
pickup-last-four-label = Last 4 characters of the { $id_type } number:{ " " }
pickup-proxy-label = Who collects for { $customer }? Name (empty: { $customer }):{ " " }
pickup-proxy-start = Type the name of the person collecting, then check their ID.
pickup-plain = Collected with the code by the addressee. F7: someone else collects.
# [clerk] The parts of the line saying how the parcels were found, who collects and the ID
# checked, joined with "; ": "Found by name; the addressee collects; ID: passport ending 48A1".
pickup-evidence-by-name = found by name
pickup-evidence-proxy = { $name } collects (proxy)
pickup-evidence-addressee = the addressee collects
pickup-evidence-no-id = no ID checked
pickup-evidence-id = ID: { $id }
# [clerk] An ID checked: its type and the last 4 characters of its number.
pickup-id-check = { $id_type } ending { $last_four }
# [clerk] The types of photo ID, by the code the ledger keeps.
pickup-id-type = { $id_type ->
    [driving_licence] driving licence
    [passport] passport
    [national_id_card] national ID card
    [residence_permit] residence permit
   *[other_photo_id] other photo ID
}
# [clerk]
pickup-id-checked = ID checked: { $check }. Scan each parcel as you hand it over.
pickup-wrong-parcel = WRONG PARCEL: { $id } is not for this customer. Do not hand it over.
pickup-already-scanned = { $id } was already scanned.
pickup-handed-over = { $id } handed over.
# [customer] The pickup confirmation, once recorded. $proxy is empty when the addressee
# collects.
pickup-recorded = Recorded: { $handed ->
    [one] { $handed } parcel
   *[other] { $handed } parcels
} handed over{ $exceptions ->
    [0] .
    [one] , 1 exception.
   *[other] , { $exceptions } exceptions.
}
# [customer] The same, when someone else collected for the customer.
pickup-recorded-proxy = Recorded: { $handed ->
    [one] { $handed } parcel
   *[other] { $handed } parcels
} handed over to { $proxy } (proxy){ $exceptions ->
    [0] .
    [one] , 1 exception.
   *[other] , { $exceptions } exceptions.
}
# [clerk] Where the parcels not handed over are: "shelf B", "shelves B and R".
pickup-shelves-none = no shelf
pickup-shelf = shelf { $shelf }
pickup-shelves = shelves { $list } and { $last }
# [clerk] Asked before the PIN when parcels were neither scanned nor marked:
# "1 of 2 parcels scanned; the other is on shelf B. Hand over only 1?"
pickup-partial = { $handed } of { $total ->
    [one] { $total } parcel
   *[other] { $total } parcels
} scanned; { $rest }. { $question }
pickup-partial-the-other = the other is on { $shelves }
pickup-partial-one-other = 1 other is on { $shelves }
pickup-partial-the-others = the other { $count } are on { $shelves }
pickup-partial-others = { $count } others are on { $shelves }
pickup-question-exception = Record only the exception?
pickup-question-exceptions = Record only the { $count } exceptions?
pickup-question-hand-over = Hand over only { $handed }?
pickup-partial-prompt-none = Enter: yes, record only that. Or scan:{ " " }
pickup-partial-prompt = Enter: yes, only { $handed }. Or scan:{ " " }
# [clerk] The wait after wrong codes.
pickup-wait-started = { $allowed } wrong codes within { $window } s: no code is checked for { $wait ->
    [one] { $wait } second
   *[other] { $wait } seconds
}.
pickup-still-waiting = Too many wrong codes: no code is checked for { $left } more { $left ->
    [one] second
   *[other] seconds
}. F2: by name.
pickup-countdown = ⏸ WAIT { $clock }  No pickup code is checked for { $left ->
    [one] { $left } second
   *[other] { $left } seconds
}.
# [clerk] Why what the clerk typed is not taken.
pickup-last-four-length = Type the last 4 letters or digits of the ID number (you typed { $count }).
pickup-last-four-characters = The last 4 characters of an ID number are letters or digits only.
pickup-proxy-name-empty = Type the name of the person collecting.
pickup-id-check-needed = An ID check is needed when the parcels are found by name or a proxy collects.
# [clerk] The lists' columns: customers found by name, ID types.
pickup-column-customer = Customer
pickup-column-held = Held
pickup-column-shelf = Shelf
pickup-column-key = Key
pickup-column-id-type = Type of photo ID
# [customer] The customer's parcels: columns and each parcel's state.
pickup-column-parcel-shelf = Shelf
pickup-column-id = Tracking id
pickup-column-carrier = Carrier
pickup-column-state = State
pickup-state-waiting = … fetch from shelf
pickup-state-handed-over = ✔ handed over
pickup-state-not-found = ! unable to find
pickup-state-refused = ! customer refused
# [clerk]
pickup-code-invalid = A pickup code is { $min }-{ $max } digits.
# [clerk] A pickup's evidence in a parcel's history (the search screen), parts joined by ", ".
pickup-history-by-name = found by name (no code)
pickup-history-addressee = collected by the addressee
pickup-history-proxy = collected by proxy { $name }
pickup-history-id = ID checked: { $check }
pickup-history-no-id = no ID checked
