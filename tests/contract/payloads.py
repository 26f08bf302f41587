"""Validate a CloudEvent body against the payload schema the AsyncAPI document gives it."""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from shared.events import asyncapi
from shared.events.envelope import _split_type
from shared.events.registry import model_for


@cache
def documented() -> dict[str, Any]:
    return asyncapi.document()


def validator(message: str) -> Draft202012Validator:
    doc = documented()
    root = {"$ref": f"#/components/messages/{message}/payload", "components": doc["components"]}
    return Draft202012Validator(root)


def problems(body: dict[str, Any]) -> list[str]:
    """What in `body` disagrees with the documented schema of its type ([] when valid)."""
    name, version = _split_type(body["type"])
    model = model_for(name, version)
    if model is None:
        return [f"undocumented type {body['type']}"]
    return [
        f"{'/'.join(map(str, e.path))}: {e.message}"
        for e in validator(asyncapi.message_name(model)).iter_errors(body)
    ]
