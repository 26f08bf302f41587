"""Teach kombu the CloudEvents structured-mode content type.

The AMQP binding of CloudEvents names `application/cloudevents+json` for a structured
body; registering it lets nameko consumers decode it like plain JSON.
"""

from __future__ import annotations

import json
from typing import Any

from kombu.serialization import register

from shared.events import CONTENT_TYPE

SERIALIZER = "cloudevents"
ACCEPTED = (CONTENT_TYPE, "application/json")


def dumps(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def register_codec() -> None:
    """Idempotent: registering twice replaces the entry with the same one."""
    register(SERIALIZER, dumps, json.loads, content_type=CONTENT_TYPE, content_encoding="utf-8")
