"""Does a new JSON Schema break the consumers of an old one? Pure.

Two roles. A *reader* consumes documents of the schema (event subscribers, API clients
reading responses): it breaks when a field it may read is removed, no longer always present,
or may now hold a type or value it never saw. A *writer* produces them (API clients sending
requests): it breaks when a field it sends is refused, becomes required, or its accepted
types or values shrink. Events also count a new required field as breaking, because stored
and replayed events of the old shape must still validate.
"""

from __future__ import annotations

from typing import Any, Literal

Role = Literal["reader", "writer", "event"]
Schema = dict[str, Any]


def breaking(
    old: Schema, new: Schema, role: Role, old_root: Schema, new_root: Schema, path: str = ""
) -> list[str]:
    old, new = unwrap(resolve(old, old_root), old_root), unwrap(resolve(new, new_root), new_root)
    problems = type_changes(old, new, role, old_root, new_root, path)
    if "properties" in old or "properties" in new:
        problems += property_changes(old, new, role, old_root, new_root, path)
    if "items" in old and "items" in new:
        problems += breaking(old["items"], new["items"], role, old_root, new_root, f"{path}[]")
    return problems


def property_changes(
    old: Schema, new: Schema, role: Role, old_root: Schema, new_root: Schema, path: str
) -> list[str]:
    problems = []
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
    for name in sorted(set(old_props) - set(new_props)):
        problems.append(f"{path}.{name}: removed")
    for name in sorted(set(old_props) & set(new_props)):
        problems += breaking(
            old_props[name], new_props[name], role, old_root, new_root, f"{path}.{name}"
        )
        if role in ("reader", "event") and name in old_required and name not in new_required:
            problems.append(f"{path}.{name}: no longer always present")
    if role in ("writer", "event"):
        for name in sorted(new_required - old_required):
            problems.append(f"{path}.{name}: newly required")
    return problems


def type_changes(
    old: Schema, new: Schema, role: Role, old_root: Schema, new_root: Schema, path: str
) -> list[str]:
    old_types, new_types = types_of(old, old_root), types_of(new, new_root)
    widened, narrowed = new_types - old_types, old_types - new_types
    problems = []
    if role in ("reader", "event") and widened and old_types:
        problems.append(f"{path}: may now be {sorted(widened)}, was {sorted(old_types)}")
    if role == "writer" and narrowed and new_types:
        problems.append(f"{path}: no longer accepts {sorted(narrowed)}")
    old_values, new_values = values_of(old), values_of(new)
    if old_values is not None and new_values is not None:
        if role in ("reader", "event") and new_values - old_values:
            problems.append(f"{path}: new values {sorted(map(str, new_values - old_values))}")
        if role == "writer" and old_values - new_values:
            problems.append(
                f"{path}: no longer accepts values {sorted(map(str, old_values - new_values))}"
            )
    return problems


def resolve(schema: Schema, root: Schema) -> Schema:
    while "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        schema = target
    return schema


def unwrap(schema: Schema, root: Schema) -> Schema:
    """`X | None` is compared as X plus the null type (kept by `types_of`)."""
    branches = schema.get("anyOf", [])
    others = [b for b in branches if resolve(b, root).get("type") != "null"]
    if len(others) == 1 and len(branches) == 2:
        return {**resolve(others[0], root), "nullable_marker": True}
    return schema


def types_of(schema: Schema, root: Schema) -> set[str]:
    if "anyOf" in schema or "oneOf" in schema:
        return set().union(
            *(
                types_of(resolve(b, root), root)
                for b in schema.get("anyOf", schema.get("oneOf", []))
            )
        )
    declared = schema.get("type")
    found = set(declared) if isinstance(declared, list) else ({declared} if declared else set())
    if "const" in schema and not found:
        found = {type(schema["const"]).__name__}
    return found | ({"null"} if schema.get("nullable_marker") else set())


def values_of(schema: Schema) -> set[Any] | None:
    if "enum" in schema:
        return set(schema["enum"])
    if "const" in schema:
        return {schema["const"]}
    return None
