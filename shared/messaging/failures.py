"""What happens to a message whose handling failed: retry later, or park it with why.

A handler that raises gets its message republished to the next delay queue with the
attempt count in a header; after the last delay, or at once for a message that can never
succeed (not decodable, not a valid event, not sent by its source), the message goes to
`<service>.parked` with the reason, the attempt count and where it came from. Only then is
the original acked, so a crash in between redelivers it rather than losing it. Both go
through the service's own exchanges, with its own `user_id` and the sender the broker had
vouched for in `x-ocop-sender` (see `senders.py`).
"""

from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from kombu import Connection
from nameko.extensions import SharedExtension

from shared.events import rfc3339
from shared.messaging.publisher import ConfirmedPublisher
from shared.messaging.senders import SENDER_HEADER, sender_of
from shared.messaging.topology import (
    ATTEMPTS_HEADER,
    DEFAULT_RETRY_DELAYS,
    parking_exchange,
    retry_exchange,
    retry_topology,
)
from shared.metrics import count_parked, count_retry

log = logging.getLogger(__name__)

ORIGIN_HEADER = "x-original-exchange"  # a retried message comes back through another one
ExcInfo = tuple[type[BaseException], BaseException, TracebackType]


def attempts_so_far(message: Any) -> int:
    try:
        return int((message.headers or {}).get(ATTEMPTS_HEADER, 0))
    except (TypeError, ValueError):
        return 0


def origin(message: Any) -> dict[str, str]:
    """Where the message was first published (kept in headers from its first failure on)."""
    delivery = message.delivery_info or {}
    return {
        ORIGIN_HEADER: delivery.get("exchange", ""),
        "x-original-routing-key": delivery.get("routing_key", ""),
    }


def relayed_headers(message: Any, own_user: str, **extra: Any) -> dict[str, Any]:
    """The headers of a message this service publishes again: where it first came from,
    who sent it as the broker vouched (never a sender header the message brought itself)."""
    headers = {**origin(message), **(message.headers or {}), **extra}
    sender = sender_of(message, own_user)
    headers.pop(SENDER_HEADER, None)
    if sender:
        headers[SENDER_HEADER] = sender
    return headers


class FailureRouter(SharedExtension):
    """Shared by a container's event handlers: publishes retries and parked messages."""

    def setup(self) -> None:
        self.service = self.container.service_name
        delays = self.container.config.get("RETRY_DELAYS") or DEFAULT_RETRY_DELAYS
        self.delays = tuple(int(delay) for delay in delays)
        self.publisher = ConfirmedPublisher(self.container.config["AMQP_URI"])
        self.own_user = self.publisher.user

    def start(self) -> None:
        with Connection(self.container.config["AMQP_URI"], connect_timeout=5) as connection:
            channel = connection.default_channel
            for entity in retry_topology(self.service, self.delays):
                entity(channel).declare()

    def stop(self) -> None:
        self.publisher.close()

    def retry_or_park(self, queue: str, message: Any, exc_info: ExcInfo) -> str:
        """ "retry" or "parked": what became of the message."""
        attempts = attempts_so_far(message) + 1
        error = f"{exc_info[0].__name__}: {exc_info[1]}"
        if attempts > len(self.delays):
            self.park(
                queue, message, reason=error, kind="failed", attempts=attempts, exc_info=exc_info
            )
            return "parked"
        delay = self.delays[attempts - 1]
        log.warning("%s failed (attempt %d), retrying in %ds: %s", queue, attempts, delay, error)
        self.publisher.publish_raw(
            message.body,
            exchange=retry_exchange(self.service, delay),
            routing_key=queue,
            content_type=message.content_type,
            content_encoding=message.content_encoding,
            headers=relayed_headers(message, self.own_user, **{ATTEMPTS_HEADER: attempts}),
            declare=retry_topology(self.service, self.delays),
        )
        count_retry(self.service, queue)
        return "retry"

    def park(
        self,
        queue: str,
        message: Any,
        *,
        reason: str,
        kind: str,
        attempts: int,
        exc_info: ExcInfo | None = None,
    ) -> None:
        """Park with why; `kind` (undecodable, invalid, failed) labels the metric."""
        log.error("parking a message from %s after %d attempt(s): %s", queue, attempts, reason)
        headers = relayed_headers(
            message,
            self.own_user,
            **{
                ATTEMPTS_HEADER: attempts,
                "x-parked-reason": reason[:2000],
                "x-parked-queue": queue,
                "x-parked-at": rfc3339(datetime.now(UTC)),
            },
        )
        if exc_info is not None:
            headers["x-parked-traceback"] = "".join(traceback.format_exception(*exc_info))[-4000:]
        self.publisher.publish_raw(
            message.body,
            exchange=parking_exchange(self.service),
            routing_key=queue,
            content_type=message.content_type,
            content_encoding=message.content_encoding,
            headers=headers,
            declare=retry_topology(self.service, self.delays),
        )
        count_parked(self.service, queue, kind)
