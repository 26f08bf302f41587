"""Criteria sets and their score sheets: the models and how to find one. Loading and
checking the data files is in `criteria_files.py`.

A criteria set (bộ tiêu chí) is a decision's scoring rules: part maxima, star bands and
one score sheet per product set (e.g. Decision 148/QĐ-TTg of 2023, `148-2023`). Files live
in `data/`: `criteria-sets.yaml` names the sets, their sheets (used to score), their
withheld sheets (transcribed but not adding up) and their "Hồ sơ bị loại khi" rules; each
sheet file keeps its source's wording and provenance notes. A sheet that is used adds up:
anything else stops the service at start (see `criteria_files.py`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from shared.product_groups import classification


class CriteriaError(Exception):
    """A criteria file that must not be used; the message names file, criterion, reason."""


class Option(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    text: str
    points: float
    case: str | None = None  # where one of two cases applies (the tourism sheet's 8, 9, 15)


class Criterion(BaseModel):
    """One multiple-choice criterion; `min_points_for_stars` come from star-marked options,
    or from a marker on the criterion's heading (`marked_whole`: the criterion must be met
    at its lowest option for that many stars)."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    section: str
    max_points: float
    options: tuple[Option, ...]
    min_points_for_stars: dict[int, float] = {}
    marked_whole: bool = False

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


class Disqualification(BaseModel):
    """A "Hồ sơ bị loại khi" rule: a dossier it applies to is not ranked, whatever its score.
    The council says at close which apply; the rules are the sheet's data."""

    model_config = ConfigDict(frozen=True)

    code: str
    text: str


class Sheet(BaseModel):
    """The score sheet (phiếu đánh giá) of one product set under one criteria set."""

    model_config = ConfigDict(frozen=True)

    id: str
    criteria_set: str
    group: str
    subgroup: str
    set_number: int | None = None  # the product set's number in the decision (1-26 in 148)
    title: str
    provisional_reasons: tuple[str, ...]
    known_issues: tuple[str, ...]
    sources: dict[str, Any]
    parts: tuple[Part, ...]
    disqualifications: tuple[Disqualification, ...] = ()

    def criteria(self) -> dict[str, Criterion]:
        return {criterion.code: criterion for part in self.parts for criterion in part.criteria}


class WithheldSheet(BaseModel):
    """A product set's sheet that is transcribed but not used: why, for the coverage page
    and for the rounds that wait on it."""

    model_config = ConfigDict(frozen=True)

    group: str
    subgroup: str
    set_number: int | None = None
    title: str
    reason: str
    problems: tuple[str, ...]


class StarBand(BaseModel):
    model_config = ConfigDict(frozen=True)

    stars: int
    min_points: float


class CriteriaSet(BaseModel):
    """A decision's scoring rules. A `draft` or `unconfirmed` set is kept for reference
    (e.g. a decision whose text could not be confirmed) and never chosen for a round; an
    `unconfirmed` one makes the rounds opened after its date provisional, saying why."""

    model_config = ConfigDict(frozen=True)

    code: str
    decision: str
    status: Literal["in_force", "unconfirmed", "draft"]
    note: str = ""
    provisional_reason: str = ""  # said on rounds of an older set once this one may apply
    applies_from: date
    groups: dict[str, str]  # the set's product groups (code -> name)
    part_maxima: dict[str, float]
    star_bands: tuple[StarBand, ...]
    star_bands_note: str
    sheets: dict[str, Sheet]  # by sub-group; a sub-group without one is never scored
    withheld: dict[str, WithheldSheet] = {}  # by sub-group
    product_sets_of_148: bool = False  # its product sets are 148's 26 (shared/data)


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


class Coverage(BaseModel):
    """One product set of a group in a criteria set: its sheet used, withheld, or missing."""

    subgroup: str
    set_number: int | None
    title: str
    status: Literal["used", "withheld", "missing"] = "missing"
    provisional: bool = False
    reason: str = ""


def coverage(criteria_set: CriteriaSet, group: str) -> list[Coverage]:
    """The group's product sets (the decision's 26 for 148 and later, the sheets the set
    has otherwise), each with what the platform can score it on."""
    products = [sub for sub in classification().subgroups.values() if sub.group == group]
    missing = "chưa có phiếu đánh giá trong dữ liệu"
    rows = {
        sub.code: Coverage(
            subgroup=sub.code, set_number=sub.set_number, title=sub.name, reason=missing
        )
        for sub in (products if criteria_set.product_sets_of_148 else [])
    }
    for sheet in criteria_set.sheets.values():
        if sheet.group == group:
            rows[sheet.subgroup] = Coverage(
                **sheet.model_dump(include={"subgroup", "set_number", "title"}),
                status="used",
                provisional=bool(sheet.provisional_reasons),
                reason="; ".join(sheet.provisional_reasons),
            )
    for withheld in criteria_set.withheld.values():
        if withheld.group == group:
            rows[withheld.subgroup] = Coverage(
                **withheld.model_dump(include={"subgroup", "set_number", "title", "reason"}),
                status="withheld",
            )
    return sorted(rows.values(), key=lambda row: (row.set_number or 0, row.subgroup))
