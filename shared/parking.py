"""Parked messages: see why they failed, then replay or drop them once the cause is fixed.

They stay in the broker (`<service>.parked`, durable) so that parking needs nothing but the
broker that delivered them. To look, every message is taken unacknowledged and given back
when the channel closes, in its place; to replay, a message is republished with publisher
confirms to the handler queue it failed in (through the service's own redelivery exchange,
as the service's broker user, with the sender the broker had vouched for: see
`messaging/senders.py`), with its attempts reset, and only then acked.
A crash in between leaves it both parked and delivered: harmless, because every handler is
idempotent on the event id, so replaying twice has one effect.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from kombu import Connection

from shared.messaging.failures import relayed_headers
from shared.messaging.publisher import ConfirmedPublisher
from shared.messaging.senders import connection_user, sender_of
from shared.messaging.topology import ATTEMPTS_HEADER, parked_queue_name, redeliver_exchange

PARKING_HEADERS = ("x-parked-reason", "x-parked-queue", "x-parked-at", "x-parked-traceback")
REPLAYS_HEADER = "x-ocop-replays"


@dataclass(frozen=True)
class Parked:
    """One parked message, as an operator needs to judge it."""

    id: str  # the CloudEvents id; for a body that is not one, its AMQP id or a digest
    type: str | None
    reason: str
    attempts: int
    queue: str  # the handler queue it failed in (where a replay sends it)
    sender: str | None  # the broker user that first published it, as the broker vouched
    parked_at: str
    original_exchange: str
    original_routing_key: str
    body_preview: str

    @classmethod
    def of(cls, message: Any, own_user: str) -> Parked:
        headers = message.headers
        event = _json(message.body)
        message_id = message.properties.get("message_id")
        return cls(
            id=str(event.get("id") or message_id or _digest(message.body)),
            type=event.get("type"),
            reason=str(headers.get("x-parked-reason") or _dead_letter_reason(headers)),
            attempts=int(headers.get(ATTEMPTS_HEADER, 0) or 0),
            queue=failed_in(headers),
            sender=sender_of(message, own_user),
            parked_at=str(headers.get("x-parked-at", "")),
            original_exchange=str(headers.get("x-original-exchange", "")),
            original_routing_key=str(headers.get("x-original-routing-key", "")),
            body_preview=_text(message.body)[:500],
        )


def failed_in(headers: dict) -> str:
    """The handler queue a parked message failed in: named by the service that parked it,
    or by the broker, for one it dead-lettered past the queue's delivery limit (a handler
    that kept crashing its process, so the service never got to park it)."""
    return str(headers.get("x-parked-queue") or headers.get("x-first-death-queue") or "")


def _dead_letter_reason(headers: dict) -> str:
    reason = headers.get("x-first-death-reason")
    return f"dead-lettered by the broker: {reason}" if reason else ""


def parked_count(amqp_uri: str, service: str) -> int:
    """How many messages wait in the service's parked queue (none is touched)."""
    with Connection(amqp_uri, connect_timeout=2) as connection:
        queue = parked_queue_name(service)
        _, waiting, _ = connection.default_channel.queue_declare(
            queue=queue, durable=True, auto_delete=False
        )
    return int(waiting)


def list_parked(amqp_uri: str, service: str, limit: int = 100) -> tuple[int, list[Parked]]:
    """How many messages are parked, and the first `limit` of them (none is taken away)."""
    total, shown = 0, []
    own = connection_user(amqp_uri)
    with _parked_messages(amqp_uri, service) as messages:
        for message in messages:
            total += 1
            if total <= limit:
                shown.append(Parked.of(message, own))
    return total, shown


def replay_parked(amqp_uri: str, service: str, ids: set[str] | None) -> list[str]:
    """Send the chosen parked messages (all with `ids` None) back to their handler queues;
    the ids replayed, in order. The others stay parked where they were."""
    publisher = ConfirmedPublisher(amqp_uri)
    try:
        return _take(
            amqp_uri, service, ids, lambda message: _republish(publisher, service, message)
        )
    finally:
        publisher.close()


def drop_parked(amqp_uri: str, service: str, ids: set[str] | None) -> list[str]:
    """Remove the chosen parked messages for good (after they have been dealt with)."""
    return _take(amqp_uri, service, ids, lambda message: None)


def _take(
    amqp_uri: str, service: str, ids: set[str] | None, handle: Callable[[Any], None]
) -> list[str]:
    taken = []
    own = connection_user(amqp_uri)
    with _parked_messages(amqp_uri, service) as messages:
        for message in messages:
            parked = Parked.of(message, own)
            if ids is None or parked.id in ids:
                handle(message)
                message.ack()
                taken.append(parked.id)
    return taken


def _republish(publisher: ConfirmedPublisher, service: str, message: Any) -> None:
    replays = int(message.headers.get(REPLAYS_HEADER, 0) or 0) + 1
    headers = relayed_headers(message, publisher.user, **{REPLAYS_HEADER: replays})
    for name in (*PARKING_HEADERS, ATTEMPTS_HEADER):  # a fresh start: retries apply again
        headers.pop(name, None)
    publisher.publish_raw(
        message.body,
        exchange=redeliver_exchange(service),
        routing_key=failed_in(message.headers),
        content_type=message.content_type,
        content_encoding=message.content_encoding,
        headers=headers,
        declare=[],
    )


@contextmanager
def _parked_messages(amqp_uri: str, service: str) -> Iterator[Iterator[Any]]:
    """Every message now parked, unacknowledged; those not acked go back on close."""
    with Connection(amqp_uri, connect_timeout=5) as connection:
        channel = connection.channel()
        queue = parked_queue_name(service)
        _, waiting, _ = channel.queue_declare(queue=queue, durable=True, auto_delete=False)

        def messages() -> Iterator[Any]:
            for _ in range(waiting):  # only those there now: never one given back meanwhile
                message = channel.basic_get(queue=queue, no_ack=False)
                if message is None:
                    return
                yield _Message(channel, message)

        try:
            yield messages()
        finally:
            channel.close()  # unacked messages return to the queue, in their places


class _Message:
    """py-amqp's message with the accessors used here."""

    def __init__(self, channel: Any, message: Any) -> None:
        self.channel = channel
        self.raw = message
        self.body: Any = message.body
        self.properties: dict = message.properties
        self.delivery_info: dict = {}  # where it was parked from is in its headers
        self.headers: dict = dict(message.properties.get("application_headers") or {})
        self.content_type = message.properties.get("content_type")
        self.content_encoding = message.properties.get("content_encoding")

    def ack(self) -> None:
        self.channel.basic_ack(self.raw.delivery_tag)


def _json(body: Any) -> dict:
    try:
        value = json.loads(body)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _text(body: Any) -> str:
    return body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)


def _digest(body: Any) -> str:
    raw = body if isinstance(body, bytes) else str(body).encode()
    return "sha256:" + hashlib.sha256(raw).hexdigest()[:32]
