"""Names and declarations of the exchanges and queues a service owns.

Every exchange a service writes to is its own, so its broker user can be allowed to write
to nothing else (no `amq.default`, no other service's exchange):
- `<service>.events`: topic exchange of the service's events (nameko's own naming and
  arguments, so nameko handlers and outside subscribers bind to the same exchange);
  registration also has `registration.private` for personal data (a producer's legal
  name, tax code, home address), readable only by users allowed it.
- `<service>.replay`: direct exchange for replaying the service's history to one queue;
  a subscriber that wants replays binds its queue with the queue's own name as the key.
- `<service>.retry.<N>s`: one delay queue per retry step (fanout exchange and queue of
  that name); a message waits N seconds (queue TTL) and is dead-lettered to
- `<service>.redeliver`: direct exchange to which each of the service's handler queues is
  bound by its own name; retried and replayed-from-parking messages come back through it.
  What it cannot route goes to the parking exchange (its alternate exchange), never lost.
- `<service>.parking` -> `<service>.parked`: messages that failed for good or can never
  succeed, with why.
- Handler queues (`evt-<source>-<type>--<service>.<method>`, nameko's names) are created
  as quorum queues (replicated, with a delivery limit when the broker's policy sets one);
  one that already exists is used as it is (only its bindings are made sure of), so a broker
  set up from `deploy/rabbitmq/definitions.json`, or one that still holds the classic queues
  of an earlier release, is not refused for declaring another type.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from amqp.exceptions import NotFound
from kombu import Connection, Exchange, Queue, binding

DEFAULT_RETRY_DELAYS = (1, 5, 30, 120)  # seconds; after the last one a message is parked
ATTEMPTS_HEADER = "x-ocop-attempts"  # how many times handling failed so far


def topic_exchange(name: str, *, passive: bool = False) -> Exchange:
    return Exchange(name, type="topic", durable=True, delivery_mode=2, passive=passive)


def events_exchange(service: str) -> Exchange:
    return topic_exchange(f"{service}.events")


def replay_exchange(service: str, *, passive: bool = False) -> Exchange:
    return Exchange(f"{service}.replay", type="direct", durable=True, passive=passive)


def publishing_exchange(name: str) -> Exchange:
    """The declaration of an exchange events are published on, by its name."""
    if name.endswith(".replay"):
        return replay_exchange(name.removesuffix(".replay"))
    return topic_exchange(name)


def retry_exchange(service: str, delay: int) -> Exchange:
    return Exchange(f"{service}.retry.{delay}s", type="fanout", durable=True)


def parking_exchange(service: str) -> Exchange:
    return Exchange(f"{service}.parking", type="fanout", durable=True)


def redeliver_exchange(service: str) -> Exchange:
    return Exchange(
        f"{service}.redeliver",
        type="direct",
        durable=True,
        arguments={"alternate-exchange": parking_exchange(service).name},
    )


def retry_queue(service: str, delay: int) -> Queue:
    return Queue(
        f"{service}.retry.{delay}s",
        exchange=retry_exchange(service, delay),
        durable=True,
        queue_arguments={
            "x-message-ttl": delay * 1000,
            "x-dead-letter-exchange": redeliver_exchange(service).name,
        },
    )


def parked_queue_name(service: str) -> str:
    return f"{service}.parked"


def parked_queue(service: str) -> Queue:
    return Queue(parked_queue_name(service), exchange=parking_exchange(service), durable=True)


def retry_topology(service: str, delays: tuple[int, ...]) -> list:
    """Everything to declare before a service retries, parks or replays a message, in an
    order the broker accepts (an exchange before what names it)."""
    declarations: list = [parking_exchange(service), parked_queue(service)]
    declarations += [redeliver_exchange(service), replay_exchange(service)]
    for delay in delays:
        declarations += [retry_exchange(service, delay), retry_queue(service, delay)]
    return declarations


def handler_queue(name: str, exchange: str, event_type: str, source: str, service: str) -> Queue:
    """A handler queue: bound to the exchange its events go out on (the event type as key),
    and by its own name to its own service's redeliveries and, for public events, to its
    source's replays. The source's exchanges are only looked up: the service may read them,
    never (re)declare them."""
    bindings = [
        binding(topic_exchange(exchange, passive=True), routing_key=event_type),
        binding(redeliver_exchange(service), routing_key=name),
    ]
    if exchange == f"{source}.events":
        bindings.append(binding(replay_exchange(source, passive=True), routing_key=name))
    return Queue(name, bindings=bindings, durable=True)


def existing_or_quorum(amqp_uri: str, queues: Iterable[Any]) -> None:
    """Mark each queue (a kombu Queue) to be used as it is if the broker has it (not
    declared again, so its type and arguments are kept; its bindings are made sure of), else
    to be created as a quorum queue. One connection; a channel per look, as a refused look
    closes its channel."""
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
                _bind(channel, queue)
                queue.no_declare = True
                channel.close()


def _bind(channel: Any, queue: Queue) -> None:
    """The queue's bindings, each made if missing (a queue of an earlier release may lack
    the redelivery binding, and a retry would then go to parking)."""
    for each in queue.bindings:
        channel.queue_bind(queue.name, each.exchange.name, each.routing_key or "")
