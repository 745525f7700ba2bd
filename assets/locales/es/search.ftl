# Buscar un paquete y su historia; el nombre de cada estado del paquete (se muestra, nunca se registra).

search-start = Escanee o escriba un número de rastreo (o parte), un nombre o un estante.
search-keys = escriba para buscar   ↑↓ elegir   Enter historia   Esc borrar/inicio
search-keys-history = Esc volver a los resultados   P reimprimir su último comprobante
search-title = BUSCAR UN PAQUETE
search-field = Buscar:{" "}
search-history-title = HISTORIA DEL PAQUETE
search-now = ahora: { $status }
search-on-shelf = estante { $shelf }
search-recorded-at-counter = Registrado en el mostrador
search-history-note = Evento { $seq }: { $evidence }.
search-missing = ! no está
search-announced = … anunciado, aún no llega ({ $carrier })
search-type-more = Escriba 3 caracteres o más (o un estante)
search-found = { $count ->
    [one] { $count } encontrado
   *[other] { $count } encontrados
}
search-found-announced = { $count ->
    [one] { $count } encontrado
   *[other] { $count } encontrados
}, { $announced ->
    [one] { $announced } anunciado que aún no llega
   *[other] { $announced } anunciados que aún no llegan
}
# The timeline's first column is 5 wide.
search-col-event = Núm.
search-col-when = Cuándo
search-col-status = Estado
search-when = { $day } { $month } { $time }

search-status-held_for_customer = guardado para su cliente
search-status-awaiting_driver = espera al repartidor
search-status-out_for_delivery = en reparto local
search-status-collected = recogido por el cliente
search-status-with_driver = se fue con un repartidor
search-status-delivered = entregado en reparto local
search-status-refused_at_receipt = rechazado en el mostrador
search-status-recorded_in_error = registrado por error
