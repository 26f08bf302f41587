"""Every product is scored on its own product set's sheet, or its round waits and says why:
never on another sub-group's or group's sheet (issue 16)."""

import re
from datetime import UTC, date, datetime

import pytest

from services.scoring import closing, domain, scoresheets, sheet_choice
from services.scoring.councils import Council, Member
from services.scoring.criteria import Sheet, find_set
from services.scoring.criteria_files import load_criteria_sets
from services.scoring.evaluation import Evaluation
from services.scoring.procedure import load_procedure
from shared.errors import Conflict
from shared.events import (
    DossierSubmitted,
    EvaluationOpened,
    EvaluationWaiting,
    ProductClassified,
    ProductEscalated,
    ProductNotRanked,
    ProductRanked,
    SheetUsed,
)
from shared.product_groups import classification, subgroups_of

SETS = load_criteria_sets()
PROCEDURE = load_procedure()
SET_148 = find_set(SETS, "148-2023")
SET_26 = find_set(SETS, "26-2026")
FRESH = "rau-cu-qua-hat-tuoi"
NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
MEMBERS = (Member(id="m1", role="chair"), Member(id="m2"), Member(id="m3"))
PROVINCE = Council(id="c19", level="province", province_code="19", members=MEMBERS)
CENTRAL = Council(id="tw", level="central", members=MEMBERS)
# one product of each group that is not food, on a sheet of its own product set
OWN_SHEETS = {
    "handicrafts": "thu-cong-my-nghe-gia-dung-trang-tri",
    "tourism": "du-lich-cong-dong-sinh-thai-diem-du-lich",
    "herbs": "thuc-pham-chuc-nang-thuoc-duoc-lieu",
    "ornamental": "cay-canh",
    "drinks": "ruou-trang",
}


def dossier(**overrides) -> DossierSubmitted:
    fields = dict(
        dossier_id="d1",
        product_id="p1",
        producer_id="pr1",
        product_name="Sản phẩm",
        group="food",
        subgroup=FRESH,
        province_code="19",
        year=2026,
        submitted_on=date(2026, 11, 28),
    )
    return DossierSubmitted(**{**fields, **overrides})


def opened(now=NOW, sets=SETS, assessment=False, **overrides):
    return domain.open_for_dossier("e1", dossier(**overrides), sets, PROVINCE, now, assessment)


def close(evaluation, sheet, criteria_set=SET_148, now=NOW):
    return closing.close_evaluation(evaluation, sheet, criteria_set, "m1", now, procedure=PROCEDURE)


def classified(subgroup: str, group: str = "food") -> ProductClassified:
    return ProductClassified(
        product_id="p1",
        producer_id="pr1",
        group=group,
        subgroup=subgroup,
        province_code="19",
        classified_by="officer-1",
    )


def codes_in(text: str) -> set[str]:
    """The sub-group codes a text names, as whole words ("hoa" is in "nuoc-khoang")."""
    return set(re.split(r"[\s,:;()]+", text)) & set(classification().subgroups)


def best_answers(sheet: Sheet) -> dict[str, str]:
    return {
        code: max(criterion.options, key=lambda option: option.points).code
        for code, criterion in sheet.criteria().items()
    }


def scored_and_closed(evaluation: Evaluation, sheet: Sheet):
    for member in ("m1", "m2", "m3"):
        evaluation, _ = scoresheets.submit_scoresheet(
            evaluation, sheet, member, best_answers(sheet), NOW
        )
    return close(evaluation, sheet)


# --- rounds that wait -------------------------------------------------------------------


@pytest.mark.parametrize("group", sorted(classification().groups))
def test_a_product_without_sub_group_waits_for_one_listing_its_groups_codes(group):
    evaluation, events = opened(group=group, subgroup=None)
    assert (evaluation.status, evaluation.sheet_id) == ("awaiting_sheet", None)
    assert evaluation.waiting is not None and evaluation.waiting.waiting_for == "subgroup"
    assert [type(event) for event in events] == [EvaluationWaiting]
    waiting = events[0]
    assert (waiting.waiting_for, waiting.evaluation_id, waiting.product_id) == (
        "subgroup",
        "e1",
        "p1",
    )
    assert (waiting.group, waiting.subgroup, waiting.criteria_set) == (group, None, "148-2023")
    assert waiting.reason == evaluation.waiting.reason
    # every product set of the group, those whose sheet is withheld too: the officer names
    # the product's true set, never one chosen because its sheet happens to be usable
    own = {code for code, sub in classification().subgroups.items() if sub.group == group}
    assert own and codes_in(waiting.reason) == own
    assert [(e.actor, e.action) for e in evaluation.audit] == [
        ("system", "opened"),
        ("system", "waiting"),
    ]


@pytest.mark.parametrize("subgroup", sorted(SET_148.withheld))
def test_a_sub_group_whose_sheet_is_withheld_waits_for_the_sheet(subgroup):
    evaluation, events = opened(group="food", subgroup=subgroup)
    assert (evaluation.status, evaluation.sheet_id) == ("awaiting_sheet", None)
    assert [type(event) for event in events] == [EvaluationWaiting]
    assert (events[0].waiting_for, events[0].subgroup) == ("sheet", subgroup)
    withheld = SET_148.withheld[subgroup]
    assert withheld.title in events[0].reason and "148-2023" in events[0].reason
    assert withheld.reason in events[0].reason  # why it is withheld, as the data says
    assert evaluation.waiting == sheet_choice.sheet_for(SET_148, "food", subgroup)


def test_a_sub_group_of_another_group_is_never_scored_on_its_sheet():
    fresh_as_drink, _ = opened(group="drinks", subgroup=FRESH)
    wine_as_food, _ = opened(group="food", subgroup="ruou-trang")
    for evaluation in (fresh_as_drink, wine_as_food):
        assert (evaluation.status, evaluation.sheet_id) == ("awaiting_sheet", None)
        assert evaluation.waiting.waiting_for == "sheet"


def test_before_148_a_sub_group_without_a_1048_sheet_waits_too():
    evaluation, events = opened(
        now=datetime(2022, 6, 1, 3, tzinfo=UTC), group="drinks", subgroup="ruou-trang"
    )
    assert (evaluation.criteria_set, evaluation.status) == ("1048-2019", "awaiting_sheet")
    assert events[0].waiting_for == "sheet" and "1048-2019" in events[0].reason


def test_a_waiting_round_cannot_be_scored_or_closed_and_says_why():
    evaluation, _ = opened(subgroup=None)
    with pytest.raises(Conflict) as error:
        sheet_choice.round_sheet(SETS, evaluation)
    assert evaluation.waiting.reason in str(error.value)
    assert error.value.fields == {"status": "awaiting_sheet"}
    sheet = SET_148.sheets[FRESH]
    with pytest.raises(Conflict):
        scoresheets.submit_scoresheet(evaluation, sheet, "m1", best_answers(sheet), NOW)
    with pytest.raises(Conflict):
        close(evaluation, sheet)


# --- rounds that open on the product's own sheet ----------------------------------------


@pytest.mark.parametrize(("group", "subgroup"), OWN_SHEETS.items())
def test_a_product_of_any_group_opens_on_its_own_sub_groups_sheet(group, subgroup):
    evaluation, events = opened(group=group, subgroup=subgroup)
    sheet = SET_148.sheets[subgroup]
    assert evaluation.sheet_id == f"148-2023/{subgroup}" != f"148-2023/{FRESH}"
    assert (evaluation.status, evaluation.waiting) == ("open", None)
    assert evaluation.sheet_title == sheet.title and sheet.group == group
    assert [type(event) for event in events] == [EvaluationOpened]
    assert (events[0].sheet_id, events[0].evaluation_id) == (evaluation.sheet_id, "e1")
    assert sheet_choice.round_sheet(SETS, evaluation) == sheet


@pytest.mark.parametrize("subgroup", sorted(SET_148.sheets))
def test_every_usable_sheet_is_the_one_its_products_open_on(subgroup):
    group = SET_148.sheets[subgroup].group
    evaluation, _ = opened(group=group, subgroup=subgroup)
    assert evaluation.sheet_id == f"148-2023/{subgroup}" and evaluation.status == "open"


def test_a_round_that_needs_the_communes_assessment_opens_awaiting_it():
    evaluation, events = opened(assessment=True, group="drinks", subgroup="ruou-trang")
    assert evaluation.status == "awaiting_assessment"
    assert events[0].awaiting_precheck and events[0].awaiting_assessment


# --- classify ---------------------------------------------------------------------------


def test_classifying_opens_a_waiting_round_on_the_sheet_it_names():
    waiting, _ = opened(group="drinks", subgroup=None)
    evaluation, events = domain.classify(waiting, classified("ruou-trang", "drinks"), SETS, NOW)
    assert (evaluation.status, evaluation.sheet_id) == ("open", "148-2023/ruou-trang")
    assert (evaluation.subgroup, evaluation.waiting) == ("ruou-trang", None)
    assert [type(event) for event in events] == [EvaluationOpened]
    assert events[0].sheet_id == "148-2023/ruou-trang" and events[0].evaluation_id == "e1"
    assert evaluation.audit[-1].actor == "officer-1"
    assert evaluation.audit[-1].action == "sheet"


def test_classifying_a_waiting_round_keeps_its_assessment():
    waiting, _ = opened(assessment=True, subgroup=None)
    evaluation, events = domain.classify(waiting, classified(FRESH), SETS, NOW)
    assert evaluation.status == "awaiting_assessment" and events[0].awaiting_assessment


def test_classifying_into_a_withheld_sub_group_keeps_waiting_for_the_sheet_once():
    waiting, _ = opened(subgroup=None)
    still, events = domain.classify(waiting, classified("ca-phe-ca-cao"), SETS, NOW)
    assert (still.status, still.subgroup) == ("awaiting_sheet", "ca-phe-ca-cao")
    assert [type(event) for event in events] == [EvaluationWaiting]
    assert events[0].waiting_for == "sheet"
    again, events = domain.classify(still, classified("ca-phe-ca-cao"), SETS, NOW)
    assert (again, events) == (still, [])


def test_classifying_an_open_round_changes_nothing():
    evaluation, _ = opened()
    assert domain.classify(evaluation, classified("ruou-trang", "drinks"), SETS, NOW) == (
        evaluation,
        [],
    )
    awaiting_assessment, _ = opened(assessment=True)
    assert domain.classify(awaiting_assessment, classified("do-an-nhanh"), SETS, NOW) == (
        awaiting_assessment,
        [],
    )


def test_a_renewal_without_sub_group_waits_then_opens_when_classified():
    renewal = dossier(subgroup=None, renewal_of="OCOP-19-2023-00007")
    waiting, events = domain.open_for_dossier("e9", renewal, SETS, PROVINCE, NOW, False)
    assert (waiting.kind, waiting.status) == ("re_evaluation", "awaiting_sheet")
    assert events[0].waiting_for == "subgroup" and events[0].kind == "re_evaluation"
    evaluation, _ = domain.classify(waiting, classified("gia-vi-khac"), SETS, NOW)
    assert (evaluation.status, evaluation.sheet_id) == ("open", "148-2023/gia-vi-khac")


# --- the unconfirmed newer set ----------------------------------------------------------


def test_the_unconfirmed_set_makes_rounds_opened_from_its_date_provisional_not_before():
    assert SET_26.status == "unconfirmed" and SET_26.applies_from == date(2026, 5, 22)
    assert SET_26.provisional_reason
    sheet = SET_148.sheets["ruou-trang"]
    before, _ = opened(
        now=datetime(2026, 5, 21, 10, tzinfo=UTC), group="drinks", subgroup="ruou-trang"
    )
    on_the_day, events = opened(
        now=datetime(2026, 5, 21, 17, tzinfo=UTC),  # 00:00 on 22/05 in Việt Nam
        group="drinks",
        subgroup="ruou-trang",
    )
    assert before.criteria_set == on_the_day.criteria_set == "148-2023"
    assert before.provisional_reasons == sheet.provisional_reasons
    assert on_the_day.provisional_reasons == (*sheet.provisional_reasons, SET_26.provisional_reason)
    assert events[0].provisional
    assert sheet_choice.pending_sets(SETS, SET_148, date(2026, 5, 21)) == ()
    assert sheet_choice.pending_sets(SETS, SET_148, date(2026, 5, 22)) == (
        SET_26.provisional_reason,
    )


def test_the_unconfirmed_set_reason_follows_a_waiting_round_onto_its_sheet():
    waiting, _ = opened(subgroup=None)
    assert waiting.provisional_reasons == () and waiting.set_reasons == (SET_26.provisional_reason,)
    evaluation, _ = domain.classify(waiting, classified(FRESH), SETS, NOW)
    assert SET_26.provisional_reason in evaluation.provisional_reasons


def test_a_round_is_provisional_for_the_newer_set_even_on_a_confirmed_sheet():
    confirmed = SET_148.sheets[FRESH].model_copy(update={"provisional_reasons": ()})
    set_148 = SET_148.model_copy(update={"sheets": {**SET_148.sheets, FRESH: confirmed}})
    sets = tuple(set_148 if each.code == "148-2023" else each for each in SETS)
    before, _ = opened(now=datetime(2026, 3, 1, 3, tzinfo=UTC), sets=sets)
    after, _ = opened(sets=sets)
    assert (before.provisional, after.provisional) == (False, True)
    assert after.provisional_reasons == (SET_26.provisional_reason,)


# --- the results say which sheet --------------------------------------------------------


@pytest.mark.parametrize(("group", "subgroup"), OWN_SHEETS.items())
def test_a_central_result_names_the_sheet_it_was_scored_on(group, subgroup):
    sheet = SET_148.sheets[subgroup]
    evaluation, _ = domain.open_round(
        "e2",
        kind="central",
        round_key="central:e1",
        product=dossier(group=group, subgroup=subgroup).model_dump(
            exclude={"year", "submitted_on"}
        ),
        criteria_set=SET_148,
        council=CENTRAL,
        now=NOW,
    )
    _, events = scored_and_closed(evaluation, sheet)
    ranked = events[-1]
    assert isinstance(ranked, ProductRanked) and ranked.stars == 5
    assert ranked.sheet == SheetUsed(id=f"148-2023/{subgroup}", title=sheet.title, provisional=True)


def test_an_escalation_names_the_sheet_and_the_central_round_opens_on_it():
    evaluation, _ = opened(group="herbs", subgroup="my-pham-tu-thao-duoc")
    sheet = SET_148.sheets["my-pham-tu-thao-duoc"]
    _, events = scored_and_closed(evaluation, sheet)
    escalated = events[1]
    assert isinstance(escalated, ProductEscalated) and events[-1].sheet == escalated.sheet
    assert escalated.sheet == SheetUsed(id=sheet.id, title=sheet.title, provisional=True)
    central, opened_events = domain.open_central_round("e2", escalated, SETS, CENTRAL, NOW)
    assert (central.sheet_id, central.status) == (sheet.id, "open")
    assert isinstance(opened_events[0], EvaluationOpened)
    assert SET_26.provisional_reason in central.provisional_reasons


def test_a_result_on_a_confirmed_sheet_before_the_newer_set_is_not_provisional():
    confirmed = SET_148.sheets[FRESH].model_copy(update={"provisional_reasons": ()})
    set_148 = SET_148.model_copy(update={"sheets": {**SET_148.sheets, FRESH: confirmed}})
    sets = tuple(set_148 if each.code == "148-2023" else each for each in SETS)
    march = datetime(2026, 3, 1, 3, tzinfo=UTC)
    evaluation, _ = domain.open_for_dossier("e1", dossier(), sets, CENTRAL, march, False)
    for member in ("m1", "m2", "m3"):
        evaluation, _ = scoresheets.submit_scoresheet(
            evaluation, confirmed, member, best_answers(confirmed), march
        )
    _, events = close(evaluation, confirmed, set_148, march)
    assert events[-1].sheet == SheetUsed(id=confirmed.id, title=confirmed.title, provisional=False)


def test_a_not_ranked_result_names_its_sheet_too():
    evaluation, _ = opened(group="ornamental", subgroup="hoa")
    sheet = SET_148.sheets["hoa"]
    lowest = {
        code: min(criterion.options, key=lambda option: option.points).code
        for code, criterion in sheet.criteria().items()
    }
    mandatory = [code for code, c in sheet.criteria().items() if c.required_for(3)]
    failable = [
        code
        for code in mandatory
        if sheet.criteria()[code].required_for(3)
        > min(o.points for o in sheet.criteria()[code].options)
    ]
    assert failable, "the flower sheet has a 3-star minimum a product can fail"
    for member in ("m1", "m2", "m3"):
        evaluation, _ = scoresheets.submit_scoresheet(evaluation, sheet, member, lowest, NOW)
    _, events = close(evaluation, sheet)
    assert isinstance(events[-1], ProductNotRanked)
    assert events[-1].sheet == SheetUsed(id=sheet.id, title=sheet.title, provisional=True)


def test_the_listed_codes_are_sub_groups_the_classification_gives_the_group():
    for group in classification().groups:
        reason = sheet_choice.sheet_for(SET_148, group, None).reason
        assert codes_in(reason) <= set(subgroups_of(group))


def test_a_round_waiting_for_sheet_data_opens_once_the_sheet_is_in_the_data():
    waiting, _ = opened(subgroup="ca-phe-ca-cao")
    assert (waiting.status, waiting.waiting.waiting_for) == ("awaiting_sheet", "sheet")
    assert domain.retry_sheet(waiting, SETS, NOW) == (waiting, [])  # still withheld: no change
    coffee = SET_148.sheets["do-an-nhanh"].model_copy(
        update={"id": "148-2023/ca-phe-ca-cao", "subgroup": "ca-phe-ca-cao", "title": "Cà phê"}
    )
    fixed = SET_148.model_copy(
        update={
            "sheets": {**SET_148.sheets, "ca-phe-ca-cao": coffee},
            "withheld": {k: v for k, v in SET_148.withheld.items() if k != "ca-phe-ca-cao"},
        }
    )
    sets = tuple(fixed if each.code == "148-2023" else each for each in SETS)
    evaluation, events = domain.retry_sheet(waiting, sets, NOW)
    assert (evaluation.status, evaluation.sheet_id) == ("open", "148-2023/ca-phe-ca-cao")
    assert [type(event) for event in events] == [EvaluationOpened]
    assert domain.retry_sheet(evaluation, sets, NOW) == (evaluation, [])  # opened once
