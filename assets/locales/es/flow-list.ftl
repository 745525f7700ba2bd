# Palabras que comparten los flujos del mostrador (src/tui/flows/list.rs y mod.rs).
# Cada mensaje dice de quién es: [clerk] lo que lee el empleado (teclas, instrucciones,
# errores, PIN), en su idioma; [customer] lo que lee quien está del otro lado del mostrador
# (el cliente, o el repartidor en sus entregas), en el idioma del cliente (F12 lo cambia).

## Cantidades

# [customer]
flow-parcels = { $count ->
    [one] { $count } paquete
   *[other] { $count } paquetes
}

# [customer]
flow-carrier-other = otra
# [customer]
flow-carrier-post = correo { $country }

## El estante que el empleado escribe con F4

# [clerk]
flow-shelf-entry = Escriba el estante del paquete elegido, Enter. Esc lo deja igual.
# [clerk]
flow-shelf-needs-parcel = Primero escanee un paquete; luego F4 para cambiar su estante.
# [clerk]
flow-shelf-label = Estante:{ " " }
# [clerk]
flow-shelf-keys = escriba el estante, Enter   Esc dejar el estante sugerido
# [clerk]
flow-shelf-set = { $id } -> estante { $shelf } (cambiado por el empleado).

## Los pasos que comparten los flujos de lista

# [clerk]
flow-keys-qr = Enter el repartidor ya escaneó   Esc volver a la lista
# [clerk]
flow-keys-pin = escriba su PIN, Enter   Esc volver
# [clerk]
flow-keys-done = Enter inicio
# [clerk]
flow-scan-label = Escanee:{ " " }
# [clerk]
flow-done-next = Listo. Enter para volver al inicio.
# [clerk]
flow-scan-cleared = Línea de escaneo borrada.
# [clerk]
flow-duplicate = { $id } ya está en esta lista (escaneo repetido).

## Registro

# [clerk]
flow-not-recorded = { $error }. No se registró nada.
# [clerk]
flow-over-capacity = { $words } ! Sobre la capacidad: { $on_hand } en la tienda.

## Etiquetas

# [clerk]
flow-not-a-label = No es una etiqueta de paquete: { $reason }.
# [clerk]
flow-carrier-not-taken = { $id } es un paquete de { $carrier }, que esta tienda no acepta ([carriers] en kiosk.toml).
# [clerk]
flow-already-held = el paquete { $id } ya está en la tienda ({ $status ->
        [held_for_customer] guardado para su cliente
        [awaiting_driver] esperando al repartidor
        [out_for_delivery] en reparto local
       *[other] { $status }
    }); no se puede recibir otra vez. Está en el estante { $shelf }.
# [clerk]
flow-label-empty = el escaneo está vacío
flow-label-bad-character = el escaneo tiene { $what }, que ninguna etiqueta tiene: escanee de nuevo o escríbalo
flow-label-check-digit = el dígito de control no coincide: escanee de nuevo o escríbalo (leído como número { $format })
flow-label-unknown-format = no es un formato de etiqueta conocido: { $shown } ({ $length } caracteres)
flow-label-unknown-post = { $code } no es un correo que emita números de rastreo: escanee de nuevo o escríbalo
flow-label-routing-only = este código de barras solo tiene un código postal ({ $postal_code }): escanee el de rastreo
flow-label-several-parts = el escaneo tiene { $count } partes: escanee una etiqueta a la vez

## El estado de un paquete ([clerk]; el registro guarda el código)

flow-status = { $status ->
    [held_for_customer] guardado para su cliente
    [awaiting_driver] esperando al repartidor
    [out_for_delivery] en reparto local
    [collected] recogido por el cliente
    [with_driver] en manos de un repartidor
    [delivered] entregado en reparto local
    [refused_at_receipt] rechazado en el mostrador
    [recorded_in_error] registrado por error
   *[other] { $status }
}
