# Los comprobantes impresos. Caben en 32 y 48 columnas: el texto se corta solo entre palabras.

## Títulos
slip-title-drop-off = COMPROBANTE DE ENVÍO
slip-title-return = COMPROBANTE DE DEVOLUCIÓN
slip-title-notice = ¡SU PAQUETE YA LLEGÓ!
slip-title-manifest = MANIFIESTO DEL REPARTIDOR
slip-title-run-sheet = RUTA DE REPARTO LOCAL
slip-title-day-report = REPORTE DE CIERRE DEL DÍA

## Reimpresiones
slip-reprint-mark = *** REIMPRESIÓN ***
slip-reprint-of = Copia del registro #{ $seq }, impresa de nuevo.

## Fechas y horas, en la hora de la tienda
# "25/11/2026 15:05:03 MST"
slip-moment = { $day }/{ $month }/{ $year } { $time }
# "mar 01/12/2026"
slip-day = { $weekday } { $day }/{ $month }/{ $year }
slip-hours-open = { $weekday } { $hours }
slip-hours-closed = { $weekday } cerrado

## Etiquetas
slip-time = Hora
slip-clerk = Le atendió
slip-record = Registro
slip-carrier = Paquetería
slip-parcels = Paquetes
slip-refused-because = Motivo

slip-carrier-post = correo ({ $country })
slip-carrier-other = otra

## Comprobantes
slip-taken-in = { $count ->
    [one] { $count } paquete recibido
   *[other] { $count } paquetes recibidos
}
slip-refused = { $count ->
    [one] { $count } paquete rechazado
   *[other] { $count } paquetes rechazados
}
slip-receipt-qr = Firmado por la tienda. ¿Dudas? Verifíquelo con: kiosk verify-receipt
slip-keep-receipt = { $count ->
    [one] Guarde este comprobante: prueba que la tienda recibió su paquete.
   *[other] Guarde este comprobante: prueba que la tienda recibió sus paquetes.
}
slip-reason-damaged = dañado
slip-reason-size = excede el tamaño permitido
slip-reason-weight = excede el peso permitido
slip-reason-prohibited = artículo prohibido

## Avisos de recogida
slip-notice-for = Para
slip-notice-parcel = Paquete que termina en
slip-notice-code = Código de recogida
slip-notice-hold = Se guarda hasta
slip-notice-hours = Horario de la tienda
slip-notice-bring = Traiga este aviso y una identificación con foto.
slip-code-not-reprinted = el código no se reimprime: pídalo en el mostrador

## Manifiestos del repartidor
slip-driver = Gafete del repartidor
slip-token = Token de confirmación
slip-fallback = Código alterno
slip-no-token = ninguno
slip-driver-signs = Firma del repartidor

## Rutas de reparto local
slip-courier = Repartidor
slip-stops = Paradas
slip-n-stops = { $count ->
    [one] { $count } parada
   *[other] { $count } paradas
}
slip-stop-heading = Parada { $number }: { $parcels ->
    [one] { $parcels } paquete
   *[other] { $parcels } paquetes
}
slip-no-address = { $postal_code } (dirección no anunciada: vea la etiqueta del paquete)
slip-outcome = Resultado (entregado / nadie en casa / rechazado)

## Reporte del día (sus líneas son las del reporte)
slip-report-day = Día
