"""Replay a service's published events to one subscriber's queue, in order.

A new subscriber (another government system joining later) binds its queue and asks for
the history since a time; the events go to that queue only, through the default exchange,
with publisher confirms, as they were first published (same CloudEvents ids, so a
subscriber that already had some skips them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from amqp.exceptions import NotFound as QueueNotFound
from kombu import Connection
from pymongo.database import Database

from shared.errors import InvalidInput
from shared.messaging.publisher import ConfirmedPublisher
from shared.outbox import HISTORY


def history(database: Database, since: str, types: Sequence[str] = ()) -> Any:
    query: dict[str, Any] = {"time": {"$gte": since}}
    if types:
        query["routing_key"] = {"$in": list(types)}
    return database[HISTORY].find(query).sort([("time", 1), ("position", 1), ("_id", 1)])


def replay(
    database: Database, amqp_uri: str, queue: str, since: str, types: Sequence[str] = ()
) -> int:
    """Publish the history since `since` (RFC 3339) to `queue`; how many events went."""
    with Connection(amqp_uri, connect_timeout=5) as connection:
        # the subscriber declares its own queue (its own arguments); a missing one is an error
        try:
            connection.default_channel.queue_declare(queue=queue, passive=True)
        except QueueNotFound:
            raise InvalidInput.field(
                "to_queue", f"no queue {queue!r}: declare and bind it first"
            ) from None
    publisher = ConfirmedPublisher(amqp_uri)
    count = 0
    try:
        for record in history(database, since, types):
            publisher.publish_to_queue(queue, record["routing_key"], record["event"])
            count += 1
    finally:
        publisher.close()
    return count
