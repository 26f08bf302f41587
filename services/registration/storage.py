"""Registration's collections: producers, products, dossiers (database `ocop_registration`)."""

from __future__ import annotations

from collections.abc import Sequence

from pymongo.database import Database

from services.registration.domain import Dossier, Producer, Product
from shared.documents import from_document, insert, to_document
from shared.events import Event
from shared.storage import Store


class RegistrationStore(Store):
    outbox_collections = ("producers", "products", "dossiers")

    @classmethod
    def ensure_indexes(cls, database: Database) -> None:
        super().ensure_indexes(database)
        database.products.create_index("producer_id")
        database.dossiers.create_index("id", unique=True)
        database.dossiers.create_index("product_id")

    def add_producer(self, producer: Producer, events: Sequence[Event]) -> None:
        insert(self.db.producers, to_document(producer), self.outbox.entries(events))

    def producer(self, producer_id: str) -> Producer | None:
        document = self.db.producers.find_one({"_id": producer_id})
        return None if document is None else from_document(Producer, document)

    def add_product(self, product: Product, events: Sequence[Event]) -> None:
        insert(self.db.products, to_document(product), self.outbox.entries(events))

    def product(self, product_id: str) -> Product | None:
        document = self.db.products.find_one({"_id": product_id})
        return None if document is None else from_document(Product, document)

    def add_dossier(self, dossier: Dossier, events: Sequence[Event]) -> bool:
        """False if the product already has a dossier for that year (a concurrent submit)."""
        document = {**to_document(dossier), "_id": f"{dossier.product_id}:{dossier.year}"}
        return insert(self.db.dossiers, document, self.outbox.entries(events))

    def dossier(self, dossier_id: str) -> Dossier | None:
        document = self.db.dossiers.find_one({"id": dossier_id})
        return None if document is None else from_document(Dossier, document)

    def dossier_years(self, product_id: str) -> set[int]:
        return {
            doc["year"] for doc in self.db.dossiers.find({"product_id": product_id}, {"year": 1})
        }
