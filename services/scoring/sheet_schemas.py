"""Response models of the criteria sets and their score sheets (`/api/v1/criteria-sets`,
a round's sheet): what a council member scores against."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from services.scoring.criteria import CriteriaSet, Criterion, Sheet


class OptionOut(BaseModel):
    code: str
    text: str
    points: float


class CriterionOut(BaseModel):
    code: str
    name: str
    section: str
    max_points: float
    mandatory: bool = Field(description="mandatory for 3 stars (an option is marked ***)")
    min_points_for_stars: dict[int, float]
    marked_whole: bool = Field(
        default=False, description="the star marker sits on the criterion's heading"
    )
    options: list[OptionOut]

    @classmethod
    def of(cls, criterion: Criterion) -> CriterionOut:
        return cls.model_validate({**criterion.model_dump(), "mandatory": criterion.mandatory})


class PartOut(BaseModel):
    code: str
    name: str
    max: float
    criteria: list[CriterionOut]


class DisqualificationOut(BaseModel):
    code: str
    text: str


class SheetOut(BaseModel):
    id: str
    criteria_set: str
    group: str
    subgroup: str
    set_number: int | None = None
    title: str
    provisional: bool
    provisional_reasons: list[str]
    known_issues: list[str]
    sources: dict[str, Any]
    parts: list[PartOut]
    disqualifications: list[DisqualificationOut] = Field(
        default=[], description='"Hồ sơ bị loại khi": the council says at close which apply'
    )

    @classmethod
    def of(cls, sheet: Sheet, reasons: tuple[str, ...] | None = None) -> SheetOut:
        reasons = sheet.provisional_reasons if reasons is None else reasons
        parts = [
            PartOut(
                code=part.code,
                name=part.name,
                max=part.max_points,
                criteria=[CriterionOut.of(criterion) for criterion in part.criteria],
            )
            for part in sheet.parts
        ]
        return cls.model_validate(
            {
                **sheet.model_dump(exclude={"parts"}),
                "provisional": bool(reasons),
                "provisional_reasons": reasons,
                "parts": parts,
            }
        )


class WithheldOut(BaseModel):
    group: str
    subgroup: str
    set_number: int | None
    title: str
    reason: str
    problems: list[str]


class StarBandOut(BaseModel):
    stars: int
    min_points: float


class CriteriaSetSummary(BaseModel):
    code: str
    decision: str
    status: str
    applies_from: date


class CriteriaSetOut(BaseModel):
    code: str
    decision: str
    status: str
    note: str
    applies_from: date
    groups: dict[str, str]
    part_maxima: dict[str, float]
    star_bands: list[StarBandOut]
    star_bands_note: str
    group_defaults: dict[str, str] = Field(
        description="always empty: no product is scored on another sub-group's sheet "
        "(kept so that readers of the earlier contract still find it)",
    )
    sheets: list[SheetOut]
    withheld: list[WithheldOut] = Field(
        description="sheets transcribed but not used to score (their points do not add up): "
        "products of these sub-groups wait, with this reason"
    )

    @classmethod
    def of(cls, criteria_set: CriteriaSet) -> CriteriaSetOut:
        return cls.model_validate(
            {
                **criteria_set.model_dump(exclude={"sheets"}),
                "group_defaults": {},
                "withheld": [each.model_dump() for each in criteria_set.withheld.values()],
                "sheets": [SheetOut.of(sheet) for sheet in criteria_set.sheets.values()],
            }
        )
