"""Events published by the scoring service on `scoring.events`."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from shared.events.base import Event

Level = Literal["province", "central"]


class EvaluationOpened(Event):
    """A council opened an evaluation round (vòng đánh giá) for a submitted dossier."""

    event_type: ClassVar[str] = "evaluation.opened"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "scoring"

    evaluation_id: str
    product_id: str
    dossier_id: str
    criteria_set: str
    sheet_id: str
    provisional: bool
    council_id: str
    level: Level
    members: tuple[str, ...]

    def subject(self) -> str:
        return f"evaluation/{self.evaluation_id}"


class PartScore(BaseModel):
    """Points a member gave in one part (A, B, C) of the sheet."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    code: str
    points: float


class ScoresheetSubmitted(Event):
    """One council member submitted (or revised, before close) their score sheet."""

    event_type: ClassVar[str] = "scoresheet.submitted"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "scoring"

    evaluation_id: str
    product_id: str
    member_id: str
    revision: int
    total: float
    parts: tuple[PartScore, ...]

    def subject(self) -> str:
        return f"evaluation/{self.evaluation_id}"


class CapByCriterion(BaseModel):
    """A star level the product could not reach because one criterion fell short."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    criterion: str
    stars: int
    required_points: float
    average_points: float


class ProductRanked(Event):
    """A council closed an evaluation: the product's average score, stars and level.

    `level` is who recognises the result: `central` when the product reaches 5 stars,
    which since Decision 1489/QĐ-TTg (2025) only the central council may recognise.
    `council_level` is the council that scored it: a province council's 5-star result is
    a proposal to the central council, not yet a recognition.
    """

    event_type: ClassVar[str] = "product.ranked"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "scoring"

    evaluation_id: str
    product_id: str
    producer_id: str
    dossier_id: str
    product_name: str
    group: str
    subgroup: str | None = None
    province_code: str
    criteria_set: str
    total: float
    band_stars: int
    stars: int
    level: Level
    council_level: Level
    capped_by: tuple[CapByCriterion, ...] = ()
    ranked_on: date

    def subject(self) -> str:
        return f"product/{self.product_id}"
