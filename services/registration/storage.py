"""Registration's collections: producers, products, dossiers (database `ocop_registration`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pymongo.database import Database

from services.registration.domain import Dossier, Producer, Product
from shared.documents import from_document, to_document
from shared.events import Event
from shared.idempotency import RequestKey
from shared.storage import Store


class RegistrationStore(Store):
    outbox_collections = ("producers", "products", "dossiers")

    @classmethod
    def ensure_indexes(cls, database: Database) -> None:
        super().ensure_indexes(database)
        database.products.create_index("producer_id")
        database.dossiers.create_index("id", unique=True)
        database.dossiers.create_index("product_id")

    def add_producer(
        self, producer: Producer, events: Sequence[Event], key: RequestKey | None
    ) -> Producer:
        """The producer stored: this one, or the first one created with the same key."""
        stored = self.create(self.db.producers, to_document(producer), events, key)
        return producer if stored is None else from_document(Producer, stored)

    def producer(self, producer_id: str) -> Producer | None:
        document = self.db.producers.find_one({"_id": producer_id})
        return None if document is None else from_document(Producer, document)

    def add_product(
        self, product: Product, events: Sequence[Event], key: RequestKey | None
    ) -> Product:
        stored = self.create(self.db.products, to_document(product), events, key)
        return product if stored is None else from_document(Product, stored)

    def update_product(
        self, product_id: str, decide: Callable[[Product], tuple[Product, Sequence[Event]]]
    ) -> Product:
        return self.update_entity(self.db.products, product_id, Product, decide)

    def product(self, product_id: str) -> Product | None:
        document = self.db.products.find_one({"_id": product_id})
        return None if document is None else from_document(Product, document)

    def add_dossier(
        self, dossier: Dossier, events: Sequence[Event], key: RequestKey | None
    ) -> Dossier | None:
        """The dossier stored, or None if the product already has one for that year."""
        document = {**to_document(dossier), "_id": dossier_key(dossier.product_id, dossier.year)}
        stored = self.create(self.db.dossiers, document, events, key)
        return None if stored is None else from_document(Dossier, stored)

    def dossier_sent_with(self, product_id: str, year: int, key: RequestKey) -> Dossier | None:
        """The dossier an earlier request with this idempotency key created, if any."""
        document = self.db.dossiers.find_one({"_id": dossier_key(product_id, year)})
        if document is None or not key.repeats(document):  # this caller's, and this request
            return None
        return from_document(Dossier, document)

    def dossier(self, dossier_id: str) -> Dossier | None:
        document = self.db.dossiers.find_one({"id": dossier_id})
        return None if document is None else from_document(Dossier, document)

    def dossier_years(self, product_id: str) -> set[int]:
        return {
            doc["year"] for doc in self.db.dossiers.find({"product_id": product_id}, {"year": 1})
        }


def dossier_key(product_id: str, year: int) -> str:
    """One dossier per product and year: the key makes a second one impossible."""
    return f"{product_id}:{year}"
