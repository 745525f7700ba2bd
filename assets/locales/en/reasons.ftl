# Why something was refused or failed (src/tui/reasons.rs, the scan field and the flows).
# Each reads as the English the command line and the logs give (the domain's Display), so
# most start in lower case: the screens put them after other words or capitalise them.
# [clerk]: the clerk reads them, in the clerk's language.

## A spoiled scan (the scan field)

# [clerk] $character is a code point (U+0007) or a quoted character.
reason-scan-hidden = That scan held { $count } invisible or control { $count ->
    [one] character
   *[other] characters
}, the first { $character }, and was refused; scan again.
# [clerk]
reason-scan-too-long = That scan was { $length } characters long and was refused; scan again.
# [clerk] Beside the scan line while a scanner sends more than it keeps.
reason-scan-too-many = (+{ $count } too many)
# [clerk] A character the refusal cannot name.
reason-character-unknown = unknown

## Free text typed at the counter ($field: which one)

# [clerk]
reason-free-text-bad-character = { $field ->
    [recipient] the recipient's name
    [badge] the badge
    [reference] the reference
    [proxy] the proxy's name
   *[other] the text
} contains { $character }, which is not allowed
# [clerk]
reason-free-text-too-long = { $field ->
    [recipient] the recipient's name
    [badge] the badge
    [reference] the reference
    [proxy] the proxy's name
   *[other] the text
} has { $length } characters; at most { $max } are allowed

## A shelf typed with F4 ($shelf arrives in quotes)

# [clerk]
reason-shelf-empty = a shelf cannot be empty
# [clerk]
reason-shelf-too-long = { $shelf } is too long for a shelf: at most { $max } characters
# [clerk]
reason-shelf-not-a-shelf = { $shelf } is not a shelf: use letters, digits and hyphens

## A scan that is not a tracking id

# [clerk]
reason-id-empty = the scan is empty
# [clerk]
reason-id-too-long = the scan is { $length ->
    [one] { $length } character
   *[other] { $length } characters
} long; a tracking id has at most { $max }
# [clerk]
reason-id-too-short = the scan is { $length ->
    [one] { $length } character
   *[other] { $length } characters
} long; a tracking id has at least { $min }
# [clerk]
reason-id-bad-character = the scan contains { $what }, which no tracking id has (only letters, digits and '-')

# [clerk] A label format by its code, in "read as a ... number".
reason-label-format = { $format ->
    [ups-1z] UPS 1Z
    [fedex-express-12] FedEx Express 12-digit
    [fedex-ground-15] FedEx Ground 15-digit
    [fedex-ground-96-22] FedEx Ground 22-digit
    [fedex-express-34] FedEx 34-digit
    [fedex-ground-96-34] FedEx Ground 34-digit
    [fedex-astra-32] FedEx 32-digit
    [usps-20] USPS 20-digit
    [usps-20-certified] USPS 20-digit
    [usps-22] USPS 22-digit
    [usps-26] USPS 26-digit
    [gs1-sscc-18] SSCC-18
    [dhl-express] DHL Express
    [dpd-15] DPD parcel
    [dpd-14] DPD parcel
    [dpd-barcode] DPD barcode
    [dpd-28] DPD label
    [amazon-tba] Amazon TBA
    [upu-s10] postal S10
   *[other] other
}

## The custody rules ($status is a ledger code in the first; $status and $kind words after)

# [clerk]
reason-custody-already-held = parcel { $id } is already held by the store ({ $status }); it cannot be received again
# [clerk]
reason-custody-unknown = parcel { $id } is not in the store's records
# [clerk]
reason-custody-not-custodian = parcel { $id } is { $status }, so the store cannot hand it over as { $kind }
# [clerk]
reason-custody-not-due = parcel { $id } is held for its customer and has not expired; a driver cannot take it yet
# [clerk]
reason-custody-duplicate = parcel { $id } appears twice in one handoff
# [clerk]
reason-custody-no-parcels = a { $kind } handoff needs at least one parcel
# [clerk]
reason-custody-not-custody = { $kind } is not a custody handoff
# [clerk]
reason-custody-not-handoff = a { $kind } is recorded from the manager's desk, not as a handoff

## The driver's handshake token

# [clerk]
reason-token-unknown = the handshake token { $token } was not issued by this kiosk
# [clerk]
reason-token-used = the handshake token { $token } was already used for event { $seq }; show the driver a new code
# [clerk]
reason-token-expired = the handshake token { $token } expired before the driver's step was completed; show a new code
# [clerk]
reason-token-wrong-direction = the handshake token { $token } is for a { $direction ->
    [delivery] delivery to the store
    [pickup] pickup from the store
   *[other] { $direction }
}, not a { $kind }
# [clerk]
reason-token-parcels-differ = the parcels differ from the { $count } the driver's code was made for; show a new code

## The ledger (store errors)

# [clerk] Times as the store's clock shows them.
reason-clock-behind = the clock is behind the last recorded event (the clock says { $now }, the last event was recorded at { $last }); nothing was recorded until the time is right: set the clock
# [clerk]
reason-store-not-found = no ledger at { $path }: run `kiosk init` first
# [clerk]
reason-store-not-a-ledger = { $path } is not a handoff-kiosk ledger (it is some other file or SQLite database); it was left as it is
# [clerk]
reason-store-corrupt = the ledger { $path } is damaged ({ $detail }); it was left as it is: restore the latest backup
# [clerk]
reason-store-too-new = the ledger { $path } was written by a newer kiosk (schema version { $found }, this one knows { $supported }); it was left as it is: run the newer kiosk
# [clerk]
reason-store-locked = the ledger is busy (another program holds its lock); nothing was recorded: try again
# [clerk]
reason-store-disk-full = the disk is full; nothing was recorded: free some space and try again
# [clerk]
reason-store-read-only = the ledger is read-only (file or folder not writable); nothing was recorded
# [clerk]
reason-store-wrong-store = this ledger belongs to store { $ledger }, but the configuration says { $config }
# [clerk]
reason-store-proof-expired = the PIN confirmation has expired; enter the PIN again
# [clerk]
reason-store-not-manager = only a manager may do this
# [clerk]
reason-store-staff-inactive = staff member { $id } is disabled or does not exist; nothing was recorded
# [clerk]
reason-store-hard-linked = the ledger { $path } has { $links } names (hard links); SQLite keeps a separate write-ahead log for each name, so what one records the other loses. It was left as it is: remove the extra names and keep one
# [clerk]
reason-store-gone = the ledger file { $path } was deleted or moved while the kiosk ran; nothing was recorded: quit and check the ledger with `kiosk verify`
# [clerk]
reason-store-replaced = the ledger file { $path } was replaced while the kiosk ran ({ $detail }); nothing was recorded: quit and check the ledger with `kiosk verify`
# [clerk] $rescue is what became of the last events, as the store says it.
reason-store-wal-missing = the ledger's write-ahead log { $wal } was deleted while the kiosk ran; { $rescue }. Nothing more was recorded: quit, restart the kiosk and check the ledger with `kiosk verify`
# [clerk]
reason-store-went-backwards = the ledger went backwards while the kiosk ran (this kiosk saw event { $seen }, the file { $path } now ends at event { $head }: an older copy was put in its place); nothing was recorded: quit and check the ledger with `kiosk verify`
# [clerk] $why is the first problem, as it was said then.
reason-store-recording-stopped = recording has stopped: { $why }
# [clerk] $detail is SQLite's own words.
reason-store-database = database error: { $detail }

## The carrier's announcement file (the desk's import)

# [clerk]
reason-import-no-header = the file has no header row (expected tracking_id,recipient_name,pickup_code[,postal_code,street,city])
# [clerk] $column arrives in quotes.
reason-import-missing-column = the header lacks the column { $column } (expected tracking_id,recipient_name,pickup_code[,postal_code,street,city])
# [clerk]
reason-import-too-large = the file has more than { $max } parcels
# [clerk] One bad line; several are joined with "; ".
reason-import-line = line { $line }: { $problem }
# [clerk] After the first lines named.
reason-import-more-lines = and { $count } more bad lines
# [clerk] $detail is the CSV reader's own words.
reason-import-not-csv = not valid CSV ({ $detail })
# [clerk] $reason: why the id is not a label.
reason-import-tracking-id = tracking_id: { $reason }
# [clerk]
reason-import-carrier-not-taken = tracking_id: { $id } is a { $carrier } label, and this store does not take { $carrier } parcels ([carriers] accept)
# [clerk] $column is the file's column name, as the file spells it.
reason-import-text-bad-character = { $column } contains { $character }, which is not allowed
# [clerk]
reason-import-text-too-long = { $column } has { $length } characters; at most { $max } are allowed
# [clerk]
reason-import-name-empty = recipient_name is empty
# [clerk] The code itself is never shown (it may be a real one with a typo).
reason-import-pickup-code = pickup_code: a pickup code is { $min }-{ $max } digits
# [clerk]
reason-import-listed-twice = { $id } is listed twice (first on line { $first })

## The driver's QR code

# [clerk] $detail is the QR library's own words.
reason-qr-encode = the text does not fit in a QR code: { $detail }
