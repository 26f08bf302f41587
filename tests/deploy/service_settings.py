"""What a service can be configured with: the `${VAR:default}` placeholders of its
config.yml. A deployment that sets any other name has a typo nobody would notice."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

SERVICES_DIR = Path(__file__).resolve().parents[2] / "services"


@cache
def settings_of(service: str) -> frozenset[str]:
    text = (SERVICES_DIR / service / "config.yml").read_text()
    return frozenset(re.findall(r"\$\{([A-Z0-9_]+):", text))
