"""What operations rely on: probes, Prometheus metrics, the correlation id, and one
publishing relay however many instances of a service run."""

import threading

import pytest
from prometheus_client.parser import text_string_to_metric_families
from pymongo import MongoClient

from services.registration.service import RegistrationService
from shared.events import ProducerRegistered
from shared.messaging.batches import BatchPublisher
from shared.outbox import OutboxRelay
from shared.relay_lease import LEASES, RelayLease
from tests.support.waiting import eventually

PRODUCER = {
    "name": "HTX Chè Tân Cương",
    "kind": "htx",
    "women_led": False,
    "address": {"province_code": "19", "ward_code": "05443"},
}


@pytest.fixture
def base_url(start_service):
    return start_service(RegistrationService)[1]


def samples(http, base_url) -> dict[tuple[str, frozenset], float]:
    response = http.get(f"{base_url}/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def registered(message: dict) -> bool:
    return bool(message["routing_key"] == "producer.registered")


def value(found: dict, name: str, **labels: str) -> float | None:
    return found.get((name, frozenset({"service": "registration", **labels}.items())))


def test_liveness_and_readiness_answer_separately(http, base_url):
    assert http.get(f"{base_url}/health/live").json() == {"status": "ok"}
    ready = http.get(f"{base_url}/health/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {
        "database": "ok",
        "broker": "ok",
        "outbox_relay": "ok",
        "event_consumer": "ok",  # registration consumes certificates and returned dossiers
    }


def test_metrics_count_requests_by_route_and_events_by_type(http, base_url, tap):
    # counters live as long as the process, which runs earlier tests' services too
    post = {"method": "POST", "route": "/api/v1/producers", "status": "201"}
    get = {"method": "GET", "route": "/api/v1/producers/<producer_id>", "status": "200"}
    requests, published = "ocop_http_request_duration_seconds_count", "ocop_events_published_total"
    before = samples(http, base_url)
    created = http.post(f"{base_url}/api/v1/producers", json=PRODUCER)
    assert created.status_code == 201
    http.get(f"{base_url}/api/v1/producers/{created.json()['id']}")
    tap.wait_for(registered)

    def grown(name: str, **labels: str) -> float:
        return (value(samples(http, base_url), name, **labels) or 0) - (
            value(before, name, **labels) or 0
        )

    assert eventually(lambda: grown(published, event_type="producer.registered"), 10) == 1
    assert grown(requests, **post) == 1
    # the route is the URL rule, so ids do not make a label each
    assert grown(requests, **get) == 1
    found = samples(http, base_url)
    assert value(found, "ocop_outbox_backlog") == 0
    assert value(found, "ocop_outbox_oldest_age_seconds") == 0
    assert value(found, "ocop_parked_messages") == 0


def test_the_correlation_id_is_kept_and_returned(http, base_url, tap):
    response = http.post(
        f"{base_url}/api/v1/producers", json=PRODUCER, headers={"X-Correlation-Id": "flow-42"}
    )
    assert response.headers["X-Correlation-Id"] == "flow-42"
    (event,) = tap.wait_for(registered)
    assert event["body"]["correlationid"] == "flow-42"
    made_up = http.get(f"{base_url}/api/v1/producers/none").headers["X-Correlation-Id"]
    assert len(made_up) == 36


@pytest.fixture
def database(store_uri, database_name):
    client: MongoClient = MongoClient(store_uri)
    yield client[database_name]
    client.close()


def pending_producers(database, count: int) -> set[str]:
    """Producers stored with their `producer.registered` event still in the outbox."""
    from shared.clock import SystemClock
    from shared.documents import insert
    from shared.events.examples import EXAMPLES
    from shared.outbox import OutboxWriter

    event = next(e for e in EXAMPLES if isinstance(e, ProducerRegistered))
    writer, ids = OutboxWriter(SystemClock(), "lease-test"), set()
    for _ in range(count):
        entries = writer.entries([event])
        insert(database["producers"], {"_id": entries[0]["id"]}, entries)
        ids.add(entries[0]["id"])
    return ids


def relay(database, amqp_uri: str, owner: str, ttl: float = 15) -> OutboxRelay:
    lease = RelayLease(database[LEASES], owner=owner, ttl=ttl)
    return OutboxRelay(
        database,
        ["producers"],
        BatchPublisher(amqp_uri),
        service="registration",
        lease=lease,
        idle_wait=0.1,
    )


def test_of_two_instances_only_the_lease_holder_publishes(database, bus, tap):
    amqp_uri = bus.amqp_uri("registration")
    ids = pending_producers(database, 300)
    first, second = relay(database, amqp_uri, "a"), relay(database, amqp_uri, "b")
    threads = [threading.Thread(target=r.run) for r in (first, second)]
    for thread in threads:
        thread.start()
    try:
        seen = tap.wait_for(registered, count=300)
        assert sorted(m["body"]["id"] for m in seen) == sorted(ids)  # each once, none twice
        assert first.lease.held != second.lease.held
        holder, standby = (first, second) if first.lease.held else (second, first)
        # the holder stops and hands over: the standby publishes what comes next
        holder.stop()
        later = pending_producers(database, 5)
        more = tap.wait_for(registered, count=305)
        assert {m["body"]["id"] for m in more[300:]} == later
        assert standby.lease.held
        threads[(first, second).index(holder)].join(5)
        assert [t.is_alive() for t in threads].count(True) == 1  # the standby still runs
        assert len([m for m in tap.drain() if registered(m)]) == 305  # nothing came twice
    finally:
        for r in (first, second):
            r.stop()
        for thread in threads:
            thread.join(10)


def test_a_lease_not_renewed_passes_to_another_instance(database):
    moments = iter([100.0, 101.0, 120.0])
    dead = RelayLease(database[LEASES], owner="dead", ttl=15, now=lambda: 100.0)
    other = RelayLease(database[LEASES], owner="other", ttl=15, now=lambda: next(moments))
    assert dead.hold()
    assert not other.hold()  # at 100: held by "dead" until 115
    assert not other.hold()  # at 101
    assert other.hold()  # at 120: expired, taken over
    assert dead.holder() == "other"


QUEUE = "evt-certification-certificate.issued--fixable.list_product"


def consumers_on(amqp_uri: str, queue: str) -> int | None:
    import pika

    from tests.support.amqp import pika_parameters

    with pika.BlockingConnection(pika_parameters(amqp_uri)) as connection:
        try:
            declared = connection.channel().queue_declare(queue, passive=True)
        except pika.exceptions.ChannelClosedByBroker:
            return None
        return int(declared.method.consumer_count)


def delete_queue(amqp_uri: str, queue: str) -> None:
    import pika

    from tests.support.amqp import pika_parameters

    with pika.BlockingConnection(pika_parameters(amqp_uri)) as connection:
        connection.channel().queue_delete(queue)


def test_a_handler_queue_deleted_under_a_running_service_is_made_again(http, start_service):
    from tests.integration.test_parking import Fixable

    container, url = start_service(Fixable)
    amqp_uri = container.config["AMQP_URI"]
    assert consumers_on(amqp_uri, QUEUE) == 1
    delete_queue(amqp_uri, QUEUE)
    assert eventually(lambda: consumers_on(amqp_uri, QUEUE) == 1, timeout=15)
    assert http.get(f"{url}/health/ready").status_code == 200


def test_an_instance_whose_handlers_cannot_consume_is_not_ready(http, start_service, bus):
    """The broker is reachable, yet no event is handled (here: the service's user lost the
    rights to its queues, and an operator deleted one); readiness must say so, not just
    "broker ok"."""
    from urllib.parse import quote

    from tests.integration.test_parking import Fixable

    _, url = start_service(Fixable)
    ready = http.get(f"{url}/health/ready")
    assert ready.status_code == 200 and ready.json()["checks"]["event_consumer"] == "ok"
    rights = {"configure": "^$", "write": "^$", "read": ".*"}
    where = f"permissions/{quote(bus.vhost, safe='')}/{quote(bus.user('fixable'), safe='')}"
    bus.admin.call("PUT", where, rights)
    delete_queue(bus.administrator(), QUEUE)

    def unready() -> dict | None:
        answer = http.get(f"{url}/health/ready")
        return answer.json() if answer.status_code == 503 else None

    assert eventually(unready, timeout=15)["checks"]["event_consumer"] == "not consuming"


def test_the_lease_is_written_again_only_after_a_third_of_its_term(database):
    moments = iter([100.0, 102.0, 106.0])
    lease = RelayLease(database[LEASES], owner="busy", ttl=15, now=lambda: next(moments))
    assert lease.hold()  # at 100: taken, valid until 115
    assert lease.hold()  # at 102: still fresh, not written
    assert database[LEASES].find_one({"_id": "relay"})["until"] == 115.0
    assert lease.hold()  # at 106: renewed
    assert database[LEASES].find_one({"_id": "relay"})["until"] == 121.0
