# Lo que dice la aplicación en la línea de mensajes (src/tui/app, src/tui/text.rs).

app-kiosk-mode-keys = Modo kiosco: esta tecla no cierra el kiosco. Para salir, bloquee la pantalla y pulse F10 (PIN de gerente).
app-recorded-nothing = No se registró nada.
app-code-refusal-not-recorded = No se pudo registrar el código equivocado
app-idle-locked = Bloqueado por inactividad. Se descartó cualquier entrega sin terminar.
app-idle-warning = Se bloquea en { $seconds ->
    [one] { $seconds } segundo
   *[other] { $seconds } segundos
} por inactividad: lo que no esté terminado se descarta. Pulse una tecla para seguir.
app-esc-again = Pulse Esc otra vez para descartar esta operación (no se registra nada).
app-handoff-discarded = Operación descartada. No se registró nada.
app-locked = Bloqueado.
app-quit-from-home = Para salir, bloquee la pantalla (L) y pulse F10: hace falta el PIN de un gerente.
app-ledger-unreadable = No se pudo leer el registro: { $error }
app-worker-stopped = El proceso en segundo plano se detuvo; reinicie el kiosco.
app-pin-checker-stopped = La comprobación de PIN se detuvo; reinicie el kiosco.
app-checkpoint-failed = Falló el punto de control del cierre del día: { $error }
