"""The evaluation round's state: what a stored round holds. Pure data, no rules."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from services.scoring.councils import Council
from shared.access.caller import Reach
from shared.events import AssessedItem, CapByCriterion, Disqualified, EvidenceData, PartScore
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
    """The commune's pre-check of a round stored before the assessment replaced it: kept
    readable, never written now."""

    officer_id: str
    local_raw_materials: bool
    local_labour: bool
    note: str = ""
    passed: bool
    at: str


class Assessment(Frozen):
    """The commune's assessment of the dossier (đánh giá của UBND cấp xã, Decision
    1489/QĐ-TTg): each item of data/commune-assessment.yaml met or not, the report, and
    whether the commune proposes the dossier to the province or returns it."""

    officer_id: str
    items: tuple[AssessedItem, ...]
    report: str
    verdict: Literal["propose", "return"]
    reasons: tuple[str, ...] = ()
    at: str


class Opening(Frozen):
    """The province's decision on a proposed dossier: open the round for scoring, or return
    the dossier with its reasons."""

    officer_id: str
    open: bool
    reasons: tuple[str, ...] = ()
    at: str


Status = Literal["awaiting_sheet", "awaiting_assessment", "awaiting_opening", "open", "closed"]
ReturnedBy = Literal["commune", "province"]


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
    # `precheck_failed`: rounds stored before the commune's assessment replaced the pre-check
    kind: Literal["ranked", "not_ranked", "escalated", "returned", "precheck_failed"]
    total: float | None = None
    parts: tuple[PartScore, ...] = ()
    band_stars: int | None = None
    stars: int | None = None
    level: Level | None = None
    capped_by: tuple[CapByCriterion, ...] = ()
    failed_criteria: tuple[CapByCriterion, ...] = ()
    disqualified_by: tuple[Disqualified, ...] = ()
    returned_by_level: ReturnedBy | None = None
    reasons: tuple[str, ...] = ()  # why the dossier was returned
    decided_on: date


class Evaluation(Frozen):
    """One evaluation round (vòng đánh giá) of one product by one council."""

    id: str
    round_key: str  # one round per dossier submission, per escalation
    kind: RoundKind
    dossier_id: str | None = None
    product_id: str
    producer_id: str
    product_name: str
    group: str
    subgroup: str | None
    province_code: str
    ward_code: str | None = None  # the commune, for its officer's assessment
    criteria_set: str
    sheet_id: str | None  # None while the round waits for its sheet
    sheet_title: str | None = None  # the product set's name, as the sheet gives it
    provisional_reasons: tuple[str, ...]
    council: Council
    member_ids: tuple[str, ...]  # the scoring members, for "my open rounds" queries
    evidence: tuple[EvidenceData, ...] = ()
    escalated_from: str | None = None
    certificate_number: str | None = None  # the certificate a re-evaluation round renews
    batch_id: str | None = None  # the province's evaluation batch (đợt) the dossier is in
    opened_on: date
    status: Status
    waiting: Waiting | None = None  # why the round has no sheet yet
    assessment_required: bool = False  # the commune assesses before the province opens it
    set_reasons: tuple[str, ...] = ()  # why the criteria set itself is provisional
    precheck: Precheck | None = None  # stored before the assessment replaced it
    assessment: Assessment | None = None
    opening: Opening | None = None
    sheets: tuple[MemberSheet, ...] = ()
    outcome: Outcome | None = None
    audit: tuple[AuditEntry, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def upcast(cls, data: Any) -> Any:
        """Rounds stored before the commune's assessment replaced the pre-check: one that
        waited for the pre-check waits for the assessment."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if data.get("status") == "awaiting_precheck":
            data["status"] = "awaiting_assessment"
        if "precheck_required" in data:
            data.setdefault("assessment_required", data.pop("precheck_required"))
        return data

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
