# Por qué falló algo fuera del mostrador, como lo dice el mostrador: impresoras (en "No se
# imprimió (...)") y el enlace con la oficina central (en la página del enlace del escritorio).
# `$detail` son las palabras del propio sistema, tal como las dijo.

## Impresoras
error-print = { $printer }: { $reason }
error-printer-at = impresora en { $address }
error-printer-device = impresora { $path }
error-printer-queue = cola de impresión { $queue }
error-printer-pdf = carpeta de PDF { $folder }
error-printer-none = ninguna
error-print-silent = no respondió en { $seconds } s
error-print-refused = rechazó la conexión (¿está encendida y es el puerto correcto?)
error-print-unreachable = no se puede alcanzar por la red
error-print-no-device = no existe el dispositivo (¿está conectada y encendida?)
error-print-no-permission = permiso denegado (agregue el usuario del kiosco al grupo del dispositivo, casi siempre lp)
error-print-no-lp = falta el comando lp (instale el cliente de CUPS)
error-print-address-not-found = no se encuentra la dirección de { $host }: { $detail }
error-print-no-address = { $host } no tiene dirección
error-print-cannot-connect = no se puede conectar: { $detail }
error-print-connection-broke = se cortó la conexión: { $detail }
error-print-cannot-open = no se puede abrir: { $detail }
error-print-takes-no-more = ya no acepta más datos
error-print-cannot-write = no se puede escribir en ella: { $detail }
error-print-lp-cannot-start = no se puede iniciar lp: { $detail }
error-print-lp-timed-out = lp no terminó en { $seconds } s
error-print-lp-lost = se perdió el control de lp: { $detail }
error-print-lp-failed = lp falló: { $complaint }
error-print-no-folder = no se puede crear la carpeta: { $detail }
error-print-no-free-name = demasiados archivos llamados { $base }
error-print-not-written = no se puede escribir { $path }: { $detail }
error-print-not-set-up = no hay impresora configurada en kiosk.toml

## El enlace con la oficina central
error-link-host-not-found = no se encuentra { $host }: { $detail }
error-link-no-address = { $host } no tiene dirección
error-link-cannot-connect = no se puede conectar a { $address }: { $detail }
error-link-connection = conexión con { $host }: { $detail }
error-link-tls = TLS: { $detail }
error-link-ca-file-unreadable = no se puede leer el archivo CA de la oficina central { $path }: { $detail }
error-link-not-ca-certificate = { $path }: no es un certificado CA: { $detail }
error-link-no-certificate = { $path } no contiene ningún certificado
error-link-not-a-host-name = { $host } no es un nombre de host que TLS pueda verificar
error-link-thread-not-started = no se puede iniciar el hilo del enlace: { $detail }
error-link-ledger = { $detail }
error-link-encoding = { $detail }
error-link-event-missing = falta el evento { $seq } en el registro
error-link-batch-not-built = { $detail }
error-link-receipt-signature-not-hex = la firma del comprobante no está en hexadecimal
error-link-receipt-unchecked = { $detail }
error-link-receipt-head-hash-invalid = el hash final del comprobante no es válido
error-link-chains-differ = la oficina central confirmó el evento { $seq } con otro hash que el de este registro: las dos cadenas no coinciden
error-link-gap-does-not-fit = la oficina central espera el evento { $expected }, que no cuadra con el lote { $from }..
error-link-batch-refused = la oficina central rechazó el lote: { $reason }
error-link-batch-status = la oficina central respondió HTTP { $status }
error-link-announcements-refused = anuncios de la oficina central rechazados, no se importó nada: { $detail }
error-link-announcement-unreadable = el anuncio { $id } ({ $source }) de la oficina central no se puede leer con las reglas de esta tienda, no se importó nada: { $detail }
error-link-announcement-not-imported = anuncio { $id }: { $detail }
error-link-announcement-request-refused = la oficina central rechazó la solicitud de anuncios: { $reason }
error-link-announcement-status = la oficina central respondió a la solicitud de anuncios con HTTP { $status }

# La exportación del escritorio que no se pudo hacer (los errores del registro los dice
# reasons.ftl).
error-export-exists = ya hay una exportación en { $path }; las exportaciones nunca se sobrescriben
error-export-not-written = no se puede escribir { $path }: { $detail }
