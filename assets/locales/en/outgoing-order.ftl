# The shop's own outgoing orders (src/tui/flows/outgoing_order.rs). No customer is at the
# counter: every message is the clerk's [clerk], in the clerk's language.

outgoing-order-start = Must leave by (HH:MM, today): change it or press Enter.
outgoing-order-time-format = Type the time as HH:MM, e.g. 16:30.
outgoing-order-need-order = Scan at least one order first.
outgoing-order-title = OUTGOING ORDERS (the shop's own parcels for today's driver)
outgoing-order-setup-label = Must leave by (HH:MM):{ " " }
outgoing-order-pin-label = Your PIN to register these orders:{ " " }
outgoing-order-keys-setup = type HH:MM, Enter   Esc cancel
outgoing-order-keys-scanning = Enter add   empty Enter confirm   F4 shelf   Del remove   Esc cancel
# The help popup, one line each.
outgoing-order-help =
    Set the must-leave-by time (today), scan each packed order.
    They wait on the orders shelf (F4 puts the selected one elsewhere);
    the driver pickup list shows the most urgent first, and the home
    screen warns when one is close to its time.
outgoing-order-passed = { $time } has passed today; type a later time.
outgoing-order-scan = Scan each packed order's label (must leave by { $time }).
outgoing-order-added = { $id } added.
outgoing-order-recorded = Recorded: { $count ->
    [one] { $count } order
   *[other] { $count } orders
}, leaving by { $time }.
outgoing-order-summary = { $count ->
    [one] { $count } order
   *[other] { $count } orders
}, must leave by { $time }
outgoing-order-column-id = Tracking id
outgoing-order-column-carrier = Carrier
outgoing-order-column-shelf = Shelf
outgoing-order-column-leaves-by = Leaves by
