"""Scoring rules: the set and sheet that apply, sheet checks, averaging, capping, level."""

from datetime import date

import pytest

from services.scoring import domain
from services.scoring.criteria import find_set, load_criteria_sets
from services.scoring.domain import Council
from shared.errors import Conflict, InvalidInput
from shared.events import DossierSubmitted

SETS = load_criteria_sets()
SET_148 = find_set(SETS, "148-2023")
FRESH = SET_148.sheets["rau-cu-qua-hat-tuoi"]
COUNCIL = Council(id="c1", level="province", members=("m1", "m2", "m3"))
TODAY = date(2026, 11, 28)


def dossier(**overrides) -> DossierSubmitted:
    fields = dict(
        dossier_id="d1",
        product_id="p1",
        producer_id="pr1",
        product_name="Chè",
        group="food",
        subgroup="rau-cu-qua-hat-tuoi",
        province_code="19",
        year=2026,
        submitted_on=TODAY,
    )
    return DossierSubmitted(**{**fields, **overrides})


def answers(pick) -> dict[str, str]:
    """One option per criterion: `pick(criterion)` returns the option to choose."""
    return {code: pick(criterion).code for code, criterion in FRESH.criteria().items()}


def best(criterion):
    return max(criterion.options, key=lambda option: option.points)


def second_best_unless_starred(criterion):
    ranked = sorted(criterion.options, key=lambda option: option.points)
    return ranked[-1] if criterion.min_points_for_stars or len(ranked) == 1 else ranked[-2]


def opened(today=TODAY, **overrides):
    evaluation, events = domain.open_evaluation("e1", dossier(**overrides), SETS, COUNCIL, today)
    return evaluation, events


def scored(member_answers: dict[str, dict[str, str]]):
    evaluation, _ = opened()
    for member, chosen in member_answers.items():
        evaluation, _ = domain.submit_scoresheet(evaluation, FRESH, member, chosen)
    return evaluation


def test_the_set_in_force_on_the_evaluation_date_applies():
    assert domain.criteria_set_for(SETS, date(2023, 2, 23)).code == "1048-2019"
    assert domain.criteria_set_for(SETS, date(2023, 2, 24)).code == "148-2023"
    with pytest.raises(InvalidInput):
        domain.criteria_set_for(SETS, date(2018, 1, 1))


def test_the_sub_group_sheet_applies_and_is_marked_provisional_with_why():
    evaluation, events = opened()
    assert evaluation.sheet_id == "148-2023/rau-cu-qua-hat-tuoi"
    assert evaluation.provisional and "third-party" in evaluation.provisional_reasons[0]
    assert events[0].members == ("m1", "m2", "m3")


def test_a_product_without_its_own_sheet_gets_the_group_default():
    evaluation, _ = opened(group="drinks", subgroup="ruou-trang")
    assert evaluation.sheet_id == "148-2023/rau-cu-qua-hat-tuoi"
    assert "no 148-2023 sheet for sub-group ruou-trang" in evaluation.provisional_reasons[0]


def test_a_sheet_must_answer_every_criterion_with_its_own_options():
    evaluation, _ = opened()
    chosen = answers(best)
    del chosen["1.a"]
    chosen["1.b"] = "9.z.1"
    chosen["99.z"] = "99.z.1"
    with pytest.raises(InvalidInput) as error:
        domain.submit_scoresheet(evaluation, FRESH, "m1", chosen)
    assert error.value.fields == {
        "answers.1.a": "not answered",
        "answers.1.b": "'9.z.1' is not an option of 1.b",
        "answers.99.z": "no such criterion on this sheet",
    }


def test_only_council_members_score():
    evaluation, _ = opened()
    with pytest.raises(InvalidInput) as error:
        domain.submit_scoresheet(evaluation, FRESH, "stranger", answers(best))
    assert "member_id" in error.value.fields


def test_a_member_may_revise_before_close():
    evaluation, _ = opened()
    evaluation, _ = domain.submit_scoresheet(evaluation, FRESH, "m1", answers(best))
    evaluation, events = domain.submit_scoresheet(
        evaluation, FRESH, "m1", answers(second_best_unless_starred)
    )
    assert len(evaluation.sheets) == 1
    assert events[0].revision == 2
    assert events[0].total == 83


def test_closing_waits_for_every_member():
    evaluation = scored({"m1": answers(best)})
    with pytest.raises(Conflict) as error:
        domain.close_evaluation(evaluation, FRESH, SET_148, TODAY)
    assert set(error.value.fields) == {"members.m2", "members.m3"}


def test_closing_averages_totals_and_applies_bands():
    evaluation = scored({m: answers(second_best_unless_starred) for m in ("m1", "m2", "m3")})
    closed, events = domain.close_evaluation(evaluation, FRESH, SET_148, TODAY)
    assert (closed.ranking.total, closed.ranking.stars, closed.ranking.level) == (83, 4, "province")
    assert events[0].stars == 4 and events[0].capped_by == ()


def test_average_of_members_is_used():
    top = answers(best)
    evaluation = scored({"m1": top, "m2": top, "m3": answers(second_best_unless_starred)})
    closed, _ = domain.close_evaluation(evaluation, FRESH, SET_148, TODAY)
    assert closed.ranking.total == round((100 + 100 + 83) / 3, 2)


def test_five_stars_go_to_the_central_council():
    evaluation = scored({m: answers(best) for m in ("m1", "m2", "m3")})
    closed, events = domain.close_evaluation(evaluation, FRESH, SET_148, TODAY)
    assert (closed.ranking.stars, closed.ranking.level) == (5, "central")
    assert events[0].level == "central"


def test_a_criterion_below_its_three_star_minimum_caps_and_is_named():
    chosen = answers(second_best_unless_starred)
    chosen["9.a"] = "9.a.2"  # 1 point; *** needs 2
    evaluation = scored({m: chosen for m in ("m1", "m2", "m3")})
    closed, events = domain.close_evaluation(evaluation, FRESH, SET_148, TODAY)
    assert closed.ranking.band_stars == 4
    assert closed.ranking.stars == 2
    assert [cap.criterion for cap in events[0].capped_by] == ["9.a"]
    assert events[0].capped_by[0].required_points == 2


def test_a_four_star_minimum_missed_caps_at_three():
    chosen = answers(second_best_unless_starred)
    chosen["5.b"] = "5.b.3"  # 3 points: enough for 3 stars, 4 stars need 5
    evaluation = scored({m: chosen for m in ("m1", "m2", "m3")})
    closed, _ = domain.close_evaluation(evaluation, FRESH, SET_148, TODAY)
    assert closed.ranking.stars == 3
    assert {cap.criterion for cap in closed.ranking.capped_by} == {"5.b"}


def test_closing_twice_changes_nothing_and_emits_nothing():
    evaluation = scored({m: answers(best) for m in ("m1", "m2", "m3")})
    closed, _ = domain.close_evaluation(evaluation, FRESH, SET_148, TODAY)
    again, events = domain.close_evaluation(closed, FRESH, SET_148, TODAY)
    assert again == closed and events == []
    with pytest.raises(Conflict):
        domain.submit_scoresheet(closed, FRESH, "m1", answers(best))
