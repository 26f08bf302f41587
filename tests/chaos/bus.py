"""Outside the platform, on the broker: a subscriber that sees every event (and survives
the broker's restart), a subscriber that publishes every event a second time, and the
poison a careless publisher would send."""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any

import pika

from shared.devstack.processes import SERVICES
from tests.support.amqp import pika_parameters

COPY_HEADER = "x-chaos-copy"


class Watcher(threading.Thread):
    """Consumes a durable queue bound to every service's exchange, reconnecting as needed;
    `handle(channel, method, properties, body)` runs for each message, acked after it."""

    def __init__(self, amqp_uri: str, queue: str) -> None:
        super().__init__(daemon=True)
        self.parameters = pika_parameters(amqp_uri)
        self.queue = queue
        self.stopping = threading.Event()

    def handle(self, channel: Any, method: Any, properties: Any, body: bytes) -> None:
        raise NotImplementedError

    def connect(self) -> Any:
        connection = pika.BlockingConnection(self.parameters)
        channel = connection.channel()
        channel.queue_declare(self.queue, durable=True)
        for service in SERVICES:
            exchange = f"{service}.events"
            channel.exchange_declare(exchange, exchange_type="topic", durable=True)
            channel.queue_bind(self.queue, exchange, routing_key="#")
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

    def __init__(self, amqp_uri: str) -> None:
        super().__init__(amqp_uri, f"chaos-tap-{uuid.uuid4().hex[:6]}")
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

    def __init__(self, amqp_uri: str) -> None:
        super().__init__(amqp_uri, f"chaos-duplicator-{uuid.uuid4().hex[:6]}")
        self.copies = 0

    def handle(self, channel: Any, method: Any, properties: Any, body: bytes) -> None:
        headers = dict(properties.headers or {})
        if headers.get(COPY_HEADER):
            return
        properties.headers = {**headers, COPY_HEADER: 1}
        channel.basic_publish(method.exchange, method.routing_key, body, properties)
        self.copies += 1


def poison(amqp_uri: str) -> dict[str, int]:
    """Messages that can never succeed, on routing keys the services consume; returns how
    many went to each consuming service (each must park every one of its copies)."""
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
    connection = pika.BlockingConnection(pika_parameters(amqp_uri))
    channel = connection.channel()
    channel.confirm_delivery()
    for service, routing_key, body in messages:
        properties = pika.BasicProperties(
            content_type="application/cloudevents+json", delivery_mode=2
        )
        channel.basic_publish(f"{service}.events", routing_key, body, properties)
    connection.close()
    # dossier.submitted: scoring consumes it; certificate.issued: trade_promotion does
    return {"scoring": 4, "trade_promotion": 2}


def parked_counts(amqp_uri: str) -> dict[str, int]:
    connection = pika.BlockingConnection(pika_parameters(amqp_uri))
    counts = {}
    for service in SERVICES:
        channel = connection.channel()
        declared = channel.queue_declare(f"{service}.parked", durable=True)
        counts[service] = declared.method.message_count
    connection.close()
    return counts
