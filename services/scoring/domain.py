"""Scoring: councils score products on the criteria sheet; closing ranks them.

Pure. The rules, with their legal sources, live in the criteria data files (see
`criteria.py`); this module only applies them:
- members score independently, one sheet each, revisable until the round closes;
- the product's total is the average of the members' totals (Decision 148/QĐ-TTg:
  "tổng điểm trung bình");
- stars come from the criteria set's bands, then are capped where a criterion falls short
  of its star-marked minimum (average over members), naming the criterion;
- a 5-star result goes to the central council (Decision 1489/QĐ-TTg, 2025); 3–4 stars are
  recognised by the province.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict

from services.scoring.criteria import CriteriaSet, Sheet, StarBand
from shared.errors import Conflict, InvalidInput
from shared.events import (
    CapByCriterion,
    DossierSubmitted,
    EvaluationOpened,
    PartScore,
    ProductRanked,
    ScoresheetSubmitted,
)

CENTRAL_STARS = 5


class Council(BaseModel):
    """Hội đồng đánh giá, phân hạng: the members who score a round."""

    model_config = ConfigDict(frozen=True)

    id: str
    level: Literal["province", "central"]
    members: tuple[str, ...]


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True)

    criterion: str
    option: str


class MemberSheet(BaseModel):
    """One member's answers; pairs rather than a mapping so codes like `1.a` never become keys."""

    model_config = ConfigDict(frozen=True)

    member_id: str
    answers: tuple[Answer, ...]
    revision: int

    def answer_map(self) -> dict[str, str]:
        return {answer.criterion: answer.option for answer in self.answers}


class Ranking(BaseModel):
    model_config = ConfigDict(frozen=True)

    total: float
    band_stars: int
    stars: int
    level: Literal["province", "central"]
    capped_by: tuple[CapByCriterion, ...]
    ranked_on: date


class Evaluation(BaseModel):
    """One evaluation round (vòng đánh giá) of one product's dossier by one council."""

    model_config = ConfigDict(frozen=True)

    id: str
    dossier_id: str
    product_id: str
    producer_id: str
    product_name: str
    group: str
    subgroup: str | None
    province_code: str
    criteria_set: str
    sheet_id: str
    provisional: bool
    provisional_reasons: tuple[str, ...]
    council_id: str
    level: Literal["province", "central"]
    members: tuple[str, ...]
    opened_on: date
    status: Literal["open", "closed"] = "open"
    sheets: tuple[MemberSheet, ...] = ()
    ranking: Ranking | None = None

    def sheet_of(self, member_id: str) -> MemberSheet | None:
        return next((each for each in self.sheets if each.member_id == member_id), None)


def criteria_set_for(sets: tuple[CriteriaSet, ...], day: date) -> CriteriaSet:
    """The newest set in force on `day`."""
    in_force = [each for each in sets if each.applies_from <= day]
    if not in_force:
        raise InvalidInput.field("date", f"no criteria set in force on {day}")
    return max(in_force, key=lambda each: each.applies_from)


def sheet_for(
    criteria_set: CriteriaSet, group: str, subgroup: str | None
) -> tuple[Sheet, tuple[str, ...]]:
    """The product's sheet, and why it is provisional (empty tuple if it is not)."""
    if subgroup in criteria_set.sheets:
        sheet = criteria_set.sheets[subgroup]
        return sheet, sheet.provisional_reasons
    default = criteria_set.sheets[criteria_set.group_defaults[group]]
    reason = (
        f"no {criteria_set.code} sheet for sub-group {subgroup or '(none)'} of {group} yet; "
        f"scored on the default sheet {default.id}"
    )
    return default, (reason, *default.provisional_reasons)


def open_evaluation(
    evaluation_id: str,
    dossier: DossierSubmitted,
    sets: tuple[CriteriaSet, ...],
    council: Council,
    today: date,
) -> tuple[Evaluation, list[EvaluationOpened]]:
    criteria_set = criteria_set_for(sets, today)
    sheet, reasons = sheet_for(criteria_set, dossier.group, dossier.subgroup)
    evaluation = Evaluation(
        **dossier.model_dump(),
        id=evaluation_id,
        criteria_set=criteria_set.code,
        sheet_id=sheet.id,
        provisional=bool(reasons),
        provisional_reasons=reasons,
        council_id=council.id,
        level=council.level,
        members=council.members,
        opened_on=today,
    )
    event = EvaluationOpened(evaluation_id=evaluation.id, **evaluation.model_dump(exclude={"id"}))
    return evaluation, [event]


def submit_scoresheet(
    evaluation: Evaluation, sheet: Sheet, member_id: str, answers: dict[str, str]
) -> tuple[Evaluation, list[ScoresheetSubmitted]]:
    """Record a member's answers (replacing their earlier sheet while the round is open)."""
    if evaluation.status != "open":
        raise Conflict(f"evaluation {evaluation.id} is closed", {"status": evaluation.status})
    if member_id not in evaluation.members:
        raise InvalidInput.field("member_id", f"{member_id!r} is not a member of this council")
    check_answers(sheet, answers)
    previous = evaluation.sheet_of(member_id)
    member_sheet = MemberSheet(
        member_id=member_id,
        answers=tuple(Answer(criterion=code, option=option) for code, option in answers.items()),
        revision=previous.revision + 1 if previous else 1,
    )
    parts = part_points(sheet, answers)
    others = tuple(each for each in evaluation.sheets if each.member_id != member_id)
    updated = evaluation.model_copy(update={"sheets": (*others, member_sheet)})
    event = ScoresheetSubmitted(
        evaluation_id=evaluation.id,
        product_id=evaluation.product_id,
        member_id=member_id,
        revision=member_sheet.revision,
        total=float(sum(parts.values())),
        parts=tuple(PartScore(code=code, points=float(points)) for code, points in parts.items()),
    )
    return updated, [event]


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


def criterion_points(sheet: Sheet, answers: dict[str, str]) -> dict[str, Fraction]:
    points = {}
    for code, criterion in sheet.criteria().items():
        option = next(each for each in criterion.options if each.code == answers[code])
        points[code] = Fraction(option.points)
    return points


def part_points(sheet: Sheet, answers: dict[str, str]) -> dict[str, Fraction]:
    points = criterion_points(sheet, answers)
    return {
        part.code: sum((points[c.code] for c in part.criteria), Fraction(0)) for part in sheet.parts
    }


def band_stars(bands: tuple[StarBand, ...], total: Fraction) -> int:
    """The stars whose band holds `total` (bands give each rank's lowest total)."""
    return max(band.stars for band in bands if Fraction(band.min_points) <= total)


def star_cap(
    sheet: Sheet, averages: dict[str, Fraction], stars: int
) -> tuple[int, tuple[CapByCriterion, ...]]:
    """Lower `stars` to the level whose star-marked minimums the product meets."""
    criteria = sheet.criteria()
    for level in range(3, stars + 1):
        short = []
        for code, criterion in criteria.items():
            required = criterion.required_for(level)
            if required is not None and averages[code] < Fraction(required):
                short.append(
                    CapByCriterion(
                        criterion=code,
                        stars=level,
                        required_points=required,
                        average_points=round(float(averages[code]), 2),
                    )
                )
        if short:
            return level - 1, tuple(short)
    return stars, ()


def close_evaluation(
    evaluation: Evaluation, sheet: Sheet, criteria_set: CriteriaSet, today: date
) -> tuple[Evaluation, list[ProductRanked]]:
    """Rank the product from every member's sheet; closing a closed round changes nothing."""
    if evaluation.status == "closed":
        return evaluation, []
    missing = [member for member in evaluation.members if evaluation.sheet_of(member) is None]
    if missing:
        raise Conflict(
            f"waiting for the score sheets of {', '.join(missing)}",
            {f"members.{member}": "no score sheet yet" for member in missing},
        )
    per_member = [criterion_points(sheet, each.answer_map()) for each in evaluation.sheets]
    count = len(per_member)
    averages = {
        code: sum((points[code] for points in per_member), Fraction(0)) / count
        for code in sheet.criteria()
    }
    total = sum(averages.values(), Fraction(0))
    by_band = band_stars(criteria_set.star_bands, total)
    stars, capped_by = star_cap(sheet, averages, by_band)
    ranking = Ranking(
        total=round(float(total), 2),
        band_stars=by_band,
        stars=stars,
        level="central" if stars >= CENTRAL_STARS else "province",
        capped_by=capped_by,
        ranked_on=today,
    )
    closed = evaluation.model_copy(update={"status": "closed", "ranking": ranking})
    return closed, [ranked_event(closed, ranking)]


def ranked_event(evaluation: Evaluation, ranking: Ranking) -> ProductRanked:
    """`level` is the ranking's (who recognises it); the council's is `council_level`."""
    return ProductRanked(
        **evaluation.model_dump(exclude={"id", "level", "ranking"}),
        **ranking.model_dump(),
        evaluation_id=evaluation.id,
        council_level=evaluation.level,
    )
