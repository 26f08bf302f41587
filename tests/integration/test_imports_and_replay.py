"""Importing a province's records (past results, certificates) and replaying history.
The imports name products registration announced (the `products` and `producers`
fixtures); what is refused for its product is in test_import_origin.py."""

from datetime import UTC, datetime

import pika
import pytest

from services.certification.service import CertificationService
from services.scoring.service import ScoringService
from tests.support.amqp import pika_parameters

PRODUCT = {
    "product_id": "p-cam-1",
    "producer_id": "pr-cam",
    "product_name": "Cam sành Hàm Yên",
    "group": "food",
    "province_code": "08",
}
RESULT = {
    **PRODUCT,
    "code": "KQ-2024-0031",
    "criteria_set": "148-2023",
    "scored_at_level": "district",
    "total": 61.5,
    "stars": 3,
    "evaluated_on": "2024-09-12",
}
CERTIFICATE = {
    **PRODUCT,
    "number": "08-HY-2024-017",
    "stars": 4,
    "level": "district",
    "total": 74,
    "issued_on": "2024-10-01",
    "expires_on": "2027-09-30",
    "decision_number": "2214/QĐ-UBND",
}


@pytest.fixture
def scoring(start_service):
    return f"{start_service(ScoringService)[1]}"


@pytest.fixture
def certification(start_service):
    return f"{start_service(CertificationService, max_workers=1)[1]}"


def test_a_past_result_is_kept_announced_and_loaded_once(http, scoring, products, tap):
    url = f"{scoring}/api/v1/imports/results"
    key = {"Idempotency-Key": "tinh-08/ket-qua/KQ-2024-0031"}
    first = http.post(url, json=RESULT, headers=key)
    again = http.post(url, json=RESULT, headers=key)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert http.post(url, json=RESULT).status_code == 409  # same record code, no key
    [event] = tap.wait_for(lambda m: m["routing_key"] == "result.imported")
    assert event["body"]["data"]["scored_at_level"] == "district"
    assert event["body"]["data"]["evaluation_id"] == first.json()["id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"criteria_set": "26-2026"}, "criteria_set"),  # a draft, never used to score
        ({"criteria_set": "999-2030"}, "criteria_set"),
        ({"evaluated_on": "2025-08-01"}, "scored_at_level"),  # no districts since 1/7/2025
        ({"evaluated_on": "2018-05-01"}, "evaluated_on"),  # before set 148 was in force
        ({"total": 64, "stars": 4}, "stars"),
        ({"stars": 6}, "stars"),
    ],
)
def test_a_past_result_that_cannot_be_true_is_refused_naming_the_field(
    http, scoring, products, change, field
):
    response = http.post(f"{scoring}/api/v1/imports/results", json={**RESULT, **change})
    assert response.status_code == 422, response.text
    assert field in response.json()["fields"]


def test_imported_certificates_keep_their_number_and_dates(http, certification, producers, tap):
    url = f"{certification}/api/v1/imports/certificates"
    key = {"Idempotency-Key": "tinh-08/gcn/017"}
    current = http.post(url, json=CERTIFICATE, headers=key)
    assert current.status_code == 201, current.text
    assert http.post(url, json=CERTIFICATE, headers=key).json() == current.json()
    assert current.json()["status"] == "valid" and current.json()["level"] == "province"
    ended = {**CERTIFICATE, "number": "08-2019-004", "issued_on": "2019-12-20"}
    ended["expires_on"] = "2022-12-19"
    expired = http.post(url, json=ended)
    assert expired.status_code == 201 and expired.json()["status"] == "expired"
    events = tap.wait_for(lambda m: m["exchange"] == "certification.events", count=3)
    assert [(m["routing_key"], m["body"]["data"]["certificate_number"]) for m in events] == [
        ("certificate.issued", "08-HY-2024-017"),
        ("certificate.issued", "08-2019-004"),
        ("certificate.expired", "08-2019-004"),
    ]
    issued = events[0]["body"]["data"]
    assert issued["imported"] is True and issued["historical_level"] == "district"
    check = http.get(f"{certification}/api/v1/certificates/08-2019-004/verification")
    assert check.json()["status"] == "expired"


def test_an_imported_certificate_must_end_after_it_starts(http, certification, producers):
    url = f"{certification}/api/v1/imports/certificates"
    wrong = {**CERTIFICATE, "expires_on": "2024-09-30"}
    response = http.post(url, json=wrong)
    assert response.status_code == 422 and "expires_on" in response.text
    slashed = http.post(url, json={**CERTIFICATE, "number": "17/GCN-UBND"})
    assert slashed.status_code == 422 and "number" in slashed.json()["fields"]


def test_replay_sends_the_history_since_a_time_to_one_queue_in_order(
    http, certification, producers, tap, bus
):
    url = f"{certification}/api/v1/imports/certificates"
    numbers = [f"08-2024-{n:03d}" for n in range(1, 6)]
    for number in numbers:
        assert http.post(url, json={**CERTIFICATE, "number": number}).status_code == 201
    published = tap.wait_for(lambda m: m["routing_key"] == "certificate.issued", count=5)
    assert len(published) == 5
    # a new subscriber, with a broker user of its own, binds its queue to the replays
    connection = pika.BlockingConnection(
        pika_parameters(bus.subscriber("so-cong-thuong", ["certification.events"]))
    )
    channel = connection.channel()
    queue = f"{bus.user('so-cong-thuong')}.ocop"
    channel.queue_declare(queue, durable=True)
    channel.queue_bind(queue, "certification.replay", routing_key=queue)
    bystander = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(bystander, "certification.events", routing_key="#")
    since = datetime(2020, 1, 1, tzinfo=UTC).isoformat()
    body = {"since": since, "to_queue": queue, "types": ["certificate.issued"]}
    replay = http.post(f"{certification}/admin/replay", json=body)
    assert replay.status_code == 200 and replay.json() == {"replayed": 5}
    received = []
    while (message := channel.basic_get(queue, auto_ack=True))[0] is not None:
        received.append(message)
    assert [m[2] for m in received] == [m["raw"] for m in published]  # same bytes, same order
    assert {m[1].user_id for m in received} == {bus.user("certification")}  # the sender
    assert channel.basic_get(bystander, auto_ack=True)[0] is None  # nobody else got them
    missing = http.post(f"{certification}/admin/replay", json={**body, "to_queue": "nobody"})
    assert missing.status_code == 422 and "to_queue" in missing.json()["fields"]
    channel.queue_unbind(queue, "certification.replay", routing_key=queue)
    unbound = http.post(f"{certification}/admin/replay", json=body)
    assert unbound.status_code == 422 and "not bound" in unbound.json()["fields"]["to_queue"]
    connection.close()
