"""Score-sheet answers that aim at a result, computed from the sheet the API returns."""

from __future__ import annotations


def options_by_points(criterion: dict) -> list[dict]:
    return sorted(criterion["options"], key=lambda option: option["points"])


def best_answers(sheet: dict) -> dict[str, str]:
    return {
        criterion["code"]: options_by_points(criterion)[-1]["code"]
        for part in sheet["parts"]
        for criterion in part["criteria"]
    }


def answers_for_four_stars(sheet: dict) -> dict[str, str]:
    """Best option where a star minimum applies, second best elsewhere (84/100 on 148's
    fresh-produce sheet: 4 stars, no criterion short of its 4-star minimum)."""
    answers = {}
    for part in sheet["parts"]:
        for criterion in part["criteria"]:
            ranked = options_by_points(criterion)
            keep_best = criterion["min_points_for_stars"] or len(ranked) == 1
            answers[criterion["code"]] = ranked[-1 if keep_best else -2]["code"]
    return answers


def worst_answers(sheet: dict) -> dict[str, str]:
    return {
        criterion["code"]: options_by_points(criterion)[0]["code"]
        for part in sheet["parts"]
        for criterion in part["criteria"]
    }


def answers_at_ninety_short_of_five_stars(sheet: dict) -> tuple[dict[str, str], str]:
    """The best option everywhere but one criterion with a 5-star minimum, which gets an
    option below it (yet meeting its 4-star one): 90 points or more, one 5-star minimum
    missed. Returns the answers and that criterion's code."""
    answers = best_answers(sheet)
    best_total = sum(options_by_points(c)[-1]["points"] for c in criteria_of(sheet))
    for criterion in criteria_of(sheet):
        minimums = {int(k): p for k, p in criterion["min_points_for_stars"].items()}
        if 5 not in minimums:
            continue
        floor = max((p for stars, p in minimums.items() if stars < 5), default=0)
        best = options_by_points(criterion)[-1]["points"]
        for option in options_by_points(criterion):
            short = floor <= option["points"] < minimums[5]
            if short and best_total - best + option["points"] >= 90:
                return {**answers, criterion["code"]: option["code"]}, criterion["code"]
    raise AssertionError(f"sheet {sheet.get('id')} has no criterion to miss at 90 points")


def criteria_of(sheet: dict) -> list[dict]:
    return [criterion for part in sheet["parts"] for criterion in part["criteria"]]
