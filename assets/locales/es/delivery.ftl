# Entrega del repartidor (src/tui/flows/delivery.rs).
# [customer]: lo lee el repartidor del otro lado del mostrador (idioma del cliente, F12).
# [clerk]: lo lee el empleado (su idioma).

# [customer]
delivery-title = ENTREGA DEL REPARTIDOR
# [customer]
delivery-qr-ask = Repartidor: escanee este
delivery-qr-ask-app = código con la app.
# [clerk]
delivery-preparing = Preparando el código del repartidor…
# [clerk]
delivery-scan = Escanee cada paquete. Enter en una línea vacía al terminar.
# [clerk]
delivery-need-parcel = Primero escanee al menos un paquete.
# [clerk]
delivery-pin-label = Su PIN para registrar esta entrega:{ " " }
# [clerk]
delivery-write-codes = Escriba cada código de recogida nuevo en el aviso de su paquete.
# [clerk]
delivery-keys-qr = Enter el repartidor ya escaneó   Esc cancelar   F1 ayuda
# [clerk]
delivery-keys-scanning = Enter agregar  vacío: confirmar  F2 dañado  F4 estante  F5 gafete  Supr quitar
# [clerk]
delivery-keys-badge = escanee o escriba el gafete, Enter   Esc volver a escanear
# [clerk]
delivery-keys-recipient = escriba el nombre de la etiqueta, Enter   Esc no agregarlo
# [clerk]
delivery-keys-pin = escriba su PIN, Enter   Esc volver a los paquetes
# [clerk]
delivery-keys-done = Enter inicio
# [clerk]
delivery-recipient-label = Nombre del destinatario en la etiqueta:{ " " }
# [clerk]
delivery-badge-label = Gafete del repartidor:{ " " }
# [clerk]
delivery-badge = Escanee o escriba el gafete del repartidor y luego Enter.
# [clerk]
delivery-need-name = Escriba el nombre del destinatario como viene en la etiqueta: el paquete necesita dueño.
# [clerk]
delivery-help =
    1. El repartidor escanea el código QR (o escribe el código de 6 dígitos).
    2. Escanee cada paquete; la pantalla muestra su estante. Un escaneo
       repetido se señala y no se agrega. F2 marca el paquete elegido como
       rechazado por dañado, Supr lo quita. Un paquete no anunciado pide el
       nombre del destinatario de su etiqueta. F4 lo pone en otro estante.
       F5 escanea el gafete del repartidor (opcional; queda en el registro).
       Enter en una línea vacía cuando estén todos escaneados.
    3. Escriba su PIN: se registra todo junto, o nada.
# [clerk]
delivery-no-code = No se puede mostrar el código del repartidor: { $error }
# [clerk]
delivery-no-renewal = No se puede renovar el código del repartidor: { $error }
# [clerk]
delivery-removed = { $id } se quitó de esta entrega.
# [clerk]
delivery-duplicate = { $id } ya está en esta entrega (escaneo repetido).
# [clerk]
delivery-added-expected = { $id } anunciado -> estante { $shelf }
# [clerk]
delivery-added-unannounced = { $id } no anunciado (se hará un código de recogida) -> estante { $shelf }
# [clerk]
delivery-unannounced = { $id } no fue anunciado: escriba el nombre del destinatario de su etiqueta, Enter.
# [clerk]
delivery-label-not-name = Eso fue una etiqueta, no un nombre. Primero escriba el nombre del destinatario de { $id } y luego escanee el siguiente paquete.
# [clerk]
delivery-not-added = { $id } no se agregó (falta el nombre del destinatario).
# [clerk]
delivery-badge-noted = Gafete del repartidor { $badge } anotado.
# [customer]
delivery-recorded = { $refused ->
    [0] Registrado: { $received ->
        [one] { $received } paquete recibido
       *[other] { $received } paquetes recibidos
    }.
   *[other] Registrado: { $received ->
        [one] { $received } paquete recibido
       *[other] { $received } paquetes recibidos
    }, { $refused ->
        [one] { $refused } rechazado por dañado
       *[other] { $refused } rechazados por dañados
    }.
}
# [customer]
delivery-summary = { $received } por recibir, { $refused ->
    [one] { $refused } rechazado por dañado
   *[other] { $refused } rechazados por dañados
}; { $driver }
# [customer]
delivery-driver = repartidor { $badge }
delivery-no-badge = sin gafete (F5)
# [customer]
delivery-column-id = Rastreo
delivery-column-carrier = Empresa
delivery-column-recipient = Destinatario
delivery-column-shelf = Est.
delivery-column-state = Estado
# [customer]
delivery-state-refused = ✖ RECHAZADO: dañado
delivery-state-code = ✔ código { $code }
delivery-state-receive = ✔ recibir
delivery-state-receive-new-code = ✔ recibir + código
# [clerk]
delivery-on-hand = En la tienda: { $on_hand }/{ $capacity }. Enter para volver al inicio.
# [clerk]
delivery-over-capacity = { " " }! SOBRE LA CAPACIDAD
