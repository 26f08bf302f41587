#!/usr/bin/env bash
# Create the virtualenv in .venv and install the project with its pinned dependencies.
# On a fresh Debian machine as root, installs python3-venv first if it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing python3-venv (apt-get)…"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv python3-pip >/dev/null
  else
    echo "Python 3.11+ with the venv module is needed: install python3-venv (as root: apt-get install python3-venv)." >&2
    exit 1
  fi
fi

python3 - <<'PY' || { echo "Python 3.11 or newer is needed (found $(python3 --version))." >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
touch .venv/.installed
echo "Virtualenv ready in .venv"
