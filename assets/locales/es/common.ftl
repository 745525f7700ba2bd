# Palabras que comparten todo el mostrador y los comprobantes.

language-name = Español
customer-language = Idioma del cliente: { $language }. F12 lo cambia de nuevo.

n-parcels = { $count ->
    [one] { $count } paquete
   *[other] { $count } paquetes
}

date-long = { $weekday } { $day } { $month } { $year }
weekday-short-1 = lun
weekday-short-2 = mar
weekday-short-3 = mié
weekday-short-4 = jue
weekday-short-5 = vie
weekday-short-6 = sáb
weekday-short-7 = dom
month-short-1 = ene
month-short-2 = feb
month-short-3 = mar
month-short-4 = abr
month-short-5 = may
month-short-6 = jun
month-short-7 = jul
month-short-8 = ago
month-short-9 = sept
month-short-10 = oct
month-short-11 = nov
month-short-12 = dic
