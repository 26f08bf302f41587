"""Scoring alone: rounds opened by events, the commune's assessment and the province's
opening, sheets, quorum, escalation, audit."""

import pytest

from services.scoring.service import ScoringService
from tests.support.amqp import cloud_event, parked, publish
from tests.support.assessment import assess_and_open, assessment, opening
from tests.support.sheets import answers_for_four_stars, best_answers
from tests.support.waiting import eventually


def dossier_event(dossier_id="d1", product_id="p1", **data):
    return cloud_event(
        "dossier.submitted",
        "registration",
        {
            "dossier_id": dossier_id,
            "product_id": product_id,
            "producer_id": "pr1",
            "product_name": "Chè búp",
            "group": "food",
            "subgroup": "rau-cu-qua-hat-tuoi",
            "province_code": "19",
            "year": 2026,
            "submitted_on": "2026-11-28",
            "evidence": [{"kind": "label", "filename": "nhan.pdf", "sha256": "a" * 64}],
            **data,
        },
    )


@pytest.fixture
def api(start_service):
    _, url = start_service(ScoringService)
    return f"{url}/api/v1"


@pytest.fixture
def amqp(bus):
    return bus


def rounds(http, api, product_id="p1", **query):
    return http.get(f"{api}/evaluations", params={"product_id": product_id, **query}).json()


def opened(http, api, amqp, event=None, assessed=True):
    """A dossier's round; `assessed`: proposed by the commune and opened by the province."""
    event = event or dossier_event()
    publish(amqp, "registration", "dossier.submitted", event)
    evaluation = eventually(lambda: rounds(http, api, event["data"]["product_id"]))[0]
    if assessed:
        assess_and_open(http.post, f"{api}/evaluations/{evaluation['id']}")
    return evaluation


def score(http, api, evaluation_id, answers, members=("member-1", "member-2", "member-3")):
    for member in members:
        response = http.post(
            f"{api}/evaluations/{evaluation_id}/scoresheets",
            json={"member_id": member, "answers": answers},
        )
        assert response.status_code == 201, response.json()


def sheet_of(http, api, evaluation_id):
    return http.get(f"{api}/evaluations/{evaluation_id}/sheet").json()


def points(sheet, answers):
    """One member's total for `answers` on `sheet`."""
    return sum(
        option["points"]
        for part in sheet["parts"]
        for criterion in part["criteria"]
        for option in criterion["options"]
        if option["code"] == answers[criterion["code"]]
    )


def test_a_dossier_opens_one_round_awaiting_the_communes_assessment(http, api, amqp, tap):
    event = dossier_event()
    evaluation = opened(http, api, amqp, event, assessed=False)
    assert (
        evaluation["status"] == "awaiting_assessment"
        and evaluation["evidence"][0]["filename"] == "nhan.pdf"
    )
    publish(amqp, "registration", "dossier.submitted", event)
    publish(amqp, "registration", "dossier.submitted", {**event, "id": "another-delivery"})
    tap.wait_for(lambda m: False, timeout=1)
    assert len(rounds(http, api)) == 1
    announced = tap.of_type("evaluation.opened")
    assert len(announced) == 1
    data = announced[0]["body"]["data"]
    assert data["awaiting_assessment"] is True and data["awaiting_precheck"] is True
    early = http.post(
        f"{api}/evaluations/{evaluation['id']}/scoresheets",
        json={"member_id": "member-1", "answers": {}},
    )
    assert early.status_code == 409
    url = f"{api}/evaluations/{evaluation['id']}"
    assert http.post(f"{url}/opening", json=opening()).status_code == 409  # the commune first


def test_the_commune_proposes_and_the_province_opens_the_round(http, api, amqp, tap):
    evaluation = opened(http, api, amqp, assessed=False)
    url = f"{api}/evaluations/{evaluation['id']}"
    proposed = http.post(f"{url}/assessment", json=assessment(officer_id="xa-dong-phuc"))
    assert proposed.status_code == 200, proposed.text
    shown = proposed.json()
    assert shown["status"] == "awaiting_opening" and shown["assessment"]["verdict"] == "propose"
    assert [item["code"] for item in shown["assessment"]["items"]] == [
        "local_raw_materials",
        "local_labour",
        "product_idea_origin",
        "local_identity",
    ]
    assert http.post(f"{url}/assessment", json=assessment()).status_code == 409  # only once
    assessed = tap.wait_for(lambda m: m["routing_key"] == "dossier.assessed")[0]["body"]["data"]
    assert (assessed["evaluation_id"], assessed["dossier_id"], assessed["verdict"]) == (
        evaluation["id"],
        "d1",
        "propose",
    )
    assert assessed["assessed_by"] == "xa-dong-phuc (via integration tests)"
    started = http.post(f"{url}/opening", json=opening())
    assert started.status_code == 200 and started.json()["status"] == "open"
    assert started.json()["opening"]["open"] is True
    sheet = sheet_of(http, api, evaluation["id"])
    score(http, api, evaluation["id"], answers_for_four_stars(sheet), members=("member-1",))


@pytest.mark.parametrize(("by", "level"), [("assessment", "commune"), ("opening", "province")])
def test_a_returned_dossier_closes_its_round_and_says_why(http, api, amqp, tap, by, level):
    evaluation = opened(http, api, amqp, assessed=False)
    url = f"{api}/evaluations/{evaluation['id']}"
    reasons = ("Thiếu phiếu kiểm nghiệm",)
    if by == "assessment":
        answer = http.post(
            f"{url}/assessment", json=assessment("return", reasons, local_labour=False)
        )
    else:
        assert http.post(f"{url}/assessment", json=assessment()).status_code == 200
        answer = http.post(f"{url}/opening", json=opening(False, reasons))
    assert answer.status_code == 200, answer.text
    outcome = answer.json()["outcome"]
    assert (answer.json()["status"], outcome["kind"], outcome["returned_by_level"]) == (
        "closed",
        "returned",
        level,
    )
    returned = tap.wait_for(lambda m: m["routing_key"] == "dossier.returned")[0]["body"]["data"]
    assert (returned["dossier_id"], returned["returned_by_level"], returned["reasons"]) == (
        "d1",
        level,
        list(reasons),
    )
    closed = tap.wait_for(lambda m: m["routing_key"] == "evaluation.closed")[0]
    assert closed["body"]["data"]["outcome"] == "returned"
    assert tap.of_type("product.not_ranked") == []  # a returned dossier is no result
    # fixed and submitted again: a round of its own, waiting for the commune again
    publish(amqp, "registration", "dossier.submitted", {**dossier_event(), "id": "resubmitted"})
    again = eventually(lambda: [e for e in rounds(http, api) if e["id"] != evaluation["id"]])
    assert again[0]["status"] == "awaiting_assessment"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**assessment(), "items": {"local_labour": {"met": True}}}, "items.local_identity"),
        (
            {**assessment(), "items": {**assessment()["items"], "taste": {"met": True}}},
            "items.taste",
        ),
        ({**assessment(), "report": ""}, "report"),
        (assessment("return"), "reasons"),
        ({**assessment(), "verdict": "maybe"}, "verdict"),
        ({**assessment(), "reasons": [""]}, "reasons.0"),
    ],
)
def test_a_bad_assessment_is_422_naming_the_field(http, api, amqp, body, field):
    evaluation = opened(http, api, amqp, assessed=False)
    answer = http.post(f"{api}/evaluations/{evaluation['id']}/assessment", json=body)
    assert answer.status_code == 422 and field in answer.json()["fields"], answer.text


def test_rounds_are_listed_by_batch(http, api, amqp):
    batch = opened(http, api, amqp, dossier_event(batch_id="b-19-2026-2"), assessed=False)
    other = opened(http, api, amqp, dossier_event("d2", "p2"), assessed=False)
    assert (batch["batch_id"], other["batch_id"]) == ("b-19-2026-2", None)
    listed = http.get(f"{api}/evaluations", params={"batch_id": "b-19-2026-2"}).json()
    assert [each["id"] for each in listed] == [batch["id"]]
    waiting = http.get(f"{api}/evaluations", params={"status": "awaiting_assessment"}).json()
    assert {each["id"] for each in waiting} == {batch["id"], other["id"]}


def test_members_score_amend_and_the_round_ranks_the_product(http, api, amqp, tap):
    evaluation = opened(http, api, amqp)
    sheet = sheet_of(http, api, evaluation["id"])
    assert [part["max"] for part in sheet["parts"]] == [40, 25, 35] and sheet["provisional"] is True
    assert evaluation["sheet_id"] == "148-2023/rau-cu-qua-hat-tuoi"
    four_stars = answers_for_four_stars(sheet)
    total = points(sheet, four_stars)
    assert 70 <= total < 85  # the 4-star band of 148
    score(http, api, evaluation["id"], best_answers(sheet), members=("member-1",))
    score(http, api, evaluation["id"], four_stars, members=("member-1", "member-2"))
    own = http.get(
        f"{api}/evaluations/{evaluation['id']}/scoresheets", params={"member_id": "member-1"}
    ).json()
    # the amendment kept the first sheet
    assert [r["total"] for r in own[0]["revisions"]] == [100, total]
    assert (
        http.get(f"{api}/evaluations/{evaluation['id']}/scoresheets").status_code == 409
    )  # private until close
    closed = http.post(
        f"{api}/evaluations/{evaluation['id']}/close", json={"closed_by": "member-1"}
    )
    assert closed.status_code == 200, closed.json()
    assert (closed.json()["kind"], closed.json()["stars"], closed.json()["total"]) == (
        "ranked",
        4,
        total,
    )
    assert http.post(f"{api}/evaluations/{evaluation['id']}/close").json() == closed.json()
    assert len(http.get(f"{api}/evaluations/{evaluation['id']}/scoresheets").json()) == 2
    ranked = tap.wait_for(lambda m: m["routing_key"] == "product.ranked")
    assert (
        ranked[0]["body"]["data"]["stars"] == 4
        and ranked[0]["body"]["data"]["council_id"] == "province-default"
    )
    # the result names the sheet it was scored on
    assert ranked[0]["body"]["data"]["sheet"] == {
        "id": "148-2023/rau-cu-qua-hat-tuoi",
        "title": sheet["title"],
        "provisional": True,
    }
    assert (
        len(tap.of_type("scoresheet.submitted")) == 2
        and len(tap.of_type("scoresheet.amended")) == 1
    )
    assert len(tap.of_type("evaluation.closed")) == 1
    audit = http.get(f"{api}/evaluations/{evaluation['id']}/audit").json()["entries"]
    assert [(e["actor"], e["action"]) for e in audit] == [
        ("system", "opened"),
        ("system", "sheet"),  # on the product's own sheet from the start
        ("integration tests", "assessed"),  # a key names its person
        ("integration tests", "opened_for_scoring"),
        ("member-1", "sheet_submitted"),
        ("member-1", "sheet_amended"),
        ("member-2", "sheet_submitted"),
        ("member-1 (via integration tests)", "closed"),
    ]


def test_the_audit_trail_cannot_be_changed_through_the_api(http, api, amqp):
    evaluation = opened(http, api, amqp)
    url = f"{api}/evaluations/{evaluation['id']}/audit"
    for method in (http.post, http.put, http.patch, http.delete):
        assert method(url, json={"entries": []}).status_code == 405
    assert len(http.get(url).json()["entries"]) == 4  # opened, sheet, assessed, opened


def test_quorum_needs_two_thirds_with_the_chair(http, api, amqp):
    evaluation = opened(http, api, amqp)
    sheet = sheet_of(http, api, evaluation["id"])
    score(
        http, api, evaluation["id"], answers_for_four_stars(sheet), members=("member-2", "member-3")
    )
    refused = http.post(f"{api}/evaluations/{evaluation['id']}/close")
    assert refused.status_code == 409 and "member-1" in refused.json()["error"]


def test_ninety_points_escalate_and_the_central_council_recognises_five_stars(http, api, amqp, tap):
    evaluation = opened(http, api, amqp)
    score(http, api, evaluation["id"], best_answers(sheet_of(http, api, evaluation["id"])))
    closed = http.post(f"{api}/evaluations/{evaluation['id']}/close").json()
    assert (closed["kind"], closed["stars"], closed["level"]) == ("escalated", 4, "province")
    escalated = tap.wait_for(lambda m: m["routing_key"] == "product.escalated")
    assert escalated[0]["body"]["data"]["total"] == 100
    # meanwhile the province recognises 4 stars (data/escalation.yaml)
    province = tap.wait_for(lambda m: m["routing_key"] == "product.ranked")[0]["body"]["data"]
    assert (province["stars"], province["level"], province["escalated"]) == (4, "province", True)
    central = eventually(lambda: [e for e in rounds(http, api) if e["kind"] == "central"])[0]
    assert (central["level"], central["escalated_from"], central["status"]) == (
        "central",
        evaluation["id"],
        "open",
    )
    score(
        http,
        api,
        central["id"],
        best_answers(sheet_of(http, api, central["id"])),
        members=("central-1", "central-2", "central-3"),
    )
    result = http.post(f"{api}/evaluations/{central['id']}/close").json()
    assert (result["kind"], result["stars"], result["level"]) == ("ranked", 5, "central")
    ranked = tap.wait_for(lambda m: m["routing_key"] == "product.ranked", count=2)
    central_result = [m["body"]["data"] for m in ranked if m["body"]["data"]["stars"] == 5]
    assert len(ranked) == 2 and len(central_result) == 1  # the province's 4, then the 5
    assert (central_result[0]["level"], central_result[0]["council_level"]) == (
        "central",
        "central",
    )


def test_a_failed_mandatory_criterion_is_not_ranked_naming_it(http, api, amqp, tap):
    evaluation = opened(http, api, amqp)
    answers = answers_for_four_stars(sheet_of(http, api, evaluation["id"]))
    answers["9.a"] = "9.a.1"
    score(http, api, evaluation["id"], answers)
    result = http.post(f"{api}/evaluations/{evaluation['id']}/close").json()
    assert result["kind"] == "not_ranked" and result["failed_criteria"][0]["criterion"] == "9.a"
    event = tap.wait_for(lambda m: m["routing_key"] == "product.not_ranked")[0]["body"]["data"]
    assert (
        event["reason"] == "mandatory_criteria"
        and event["failed_criteria"][0]["criterion"] == "9.a"
    )


def test_a_registered_province_council_scores_its_province(http, api, amqp):
    council = http.post(
        f"{api}/councils",
        json={
            "name": "Hội đồng OCOP tỉnh Thái Nguyên",
            "level": "province",
            "province_code": "19",
            "members": [
                {"id": "tn-chair", "role": "chair"},
                {"id": "tn-1"},
                {"id": "tn-2"},
                {"id": "tn-secretary", "role": "secretary"},
            ],
            "quorum": "all",
        },
    )
    assert council.status_code == 201
    evaluation = opened(http, api, amqp, dossier_event(product_id="p19"))
    assert evaluation["council_id"] == council.json()["id"]
    assert evaluation["members"] == ["tn-chair", "tn-1", "tn-2"]
    other = opened(
        http, api, amqp, dossier_event(dossier_id="d82", product_id="p82", province_code="82")
    )
    assert other["council_id"] == "province-default"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"level": "province", "members": [{"id": "a", "role": "chair"}]}, "province_code"),
        ({"level": "province", "province_code": "19", "members": [{"id": "a"}]}, "members"),
        ({"level": "district", "members": [{"id": "a", "role": "chair"}]}, "level"),
        ({"level": "central", "members": [{"id": "a", "role": "boss"}]}, "members.0.role"),
    ],
)
def test_bad_councils_are_422_naming_the_field(http, api, body, field):
    response = http.post(f"{api}/councils", json={"name": "x", **body})
    assert response.status_code == 422 and field in response.json()["fields"], response.json()


def test_score_sheet_faults_are_422_naming_each_answer(http, api, amqp):
    evaluation = opened(http, api, amqp)
    answers = best_answers(sheet_of(http, api, evaluation["id"]))
    answers.pop("1.a")
    answers["1.b"] = "nope"
    response = http.post(
        f"{api}/evaluations/{evaluation['id']}/scoresheets",
        json={"member_id": "member-1", "answers": answers},
    )
    assert response.status_code == 422 and set(response.json()["fields"]) == {
        "answers.1.a",
        "answers.1.b",
    }
    stranger = http.post(
        f"{api}/evaluations/{evaluation['id']}/scoresheets",
        json={"member_id": "mx", "answers": best_answers(sheet_of(http, api, evaluation["id"]))},
    )
    assert stranger.status_code == 422 and "member_id" in stranger.json()["fields"]


WITHHELD = [
    "che-bien-tu-rau-cu-qua-hat",
    "che-tuoi-che-che-bien",
    "tra-tu-thuc-vat-khac",
    "ca-phe-ca-cao",
]


def test_criteria_sets_are_served_with_status_sheets_and_withheld_ones(http, api):
    listed = {each["code"]: each["status"] for each in http.get(f"{api}/criteria").json()}
    assert listed == {"148-2023": "in_force", "1048-2019": "in_force", "26-2026": "unconfirmed"}
    criteria = http.get(f"{api}/criteria/148-2023").json()
    assert criteria["group_defaults"] == {}  # no sheet stands in for another
    assert len(criteria["sheets"]) == 22
    assert all(sheet["id"] == f"148-2023/{sheet['subgroup']}" for sheet in criteria["sheets"])
    withheld = {each["subgroup"]: each for each in criteria["withheld"]}
    assert sorted(withheld) == sorted(WITHHELD)
    assert not {sheet["subgroup"] for sheet in criteria["sheets"]} & set(withheld)
    processed = withheld["che-bien-tu-rau-cu-qua-hat"]
    assert "6.d: best option 3 != stated 4" in processed["problems"] and processed["reason"]
    assert http.get(f"{api}/criteria/2099").status_code == 404


def test_a_renewal_dossier_opens_a_re_evaluation_round_through_the_commune(http, api, amqp):
    renewal = dossier_event("d7", "p7", renewal_of="OCOP-19-2023-00007", batch_id="b-19-2026-2")
    evaluation = opened(http, api, amqp, renewal, assessed=False)
    assert (evaluation["kind"], evaluation["status"], evaluation["certificate_number"]) == (
        "re_evaluation",
        "awaiting_assessment",
        "OCOP-19-2023-00007",
    )
    assert evaluation["sheet_id"] == "148-2023/rau-cu-qua-hat-tuoi"
    assert evaluation["batch_id"] == "b-19-2026-2"


def test_a_renewal_due_notice_opens_no_round(http, api, amqp, tap):
    """The notice is the producer's to act on: a renewal dossier opens the round."""
    publish(
        amqp,
        "certification",
        "certificate.renewal_due",
        cloud_event(
            "certificate.renewal_due",
            "certification",
            {
                "certificate_number": "OCOP-19-2023-00007",
                "product_id": "p7",
                "producer_id": "pr1",
                "product_name": "Cam sành Hàm Yên",
                "group": "food",
                "subgroup": "rau-cu-qua-hat-tuoi",
                "province_code": "19",
                "stars": 4,
                "expires_on": "2026-12-20",
            },
        ),
    )
    opened(http, api, amqp, dossier_event("d8", "p8"), assessed=False)  # consumed after it
    assert rounds(http, api, "p7") == []


def test_a_dossier_event_with_bad_data_is_parked_not_retried(http, api, amqp):
    publish(amqp, "registration", "dossier.submitted", dossier_event(year="soon"))
    found = parked(amqp, "scoring")
    assert len(found) == 1 and "year" in found[0]["headers"]["x-parked-reason"]
    assert found[0]["headers"]["x-ocop-attempts"] == 1


def classified_event(product_id="p1", subgroup="rau-cu-qua-hat-tuoi", group="food", **data):
    return cloud_event(
        "product.classified",
        "registration",
        {
            "product_id": product_id,
            "producer_id": "pr1",
            "group": group,
            "subgroup": subgroup,
            "previous_subgroup": None,
            "province_code": "19",
            "classified_by": "can-bo-19",
            **data,
        },
    )


def waiting_round(http, api, amqp, event):
    publish(amqp, "registration", "dossier.submitted", event)
    return eventually(lambda: rounds(http, api, event["data"]["product_id"]))[0]


def test_a_product_without_its_subgroup_waits_until_an_officer_sets_it(http, api, amqp, tap):
    evaluation = waiting_round(http, api, amqp, dossier_event(subgroup=None))
    assert (evaluation["status"], evaluation["sheet_id"]) == ("awaiting_sheet", None)
    shown = http.get(f"{api}/evaluations/{evaluation['id']}").json()
    assert shown["status"] == "awaiting_sheet"
    assert shown["waiting"]["waiting_for"] == "subgroup"
    assert "rau-cu-qua-hat-tuoi" in shown["waiting"]["reason"]  # the codes an officer picks from
    assert "ruou-trang" not in shown["waiting"]["reason"]  # never another group's sheet
    sheet = http.get(f"{api}/evaluations/{evaluation['id']}/sheet")
    assert sheet.status_code == 409 and shown["waiting"]["reason"] in sheet.json()["error"]
    early = http.post(
        f"{api}/evaluations/{evaluation['id']}/scoresheets",
        json={"member_id": "member-1", "answers": {}},
    )
    assert early.status_code == 409
    waiting = tap.wait_for(lambda m: m["routing_key"] == "evaluation.waiting")
    assert waiting and waiting[0]["body"]["data"]["evaluation_id"] == evaluation["id"]
    assert waiting[0]["body"]["data"]["waiting_for"] == "subgroup"
    assert tap.of_type("evaluation.opened") == []

    publish(amqp, "registration", "product.classified", classified_event())
    started = eventually(
        lambda: (found := rounds(http, api)[0])["status"] != "awaiting_sheet" and found
    )
    assert (started["id"], started["status"], started["sheet_id"]) == (
        evaluation["id"],
        "awaiting_assessment",  # the dossier's round goes on where any other starts
        "148-2023/rau-cu-qua-hat-tuoi",
    )
    assert started["waiting"] is None
    opened_event = tap.wait_for(lambda m: m["routing_key"] == "evaluation.opened")
    assert opened_event[0]["body"]["data"]["evaluation_id"] == evaluation["id"]
    assert opened_event[0]["body"]["data"]["sheet_id"] == "148-2023/rau-cu-qua-hat-tuoi"
    sheet = sheet_of(http, api, evaluation["id"])
    assert [part["max"] for part in sheet["parts"]] == [40, 25, 35]
    audit = http.get(f"{api}/evaluations/{evaluation['id']}/audit").json()["entries"]
    assert [(e["actor"], e["action"]) for e in audit] == [
        ("system", "opened"),
        ("system", "waiting"),
        ("can-bo-19", "sheet"),  # the officer who classified the product
    ]
    # a later classification leaves an opened round on its sheet
    publish(amqp, "registration", "product.classified", classified_event(subgroup="gia-vi-khac"))
    tap.wait_for(lambda m: False, timeout=2)
    assert rounds(http, api)[0]["sheet_id"] == "148-2023/rau-cu-qua-hat-tuoi"
    assert len(tap.of_type("evaluation.opened")) == 1


@pytest.mark.parametrize("subgroup", WITHHELD)
def test_a_product_whose_sheet_is_withheld_waits_for_the_sheet(http, api, amqp, tap, subgroup):
    evaluation = waiting_round(http, api, amqp, dossier_event(subgroup=subgroup))
    shown = http.get(f"{api}/evaluations/{evaluation['id']}").json()
    assert (shown["status"], shown["sheet_id"]) == ("awaiting_sheet", None)
    assert shown["waiting"]["waiting_for"] == "sheet"
    withheld = {
        each["subgroup"]: each for each in http.get(f"{api}/criteria/148-2023").json()["withheld"]
    }
    assert withheld[subgroup]["reason"] in shown["waiting"]["reason"]  # says why
    assert http.get(f"{api}/evaluations/{evaluation['id']}/sheet").status_code == 409
    waiting = tap.wait_for(lambda m: m["routing_key"] == "evaluation.waiting")
    assert waiting[0]["body"]["data"]["waiting_for"] == "sheet"
    assert waiting[0]["body"]["data"]["subgroup"] == subgroup
    # classified again on the same withheld sub-group: still waiting, nothing said twice
    publish(amqp, "registration", "product.classified", classified_event(subgroup=subgroup))
    tap.wait_for(lambda m: False, timeout=2)
    assert rounds(http, api)[0]["status"] == "awaiting_sheet"
    assert len(tap.of_type("evaluation.waiting")) == 1 and tap.of_type("evaluation.opened") == []
    listed = http.get(f"{api}/evaluations", params={"status": "awaiting_sheet"}).json()
    assert [each["id"] for each in listed] == [evaluation["id"]]
