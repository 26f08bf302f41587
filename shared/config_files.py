"""Reading a service's `config.yml` outside nameko (for commands), with the same
`${VAR:default}` environment placeholders nameko fills in."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}")


def load_config(path: str | Path) -> dict[str, Any]:
    text = Path(path).read_text("utf-8")
    filled = PLACEHOLDER.sub(lambda m: os.environ.get(m.group(1), m.group(2) or ""), text)
    return yaml.safe_load(filled) or {}
