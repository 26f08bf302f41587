"""Certification's collections (`ocop_certification`): certificates, proposals waiting for a
decision, recorded decisions, number counters, and the producers and products known from
registration's events."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from pymongo import ReturnDocument
from pymongo.database import Database

from services.certification.certificate import Certificate
from services.certification.recognition import Decision, Proposal
from shared.documents import from_document, insert, to_document
from shared.errors import Conflict
from shared.events import Event
from shared.idempotency import HEADER, RequestKey
from shared.origin import KnownProducts
from shared.storage import Store

Decide = Callable[[Certificate], tuple[Certificate, Sequence[Event]]]
DecideProposal = Callable[[Proposal], tuple[Proposal, Sequence[Event]]]


class NumberTaken(Exception):
    """The counter handed out a number already on a certificate."""


class CertificationStore(KnownProducts, Store):
    outbox_collections = ("certificates", "proposals", "decisions")

    @classmethod
    def ensure_indexes(cls, database: Database) -> None:
        super().ensure_indexes(database)
        database.certificates.create_index("evaluation_id", unique=True)
        database.certificates.create_index("product_id")
        database.certificates.create_index("expires_on")
        database.proposals.create_index([("status", 1), ("province_code", 1)])
        database.decisions.create_index("issuer_number", unique=True)

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

    def add_proposal(self, proposal: Proposal, events: Sequence[Event]) -> bool:
        """False when the evaluation's proposal is there already (a redelivered result)."""
        return insert(self.db.proposals, to_document(proposal), self.outbox.entries(events))

    def proposal(self, evaluation_id: str) -> Proposal | None:
        document = self.db.proposals.find_one({"_id": evaluation_id})
        return None if document is None else from_document(Proposal, document)

    def proposals(
        self, ids: Sequence[str] | None = None, limit: int = 500, **query: str | None
    ) -> list[Proposal]:
        where: dict[str, object] = {
            name: value for name, value in query.items() if value is not None
        }
        if ids is not None:
            where["_id"] = {"$in": list(ids)}
        documents = self.db.proposals.find(where).sort("proposed_on", 1).limit(limit)
        return [from_document(Proposal, document) for document in documents]

    def update_proposal(self, evaluation_id: str, decide: DecideProposal) -> Proposal:
        return self.update_entity(self.db.proposals, evaluation_id, Proposal, decide)

    def claim_proposals(self, ids: Sequence[str], decision_id: str) -> list[str]:
        """Mark each proposal decided by `decision_id` if it is not decided by another (one
        conditional write each); the ids claimed."""
        claimed = []
        for each in ids:
            found = self.db.proposals.update_one(
                {"_id": each, "decision_id": {"$in": [None, decision_id]}},
                {"$set": {"status": "decided", "decision_id": decision_id}},
            )
            if found.matched_count:
                claimed.append(each)
        return claimed

    def release_proposals(self, ids: Sequence[str], decision_id: str) -> None:
        self.db.proposals.update_many(
            {"_id": {"$in": list(ids)}, "decision_id": decision_id},
            {"$set": {"status": "pending", "decision_id": None}},
        )

    def add_decision(
        self, decision: Decision, events: Sequence[Event], key: RequestKey | None
    ) -> Decision:
        """The decision stored with its event; a number its issuer used already is a
        Conflict naming `number`."""
        issuer_number = numbered(decision)
        taken = Conflict(f"decision {decision.number} is recorded already", {"number": "taken"})
        self.refuse_taken_number(decision)
        document = {**to_document(decision), "issuer_number": issuer_number}
        stored = self.create(self.db.decisions, document, events, key)
        if stored is None:
            raise taken
        return from_document(Decision, stored)

    def refuse_taken_number(self, decision: Decision) -> None:
        """A Conflict naming `number` if its issuer recorded a decision of that number."""
        if self.db.decisions.find_one({"issuer_number": numbered(decision)}, {"_id": 1}):
            raise Conflict(f"decision {decision.number} is recorded already", {"number": "taken"})

    def replayed_decision(self, key: RequestKey) -> Decision | None:
        """The decision this very request recorded before, if it did."""
        stored = self.db.decisions.find_one({"_id": key.entity_id})
        if stored is None:
            return None
        if not key.repeats(stored):
            raise Conflict(f"{HEADER} was used for a different request", {HEADER: "reused"})
        return from_document(Decision, stored)

    def decision(self, decision_id: str) -> Decision | None:
        document = self.db.decisions.find_one({"_id": decision_id})
        return None if document is None else from_document(Decision, document)

    def decisions(self, limit: int = 200, reach: dict | None = None) -> list[Decision]:
        documents = self.db.decisions.find(dict(reach or {})).sort("signed_on", -1).limit(limit)
        return [from_document(Decision, document) for document in documents]

    def numbers_of_decision(self, decision_id: str) -> list[str]:
        """The certificates a decision issued, renewed or revoked."""
        query = {
            "$or": [
                {"decision_id": decision_id},
                {"renewals.decision_id": decision_id},
                {"revocation.decision_id": decision_id},
            ]
        }
        return sorted(str(each["_id"]) for each in self.db.certificates.find(query, {"_id": 1}))

    def remember_producer(
        self, producer_id: str, name: str, kind: str, province_code: str | None = None
    ) -> None:
        insert(
            self.db.producers,
            {"_id": producer_id, "name": name, "kind": kind, "province_code": province_code},
        )

    def producer(self, producer_id: str) -> dict | None:
        return self.db.producers.find_one({"_id": producer_id})


def numbered(decision: Decision) -> str:
    """A decision number is unique per issuer: a province's People's Committee, the ministry."""
    return f"{decision.level}:{decision.province_code or ''}:{decision.number}"
