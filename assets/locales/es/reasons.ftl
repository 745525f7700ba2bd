# Por qué algo se rechazó o falló (src/tui/reasons.rs, el campo de escaneo y los flujos).
# [clerk]: lo lee el empleado, en su idioma.

## Un escaneo dañado (el campo de escaneo)

# [clerk]
reason-scan-hidden = Escaneo rechazado: { $count ->
    [one] traía { $count } carácter invisible o de control
   *[other] traía { $count } caracteres invisibles o de control
}, el primero { $character }; escanee de nuevo.
# [clerk]
reason-scan-too-long = Escaneo rechazado: tenía { $length } caracteres; escanee de nuevo.
# [clerk]
reason-scan-too-many = (+{ $count } de más)
# [clerk]
reason-character-unknown = desconocido

## Texto libre escrito en el mostrador

# [clerk]
reason-free-text-bad-character = { $field ->
    [recipient] El nombre del destinatario
    [badge] El gafete
    [reference] La referencia
    [proxy] El nombre de quien recoge
   *[other] El texto
} contiene { $character }, que no se permite
# [clerk]
reason-free-text-too-long = { $field ->
    [recipient] El nombre del destinatario
    [badge] El gafete
    [reference] La referencia
    [proxy] El nombre de quien recoge
   *[other] El texto
} tiene { $length } caracteres; se permiten { $max } como máximo

## Un estante escrito con F4

# [clerk]
reason-shelf-empty = El estante no puede quedar vacío
# [clerk]
reason-shelf-too-long = { $shelf } es muy largo para un estante: { $max } caracteres como máximo
# [clerk]
reason-shelf-not-a-shelf = { $shelf } no es un estante: use letras, dígitos y guiones

## Un escaneo que no es un número de rastreo

# [clerk]
reason-id-empty = el escaneo está vacío
# [clerk]
reason-id-too-long = el escaneo tiene { $length ->
    [one] { $length } carácter
   *[other] { $length } caracteres
}; un número de rastreo tiene { $max } como máximo
# [clerk]
reason-id-too-short = el escaneo tiene { $length ->
    [one] { $length } carácter
   *[other] { $length } caracteres
}; un número de rastreo tiene al menos { $min }
# [clerk]
reason-id-bad-character = el escaneo contiene { $what }, que ningún número de rastreo tiene (solo letras, dígitos y '-')

# [clerk]
reason-label-format = { $format ->
    [ups-1z] UPS 1Z
    [fedex-express-12] FedEx Express de 12 dígitos
    [fedex-ground-15] FedEx Ground de 15 dígitos
    [fedex-ground-96-22] FedEx Ground de 22 dígitos
    [fedex-express-34] FedEx de 34 dígitos
    [fedex-ground-96-34] FedEx Ground de 34 dígitos
    [fedex-astra-32] FedEx de 32 dígitos
    [usps-20] USPS de 20 dígitos
    [usps-20-certified] USPS de 20 dígitos
    [usps-22] USPS de 22 dígitos
    [usps-26] USPS de 26 dígitos
    [gs1-sscc-18] SSCC-18
    [dhl-express] DHL Express
    [dpd-15] paquete DPD
    [dpd-14] paquete DPD
    [dpd-barcode] código de barras DPD
    [dpd-28] etiqueta DPD
    [amazon-tba] Amazon TBA
    [upu-s10] postal S10
   *[other] otro
}

## Las reglas de custodia

# [clerk]
reason-custody-already-held = El paquete { $id } ya está en la tienda ({ $status ->
    [held_for_customer] guardado para su cliente
    [awaiting_driver] esperando al repartidor
    [out_for_delivery] en reparto local
   *[other] { $status }
}); no se puede recibir otra vez
# [clerk]
reason-custody-unknown = El paquete { $id } no está en el registro de la tienda
# [clerk]
reason-custody-not-custodian = El paquete { $id } (estado: { $status }) no se puede registrar como { $kind }
# [clerk]
reason-custody-not-due = El paquete { $id } está guardado para su cliente y no ha vencido; el repartidor aún no puede llevárselo
# [clerk]
reason-custody-duplicate = El paquete { $id } aparece dos veces en la misma entrega
# [clerk]
reason-custody-no-parcels = { $kind }: hace falta al menos un paquete
# [clerk]
reason-custody-not-custody = { $kind }: no es un cambio de custodia
# [clerk]
reason-custody-not-handoff = { $kind }: se registra desde el escritorio del gerente, no en el mostrador

## El código del repartidor

# [clerk]
reason-token-unknown = Este kiosco no emitió el código { $token }
# [clerk]
reason-token-used = El código { $token } ya se usó en el evento { $seq }; muestre al repartidor un código nuevo
# [clerk]
reason-token-expired = El código { $token } venció antes de que el repartidor terminara; muestre un código nuevo
# [clerk]
reason-token-wrong-direction = El código { $token } es para { $direction ->
    [delivery] una entrega a la tienda
    [pickup] una recolección en la tienda
   *[other] { $direction }
}, no para { $kind }
# [clerk]
reason-token-parcels-differ = Los paquetes no son los { $count } para los que se hizo el código; muestre un código nuevo

## El registro (errores de almacenamiento)

# [clerk]
reason-clock-behind = El reloj está atrás del último evento registrado (el reloj dice { $now }, el último evento es de { $last }); no se registra nada hasta corregir la hora: ajuste el reloj
# [clerk]
reason-store-not-found = No hay registro en { $path }: primero ejecute `kiosk init`
# [clerk]
reason-store-not-a-ledger = { $path } no es un registro de handoff-kiosk (es otro archivo o base de datos SQLite); se dejó como estaba
# [clerk]
reason-store-corrupt = El registro { $path } está dañado ({ $detail }); se dejó como estaba: restaure la copia de seguridad más reciente
# [clerk]
reason-store-too-new = El registro { $path } lo escribió un kiosco más nuevo (esquema { $found }, este conoce hasta { $supported }); se dejó como estaba: use el kiosco más nuevo
# [clerk]
reason-store-locked = El registro está ocupado (otro programa lo tiene bloqueado); no se registró nada: intente de nuevo
# [clerk]
reason-store-disk-full = El disco está lleno; no se registró nada: libere espacio e intente de nuevo
# [clerk]
reason-store-read-only = El registro es de solo lectura (no se puede escribir en el archivo o la carpeta); no se registró nada
# [clerk]
reason-store-wrong-store = Este registro es de la tienda { $ledger }, pero la configuración dice { $config }
# [clerk]
reason-store-proof-expired = La confirmación del PIN venció; escriba el PIN otra vez
# [clerk]
reason-store-not-manager = Solo un gerente puede hacer esto
# [clerk]
reason-store-staff-inactive = El empleado { $id } está desactivado o no existe; no se registró nada
# [clerk]
reason-store-hard-linked = El registro { $path } tiene { $links } nombres (enlaces duros); SQLite lleva un registro de escritura aparte para cada nombre y lo que uno guarda el otro lo pierde. Se dejó como estaba: quite los nombres de más y deje uno
# [clerk]
reason-store-gone = El archivo del registro { $path } se borró o se movió con el kiosco abierto; no se registró nada: salga y revise el registro con `kiosk verify`
# [clerk]
reason-store-replaced = El archivo del registro { $path } se reemplazó con el kiosco abierto ({ $detail }); no se registró nada: salga y revise el registro con `kiosk verify`
# [clerk]
reason-store-wal-missing = El registro de escritura { $wal } se borró con el kiosco abierto; { $rescue }. No se registró nada más: salga, reinicie el kiosco y revise el registro con `kiosk verify`
# [clerk]
reason-store-went-backwards = El registro retrocedió con el kiosco abierto (este kiosco vio el evento { $seen } y el archivo { $path } ahora termina en el { $head }: alguien puso una copia vieja); no se registró nada: salga y revise el registro con `kiosk verify`
# [clerk]
reason-store-recording-stopped = Ya no se registra nada: { $why }
# [clerk]
reason-store-database = Error de la base de datos: { $detail }

## El archivo de paquetes anunciados (importar, en el escritorio)

# [clerk]
reason-import-no-header = el archivo no tiene fila de encabezado (se espera tracking_id,recipient_name,pickup_code[,postal_code,street,city])
# [clerk]
reason-import-missing-column = al encabezado le falta la columna { $column } (se espera tracking_id,recipient_name,pickup_code[,postal_code,street,city])
# [clerk]
reason-import-too-large = el archivo tiene más de { $max } paquetes
# [clerk]
reason-import-line = línea { $line }: { $problem }
# [clerk]
reason-import-more-lines = y { $count ->
    [one] { $count } línea mala más
   *[other] { $count } líneas malas más
}
# [clerk]
reason-import-not-csv = no es CSV válido ({ $detail })
# [clerk]
reason-import-tracking-id = tracking_id: { $reason }
# [clerk]
reason-import-carrier-not-taken = tracking_id: { $id } es una etiqueta de { $carrier } y esta tienda no acepta paquetes de { $carrier } ([carriers] accept)
# [clerk]
reason-import-text-bad-character = la columna { $column } contiene { $character }, que no se permite
# [clerk]
reason-import-text-too-long = la columna { $column } tiene { $length } caracteres; se permiten { $max } como máximo
# [clerk]
reason-import-name-empty = recipient_name está vacío
# [clerk]
reason-import-pickup-code = pickup_code: un código de recogida tiene de { $min } a { $max } dígitos
# [clerk]
reason-import-listed-twice = { $id } aparece dos veces (la primera en la línea { $first })

## El código QR del repartidor

# [clerk]
reason-qr-encode = el texto no cabe en un código QR: { $detail }
