"""The `ocop` command's exit codes."""

DONE = 0  # everything asked was done
ROWS_REFUSED = 1  # some rows (or messages) were invalid or refused, each reported
UNUSABLE = 2  # the input or the platform could not be used at all
