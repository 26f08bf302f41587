"""The evaluation round's state: what a stored round holds. Pure data, no rules."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from services.scoring.councils import Council
from shared.access.caller import Reach
from shared.events import CapByCriterion, Disqualified, EvidenceData, PartScore
from shared.events.envelope import rfc3339
from shared.events.scoring import Level, RoundKind


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Answer(Frozen):
    """One criterion's chosen option; pairs rather than a mapping, so codes like `1.a`
    never become document keys."""

    criterion: str
    option: str


class Revision(Frozen):
    revision: int
    answers: tuple[Answer, ...]
    total: float
    parts: tuple[PartScore, ...]
    submitted_at: str

    def answer_map(self) -> dict[str, str]:
        return {answer.criterion: answer.option for answer in self.answers}


class MemberSheet(Frozen):
    """A member's sheet with every revision; an amendment adds one, never overwrites."""

    member_id: str
    revisions: tuple[Revision, ...]

    @property
    def current(self) -> Revision:
        return self.revisions[-1]


class Precheck(Frozen):
    """The commune's pre-check of the dossier (Decision 1489/QĐ-TTg, 2025)."""

    officer_id: str
    local_raw_materials: bool
    local_labour: bool
    note: str = ""
    passed: bool
    at: str


class Waiting(Frozen):
    """Why a round has no sheet: the product names no sub-group, or the criteria set in
    force has no sheet for it (the law's data is missing: said, never guessed)."""

    waiting_for: Literal["subgroup", "sheet"]
    reason: str


class AuditEntry(Frozen):
    """Who did what, when: appended by every change, never edited."""

    at: str
    actor: str
    action: str
    details: dict[str, Any] = {}


class Outcome(Frozen):
    kind: Literal["ranked", "not_ranked", "escalated", "precheck_failed"]
    total: float | None = None
    parts: tuple[PartScore, ...] = ()
    band_stars: int | None = None
    stars: int | None = None
    level: Level | None = None
    capped_by: tuple[CapByCriterion, ...] = ()
    failed_criteria: tuple[CapByCriterion, ...] = ()
    disqualified_by: tuple[Disqualified, ...] = ()
    decided_on: date


class Evaluation(Frozen):
    """One evaluation round (vòng đánh giá) of one product by one council."""

    id: str
    round_key: str  # one round per dossier, per escalation, per certificate term
    kind: RoundKind
    dossier_id: str | None = None
    product_id: str
    producer_id: str
    product_name: str
    group: str
    subgroup: str | None
    province_code: str
    ward_code: str | None = None  # the commune, for its officer's pre-check
    criteria_set: str
    sheet_id: str | None  # None while the round waits for its sheet
    sheet_title: str | None = None  # the product set's name, as the sheet gives it
    provisional_reasons: tuple[str, ...]
    council: Council
    member_ids: tuple[str, ...]  # the scoring members, for "my open rounds" queries
    evidence: tuple[EvidenceData, ...] = ()
    escalated_from: str | None = None
    certificate_number: str | None = None
    opened_on: date
    status: Literal["awaiting_sheet", "awaiting_precheck", "open", "closed"]
    waiting: Waiting | None = None  # why the round has no sheet yet
    precheck_required: bool = False  # the commune pre-checks before members score
    set_reasons: tuple[str, ...] = ()  # why the criteria set itself is provisional
    precheck: Precheck | None = None
    sheets: tuple[MemberSheet, ...] = ()
    outcome: Outcome | None = None
    audit: tuple[AuditEntry, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_reasons)

    def reach(self) -> Reach:
        return Reach(
            province=self.province_code,
            ward=self.ward_code,
            producer_id=self.producer_id,
            members=self.member_ids,
            central=self.council.level == "central",
        )

    def sheet_of(self, member_id: str) -> MemberSheet | None:
        return next((each for each in self.sheets if each.member_id == member_id), None)


def entry(now: datetime, actor: str, action: str, **details: Any) -> AuditEntry:
    return AuditEntry(at=rfc3339(now), actor=actor, action=action, details=details)


def audited(evaluation: Evaluation, record: AuditEntry, **changes: Any) -> Evaluation:
    """`evaluation` with `changes` and `record` appended to its audit trail."""
    return evaluation.model_copy(update={**changes, "audit": (*evaluation.audit, record)})
