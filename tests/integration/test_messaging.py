"""The shared consumer plumbing on the real broker: retries with delay, then parking."""

import json

import pytest
from prometheus_client import REGISTRY

from shared.events import CertificateIssued, Received
from shared.messaging.handlers import on_event
from shared.messaging.senders import SENDER_HEADER
from tests.support.amqp import cloud_event, parked, publish
from tests.support.waiting import eventually

CALLS: list[str] = []
SEEN: set[str] = set()
DONE: list[str] = []


class AlwaysFailing:
    """A consumer whose handler always raises."""

    name = "always_failing"

    @on_event(CertificateIssued)
    def handle(self, event: Received[CertificateIssued]) -> None:
        CALLS.append(event.id)
        raise RuntimeError("database says no")


class FailingOnce:
    """A consumer that fails on the first delivery of each event, then succeeds."""

    name = "failing_once"

    @on_event(CertificateIssued)
    def handle(self, event: Received[CertificateIssued]) -> None:
        if event.id not in SEEN:
            SEEN.add(event.id)
            raise ConnectionError("flaky")
        DONE.append(event.id)


def issued() -> dict:
    return cloud_event(
        "certificate.issued",
        "certification",
        {
            "certificate_number": "OCOP-19-2026-00001",
            "product_id": "p1",
            "producer_id": "pr1",
            "product_name": "Chè",
            "group": "food",
            "subgroup": None,
            "province_code": "19",
            "stars": 4,
            "level": "province",
            "total": 83.0,
            "criteria_set": "148-2023",
            "evaluation_id": "e1",
            "issued_on": "2026-11-28",
            "expires_on": "2029-11-28",
        },
    )


def consumed(service: str, outcome: str) -> float:
    labels = {"service": service, "event_type": "certificate.issued", "outcome": outcome}
    return REGISTRY.get_sample_value("ocop_events_consumed_total", labels) or 0.0


def parked_metric(service: str, reason: str) -> float:
    queue = f"evt-certification-certificate.issued--{service}.handle"
    labels = {"service": service, "queue": queue, "reason": reason}
    return REGISTRY.get_sample_value("ocop_events_parked_total", labels) or 0.0


@pytest.fixture(autouse=True)
def reset():
    CALLS.clear()
    SEEN.clear()
    DONE.clear()


def test_a_failing_handler_is_retried_then_parked_with_its_history(start_service, bus):
    start_service(AlwaysFailing, RETRY_DELAYS=[1, 1])
    retried_before = consumed("always_failing", "retry")
    parked_before = parked_metric("always_failing", "failed")
    event = issued()
    publish(bus, "certification", "certificate.issued", event)
    found = parked(bus, "always_failing", timeout=30)
    assert len(found) == 1
    headers = found[0]["headers"]
    # retried and parked by the service itself, naming the sender the broker vouched for
    assert found[0]["user_id"] == bus.user("always_failing")
    assert headers[SENDER_HEADER] == bus.user("certification")
    assert headers["x-ocop-attempts"] == 3  # first try and two retries
    assert headers["x-parked-reason"] == "RuntimeError: database says no"
    assert (
        headers["x-parked-queue"] == "evt-certification-certificate.issued--always_failing.handle"
    )
    assert "RuntimeError" in headers["x-parked-traceback"]
    assert [event["id"]] * 3 == CALLS
    assert consumed("always_failing", "retry") - retried_before == 2
    assert parked_metric("always_failing", "failed") - parked_before == 1


def test_a_transient_failure_succeeds_on_retry(start_service, bus):
    start_service(FailingOnce, RETRY_DELAYS=[1])
    before = {outcome: consumed("failing_once", outcome) for outcome in ("ok", "retry")}
    event = issued()
    publish(bus, "certification", "certificate.issued", event)
    assert eventually(lambda: DONE == [event["id"]], timeout=15)
    assert parked(bus, "failing_once", timeout=1) == []
    after = {outcome: consumed("failing_once", outcome) for outcome in ("ok", "retry")}
    assert (after["retry"] - before["retry"], after["ok"] - before["ok"]) == (1, 1)


class Recording:
    """A consumer that records what it is given."""

    name = "recording"

    @on_event(CertificateIssued)
    def handle(self, event: Received[CertificateIssued]) -> None:
        DONE.append(event.id)


HANDLER_QUEUE = "evt-certification-certificate.issued--recording.handle"


def test_an_event_claiming_another_source_is_parked_not_handled(start_service, bus):
    start_service(Recording)
    forged = {**issued(), "source": "/ocop/registration"}
    publish(bus, "certification", "certificate.issued", forged)
    (found,) = parked(bus, "recording")
    assert "does not match exchange 'certification.events'" in found["headers"]["x-parked-reason"]
    assert DONE == []


def test_an_event_through_another_services_exchange_is_parked(start_service, bus):
    """Even with the right source: only certification's exchange may bring its events (a
    queue bound elsewhere by mistake, or a service publishing what is not its own)."""
    import pika

    from tests.support.amqp import pika_parameters

    start_service(Recording)
    with pika.BlockingConnection(pika_parameters(bus.administrator())) as connection:
        connection.channel().queue_bind(HANDLER_QUEUE, "registration.events", "certificate.issued")
    publish(bus, "registration", "certificate.issued", issued())
    (found,) = parked(bus, "recording")
    assert "came through exchange 'registration.events'" in found["headers"]["x-parked-reason"]
    genuine = issued()
    publish(bus, "certification", "certificate.issued", genuine)
    assert eventually(lambda: DONE == [genuine["id"]], timeout=10)


@pytest.mark.parametrize(
    ("login", "user_id", "sender_header", "reason"),
    [
        # certification's own login, but no user_id: the broker vouches for nobody
        ("certification", None, None, "sent by no user_id"),
        # an administrator allowed to write everywhere (what `guest` is on a default broker)
        ("admin", "own", None, "sent by user '{admin}'"),
        # ... naming certification as the sender in the header a service uses when it relays
        ("admin", "own", "{certification}", "sent by user '{admin}'"),
    ],
)
def test_an_event_not_sent_by_its_sources_user_is_parked_not_handled(
    start_service, bus, login, user_id, sender_header, reason
):
    import pika

    from tests.support.amqp import pika_parameters

    start_service(Recording)
    names = {"admin": bus.user("admin"), "certification": bus.user("certification")}
    target = bus.administrator() if login == "admin" else bus.amqp_uri(login)
    event = issued()
    headers = {SENDER_HEADER: sender_header.format(**names)} if sender_header else {}
    with pika.BlockingConnection(pika_parameters(target)) as connection:
        channel = connection.channel()
        channel.confirm_delivery()
        claimed = pika_parameters(target).credentials.username if user_id else None
        properties = pika.BasicProperties(
            content_type="application/cloudevents+json", user_id=claimed, headers=headers
        )
        channel.basic_publish(
            "certification.events", "certificate.issued", json.dumps(event).encode(), properties
        )
    (found,) = parked(bus, "recording")
    assert reason.format(**names) in found["headers"]["x-parked-reason"]
    assert DONE == []
    genuine = issued()
    publish(bus, "certification", "certificate.issued", genuine)
    assert eventually(lambda: DONE == [genuine["id"]], timeout=10)


def test_a_forged_user_id_is_refused_by_the_broker(bus):
    """RabbitMQ checks `user_id` against the login: no one can claim to be certification."""
    import pika

    from tests.support.amqp import pika_parameters

    target = bus.administrator()
    with pika.BlockingConnection(pika_parameters(target)) as connection:
        channel = connection.channel()
        channel.confirm_delivery()
        properties = pika.BasicProperties(user_id=bus.user("certification"))
        with pytest.raises(pika.exceptions.ChannelClosedByBroker) as refused:
            channel.basic_publish("certification.events", "certificate.issued", b"{}", properties)
    assert refused.value.reply_code == 406
    assert "user_id property set to" in refused.value.reply_text
