"""Whole-document writes with optimistic concurrency; how every service changes state.

Each aggregate is one document with a `version`. A change reads it, computes the new
document in Python and replaces it only if the version is still the one read; a lost race
re-reads and tries again. The events a change causes ride in the same document (its
`outbox`), so state and events are stored by the same single-document write: the outbox
pattern without multi-document transactions.

Why not update operators: nx-27017, the embedded store, mangles them on nested data
(measured with pymongo 4.20 against nx-27017 0.8.1: `$push` of a sub-document into an
existing array stores a JSON string, `$pull` by sub-document removes non-matching
elements, `$addToSet` writes nothing, `$ne` on an array matches documents that contain
the value, `$set` of a boolean stores 0/1). Insert and replace keep every type, and a
version check makes replace as safe as an operator on MongoDB too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

OUTBOX = "outbox"
OUTBOX_SINCE = "outbox_since"  # time of the oldest unsent event; "" when none is pending
VERSION = "version"
APPLIED = "applied"  # ids of the events whose effect this document holds
MAX_ATTEMPTS = 50

Document = dict[str, Any]
M = TypeVar("M", bound=BaseModel)
Change = Callable[[Document], tuple[Document, list[Document]] | None]


class ConcurrentChange(Exception):
    """A document kept changing under us for MAX_ATTEMPTS attempts."""


def with_events(document: Document, entries: Iterable[Document]) -> Document:
    """`document` with `entries` (CloudEvents ready to publish) appended to its outbox."""
    pending = [*document.get(OUTBOX, []), *entries]
    since = min((entry["time"] for entry in pending), default="")
    return {**document, OUTBOX: pending, OUTBOX_SINCE: since}


def insert(collection: Collection, document: Document, entries: Iterable[Document] = ()) -> bool:
    """Insert a new aggregate with its events; False if its `_id` or a unique key exists."""
    try:
        collection.insert_one({**with_events(document, entries), VERSION: 1})
    except DuplicateKeyError:
        return False
    return True


def change(
    collection: Collection,
    key: Any,
    apply: Change,
    *,
    create: bool = False,
    known: Document | None = None,
) -> bool:
    """Apply `apply` to the document `key` until it lands on an unchanged version.

    `apply` receives the stored document (or `{"_id": key}` when `create` is set and none
    exists) and returns the new document and the outbox entries to add, or None when there
    is nothing to do. Returns True if a write happened. `known`, a copy just read, saves
    the first read; if it is stale the version check refuses it and the loop reads again.
    """
    for attempt in range(MAX_ATTEMPTS):
        current = known if attempt == 0 and known else collection.find_one({"_id": key})
        if current is None and not create:
            return False
        outcome = apply(current if current is not None else {"_id": key})
        if outcome is None:
            return False
        new, entries = outcome
        if current is None:
            if insert(collection, {**new, "_id": key}, entries):
                return True
            continue  # created meanwhile by someone else: read it and apply again
        version = current.get(VERSION, 0)
        replacement = {**with_events(kept_bookkeeping(current, new), entries), VERSION: version + 1}
        replacement.pop("_id", None)
        if collection.replace_one({"_id": key, VERSION: version}, replacement).matched_count:
            return True
    raise ConcurrentChange(f"{collection.name}/{key} changed {MAX_ATTEMPTS} times under us")


def apply_once(collection: Collection, key: Any, event_id: str, apply: Change) -> bool:
    """Apply the effect of event `event_id` on document `key` (created if missing) once.

    The document remembers the ids it has applied in the same write as the effect, so a
    redelivered or duplicated event finds its id there and changes nothing.
    """

    def once(current: Document) -> tuple[Document, list[Document]] | None:
        applied = current.get(APPLIED, [])
        if event_id in applied:
            return None
        outcome = apply(current)
        if outcome is None:
            return None
        new, entries = outcome
        return {**new, APPLIED: [*applied, event_id]}, entries

    return change(collection, key, once, create=True)


def kept_bookkeeping(current: Document, new: Document) -> Document:
    """`new` with the stored outbox and applied ids unless `new` sets them itself.

    Callers rebuild documents from entities, which know nothing of the outbox: without
    this, a second change before the relay ran would drop the first change's events.
    """
    kept = {
        field: current[field]
        for field in (OUTBOX, APPLIED)
        if field in current and field not in new
    }
    return {**new, **kept}


def is_new(document: Document) -> bool:
    """True for the `{"_id": key}` stand-in `change(create=True)` passes for a missing document."""
    return VERSION not in document


def without_sent(document: Document, sent_ids: set[str]) -> Document:
    """`document` with the events in `sent_ids` removed from its outbox."""
    remaining = [entry for entry in document.get(OUTBOX, []) if entry["id"] not in sent_ids]
    return with_events({**document, OUTBOX: []}, remaining)


def to_document(entity: BaseModel) -> Document:
    """An entity as a document keyed by its `id`."""
    data = entity.model_dump(mode="json")
    return {"_id": data["id"], **data}


def from_document(model: type[M], document: Document) -> M:
    """The entity stored in `document` (bookkeeping fields are ignored by the model)."""
    return model.model_validate({key: value for key, value in document.items() if key != "_id"})
