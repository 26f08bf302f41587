#!/usr/bin/env bash
# The browser test drives Debian's Chromium (no browser download at test time).
set -uo pipefail
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing chromium (apt-get)…"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    && exit 0
fi
echo "Chromium is needed for the browser test: install it (as root: apt-get install chromium)." >&2
exit 1
