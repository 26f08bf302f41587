"""Scoring's collections (database `ocop_scoring`): evaluation rounds, councils, imported
results, and the products known from registration's events."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pymongo.database import Database

from services.scoring.councils import Council, CouncilLevel
from services.scoring.evaluation import Evaluation
from services.scoring.imports import ImportedResult
from shared.documents import from_document, insert, to_document
from shared.errors import Conflict, NotFound
from shared.events import Event
from shared.idempotency import RequestKey
from shared.origin import KnownProducts
from shared.storage import Store

Decide = Callable[[Evaluation], tuple[Evaluation, Sequence[Event]]]


class ScoringStore(KnownProducts, Store):
    outbox_collections = ("evaluations", "imported_results")

    @classmethod
    def ensure_indexes(cls, database: Database) -> None:
        super().ensure_indexes(database)
        database.evaluations.create_index("round_key", unique=True)
        database.evaluations.create_index("product_id")
        database.evaluations.create_index("dossier_id")
        database.evaluations.create_index("batch_id")
        # no index on member_ids: on nx-27017 an index on an array field makes element
        # queries ({"member_ids": "m1"}) match nothing (see docs/storage.md)
        database.councils.create_index("province_code")
        database.imported_results.create_index("product_id")

    def open_round(self, evaluation: Evaluation, events: Sequence[Event]) -> bool:
        """False if the round exists already (a redelivered event)."""
        return insert(self.db.evaluations, to_document(evaluation), self.outbox.entries(events))

    def evaluation(self, evaluation_id: str) -> Evaluation:
        document = self.db.evaluations.find_one({"_id": evaluation_id})
        if document is None:
            raise NotFound("evaluation", evaluation_id)
        return from_document(Evaluation, document)

    def evaluations(
        self,
        *,
        product_id: str | None = None,
        member_id: str | None = None,
        status: str | None = None,
        batch_id: str | None = None,
        dossier_id: str | None = None,
        limit: int = 200,
        reach: dict | None = None,
    ) -> list[Evaluation]:
        query: dict = dict(reach or {})
        fields = {"product_id": product_id, "batch_id": batch_id, "dossier_id": dossier_id}
        query.update({field: value for field, value in fields.items() if value is not None})
        if member_id is not None:
            query["member_ids"] = member_id
        if status is not None:
            # rounds stored before the assessment replaced the pre-check read as awaiting it
            query["status"] = (
                {"$in": [status, "awaiting_precheck"]}
                if status == "awaiting_assessment"
                else status
            )
        documents = self.db.evaluations.find(query).sort("opened_on", -1).limit(limit)
        return [from_document(Evaluation, document) for document in documents]

    def returned_rounds(self, dossier_id: str) -> int:
        """How many rounds of a dossier ended with it returned to the producer."""
        return sum(
            each.outcome is not None and each.outcome.kind == "returned"
            for each in self.evaluations(dossier_id=dossier_id, status="closed", limit=1000)
        )

    def update(self, evaluation_id: str, decide: Decide) -> Evaluation:
        return self.update_entity(self.db.evaluations, evaluation_id, Evaluation, decide)

    def add_council(self, council: Council) -> None:
        insert(self.db.councils, to_document(council))

    def council(self, council_id: str) -> Council:
        document = self.db.councils.find_one({"_id": council_id})
        if document is None:
            raise NotFound("council", council_id)
        return from_document(Council, document)

    def councils(self) -> list[Council]:
        return [
            from_document(Council, document) for document in self.db.councils.find().sort("_id", 1)
        ]

    def council_for(self, level: CouncilLevel, province_code: str | None) -> Council | None:
        """The council registered for a level (and province); the latest if several."""
        query: dict = {"level": level}
        if level == "province":
            query["province_code"] = province_code
        documents = list(self.db.councils.find(query).sort("registered_at", -1).limit(1))
        return from_document(Council, documents[0]) if documents else None

    def add_imported_result(
        self, result: ImportedResult, events: Sequence[Event], key: RequestKey | None
    ) -> ImportedResult:
        """The stored result (with a repeated `Idempotency-Key`, the first one sent)."""
        stored = self.create(self.db.imported_results, to_document(result), events, key)
        if stored is None:
            raise Conflict(f"result {result.id} exists already")
        return from_document(ImportedResult, stored)
