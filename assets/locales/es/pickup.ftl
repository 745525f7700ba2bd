# Recogida: un cliente recoge sus paquetes (src/tui/flows/pickup.rs).
# [customer]: lo lee el cliente (idioma del cliente, F12): el título, sus paquetes y cuántos
# son, la confirmación al registrar.
# [clerk]: lo lee el empleado (su idioma): los pasos, la revisión de la identificación,
# teclas, errores.

# [clerk]
pickup-start = Escriba o escanee el código de recogida del cliente.
# [customer]
pickup-title = RECOGIDA DEL CLIENTE
# [clerk]
pickup-ask = Pida el código de recogida (en el teléfono o el aviso del cliente).
# [clerk]
pickup-lost-code = ¿Perdió el código? F2 busca los paquetes por nombre, con identificación.
# [clerk]
pickup-name-heading = Sin código: busque los paquetes del cliente por nombre.
# [clerk]
pickup-name-hint = Luego revise una identificación con foto: su tipo y los últimos 4.
# [clerk]
pickup-name-start = Escriba 3 o más letras del nombre del cliente y presione Enter.
# [clerk]
pickup-name-too-short = Escriba 3 o más letras del nombre.
# [clerk]
pickup-no-parcels = No hay paquetes para este código. Revise el código con el cliente.
# [clerk]
pickup-scan-first = Primero escanee cada paquete al entregarlo (o márquelo con F4/F6).
# [clerk]
pickup-code-label = Código de recogida:{ " " }
# [clerk]
pickup-name-label = Nombre del cliente:{ " " }
# [clerk]
pickup-pin-label = Su PIN para registrar esta recogida:{ " " }
# [clerk]
pickup-id-type-prompt = ¿Qué identificación muestra? 1-5 o ↑↓ y luego Enter.
# [clerk]
pickup-done = Listo. Enter para volver al inicio.
# [clerk]
pickup-wait-over = Terminó la espera: los códigos de recogida se revisan otra vez.
# [clerk]
pickup-keys-code = escriba/escanee el código, Enter   F2 sin código: por nombre   Esc cancelar
pickup-keys-name = escriba un nombre, Enter   ↑↓ elegir, Enter   Esc volver al código
pickup-keys-proxy = escriba el nombre, Enter (vacío: el destinatario)   Esc volver
pickup-keys-id-type = 1-5 o ↑↓, Enter   F7 recoge otra persona   Esc volver
pickup-keys-last-four = escriba las últimas 4 letras o dígitos, Enter   Esc volver
pickup-keys-parcels = Enter escanear  Enter vacío listo  F4 no está  F6 rechazo  F7 otra persona  Esc
pickup-keys-partial = Enter sí, entregar solo estos   o escanee   Esc volver
pickup-keys-pin = escriba su PIN, Enter   Esc volver
pickup-keys-done = Enter inicio
# [clerk]
pickup-help =
    1. Escriba o escanee el código de recogida del cliente.
       ¿Perdió el código? F2: escriba el nombre del cliente, elíjalo y revise
       una identificación con foto: su tipo y los últimos 4 caracteres del
       número (nunca el número completo).
    2. ¿Recoge otra persona? F7: escriba su nombre y revise su identificación.
    3. Traiga los paquetes de los estantes indicados y escanee cada uno al
       entregarlo. Un paquete que no es de este cliente se rechaza.
       F4: no se encuentra.  F6: el cliente lo rechaza.
    4. Enter en una línea vacía y luego su PIN: todo se registra junto.
    Tras 5 códigos equivocados en un minuto, no se revisan códigos por 30 s.
# [clerk]
pickup-the-customer = el cliente
# [clerk]
pickup-found = { $count ->
    [one] { $count } paquete
   *[other] { $count } paquetes
} para { $customer }. Escanee cada uno al entregarlo.
# [customer]
pickup-heading = Para { $customer }: { $count ->
    [one] { $count } paquete
   *[other] { $count } paquetes
}
# [clerk]
pickup-names-found = { $customers ->
    [0] No hay paquetes para ese nombre. Pruebe con parte del nombre.
    [one] 1 cliente encontrado. Enter para elegirlo y luego revise su identificación.
   *[other] { $customers } clientes encontrados. Elija uno con ↑↓ y presione Enter.
}
# [clerk]
pickup-check-id-of = Revise la identificación con foto de { $person }: ¿qué tipo es?
pickup-proxy-id = Identificación de { $proxy }, que recoge por { $customer }:
pickup-addressee-id = Identificación de { $customer }, el destinatario:
pickup-proxy-hint = Otra persona recoge por { $customer }: luego se revisa su identificación.
pickup-last-four-label = Últimos 4 caracteres del número de { $id_type }:{ " " }
pickup-proxy-label = ¿Quién recoge por { $customer }? Nombre (vacío: { $customer }):{ " " }
pickup-proxy-start = Escriba el nombre de quien recoge y luego revise su identificación.
pickup-plain = Lo recoge el destinatario con el código. F7: recoge otra persona.
# [clerk]
pickup-evidence-by-name = buscado por nombre
pickup-evidence-proxy = { $name } recoge (en su nombre)
pickup-evidence-addressee = recoge el destinatario
pickup-evidence-no-id = sin identificación revisada
pickup-evidence-id = ID: { $id }
# [clerk]
pickup-id-check = { $id_type } con terminación { $last_four }
# [clerk]
pickup-id-type = { $id_type ->
    [driving_licence] licencia de conducir
    [passport] pasaporte
    [national_id_card] identificación oficial
    [residence_permit] permiso de residencia
   *[other_photo_id] otra identificación con foto
}
# [clerk]
pickup-id-checked = Identificación revisada: { $check }. Escanee cada paquete al entregarlo.
pickup-wrong-parcel = PAQUETE EQUIVOCADO: { $id } no es de este cliente. No lo entregue.
pickup-already-scanned = { $id } ya se escaneó.
pickup-handed-over = { $id } entregado.
# [customer]
pickup-recorded = Registrado: { $handed ->
    [one] { $handed } paquete entregado
   *[other] { $handed } paquetes entregados
}{ $exceptions ->
    [0] .
    [one] , 1 excepción.
   *[other] , { $exceptions } excepciones.
}
# [customer]
pickup-recorded-proxy = Registrado: { $handed ->
    [one] { $handed } paquete entregado
   *[other] { $handed } paquetes entregados
} a { $proxy } (en nombre del cliente){ $exceptions ->
    [0] .
    [one] , 1 excepción.
   *[other] , { $exceptions } excepciones.
}
# [clerk]
pickup-shelves-none = ningún estante
pickup-shelf = el estante { $shelf }
pickup-shelves = los estantes { $list } y { $last }
# [clerk]
pickup-partial = { $handed } de { $total ->
    [one] { $total } paquete escaneado
   *[other] { $total } paquetes escaneados
}; { $rest }. { $question }
pickup-partial-the-other = el otro está en { $shelves }
pickup-partial-one-other = otro más está en { $shelves }
pickup-partial-the-others = los otros { $count } están en { $shelves }
pickup-partial-others = otros { $count } están en { $shelves }
pickup-question-exception = ¿Registrar solo la excepción?
pickup-question-exceptions = ¿Registrar solo las { $count } excepciones?
pickup-question-hand-over = ¿Entregar solo { $handed }?
pickup-partial-prompt-none = Enter: sí, registrar solo eso. O escanee:{ " " }
pickup-partial-prompt = Enter: sí, solo { $handed }. O escanee:{ " " }
# [clerk]
pickup-wait-started = { $allowed } códigos equivocados en { $window } s: no se revisa ningún código por { $wait ->
    [one] { $wait } segundo
   *[other] { $wait } segundos
}.
pickup-still-waiting = Demasiados códigos equivocados: no se revisa ninguno por { $left } { $left ->
    [one] segundo
   *[other] segundos
} más. F2: por nombre.
pickup-countdown = ⏸ ESPERE { $clock }  No se revisa ningún código por { $left ->
    [one] { $left } segundo
   *[other] { $left } segundos
}.
# [clerk]
pickup-last-four-length = Escriba las últimas 4 letras o dígitos del número (escribió { $count }).
pickup-last-four-characters = Los últimos 4 caracteres de un número de identificación son solo letras o dígitos.
pickup-proxy-name-empty = Escriba el nombre de quien recoge.
pickup-id-check-needed = Hace falta revisar una identificación cuando los paquetes se buscan por nombre o recoge otra persona.
# [clerk]
pickup-column-customer = Cliente
pickup-column-held = Guardados
pickup-column-shelf = Estante
pickup-column-key = Núm
pickup-column-id-type = Tipo de identificación con foto
# [customer]
pickup-column-parcel-shelf = Est.
pickup-column-id = Rastreo
pickup-column-carrier = Empresa
pickup-column-state = Estado
pickup-state-waiting = … traer del estante
pickup-state-handed-over = ✔ entregado
pickup-state-not-found = ! no se encuentra
pickup-state-refused = ! el cliente lo rechazó
# [clerk]
pickup-code-invalid = Un código de recogida tiene de { $min } a { $max } dígitos.
# [clerk]
pickup-history-by-name = buscado por nombre (sin código)
pickup-history-addressee = lo recogió el destinatario
pickup-history-proxy = lo recogió { $name } en su nombre
pickup-history-id = ID revisada: { $check }
pickup-history-no-id = sin ID revisada
