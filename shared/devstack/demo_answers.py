"""The demo's council members' answers: options chosen so a product reaches the stars it
aims at, from the sheet the scoring service serves. Pure."""

from __future__ import annotations

from typing import Any

from shared.devstack.demo_data import TARGET_TOTAL

Json = Any


def answers_for(sheet: Json, stars: int, spread: int) -> dict[str, str]:
    """Options aimed at `stars`: every minimum up to that level met, then raised a step at a
    time, criterion after criterion, until the total reaches the level's target plus `spread`
    (so products and members differ). For 0, a 3-star minimum is then missed: "not ranked"."""
    criteria = [criterion for part in sheet["parts"] for criterion in part["criteria"]]
    ladders = {c["code"]: sorted(c["options"], key=lambda o: o["points"]) for c in criteria}
    step = {c["code"]: lowest_meeting(c, ladders[c["code"]], max(stars, 3)) for c in criteria}
    target, queue = TARGET_TOTAL[stars] + spread, list(step)  # raised in turn, up to its best
    while queue and sum(ladders[c][s]["points"] for c, s in step.items()) < target:
        code = queue.pop(0)
        if step[code] < len(ladders[code]) - 1:
            step[code] += 1
            queue.append(code)
    if stars == 0:
        missed = next(c for c in criteria if lowest_meeting(c, ladders[c["code"]], 3) > 0)
        step[missed["code"]] = 0
    return {code: ladders[code][s]["code"] for code, s in step.items()}


def lowest_meeting(criterion: Json, ladder: list[Json], stars: int) -> int:
    minimums = criterion["min_points_for_stars"]  # {"3": points, ...}, from the *** markers
    required = max((p for k, p in minimums.items() if int(k) <= stars), default=0)
    return next(i for i, option in enumerate(ladder) if option["points"] >= required)
