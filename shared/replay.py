"""Replay a service's published events to one subscriber's queue, in order.

A new subscriber (another government system joining later) binds its queue to the
service's `<service>.replay` exchange, with its queue's own name as the binding key, and
asks for the history since a time; the events go to that queue only, published by the
service itself (its `user_id`, so the subscriber checks the sender as for live events),
with publisher confirms, as they were first published (same CloudEvents ids, so a
subscriber that already had some skips them). Only events of the public `<service>.events`
exchange are replayed: personal data is never sent to a queue that did not bind to it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from amqp.exceptions import NotFound as QueueNotFound
from kombu import Connection
from pymongo.database import Database

from shared.errors import InvalidInput
from shared.messaging.batches import BatchPublisher, NotRouted
from shared.outbox import HISTORY

BATCH = 500


def history(database: Database, since: str, types: Sequence[str] = ()) -> Any:
    query: dict[str, Any] = {"time": {"$gte": since}}
    if types:
        query["routing_key"] = {"$in": list(types)}
    return database[HISTORY].find(query).sort([("time", 1), ("position", 1), ("_id", 1)])


def replay(
    database: Database,
    amqp_uri: str,
    queue: str,
    since: str,
    types: Sequence[str] = (),
    *,
    service: str,
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
    publisher = BatchPublisher(amqp_uri)
    count = 0
    try:
        for batch in _batches(database, since, types, public=f"{service}.events"):
            publisher.publish(
                [(f"{service}.replay", queue, record["event"]) for record in batch],
                mandatory=True,
            )
            count += len(batch)
    except NotRouted:
        raise InvalidInput.field(
            "to_queue",
            f"queue {queue!r} is not bound to {service}.replay with its own name as the key",
        ) from None
    finally:
        publisher.close()
    return count


def _batches(
    database: Database, since: str, types: Sequence[str], *, public: str
) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for record in history(database, since, types):
        # older records, from before the private exchange, were all public
        if record.get("exchange", public) != public:
            continue
        batch.append(record)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
