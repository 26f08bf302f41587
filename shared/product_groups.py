"""OCOP product groups and sub-groups (product sets), from `data/product-groups.yaml`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from shared.errors import InvalidInput


@dataclass(frozen=True)
class Subgroup:
    code: str
    group: str
    name: str
    confirmed: bool


@dataclass(frozen=True)
class Classification:
    groups: dict[str, str]  # code -> Vietnamese name
    subgroups: dict[str, Subgroup]


@cache
def classification() -> Classification:
    text = resources.files("shared").joinpath("data/product-groups.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    groups = {group["code"]: group["name"] for group in raw["groups"]}
    subgroups = {
        entry["code"]: Subgroup(
            code=entry["code"],
            group=entry["group"],
            name=entry["name"],
            confirmed=entry["assignment"] == "confirmed",
        )
        for entry in raw["subgroups"]
    }
    return Classification(groups, subgroups)


def group_problem(group: str) -> str | None:
    """Why `group` is not one of the six, or None."""
    groups = classification().groups
    return None if group in groups else f"{group!r} is not one of {sorted(groups)}"


def check_classification(group: str, subgroup: str | None) -> None:
    """InvalidInput naming `group` or `subgroup` unless they are known and match."""
    known = classification()
    problem = group_problem(group)
    if problem:
        raise InvalidInput.field("group", problem)
    if subgroup is None:
        return
    entry = known.subgroups.get(subgroup)
    if entry is None or entry.group != group:
        options = sorted(code for code, sub in known.subgroups.items() if sub.group == group)
        raise InvalidInput.field(
            "subgroup", f"{subgroup!r} is not a sub-group of {group}: {options}"
        )
