# Los pedidos propios de la tienda (src/tui/flows/outgoing_order.rs). No hay cliente en el
# mostrador: todos los mensajes son del empleado [clerk], en su idioma.

outgoing-order-start = Debe salir antes de (HH:MM, hoy): cámbielo o presione Enter.
outgoing-order-time-format = Escriba la hora como HH:MM, p. ej. 16:30.
outgoing-order-need-order = Primero escanee al menos un pedido.
outgoing-order-title = PEDIDOS DE SALIDA (paquetes de la tienda para el repartidor de hoy)
outgoing-order-setup-label = Debe salir antes de (HH:MM):{ " " }
outgoing-order-pin-label = Su PIN para registrar estos pedidos:{ " " }
outgoing-order-keys-setup = escriba HH:MM, Enter   Esc cancelar
outgoing-order-keys-scanning = Enter agregar   Enter vacío confirmar   F4 estante   Supr quitar   Esc
outgoing-order-help =
    Fije la hora límite de salida (hoy) y escanee cada pedido empacado.
    Esperan en el estante de pedidos (F4 pone el elegido en otro lado);
    la lista de recolección muestra primero los más urgentes, y la pantalla
    de inicio avisa cuando a uno le queda poco tiempo.
outgoing-order-passed = Las { $time } ya pasaron hoy; escriba una hora más tarde.
outgoing-order-scan = Escanee la etiqueta de cada pedido empacado (sale antes de las { $time }).
outgoing-order-added = { $id } agregado.
outgoing-order-recorded = Registrado: { $count ->
    [one] { $count } pedido
   *[other] { $count } pedidos
}, salen antes de las { $time }.
outgoing-order-summary = { $count ->
    [one] { $count } pedido
   *[other] { $count } pedidos
}, deben salir antes de las { $time }
outgoing-order-column-id = Rastreo
outgoing-order-column-carrier = Empresa
outgoing-order-column-shelf = Est.
outgoing-order-column-leaves-by = Sale antes de
