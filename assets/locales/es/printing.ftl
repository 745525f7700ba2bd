# Lo que el mostrador dice sobre la impresión, al empleado (en su idioma).

printing-no-printer = No hay impresora configurada ([printer] en kiosk.toml): no se imprimió nada.
printing-nothing-to-reprint = Este registro no tiene nada que imprimir.
printing-no-record-chosen = Primero elija un registro.
printing-notice-from-history = Los avisos de recogida se reimprimen de uno en uno: F, el paquete, Enter y luego P.
printing-not-printed = No se imprimió ({ $why }). El registro queda guardado. F9 { $waiting ->
    [one] lo vuelve a imprimir
   *[other] vuelve a imprimir los { $waiting }
}.
# El informe del día no es un registro: no hay nada que decir de uno si no se imprime.
printing-report-not-printed = No se imprimió ({ $why }). F9 { $waiting ->
    [one] lo vuelve a imprimir
   *[other] vuelve a imprimir los { $waiting }
}.
printing-reprinting = Se reimprime { $slip ->
    [receipt] el comprobante
    [pickup-notice] el aviso de recogida
    [driver-manifest] el manifiesto del repartidor
    [run-sheet] la hoja de ruta
    [day-report] el reporte del día
   *[other] el comprobante
} del registro #{ $seq }, marcado REIMPRESIÓN.
printing-reprint-not-logged = No se pudo anotar la reimpresión, así que no se imprimió nada: { $error }.
printing-again = Imprimiendo de nuevo.
printing-day-report = El reporte del día va a la impresora.
printing-lane = cola de impresión
printing-lane-stopped = se detuvo; reinicie el kiosco
