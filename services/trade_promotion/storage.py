"""Trade promotion's collections (`ocop_trade_promotion`): the catalogue read model and the
journal of the events it was folded from, producers, fairs, invitations, sales points."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from services.trade_promotion import catalogue
from services.trade_promotion.domain import Fair, Invitation
from services.trade_promotion.sales_points import SalesPoint
from shared.documents import Document, apply_once, from_document, insert, is_new, to_document
from shared.events import Event
from shared.storage import Store

Decide = Callable[[Any], tuple[Any, Sequence[Event]]]
SORTS = {"name": "sort_name", "stars": "sort_stars", "newest": "sort_newest"}


class TradePromotionStore(Store):
    outbox_collections = ("catalogue", "fairs", "invitations", "sales_points")

    @classmethod
    def ensure_indexes(cls, database: Database) -> None:
        super().ensure_indexes(database)
        database.catalogue.create_index("producer_id")
        database.catalogue.create_index("listed")
        # every field a catalogue query filters on: unindexed, a range like `stars >= 4`
        # made the embedded store scan in Python (964 ms at 15,000 products, measured)
        filtered = (
            "listed",
            "province_code",
            "stars",
            "group",
            "subgroup",
            "producer_kind",
            "certificate_status",
        )
        for field in (*filtered, *SORTS.values()):
            database.catalogue_index.create_index(field)
        database.journal.create_index("time")
        database.fairs.create_index("ends_on")
        database.invitations.create_index("fair_id")
        database.invitations.create_index("product_id")

    # the journal and the catalogue

    def journal(self, event_id: str, event: Event, time: str) -> None:
        """Keep the event for rebuilding the catalogue; a redelivered one is kept once."""
        insert(
            self.db.journal,
            {
                "_id": event_id,
                "type": event.cloudevents_type(),
                "time": time,
                "data": event.model_dump(mode="json"),
            },
        )

    def journal_events(self) -> Iterator[dict]:
        return self.db.journal.find().sort([("time", 1), ("_id", 1)])

    def fold(
        self, event_id: str, product_id: str, event: Event, time: str
    ) -> tuple[Document, Document]:
        """Fold an event into a product's entry once; the entry before and after."""
        seen: dict[str, Document] = {}

        def apply(document: Document) -> tuple[Document, list[Document]]:
            before = catalogue.empty(product_id) if is_new(document) else document
            after = catalogue.fold(before, event, time)
            # the version the write will carry: the stored one plus one (compare-and-replace)
            seen.update(before=before, after={**after, "version": document.get("version", 0) + 1})
            return after, self.outbox.entries(catalogue.changes(before, after))

        if apply_once(self.db.catalogue, product_id, event_id, apply):
            self.index(seen["after"])
            return seen["before"], seen["after"]
        entry = self.entry(product_id) or catalogue.empty(product_id)
        self.index(entry)  # a crash may have come between the entry's write and its row's
        return entry, entry

    def index(self, entry: Document) -> None:
        """Write the entry's search row (its public fields, without the facts), unless a
        newer version of it is already there.

        The catalogue is searched and listed from these rows: scanning small documents is
        several times faster on the embedded store than scanning entries with their facts.
        """
        row = catalogue.row(entry)
        newer_there = contextlib.suppress(DuplicateKeyError)  # the upsert met a newer row
        with newer_there:
            self.db.catalogue_index.replace_one(
                {"_id": entry["_id"], "version": {"$lt": entry.get("version", 0)}}, row, upsert=True
            )

    def entry(self, product_id: str) -> Document | None:
        return self.db.catalogue.find_one({"_id": product_id})

    def product_ids_of(self, producer_id: str) -> list[str]:
        return [
            doc["_id"] for doc in self.db.catalogue.find({"producer_id": producer_id}, {"_id": 1})
        ]

    def remember_producer(self, event_id: str, data: dict, time: str) -> None:
        insert(
            self.db.producers,
            {"_id": data["producer_id"], "event_id": event_id, "time": time, "data": data},
        )

    def producer(self, producer_id: str) -> Document | None:
        return self.db.producers.find_one({"_id": producer_id})

    def search(
        self, filters: dict[str, Any], text: str | None, sort: str, after: str | None, limit: int
    ) -> list[Document]:
        key = SORTS[sort]
        query = dict(filters)
        if text:
            query["search_text"] = {"$regex": ".*".join(re.escape(word) for word in text.split())}
        if after:
            query[key] = {"$gt": after}
        ids = [
            row["_id"]
            for row in self.db.catalogue_index.find(query, {"_id": 1}).sort(key, 1).limit(limit)
        ]
        facts_left_out = {"certificates": 0, "product": 0, "producer": 0, "applied": 0, "outbox": 0}
        found = {
            entry["_id"]: entry
            for entry in self.db.catalogue.find({"_id": {"$in": ids}}, facts_left_out)
        }
        return [found[product_id] for product_id in ids if product_id in found]

    def entries(self, filters: dict[str, Any] | None = None) -> list[Document]:
        return list(self.db.catalogue.find(filters or {}))

    # fairs, invitations, sales points

    def add_fair(self, fair: Fair, events: Sequence[Event]) -> None:
        insert(self.db.fairs, to_document(fair), self.outbox.entries(events))

    def fair(self, fair_id: str) -> Fair | None:
        document = self.db.fairs.find_one({"_id": fair_id})
        return None if document is None else from_document(Fair, document)

    def fairs(self, *, open_on: date | None = None) -> list[Fair]:
        query = {} if open_on is None else {"ends_on": {"$gte": open_on.isoformat()}}
        return [
            from_document(Fair, document)
            for document in self.db.fairs.find(query).sort("starts_on", 1)
        ]

    def update_fair(self, fair_id: str, decide: Decide) -> Fair:
        return self.update_entity(self.db.fairs, fair_id, Fair, decide)

    def add_invitation(self, invitation: Invitation, events: Sequence[Event]) -> bool:
        """False if the product was already invited to the fair."""
        return insert(self.db.invitations, to_document(invitation), self.outbox.entries(events))

    def invitation(self, invitation_id: str) -> Invitation | None:
        document = self.db.invitations.find_one({"_id": invitation_id})
        return None if document is None else from_document(Invitation, document)

    def invitations(
        self, *, fair_id: str | None = None, product_id: str | None = None
    ) -> list[Invitation]:
        query = {
            key: value for key, value in (("fair_id", fair_id), ("product_id", product_id)) if value
        }
        return [
            from_document(Invitation, doc) for doc in self.db.invitations.find(query).sort("_id", 1)
        ]

    def update_invitation(self, invitation_id: str, decide: Decide) -> Invitation:
        return self.update_entity(self.db.invitations, invitation_id, Invitation, decide)

    def add_sales_point(self, point: SalesPoint) -> None:
        insert(self.db.sales_points, to_document(point))

    def sales_point(self, point_id: str) -> SalesPoint | None:
        document = self.db.sales_points.find_one({"_id": point_id})
        return None if document is None else from_document(SalesPoint, document)

    def sales_points(self, product_id: str | None = None) -> list[SalesPoint]:
        query = {} if product_id is None else {"products": product_id}
        return [
            from_document(SalesPoint, doc)
            for doc in self.db.sales_points.find(query).sort("name", 1)
        ]

    def update_sales_point(self, point_id: str, decide: Decide) -> SalesPoint:
        return self.update_entity(self.db.sales_points, point_id, SalesPoint, decide)
