# Words the whole counter and the slips share.

language-name = English
# Said when F12 switches what the customer reads (and the slips) for this handoff.
customer-language = Customer's language: { $language }. F12 switches it back.

n-parcels = { $count ->
    [one] { $count } parcel
   *[other] { $count } parcels
}

# A date as a person reads it: "Thu 26 Nov 2026".
date-long = { $weekday } { $day } { $month } { $year }
weekday-short-1 = Mon
weekday-short-2 = Tue
weekday-short-3 = Wed
weekday-short-4 = Thu
weekday-short-5 = Fri
weekday-short-6 = Sat
weekday-short-7 = Sun
month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec
