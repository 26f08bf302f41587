"""Certification's collections: certificates and number counters (`ocop_certification`)."""

from __future__ import annotations

from collections.abc import Sequence

from pymongo import ReturnDocument
from pymongo.database import Database

from services.certification.domain import Certificate
from shared.documents import from_document, insert, to_document
from shared.events import Event
from shared.storage import Store


class NumberTaken(Exception):
    """The counter handed out a number already on a certificate."""


class CertificationStore(Store):
    outbox_collections = ("certificates",)

    @classmethod
    def ensure_indexes(cls, database: Database) -> None:
        super().ensure_indexes(database)
        database.certificates.create_index("evaluation_id", unique=True)
        database.certificates.create_index("product_id")

    def issued_for(self, evaluation_id: str) -> bool:
        return (
            self.db.certificates.find_one({"evaluation_id": evaluation_id}, {"_id": 1}) is not None
        )

    def next_sequence(self, issuer: str, year: int) -> int:
        """The next number of an issuer's year.

        A number taken by a handler that then crashes leaves a gap, never a repeat.
        """
        counter = self.db.counters.find_one_and_update(
            {"_id": f"certificate:{issuer}:{year}"},
            {"$inc": {"value": 1}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        if counter is None:  # cannot happen with upsert and ReturnDocument.AFTER
            raise RuntimeError(f"counter certificate:{issuer}:{year} was not created")
        return int(counter["value"])

    def add_certificate(self, certificate: Certificate, events: Sequence[Event]) -> bool:
        """False if the evaluation already has its certificate (a concurrent duplicate).

        A clash on the number itself (a counter behind its certificates, e.g. after a
        restore) raises, so the event is retried with the next number, never dropped.
        """
        if insert(self.db.certificates, to_document(certificate), self.outbox.entries(events)):
            return True
        if self.issued_for(certificate.evaluation_id):
            return False
        raise NumberTaken(f"certificate number {certificate.number} is taken")

    def certificates(self, product_id: str | None, limit: int = 200) -> list[Certificate]:
        query = {} if product_id is None else {"product_id": product_id}
        documents = self.db.certificates.find(query).sort("issued_on", -1).limit(limit)
        return [from_document(Certificate, document) for document in documents]

    def certificate(self, number: str) -> Certificate | None:
        document = self.db.certificates.find_one({"_id": number})
        return None if document is None else from_document(Certificate, document)
