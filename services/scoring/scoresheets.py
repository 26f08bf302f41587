"""Members score independently: one sheet each, amendments kept as revisions. Pure."""

from __future__ import annotations

from datetime import datetime

from services.scoring.criteria import Sheet
from services.scoring.evaluation import Answer, Evaluation, MemberSheet, Revision, audited, entry
from services.scoring.ranking import criterion_points, part_totals
from shared.errors import Conflict, InvalidInput
from shared.events import Event, PartScore, ScoresheetAmended, ScoresheetSubmitted
from shared.events.envelope import rfc3339


def submit_scoresheet(
    evaluation: Evaluation, sheet: Sheet, member_id: str, answers: dict[str, str], now: datetime
) -> tuple[Evaluation, list[Event]]:
    """A member's sheet; a second submission before close is an amendment, kept as a revision."""
    if evaluation.status != "open":
        raise Conflict(
            f"evaluation {evaluation.id} is {evaluation.status.replace('_', ' ')}",
            {"status": evaluation.status},
        )
    if member_id not in evaluation.member_ids:
        raise InvalidInput.field("member_id", f"{member_id!r} does not score in this council")
    check_answers(sheet, answers)
    parts = part_totals(sheet, criterion_points(sheet, answers))
    previous = evaluation.sheet_of(member_id)
    revision = Revision(
        revision=len(previous.revisions) + 1 if previous else 1,
        answers=tuple(Answer(criterion=code, option=option) for code, option in answers.items()),
        total=float(sum(parts.values())),
        parts=tuple(PartScore(code=code, points=float(points)) for code, points in parts.items()),
        submitted_at=rfc3339(now),
    )
    member_sheet = MemberSheet(
        member_id=member_id, revisions=(*(previous.revisions if previous else ()), revision)
    )
    others = tuple(each for each in evaluation.sheets if each.member_id != member_id)
    action = "sheet_amended" if previous else "sheet_submitted"
    record = entry(now, member_id, action, revision=revision.revision, total=revision.total)
    updated = audited(evaluation, record, sheets=(*others, member_sheet))
    common = dict(
        evaluation_id=evaluation.id,
        product_id=evaluation.product_id,
        member_id=member_id,
        revision=revision.revision,
        total=revision.total,
        parts=revision.parts,
    )
    if previous:
        return updated, [ScoresheetAmended(**common, previous_total=previous.current.total)]
    return updated, [ScoresheetSubmitted(**common)]


def check_answers(sheet: Sheet, answers: dict[str, str]) -> None:
    """Every criterion answered with one of its own options; InvalidInput names each fault."""
    criteria = sheet.criteria()
    faults = {f"answers.{code}": "not answered" for code in criteria if code not in answers}
    for code, option in answers.items():
        criterion = criteria.get(code)
        if criterion is None:
            faults[f"answers.{code}"] = "no such criterion on this sheet"
        elif option not in {each.code for each in criterion.options}:
            faults[f"answers.{code}"] = f"{option!r} is not an option of {code}"
    if faults:
        raise InvalidInput(f"score sheet has {len(faults)} problem(s)", faults)


def sheets_visible_to(evaluation: Evaluation, member_id: str | None) -> tuple[MemberSheet, ...]:
    """Members score independently: before close a member sees only their own sheet."""
    if evaluation.status == "closed":
        return evaluation.sheets
    if member_id is None:
        raise Conflict(
            "score sheets stay private until the round closes; ask for your own with member_id",
            {"member_id": "required while the round is open"},
        )
    own = evaluation.sheet_of(member_id)
    return (own,) if own else ()
