"""Confirmed publishing: a publish returns only once the broker has taken the message.

Every message carries the AMQP `user_id` of the connection's user, which the broker
checks, so a consumer can tell who sent it (`senders.py`)."""

from __future__ import annotations

from typing import Any

from kombu import Connection, Exchange
from kombu.pools import ProducerPool

from shared.messaging.codec import register_codec

RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 1}


POOL_SIZE = 10


class ConfirmedPublisher:
    """Publishes with publisher confirms over connections of its own.

    Its own pool, not kombu's global `producers`: that one is shared by every publisher of
    the same broker address, so closing one publisher (a replay ending) closed the others'
    connections too (found when the outbox relay still used it and published nothing
    again)."""

    def __init__(self, amqp_uri: str) -> None:
        register_codec()
        self.connection = Connection(
            amqp_uri, transport_options={"confirm_publish": True}, connect_timeout=5
        )
        self.producers = ProducerPool(self.connection.Pool(limit=POOL_SIZE), limit=POOL_SIZE)
        self.user = str(self.connection.userid)

    def publish_raw(
        self,
        body: bytes,
        *,
        exchange: Exchange | str,
        routing_key: str,
        content_type: str | None,
        content_encoding: str | None,
        headers: dict,
        declare: list,
    ) -> None:
        """Publish an already-encoded body (retries and parking keep the original bytes)."""
        self.publish(
            body,
            exchange=exchange,
            routing_key=routing_key,
            content_type=content_type or "application/octet-stream",
            content_encoding=content_encoding or "binary",
            headers=headers,
            declare=declare,
        )

    def publish(self, body: Any, **options: Any) -> None:
        declare = list(options.pop("declare", []))
        exchange = options.get("exchange")
        if isinstance(exchange, Exchange) and exchange.name:
            declare.append(exchange)
        with self.producers.acquire(block=True, timeout=10) as producer:
            producer.publish(
                body,
                delivery_mode=2,
                retry=True,
                retry_policy=RETRY_POLICY,
                declare=declare,
                user_id=self.user,
                **options,
            )

    def close(self) -> None:
        self.producers.force_close_all()
        self.producers.connections.force_close_all()
