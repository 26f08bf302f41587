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
from shared.messaging.handlers import EventSubscription
from shared.messaging.topology import DEFAULT_RETRY_DELAYS, events_exchange, retry_topology

__all__ = ["SERVICES", "HandlerQueue", "handler_queues", "owned_declarations", "service_class"]


@dataclass(frozen=True)
class HandlerQueue:
    service: str  # the consuming service
    name: str
    source_exchange: str
    routing_key: str
    declared: Queue  # as nameko declares it (durable, arguments...)


def service_class(service: str) -> type:
    module_name, class_name = service_path(service).split(":")
    return getattr(importlib.import_module(module_name), class_name)


@cache
def handler_queues(service: str) -> tuple[HandlerQueue, ...]:
    # memory:// so that binding the container can never reach a broker
    container = ServiceContainer(service_class(service), {"AMQP_URI": "memory://"})
    queues = []
    for entrypoint in container.entrypoints:
        if isinstance(entrypoint, EventSubscription):
            entrypoint.setup()  # computes `.queue`; only registers with the queue consumer
            queue = entrypoint.queue
            queues.append(
                HandlerQueue(service, queue.name, queue.exchange.name, queue.routing_key, queue)
            )
    return tuple(sorted(queues, key=lambda queue: queue.name))


def owned_declarations(service: str) -> tuple[list[Exchange], list[Queue]]:
    """The exchanges and non-handler queues a service declares for itself."""
    entities = retry_topology(service, DEFAULT_RETRY_DELAYS)
    exchanges = [events_exchange(service)] + [e for e in entities if isinstance(e, Exchange)]
    queues = [e for e in entities if isinstance(e, Queue)]
    return exchanges, queues
