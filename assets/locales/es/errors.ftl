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
