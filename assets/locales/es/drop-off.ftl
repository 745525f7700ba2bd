# Un cliente deja un envío o una devolución (src/tui/flows/drop_off.rs).
# [customer]: lo lee el cliente (idioma del cliente, F12).
# [clerk]: lo lee el empleado (su idioma).

# [clerk]
drop-off-not-offered = Esta tienda no recibe envíos (falta DROP_OFF en kiosk.toml).
# [clerk]
drop-off-start = Escriba el nombre o la referencia del cliente y luego Enter.
# [clerk]
drop-off-scan = Escanee la etiqueta de cada paquete. F2 rechazar, F3 envío/devolución, F4 estante.
# [clerk]
drop-off-need-reference = Primero escriba el nombre o la referencia del cliente.
# [clerk]
drop-off-need-parcel = Primero escanee al menos un paquete.
# [customer]
drop-off-title-drop-off = ENVÍO DEL CLIENTE (F3: devolución)
# [customer]
drop-off-title-return = DEVOLUCIÓN DEL CLIENTE (F3: envío)
# [clerk]
drop-off-setup-label = Nombre o referencia del cliente:{ " " }
# [clerk]
drop-off-pin-label-drop-off = Su PIN para registrar este envío:{ " " }
# [clerk]
drop-off-pin-label-return = Su PIN para registrar esta devolución:{ " " }
# [clerk]
drop-off-keys-setup = escriba el nombre o la referencia, Enter   Esc cancelar
# [clerk]
drop-off-keys-scanning = Enter agregar  vacío confirmar  F2 rechazar/motivo  F3 envío/devol.  F4 estante
# [clerk]
drop-off-help =
    Escriba quién lo trae (nombre o referencia) y escanee cada etiqueta.
    F2 rechaza el paquete elegido y cambia el motivo (dañado, tamaño,
    peso, prohibido); F3 cambia entre envío y devolución.
    F4 pone el paquete elegido en un estante distinto al sugerido.
    Enter en una línea vacía y su PIN: los rechazos también se registran.
# [clerk]
drop-off-added = { $id } agregado.
# [customer]
drop-off-recorded = Registrado: { $taken ->
    [one] { $taken } paquete recibido
   *[other] { $taken } paquetes recibidos
}, { $refused ->
    [one] { $refused } rechazado
   *[other] { $refused } rechazados
}.
# [customer] $kind es drop_off o return.
drop-off-summary = De { $from }: { $taken } por recibir como { $kind ->
    [return] DEVOLUCIÓN
   *[drop_off] ENVÍO
}, { $refused ->
    [one] { $refused } rechazado
   *[other] { $refused } rechazados
}
# [customer]
drop-off-column-id = Rastreo
drop-off-column-carrier = Empresa
drop-off-column-shelf = Est.
drop-off-column-condition = Estado
# [customer]
drop-off-accepted = ✔ aceptado
drop-off-refused = ✖ RECHAZADO: { $reason }
# [customer] El registro guarda las palabras en inglés ($reason) en cualquier idioma: esto
# es solo cómo se muestran.
drop-off-reason = { $reason ->
    [damaged] dañado
    [over-size] excede el tamaño máximo
    [over-weight] excede el peso máximo
    [prohibited] artículo prohibido
   *[other] { $reason }
}
