"""The outside subscriber of the flow bench: an exclusive queue bound with `#` to the four
services' exchanges, as another government system would subscribe. It counts every event
and keeps, per product, when each stage of its flow was announced and seen."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from datetime import datetime

import pika

from shared.devstack.processes import SERVICES
from shared.events import CatalogueListed, DossierSubmitted, InvitationSent
from tests.support.amqp import events_exchange_of, pika_parameters

SUBMITTED = DossierSubmitted.event_type  # the flow's start: the dossier was accepted
LISTED = CatalogueListed.event_type  # its end: trade_promotion announces the listing
INVITED = InvitationSent.event_type
STAGES = ("evaluation.opened", "product.ranked", "certificate.issued", LISTED, INVITED)


class FlowTap(threading.Thread):
    def __init__(self, amqp_uri: str) -> None:
        super().__init__(daemon=True, name="bench-tap")
        self.connection = pika.BlockingConnection(pika_parameters(amqp_uri))
        self.channel = self.connection.channel()
        self.queue = self.channel.queue_declare("", exclusive=True).method.queue
        for service in SERVICES:  # bound before the first flow starts
            exchange = events_exchange_of(self.channel, service)
            self.channel.queue_bind(self.queue, exchange, routing_key="#")
        self.events = 0
        self.by_type: Counter[str] = Counter()
        self.first = self.last = 0.0
        self.submitted: dict[str, float] = {}  # product id -> the event's own time (epoch s)
        self.seen: dict[str, dict[str, float]] = {stage: {} for stage in (SUBMITTED, *STAGES)}
        self.stopping = threading.Event()

    def run(self) -> None:
        self.channel.basic_consume(self.queue, self._on_message, auto_ack=True)
        while not self.stopping.is_set():
            self.connection.process_data_events(time_limit=0.2)
        self.connection.close()

    def _on_message(self, channel: object, method: object, properties: object, body: bytes) -> None:
        now = time.time()
        self.events += 1
        self.first = self.first or now
        self.last = now
        routing_key = method.routing_key  # type: ignore[attr-defined]
        self.by_type[routing_key] += 1
        if routing_key not in self.seen:
            return
        event = json.loads(body)
        product_id = event["data"].get("product_id")
        if routing_key == SUBMITTED:
            self.submitted[product_id] = datetime.fromisoformat(event["time"]).timestamp()
        self.seen[routing_key].setdefault(product_id, now)

    def reset(self) -> None:
        """Count from here on (the fair's own event is not the flows')."""
        self.events, self.first, self.last = 0, 0.0, 0.0
        self.by_type.clear()

    def latencies(self, stage: str = LISTED) -> list[float]:
        """Seconds from each dossier's `dossier.submitted` time to `stage` seen here."""
        seen = self.seen[stage]
        return [seen[p] - at for p, at in self.submitted.items() if p in seen]

    def stage_gaps(self) -> dict[str, list[float]]:
        """Seconds between consecutive stages as seen here, per product (where to look)."""
        gaps: dict[str, list[float]] = {}
        previous = SUBMITTED
        for stage in STAGES:
            before, after = self.seen[previous], self.seen[stage]
            gaps[f"{previous} → {stage}"] = [
                after[p] - before[p] for p in after.keys() & before.keys()
            ]
            previous = stage
        return gaps

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)
