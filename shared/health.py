"""Readiness: can this instance reach its database and broker, is its relay running, and
are its event handlers consuming (a service without handlers has no such check)."""

from __future__ import annotations

from typing import Any

from kombu import Connection
from pymongo import MongoClient

from shared.outbox import OutboxRelay


class Probe:
    """Checks a service's dependencies; each check answers "ok" or what is wrong."""

    def __init__(
        self, client: MongoClient, relay: OutboxRelay, amqp_uri: str, consumer: Any = None
    ) -> None:
        self.client = client
        self.relay = relay
        self.amqp_uri = amqp_uri
        self.consumer = consumer  # the service's queue consumer, if it handles events

    def checks(self) -> dict[str, str]:
        checks = {
            "database": self._database(),
            "broker": self._broker(),
            "outbox_relay": self._relay(),
        }
        if self.consumer is not None:
            checks["event_consumer"] = "ok" if self.consumer.consuming else "not consuming"
        return checks

    def _relay(self) -> str:
        if not self.relay.running:
            return "not running"
        return f"failing: {self.relay.last_error}" if self.relay.last_error else "ok"

    def _database(self) -> str:
        try:
            self.client.admin.command("ping")
        except Exception as exc:
            return f"unreachable: {type(exc).__name__}"
        return "ok"

    def _broker(self) -> str:
        try:
            with Connection(self.amqp_uri, connect_timeout=2) as connection:
                connection.ensure_connection(max_retries=1)
        except Exception as exc:
            return f"unreachable: {type(exc).__name__}"
        return "ok"
