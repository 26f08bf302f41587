"""Closing a round once the quorum is met: ranked, not ranked, or escalated to the central
council (with the stars the province recognises meanwhile). Pure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.scoring.councils import check_quorum
from services.scoring.criteria import CriteriaSet, Sheet
from services.scoring.evaluation import Evaluation, Outcome, audited, entry
from services.scoring.procedure import Escalation, Procedure
from services.scoring.ranking import Result, rank
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


def close_evaluation(
    evaluation: Evaluation,
    sheet: Sheet,
    criteria_set: CriteriaSet,
    closed_by: str,
    now: datetime,
    disqualified: tuple[str, ...] = (),
    *,
    procedure: Procedure,
) -> tuple[Evaluation, list[Event]]:
    """Rank from the members' current sheets once the quorum is met.

    Closing a closed round changes nothing. A dossier the council finds one of the sheet's
    "Hồ sơ bị loại khi" rules applies to (`disqualified`, the rules' codes) is not ranked,
    whatever its score. A province result of 90 points or more (the procedure's
    `escalation.min_points`, Decision 1489/QĐ-TTg) goes to the central council whatever its
    5-star minimums; the province recognises meanwhile the stars it may give (at most 4).
    """
    if evaluation.status == "closed":
        return evaluation, []
    if evaluation.status != "open":
        waiting_for = {
            "awaiting_sheet": "its score sheet",
            "awaiting_assessment": "the commune's assessment",
            "awaiting_opening": "the province's decision to open it",
        }
        raise Conflict(
            f"evaluation {evaluation.id} is waiting for {waiting_for[evaluation.status]}",
            {"status": evaluation.status},
        )
    check_quorum(
        evaluation.council, {each.member_id for each in evaluation.sheets}, procedure.quorum
    )
    rules = disqualifications(sheet, disqualified)
    result = rank(
        sheet, criteria_set.star_bands, [each.current.answer_map() for each in evaluation.sheets]
    )
    outcome = decide(evaluation, result, rules, procedure.escalation, now)
    record = entry(
        now,
        closed_by,
        "closed",
        outcome=outcome.kind,
        total=result.total,
        stars=outcome.stars,
        sheets=len(evaluation.sheets),
        disqualified=[rule.code for rule in rules],
    )
    closed = audited(evaluation, record, status="closed", outcome=outcome)
    return closed, [closed_event(closed, closed_by), *outcome_events(closed, outcome)]


def decide(
    evaluation: Evaluation,
    result: Result,
    rules: tuple[Disqualified, ...],
    escalation: Escalation,
    now: datetime,
) -> Outcome:
    """Not ranked, escalated (a province result at the escalation's points) or ranked. An
    escalated outcome carries the province's stars (`level` province) when the province
    recognises them meanwhile, none otherwise."""
    stars = None if rules else result.stars
    central = evaluation.council.level == "central"
    if stars is None:
        kind, level = "not_ranked", None
    elif not central and result.total >= escalation.min_points:
        kind = "escalated"
        stars = (
            min(stars, escalation.province_max_stars) if escalation.province_recognises else None
        )
        level = "province" if stars is not None else None
    else:
        kind, level = "ranked", "central" if stars >= 5 else "province"
    return Outcome(
        kind=kind,
        total=result.total,
        parts=result.parts,
        band_stars=result.band_stars,
        stars=stars,
        level=level,
        capped_by=result.capped_by,
        failed_criteria=result.failed_mandatory,
        disqualified_by=rules,
        decided_on=now.astimezone(VIETNAM).date(),
    )


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


def outcome_events(evaluation: Evaluation, outcome: Outcome) -> list[Event]:
    fields = result_fields(evaluation)
    if outcome.kind == "not_ranked":
        return [
            ProductNotRanked(
                **fields,
                reason="disqualified" if outcome.disqualified_by else "mandatory_criteria",
                total=outcome.total,
                failed_criteria=outcome.failed_criteria,
                disqualified_by=outcome.disqualified_by,
                decided_on=outcome.decided_on,
            )
        ]
    assert outcome.total is not None and outcome.band_stars is not None
    if outcome.kind != "escalated":
        return [ranked_event(evaluation, outcome, fields)]
    escalated = ProductEscalated(
        **fields, total=outcome.total, parts=outcome.parts, escalated_on=outcome.decided_on
    )
    if outcome.stars is None:
        return [escalated]
    return [escalated, ranked_event(evaluation, outcome, fields, escalated=True)]


def ranked_event(
    evaluation: Evaluation, outcome: Outcome, fields: dict[str, Any], escalated: bool = False
) -> ProductRanked:
    assert outcome.total is not None and outcome.band_stars is not None
    assert outcome.stars is not None and outcome.level is not None
    return ProductRanked(
        **fields,
        total=outcome.total,
        parts=outcome.parts,
        band_stars=outcome.band_stars,
        stars=outcome.stars,
        level=outcome.level,
        council_level=evaluation.council.level,
        capped_by=outcome.capped_by,
        escalated=escalated,
        ranked_on=outcome.decided_on,
    )
