# El panel del QR del repartidor (src/tui/widgets/handshake.rs, qr.rs).
# [customer]: lo lee el repartidor, en el idioma de quien está del otro lado (F12).
# [clerk]: las teclas, en el idioma del empleado.

# [customer]
handshake-if-scan-fails = Si no se puede escanear,
# [customer]
handshake-type-this-code = escriba este código en la app:
# [customer]
handshake-renews = Se renueva antes de las { $time }
# [clerk]
handshake-key-scanned = { " " }ya se escaneó
# [clerk]
handshake-key-back = { " " }volver
# [clerk]
handshake-enlarge = Agrande la ventana para ver el código QR
# [clerk]
handshake-enlarge-sizes = (necesita { $needed }; aquí hay { $here })
