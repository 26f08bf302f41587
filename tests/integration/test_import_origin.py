"""Imports must name a product and producer registration announced, that belong together,
in the province claimed: certification's certificate import and scoring's result import,
each alone on the real broker and nx-27017, learning products from published events."""

import pytest
import requests

from services.certification.service import CertificationService
from services.scoring.service import ScoringService
from tests.integration.test_imports_and_replay import CERTIFICATE, RESULT
from tests.support.announced import producer_of, product_of
from tests.support.auth import bearer, token

NOT_KNOWN = "not known (yet)"


@pytest.fixture
def certification(start_service):
    return f"{start_service(CertificationService)[1]}/api/v1/imports/certificates"


@pytest.fixture
def scoring(start_service):
    return f"{start_service(ScoringService)[1]}/api/v1/imports/results"


def refused(url: str, http, body: dict) -> dict:
    answer = http.post(url, json=body)
    assert answer.status_code == 422, answer.text
    return answer.json()["fields"]


def test_a_certificate_of_a_known_product_of_the_province_is_imported(
    http, certification, producers
):
    answer = http.post(certification, json=CERTIFICATE)
    assert answer.status_code == 201, answer.text
    assert answer.json()["product_id"] == "p-cam-1" and answer.json()["producer_id"] == "pr-cam"


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        (
            {"product_id": "p-nobody"},
            {"product_id": f"{NOT_KNOWN}: no product 'p-nobody' was registered"},
        ),
        (
            {"product_id": "p-19", "producer_id": "pr-cam"},  # Thái Nguyên's product
            {"product_id": "a product of province 19"},
        ),
        (
            {"producer_id": "pr-19"},  # a stranger as the producer, from another province
            {"producer_id": "not the producer of product 'p-cam-1'"},
        ),
        (
            {"product_id": "p-19", "producer_id": "pr-19"},  # both Thái Nguyên's
            {"product_id": "a product of province 19", "producer_id": "a producer of province 19"},
        ),
    ],
)
def test_a_certificate_import_is_refused_naming_the_field(
    http, certification, producers, change, fields
):
    assert refused(certification, http, {**CERTIFICATE, **change}) == fields


def test_a_product_whose_producer_is_not_known_or_elsewhere_is_refused(
    http, certification, announce
):
    """The product's record says `pr-moved` of province 08; certification has not heard of
    the producer yet, then hears it is of 19: neither lets the certificate in."""
    product_of(announce, "p-moved", "pr-moved", "08")
    moved = {**CERTIFICATE, "product_id": "p-moved", "producer_id": "pr-moved"}
    assert refused(certification, http, moved) == {
        "producer_id": f"{NOT_KNOWN}: no producer 'pr-moved' was registered"
    }
    producer_of(announce, "pr-moved", "19")
    assert refused(certification, http, moved) == {"producer_id": "a producer of province 19"}


def test_an_import_sent_before_the_events_arrive_is_taken_once_they_have(
    http, certification, announce
):
    """The race a bulk import runs: the refusal says "not known (yet)", and the same request
    with the same key succeeds once registration's events are in."""
    key = {"Idempotency-Key": "tinh-08/gcn/017"}
    early = http.post(certification, json=CERTIFICATE, headers=key)
    assert early.status_code == 422 and set(early.json()["fields"]) == {"product_id", "producer_id"}
    assert all(each.startswith(NOT_KNOWN) for each in early.json()["fields"].values())
    producer_of(announce, "pr-cam", "08")
    product_of(announce, "p-cam-1", "pr-cam", "08")
    assert http.post(certification, json=CERTIFICATE, headers=key).status_code == 201


def test_a_province_officer_imports_only_into_their_own_province(certification, producers):
    officer = bearer(token("can-bo-19", roles=["province_officer"], provinces=["19"]))
    answer = requests.post(certification, json=CERTIFICATE, headers=officer, timeout=10)
    assert answer.status_code == 403, answer.text  # before anything about the product is said
    assert "p-cam-1" not in answer.text


def test_a_certificate_number_answers_only_the_caller_whose_key_stored_it(
    http, certification, producers, store_uri, service_config
):
    """A certificate is stored under its own number: another caller repeating the first
    caller's request, key and all, is told the number is taken, not handed the record."""
    from shared.devstack.credentials import all_powers_key

    other = bearer(all_powers_key(store_uri, service_config["ACCESS_DB"], client="other"))
    key = {"Idempotency-Key": "tinh-08/gcn/017"}
    first = http.post(certification, json=CERTIFICATE, headers=key)
    assert (
        first.status_code == 201
        and http.post(certification, json=CERTIFICATE, headers=key).json() == first.json()
    )
    theirs = requests.post(certification, json=CERTIFICATE, headers={**other, **key}, timeout=10)
    assert theirs.status_code == 409, theirs.text
    assert theirs.json()["fields"] == {"number": "taken"} and "qr_payload" not in theirs.text


def test_a_result_of_a_known_product_of_the_province_is_imported(http, scoring, products):
    answer = http.post(scoring, json=RESULT)
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        (
            {"product_id": "p-nobody"},
            {"product_id": f"{NOT_KNOWN}: no product 'p-nobody' was registered"},
        ),
        ({"product_id": "p-19"}, {"product_id": "a product of province 19"}),
        ({"producer_id": "pr-19"}, {"producer_id": "not the producer of product 'p-cam-1'"}),
    ],
)
def test_a_result_import_is_refused_naming_the_field(http, scoring, products, change, fields):
    assert refused(scoring, http, {**RESULT, **change}) == fields
