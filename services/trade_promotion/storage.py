"""Trade promotion's collections: catalogue, fairs, invitations (`ocop_trade_promotion`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from pymongo.database import Database

from services.trade_promotion.domain import Fair, Invitation, Listing
from shared.documents import Document, apply_once, from_document, insert, is_new, to_document
from shared.events import Event
from shared.storage import Store

ListingChange = Callable[[Listing | None], tuple[Listing, Sequence[Event]] | None]


class TradePromotionStore(Store):
    outbox_collections = ("catalogue", "fairs", "invitations")

    @classmethod
    def ensure_indexes(cls, database: Database) -> None:
        super().ensure_indexes(database)
        database.catalogue.create_index("stars")
        database.fairs.create_index("ends_on")
        database.invitations.create_index("fair_id")
        database.invitations.create_index("product_id")

    def apply_to_listing(self, event_id: str, product_id: str, decide: ListingChange) -> bool:
        """Apply event `event_id` to a product's listing once; True if it changed."""

        def apply(document: Document) -> tuple[Document, list[Document]] | None:
            current = None if is_new(document) else from_document(Listing, document)
            outcome = decide(current)
            if outcome is None:
                return None
            listing, events = outcome
            return to_document(listing), self.outbox.entries(events)

        return apply_once(self.db.catalogue, product_id, event_id, apply)

    def listing(self, product_id: str) -> Listing | None:
        document = self.db.catalogue.find_one({"_id": product_id})
        return None if document is None else from_document(Listing, document)

    def listings(
        self,
        *,
        group: str | None = None,
        groups: Sequence[str] = (),
        province_code: str | None = None,
        min_stars: int | None = None,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[Listing]:
        query: dict = {"status": "listed"}
        if group is not None:
            query["group"] = group
        elif groups:
            query["group"] = {"$in": list(groups)}
        if province_code is not None:
            query["province_code"] = province_code
        if min_stars is not None:
            query["stars"] = {"$gte": min_stars}
        if after is not None:
            query["_id"] = {"$gt": after}
        cursor = self.db.catalogue.find(query).sort("_id", 1)
        if limit is not None:
            cursor = cursor.limit(limit)
        return [from_document(Listing, document) for document in cursor]

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

    def add_invitation(self, invitation: Invitation, events: Sequence[Event]) -> bool:
        """False if the product was already invited to the fair."""
        return insert(self.db.invitations, to_document(invitation), self.outbox.entries(events))

    def invitations_of_product(self, product_id: str) -> list[Invitation]:
        documents = self.db.invitations.find({"product_id": product_id})
        return [from_document(Invitation, document) for document in documents]

    def update_invitation(
        self, invitation_id: str, decide: Callable[[Invitation], tuple[Invitation, Sequence[Event]]]
    ) -> Invitation:
        return self.update_entity(self.db.invitations, invitation_id, Invitation, decide)

    def invitations(self, fair_id: str) -> list[Invitation]:
        documents = self.db.invitations.find({"fair_id": fair_id}).sort("_id", 1)
        return [from_document(Invitation, document) for document in documents]
