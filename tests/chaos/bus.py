"""Outside the platform, on the broker: a subscriber that sees every event (and survives
the broker's restart), a subscriber that publishes every event a second time (as the
service that sent it: at-least-once delivery at its worst), and the poison a careless
publisher of the platform would send. The watchers log in as `chaos-observer`, an outside
subscriber's user; what they publish, they publish as the event's own service."""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any

import pika

from shared.devstack.processes import SERVICES
from tests.chaos.broker import ADMIN, OBSERVER, PrivateBroker
from tests.support.amqp import pika_parameters

COPY_HEADER = "x-chaos-copy"


class Watcher(threading.Thread):
    """Consumes a durable queue bound to every service's exchange, reconnecting as needed;
    `handle(channel, method, properties, body)` runs for each message, acked after it."""

    def __init__(self, bus: PrivateBroker, name: str) -> None:
        super().__init__(daemon=True)
        self.parameters = pika_parameters(bus.amqp_uri(OBSERVER))
        self.queue = f"{OBSERVER}.{name}"  # the only queues its user may have
        self.stopping = threading.Event()

    def handle(self, channel: Any, method: Any, properties: Any, body: bytes) -> None:
        raise NotImplementedError

    def connect(self) -> Any:
        connection = pika.BlockingConnection(self.parameters)
        channel = connection.channel()
        channel.queue_declare(self.queue, durable=True)
        for service in SERVICES:
            channel.queue_bind(self.queue, f"{service}.events", routing_key="#")
        return connection, channel

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                connection, channel = self.connect()
                for method, properties, body in channel.consume(self.queue, inactivity_timeout=0.5):
                    if self.stopping.is_set():
                        break
                    if method is not None:
                        self.handle(channel, method, properties, body)
                        channel.basic_ack(method.delivery_tag)
                connection.close()
            except pika.exceptions.AMQPError:
                time.sleep(0.5)  # the broker is away; it comes back

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)


class Tap(Watcher):
    """Every event published, as an outside government system would receive it."""

    def __init__(self, bus: PrivateBroker) -> None:
        super().__init__(bus, f"tap-{uuid.uuid4().hex[:6]}")
        self.events: list[dict] = []
        self.lock = threading.Lock()

    def handle(self, channel: Any, method: Any, properties: Any, body: bytes) -> None:
        try:
            event = json.loads(body)
        except ValueError:
            return  # the poison scenario's own garbage
        if isinstance(event, dict) and isinstance(event.get("data"), dict):
            with self.lock:
                self.events.append(event)

    def snapshot(self) -> list[dict]:
        with self.lock:
            return list(self.events)


class Duplicator(Watcher):
    """Publishes each event once more, same body and id: at-least-once delivery at its worst."""

    def __init__(self, bus: PrivateBroker) -> None:
        super().__init__(bus, f"duplicator-{uuid.uuid4().hex[:6]}")
        self.bus = bus
        self.senders: dict[str, Any] = {}  # per service: a channel logged in as it
        self.copies = 0

    def handle(self, channel: Any, method: Any, properties: Any, body: bytes) -> None:
        headers = dict(properties.headers or {})
        if headers.get(COPY_HEADER):
            return
        properties.headers = {**headers, COPY_HEADER: 1}
        service = method.exchange.removesuffix(".events")
        self._sender(service).basic_publish(method.exchange, method.routing_key, body, properties)
        self.copies += 1

    def _sender(self, service: str) -> Any:
        sender = self.senders.get(service)
        if sender is None or not sender.is_open:
            connection = pika.BlockingConnection(pika_parameters(self.bus.amqp_uri(service)))
            sender = self.senders[service] = connection.channel()
        return sender

    def stop(self) -> None:
        super().stop()
        for sender in self.senders.values():
            if sender.connection.is_open:
                sender.connection.close()


def poison(bus: PrivateBroker) -> dict[str, int]:
    """Messages that can never succeed, on routing keys the services consume, published by
    the service whose exchange it is (a bug of the platform's own); returns how many went to
    each consuming service (each must park every one of its copies)."""
    bad_version: dict[str, Any] = {"specversion": "1.0", "id": str(uuid.uuid4())}
    bad_version |= {"source": "/ocop/registration"}
    bad_version |= {"type": "vn.ocop.dossier.submitted.v9", "time": "2026-01-01T00:00:00Z"}
    bad_version |= {"data": {}}
    missing_fields = {
        **bad_version,
        "id": str(uuid.uuid4()),
        "type": "vn.ocop.dossier.submitted.v1",
    }
    wrong_source = {**missing_fields, "id": str(uuid.uuid4()), "source": "/ocop/somebody"}
    messages = [
        ("registration", "dossier.submitted", b"\xff\xfe not json at all"),
        ("registration", "dossier.submitted", json.dumps(bad_version).encode()),
        ("registration", "dossier.submitted", json.dumps(missing_fields).encode()),
        ("registration", "dossier.submitted", json.dumps(wrong_source).encode()),
        ("certification", "certificate.issued", b'{"specversion": "1.0"'),
        ("certification", "certificate.issued", json.dumps([1, 2, 3]).encode()),
    ]
    for service, routing_key, body in messages:
        login = pika_parameters(bus.amqp_uri(service))
        connection = pika.BlockingConnection(login)
        channel = connection.channel()
        channel.confirm_delivery()
        properties = pika.BasicProperties(
            content_type="application/cloudevents+json",
            delivery_mode=2,
            user_id=login.credentials.username,
        )
        channel.basic_publish(f"{service}.events", routing_key, body, properties)
        connection.close()
    # dossier.submitted: scoring consumes it; certificate.issued: trade_promotion does, and
    # registration (which keeps the certificates renewal dossiers name)
    return {"scoring": 4, "trade_promotion": 2, "registration": 2}


def parked_counts(bus: PrivateBroker) -> dict[str, int]:
    connection = pika.BlockingConnection(pika_parameters(bus.amqp_uri(ADMIN)))
    counts = {}
    for service in SERVICES:
        channel = connection.channel()
        declared = channel.queue_declare(f"{service}.parked", passive=True)
        counts[service] = declared.method.message_count
    connection.close()
    return counts
