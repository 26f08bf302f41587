"""Events published by the scoring service on `scoring.events` (the values they carry are
in `scores.py`)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from shared.events.base import Event
from shared.events.scores import CapByCriterion, Disqualified, PartScore, SheetUsed

Level = Literal["province", "central"]
RoundKind = Literal["new", "central", "re_evaluation"]


class RoundEvent(Event):
    """Fields every event about a round's start carries."""

    evaluation_id: str
    product_id: str
    dossier_id: str | None = None
    kind: RoundKind = "new"
    criteria_set: str

    def subject(self) -> str:
        return f"evaluation/{self.evaluation_id}"


class EvaluationWaiting(RoundEvent):
    """A round that cannot open on a sheet: the product names no sub-group (older records,
    imports), or the criteria set in force has no sheet for it. Nothing is scored on another
    group's sheet; the round waits until an officer sets the sub-group (`product.classified`)
    or the sheet is added to the criteria data."""

    event_type: ClassVar[str] = "evaluation.waiting"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "scoring"

    group: str
    subgroup: str | None = None
    waiting_for: Literal["subgroup", "sheet"]
    reason: str


class EvaluationOpened(RoundEvent):
    """A council opened an evaluation round (vòng đánh giá) on its sheet: for a submitted
    dossier (`new`), for a product escalated to the central council (`central`), or for a
    renewal dossier of a certified product (`re_evaluation`). `awaiting_precheck` (the v1
    name) and `awaiting_assessment` say the same: members score only once the commune has
    assessed the dossier and the province has opened the round."""

    event_type: ClassVar[str] = "evaluation.opened"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "scoring"

    sheet_id: str
    provisional: bool
    council_id: str
    level: Level
    members: tuple[str, ...]
    awaiting_precheck: bool = False
    awaiting_assessment: bool | None = None  # None on events sent before it was added
    escalated_from: str | None = None
    certificate_number: str | None = None
    batch_id: str | None = None


class ScoresheetSubmitted(Event):
    """A council member submitted their score sheet (first revision)."""

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


class ScoresheetAmended(Event):
    """A member amended their sheet before the round closed; earlier revisions are kept."""

    event_type: ClassVar[str] = "scoresheet.amended"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "scoring"

    evaluation_id: str
    product_id: str
    member_id: str
    revision: int
    previous_total: float
    total: float
    parts: tuple[PartScore, ...]

    def subject(self) -> str:
        return f"evaluation/{self.evaluation_id}"


class EvaluationClosed(Event):
    """A round closed: ranked, not ranked, escalated to the central council, or its dossier
    returned to the producer (`returned`, v2: by the commune or the province, see
    `dossier.returned`); `precheck_failed` only on rounds closed before issue 17."""

    event_type: ClassVar[str] = "evaluation.closed"
    version: ClassVar[int] = 2
    source_service: ClassVar[str] = "scoring"

    evaluation_id: str
    product_id: str
    outcome: Literal["ranked", "not_ranked", "escalated", "returned", "precheck_failed"]
    total: float | None
    sheets: int
    closed_by: str

    def subject(self) -> str:
        return f"evaluation/{self.evaluation_id}"


class RankedProduct(Event):
    """Fields every result about a product carries."""

    evaluation_id: str
    product_id: str
    producer_id: str
    dossier_id: str | None = None
    product_name: str
    group: str
    subgroup: str | None = None
    province_code: str
    criteria_set: str
    council_id: str | None = None
    round_kind: RoundKind = "new"
    certificate_number: str | None = None  # the certificate a re-evaluation round renews
    sheet: SheetUsed | None = None  # None only on results imported from before the platform

    def subject(self) -> str:
        return f"product/{self.product_id}"


class ProductRanked(RankedProduct):
    """A council's result: the average total, per-part averages, stars and level.

    `level` is who recognises the result (3–4 stars the province, 5 stars the central
    council, Decision 1489/QĐ-TTg of 2025); `council_level` is the council that scored.
    `capped_by` names the criteria that kept the stars below the score band's.
    `escalated`: the same close sent the product to the central council (90 points or
    more); these are the stars the province recognises while the central council decides,
    at most 4 (services/scoring/data/escalation.yaml).
    """

    event_type: ClassVar[str] = "product.ranked"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "scoring"

    total: float
    parts: tuple[PartScore, ...] = ()
    band_stars: int
    stars: int
    level: Level
    council_level: Level
    capped_by: tuple[CapByCriterion, ...] = ()
    escalated: bool = False
    ranked_on: date


class ProductNotRanked(RankedProduct):
    """The product is not ranked: a mandatory (3-star) criterion failed, named here; the
    dossier did not pass the commune pre-check; or the council found a disqualification
    rule of the sheet applies ("Hồ sơ bị loại khi", v2), named in `disqualified_by`."""

    event_type: ClassVar[str] = "product.not_ranked"
    version: ClassVar[int] = 2
    source_service: ClassVar[str] = "scoring"

    reason: Literal["mandatory_criteria", "precheck", "disqualified"]
    total: float | None = None
    failed_criteria: tuple[CapByCriterion, ...] = ()
    disqualified_by: tuple[Disqualified, ...] = ()
    decided_on: date


class ProductEscalated(RankedProduct):
    """A province council's result of 90 points or more goes to the central council,
    whatever its 5-star minimums: the central council scores again and alone may recognise
    5 stars (Decision 1489/QĐ-TTg, 2025)."""

    event_type: ClassVar[str] = "product.escalated"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "scoring"

    total: float
    parts: tuple[PartScore, ...] = ()
    to_level: Level = "central"
    escalated_on: date


class ResultImported(RankedProduct):
    """A past result loaded from a province's records (bulk import), with the criteria set
    and the level it was scored at then (district councils ranked 3 stars in 2023–2025,
    before districts were abolished on 1 July 2025). History only: it certifies nothing."""

    event_type: ClassVar[str] = "result.imported"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "scoring"

    total: float
    stars: int
    scored_at_level: Literal["district", "province", "central"]
    evaluated_on: date
