# La pantalla de inicio.

# L (bloquear) is in the help (?): the line has 80 columns.
home-keys = D entrega P recogida O envío S pedido T repart. F buscar E registro M gerente ?
# L (bloquear) and the rest are in the help (?): the line has 80 columns.
home-keys-local-delivery = D entrega P recogida O envío S pedido T repart. V local F buscar L bloquear ?
home-demo = ! DATOS DE PRUEBA: creados por `kiosk seed` para practicar; ningún paquete es real
home-no-expired = ✔ No hay paquetes vencidos esperando
home-expired = ! { $count ->
    [one] { $count } PAQUETE VENCIDO ESPERA: déselo al próximo repartidor
   *[other] { $count } PAQUETES VENCIDOS ESPERAN: déselos al próximo repartidor
}
home-orders-due = ! { $count ->
    [one] { $count } PEDIDO DEBE SALIR ANTES DE LAS { $time } y ningún repartidor se lo llevó
   *[other] { $count } PEDIDOS DEBEN SALIR ANTES DE LAS { $time } y ningún repartidor se los llevó
}
home-holds-ending = ! { $count ->
    [one] hoy vence { $count } plazo
   *[other] hoy vencen { $count } plazos
}
home-on-hand = { $on_hand } de { $capacity } paquetes en la tienda
home-over-capacity = ! SOBRE LA CAPACIDAD
home-shelves = Estantes
home-counter = Mostrador
home-today = Hoy:
home-received = { $count } recibidos
home-handed-over = { $count } entregados
home-no-holds-ending = hoy no vence ningún plazo
home-volume = Paquetes movidos, últimos { $days } días (hoy a la derecha, máx. { $peak })
home-next-closed = Próximos días cerrados
home-no-closed-days = ninguno en el próximo año
