"""Parked messages on the real broker: listed with why, replayed after a fix, dropped; a
message replayed twice (or replayed and redelivered) has one effect."""

from __future__ import annotations

import json

import pika
import pytest
from pymongo import MongoClient

from shared.documents import apply_once
from shared.events import CertificateIssued, Received
from shared.messaging.handlers import on_event
from shared.messaging.senders import SENDER_HEADER
from shared.messaging.topology import redeliver_exchange
from shared.storage import Storage, Store
from shared.web.operations import Operations
from tests.integration.test_messaging import issued
from tests.support.amqp import pika_parameters, publish
from tests.support.waiting import eventually

BROKEN = {"now": True}  # the "bug" an operator fixes


class Effects(Store):
    outbox_collections = ()


class Fixable(Operations):
    """Lists a certified product once per event (as the catalogue does), unless broken."""

    name = "fixable"
    store: Effects = Storage(Effects)

    @on_event(CertificateIssued)
    def list_product(self, event: Received[CertificateIssued]) -> None:
        if BROKEN["now"]:
            raise RuntimeError("catalogue table missing")
        apply_once(
            self.store.db.listings,
            event.data.product_id,
            event.id,
            lambda current: ({**current, "times": current.get("times", 0) + 1}, []),
        )


@pytest.fixture
def service(start_service):
    BROKEN["now"] = True
    _, url = start_service(Fixable, RETRY_DELAYS=[1])
    return url


@pytest.fixture
def listings(service_config):
    client = MongoClient(service_config["MONGO_URI"])
    yield client[service_config["MONGO_DB"]].listings
    client.close()


def redeliver(bus, queue: str, event: dict) -> None:
    """What a replay from parking sends: through the service's redelivery exchange, as the
    service, naming the sender the broker had vouched for."""
    connection = pika.BlockingConnection(pika_parameters(bus.amqp_uri("fixable")))
    channel = connection.channel()
    channel.confirm_delivery()
    properties = pika.BasicProperties(
        content_type="application/cloudevents+json",
        user_id=bus.user("fixable"),
        headers={SENDER_HEADER: bus.user("certification")},
    )
    channel.basic_publish("fixable.redeliver", queue, json.dumps(event).encode(), properties)
    connection.close()


def queue_empty(amqp_uri: str, queue: str) -> bool:
    connection = pika.BlockingConnection(pika_parameters(amqp_uri))
    declared = connection.channel().queue_declare(queue, passive=True)
    connection.close()
    return declared.method.message_count == 0


def parked_now(http, service) -> dict:
    return http.get(f"{service}/admin/parked").json()


def test_parked_messages_are_listed_replayed_once_and_dropped(http, service, listings, bus):
    event = issued()
    publish(bus, "certification", "certificate.issued", event)
    publish(bus, "certification", "certificate.issued", b"\xff not json")
    listed = eventually(lambda: (found := parked_now(http, service))["total"] == 2 and found)
    by_reason = {m["reason"].split(":")[0]: m for m in listed["messages"]}
    failed = by_reason["RuntimeError"]
    assert failed["id"] == event["id"] and failed["attempts"] == 2  # first try and one retry
    assert failed["type"] == "vn.ocop.certificate.issued.v1"
    assert failed["queue"] == "evt-certification-certificate.issued--fixable.list_product"
    assert failed["original_routing_key"] == "certificate.issued"
    assert failed["sender"] == bus.user("certification")
    poison = by_reason["body cannot be decoded"]
    assert poison["attempts"] == 1 and poison["id"].startswith("sha256:")
    assert parked_now(http, service)["total"] == 2  # looking takes nothing away

    BROKEN["now"] = False  # the fix is deployed
    replay = http.post(f"{service}/admin/parked/replay", json={"ids": [event["id"]]})
    assert replay.json() == {"count": 1, "ids": [event["id"]]}
    product_id = event["data"]["product_id"]
    assert eventually(lambda: listings.find_one({"_id": product_id}))["times"] == 1
    again = http.post(f"{service}/admin/parked/replay", json={"ids": [event["id"]]})
    assert again.json() == {"count": 0, "ids": []}  # no longer parked
    # a replay whose ack was lost: the message is delivered to the handler a second time
    redeliver(bus, failed["queue"], event)
    eventually(lambda: queue_empty(bus.amqp_uri("fixable"), failed["queue"]))
    assert listings.find_one({"_id": product_id})["times"] == 1

    assert [m["id"] for m in parked_now(http, service)["messages"]] == [poison["id"]]
    bad = http.post(f"{service}/admin/parked/drop", json={"ids": ["x"], "all": True})
    assert bad.status_code == 422
    dropped = http.post(f"{service}/admin/parked/drop", json={"all": True})
    assert dropped.json() == {"count": 1, "ids": [poison["id"]]}
    assert parked_now(http, service) == {"total": 0, "messages": []}


def test_a_parked_replay_leaves_the_outbox_relay_working(start_service, http):
    """Found by the HTTP fuzzer: closing the replay's publisher closed kombu's global pool,
    shared with the outbox relay, which then failed for good (health 503, no events)."""
    from services.trade_promotion.service import TradePromotionService

    _, base_url = start_service(TradePromotionService)
    assert http.post(f"{base_url}/admin/parked/replay", json={"all": True}).status_code == 200
    fair = {"name": "Hội chợ", "starts_on": "2030-01-01", "ends_on": "2030-01-02"}
    assert http.post(f"{base_url}/api/v1/trade-fairs", json=fair).status_code == 201
    eventually(lambda: http.get(f"{base_url}/health").status_code == 200, timeout=5)


def test_a_message_the_broker_dead_lettered_is_replayed_to_the_queue_it_died_in(bus):
    """Past a quorum queue's delivery limit the broker, not the service, parks a message:
    its headers then name the queue only as `x-first-death-queue`, and its `user_id` is
    still its first publisher's. A replay sends it back through the service's redelivery
    exchange, as the service, naming that first publisher as the sender."""
    from shared.parking import list_parked, replay_parked

    amqp_uri = bus.administrator("dead")  # a service `dead`, allowed all this needs
    queue = "evt-certification-certificate.issued--dead.handle"
    with pika.BlockingConnection(pika_parameters(amqp_uri)) as connection:
        channel = connection.channel()
        redeliver = redeliver_exchange("dead")  # as the service declares it
        channel.exchange_declare(
            redeliver.name, "direct", durable=True, arguments=redeliver.arguments
        )
        channel.queue_declare("dead.parked", durable=True)
        dying = {"x-dead-letter-exchange": "", "x-dead-letter-routing-key": "dead.parked"}
        channel.queue_declare(queue, durable=True, arguments=dying)
        channel.queue_bind(queue, "certification.events", routing_key="certificate.issued")
        channel.queue_bind(queue, "dead.redeliver", routing_key=queue)
    event = issued()
    publish(bus, "certification", "certificate.issued", event)
    with pika.BlockingConnection(pika_parameters(amqp_uri)) as connection:
        channel = connection.channel()
        method = eventually(lambda: channel.basic_get(queue)[0])
        channel.basic_nack(method.delivery_tag, requeue=False)  # the broker dead-letters it
    total, (parked,) = eventually(lambda: (found := list_parked(amqp_uri, "dead"))[0] and found)
    assert (total, parked.queue, parked.id) == (1, queue, event["id"])
    assert parked.reason == "dead-lettered by the broker: rejected"
    assert parked.sender == bus.user("certification")
    assert replay_parked(amqp_uri, "dead", None) == [parked.id]
    with pika.BlockingConnection(pika_parameters(amqp_uri)) as connection:
        method, properties, body = connection.channel().basic_get(queue, auto_ack=True)
    assert method is not None and json.loads(body)["id"] == parked.id
    assert method.exchange == "dead.redeliver" and properties.user_id == bus.user("dead")
    assert properties.headers[SENDER_HEADER] == bus.user("certification")
