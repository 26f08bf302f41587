"""Talking to the broker as an outside system would: plain pika, no project plumbing.

`EventTap` binds an exclusive queue to exchanges and collects what arrives (polling with
basic_get, so it needs no thread and works under eventlet too). `publish` and `parked` take
a sandbox (tests/support/broker.py) and log in as the service named, as that service would,
or an explicit login (a str AMQP URI) for a test that publishes as someone else.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

import pika


def pika_parameters(amqp_uri: str) -> pika.URLParameters:
    """pika's parameters for a kombu-style URI (`pyamqp://user:pw@host:port/vhost`)."""
    parts = urlsplit(amqp_uri)
    vhost = parts.path.lstrip("/") or "/"
    netloc = parts.netloc
    return pika.URLParameters(f"amqp://{netloc}/{quote(vhost, safe='')}")


class Logins(Protocol):
    def amqp_uri(self, name: str) -> str: ...


def login_of(target: Logins | str, name: str) -> str:
    return target if isinstance(target, str) else target.amqp_uri(name)


def events_exchange_of(channel: Any, service: str) -> str:
    """The service's exchange, looked up (an outsider or another service may not declare it)."""
    name = f"{service}.events"
    channel.exchange_declare(name, exchange_type="topic", durable=True, passive=True)
    return name


class EventTap:
    """Collects every message published on the given services' exchanges."""

    def __init__(self, amqp_uri: str, services: Iterable[str], binding_key: str = "#") -> None:
        self.connection = pika.BlockingConnection(pika_parameters(amqp_uri))
        self.channel = self.connection.channel()
        self.queue = self.channel.queue_declare("", exclusive=True).method.queue
        for service in services:
            exchange = events_exchange_of(self.channel, service)
            self.channel.queue_bind(self.queue, exchange, routing_key=binding_key)
        self.messages: list[dict] = []

    def drain(self) -> list[dict]:
        while True:
            method, properties, body = self.channel.basic_get(self.queue, auto_ack=True)
            if method is None:
                return self.messages
            self.messages.append(
                {
                    "exchange": method.exchange,
                    "routing_key": method.routing_key,
                    "content_type": properties.content_type,
                    "body": _json_or_none(body),  # None for the poison a test publishes itself
                    "raw": body,
                }
            )

    def wait_for(
        self, predicate: Callable[[dict], bool], count: int = 1, timeout: float = 20
    ) -> list[dict]:
        deadline = time.monotonic() + timeout
        while True:
            matching = [message for message in self.drain() if predicate(message)]
            if len(matching) >= count or time.monotonic() > deadline:
                return matching
            self.connection.sleep(0.05)

    def of_type(self, routing_key: str) -> list[dict]:
        return [message for message in self.drain() if message["routing_key"] == routing_key]

    def close(self) -> None:
        if self.connection.is_open:
            self.connection.close()


def _json_or_none(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def cloud_event(event_type: str, source_service: str, data: dict, **overrides: Any) -> dict:
    """A CloudEvent as another service would publish it."""
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": f"/ocop/{source_service}",
        "type": f"vn.ocop.{event_type}.v1",
        "time": datetime.now(UTC).isoformat(),
        "subject": "test",
        "datacontenttype": "application/json",
        "data": data,
        **overrides,
    }


def publish(
    target: Logins | str,
    service: str,
    routing_key: str,
    body: dict | bytes,
    content_type: str = "application/cloudevents+json",
    *,
    user_id: str | None = "own",
    exchange: str | None = None,
) -> None:
    """Publish on `<service>.events` (or `exchange`) with publisher confirms, logged in as
    `service` (or as `target`, a login), with the login's `user_id` as every service sets it
    (`user_id=None`: none; another value: what a forger would claim)."""
    amqp_uri = login_of(target, service)
    connection = pika.BlockingConnection(pika_parameters(amqp_uri))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        claimed = pika_parameters(amqp_uri).credentials.username if user_id == "own" else user_id
        channel.basic_publish(
            exchange or f"{service}.events",
            routing_key,
            payload,
            pika.BasicProperties(content_type=content_type, delivery_mode=2, user_id=claimed),
        )
    finally:
        connection.close()


def parked(target: Logins | str, service: str, timeout: float = 20, count: int = 1) -> list[dict]:
    """Messages in `<service>.parked` (taken off the queue, as `service` would), waiting for
    at least `count`."""
    connection = pika.BlockingConnection(pika_parameters(login_of(target, service)))
    found: list[dict] = []
    try:
        channel = connection.channel()
        channel.queue_declare(f"{service}.parked", durable=True)
        deadline = time.monotonic() + timeout
        while len(found) < count and time.monotonic() < deadline:
            method, properties, body = channel.basic_get(f"{service}.parked", auto_ack=True)
            if method is None:
                connection.sleep(0.1)
                continue
            found.append(
                {"headers": properties.headers or {}, "body": body, "user_id": properties.user_id}
            )
    finally:
        connection.close()
    return found
