"""A readable page of an OpenAPI document, rendered on the server: no scripts, no CDN, so it
works where the platform runs without internet access."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, select_autoescape

TEMPLATE = Path(__file__).parent / "templates" / "api_docs.html"


def kind(schema: dict[str, Any]) -> str:
    """A short, readable type: `string`, `array of Producer`, `integer | null`."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[1]
    if "anyOf" in schema:
        return " | ".join(kind(each) for each in schema["anyOf"])
    if schema.get("type") == "array":
        return f"array of {kind(schema.get('items', {}))}"
    if "enum" in schema:
        return " | ".join(repr(each) for each in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    return str(schema.get("type", "any")) + (f" ({schema['format']})" if "format" in schema else "")


def render(doc: dict[str, Any]) -> str:
    environment = Environment(autoescape=select_autoescape(default_for_string=True))
    return environment.from_string(TEMPLATE.read_text("utf-8")).render(doc=doc, kind=kind)
