"""Decision 148/QĐ-TTg Phụ lục II as amended by 1489/QĐ-TTg: the commune's assessment, the
province's opening, returned dossiers, and escalation at 90 points whatever the 5-star
minimums (the rules as data: services/scoring/data)."""

from datetime import UTC, date, datetime

import pytest

from services.scoring import assessment, closing, domain, scoresheets
from services.scoring.councils import Council, Member
from services.scoring.criteria import find_set
from services.scoring.criteria_files import load_criteria_sets
from services.scoring.evaluation import Evaluation
from services.scoring.procedure import load_procedure
from shared.errors import Conflict, InvalidInput
from shared.events import (
    DossierAssessed,
    DossierReturned,
    DossierSubmitted,
    EvaluationClosed,
    ProductEscalated,
    ProductRanked,
)
from shared.events.envelope import rfc3339

SETS = load_criteria_sets()
SET_148 = find_set(SETS, "148-2023")
FRESH = SET_148.sheets["rau-cu-qua-hat-tuoi"]
PROCEDURE = load_procedure()
NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
MEMBERS = (Member(id="m1", role="chair"), Member(id="m2"), Member(id="m3"))
PROVINCE = Council(id="c19", level="province", province_code="19", members=MEMBERS)
ITEMS = ("local_raw_materials", "local_labour", "product_idea_origin", "local_identity")


def waiting(**overrides) -> Evaluation:
    dossier = DossierSubmitted(
        dossier_id="d1",
        product_id="p1",
        producer_id="pr1",
        product_name="Cam sành",
        group="food",
        subgroup="rau-cu-qua-hat-tuoi",
        province_code="19",
        ward_code="01933",
        year=2026,
        submitted_on=date(2026, 11, 28),
        **overrides,
    )
    evaluation, _ = domain.open_for_dossier("e1", dossier, SETS, PROVINCE, NOW, True)
    return evaluation


def assess(evaluation, verdict="propose", reasons=(), items=None, report="Đạt cả bốn nội dung"):
    return assessment.record_assessment(
        evaluation,
        items={code: (True, "") for code in ITEMS} if items is None else items,
        report=report,
        verdict=verdict,
        reasons=reasons,
        officer_id="xa-1",
        known=PROCEDURE.assessment_items,
        now=NOW,
    )


def opening(evaluation, open_round=True, reasons=()):
    return assessment.decide_opening(
        evaluation, open_round=open_round, reasons=reasons, officer_id="tinh-1", now=NOW
    )


def test_the_four_commune_items_are_data_with_their_source():
    assert PROCEDURE.item_codes() == ITEMS
    labels = {item.code: item.label for item in PROCEDURE.assessment_items}
    assert labels["local_labour"] == "Sử dụng lao động địa phương"
    assert all(item.quote for item in PROCEDURE.assessment_items)
    assert labels["local_identity"] and PROCEDURE.escalation.sources


def test_a_proposed_dossier_waits_for_the_province_which_opens_it_for_scoring():
    evaluation = waiting()
    assert evaluation.status == "awaiting_assessment"
    proposed, events = assess(evaluation)
    assert proposed.status == "awaiting_opening" and proposed.assessment.verdict == "propose"
    (assessed,) = events
    assert isinstance(assessed, DossierAssessed)
    assert (assessed.ward_code, assessed.assessed_by, assessed.verdict) == (
        "01933",
        "xa-1",
        "propose",
    )
    assert [item.code for item in assessed.items] == list(ITEMS)
    assert all(item.met and item.label for item in assessed.items)
    with pytest.raises(Conflict):  # members score only once the province opened it
        scoresheets.submit_scoresheet(proposed, FRESH, "m1", {}, NOW)
    opened, events = opening(proposed)
    assert (opened.status, events) == ("open", [])
    assert opened.opening.open and opened.audit[-1].action == "opened_for_scoring"


def test_the_commune_returns_a_dossier_with_its_reasons():
    items = {code: (code != "local_labour", "") for code in ITEMS}
    closed, events = assess(waiting(), "return", ("Thuê lao động ngoài tỉnh",), items)
    assert closed.status == "closed" and closed.outcome.kind == "returned"
    assert closed.outcome.returned_by_level == "commune"
    assessed, ended, returned = events
    assert isinstance(assessed, DossierAssessed) and assessed.verdict == "return"
    assert [item.code for item in assessed.items if not item.met] == ["local_labour"]
    assert isinstance(ended, EvaluationClosed) and ended.outcome == "returned"
    assert isinstance(returned, DossierReturned)
    assert (returned.returned_by_level, returned.returned_by, returned.reasons) == (
        "commune",
        "xa-1",
        ("Thuê lao động ngoài tỉnh",),
    )
    assert (returned.dossier_id, returned.province_code, returned.returned_on) == (
        "d1",
        "19",
        date(2026, 11, 28),
    )


def test_the_province_returns_a_proposed_dossier_with_its_reasons():
    proposed, _ = assess(waiting())
    closed, events = opening(proposed, False, ("Thiếu phiếu kiểm nghiệm",))
    assert (closed.status, closed.outcome.kind, closed.outcome.returned_by_level) == (
        "closed",
        "returned",
        "province",
    )
    assert [type(each) for each in events] == [EvaluationClosed, DossierReturned]
    assert events[1].returned_by_level == "province" and events[1].returned_by == "tinh-1"


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ({code: (True, "") for code in ITEMS[:3]}, "items.local_identity"),
        ({**{code: (True, "") for code in ITEMS}, "taste": (True, "")}, "items.taste"),
    ],
)
def test_a_missing_or_unknown_item_is_refused_naming_it(items, field):
    with pytest.raises(InvalidInput) as error:
        assess(waiting(), items=items)
    assert list(error.value.fields) == [field]


def test_returning_needs_reasons():
    with pytest.raises(InvalidInput) as error:
        assess(waiting(), "return", ())
    assert "reasons" in error.value.fields
    proposed, _ = assess(waiting())
    with pytest.raises(InvalidInput) as error:
        opening(proposed, False, ())
    assert "reasons" in error.value.fields


def test_assessing_or_opening_out_of_turn_is_a_conflict():
    evaluation = waiting()
    with pytest.raises(Conflict):
        opening(evaluation)
    proposed, _ = assess(evaluation)
    with pytest.raises(Conflict):
        assess(proposed)
    opened, _ = opening(proposed)
    with pytest.raises(Conflict):
        opening(opened)
    with pytest.raises(Conflict) as error:
        closing.close_evaluation(opened, FRESH, SET_148, "m1", NOW, procedure=PROCEDURE)
    assert "quorum" in str(error.value)  # open now: only the quorum is missing
    with pytest.raises(Conflict) as error:
        closing.close_evaluation(proposed, FRESH, SET_148, "m1", NOW, procedure=PROCEDURE)
    assert error.value.fields == {"status": "awaiting_opening"}


def test_a_round_stored_awaiting_the_precheck_reads_as_awaiting_the_assessment():
    stored = waiting().model_dump(mode="json")
    stored.pop("assessment_required")
    old = {
        **stored,
        "status": "awaiting_precheck",
        "precheck_required": True,
        "precheck": None,
    }
    evaluation = Evaluation.model_validate(old)
    assert (evaluation.status, evaluation.assessment_required) == ("awaiting_assessment", True)
    assert evaluation.batch_id is None
    checked = {
        **old,
        "status": "closed",
        "precheck": {
            "officer_id": "xa-1",
            "local_raw_materials": False,
            "local_labour": True,
            "passed": False,
            "at": rfc3339(NOW),
        },
        "outcome": {"kind": "precheck_failed", "decided_on": "2025-03-01"},
    }
    closed = Evaluation.model_validate(checked)
    assert closed.precheck.passed is False and closed.outcome.kind == "precheck_failed"


def answers(**chosen) -> dict[str, str]:
    best = {
        code: max(criterion.options, key=lambda option: option.points).code
        for code, criterion in FRESH.criteria().items()
    }
    return {**best, **chosen}


def scored_and_closed(chosen: dict[str, str], procedure=PROCEDURE):
    evaluation, _ = opening(assess(waiting())[0])
    for member in ("m1", "m2", "m3"):
        evaluation, _ = scoresheets.submit_scoresheet(evaluation, FRESH, member, chosen, NOW)
    return closing.close_evaluation(evaluation, FRESH, SET_148, "m1", NOW, procedure=procedure)


def test_ninety_points_escalate_even_with_a_five_star_minimum_failed():
    # 99 points, but 1.b (2 of 3 points) is below its 5-star minimum: under 148 alone a
    # 4-star province result; under 1489 the central council decides
    closed, events = scored_and_closed(answers(**{"1.b": "1.b.2"}))
    assert closed.outcome.kind == "escalated" and closed.outcome.total == 99
    assert [type(each) for each in events] == [EvaluationClosed, ProductEscalated, ProductRanked]
    escalated, province = events[1:]
    assert escalated.total == 99 and escalated.to_level == "central"
    assert (province.stars, province.band_stars, province.level, province.council_level) == (
        4,
        5,
        "province",
        "province",
    )
    assert province.escalated and [cap.criterion for cap in province.capped_by] == ["1.b"]
    assert (closed.outcome.stars, closed.outcome.level) == (4, "province")


def test_the_province_recognises_nothing_meanwhile_when_the_data_says_so():
    waits = PROCEDURE.model_copy(
        update={
            "escalation": PROCEDURE.escalation.model_copy(update={"province_recognises": False})
        }
    )
    closed, events = scored_and_closed(answers(), waits)
    assert [type(each) for each in events] == [EvaluationClosed, ProductEscalated]
    assert (closed.outcome.kind, closed.outcome.stars, closed.outcome.level) == (
        "escalated",
        None,
        None,
    )


def test_the_escalation_line_is_the_datas():
    assert PROCEDURE.escalation.min_points == 90
    higher = PROCEDURE.model_copy(
        update={"escalation": PROCEDURE.escalation.model_copy(update={"min_points": 99.5})}
    )
    closed, events = scored_and_closed(answers(**{"1.b": "1.b.2"}), higher)
    assert closed.outcome.kind == "ranked" and [type(each) for each in events] == [
        EvaluationClosed,
        ProductRanked,
    ]
    assert (events[1].stars, events[1].escalated) == (4, False)
