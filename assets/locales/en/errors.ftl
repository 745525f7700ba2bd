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

## The link to head office
error-link-host-not-found = cannot find { $host }: { $detail }
error-link-no-address = { $host } has no address
error-link-cannot-connect = cannot connect to { $address }: { $detail }
error-link-connection = connection to { $host }: { $detail }
error-link-tls = TLS: { $detail }
error-link-ca-file-unreadable = cannot read head office's CA file { $path }: { $detail }
error-link-not-ca-certificate = { $path }: not a CA certificate: { $detail }
error-link-no-certificate = { $path } holds no certificate
error-link-not-a-host-name = { $host } is not a host name TLS can check
error-link-thread-not-started = cannot start the link's thread: { $detail }
error-link-ledger = { $detail }
error-link-encoding = { $detail }
error-link-event-missing = event { $seq } is missing from the ledger
error-link-batch-not-built = { $detail }
error-link-receipt-signature-not-hex = the receipt's signature is not hex
error-link-receipt-unchecked = { $detail }
error-link-receipt-head-hash-invalid = the receipt's head hash is not valid
error-link-chains-differ = head office acknowledged event { $seq } with another hash than this ledger's: the two chains differ
error-link-gap-does-not-fit = head office expects event { $expected } next, which does not fit batch { $from }..
error-link-batch-refused = head office refused the batch: { $reason }
error-link-batch-status = head office answered HTTP { $status }
error-link-announcements-refused = announcements from head office refused, nothing imported: { $detail }
error-link-announcement-unreadable = announcement { $id } ({ $source }) from head office does not read under this store's rules, nothing imported: { $detail }
error-link-announcement-not-imported = announcement { $id }: { $detail }
error-link-announcement-request-refused = head office refused the request for announcements: { $reason }
error-link-announcement-status = head office answered the request for announcements with HTTP { $status }

# The desk's export that could not be made (the ledger's own errors are said by reasons.ftl).
error-export-exists = an export already exists at { $path }; exports are never overwritten
error-export-not-written = cannot write { $path }: { $detail }
