"""The storage provider: hands each worker its service's store, owns client and relay.

Configuration (the service's `config.yml`): `MONGO_URI` (production: a MongoDB replica
set; default: the embedded nx-27017 on 127.0.0.1:27017) and `MONGO_DB`, the service's own
database. Each service subclasses `Store` with domain-named methods over its collections.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, TypeVar
from weakref import WeakKeyDictionary

import eventlet
from nameko.containers import WorkerContext
from nameko.extensions import DependencyProvider
from pydantic import BaseModel
from pymongo import MongoClient
from pymongo.collection import Collection
from pymongo.database import Database

from shared.clock import Clock, clock_from_config
from shared.documents import (
    OUTBOX_SINCE,
    Document,
    change,
    from_document,
    insert,
    to_document,
)
from shared.errors import Conflict, NotFound
from shared.events import Event
from shared.health import Probe
from shared.idempotency import HEADER, RequestKey
from shared.messaging.batches import BatchPublisher
from shared.messaging.senders import own_user
from shared.metrics import Backlog, register_backlog, unregister_backlog
from shared.outbox import HISTORY, OutboxRelay, OutboxWriter
from shared.parking import parked_count

DEFAULT_MONGO_URI = "mongodb://127.0.0.1:27017"
M = TypeVar("M", bound=BaseModel)


class Store:
    """Base of a service's store: its database and the worker's outbox writer."""

    outbox_collections: ClassVar[tuple[str, ...]] = ()

    def __init__(self, database: Database, outbox: OutboxWriter, probe: Probe) -> None:
        self.db = database
        self.outbox = outbox
        self.probe = probe

    @classmethod
    def ensure_indexes(cls, database: Database) -> None:
        for name in cls.outbox_collections:
            database[name].create_index(OUTBOX_SINCE)
        database[HISTORY].create_index("time")  # replays read a time range, oldest first

    def create(
        self,
        collection: Collection,
        document: Document,
        events: Sequence[Event],
        key: RequestKey | None,
    ) -> Document | None:
        """Insert a new document with its events; the stored document, or None when a unique
        key refused it. With an idempotency key, a retry of the same request by the same
        caller gets the first document back; the same key with another request is a
        Conflict. A document another caller made (or made without a key) under the same
        `_id`, such as a certificate's own number, is None as without a key: the key
        neither reveals it nor is refused for it."""
        stamped = {**document, **key.stamp()} if key else document
        if insert(collection, stamped, self.outbox.entries(events)):
            return stamped
        if key is None:
            return None
        stored = collection.find_one({"_id": document["_id"]})
        if stored is not None and not key.made(stored):
            return None
        if stored is None or not key.repeats(stored):  # None: its id refused on another key
            raise Conflict(f"{HEADER} was used for a different request", {HEADER: "reused"})
        return stored

    def update_entity(
        self,
        collection: Collection,
        key: str,
        model: type[M],
        decide: Callable[[M], tuple[M, Sequence[Event]]],
    ) -> M:
        """Apply `decide` to a stored entity and store the result with its events.

        `decide` may raise a domain error (nothing is written) and runs again if the
        entity changed meanwhile. NotFound if there is no entity `key`.
        """
        outcome: list[M] = []

        def apply(document: Document) -> tuple[Document, list[Document]] | None:
            current = from_document(model, document)
            updated, events = decide(current)
            outcome[:] = [updated]
            if updated == current and not events:
                return None
            return to_document(updated), self.outbox.entries(events)

        change(collection, key, apply)
        if not outcome:
            raise NotFound(model.__name__.lower(), key)
        return outcome[0]


def mongo_client(uri: str) -> MongoClient:
    return MongoClient(uri, serverSelectionTimeoutMS=5000, connectTimeoutMS=5000)


class Storage(DependencyProvider):
    """`store = Storage(RegistrationStore)`: the service's store, plus its outbox relay."""

    def __init__(self, store_class: type[Store], **kwargs: Any) -> None:
        self.store_class = store_class
        self._writers: WeakKeyDictionary[WorkerContext, OutboxWriter] = WeakKeyDictionary()
        super().__init__(**kwargs)

    def setup(self) -> None:
        config = self.container.config
        # publishing as another user would get every event parked: refuse to start instead
        own_user(config, self.container.service_name)
        self.clock: Clock = clock_from_config(config)
        self.client = mongo_client(config.get("MONGO_URI") or DEFAULT_MONGO_URI)
        self.database = self.client[config["MONGO_DB"]]
        service = self.container.service_name
        self.publisher = BatchPublisher(config["AMQP_URI"])
        self.relay = OutboxRelay(
            self.database, self.store_class.outbox_collections, self.publisher, service=service
        )
        consumers = [e for e in self.container.subextensions if hasattr(e, "consuming")]
        self.probe = Probe(
            self.client, self.relay, config["AMQP_URI"], consumers[0] if consumers else None
        )
        self.backlog = Backlog(
            service,
            outbox=lambda: self.relay.pending(self.clock.now()),
            parked=lambda: parked_count(config["AMQP_URI"], service),
        )
        # before any consumer starts: some duplicates are caught only by unique indexes
        self.store_class.ensure_indexes(self.database)

    def start(self) -> None:
        register_backlog(self.backlog)
        self.relay_thread = self.container.spawn_managed_thread(
            self.relay.run, identifier="outbox-relay"
        )

    def stop(self) -> None:
        self.relay.stop()
        thread = getattr(self, "relay_thread", None)
        if thread is not None:
            with eventlet.Timeout(5, False):  # let it finish its batch and hand the lease over
                thread.wait()
        self.kill()

    def kill(self) -> None:
        if not hasattr(self, "backlog"):  # setup refused to start: nothing was made
            return
        unregister_backlog(self.backlog)
        self.relay.stop()
        self.publisher.close()
        self.client.close()

    def get_dependency(self, worker_ctx: WorkerContext) -> Store:
        correlation_id = worker_ctx.context_data.get("correlation_id") or str(uuid.uuid4())
        writer = OutboxWriter(self.clock, correlation_id)
        self._writers[worker_ctx] = writer
        return self.store_class(self.database, writer, self.probe)

    def worker_teardown(self, worker_ctx: WorkerContext) -> None:
        writer = self._writers.pop(worker_ctx, None)
        if writer is not None and writer.wrote_events:
            self.relay.wake()
