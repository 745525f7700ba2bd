# Recolección: un repartidor se lleva paquetes (src/tui/flows/driver_pickup.rs).
# [customer]: lo lee el repartidor del otro lado del mostrador (idioma del cliente, F12).
# [clerk]: lo lee el empleado (su idioma).

# [clerk]
driver-pickup-nothing-due = Por ahora no hay nada para el repartidor.
# [clerk]
driver-pickup-badge = Escanee o escriba el gafete del repartidor y luego Enter.
# [clerk]
driver-pickup-carrier-locked = Elija la paquetería del repartidor (F6) antes de cargar paquetes.
# [clerk]
driver-pickup-need-cart = Primero escanee los paquetes al carrito (o marque F4).
# [customer]
driver-pickup-title = RECOLECCIÓN (lo más urgente primero)
# [clerk]
driver-pickup-pin-label = Su PIN para registrar esta recolección:{ " " }
# [clerk]
driver-pickup-keys-scanning = Enter escanear  Enter vacío: QR  F4 no está  F5 gafete  F6 paquetería  Esc
# [clerk]
driver-pickup-help =
    Lista de lo pendiente: pedidos, plazos vencidos, envíos y devoluciones.
    Escanee cada paquete al carrito; lo que no está en la lista se rechaza.
    F4 marca el paquete elegido como no encontrado; F5 escanea el gafete;
    F6 muestra solo lo que lleva esa paquetería (y los paquetes de la tienda).
    Enter vacío muestra el QR del repartidor para el carrito; luego su PIN.
# [clerk]
driver-pickup-for-carrier = { $count ->
    [one] { $count } paquete pendiente
   *[other] { $count } paquetes pendientes
} para un repartidor de { $carrier }.
# [clerk]
driver-pickup-for-any = { $count ->
    [one] { $count } paquete pendiente
   *[other] { $count } paquetes pendientes
} para cualquier repartidor.
# [clerk]
driver-pickup-due = { $count ->
    [one] { $count } paquete pendiente
   *[other] { $count } paquetes pendientes
}. Escanee cada uno al subirlo al carrito del repartidor.
# [customer]
driver-pickup-qr-title = RECOLECCIÓN
driver-pickup-qr-ask = Repartidor: escanee este
driver-pickup-qr-count = código para { $count ->
    [one] { $count } paquete;
   *[other] { $count } paquetes;
}
driver-pickup-qr-binds = queda ligado a esta lista.
# [clerk]
driver-pickup-badge-noted = Gafete del repartidor { $badge } anotado.
# [clerk]
driver-pickup-already-on-cart = { $id } ya está en el carrito.
# [clerk]
driver-pickup-on-cart = { $id } en el carrito.
# [clerk]
driver-pickup-not-on-list = NO ESTÁ EN LA LISTA: deje { $id } aquí ({ $why }).
# [clerk]
driver-pickup-held = está guardado para su cliente
driver-pickup-held-until = está guardado para su cliente hasta el { $weekday } { $day } { $month }
driver-pickup-goes-with = va con { $carrier }
driver-pickup-is = está { $status }
driver-pickup-no-record = la tienda no lo tiene registrado
# [clerk]
driver-pickup-no-code = No se puede mostrar el código del repartidor: { $error }
# [customer]
driver-pickup-recorded = Registrado: { $taken ->
    [one] { $taken } paquete se fue
   *[other] { $taken } paquetes se fueron
} con el repartidor, { $not_found } no { $not_found ->
    [one] encontrado
   *[other] encontrados
}.
# [customer]
driver-pickup-summary = { $on_cart } de { $total } en el carrito{ $carrier }{ $driver }
driver-pickup-summary-carrier = , repartidor de { $carrier }
driver-pickup-summary-driver = , gafete { $badge }
# [customer]
driver-pickup-column-shelf = Est.
driver-pickup-column-id = Rastreo
driver-pickup-column-carrier = Empresa
driver-pickup-column-why = Motivo
driver-pickup-column-state = Estado
# [customer]
driver-pickup-state-fetch = … traer
driver-pickup-state-on-cart = ✔ en el carrito
driver-pickup-state-not-found = ! no se encontró
# [customer]
driver-pickup-why-order = pedido de la tienda
driver-pickup-why-order-by = pedido, sale antes de { $time }
driver-pickup-why-late = { " " }! TARDE
driver-pickup-why-drop-off = envío de cliente
driver-pickup-why-return = devolución de cliente
driver-pickup-why-expired = plazo vencido
driver-pickup-why-carrier = vuelve a la paquetería
