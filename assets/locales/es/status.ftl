# La barra de estado, la ayuda, la pantalla demasiado pequeña y la de solo lectura.

status-open = ● ABIERTO
status-closed = ○ CERRADO
status-nobody = sin sesión
status-read-only = SOLO LECTURA
status-demo = DATOS DE PRUEBA
status-clock = { $weekday } { $day } { $month } { $time }
status-not-recording = NO SE REGISTRA: { $alarm }

status-enlarge = Agrande la ventana
status-too-small = { $enlarge }: el kiosco necesita al menos { $min_width }x{ $min_height } (ahora { $width }x{ $height }).

status-read-only-keys = F10 salir (PIN de gerente)
status-read-only-title = ! SOLO LECTURA: ESTE KIOSCO NO PUEDE REGISTRAR NADA
status-read-only-ledger = No se puede escribir en el registro { $path }
status-read-only-body =
    (el archivo o su carpeta están protegidos, o el disco es de solo lectura).
    {""}
    No se puede recibir, entregar ni aceptar nada hasta que se arregle. No
    entregue paquetes sin registrarlos: pida al gerente que dé permiso de
    escritura en la carpeta de datos al usuario del kiosco y reinicie el kiosco.
status-read-only-still-works = `kiosk verify` y `kiosk export` siguen funcionando en solo lectura.

status-help-title = Ayuda (Esc cierra)
status-help-customer-language = F12  idioma del cliente (esta operación; al volver al inicio se anula)
status-help-enrol =
    Escriba su nombre y luego un PIN dos veces; F3 elige su idioma.
    Tab pasa de un campo a otro; Enter en el último lo registra.
    Usted queda como gerente y puede agregar empleados con `kiosk staff add`.
status-help-sign-in =
    Elija su nombre con las flechas o escriba su número de empleado,
    pulse Enter, escriba su PIN y pulse Enter.
    Tras 5 PIN incorrectos seguidos, cada intento debe esperar; tras 10
    la cuenta se desactiva hasta que un gerente le asigne un PIN nuevo.
    F10 sale del kiosco (hace falta el PIN de un gerente).
status-help-home =
    D  el repartidor entrega paquetes  T  el repartidor recoge paquetes
    P  el cliente recoge               O  el cliente envía / devuelve
    S  pedidos propios de la tienda    V  reparto local (tiendas rurales)
    X  un paquete dañado en la tienda
    F  buscar un paquete y su historia E  el registro (eventos por día)
    M  escritorio del gerente          R  actualizar   L  bloquear
    La línea roja avisa de paquetes vencidos: déselos al próximo repartidor.
status-help-search =
    Escriba o escanee parte de un número de rastreo (3 o más caracteres),
    un nombre o un estante. Enter muestra toda la historia del paquete; ahí
    P reimprime su último comprobante, marcado REIMPRESIÓN (queda anotado).
status-help-ledger =
    Eventos de un día, los más recientes primero. ←/→ cambian el día, F3
    filtra por tipo, F4 por empleado. ↑↓ eligen un evento, Enter muestra sus
    paquetes (Esc vuelve). La cadena se comprueba de nuevo en segundo plano.
    P reimprime el comprobante del evento, marcado REIMPRESIÓN (anotado).
    Si un comprobante no salió, F9 lo imprime de nuevo en cualquier pantalla.
status-help-desk =
    Solo gerentes. Cada cambio se confirma con su PIN en ese momento y queda
    en el registro a su nombre. 8 corrige el último movimiento de un paquete
    (no se edita nada): el paquete vuelve a donde estaba antes.
status-help-read-only =
    No se puede escribir en el registro, así que no se puede registrar nada.
    Permita escribir en la carpeta de datos al usuario del kiosco y reinicie.
