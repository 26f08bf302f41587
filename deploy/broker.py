"""RabbitMQ definitions for the platform (`deploy/rabbitmq/definitions.json`).

One vhost, every exchange and queue the services declare (with the same arguments, or
RabbitMQ refuses the services' own declarations with PRECONDITION_FAILED), one user per
service allowed only its own resources, a `keda` user that can only look at queue
lengths, and an `ocop-admin` for operators (loading definitions at boot skips RabbitMQ's
default `guest`). Users carry no password: see deploy/README.md for setting them.
"""

from __future__ import annotations

import re
from typing import Any

from kombu import Exchange, Queue

from deploy.topology import SERVICES, HandlerQueue, handler_queues, owned_declarations

VHOST = "ocop"
BROKER_VERSION = "3.10.8"
ADMIN_USER = "ocop-admin"
KEDA_USER = "keda"
HASHING = "rabbit_password_hashing_sha256"

# Handler queues are quorum queues: replicated, and they count redeliveries, so a message
# that keeps killing its consumer is parked after DELIVERY_LIMIT tries instead of looping.
HANDLER_QUEUE_ARGUMENTS = {"x-queue-type": "quorum"}
DELIVERY_LIMIT = 20
NOTHING = "^$"


def definitions() -> dict[str, Any]:
    exchanges: list[dict] = []
    queues: list[dict] = []
    bindings: list[dict] = []
    for service in SERVICES:
        owned_exchanges, owned_queues = owned_declarations(service)
        exchanges += [_exchange(exchange) for exchange in owned_exchanges]
        for queue in owned_queues:
            queues.append(_queue(queue.name, queue, _arguments(queue, "queue_arguments")))
            if queue.exchange is not None and queue.exchange.name:
                bindings.append(_binding(queue.exchange.name, queue.name, queue.routing_key))
        for handler in handler_queues(service):
            queues.append(_queue(handler.name, handler.declared, HANDLER_QUEUE_ARGUMENTS))
            for exchange, routing_key in handler.bindings:
                bindings.append(_binding(exchange, handler.name, routing_key))
    return {
        "rabbit_version": BROKER_VERSION,
        "rabbitmq_version": BROKER_VERSION,
        "users": [_user(name, tags) for name, tags in _users()],
        "vhosts": [{"name": VHOST}],
        "permissions": [_permission(user, *rules) for user, rules in _permissions()],
        "topic_permissions": [],
        "parameters": [],
        "global_parameters": [],
        "policies": [policy for service in SERVICES for policy in _policies(service)],
        "queues": sorted(queues, key=lambda queue: queue["name"]),
        "exchanges": sorted(exchanges, key=lambda exchange: exchange["name"]),
        "bindings": sorted(
            bindings, key=lambda b: (b["source"], b["destination"], b["routing_key"])
        ),
    }


def permission_rules(
    service: str, handlers: tuple[HandlerQueue, ...] | None = None
) -> tuple[str, str, str]:
    """(configure, write, read) regular expressions for a service's own user (`handlers`:
    its handler queues, when the service is not one of the platform's, e.g. in a test).

    configure: what it declares: its own exchanges and queues. The exchanges it consumes
      from are only looked up (a passive declaration needs no permission).
    write: publish to its own exchanges only (events, replay, retry, redelivery, parking;
      never `amq.default`, never another service's exchange); and its own queues, as binding
      a queue needs write on the queue.
    read: consume its own queues; bind them to the exchanges they take messages from (read
      on the exchange): its sources' events and replay exchanges, its own retry, redelivery
      and parking exchanges.
    """
    own_exchanges, own_queues = owned_declarations(service)
    handlers = handler_queues(service) if handlers is None else handlers
    queues = [queue.name for queue in own_queues] + [handler.name for handler in handlers]
    exchanges = [exchange.name for exchange in own_exchanges]
    bound_from = {name for handler in handlers for name in handler.read_exchanges()}
    bound_from |= {queue.exchange.name for queue in own_queues if queue.exchange is not None}
    configure = _exactly(exchanges + queues)
    write = _exactly(exchanges + queues)
    read = _exactly(queues + sorted(bound_from) + [e.name for e in own_exchanges])
    return configure, write, read


def _users() -> list[tuple[str, list[str]]]:
    return [(service, []) for service in SERVICES] + [
        (KEDA_USER, []),
        (ADMIN_USER, ["administrator"]),
    ]


def _permissions() -> list[tuple[str, tuple[str, str, str]]]:
    rules = [(service, permission_rules(service)) for service in SERVICES]
    # passive queue.declare (how KEDA reads a queue's length over AMQP) needs no
    # permission, only access to the vhost, which any permission entry gives
    rules.append((KEDA_USER, (NOTHING, NOTHING, NOTHING)))
    rules.append((ADMIN_USER, (".*", ".*", ".*")))
    return rules


def _policies(service: str) -> list[dict]:
    handlers = "^evt-.+--" + _literal(service) + r"\.[^.]+$"
    return [
        {
            "vhost": VHOST,
            "name": f"{service}-handler-queues",
            "pattern": handlers,
            "apply-to": "queues",
            "priority": 10,
            "definition": {
                "delivery-limit": DELIVERY_LIMIT,
                # past the limit a message goes to the parked queue, never dropped;
                # at-least-once dead-lettering needs reject-publish (there is no max-length)
                "dead-letter-exchange": f"{service}.parking",
                "dead-letter-strategy": "at-least-once",
                "overflow": "reject-publish",
            },
        },
        {
            "vhost": VHOST,
            "name": f"{service}-parked",
            "pattern": "^" + _literal(f"{service}.parked") + "$",
            "apply-to": "queues",
            "priority": 10,
            # no max-length or TTL: a parked message waits for an operator, however long;
            # lazy keeps a growing backlog on disk rather than in memory
            "definition": {"queue-mode": "lazy"},
        },
    ]


def _arguments(entity: Exchange | Queue, attribute: str) -> dict:
    return dict(getattr(entity, attribute, None) or {})  # kombu sets these dynamically


def _exactly(names: list[str]) -> str:
    return "^(" + "|".join(_literal(name) for name in sorted(set(names))) + ")$"


def _literal(name: str) -> str:
    # names are made of [a-z0-9_.-]; only the dot means something in a regex
    if not re.fullmatch(r"[a-z0-9_.-]+", name):
        raise ValueError(f"unexpected character in a broker name: {name!r}")
    return name.replace(".", r"\.")


def _user(name: str, tags: list[str]) -> dict:
    # an empty hash matches no password: nobody logs in until a password is set
    return {"name": name, "password_hash": "", "hashing_algorithm": HASHING, "tags": tags}


def _permission(user: str, configure: str, write: str, read: str) -> dict:
    return {"user": user, "vhost": VHOST, "configure": configure, "write": write, "read": read}


def _exchange(exchange: Exchange) -> dict:
    return {
        "name": exchange.name,
        "vhost": VHOST,
        "type": exchange.type,
        "durable": exchange.durable,
        "auto_delete": bool(exchange.auto_delete),
        "internal": False,
        "arguments": _arguments(exchange, "arguments"),
    }


def _queue(name: str, queue: Queue, arguments: dict) -> dict:
    return {
        "name": name,
        "vhost": VHOST,
        "durable": queue.durable,
        "auto_delete": bool(queue.auto_delete),
        "arguments": dict(arguments),
    }


def _binding(source: str, queue: str, routing_key: str | None) -> dict:
    return {
        "source": source,
        "vhost": VHOST,
        "destination": queue,
        "destination_type": "queue",
        "routing_key": routing_key or "",
        "arguments": {},
    }
