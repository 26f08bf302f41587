"""The outbox: events stored with the state change, published later by a relay.

`OutboxWriter` turns a worker's domain events into outbox entries (CloudEvents plus the
routing key). `OutboxRelay` finds documents with unsent entries, publishes them in
batches with publisher confirms and removes them, again by a versioned single-document
write. A broker outage only delays events: the entries stay in the documents until a
publish is confirmed. Of several instances of a service, only the lease holder relays;
should two ever publish an entry (a lease handed over mid-batch, a crash before the
removal), consumers dedupe on the CloudEvents id: that costs a message, never an effect.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from pymongo import ReplaceOne
from pymongo.database import Database
from pymongo.errors import BulkWriteError

from shared.clock import Clock
from shared.documents import (
    OUTBOX,
    OUTBOX_SINCE,
    VERSION,
    Change,
    Document,
    change,
    without_sent,
)
from shared.events import Event, envelope, rfc3339
from shared.messaging.batches import BatchPublisher, PartialPublish
from shared.metrics import count_published
from shared.relay_lease import LEASES, RelayLease

log = logging.getLogger(__name__)


class OutboxWriter:
    """Wraps one worker's domain events into outbox entries with shared correlation id."""

    def __init__(self, clock: Clock, correlation_id: str) -> None:
        self.clock = clock
        self.correlation_id = correlation_id
        self.wrote_events = False

    def entries(self, events: Iterable[Event]) -> list[Document]:
        entries = []
        for event in events:
            event_id = str(uuid.uuid4())
            now = self.clock.now()
            entries.append(
                {
                    "id": event_id,
                    "time": rfc3339(now),
                    "exchange": event.exchange(),
                    "routing_key": event.event_type,
                    "event": envelope(
                        event, event_id=event_id, now=now, correlation_id=self.correlation_id
                    ),
                }
            )
        self.wrote_events = self.wrote_events or bool(entries)
        return entries


HISTORY = "event_history"


def keep_history(history: Any, sent: list[Document]) -> None:
    """Published events stay in the service's history, for replays to new subscribers; kept
    before leaving the outbox, so a crash between the two keeps both, never neither."""
    records = [
        {
            "_id": entry["id"],
            "time": entry["time"],
            # events written together share a millisecond; their order in the outbox is
            # the order they happened in (an import's certificate.issued before .expired)
            "position": position,
            "exchange": entry["exchange"],
            "routing_key": entry["routing_key"],
            "event": entry["event"],
        }
        for position, entry in enumerate(sent)
    ]
    with contextlib.suppress(BulkWriteError):  # already kept by an earlier, interrupted pass
        history.insert_many(records, ordered=False)


def remove_sent(collection: Any, done: list[tuple[Document, list[Document]]]) -> None:
    """Take the sent entries out of each document's outbox: one bulk write of version-checked
    replacements (a write per document was the relay's main cost), then, for a document
    that changed since it was read, the usual read-change-retry."""
    replacements = []
    for document, entries in done:
        replacement = without_sent(document, {entry["id"] for entry in entries})
        replacement[VERSION] = document.get(VERSION, 0) + 1
        replacement.pop("_id", None)
        replacements.append(
            ReplaceOne({"_id": document["_id"], VERSION: document.get(VERSION, 0)}, replacement)
        )
    if collection.bulk_write(replacements, ordered=False).matched_count == len(done):
        return
    by_id = {document["_id"]: (document, entries) for document, entries in done}
    for stored in collection.find({"_id": {"$in": list(by_id)}}):
        document, entries = by_id[stored["_id"]]
        ids = {entry["id"] for entry in entries}
        if any(entry["id"] in ids for entry in stored.get(OUTBOX, [])):
            change(collection, stored["_id"], removal(entries), known=stored)


def removal(sent: list[Document]) -> Change:
    """The change that takes the sent entries out of a document's outbox."""
    ids = {entry["id"] for entry in sent}
    return lambda current: (without_sent(current, ids), [])


class OutboxRelay:
    """Publishes pending outbox entries of the given collections, oldest first, while this
    instance holds the service's relay lease (`relay_lease.py`)."""

    def __init__(
        self,
        database: Database,
        collections: Sequence[str],
        publisher: BatchPublisher,
        *,
        service: str,
        lease: RelayLease | None = None,
        batch_size: int = 500,
        idle_wait: float = 1.0,
    ) -> None:
        self.database = database
        self.collections = collections
        self.publisher = publisher
        self.service = service
        self.lease = lease or RelayLease(database[LEASES])
        self.batch_size = batch_size
        self.idle_wait = idle_wait
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self.running = False
        self.last_error: str | None = None

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()

    def run(self) -> None:
        """Relay until stopped; errors (broker or store down) back off and retry."""
        self.running = True
        backoff = 0.0
        try:
            while not self._stopped.is_set():
                self._wake.clear()
                try:
                    published = self.relay_pending() if self.lease.hold() else 0
                    backoff, self.last_error = 0.0, None
                except Exception as exc:  # broker or store unreachable: keep entries, retry
                    self.last_error = f"{type(exc).__name__}: {exc}"
                    backoff = min(max(backoff * 2, 0.5), 10.0)
                    log.warning("outbox relay failed (%s); retrying in %.1fs", exc, backoff)
                    self._stopped.wait(backoff)
                    continue
                if published == 0:
                    self._wake.wait(self.idle_wait)
        finally:
            self.running = False
            with contextlib.suppress(Exception):  # the store may be the reason we stop
                self.lease.release()

    def relay_pending(self) -> int:
        """Publish one batch from every collection; returns how many events went out."""
        published = 0
        for name in self.collections:
            if self._stopped.is_set():  # a stopping service does not start another batch
                break
            collection = self.database[name]
            pending = collection.find({OUTBOX_SINCE: {"$gt": ""}}).sort(OUTBOX_SINCE, 1)
            published += self._relay_batch(collection, list(pending.limit(self.batch_size)))
        return published

    def _relay_batch(self, collection: Any, documents: list[Document]) -> int:
        """Publish the documents' entries in order with one wait for confirms; then keep
        the confirmed ones in the history (one write) and take them out of each outbox,
        also when the batch failed half-way, so what went out is not sent again."""
        entries = [(document, entry) for document in documents for entry in document[OUTBOX]]
        if not entries:
            return 0
        failure: PartialPublish | None = None
        try:
            self.publisher.publish(
                [(e["exchange"], e["routing_key"], e["event"]) for _, e in entries]
            )
            confirmed = len(entries)
        except PartialPublish as partial:
            confirmed, failure = partial.confirmed, partial
        sent = entries[:confirmed]
        if sent:
            keep_history(self.database[HISTORY], [entry for _, entry in sent])
            by_document: dict[Any, tuple[Document, list[Document]]] = {}
            for document, entry in sent:
                by_document.setdefault(document["_id"], (document, []))[1].append(entry)
            remove_sent(collection, list(by_document.values()))
            for _, entry in sent:
                count_published(self.service, entry["routing_key"])
        if failure is not None:
            raise failure.cause
        return len(sent)

    def pending(self, now: datetime) -> tuple[int, float | None]:
        """How many documents hold unsent events, and the oldest one's age in seconds
        (`now` from the service's clock, the one that stamped the events)."""
        count, oldest = 0, None
        for name in self.collections:
            collection = self.database[name]
            count += collection.count_documents({OUTBOX_SINCE: {"$gt": ""}})
            first = collection.find_one({OUTBOX_SINCE: {"$gt": ""}}, sort=[(OUTBOX_SINCE, 1)])
            if first is not None:
                since = datetime.fromisoformat(first[OUTBOX_SINCE])
                oldest = since if oldest is None else min(oldest, since)
        if oldest is None:
            return count, None
        return count, max(0.0, (now - oldest).total_seconds())
