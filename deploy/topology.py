"""What each service declares on the broker, read from the code itself.

The handler queues come from nameko: each service class is bound in a container and its
`@on_event` entrypoints are set up (no connection is made), so a queue name here is the
one nameko will declare. The retry and parked queues come from
`shared.messaging.topology`. Everything generated from this module (broker definitions,
KEDA triggers) therefore cannot drift from what the services really declare.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache

from kombu import Exchange, Queue
from nameko.containers import ServiceContainer

from shared.devstack.processes import SERVICES, service_path
from shared.events.registry import ALL_EVENTS
from shared.messaging.handlers import EventSubscription
from shared.messaging.topology import DEFAULT_RETRY_DELAYS, retry_topology, topic_exchange

__all__ = [
    "SERVICES",
    "HandlerQueue",
    "handler_queues",
    "handler_queues_of",
    "owned_declarations",
    "service_class",
]


@dataclass(frozen=True)
class HandlerQueue:
    service: str  # the consuming service
    name: str
    source_exchange: str  # the exchange its events are published on
    routing_key: str  # the event type
    bindings: tuple[tuple[str, str], ...]  # (exchange, routing key), the source's first
    declared: Queue  # as the service declares it (durable, bindings...)

    def read_exchanges(self) -> set[str]:
        return {exchange for exchange, _ in self.bindings}


def service_class(service: str) -> type:
    module_name, class_name = service_path(service).split(":")
    return getattr(importlib.import_module(module_name), class_name)


@cache
def handler_queues(service: str) -> tuple[HandlerQueue, ...]:
    return handler_queues_of(service_class(service))


def handler_queues_of(cls: type) -> tuple[HandlerQueue, ...]:
    """The handler queues of a service class (also a test's own class)."""
    # memory:// so that binding the container can never reach a broker
    container = ServiceContainer(cls, {"AMQP_URI": "memory://"})
    queues = []
    for entrypoint in container.entrypoints:
        if isinstance(entrypoint, EventSubscription):
            entrypoint.setup()  # computes `.queue`; only registers with the queue consumer
            model, queue = entrypoint.event_model, entrypoint.queue
            first = (model.exchange(), model.event_type)
            others = {(b.exchange.name, b.routing_key) for b in queue.bindings} - {first}
            queues.append(
                HandlerQueue(
                    container.service_name,
                    queue.name,
                    model.exchange(),
                    model.event_type,
                    (first, *sorted(others)),
                    queue,
                )
            )
    return tuple(sorted(queues, key=lambda queue: queue.name))


def event_exchanges(service: str) -> list[Exchange]:
    """The exchanges a service's events go out on: `<service>.events`, and others (such as
    `registration.private`) named by its event models."""
    names = {f"{service}.events"} | {
        model.exchange() for model in ALL_EVENTS if model.source_service == service
    }
    return [topic_exchange(name) for name in sorted(names)]


def owned_declarations(service: str) -> tuple[list[Exchange], list[Queue]]:
    """The exchanges and non-handler queues a service declares for itself."""
    entities = retry_topology(service, DEFAULT_RETRY_DELAYS)
    exchanges = event_exchanges(service) + [e for e in entities if isinstance(e, Exchange)]
    queues = [e for e in entities if isinstance(e, Queue)]
    return exchanges, queues
