"""Certification alone: product.ranked events issue certificates, exactly once."""

import pytest

from services.certification.service import CertificationService
from tests.support.amqp import cloud_event, parked, publish
from tests.support.waiting import eventually


def ranked_event(evaluation_id="e1", product_id="p1", stars=4, level="province", **data):
    return cloud_event(
        "product.ranked",
        "scoring",
        {
            "evaluation_id": evaluation_id,
            "product_id": product_id,
            "producer_id": "pr1",
            "dossier_id": "d1",
            "product_name": "Chè búp",
            "group": "food",
            "subgroup": None,
            "province_code": "19",
            "criteria_set": "148-2023",
            "total": 83.0,
            "band_stars": stars,
            "stars": stars,
            "level": level,
            "council_level": "province",
            "capped_by": [],
            "ranked_on": "2026-11-28",
            **data,
        },
    )


@pytest.fixture
def api(start_service):
    # one worker: events are handled in the order they were published, so a later
    # event being done means the earlier ones are done too
    _, url = start_service(CertificationService, max_workers=1)
    return f"{url}/api/v1"


def certificates(http, api, product_id="p1"):
    return http.get(f"{api}/certificates", params={"product_id": product_id}).json()


def test_a_ranking_issues_one_certificate_even_when_delivered_twice(http, api, rabbit_config, tap):
    event = ranked_event()
    for _ in range(3):
        publish(rabbit_config["AMQP_URI"], "scoring", "product.ranked", event)
    issued = eventually(lambda: certificates(http, api))
    tap.wait_for(lambda m: False, timeout=1.5)
    assert len(certificates(http, api)) == 1
    assert len(tap.of_type("certificate.issued")) == 1
    certificate = issued[0]
    assert certificate["number"].startswith("OCOP-19-") and certificate["number"].endswith("-00001")
    year, month, day = map(int, certificate["issued_on"].split("-"))
    assert certificate["expires_on"] == f"{year + 3}-{month:02d}-{day:02d}" or (month, day) == (
        2,
        29,
    )
    assert certificate["status"] == "valid"
    assert http.get(f"{api}/certificates/{certificate['number']}").json() == certificate


def test_numbers_are_sequential_per_province_and_year(http, api, rabbit_config):
    for index in range(3):
        publish(
            rabbit_config["AMQP_URI"],
            "scoring",
            "product.ranked",
            ranked_event(evaluation_id=f"e{index}", product_id=f"p{index}"),
        )
    publish(
        rabbit_config["AMQP_URI"],
        "scoring",
        "product.ranked",
        ranked_event(evaluation_id="e9", product_id="p9", province_code="82"),
    )
    numbers = eventually(lambda: len(all_numbers(http, api)) == 4 and all_numbers(http, api))
    suffixes = sorted(n.split("-", 1)[1] for n in numbers)
    assert [s.split("-")[0] for s in suffixes] == ["19", "19", "19", "82"]
    assert sorted(s.rsplit("-", 1)[1] for s in suffixes if s.startswith("19")) == [
        "00001",
        "00002",
        "00003",
    ]


def all_numbers(http, api):
    return [certificate["number"] for certificate in http.get(f"{api}/certificates").json()]


@pytest.mark.parametrize(("stars", "level"), [(2, "province"), (5, "central")])
def test_a_province_council_certifies_neither_below_three_stars_nor_five(
    http, api, rabbit_config, tap, stars, level
):
    publish(
        rabbit_config["AMQP_URI"],
        "scoring",
        "product.ranked",
        ranked_event(stars=stars, level=level, product_id="px"),
    )
    publish(
        rabbit_config["AMQP_URI"],
        "scoring",
        "product.ranked",
        ranked_event(evaluation_id="ok", product_id="marker"),
    )
    eventually(lambda: certificates(http, api, "marker"))  # the later event is done, so is this one
    assert certificates(http, api, "px") == []


def test_unparseable_and_foreign_messages_are_parked_with_why(http, api, rabbit_config):
    amqp_uri = rabbit_config["AMQP_URI"]
    publish(amqp_uri, "scoring", "product.ranked", b"{not json", content_type="application/json")
    publish(
        amqp_uri, "scoring", "product.ranked", {**ranked_event(), "source": "/ocop/registration"}
    )
    found = parked(amqp_uri, "certification", count=2)
    reasons = sorted(message["headers"]["x-parked-reason"] for message in found)
    assert reasons[0].startswith("body cannot be decoded")
    assert "does not match exchange" in reasons[1]
    assert {message["headers"]["x-parked-queue"] for message in found} == {
        "evt-scoring-product.ranked--certification.issue_certificate"
    }
    assert any(message["body"] == b"{not json" for message in found)
    # the consumer survived: the next good event is handled
    publish(amqp_uri, "scoring", "product.ranked", ranked_event())
    assert eventually(lambda: certificates(http, api))


@pytest.mark.parametrize(
    ("stars", "level", "prefix"), [(5, "central", "OCOP-TW-"), (4, "province", "OCOP-19-")]
)
def test_the_central_councils_results_are_certified(http, api, rabbit_config, stars, level, prefix):
    publish(
        rabbit_config["AMQP_URI"],
        "scoring",
        "product.ranked",
        ranked_event(stars=stars, level=level, council_level="central"),
    )
    certificate = eventually(lambda: certificates(http, api))[0]
    assert certificate["number"].startswith(prefix) and certificate["stars"] == stars
