"""Certification's collections (`ocop_certification`): certificates, number counters, and
the producers and products known from registration's events."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from pymongo import ReturnDocument
from pymongo.database import Database

from services.certification.certificate import Certificate
from shared.documents import from_document, insert, to_document
from shared.errors import Conflict
from shared.events import Event
from shared.idempotency import RequestKey
from shared.origin import KnownProducts
from shared.storage import Store

Decide = Callable[[Certificate], tuple[Certificate, Sequence[Event]]]


class NumberTaken(Exception):
    """The counter handed out a number already on a certificate."""


class CertificationStore(KnownProducts, Store):
    outbox_collections = ("certificates",)

    @classmethod
    def ensure_indexes(cls, database: Database) -> None:
        super().ensure_indexes(database)
        database.certificates.create_index("evaluation_id", unique=True)
        database.certificates.create_index("product_id")
        database.certificates.create_index("expires_on")

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
        if self.number_for(certificate.evaluation_id):
            return False
        raise NumberTaken(f"certificate number {certificate.number} is taken")

    def add_imported(
        self, certificate: Certificate, events: Sequence[Event], key: RequestKey | None
    ) -> Certificate:
        """The imported certificate stored (or the first one sent with the same key)."""
        stored = self.create(self.db.certificates, to_document(certificate), events, key)
        if stored is None:
            raise Conflict(f"certificate {certificate.number} exists already", {"number": "taken"})
        return from_document(Certificate, stored)

    def number_for(self, evaluation_id: str) -> str | None:
        document = self.db.certificates.find_one({"evaluation_id": evaluation_id}, {"_id": 1})
        return None if document is None else str(document["_id"])

    def certificate(self, number: str) -> Certificate | None:
        document = self.db.certificates.find_one({"_id": number})
        return None if document is None else from_document(Certificate, document)

    def certificates(
        self, product_id: str | None = None, limit: int = 200, reach: dict | None = None
    ) -> list[Certificate]:
        query = dict(reach or {}) | ({} if product_id is None else {"product_id": product_id})
        documents = self.db.certificates.find(query).sort("issued_on", -1).limit(limit)
        return [from_document(Certificate, document) for document in documents]

    def valid_certificates_of(self, product_id: str) -> list[Certificate]:
        documents = self.db.certificates.find({"product_id": product_id, "status": "valid"})
        return [from_document(Certificate, document) for document in documents]

    def valid_due_by(self, day: date) -> list[Certificate]:
        """Valid certificates whose term ends on or before `day`."""
        query = {"status": "valid", "expires_on": {"$lte": day.isoformat()}}
        return [
            from_document(Certificate, document) for document in self.db.certificates.find(query)
        ]

    def update(self, number: str, decide: Decide) -> Certificate:
        return self.update_entity(self.db.certificates, number, Certificate, decide)

    def remember_producer(
        self, producer_id: str, name: str, kind: str, province_code: str | None = None
    ) -> None:
        insert(
            self.db.producers,
            {"_id": producer_id, "name": name, "kind": kind, "province_code": province_code},
        )

    def producer(self, producer_id: str) -> dict | None:
        return self.db.producers.find_one({"_id": producer_id})
