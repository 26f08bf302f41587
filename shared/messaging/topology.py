"""Names and declarations of the exchanges and queues a service owns.

- `<service>.events`: topic exchange of the service's events (nameko's own naming and
  arguments, so nameko handlers and outside subscribers bind to the same exchange).
- `<service>.retry.<N>s`: one delay queue per retry step; a message waits N seconds
  (queue TTL) and is dead-lettered through the default exchange back to the handler
  queue named by its routing key.
- `<service>.parked`: messages that failed for good or can never succeed, with why.
- Handler queues (`evt-<source>-<type>--<service>.<method>`, nameko's names) are created
  as quorum queues (replicated, with a delivery limit when the broker's policy sets one);
  one that already exists is used as it is, so a broker set up from
  `deploy/rabbitmq/definitions.json`, or one that still holds the classic queues of an
  earlier release, is not refused for declaring another type.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from amqp.exceptions import NotFound
from kombu import Connection, Exchange, Queue

DEFAULT_RETRY_DELAYS = (1, 5, 30, 120)  # seconds; after the last one a message is parked
ATTEMPTS_HEADER = "x-ocop-attempts"  # how many times handling failed so far


def events_exchange(service: str) -> Exchange:
    return Exchange(f"{service}.events", type="topic", durable=True, delivery_mode=2)


def retry_exchange(service: str, delay: int) -> Exchange:
    return Exchange(f"{service}.retry.{delay}s", type="fanout", durable=True)


def retry_queue(service: str, delay: int) -> Queue:
    return Queue(
        f"{service}.retry.{delay}s",
        exchange=retry_exchange(service, delay),
        durable=True,
        queue_arguments={"x-message-ttl": delay * 1000, "x-dead-letter-exchange": ""},
    )


def parked_queue_name(service: str) -> str:
    return f"{service}.parked"


def parked_queue(service: str) -> Queue:
    return Queue(parked_queue_name(service), durable=True)


def retry_topology(service: str, delays: tuple[int, ...]) -> list:
    """Everything to declare before a service retries or parks a message."""
    declarations: list = [parked_queue(service)]
    for delay in delays:
        declarations += [retry_exchange(service, delay), retry_queue(service, delay)]
    return declarations


def existing_or_quorum(amqp_uri: str, queues: Iterable[Any]) -> None:
    """Mark each queue (a kombu Queue) to be used as it is if the broker has it (not
    declared again, so its type and arguments are kept), else to be created as a quorum
    queue. One connection; a channel per look, as a refused look closes its channel."""
    with Connection(amqp_uri, connect_timeout=5) as connection:
        for queue in queues:
            channel = connection.channel()
            try:
                queue.bind(channel).queue_declare(passive=True)
            except NotFound:
                queue.queue_arguments = {
                    **(queue.queue_arguments or {}),
                    "x-queue-type": "quorum",
                }
                queue.no_declare = False
            else:
                queue.no_declare = True
                channel.close()
