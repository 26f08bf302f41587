"""The shared consumer plumbing on the real broker: retries with delay, then parking."""

import pytest
from prometheus_client import REGISTRY

from shared.events import CertificateIssued, Received
from shared.messaging.handlers import on_event
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


def test_a_failing_handler_is_retried_then_parked_with_its_history(
    container_factory, service_config
):
    container = container_factory(AlwaysFailing, {**service_config, "RETRY_DELAYS": [1, 1]})
    container.start()
    retried_before = consumed("always_failing", "retry")
    parked_before = parked_metric("always_failing", "failed")
    event = issued()
    publish(service_config["AMQP_URI"], "certification", "certificate.issued", event)
    found = parked(service_config["AMQP_URI"], "always_failing", timeout=30)
    assert len(found) == 1
    headers = found[0]["headers"]
    assert headers["x-ocop-attempts"] == 3  # first try and two retries
    assert headers["x-parked-reason"] == "RuntimeError: database says no"
    assert (
        headers["x-parked-queue"] == "evt-certification-certificate.issued--always_failing.handle"
    )
    assert "RuntimeError" in headers["x-parked-traceback"]
    assert [event["id"]] * 3 == CALLS
    assert consumed("always_failing", "retry") - retried_before == 2
    assert parked_metric("always_failing", "failed") - parked_before == 1


def test_a_transient_failure_succeeds_on_retry(container_factory, service_config):
    container = container_factory(FailingOnce, {**service_config, "RETRY_DELAYS": [1]})
    container.start()
    before = {outcome: consumed("failing_once", outcome) for outcome in ("ok", "retry")}
    event = issued()
    publish(service_config["AMQP_URI"], "certification", "certificate.issued", event)
    assert eventually(lambda: DONE == [event["id"]], timeout=15)
    assert parked(service_config["AMQP_URI"], "failing_once", timeout=1) == []
    after = {outcome: consumed("failing_once", outcome) for outcome in ("ok", "retry")}
    assert (after["retry"] - before["retry"], after["ok"] - before["ok"]) == (1, 1)


class Recording:
    """A consumer that records what it is given."""

    name = "recording"

    @on_event(CertificateIssued)
    def handle(self, event: Received[CertificateIssued]) -> None:
        DONE.append(event.id)


HANDLER_QUEUE = "evt-certification-certificate.issued--recording.handle"


def test_an_event_claiming_another_source_is_parked_not_handled(container_factory, service_config):
    container_factory(Recording, service_config).start()
    forged = {**issued(), "source": "/ocop/registration"}
    publish(service_config["AMQP_URI"], "certification", "certificate.issued", forged)
    (found,) = parked(service_config["AMQP_URI"], "recording")
    assert "does not match exchange 'certification.events'" in found["headers"]["x-parked-reason"]
    assert DONE == []


def test_an_event_through_another_services_exchange_is_parked(container_factory, service_config):
    """Even with the right source: only certification's exchange may bring its events (a
    queue bound elsewhere by mistake, or a service publishing what is not its own)."""
    import pika

    from tests.support.amqp import declare_events_exchange, pika_parameters

    container_factory(Recording, service_config).start()
    with pika.BlockingConnection(pika_parameters(service_config["AMQP_URI"])) as connection:
        channel = connection.channel()
        exchange = declare_events_exchange(channel, "registration")
        channel.queue_bind(HANDLER_QUEUE, exchange, routing_key="certificate.issued")
    publish(service_config["AMQP_URI"], "registration", "certificate.issued", issued())
    (found,) = parked(service_config["AMQP_URI"], "recording")
    assert "came through exchange 'registration.events'" in found["headers"]["x-parked-reason"]
    genuine = issued()
    publish(service_config["AMQP_URI"], "certification", "certificate.issued", genuine)
    assert eventually(lambda: DONE == [genuine["id"]], timeout=10)
