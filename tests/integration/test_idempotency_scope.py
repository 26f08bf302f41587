"""An `Idempotency-Key` belongs to its caller: registration alone (and certification for a
record named by its own number), on the real broker and nx-27017."""

import pytest
import requests
from pymongo import MongoClient

from services.registration.service import RegistrationService
from shared.devstack.credentials import all_powers_key
from tests.integration.test_registration_service import TEA
from tests.support.auth import bearer, token
from tests.support.batches import open_batch

SHA = "0" * 64


@pytest.fixture
def api(start_service):
    return f"{start_service(RegistrationService)[1]}/api/v1"


@pytest.fixture
def callers(http, store_uri, service_config) -> dict[str, dict[str, str]]:
    """Three callers: the `http` fixture's key; a second key that carries the same client
    label (a key's scope is its id, not its label); a person signed in with a token."""
    second = all_powers_key(store_uri, service_config["ACCESS_DB"], client="integration tests")
    person = token("can-bo-19", roles=["province_officer"], provinces=["19"])
    return {
        "first key": {"Authorization": http.headers["Authorization"]},
        "second key": bearer(second),
        "person": bearer(person),
    }


@pytest.fixture
def producers(store_uri, database_name):
    with MongoClient(store_uri) as client:
        yield client[database_name].producers


def producer(name: str) -> dict:
    address = {"province_code": "19", "ward_code": "01933"}
    return {"name": name, "kind": "htx", "women_led": False, "address": address}


def post(url: str, body: dict, caller: dict[str, str], key: str) -> requests.Response:
    return requests.post(url, json=body, headers={**caller, "Idempotency-Key": key}, timeout=10)


def test_callers_sending_the_same_key_and_body_each_get_their_own_record(api, callers, producers):
    url, body = f"{api}/producers", producer("HTX Chè Đồng Phúc")
    first = {
        name: post(url, body, caller, "tinh-19/chu-the/0001") for name, caller in callers.items()
    }
    assert {name: answer.status_code for name, answer in first.items()} == dict.fromkeys(
        callers, 201
    )
    ids = {name: answer.json()["id"] for name, answer in first.items()}
    assert len(set(ids.values())) == 3  # never the first caller's answer
    again = {
        name: post(url, body, caller, "tinh-19/chu-the/0001") for name, caller in callers.items()
    }
    assert {name: answer.json() for name, answer in again.items()} == {
        name: answer.json() for name, answer in first.items()
    }
    assert producers.count_documents({}) == 3


def test_another_callers_key_never_blocks_and_a_reused_one_is_a_conflict(api, callers, producers):
    url = f"{api}/producers"
    mine, theirs = callers["first key"], callers["second key"]
    first = post(url, producer("HTX Chè"), mine, "k-1")
    other = post(url, producer("HTX Miến dong"), theirs, "k-1")  # same key, another request
    assert first.status_code == other.status_code == 201, other.text
    assert other.json()["name"] == "HTX Miến dong" and other.json()["id"] != first.json()["id"]
    reused = post(url, producer("HTX Miến dong"), mine, "k-1")  # the same caller: a conflict
    assert reused.status_code == 409 and "Idempotency-Key" in reused.json()["fields"]
    assert producers.count_documents({}) == 2


def test_a_dossier_key_answers_only_its_own_caller(http, api, callers):
    """The dossier of a product and batch exists once: another caller repeating the first
    caller's request, key and all, is told the batch is taken, not handed that dossier."""
    mine, theirs = callers["first key"], callers["second key"]
    batch = open_batch(http, api, "19")
    made = post(f"{api}/producers", producer("HTX Chè"), mine, "chu-the-1").json()
    product = {"producer_id": made["id"], "name": "Chè búp", **TEA}
    product_id = post(f"{api}/products", product, mine, "san-pham-1").json()["id"]
    url = f"{api}/products/{product_id}/dossiers"
    dossier = {
        "batch_id": batch,
        "evidence": [{"kind": "label", "filename": "a.pdf", "sha256": SHA}],
    }
    first = post(url, dossier, mine, "ho-so-1")
    assert first.status_code == 201 and post(url, dossier, mine, "ho-so-1").json() == first.json()
    theirs_answer = post(url, dossier, theirs, "ho-so-1")
    assert theirs_answer.status_code == 409, theirs_answer.text
    assert theirs_answer.json()["fields"] == {"batch_id": "taken"}
    assert first.json()["id"] not in theirs_answer.text
