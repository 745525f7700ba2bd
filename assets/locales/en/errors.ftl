# Why something outside the counter failed, as the counter says it: printers (in "Not printed
# (...)") and the link to head office (on the desk's link page). `$detail` is the system's own
# words for the failure, shown as it said them.

## Printers
# "printer at 192.0.2.7:9100: did not answer in 5 s".
error-print = { $printer }: { $reason }
error-printer-at = printer at { $address }
error-printer-device = printer { $path }
error-printer-queue = print queue { $queue }
error-printer-pdf = PDF folder { $folder }
error-printer-none = none
error-print-silent = did not answer in { $seconds } s
error-print-refused = refused the connection (is it on, and is the port right?)
error-print-unreachable = cannot be reached on the network
error-print-no-device = no such device (is it plugged in and switched on?)
error-print-no-permission = permission denied (add the kiosk's user to the device's group, often lp)
error-print-no-lp = the lp command is missing (install the CUPS client)
error-print-address-not-found = cannot find the address of { $host }: { $detail }
error-print-no-address = { $host } has no address
error-print-cannot-connect = cannot connect: { $detail }
error-print-connection-broke = the connection broke: { $detail }
error-print-cannot-open = cannot open it: { $detail }
error-print-takes-no-more = it takes no more bytes
error-print-cannot-write = cannot write to it: { $detail }
error-print-lp-cannot-start = cannot start lp: { $detail }
error-print-lp-timed-out = lp did not finish in { $seconds } s
error-print-lp-lost = lost track of lp: { $detail }
error-print-lp-failed = lp failed: { $complaint }
error-print-no-folder = cannot make the folder: { $detail }
error-print-no-free-name = too many files named { $base }
error-print-not-written = cannot write { $path }: { $detail }
error-print-not-set-up = no printer is set up in kiosk.toml
