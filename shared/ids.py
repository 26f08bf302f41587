"""Identifiers: random UUIDs as strings, the same form in URLs, documents and events."""

import uuid


def new_id() -> str:
    return str(uuid.uuid4())
