"""Scoring alone: a dossier.submitted event opens an evaluation; members score over HTTP."""

import pytest

from services.scoring.service import ScoringService
from tests.support.amqp import cloud_event, publish
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
            **data,
        },
    )


@pytest.fixture
def api(start_service):
    _, url = start_service(ScoringService)
    return f"{url}/api/v1"


def opened(http, api, amqp_uri, event):
    publish(amqp_uri, "registration", "dossier.submitted", event)
    product_id = event["data"]["product_id"]
    return eventually(
        lambda: http.get(f"{api}/evaluations", params={"product_id": product_id}).json()
    )


def test_a_dossier_opens_one_evaluation_even_if_delivered_twice(http, api, rabbit_config, tap):
    event = dossier_event()
    evaluations = opened(http, api, rabbit_config["AMQP_URI"], event)
    publish(rabbit_config["AMQP_URI"], "registration", "dossier.submitted", event)
    publish(
        rabbit_config["AMQP_URI"], "registration", "dossier.submitted", {**event, "id": "other-id"}
    )
    assert len(tap.wait_for(lambda m: m["routing_key"] == "evaluation.opened", count=1)) == 1
    assert evaluations[0]["members"] == ["m1", "m2", "m3"]
    assert evaluations[0]["criteria_set"] == "148-2023"
    # the duplicates are consumed (nothing parked) and open nothing more
    tap.wait_for(lambda m: False, timeout=1)
    assert len(http.get(f"{api}/evaluations", params={"product_id": "p1"}).json()) == 1
    assert len(tap.of_type("evaluation.opened")) == 1


def test_members_score_and_closing_ranks_the_product(http, api, rabbit_config, tap):
    evaluation = opened(http, api, rabbit_config["AMQP_URI"], dossier_event())[0]
    sheet = http.get(f"{api}/evaluations/{evaluation['id']}/sheet").json()
    assert [part["max"] for part in sheet["parts"]] == [40, 25, 35]
    assert sheet["provisional"] is True
    early = http.post(f"{api}/evaluations/{evaluation['id']}/close")
    assert early.status_code == 409 and "members.m1" in early.json()["fields"]
    for member in ("m1", "m2"):
        response = http.post(
            f"{api}/evaluations/{evaluation['id']}/scoresheets",
            json={"member_id": member, "answers": answers_for_four_stars(sheet)},
        )
        assert response.status_code == 201 and response.json()["total"] == 83
    http.post(
        f"{api}/evaluations/{evaluation['id']}/scoresheets",
        json={"member_id": "m3", "answers": best_answers(sheet)},
    )
    closed = http.post(f"{api}/evaluations/{evaluation['id']}/close")
    assert closed.status_code == 200
    assert closed.json()["total"] == round((83 + 83 + 100) / 3, 2)
    assert (closed.json()["stars"], closed.json()["level"]) == (4, "province")
    again = http.post(f"{api}/evaluations/{evaluation['id']}/close")
    assert again.json() == closed.json()
    ranked = tap.wait_for(lambda m: m["routing_key"] == "product.ranked")
    assert len(ranked) == 1 and ranked[0]["body"]["data"]["stars"] == 4
    assert len(tap.of_type("scoresheet.submitted")) == 3


def test_score_sheet_faults_are_422_naming_each_answer(http, api, rabbit_config):
    evaluation = opened(http, api, rabbit_config["AMQP_URI"], dossier_event())[0]
    sheet = http.get(f"{api}/evaluations/{evaluation['id']}/sheet").json()
    answers = best_answers(sheet)
    answers.pop("1.a")
    answers["1.b"] = "nope"
    response = http.post(
        f"{api}/evaluations/{evaluation['id']}/scoresheets",
        json={"member_id": "m1", "answers": answers},
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"answers.1.a", "answers.1.b"}
    stranger = http.post(
        f"{api}/evaluations/{evaluation['id']}/scoresheets",
        json={"member_id": "mx", "answers": best_answers(sheet)},
    )
    assert stranger.status_code == 422 and "member_id" in stranger.json()["fields"]
    missing = http.post(f"{api}/evaluations/{evaluation['id']}/scoresheets", json={"answers": {}})
    assert missing.status_code == 422 and "member_id" in missing.json()["fields"]


def test_criteria_set_is_served_whole_with_its_known_issues(http, api):
    criteria = http.get(f"{api}/criteria/148-2023").json()
    assert criteria["part_maxima"] == {"A": 40, "B": 25, "C": 35}
    processed = next(s for s in criteria["sheets"] if s["subgroup"] == "che-bien-tu-rau-cu-qua-hat")
    assert "6.d: best option 3 != stated 4" in processed["known_issues"]
    assert http.get(f"{api}/criteria/2099").status_code == 404


def test_a_dossier_event_with_bad_data_is_parked_not_retried(http, api, rabbit_config):
    from tests.support.amqp import parked

    publish(
        rabbit_config["AMQP_URI"], "registration", "dossier.submitted", dossier_event(year="soon")
    )
    found = parked(rabbit_config["AMQP_URI"], "scoring")
    assert len(found) == 1
    assert "year" in found[0]["headers"]["x-parked-reason"]
    assert found[0]["headers"]["x-ocop-attempts"] == 1
