# Reparto local con el repartidor propio de la tienda (src/tui/flows/local_delivery.rs). El
# repartidor es de la tienda: todos los mensajes son del empleado [clerk], en su idioma.

local-delivery-not-offered = Esta tienda no hace reparto local (falta LOCAL_DELIVERY en kiosk.toml).
local-delivery-start = Escanee los paquetes que salen en este reparto. F3: registrar un reparto que volvió.
local-delivery-back = Para cada paquete: F7 entregado (otra vez: otra nota), F8 o escanear: devuelto.
local-delivery-nothing = Todavía no hay nada que registrar.
local-delivery-title-out = REPARTO LOCAL: armar un reparto
local-delivery-title-back = REPARTO LOCAL: el reparto volvió
local-delivery-pin-label = Su PIN para registrar:{ " " }
local-delivery-keys-out = Enter agregar   Enter vacío confirmar   F3 volvió un reparto   Esc cancelar
local-delivery-keys-back = F7 entregado/nota  F8/escaneo: devuelto  vacío: confirmar  F3 reparto nuevo
local-delivery-help =
    Arme un reparto: escanee paquetes guardados (solo del área de servicio).
    F3 cuando el repartidor vuelve: F7 entregado (otra vez: otra nota),
    F8 o un escaneo: devuelto al estante. Enter vacío y luego su PIN.
local-delivery-summary = { $count ->
    [one] { $count } paquete
   *[other] { $count } paquetes
}; área de servicio { $area }
local-delivery-brought-back = { $id } devuelto.
local-delivery-already-on-run = { $id } ya está en este reparto.
local-delivery-was-not-out = { $id } no había salido a reparto.
local-delivery-unknown = { $id } no está en los registros de la tienda.
local-delivery-cannot-go = { $id } no puede ir en este reparto: { $reason }.
local-delivery-not-held = está { $status }, no guardado para un cliente
local-delivery-no-postal-code = no tiene código postal de entrega registrado, así que no se puede revisar el área de servicio
local-delivery-outside-area = va a { $postal_code }, fuera del área de servicio ({ $area })
local-delivery-joins = { $id } se suma al reparto ({ $postal_code }).
local-delivery-recorded = Registrado: { $out } en reparto, { $delivered } entregados, { $back } devueltos.
local-delivery-column-id = Rastreo
local-delivery-column-carrier = Empresa
local-delivery-column-recipient = Destinatario
local-delivery-column-postal = C.P.
local-delivery-column-state = Estado
local-delivery-state-going = → sale en este reparto
local-delivery-state-waiting = … sin registrar aún
local-delivery-state-brought-back = ! devuelto
local-delivery-state-delivered = ✔ { $note ->
    [recipient] entregado al destinatario
    [neighbour] dejado con un vecino
    [safe-place] dejado en lugar seguro
   *[other] entregado
}
