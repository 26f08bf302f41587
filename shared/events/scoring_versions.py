"""Earlier versions of scoring's events, read only to upcast stored and replayed ones
(`registry.py` chains the upcasters): consumers only ever handle the newest shape."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from shared.events.base import Event
from shared.events.scores import CapByCriterion
from shared.events.scoring import RankedProduct


class ProductNotRankedV1(RankedProduct):
    """Version 1, until issue 16: no disqualification reason. Read only to upcast."""

    event_type: ClassVar[str] = "product.not_ranked"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "scoring"

    reason: Literal["mandatory_criteria", "precheck"]
    total: float | None = None
    failed_criteria: tuple[CapByCriterion, ...] = ()
    decided_on: date


def product_not_ranked_v1_to_v2(data: dict) -> dict:
    """v2 only adds a reason and its field: a v1 payload is a valid v2 one."""
    return dict(data)


class EvaluationClosedV1(Event):
    """Version 1, until issue 17: no `returned` outcome. Read only to upcast."""

    event_type: ClassVar[str] = "evaluation.closed"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "scoring"

    evaluation_id: str
    product_id: str
    outcome: Literal["ranked", "not_ranked", "escalated", "precheck_failed"]
    total: float | None
    sheets: int
    closed_by: str

    def subject(self) -> str:
        return f"evaluation/{self.evaluation_id}"


def evaluation_closed_v1_to_v2(data: dict) -> dict:
    """v2 only adds an outcome: a v1 payload is a valid v2 one."""
    return dict(data)
