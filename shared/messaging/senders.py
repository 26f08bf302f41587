"""Who sent a message, as the broker vouches for it.

Every service connects as a broker user of its own (`<prefix><service>`, the prefix empty
in production) and every message it publishes carries the AMQP `user_id` property, which
RabbitMQ checks against the connection's user (a message claiming another user is refused
by the broker). A consumer accepts an event only if it came through a route its source
owns and its sender is the source's user, so an event cannot be forged by another service,
an outside subscriber or an administrator who can write to the exchange.

A message a service retries or parks is published again by that service itself, with its
own `user_id`; the sender it had verified travels in the `x-ocop-sender` header. Only the
service can write to its own retry, redelivery and parking exchanges, so that header is
trusted only on a message whose `user_id` is the service's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kombu import Connection

from shared.events import InvalidEvent

SENDER_HEADER = "x-ocop-sender"  # the verified first sender of a message this service relays
CLAIMED_HEADER = "x-ocop-claimed-sender"  # for a parked message that failed the check


class WrongBrokerUser(Exception):
    """The service is configured to connect as a user other than its own."""


@dataclass(frozen=True)
class BrokerUsers:
    """The broker user of each service: `prefix + service name`."""

    prefix: str = ""

    @classmethod
    def from_config(cls, config: dict) -> BrokerUsers:
        return cls(str(config.get("BROKER_USER_PREFIX") or ""))

    def of(self, service: str) -> str:
        return f"{self.prefix}{service}"


def connection_user(amqp_uri: str) -> str:
    """The user a connection to `amqp_uri` logs in as (kombu's parsing, its defaults)."""
    return str(Connection(amqp_uri).userid)


def own_user(config: dict, service: str) -> str:
    """This service's broker user, after checking that AMQP_URI logs in as it: a service
    publishing as another user (the broker's `guest`, say) would have all its events parked
    by their consumers, so it refuses to start instead."""
    expected = BrokerUsers.from_config(config).of(service)
    configured = connection_user(config["AMQP_URI"])
    if configured != expected:
        raise WrongBrokerUser(
            f"AMQP_URI logs in as {configured!r}, but {service} must connect as its own "
            f"broker user {expected!r} (BROKER_USER_PREFIX + service name)"
        )
    return expected


def verified_sender(user_id: str | None, headers: dict | None, own: str) -> str | None:
    """The user that first published a message: its `user_id` (checked by the broker), or,
    on a message this service published again itself, the sender it had verified."""
    relayed = (headers or {}).get(SENDER_HEADER)
    if user_id == own and isinstance(relayed, str) and relayed:
        return relayed
    return user_id or None


def sender_of(message: Any, own: str) -> str | None:
    """`verified_sender` of a kombu or py-amqp message."""
    return verified_sender(message_user_id(message), message.headers, own)


def message_user_id(message: Any) -> str | None:
    """The `user_id` property of a kombu or py-amqp message."""
    properties = getattr(message, "properties", None) or {}
    value = properties.get("user_id")
    return str(value) if value else None


def routes_for(events_exchange: str, source: str, service: str) -> frozenset[str]:
    """Where an event of `source` may reach `service` from: the exchange it is published on,
    the source's replay exchange (public events only), the service's own redeliveries."""
    routes = {events_exchange, f"{service}.redeliver"}
    if events_exchange == f"{source}.events":
        routes.add(f"{source}.replay")
    return frozenset(routes)


def check_sender(
    *, exchange: str, sender: str | None, routes: frozenset[str], expected: str
) -> None:
    """InvalidEvent unless the message came through one of `routes`, sent by `expected`."""
    if exchange not in routes:
        raise InvalidEvent(
            f"came through exchange {exchange!r}, not one of {', '.join(sorted(routes))}"
        )
    if sender != expected:
        said = f"user {sender!r}" if sender else "no user_id"
        raise InvalidEvent(f"sent by {said}, not by {expected!r}, the user that owns it")
