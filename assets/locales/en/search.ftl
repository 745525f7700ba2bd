# Find a parcel, and a parcel's history; the words for each parcel state (shown, never recorded).

search-start = Scan or type a tracking id (any part), a name or a shelf.
search-keys = type to search   ↑↓ choose   Enter history   Esc clear/home
search-keys-history = Esc back to the results   P reprint its last slip
search-title = FIND A PARCEL
search-field = Search:{" "}
search-history-title = PARCEL HISTORY
search-now = now: { $status }
search-on-shelf = shelf { $shelf }
search-recorded-at-counter = Recorded at the counter
search-history-note = Event { $seq }: { $evidence }.
search-missing = ! missing
search-announced = … announced, not here yet ({ $carrier })
search-type-more = Type 3 or more characters (or a shelf)
search-found = { $count } found
search-found-announced = { $count } found, { $announced } announced and not here yet
# The timeline's first column is 5 wide.
search-col-event = Event
search-col-when = When
search-col-status = Status
# A moment in a timeline: "24 Nov 10:00".
search-when = { $day } { $month } { $time }

search-status-held_for_customer = held for its customer
search-status-awaiting_driver = waiting for a driver
search-status-out_for_delivery = out for local delivery
search-status-collected = collected by the customer
search-status-with_driver = gone with a driver
search-status-delivered = delivered locally
search-status-refused_at_receipt = refused at the counter
search-status-recorded_in_error = recorded in error
