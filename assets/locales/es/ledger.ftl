# La vista del registro y el nombre de cada tipo de evento (se muestra, nunca se registra).

ledger-keys = ←→ día F3 tipo F4 empleado ↑↓ RePág AvPág Enter paquetes P reimprimir Esc salir
ledger-keys-detail = Esc volver a los eventos del día
ledger-title = REGISTRO  { $day }  tipo: { $kind }  empleado: { $staff }
ledger-all = todos
ledger-admin = admin
ledger-chain-checking = comprobando la cadena { $spinner }
ledger-chain-verified = cadena comprobada hasta el evento { $events }
ledger-chain-failed = FALLÓ LA COMPROBACIÓN: { $reason }
ledger-chain-at-event = en el evento { $seq }: { $fault }
ledger-chain-edited = { $what }: modificado
ledger-n-events = { $count ->
    [one] { $count } evento
   *[other] { $count } eventos
}
ledger-col-event = Evento
ledger-col-time = Hora
ledger-col-what = Qué
ledger-col-staff = Empleado
ledger-col-with = Con
ledger-col-detail = Detalle
ledger-col-tracking-id = Número de rastreo
ledger-col-shelf = Estante
ledger-col-recipient = Destinatario
ledger-event-heading = Evento { $seq }  { $time }  { $what }
ledger-event-staff = Empleado { $staff }   con { $with }
ledger-event-note = Nota: { $note }
ledger-no-parcels = Este evento no movió ningún paquete.

ledger-kind-driver_delivery = entrega del repartidor
ledger-kind-delivery_refused_damaged = rechazado al entregar
ledger-kind-customer_pickup = recogida del cliente
ledger-kind-customer_drop_off = envío del cliente
ledger-kind-customer_return = devolución del cliente
ledger-kind-outgoing_order = pedido de la tienda
ledger-kind-driver_pickup = recolección
ledger-kind-local_delivery_out = salió a reparto local
ledger-kind-local_delivery_delivered = entregado en reparto local
ledger-kind-local_delivery_returned = volvió del reparto local
ledger-kind-unable_to_find = no se encontró
ledger-kind-customer_refused = rechazado por el cliente
ledger-kind-drop_off_refused = envío rechazado
ledger-kind-damaged = dañado
ledger-kind-staff_enrolled = empleado registrado
ledger-kind-staff_disabled = empleado desactivado
ledger-kind-staff_pin_reset = PIN nuevo
ledger-kind-staff_unlocked = empleado desbloqueado
ledger-kind-expected_parcels_imported = anunciados importados
ledger-kind-state_sealed = estado sellado (actualización)
ledger-kind-demo_data_marked = marcado como prueba
ledger-kind-correction = corrección
ledger-kind-pickup_code_refused = código de recogida rechazado
ledger-kind-slip_reprinted = comprobante reimpreso

# Quién estuvo del otro lado de la entrega (el registro guarda el código; se muestra en el
# registro y en el historial de un paquete).
ledger-counterparty-driver = repartidor
ledger-counterparty-customer = cliente
ledger-counterparty-carrier = transportista
ledger-counterparty-store = tienda
