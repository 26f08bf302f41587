"""Past results from a province's records (bulk import): checked, kept, announced.

An imported result is history: it opens no round and certifies nothing (certificates are
imported with their own numbers). What is checked is what a record could get wrong: the
criteria set must be known and in force on the evaluation date, the stars must fit the
set's band for the total, and the level must have existed then.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from services.scoring.criteria import CriteriaSet, find_set
from services.scoring.ranking import band_stars
from shared.errors import InvalidInput
from shared.events import Event, ResultImported

LEVELS_FILE = Path(__file__).parent / "data" / "council-levels.yaml"
PastLevel = Literal["district", "province", "central"]


class ImportedResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    record_code: str
    product_id: str
    producer_id: str
    product_name: str
    group: str
    subgroup: str | None = None
    province_code: str
    criteria_set: str
    scored_at_level: PastLevel
    total: float
    stars: int
    evaluated_on: date
    council_id: str | None = None


def level_ends() -> dict[str, date]:
    """The last day each council level scored, for levels that no longer exist."""
    levels = yaml.safe_load(LEVELS_FILE.read_text(encoding="utf-8"))["levels"]
    return {name: entry["until"] for name, entry in levels.items() if entry.get("until")}


def check_result(
    result: ImportedResult, sets: tuple[CriteriaSet, ...], ends: dict[str, date], today: date
) -> None:
    """InvalidInput naming the field a past result gets wrong."""
    criteria_set = find_set(sets, result.criteria_set)
    if criteria_set is None or criteria_set.status != "in_force":
        known = ", ".join(each.code for each in sets if each.status == "in_force")
        raise InvalidInput.field("criteria_set", f"not a criteria set in force (known: {known})")
    if not criteria_set.applies_from <= result.evaluated_on <= today:
        raise InvalidInput.field(
            "evaluated_on",
            f"must fall between {criteria_set.applies_from} (set {criteria_set.code}) and today",
        )
    level_end = ends.get(result.scored_at_level)
    if level_end is not None and result.evaluated_on > level_end:
        raise InvalidInput.field(
            "scored_at_level", f"{result.scored_at_level} councils scored until {level_end}"
        )
    most = band_stars(criteria_set.star_bands, Fraction(str(result.total)))
    if result.stars > most:
        raise InvalidInput.field("stars", f"a total of {result.total:g} ranks {most} stars at most")


def import_result(
    result: ImportedResult, sets: tuple[CriteriaSet, ...], ends: dict[str, date], today: date
) -> tuple[ImportedResult, list[Event]]:
    check_result(result, sets, ends, today)
    fields = result.model_dump(exclude={"id", "record_code"})
    return result, [ResultImported(evaluation_id=result.id, **fields)]
