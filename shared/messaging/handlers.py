"""`@on_event(EventModel)`: the one way a service consumes another's events.

A nameko `event_handler` that is pooled (instances of a service share the work) with
reliable delivery, plus what nameko leaves out: the message must come through a route
its source owns, sent by the source's broker user (`senders.py`); the body is validated as
a CloudEvent of the expected type (upcast from older versions) before the method runs; a
message that fails any of these is parked at once with the reason, as is one the method
rejects by raising `InvalidEvent`; a method that raises anything else is retried with
growing delays and then parked (nameko alone would ack and lose it). The method receives
a `Received[EventModel]`, and must be idempotent on `event.id`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import partial
from typing import Any

from nameko.containers import WorkerContext
from nameko.events import SERVICE_POOL, EventHandler
from nameko.exceptions import ContainerBeingKilled
from nameko.messaging import QueueConsumer

from shared.events import Event, InvalidEvent, parse
from shared.messaging.codec import ACCEPTED, register_codec
from shared.messaging.failures import ExcInfo, FailureRouter, attempts_so_far
from shared.messaging.senders import (
    BrokerUsers,
    check_sender,
    own_user,
    routes_for,
    sender_of,
)
from shared.messaging.topology import existing_or_quorum, handler_queue
from shared.metrics import Stopwatch, observe_handler

log = logging.getLogger(__name__)


class ParkingQueueConsumer(QueueConsumer):
    """nameko's queue consumer, but undecodable bodies are parked instead of crashing it,
    and it says whether it is consuming now (readiness): kombu reconnects on its own
    after a broker outage or a refused declaration, and only logs meanwhile."""

    consuming = False

    def setup(self) -> None:
        register_codec()
        super().setup()

    def on_consume_ready(self, *args: Any, **kwargs: Any) -> None:
        self.consuming = True
        super().on_consume_ready(*args, **kwargs)

    def consume(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        try:
            yield from super().consume(*args, **kwargs)
        finally:
            self.consuming = False

    @property
    def accept(self) -> list[str]:
        return list(ACCEPTED)

    def get_consumers(self, consumer_cls: Any, channel: Any) -> Any:
        # on every (re)connection: a queue deleted meanwhile is made again
        existing_or_quorum(self.amqp_uri, [provider.queue for provider in self._providers])
        consumers = super().get_consumers(consumer_cls, channel)
        for provider, consumer in self._consumers.items():
            consumer.on_decode_error = partial(provider.reject_undecodable, self)
        return consumers


class EventSubscription(EventHandler):
    """Consumes one event type from its source service's exchange; see module docstring."""

    queue_consumer = ParkingQueueConsumer()
    failures = FailureRouter()

    def __init__(self, event_model: type[Event], **kwargs: Any) -> None:
        self.event_model = event_model
        super().__init__(
            event_model.source_service,
            event_model.event_type,
            handler_type=SERVICE_POOL,
            reliable_delivery=True,
            **kwargs,
        )

    def setup(self) -> None:
        super().setup()
        service, source = self.container.service_name, self.event_model.source_service
        name = str(self.queue.name)  # type: ignore[has-type]  # nameko's, untyped
        self.queue = handler_queue(
            name, self.event_model.exchange(), self.event_type, source, service
        )
        self.routes = routes_for(self.event_model.exchange(), source, service)
        self.users = BrokerUsers.from_config(self.container.config)

    def start(self) -> None:
        self.own_user = own_user(self.container.config, self.container.service_name)
        super().start()

    def handle_message(self, body: Any, message: Any) -> None:
        watch = Stopwatch()
        try:
            self._check_sender(message)
            received = parse(body, self.event_model)  # also: the envelope's source
        except InvalidEvent as exc:
            self._park_and_ack(message, exc.reason, "invalid", watch)
            return
        context_data = {
            **self.unpack_message_headers(message),
            "correlation_id": received.correlation_id or received.id,
        }
        try:
            self.container.spawn_worker(
                self,
                (received,),
                {},
                context_data=context_data,
                handle_result=partial(self.handle_result, message, watch),
            )
        except ContainerBeingKilled:
            self.queue_consumer.requeue_message(message)

    def _check_sender(self, message: Any) -> None:
        """The route it came through and the user that sent it (see `senders.py`)."""
        check_sender(
            exchange=(message.delivery_info or {}).get("exchange", ""),
            sender=sender_of(message, self.own_user),
            routes=self.routes,
            expected=self.users.of(self.event_model.source_service),
        )

    def handle_result(
        self,
        message: Any,
        watch: Stopwatch,
        worker_ctx: WorkerContext,
        result: Any = None,
        exc_info: Any = None,
    ) -> tuple[Any, ExcInfo | None]:
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            self._observe("ok", watch)
            return result, exc_info
        if isinstance(exc_info[1], InvalidEvent):  # the handler found it can never succeed
            self._park_and_ack(message, exc_info[1].reason, "invalid", watch)
            return result, exc_info
        try:
            outcome = self.failures.retry_or_park(self.queue.name, message, exc_info)
        except Exception:
            log.exception("could not schedule a retry; the message goes back to its queue")
            self.queue_consumer.requeue_message(message)
        else:
            self.queue_consumer.ack_message(message)
            self._observe(outcome, watch)
        return result, exc_info

    def reject_undecodable(self, queue_consumer: QueueConsumer, message: Any, exc: Any) -> None:
        self._park_and_ack(message, f"body cannot be decoded: {exc}", "undecodable", Stopwatch())

    def _park_and_ack(self, message: Any, reason: str, kind: str, watch: Stopwatch) -> None:
        try:
            self.failures.park(
                self.queue.name,
                message,
                reason=reason,
                kind=kind,
                attempts=attempts_so_far(message) + 1,
            )
        except Exception:
            log.exception("could not park a message; it goes back to its queue")
            self.queue_consumer.requeue_message(message)
        else:
            self.queue_consumer.ack_message(message)
            self._observe("parked", watch)

    def _observe(self, outcome: str, watch: Stopwatch) -> None:
        event_type = self.event_model.event_type
        observe_handler(self.container.service_name, event_type, outcome, watch)
        log.info("%s %s in %.1f ms", event_type, outcome, watch.seconds() * 1000)


on_event = EventSubscription.decorator
