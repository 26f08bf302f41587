"""The arithmetic of a council's result. Pure; exact (fractions), rounded only for display.

Order, as Decision 148/QĐ-TTg reads: the average of the members' totals (computed as the
sum of each criterion's average, which is the same number), then the mandatory criteria
(a product below a 3-star minimum is not ranked), then the star band, capped where a
criterion is below its 4- or 5-star minimum. Minimums come from the star-marked options
of the sheet data.
"""

from __future__ import annotations

from fractions import Fraction

from pydantic import BaseModel, ConfigDict

from services.scoring.criteria import Sheet, StarBand
from shared.events import CapByCriterion, PartScore

MANDATORY_STARS = 3


class Result(BaseModel):
    model_config = ConfigDict(frozen=True)

    total: float
    parts: tuple[PartScore, ...]
    band_stars: int
    stars: int | None  # None: not ranked, see failed_mandatory
    capped_by: tuple[CapByCriterion, ...]
    failed_mandatory: tuple[CapByCriterion, ...]


def criterion_points(sheet: Sheet, answers: dict[str, str]) -> dict[str, Fraction]:
    """Points of each criterion for one member's (complete, checked) answers."""
    points = {}
    for code, criterion in sheet.criteria().items():
        option = next(each for each in criterion.options if each.code == answers[code])
        points[code] = Fraction(option.points)
    return points


def part_totals(sheet: Sheet, points: dict[str, Fraction]) -> dict[str, Fraction]:
    return {
        part.code: sum((points[criterion.code] for criterion in part.criteria), Fraction(0))
        for part in sheet.parts
    }


def band_stars(bands: tuple[StarBand, ...], total: Fraction) -> int:
    """The stars whose band holds `total` (bands give each rank's lowest total)."""
    return max(band.stars for band in bands if Fraction(band.min_points) <= total)


def shortfalls(
    sheet: Sheet, averages: dict[str, Fraction], stars: int
) -> tuple[CapByCriterion, ...]:
    """Criteria whose average is below their minimum for `stars`."""
    found = []
    for code, criterion in sheet.criteria().items():
        required = criterion.required_for(stars)
        if required is not None and averages[code] < Fraction(required):
            found.append(
                CapByCriterion(
                    criterion=code,
                    stars=stars,
                    required_points=required,
                    average_points=round(float(averages[code]), 2),
                )
            )
    return tuple(found)


def rank(sheet: Sheet, bands: tuple[StarBand, ...], answers: list[dict[str, str]]) -> Result:
    """The result of the sheets of the members who scored."""
    per_member = [criterion_points(sheet, each) for each in answers]
    averages = {
        code: sum((points[code] for points in per_member), Fraction(0)) / len(per_member)
        for code in sheet.criteria()
    }
    total = sum(averages.values(), Fraction(0))
    parts = tuple(
        PartScore(code=code, points=round(float(points), 2))
        for code, points in part_totals(sheet, averages).items()
    )
    by_band = band_stars(bands, total)
    failed = shortfalls(sheet, averages, MANDATORY_STARS)
    stars, capped = (None, ()) if failed else capped_stars(sheet, averages, by_band)
    return Result(
        total=round(float(total), 2),
        parts=parts,
        band_stars=by_band,
        stars=stars,
        capped_by=capped,
        failed_mandatory=failed,
    )


def capped_stars(
    sheet: Sheet, averages: dict[str, Fraction], by_band: int
) -> tuple[int, tuple[CapByCriterion, ...]]:
    """The band's stars, lowered to the first level whose minimums are not all met."""
    for level in range(MANDATORY_STARS + 1, by_band + 1):
        capped = shortfalls(sheet, averages, level)
        if capped:
            return level - 1, capped
    return by_band, ()
