"""Criteria sets and their score sheets: the models and how to find one. Loading and
checking the data files is in `criteria_files.py`.

Criteria sets and their score sheets come from data files and are checked on load.

A criteria set (bộ tiêu chí) is a decision's scoring rules: part maxima, star bands and
one score sheet per product set (e.g. Decision 148/QĐ-TTg of 2023, `148-2023`). Files live
in `data/`: `criteria-sets.yaml` names the sets and their sheets; each sheet file keeps
its source's wording and provenance notes.

Checks on load: criterion codes are unique; each criterion's stated maximum equals its
best option; sections and parts sum to their stated maxima; the parts of a set sum to
100. A mismatch the sheet file itself declares (its `arithmetic_check.mismatches`) is a
known inconsistency of the source: it is reported with the sheet, never hidden. Any
other mismatch stops the service at start with the file, the criterion and the reason.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class CriteriaError(Exception):
    """A criteria file that must not be used; the message names file, criterion, reason."""


class Option(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    text: str
    points: float


class Criterion(BaseModel):
    """One multiple-choice criterion; `min_points_for_stars` come from star-marked options."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    section: str
    max_points: float
    options: tuple[Option, ...]
    min_points_for_stars: dict[int, float] = {}

    @property
    def mandatory(self) -> bool:
        """Mandatory for 3 stars: an option is marked `***`."""
        return 3 in self.min_points_for_stars

    def required_for(self, stars: int) -> float | None:
        """Minimum points to be ranked `stars`: the highest marker at or below that level."""
        levels = [level for level in self.min_points_for_stars if level <= stars]
        return self.min_points_for_stars[max(levels)] if levels else None


class Part(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    max_points: float
    criteria: tuple[Criterion, ...]


class Sheet(BaseModel):
    """The score sheet (phiếu đánh giá) of one product set under one criteria set."""

    model_config = ConfigDict(frozen=True)

    id: str
    criteria_set: str
    group: str
    subgroup: str
    title: str
    provisional_reasons: tuple[str, ...]
    known_issues: tuple[str, ...]
    sources: dict[str, Any]
    parts: tuple[Part, ...]

    def criteria(self) -> dict[str, Criterion]:
        return {criterion.code: criterion for part in self.parts for criterion in part.criteria}


class StarBand(BaseModel):
    model_config = ConfigDict(frozen=True)

    stars: int
    min_points: float


class CriteriaSet(BaseModel):
    """A decision's scoring rules. A `draft` set is kept for reference (e.g. a decision
    whose text could not be confirmed) and never chosen for an evaluation."""

    model_config = ConfigDict(frozen=True)

    code: str
    decision: str
    status: Literal["in_force", "draft"]
    note: str = ""
    applies_from: date
    groups: dict[str, str]  # the set's product groups (code -> name)
    part_maxima: dict[str, float]
    star_bands: tuple[StarBand, ...]
    star_bands_note: str
    sheets: dict[str, Sheet]  # by sub-group
    group_defaults: dict[str, str]  # group -> sub-group whose sheet stands in, provisionally


def find_set(sets: tuple[CriteriaSet, ...], code: str) -> CriteriaSet | None:
    return next((each for each in sets if each.code == code), None)


def set_named(sets: tuple[CriteriaSet, ...], code: str) -> CriteriaSet:
    """The set an evaluation was opened on; its absence is a data error, not bad input."""
    found = find_set(sets, code)
    if found is None:
        raise CriteriaError(f"criteria set {code} is no longer in the criteria data")
    return found


def find_sheet(sets: tuple[CriteriaSet, ...], sheet_id: str) -> Sheet:
    """The sheet an evaluation was opened on (ids are `<set>/<sub-group>`)."""
    set_code, _, subgroup = sheet_id.partition("/")
    criteria_set = find_set(sets, set_code)
    if criteria_set is None or subgroup not in criteria_set.sheets:
        raise CriteriaError(f"sheet {sheet_id} is no longer in the criteria data")
    return criteria_set.sheets[subgroup]
