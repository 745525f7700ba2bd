# The home screen.

home-keys = D deliver P pickup O drop-off S order T driver F find E ledger M desk L lock ?
home-keys-local-delivery = D deliver P pickup O drop-off S order T driver V local F find L lock ? all keys
home-demo = ! DEMO DATA: made by `kiosk seed` for practice; no parcel here is real
home-no-expired = ✔ No expired parcels waiting
home-expired = ! { $count ->
    [one] { $count } EXPIRED PARCEL WAITING: give it to the next driver
   *[other] { $count } EXPIRED PARCELS WAITING: give them to the next driver
}
home-orders-due = ! { $count ->
    [one] { $count } SHOP ORDER MUST LEAVE BY { $time } and no driver has taken it yet
   *[other] { $count } SHOP ORDERS MUST LEAVE BY { $time } and no driver has taken them yet
}
home-holds-ending = ! { $count ->
    [one] { $count } hold ends today
   *[other] { $count } holds end today
}
home-on-hand = { $on_hand } of { $capacity } parcels on hand
home-over-capacity = ! OVER CAPACITY
home-shelves = Shelves
home-counter = Counter
home-today = Today:
home-received = { $count } received
home-handed-over = { $count } handed over
home-no-holds-ending = no holds end today
home-volume = Parcels moved, last { $days } days (today right, peak { $peak })
home-next-closed = Next closed days
home-no-closed-days = none in the next year
