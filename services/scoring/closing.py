"""Ending a round: a failed commune pre-check, or closing with the quorum. Pure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.scoring.councils import check_quorum
from services.scoring.criteria import CriteriaSet, Sheet
from services.scoring.evaluation import Evaluation, Outcome, Precheck, audited, entry
from services.scoring.ranking import rank
from shared.clock import VIETNAM
from shared.errors import Conflict, InvalidInput
from shared.events import (
    Disqualified,
    EvaluationClosed,
    Event,
    ProductEscalated,
    ProductNotRanked,
    ProductRanked,
    SheetUsed,
)
from shared.events.envelope import rfc3339

CENTRAL_STARS = 5


def record_precheck(
    evaluation: Evaluation,
    *,
    officer_id: str,
    local_raw_materials: bool,
    local_labour: bool,
    note: str,
    now: datetime,
) -> tuple[Evaluation, list[Event]]:
    """The commune checks local raw materials and local labour; a failed check ends the round."""
    if evaluation.status != "awaiting_precheck":
        raise Conflict(
            f"evaluation {evaluation.id} is not waiting for a pre-check",
            {"status": evaluation.status},
        )
    passed = local_raw_materials and local_labour
    precheck = Precheck(
        officer_id=officer_id,
        local_raw_materials=local_raw_materials,
        local_labour=local_labour,
        note=note,
        passed=passed,
        at=rfc3339(now),
    )
    record = entry(
        now, officer_id, "prechecked", **precheck.model_dump(exclude={"at", "officer_id"})
    )
    if passed:
        return audited(evaluation, record, precheck=precheck, status="open"), []
    today = now.astimezone(VIETNAM).date()
    outcome = Outcome(kind="precheck_failed", decided_on=today)
    closed = audited(evaluation, record, precheck=precheck, status="closed", outcome=outcome)
    return closed, [
        closed_event(closed, officer_id),
        ProductNotRanked(**result_fields(closed), reason="precheck", decided_on=today),
    ]


def close_evaluation(
    evaluation: Evaluation,
    sheet: Sheet,
    criteria_set: CriteriaSet,
    closed_by: str,
    now: datetime,
    disqualified: tuple[str, ...] = (),
) -> tuple[Evaluation, list[Event]]:
    """Rank from the members' current sheets once the quorum is met.

    Closing a closed round changes nothing. A dossier the council finds one of the sheet's
    "Hồ sơ bị loại khi" rules applies to (`disqualified`, the rules' codes) is not ranked,
    whatever its score. A province result of 5 stars (90 points or more and every 5-star
    minimum met) is escalated to the central council.
    """
    if evaluation.status == "closed":
        return evaluation, []
    if evaluation.status != "open":
        waiting_for = {
            "awaiting_sheet": "its score sheet",
            "awaiting_precheck": "the commune pre-check",
        }
        raise Conflict(
            f"evaluation {evaluation.id} is waiting for {waiting_for[evaluation.status]}",
            {"status": evaluation.status},
        )
    check_quorum(evaluation.council, {each.member_id for each in evaluation.sheets})
    rules = disqualifications(sheet, disqualified)
    result = rank(
        sheet, criteria_set.star_bands, [each.current.answer_map() for each in evaluation.sheets]
    )
    today = now.astimezone(VIETNAM).date()
    central = evaluation.council.level == "central"
    if result.stars is None or rules:
        kind = "not_ranked"
    elif result.stars >= CENTRAL_STARS and not central:
        kind = "escalated"
    else:
        kind = "ranked"
    level = "central" if (result.stars or 0) >= CENTRAL_STARS else "province"
    outcome = Outcome(
        kind=kind,
        total=result.total,
        parts=result.parts,
        band_stars=result.band_stars,
        stars=None if rules else result.stars,
        level=level if kind == "ranked" else None,
        capped_by=result.capped_by,
        failed_criteria=result.failed_mandatory,
        disqualified_by=rules,
        decided_on=today,
    )
    record = entry(
        now,
        closed_by,
        "closed",
        outcome=kind,
        total=result.total,
        stars=None if rules else result.stars,
        sheets=len(evaluation.sheets),
        disqualified=[rule.code for rule in rules],
    )
    closed = audited(evaluation, record, status="closed", outcome=outcome)
    return closed, [closed_event(closed, closed_by), outcome_event(closed, outcome)]


def disqualifications(sheet: Sheet, codes: tuple[str, ...]) -> tuple[Disqualified, ...]:
    """The sheet's rules named by `codes`; an unknown code is a 422 naming the field."""
    known = {rule.code: rule for rule in sheet.disqualifications}
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise InvalidInput.field(
            "disqualified", f"{unknown} are not rules of sheet {sheet.id}: {sorted(known)}"
        )
    return tuple(Disqualified(**known[code].model_dump()) for code in dict.fromkeys(codes))


def closed_event(evaluation: Evaluation, closed_by: str) -> EvaluationClosed:
    assert evaluation.outcome is not None
    return EvaluationClosed(
        evaluation_id=evaluation.id,
        product_id=evaluation.product_id,
        outcome=evaluation.outcome.kind,
        total=evaluation.outcome.total,
        sheets=len(evaluation.sheets),
        closed_by=closed_by,
    )


def result_fields(evaluation: Evaluation) -> dict[str, Any]:
    assert evaluation.sheet_id is not None, "only a round on a sheet has a result"
    sheet = SheetUsed(
        id=evaluation.sheet_id,
        title=evaluation.sheet_title or evaluation.sheet_id,  # rounds stored before titles
        provisional=evaluation.provisional,
    )
    return {
        **evaluation.model_dump(
            include={
                "product_id",
                "producer_id",
                "dossier_id",
                "product_name",
                "group",
                "subgroup",
                "province_code",
                "criteria_set",
                "certificate_number",
            }
        ),
        "evaluation_id": evaluation.id,
        "council_id": evaluation.council.id,
        "round_kind": evaluation.kind,
        "sheet": sheet,
    }


def outcome_event(evaluation: Evaluation, outcome: Outcome) -> Event:
    fields = result_fields(evaluation)
    if outcome.kind == "not_ranked":
        return ProductNotRanked(
            **fields,
            reason="disqualified" if outcome.disqualified_by else "mandatory_criteria",
            total=outcome.total,
            failed_criteria=outcome.failed_criteria,
            disqualified_by=outcome.disqualified_by,
            decided_on=outcome.decided_on,
        )
    assert (
        outcome.total is not None and outcome.stars is not None and outcome.band_stars is not None
    )
    if outcome.kind == "escalated":
        return ProductEscalated(
            **fields, total=outcome.total, parts=outcome.parts, escalated_on=outcome.decided_on
        )
    assert outcome.level is not None
    return ProductRanked(
        **fields,
        total=outcome.total,
        parts=outcome.parts,
        band_stars=outcome.band_stars,
        stars=outcome.stars,
        level=outcome.level,
        council_level=evaluation.council.level,
        capped_by=outcome.capped_by,
        ranked_on=outcome.decided_on,
    )
