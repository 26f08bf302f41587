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
    set_number: int  # the product set's number in the decision's Phụ lục (1-26 in 148)
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
            set_number=entry["set"],
            confirmed=entry["assignment"] == "confirmed",
        )
        for entry in raw["subgroups"]
    }
    return Classification(groups, subgroups)


def group_problem(group: str) -> str | None:
    """Why `group` is not one of the six, or None."""
    groups = classification().groups
    return None if group in groups else f"{group!r} is not one of {sorted(groups)}"


def subgroups_of(group: str) -> list[str]:
    """The codes of a group's product sets, in the decision's order."""
    found = [sub for sub in classification().subgroups.values() if sub.group == group]
    return [sub.code for sub in sorted(found, key=lambda sub: sub.set_number)]


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
        options = subgroups_of(group)
        raise InvalidInput.field(
            "subgroup", f"{subgroup!r} is not a sub-group of {group}: {options}"
        )
