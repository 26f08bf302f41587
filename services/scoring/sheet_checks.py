"""The arithmetic a score sheet must pass: stated maxima reached, sums closing, options
distinct in points, star minimums rising with stars; and the minimums no product can miss.
Pure: each returns the problems found, in the sheet files' wording."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from services.scoring.criteria import Part


def problems(raw_parts: list[dict], parts: tuple[Part, ...]) -> list[str]:
    """Every problem of a sheet: an empty list is a sheet that may be used."""
    return mismatches(raw_parts, parts) + option_problems(parts)


def mismatches(raw_parts: list[dict], parts: tuple[Part, ...]) -> list[str]:
    """Stated maxima that the options do not reach, in the source files' wording."""
    found = []
    for raw_part, part in zip(raw_parts, parts, strict=True):
        best = {criterion.code: criterion.max_points for criterion in part.criteria}
        part_sum = 0.0
        for section in raw_part["sections"]:
            section_sum = 0.0
            for raw_criterion in section["criteria"]:
                code = str(raw_criterion.get("code") or raw_criterion["code_derived"])
                stated = raw_criterion.get("max_points")
                if is_number(stated) and stated != best[code]:
                    found.append(
                        f"{code}: best option {shown(best[code])} != stated {shown(stated)}"
                    )
                section_sum += best[code]
            stated = section.get("max_points")
            if is_number(stated) and stated != section_sum:
                label = f"section {section_code(section)}"
                found.append(f"{label}: sum {shown(section_sum)} != stated {shown(stated)}")
            part_sum += section_sum
        if part_sum != part.max_points:
            found.append(
                f"part {part.code}: sum {shown(part_sum)} != stated {shown(part.max_points)}"
            )
    return found


def option_problems(parts: tuple[Part, ...]) -> list[str]:
    """Options of one criterion that tie on points; star minimums that fall as stars rise."""
    found = []
    for part in parts:
        for criterion in part.criteria:
            cases: dict[str | None, list[float]] = {}
            for option in criterion.options:
                cases.setdefault(option.case, []).append(option.points)
            points = [option.points for option in criterion.options]
            if any(len(set(each)) != len(each) for each in cases.values()):
                found.append(f"{criterion.code}: options share points {sorted(points)}")
            levels = sorted(criterion.min_points_for_stars.items())
            if any(low[1] > high[1] for low, high in pairwise(levels)):
                found.append(f"{criterion.code}: star minimums fall as stars rise {dict(levels)}")
    return found


def unfailable(parts: tuple[Part, ...]) -> tuple[str, ...]:
    """Star minimums no product can miss: no option scores below them (the source has no
    0-point option there). Reported with the sheet, for whoever checks it against the law."""
    found = []
    for part in parts:
        for criterion in part.criteria:
            lowest = min(option.points for option in criterion.options)
            for stars, required in sorted(criterion.min_points_for_stars.items()):
                if required <= lowest:
                    found.append(
                        f"{criterion.code}: the {stars}-star minimum is its lowest option; "
                        "no option scores below it, so no product fails it on this sheet"
                    )
    return tuple(found)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def shown(value: float) -> str:
    return f"{value:g}"


def section_code(section: dict) -> str:
    return str(section.get("section_no") or section["section_code_derived"])
