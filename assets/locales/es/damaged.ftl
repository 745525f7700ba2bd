# Un paquete encontrado dañado en la tienda (src/tui/flows/damaged.rs). No hay cliente en el
# mostrador: todos los mensajes son del empleado [clerk], en su idioma.

damaged-start = Escanee cada paquete dañado. F2 cambia el tipo de daño.
damaged-need-parcel = Primero escanee al menos un paquete dañado.
damaged-title = ENCONTRADO DAÑADO EN LA TIENDA (vuelve a la paquetería)
damaged-pin-label = Su PIN para registrar el daño:{ " " }
damaged-keys-scanning = Enter agregar   Enter vacío confirmar   F2 daño   Supr quitar   Esc
damaged-help =
    Para un paquete que se encuentra dañado mientras está en la tienda.
    Escanee cada uno; F2 cambia el tipo de daño; Supr quita el elegido.
    Enter en una línea vacía y luego su PIN. Los paquetes esperan al
    siguiente repartidor, que los devuelve a la paquetería.
damaged-summary = { $count ->
    [one] { $count } paquete encontrado dañado
   *[other] { $count } paquetes encontrados dañados
}
damaged-added = { $id } (estante { $shelf }) agregado: quítelo del estante.
damaged-unknown = { $id } no está en los registros de la tienda.
damaged-not-held = { $id } está { $status }: solo un paquete que la tienda guarda se puede registrar como dañado.
damaged-recorded = Registrado: { $count ->
    [one] { $count } paquete dañado; espera
   *[other] { $count } paquetes dañados; esperan
} al siguiente repartidor.
damaged-column-shelf = Est.
damaged-column-id = Rastreo
damaged-column-carrier = Empresa
damaged-column-damage = Daño
damaged-damage = { $damage ->
    [crushed] aplastado
    [wet] mojado
    [torn-open] roto
    [contents-broken] contenido roto
   *[other] dañado
}
