"""Registration's collections (database `ocop_registration`): producers, products, batches,
dossiers, and the certificates it knows of from certification's events."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from pymongo.database import Database

from services.registration.batches import Batch
from services.registration.certificates import KnownCertificate
from services.registration.domain import Producer, Product
from services.registration.dossiers import Dossier
from shared.documents import Document, apply_once, from_document, is_new, to_document
from shared.errors import Conflict
from shared.events import Event
from shared.idempotency import HEADER, RequestKey
from shared.storage import Store


class RegistrationStore(Store):
    outbox_collections = ("producers", "products", "dossiers", "batches")

    @classmethod
    def ensure_indexes(cls, database: Database) -> None:
        super().ensure_indexes(database)
        database.products.create_index("producer_id")
        database.dossiers.create_index("id", unique=True)
        database.dossiers.create_index("product_id")
        database.batches.create_index("id", unique=True)
        database.batches.create_index("province_code")

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

    def add_batch(
        self, batch: Batch, events: Sequence[Event], key: RequestKey | None
    ) -> Batch | None:
        """The batch stored, or None if its number is taken in the province's year."""
        document = {**to_document(batch), "_id": batch_key(batch)}
        stored = self.create(self.db.batches, document, events, key)
        return None if stored is None else from_document(Batch, stored)

    def batch(self, batch_id: str) -> Batch | None:
        document = self.db.batches.find_one({"id": batch_id})
        return None if document is None else from_document(Batch, document)

    def batches(self, province_code: str | None, year: int | None) -> list[Batch]:
        """A province's (or every province's) batches of a year (or of every year)."""
        where = {
            field: value
            for field, value in (("province_code", province_code), ("year", year))
            if value is not None
        }
        found = self.db.batches.find(where).limit(MAX_BATCHES_LISTED)
        return sorted(
            (from_document(Batch, document) for document in found),
            key=lambda b: (b.year, b.province_code, b.number),
        )

    def open_batches(self, province_code: str, today: date) -> list[Batch]:
        """The province's batches receiving dossiers today."""
        day = today.isoformat()  # stored as ISO text, which sorts as the dates do
        found = self.db.batches.find(
            {"province_code": province_code, "opens_on": {"$lte": day}, "closes_on": {"$gte": day}}
        )
        return [from_document(Batch, document) for document in found]

    def add_dossier(
        self, dossier: Dossier, events: Sequence[Event], key: RequestKey | None
    ) -> Dossier | None:
        """The dossier stored, or None if another took its place meanwhile."""
        document = {**to_document(dossier), "_id": dossier_key(dossier)}
        stored = self.create(self.db.dossiers, document, events, key)
        return None if stored is None else from_document(Dossier, stored)

    def dossier_sent_with(self, key: RequestKey) -> Dossier | None:
        """The dossier an earlier request with this idempotency key created, if any."""
        document = self.db.dossiers.find_one({"id": key.entity_id})
        if document is None:
            return None
        if not key.repeats(document):  # the key is this caller's: another request reused it
            raise Conflict(f"{HEADER} was used for a different request", {HEADER: "reused"})
        return from_document(Dossier, document)

    def dossier(self, dossier_id: str) -> Dossier | None:
        document = self.db.dossiers.find_one({"id": dossier_id})
        return None if document is None else from_document(Dossier, document)

    def dossiers_of(self, product_id: str) -> list[Dossier]:
        return [
            from_document(Dossier, document)
            for document in self.db.dossiers.find({"product_id": product_id})
        ]

    def update_dossier(
        self,
        dossier_id: str,
        event_id: str,
        decide: Callable[[Dossier], tuple[Dossier, Sequence[Event]]],
    ) -> bool:
        """Apply an event's effect to a dossier once (its id is kept with the effect); False
        if there is no such dossier."""
        found = self.db.dossiers.find_one({"id": dossier_id})
        if found is None:
            return False

        def apply(current: Document) -> tuple[Document, list[Document]] | None:
            dossier = from_document(Dossier, current)
            updated, events = decide(dossier)
            if updated == dossier and not events:
                return None
            # the idempotency key's stamp stays: a retried submission still finds it
            return {**current, **to_document(updated)}, self.outbox.entries(events)

        apply_once(self.db.dossiers, found["_id"], event_id, apply)
        return True

    def learn_certificate(
        self,
        number: str,
        event_id: str,
        learn: Callable[[KnownCertificate | None], KnownCertificate],
    ) -> None:
        """What an event of certification says of a certificate, kept once per event."""

        def apply(current: Document) -> tuple[Document, list[Document]]:
            known = None if is_new(current) else from_document(KnownCertificate, current)
            return {"_id": number, **learn(known).model_dump(mode="json")}, []

        apply_once(self.db.certificates, number, event_id, apply)

    def certificate(self, number: str) -> KnownCertificate | None:
        document = self.db.certificates.find_one({"_id": number})
        return None if document is None else from_document(KnownCertificate, document)


MAX_BATCHES_LISTED = 500


def batch_key(batch: Batch) -> str:
    """A batch's number is unique in its province's year: the key makes a second one impossible."""
    return f"{batch.province_code}:{batch.year}:{batch.number}"


def dossier_key(dossier: Dossier) -> str:
    """The product's n-th dossier of the year: two requests racing for the same place (the
    rules allow one dossier under evaluation) cannot both be stored."""
    return f"{dossier.product_id}:{dossier.year}:{dossier.attempt}"
