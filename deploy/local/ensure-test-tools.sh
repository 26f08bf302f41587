#!/usr/bin/env bash
# The certificate PDF test rasterises the page (pdftoppm) and reads its QR code back
# (zbarimg): Debian's poppler-utils and zbar-tools, installed here when missing.
set -uo pipefail
command -v pdftoppm >/dev/null 2>&1 && command -v zbarimg >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing poppler-utils and zbar-tools (apt-get)…"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils zbar-tools >/dev/null \
    && exit 0
fi
echo "pdftoppm and zbarimg are needed for the certificate PDF test: install them (as root: apt-get install poppler-utils zbar-tools)." >&2
exit 1
