# The driver's handshake QR panel (src/tui/widgets/handshake.rs, qr.rs).
# [customer]: the driver reads it, in the language of the person across the counter (F12).
# [clerk]: the keys, in the clerk's language.

# [customer]
handshake-if-scan-fails = If the scan fails, type
# [customer]
handshake-type-this-code = this code in the app:
# [customer] When the code on screen is replaced by a new one.
handshake-renews = Renews before { $time }
# [clerk] After the key name "Enter".
handshake-key-scanned = { " " }when scanned
# [clerk] After the key name "Esc".
handshake-key-back = { " " }back
# [clerk] The window is too small for the code.
handshake-enlarge = Enlarge the window to show the QR code
# [clerk]
handshake-enlarge-sizes = (it needs { $needed }; here is { $here })
