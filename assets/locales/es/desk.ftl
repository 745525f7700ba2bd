# El escritorio del gerente: sus páginas, teclas, confirmaciones y lo que dice al terminar.
# (El cuerpo del reporte de cierre está en report.ftl.)

desk-title = ESCRITORIO DEL GERENTE
desk-your-pin = Su PIN:{" "}
desk-your-pin-please = Escritorio del gerente: escriba su PIN, por favor.
desk-managers-only = Solo un gerente puede abrir el escritorio del gerente.
desk-open = Escritorio del gerente abierto.
desk-cancelled = Cancelado; no se cambió nada.
desk-now-your-pin = Ahora escriba su propio PIN para confirmar.
desk-confirm = Su PIN para { $act }:{" "}

desk-menu-1 = 1  Empleados: agregar, desactivar, PIN nuevo, quitar un bloqueo
desk-menu-2 = 2  Importar los paquetes anunciados por la paquetería
desk-menu-3 = 3  Tienda: calendario y ajustes vigentes
desk-menu-4 = 4  Revisar estantes
desk-menu-5 = 5  Salir del kiosco
desk-menu-6 = 6  Informe de cierre del día
desk-menu-7 = 7  Exportar un día para la oficina central
desk-menu-8 = 8  Corregir un movimiento equivocado
desk-menu-9 = 9  Enlace con la oficina central: pendientes, últimos acuses

desk-keys-confirm = su PIN para confirmar y Enter   Esc cancelar
desk-keys-entry = su PIN y Enter   Esc volver
desk-keys-menu = 1-9 abrir una página   Esc inicio
desk-keys-staff = ↑↓ elegir A agregar P PIN nuevo X desactivar U desbloquear G idioma Esc volver
desk-keys-staff-form = Tab otro campo   F3 puesto   F4 idioma   Enter siguiente/guardar   Esc volver
desk-keys-import = escriba la ruta del archivo y Enter   Esc volver
desk-keys-back = Esc volver
desk-keys-shelf-check = escanee SHELF:X y sus paquetes   Enter vacío: informe   Esc volver
desk-keys-report = ←→ día   ↑↓ RePág AvPág Inicio Fin   P imprimir   Esc volver
desk-keys-correct-chosen = ↑↓ movimiento   F3 motivo   Enter corregir   o escanee otro   Esc volver
desk-keys-correct = escanee o escriba el número del paquete y Enter   Esc volver
desk-keys-exporting = exportando…
desk-keys-export-anyway = Enter exportar de todos modos   ←→ día   Esc volver
desk-keys-export = ←→ día   Enter exportar   Esc volver

desk-staff-col-number = Núm.
desk-staff-col-name = Nombre
desk-staff-col-role = Puesto
desk-staff-col-language = Idioma
desk-staff-col-state = Estado
desk-staff-active = activo
desk-staff-disabled = desactivado
desk-staff-waiting = en espera ({ $count ->
    [one] { $count } fallo
   *[other] { $count } fallos
})
desk-staff-counter-language = { $language } (tienda)
desk-form-name = Nombre:
desk-form-role = Puesto:
desk-form-language = Idioma:
desk-form-pin = PIN:
desk-form-pin-again = Repita el PIN:
desk-form-role-value = { $role } (F3 lo cambia)
desk-form-language-value = { $language } (F4 lo cambia)
desk-form-new-pin-for = PIN nuevo para el empleado { $id }

desk-act-add = agregar a { $name } como { $role }
desk-act-set-lang = cambiar a { $language } el idioma del empleado { $id }
desk-act-reset-pin = dar un PIN nuevo al empleado { $id }
desk-act-disable = desactivar al empleado { $id }
desk-act-unlock = quitar el bloqueo del empleado { $id }
desk-act-import = importar { $count ->
    [one] { $count } paquete anunciado
   *[other] { $count } paquetes anunciados
} de { $source }
desk-act-correct = corregir el evento { $seq } de { $id }
desk-act-quit = salir del kiosco
desk-done = Listo: { $done }.
desk-done-added = { $name } es el empleado número { $id }
desk-done-set-lang = el empleado { $id } leerá { $language } desde su próximo inicio de sesión
desk-done-reset-pin = el empleado { $id } tiene un PIN nuevo y está activo
desk-done-disabled = el empleado { $id } está desactivado
desk-done-unlocked = el empleado { $id } puede volver a intentarlo
desk-done-corrected = evento { $seq } anulado; { $id } ahora está { $status }
desk-done-quitting = saliendo
desk-unknown = desconocido

desk-import-what = El archivo de la paquetería: CSV con tracking_id, recipient_name, pickup_code[, postal_code].
desk-import-file = Archivo:{" "}
desk-import-read = { $count ->
    [one] Se leyó { $count } paquete de { $source }; su PIN para importarlo.
   *[other] Se leyeron { $count } paquetes de { $source }; su PIN para importarlos.
}
desk-import-unreadable = no se puede leer { $path }: { $error }
desk-import-refused = { $path }: { $error }
desk-imported-new = { $count ->
    [one] { $count } anunciado por primera vez
   *[other] { $count } anunciados por primera vez
}
desk-imported-again = { $count ->
    [one] { $count } anunciado de nuevo
   *[other] { $count } anunciados de nuevo
}
desk-imported-unchanged = { $count } sin cambios
desk-imported-refused = { $count ->
    [one] { $count } rechazado
   *[other] { $count } rechazados
}

desk-store-capacity = Capacidad { $capacity }; { $capabilities }; zona de servicio { $area }
desk-store-none = ninguna
desk-store-closed = cerrado
desk-store-hours = Horario:
desk-store-next-closed = Próximos cierres: { $days }
desk-store-holds = Guardar { $days } días ({ $counting }); pedidos salen a las { $leave_by }; QR válido { $qr_seconds } s
desk-store-closed-days-count = cuentan los cerrados
desk-store-open-days = días abiertos
desk-store-pins = PIN: argon2id m={ $memory } t={ $iterations } p={ $parallelism }, { $digits }+ dígitos; bloqueo { $idle } s; kiosco { $kiosk_mode }
desk-store-on = sí
desk-store-off = no
desk-store-ledger = Registro: { $path }

desk-report-preparing = Preparando el informe del { $day } { $spinner }
desk-more-above = ↑ hay más arriba
desk-more-below = ↓ { $count ->
    [one] { $count } línea más
   *[other] { $count } líneas más
}

desk-export-what = Exportar el { $day } (hora de la tienda) a { $folder }
desk-export-how = CSV y JSON con un manifiesto firmado; compruébelo con `kiosk verify-export`.
desk-export-progress = { $done } de { $total } eventos
desk-export-done = listo
desk-export-failed = falló
desk-export-enter-again = pulse Enter otra vez para exportar
desk-export-enter = pulse Enter para empezar
desk-export-unfinished = ! El { $day } no ha terminado: lo que se registre más tarde ese día no estará en esta exportación, y su manifiesto dirá "complete": false.
desk-export-again = ! Este día ya se exportó; esta exportación va a una carpeta nueva, { $folder }.
desk-export-anyway = Enter: exportar de todos modos   Esc: volver
desk-exported = ✔ { $count ->
    [one] { $count } evento exportado
   *[other] { $count } eventos exportados
} a { $folder } (manifiesto firmado con la clave { $key })
desk-exported-unfinished = ✔ { $count ->
    [one] { $count } evento exportado
   *[other] { $count } eventos exportados
} a { $folder } (manifiesto firmado con la clave { $key }); el día no había terminado: "complete": false

desk-shelf-start = Escanee la etiqueta de un estante (SHELF:A) y luego cada paquete; Enter vacío al terminar.
desk-shelf-scan = Escanear:{" "}
desk-shelf-status = Estante { $shelf }; { $count ->
    [one] { $count } paquete escaneado
   *[other] { $count } paquetes escaneados
}
desk-shelf-chosen = Estante { $shelf }: escanee sus paquetes.
desk-shelf-scanned = { $id } en el estante { $shelf }.
desk-not-a-label = No es una etiqueta de paquete: { $reason }.
desk-shelf-saved = Informe guardado: { $file }
desk-shelf-not-saved = No se pudo guardar el informe ({ $error }); está en pantalla.
desk-shelf-file-heading = Revisión de estantes del { $at } ({ $store })
desk-shelf-file-checked = estantes revisados: { $shelves }
desk-shelf-file-counts = escaneados { $scanned }, registrados ahí { $on_record }

desk-correct-start = Escanee o escriba el número del paquete con el movimiento equivocado y pulse Enter.
desk-correct-choose = Elija el movimiento equivocado (↑↓) y el motivo (F3); luego Enter y su PIN.
desk-correct-rule = Solo se puede corregir el último movimiento de un paquete.
desk-correct-nothing = Primero escanee o escriba el número de un paquete.
desk-correct-not-on-record = { $id } no está en los registros de la tienda.
desk-correct-not-an-id = No es un número de paquete: { $reason }.
desk-correct-refused = El evento { $seq } ({ $kind }) no se puede corregir. Solo se puede corregir el último movimiento de un paquete.
desk-correct-undo = Anular el evento { $seq } ({ $kind }) por { $reason }: su PIN.
desk-correct-parcel = Paquete:{" "}
desk-correct-reason = Motivo (F3 lo cambia): { $reason }
desk-correct-of-event = { $kind } del evento { $seq }
desk-correct-latest = último
desk-correct-col-record = Movimiento
desk-correct-col-by = Quién
desk-correct-records = Sus movimientos
desk-correct-command-line = línea de comandos
desk-correct-staff = empleado { $id }

desk-reason-scanned_in_error = escaneado por error
desk-reason-wrong_parcel = se escaneó otro paquete
desk-reason-recorded_twice = registrado dos veces
desk-reason-wrong_kind = tipo de operación equivocado
desk-reason-other = otro

desk-shelf-missing = FALTA       { $id } (estante { $shelf }, { $status })
desk-shelf-found-nowhere = sin estante escaneado
desk-shelf-found-on = en { $shelf }
desk-shelf-wrong-shelf = OTRO ESTANTE { $id } hallado { $found }, registrado en { $shelf }
desk-shelf-unexpected = INESPERADO  { $id } hallado { $found }; registrado como { $status }
desk-shelf-unexpected-unknown = INESPERADO  { $id } hallado { $found }; no está registrado
desk-shelf-none-checked = No se escaneó ninguna etiqueta de estante, así que no se revisó ninguno.
desk-shelf-all-found = { $count ->
    [one] El { $count } paquete registrado en el estante { $shelves } estaba en su lugar.
   *[other] Los { $count } paquetes registrados en el estante { $shelves } estaban en su lugar.
}
desk-shelf-list = { $first } y { $last }
