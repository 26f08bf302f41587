"""HTTP request and response models of the scoring API (`/api/v1`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.scoring.criteria import CriteriaSet, Criterion, Sheet
from services.scoring.domain import Evaluation, Ranking
from shared.events import CapByCriterion

Id = Annotated[str, StringConstraints(min_length=1, max_length=100)]


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
    options: list[OptionOut]

    @classmethod
    def of(cls, criterion: Criterion) -> CriterionOut:
        return cls.model_validate({**criterion.model_dump(), "mandatory": criterion.mandatory})


class PartOut(BaseModel):
    code: str
    name: str
    max: float
    criteria: list[CriterionOut]


class SheetOut(BaseModel):
    id: str
    criteria_set: str
    group: str
    subgroup: str
    title: str
    provisional: bool
    provisional_reasons: list[str]
    known_issues: list[str]
    sources: dict
    parts: list[PartOut]

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


class StarBandOut(BaseModel):
    stars: int
    min_points: float


class CriteriaSetOut(BaseModel):
    code: str
    decision: str
    applies_from: date
    part_maxima: dict[str, float]
    star_bands: list[StarBandOut]
    star_bands_note: str
    group_defaults: dict[str, str]
    sheets: list[SheetOut]

    @classmethod
    def of(cls, criteria_set: CriteriaSet) -> CriteriaSetOut:
        return cls.model_validate(
            {
                **criteria_set.model_dump(exclude={"sheets"}),
                "sheets": [SheetOut.of(sheet) for sheet in criteria_set.sheets.values()],
            }
        )


class EvaluationQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: Id | None = None


class EvaluationOut(BaseModel):
    id: str
    product_id: str
    dossier_id: str
    status: str
    criteria_set: str
    sheet_id: str
    provisional: bool
    provisional_reasons: list[str]
    council_id: str
    level: str
    members: list[str]
    submitted_members: list[str]
    opened_on: date
    ranking: Ranking | None

    @classmethod
    def of(cls, evaluation: Evaluation) -> EvaluationOut:
        return cls.model_validate(
            {
                **evaluation.model_dump(exclude={"sheets"}),
                "submitted_members": [sheet.member_id for sheet in evaluation.sheets],
            }
        )


class ScoresheetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    member_id: Id
    answers: dict[
        Annotated[str, StringConstraints(max_length=20)],
        Annotated[str, StringConstraints(max_length=30)],
    ]


class PartScoreOut(BaseModel):
    code: str
    points: float


class ScoresheetOut(BaseModel):
    evaluation_id: str
    member_id: str
    revision: int
    total: float
    parts: list[PartScoreOut]


class RankingOut(BaseModel):
    evaluation_id: str
    total: float
    band_stars: int
    stars: int
    level: str
    capped_by: list[CapByCriterion]
    ranked_on: date
