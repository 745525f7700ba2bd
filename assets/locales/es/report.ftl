# El cuerpo del reporte de cierre del día, como lo muestra el escritorio del gerente y lo
# imprime el comprobante del reporte (src/report_text.rs). Líneas de 48 columnas como máximo:
# una etiqueta y su cifra a la derecha. `kiosk report` en la línea de comandos sigue en inglés.

report-end-of-day = Cierre del día  { $date }
report-opening = Paquetes al abrir
report-received = Recibidos
report-handed-over = Entregados
report-exceptions = Incidencias
report-corrections = Correcciones
report-receipts-undone = recepciones anuladas
report-handovers-undone = entregas anuladas
report-others-undone = otros registros anulados
report-holds-expired = Plazos vencidos hoy
report-closing = Paquetes al cerrar
report-check = Cuadre: { $sum }
report-check-ok = CUADRA
report-check-mismatch = NO CUADRA !
report-investigate = ! Al cerrar hay { $closing }: revise la diferencia
report-by-carrier = Por paquetería
report-carrier-in = entran
report-carrier-out = salen
report-none = ninguno
report-by-staff = Paquetes por empleado
report-chain-head = Cadena hasta el evento { $seq }
