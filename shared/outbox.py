"""The outbox: events stored with the state change, published later by a relay.

`OutboxWriter` turns a worker's domain events into outbox entries (CloudEvents plus the
routing key). `OutboxRelay` finds documents with unsent entries, publishes them with
publisher confirms and removes them, again by a versioned single-document write. A broker
outage only delays events: the entries stay in the documents until a publish is confirmed.
Two relays (two instances of a service) may publish an entry twice; consumers dedupe on
the CloudEvents id, so that costs a message, never an effect.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from pymongo.database import Database
from pymongo.errors import BulkWriteError

from shared.clock import Clock
from shared.documents import OUTBOX, OUTBOX_SINCE, Change, Document, change, without_sent
from shared.events import Event, envelope, rfc3339

log = logging.getLogger(__name__)

Publish = Callable[[str, str, dict], None]  # exchange, routing key, CloudEvent


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
            "routing_key": entry["routing_key"],
            "event": entry["event"],
        }
        for position, entry in enumerate(sent)
    ]
    with contextlib.suppress(BulkWriteError):  # already kept by an earlier, interrupted pass
        history.insert_many(records, ordered=False)


def removal(sent: list[Document]) -> Change:
    """The change that takes the sent entries out of a document's outbox."""
    ids = {entry["id"] for entry in sent}
    return lambda current: (without_sent(current, ids), [])


class OutboxRelay:
    """Publishes pending outbox entries of the given collections, oldest first."""

    def __init__(
        self,
        database: Database,
        collections: Sequence[str],
        publish: Publish,
        *,
        batch_size: int = 200,
        idle_wait: float = 1.0,
    ) -> None:
        self.database = database
        self.collections = collections
        self.publish = publish
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
                    published = self.relay_pending()
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

    def relay_pending(self) -> int:
        """Publish one batch from every collection; returns how many events went out."""
        published = 0
        for name in self.collections:
            collection = self.database[name]
            pending = collection.find({OUTBOX_SINCE: {"$gt": ""}}).sort(OUTBOX_SINCE, 1)
            published += self._relay_batch(collection, list(pending.limit(self.batch_size)))
        return published

    def _relay_batch(self, collection: Any, documents: list[Document]) -> int:
        """Publish every document's entries in order; then keep them in the history (one
        write for the batch) and take them out of each outbox, even when a publish failed
        half-way, so what went out is never sent again by this relay."""
        sent: list[tuple[Document, list[Document]]] = []
        try:
            for document in documents:
                if self._stopped.is_set():  # a stopping service does not finish the batch
                    break
                entries: list[Document] = []
                sent.append((document, entries))
                for entry in document.get(OUTBOX, []):
                    self.publish(entry["exchange"], entry["routing_key"], entry["event"])
                    entries.append(entry)
        finally:
            done = [(document, entries) for document, entries in sent if entries]
            if done:
                keep_history(self.database[HISTORY], [e for _, entries in done for e in entries])
            for document, entries in done:
                change(collection, document["_id"], removal(entries), known=document)
        return sum(len(entries) for _, entries in done)

    def pending_count(self) -> int:
        return sum(
            self.database[name].count_documents({OUTBOX_SINCE: {"$gt": ""}})
            for name in self.collections
        )
