"""Scoring workflow: rounds open on their sheet and wait for the commune's assessment and the
province's opening (`assessment.py`), members score, the council closes (`closing.py`).

Pure: time comes in as `now`; every change appends to the round's audit trail and
returns the events it causes. The arithmetic is in `ranking.py`, councils and quorum in
`councils.py`, the rules' legal sources in the criteria data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.scoring.councils import Council
from services.scoring.criteria import CriteriaSet, set_named
from services.scoring.evaluation import Evaluation, Waiting, audited, entry
from services.scoring.sheet_choice import criteria_set_for, pending_sets, sheet_for
from shared.clock import VIETNAM
from shared.events import (
    DossierSubmitted,
    EvaluationOpened,
    EvaluationWaiting,
    Event,
    ProductClassified,
    ProductEscalated,
)
from shared.events.scoring import RoundKind


def open_round(
    evaluation_id: str,
    *,
    kind: RoundKind,
    round_key: str,
    product: dict[str, Any],
    criteria_set: CriteriaSet,
    council: Council,
    now: datetime,
    assessment_required: bool = False,
    set_reasons: tuple[str, ...] = (),
) -> tuple[Evaluation, list[Event]]:
    """A round for `product` (the fields the triggering event carries about it); it waits,
    visibly, where the product's own sheet cannot be named."""
    evaluation = Evaluation(
        **product,
        id=evaluation_id,
        round_key=round_key,
        kind=kind,
        criteria_set=criteria_set.code,
        sheet_id=None,
        provisional_reasons=(),
        council=council,
        member_ids=council.scorers,
        opened_on=now.astimezone(VIETNAM).date(),
        status="awaiting_sheet",
        assessment_required=assessment_required,
        set_reasons=set_reasons,
        audit=(entry(now, "system", "opened", council=council.id, kind=kind),),
    )
    return start_scoring(evaluation, criteria_set, now, actor="system")


def start_scoring(
    evaluation: Evaluation, criteria_set: CriteriaSet, now: datetime, actor: str
) -> tuple[Evaluation, list[Event]]:
    """A waiting round put on its product's sheet, or told (again) why it still waits."""
    found = sheet_for(criteria_set, evaluation.group, evaluation.subgroup)
    if isinstance(found, Waiting):
        if evaluation.waiting == found:
            return evaluation, []
        record = entry(now, actor, "waiting", **found.model_dump())
        waiting = audited(evaluation, record, waiting=found)
        return waiting, [waiting_event(waiting, found)]
    status = "awaiting_assessment" if evaluation.assessment_required else "open"
    record = entry(now, actor, "sheet", sheet=found.id, provisional=bool(found.provisional_reasons))
    started = audited(
        evaluation,
        record,
        sheet_id=found.id,
        sheet_title=found.title,
        provisional_reasons=(*found.provisional_reasons, *evaluation.set_reasons),
        status=status,
        waiting=None,
    )
    council = started.council
    event = EvaluationOpened(
        **started.model_dump(exclude={"id", "council", "sheet_id"}),
        sheet_id=found.id,
        evaluation_id=started.id,
        provisional=started.provisional,
        council_id=council.id,
        level=council.level,
        members=council.scorers,
        awaiting_precheck=status == "awaiting_assessment",
        awaiting_assessment=status == "awaiting_assessment",
    )
    return started, [event]


def retry_sheet(
    evaluation: Evaluation, sets: tuple[CriteriaSet, ...], now: datetime
) -> tuple[Evaluation, list[Event]]:
    """A round that waited for its sheet's data opens once the sheet is in the data (an
    operator added or fixed it); one still without it is left as it was."""
    if evaluation.status != "awaiting_sheet":
        return evaluation, []
    return start_scoring(evaluation, set_named(sets, evaluation.criteria_set), now, actor="system")


def waiting_event(evaluation: Evaluation, waiting: Waiting) -> EvaluationWaiting:
    return EvaluationWaiting(
        **evaluation.model_dump(include={"product_id", "dossier_id", "kind", "criteria_set"}),
        **waiting.model_dump(),
        evaluation_id=evaluation.id,
        group=evaluation.group,
        subgroup=evaluation.subgroup,
    )


def classify(
    evaluation: Evaluation,
    classified: ProductClassified,
    sets: tuple[CriteriaSet, ...],
    now: datetime,
) -> tuple[Evaluation, list[Event]]:
    """An officer set the product's sub-group: a waiting round opens on that sheet."""
    if evaluation.status != "awaiting_sheet":
        return evaluation, []
    updated = evaluation.model_copy(
        update={"group": classified.group, "subgroup": classified.subgroup}
    )
    return start_scoring(
        updated, set_named(sets, evaluation.criteria_set), now, actor=classified.classified_by
    )


def open_for_dossier(
    evaluation_id: str,
    dossier: DossierSubmitted,
    sets: tuple[CriteriaSet, ...],
    council: Council,
    now: datetime,
    assessment_required: bool,
    returned_before: int = 0,
) -> tuple[Evaluation, list[Event]]:
    """A round for a submitted dossier: a new product's (`new`), or a certified product's
    renewal dossier (`renewal_of` names the certificate: `re_evaluation`), which goes through
    the commune's assessment like any other. `returned_before`: rounds of this dossier that
    ended with it returned; a resubmission opens its own round, a redelivery does not."""
    day = now.astimezone(VIETNAM).date()
    chosen = criteria_set_for(sets, day)
    key = f"dossier:{dossier.dossier_id}"
    return open_round(
        evaluation_id,
        kind="re_evaluation" if dossier.renewal_of else "new",
        round_key=f"{key}:{returned_before + 1}" if returned_before else key,
        product={
            **dossier.model_dump(exclude={"year", "submitted_on", "renewal_of"}),
            "certificate_number": dossier.renewal_of,
        },
        criteria_set=chosen,
        council=council,
        now=now,
        assessment_required=assessment_required,
        set_reasons=pending_sets(sets, chosen, day),
    )


def open_central_round(
    evaluation_id: str,
    escalated: ProductEscalated,
    sets: tuple[CriteriaSet, ...],
    council: Council,
    now: datetime,
) -> tuple[Evaluation, list[Event]]:
    """The central council scores again on the same criteria set as the province."""
    product = escalated.model_dump(
        exclude={
            "evaluation_id",
            "total",
            "parts",
            "to_level",
            "escalated_on",
            "council_id",
            "criteria_set",
            "sheet",
        }
    )
    criteria_set = set_named(sets, escalated.criteria_set)
    return open_round(
        evaluation_id,
        kind="central",
        round_key=f"central:{escalated.evaluation_id}",
        product={**product, "escalated_from": escalated.evaluation_id},
        criteria_set=criteria_set,
        council=council,
        now=now,
        set_reasons=pending_sets(sets, criteria_set, now.astimezone(VIETNAM).date()),
    )
