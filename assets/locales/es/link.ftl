# El enlace con la oficina central: la barra de estado y la página del enlace en el escritorio.

link-ok = Central ✔
link-ok-ago = Central ✔ { $ago }
link-just-now = ahora mismo
link-minutes-ago = hace { $minutes } min
link-hours-ago = hace { $hours } h
link-days-ago = hace { $days } d
link-offline-since = Central sin conexión desde { $when }, { $waiting } en espera
link-sending = Central: enviando, { $waiting } en espera
link-down-compact = Central ✘ { $waiting } en espera
link-day-time = { $day } { $month } { $time }

desk-link-title = Enlace con la oficina central
desk-link-not-configured = No hay oficina central configurada: [head_office] url en kiosk.toml inicia el enlace.
desk-link-nothing-waits = ✔ Nada en espera: la oficina central tiene todos los eventos.
desk-link-no-receipt = Todavía no hay comprobante de la oficina central.
desk-link-receipts = Últimos comprobantes (acuse firmado de la oficina central):
desk-link-unreadable = ilegible
desk-link-waiting = … { $count ->
    [one] { $count } evento por enviar
   *[other] { $count } eventos por enviar
}; el más antiguo se registró el { $oldest }.
desk-link-receipt = {"  "}hasta el evento { $seq }, confirmado el { $at } (clave { $key })
