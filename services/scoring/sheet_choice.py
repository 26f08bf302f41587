"""Which criteria set and which sheet a round is scored on. Pure.

The set is the newest in force on the day the round opens; the sheet is the product's own
sub-group's, never another group's or sub-group's: where there is none, a `Waiting` says
why, in Vietnamese (the people who read it on their pages are).
"""

from __future__ import annotations

from datetime import date

from services.scoring.criteria import CriteriaSet, Sheet, find_sheet
from services.scoring.evaluation import Evaluation, Waiting
from shared.errors import Conflict, InvalidInput
from shared.product_groups import subgroups_of


def criteria_set_for(sets: tuple[CriteriaSet, ...], day: date) -> CriteriaSet:
    """The newest set in force on `day` (draft and unconfirmed sets are never chosen)."""
    in_force = [each for each in sets if each.status == "in_force" and each.applies_from <= day]
    if not in_force:
        raise InvalidInput.field("date", f"no criteria set in force on {day}")
    return max(in_force, key=lambda each: each.applies_from)


def pending_sets(sets: tuple[CriteriaSet, ...], chosen: CriteriaSet, day: date) -> tuple[str, ...]:
    """Why a round on `chosen` is provisional because a newer, unconfirmed set may apply."""
    return tuple(
        each.provisional_reason or f"criteria set {each.code} may apply from {each.applies_from}"
        for each in sets
        if each.status == "unconfirmed" and chosen.applies_from < each.applies_from <= day
    )


def sheet_for(criteria_set: CriteriaSet, group: str, subgroup: str | None) -> Sheet | Waiting:
    """The product's own sheet, or why there is none."""
    if subgroup is None:
        return Waiting(
            waiting_for="subgroup",
            reason=(
                f"Sản phẩm chưa khai báo bộ sản phẩm (phân nhóm) của nhóm {group}; cán bộ tỉnh "
                f"cần chọn một trong: {', '.join(subgroups_of(group)) or '(chưa có)'}"
            ),
        )
    sheet = criteria_set.sheets.get(subgroup)
    if sheet is not None and sheet.group == group:
        return sheet
    withheld = criteria_set.withheld.get(subgroup)
    if withheld is not None:
        reason = (
            f"Phiếu đánh giá bộ sản phẩm {withheld.title} ({criteria_set.code}) chưa dùng để "
            f"chấm: {withheld.reason}"
        )
    else:
        reason = (
            f"Bộ tiêu chí {criteria_set.code} chưa có phiếu đánh giá cho bộ sản phẩm {subgroup} "
            f"(nhóm {group}) trong dữ liệu, nên sản phẩm chưa được chấm"
        )
    return Waiting(waiting_for="sheet", reason=reason)


def round_sheet(sets: tuple[CriteriaSet, ...], evaluation: Evaluation) -> Sheet:
    """The sheet a round is scored on; a round still waiting for one is a conflict that
    says why."""
    if evaluation.sheet_id is None:
        reason = evaluation.waiting.reason if evaluation.waiting else "no sheet"
        raise Conflict(
            f"evaluation {evaluation.id} waits for its sheet: {reason}",
            {"status": evaluation.status},
        )
    return find_sheet(sets, evaluation.sheet_id)
