"""Before members score: the commune assesses the dossier, the province decides to open the
round. Pure. Decision 148/QĐ-TTg Phụ lục II as amended by 1489/QĐ-TTg (2025): the commune
(UBND cấp xã) assesses the items of data/commune-assessment.yaml, writes its report and
proposes the dossier to the province or returns it; the province opens the round for its
council, or returns the dossier. A returned dossier's round closes (`returned`) and the
producer may fix the dossier and submit it again (a new round).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Literal

from services.scoring.evaluation import (
    Assessment,
    Evaluation,
    Opening,
    Outcome,
    ReturnedBy,
    audited,
    entry,
)
from services.scoring.procedure import AssessmentItem
from shared.clock import VIETNAM
from shared.errors import Conflict, InvalidInput
from shared.events import AssessedItem, DossierAssessed, DossierReturned, EvaluationClosed, Event
from shared.events.envelope import rfc3339

Verdict = Literal["propose", "return"]


def record_assessment(
    evaluation: Evaluation,
    *,
    items: Mapping[str, tuple[bool, str]],
    report: str,
    verdict: Verdict,
    reasons: tuple[str, ...],
    officer_id: str,
    known: tuple[AssessmentItem, ...],
    now: datetime,
) -> tuple[Evaluation, list[Event]]:
    """The commune's assessment: `propose` leaves the round to the province's opening,
    `return` closes it and sends the dossier back with `reasons`."""
    waiting_for(evaluation, "awaiting_assessment", "the commune's assessment")
    assessed = assessed_items(items, known)
    check_reasons(verdict == "return", reasons)
    assessment = Assessment(
        officer_id=officer_id,
        items=assessed,
        report=report,
        verdict=verdict,
        reasons=reasons,
        at=rfc3339(now),
    )
    details = assessment.model_dump(include={"verdict", "reasons"})
    record = entry(now, officer_id, "assessed", **details, unmet=unmet(assessed))
    event = DossierAssessed(
        **evaluation.model_dump(
            include={"dossier_id", "product_id", "producer_id", "province_code", "ward_code"}
        ),
        evaluation_id=evaluation.id,
        items=assessed,
        report=report,
        verdict=verdict,
        reasons=reasons,
        assessed_by=officer_id,
        assessed_on=now.astimezone(VIETNAM).date(),
    )
    if verdict == "propose":
        proposed = audited(evaluation, record, assessment=assessment, status="awaiting_opening")
        return proposed, [event]
    kept = audited(evaluation, record, assessment=assessment)
    closed, events = returned(kept, "commune", officer_id, reasons, now)
    return closed, [event, *events]


def decide_opening(
    evaluation: Evaluation,
    *,
    open_round: bool,
    reasons: tuple[str, ...],
    officer_id: str,
    now: datetime,
) -> tuple[Evaluation, list[Event]]:
    """The province opens a proposed dossier's round for its council, or returns the
    dossier with `reasons`."""
    waiting_for(evaluation, "awaiting_opening", "the province's decision to open it")
    check_reasons(not open_round, reasons)
    opening = Opening(officer_id=officer_id, open=open_round, reasons=reasons, at=rfc3339(now))
    action = "opened_for_scoring" if open_round else "not_opened"
    record = entry(now, officer_id, action, reasons=reasons)
    if open_round:
        return audited(evaluation, record, opening=opening, status="open"), []
    kept = audited(evaluation, record, opening=opening)
    return returned(kept, "province", officer_id, reasons, now)


def returned(
    evaluation: Evaluation,
    level: ReturnedBy,
    officer_id: str,
    reasons: tuple[str, ...],
    now: datetime,
) -> tuple[Evaluation, list[Event]]:
    """The round closed with its dossier sent back to the producer."""
    today = now.astimezone(VIETNAM).date()
    outcome = Outcome(kind="returned", returned_by_level=level, reasons=reasons, decided_on=today)
    closed = evaluation.model_copy(update={"status": "closed", "outcome": outcome})
    return closed, [
        EvaluationClosed(
            evaluation_id=closed.id,
            product_id=closed.product_id,
            outcome="returned",
            total=None,
            sheets=0,
            closed_by=officer_id,
        ),
        DossierReturned(
            **closed.model_dump(include={"dossier_id", "product_id", "producer_id"}),
            evaluation_id=closed.id,
            province_code=closed.province_code,
            returned_by_level=level,
            returned_by=officer_id,
            reasons=reasons,
            returned_on=today,
        ),
    ]


def waiting_for(evaluation: Evaluation, status: str, what: str) -> None:
    if evaluation.status != status:
        raise Conflict(
            f"evaluation {evaluation.id} is not waiting for {what}", {"status": evaluation.status}
        )


def assessed_items(
    items: Mapping[str, tuple[bool, str]], known: tuple[AssessmentItem, ...]
) -> tuple[AssessedItem, ...]:
    """Every item of the data answered, none other; InvalidInput names each fault."""
    codes = {item.code for item in known}
    faults = {f"items.{code}": "not assessed" for code in codes if code not in items}
    faults.update(
        {f"items.{code}": f"not one of {sorted(codes)}" for code in items if code not in codes}
    )
    if faults:
        raise InvalidInput(f"assessment has {len(faults)} problem(s)", faults)
    return tuple(
        AssessedItem(code=item.code, label=item.label, met=met, note=note)
        for item in known
        for met, note in [items[item.code]]
    )


def check_reasons(required: bool, reasons: tuple[str, ...]) -> None:
    if required and not reasons:
        raise InvalidInput.field("reasons", "say why the dossier goes back to the producer")


def unmet(items: tuple[AssessedItem, ...]) -> list[str]:
    return [item.code for item in items if not item.met]
