"""Scoring rules: which set and sheet, sheets and amendments, quorum, results, renewals (the
commune's assessment and the province's opening: test_scoring_assessment.py)."""

from datetime import UTC, date, datetime

import pytest

from services.scoring import closing, domain, scoresheets, sheet_choice
from services.scoring.councils import Council, Member
from services.scoring.criteria import find_set
from services.scoring.criteria_files import load_criteria_sets
from services.scoring.procedure import load_procedure
from shared.errors import Conflict, InvalidInput
from shared.events import (
    DossierSubmitted,
    EvaluationClosed,
    ProductEscalated,
    ProductNotRanked,
    ProductRanked,
    ScoresheetAmended,
    ScoresheetSubmitted,
)

SETS = load_criteria_sets()
PROCEDURE = load_procedure()
SET_148 = find_set(SETS, "148-2023")
FRESH = SET_148.sheets["rau-cu-qua-hat-tuoi"]
NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
MEMBERS = (
    Member(id="m1", role="chair"),
    Member(id="m2"),
    Member(id="m3"),
    Member(id="s1", role="secretary"),
)
PROVINCE = Council(id="c19", level="province", province_code="19", members=MEMBERS)
CENTRAL = Council(id="tw", level="central", members=MEMBERS)


def dossier(**overrides) -> DossierSubmitted:
    fields = dict(
        dossier_id="d1",
        product_id="p1",
        producer_id="pr1",
        product_name="Cam sành",
        group="food",
        subgroup="rau-cu-qua-hat-tuoi",
        province_code="19",
        year=2026,
        submitted_on=date(2026, 11, 28),
    )
    return DossierSubmitted(**{**fields, **overrides})


def answers(pick) -> dict[str, str]:
    return {code: pick(criterion).code for code, criterion in FRESH.criteria().items()}


def best(criterion):
    return max(criterion.options, key=lambda option: option.points)


def four_stars(criterion):
    """Best where a star minimum applies, second best elsewhere: 84 points, 4 stars."""
    ranked = sorted(criterion.options, key=lambda option: option.points)
    return ranked[-1] if criterion.min_points_for_stars or len(ranked) == 1 else ranked[-2]


def opened(council=PROVINCE, assessment=False, **overrides):
    evaluation, _ = domain.open_for_dossier(
        "e1", dossier(**overrides), SETS, council, NOW, assessment
    )
    return evaluation


def scored(sheets: dict[str, dict[str, str]], council=PROVINCE):
    evaluation = opened(council)
    for member, chosen in sheets.items():
        evaluation, _ = scoresheets.submit_scoresheet(evaluation, FRESH, member, chosen, NOW)
    return evaluation


def close(evaluation, by="m1"):
    return closing.close_evaluation(evaluation, FRESH, SET_148, by, NOW, procedure=PROCEDURE)


def test_the_set_in_force_on_the_evaluation_date_applies_and_drafts_never_do():
    assert sheet_choice.criteria_set_for(SETS, date(2023, 2, 23)).code == "1048-2019"
    assert sheet_choice.criteria_set_for(SETS, date(2023, 2, 24)).code == "148-2023"
    assert find_set(SETS, "26-2026").status == "unconfirmed"
    assert sheet_choice.criteria_set_for(SETS, date(2026, 11, 28)).code == "148-2023"
    newer_draft = SET_148.model_copy(
        update={"code": "99-2026", "status": "draft", "applies_from": date(2026, 1, 1)}
    )
    assert (
        sheet_choice.criteria_set_for((*SETS, newer_draft), date(2026, 11, 28)).code == "148-2023"
    )
    with pytest.raises(InvalidInput):
        sheet_choice.criteria_set_for(SETS, date(2018, 1, 1))


def test_the_sub_group_sheet_applies_and_no_other_groups_sheet_ever_does():
    assert opened().sheet_id == "148-2023/rau-cu-qua-hat-tuoi"
    wine = opened(group="drinks", subgroup="ruou-trang")
    assert (wine.sheet_id, wine.status) == ("148-2023/ruou-trang", "open")
    assert wine.provisional_reasons[: len(SET_148.sheets["ruou-trang"].provisional_reasons)] == (
        SET_148.sheets["ruou-trang"].provisional_reasons
    )
    tea = opened(subgroup="che-tuoi-che-che-bien")  # withheld: its parts do not add up
    assert (tea.sheet_id, tea.status) == (None, "awaiting_sheet")
    assert tea.waiting is not None and tea.waiting.waiting_for == "sheet"


def test_secretaries_do_not_score():
    evaluation, events = domain.open_for_dossier("e1", dossier(), SETS, PROVINCE, NOW, False)
    assert events[0].members == ("m1", "m2", "m3")
    with pytest.raises(InvalidInput) as error:
        scoresheets.submit_scoresheet(evaluation, FRESH, "s1", answers(best), NOW)
    assert "member_id" in error.value.fields


def test_a_sheet_must_answer_every_criterion_with_its_own_options():
    chosen = answers(best)
    del chosen["1.a"]
    chosen["1.b"] = "9.z.1"
    chosen["99.z"] = "99.z.1"
    with pytest.raises(InvalidInput) as error:
        scoresheets.submit_scoresheet(opened(), FRESH, "m1", chosen, NOW)
    assert error.value.fields == {
        "answers.1.a": "not answered",
        "answers.1.b": "'9.z.1' is not an option of 1.b",
        "answers.99.z": "no such criterion on this sheet",
    }


def test_an_amendment_is_recorded_as_a_new_revision_not_an_overwrite():
    evaluation, first = scoresheets.submit_scoresheet(opened(), FRESH, "m1", answers(best), NOW)
    evaluation, second = scoresheets.submit_scoresheet(
        evaluation, FRESH, "m1", answers(four_stars), NOW
    )
    assert isinstance(first[0], ScoresheetSubmitted) and isinstance(second[0], ScoresheetAmended)
    assert (second[0].revision, second[0].previous_total, second[0].total) == (2, 100, 84)
    sheet = evaluation.sheet_of("m1")
    assert [each.total for each in sheet.revisions] == [100, 84]
    assert [entry.action for entry in evaluation.audit] == [
        "opened",
        "sheet",
        "sheet_submitted",
        "sheet_amended",
    ]


def test_members_see_only_their_own_sheet_until_close():
    evaluation = scored({"m1": answers(best), "m2": answers(four_stars)})
    assert [s.member_id for s in scoresheets.sheets_visible_to(evaluation, "m2")] == ["m2"]
    assert scoresheets.sheets_visible_to(evaluation, "m3") == ()
    with pytest.raises(Conflict):
        scoresheets.sheets_visible_to(evaluation, None)
    closed, _ = close(scored({m: answers(best) for m in ("m1", "m2", "m3")}))
    assert len(scoresheets.sheets_visible_to(closed, None)) == 3


@pytest.mark.parametrize(
    ("quorum", "members", "closes"),
    [
        ("two_thirds_with_chair", ("m1", "m2"), True),
        ("two_thirds_with_chair", ("m2", "m3"), False),  # no chair
        ("two_thirds_with_chair", ("m1",), False),  # one third
        ("all", ("m1", "m2"), False),
        ("all", ("m1", "m2", "m3"), True),
        ("three_quarters_with_chair", ("m1", "m2"), False),  # two of three < 3/4
        ("three_quarters_with_chair", ("m1", "m2", "m3"), True),
    ],
)
def test_quorum(quorum, members, closes):
    council = PROVINCE.model_copy(update={"quorum": quorum})
    evaluation = scored({member: answers(four_stars) for member in members}, council)
    if closes:
        assert close(evaluation)[0].status == "closed"
    else:
        with pytest.raises(Conflict) as error:
            close(evaluation)
        assert error.value.fields


def test_closing_averages_totals_then_applies_the_band():
    top = answers(best)
    evaluation = scored({"m1": answers(four_stars), "m2": answers(four_stars), "m3": top})
    closed, events = close(evaluation)
    assert closed.outcome.total == round((84 + 84 + 100) / 3, 2)
    assert [type(event) for event in events] == [EvaluationClosed, ProductRanked]
    ranked = events[1]
    assert (ranked.stars, ranked.level, ranked.council_level) == (4, "province", "province")
    assert {part.code for part in ranked.parts} == {"A", "B", "C"}
    assert sum(part.points for part in ranked.parts) == pytest.approx(ranked.total, abs=0.02)


def test_failing_a_mandatory_criterion_is_not_ranked_and_names_it():
    chosen = answers(four_stars)
    chosen["9.a"] = "9.a.2"  # 1 point; *** needs 2
    closed, events = close(scored({m: chosen for m in ("m1", "m2", "m3")}))
    assert closed.outcome.kind == "not_ranked"
    not_ranked = events[1]
    assert isinstance(not_ranked, ProductNotRanked) and not_ranked.reason == "mandatory_criteria"
    assert [each.criterion for each in not_ranked.failed_criteria] == ["9.a"]


def test_a_four_star_minimum_missed_caps_at_three_and_names_it():
    chosen = answers(four_stars)
    chosen["5.b"] = "5.b.3"  # 3 points: enough for 3 stars, 4 stars need 5
    _, events = close(scored({m: chosen for m in ("m1", "m2", "m3")}))
    assert events[1].stars == 3 and [c.criterion for c in events[1].capped_by] == ["5.b"]


def test_ninety_points_at_the_province_escalate_to_the_central_council():
    closed, events = close(scored({m: answers(best) for m in ("m1", "m2", "m3")}))
    assert closed.outcome.kind == "escalated"
    assert [type(event) for event in events] == [EvaluationClosed, ProductEscalated, ProductRanked]
    escalated, province = events[1:]
    # meanwhile the province recognises what it may: 4 stars, its level (escalation.yaml)
    assert (province.stars, province.band_stars, province.level) == (4, 5, "province")
    assert province.escalated and province.capped_by == ()
    central, opened_events = domain.open_central_round("e2", escalated, SETS, CENTRAL, NOW)
    assert central.kind == "central" and central.escalated_from == "e1"
    assert central.round_key == "central:e1" and opened_events[0].level == "central"
    assert (central.sheet_id, central.status) == (FRESH.id, "open")
    for member in ("m1", "m2", "m3"):
        central, _ = scoresheets.submit_scoresheet(central, FRESH, member, answers(best), NOW)
    _, results = close(central)
    assert (results[1].stars, results[1].level, results[1].council_level) == (
        5,
        "central",
        "central",
    )


def test_a_central_result_below_five_stars_is_recognised_by_the_province():
    central = domain.open_round(
        "e2",
        kind="central",
        round_key="central:e1",
        product=dossier().model_dump(exclude={"year", "submitted_on"}),
        criteria_set=SET_148,
        council=CENTRAL,
        now=NOW,
    )[0]
    for member in ("m1", "m2", "m3"):
        central, _ = scoresheets.submit_scoresheet(central, FRESH, member, answers(four_stars), NOW)
    _, results = close(central)
    assert (results[1].stars, results[1].level, results[1].council_level) == (
        4,
        "province",
        "central",
    )


def test_closing_twice_changes_nothing_and_the_audit_tells_the_story():
    closed, _ = close(scored({m: answers(four_stars) for m in ("m1", "m2")}), by="m1")
    again, events = close(closed, by="m2")
    assert again == closed and events == []
    assert [(e.actor, e.action) for e in closed.audit] == [
        ("system", "opened"),
        ("system", "sheet"),
        ("m1", "sheet_submitted"),
        ("m2", "sheet_submitted"),
        ("m1", "closed"),
    ]
    assert closed.audit[-1].details["stars"] == 4


def test_a_renewal_dossier_opens_a_re_evaluation_round_through_the_commune():
    renewal = dossier(renewal_of="OCOP-19-2023-00007", batch_id="b-19-2026-2")
    evaluation, events = domain.open_for_dossier("e9", renewal, SETS, PROVINCE, NOW, True)
    assert (evaluation.kind, evaluation.status) == ("re_evaluation", "awaiting_assessment")
    assert (evaluation.certificate_number, evaluation.batch_id) == (
        "OCOP-19-2023-00007",
        "b-19-2026-2",
    )
    assert evaluation.round_key == "dossier:d1"
    assert events[0].certificate_number == "OCOP-19-2023-00007"
    assert (events[0].kind, events[0].batch_id, events[0].awaiting_assessment) == (
        "re_evaluation",
        "b-19-2026-2",
        True,
    )
    evaluation = evaluation.model_copy(update={"status": "open"})  # assessed and opened
    for member in ("m1", "m2"):
        evaluation, _ = scoresheets.submit_scoresheet(
            evaluation, FRESH, member, answers(four_stars), NOW
        )
    _, results = close(evaluation)
    assert (results[1].round_kind, results[1].certificate_number) == (
        "re_evaluation",
        "OCOP-19-2023-00007",
    )


def test_a_resubmitted_dossier_opens_its_own_round_a_redelivered_one_does_not():
    first, _ = domain.open_for_dossier("e1", dossier(), SETS, PROVINCE, NOW, True)
    again, _ = domain.open_for_dossier("e2", dossier(), SETS, PROVINCE, NOW, True, 0)
    resubmitted, _ = domain.open_for_dossier("e3", dossier(), SETS, PROVINCE, NOW, True, 1)
    assert first.round_key == again.round_key == "dossier:d1"  # the store keeps one
    assert resubmitted.round_key == "dossier:d1:2" and resubmitted.kind == "new"
