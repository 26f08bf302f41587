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
