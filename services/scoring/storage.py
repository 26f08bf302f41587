"""Scoring's collection: evaluations, one per dossier (database `ocop_scoring`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pymongo.database import Database

from services.scoring.domain import Evaluation
from shared.documents import from_document, insert, to_document
from shared.errors import NotFound
from shared.events import Event
from shared.storage import Store

Decide = Callable[[Evaluation], tuple[Evaluation, Sequence[Event]]]


class ScoringStore(Store):
    outbox_collections = ("evaluations",)

    @classmethod
    def ensure_indexes(cls, database: Database) -> None:
        super().ensure_indexes(database)
        database.evaluations.create_index("dossier_id", unique=True)
        database.evaluations.create_index("product_id")

    def open_evaluation(self, evaluation: Evaluation, events: Sequence[Event]) -> bool:
        """False if the dossier already has an evaluation (a redelivered event)."""
        return insert(self.db.evaluations, to_document(evaluation), self.outbox.entries(events))

    def evaluation(self, evaluation_id: str) -> Evaluation:
        document = self.db.evaluations.find_one({"_id": evaluation_id})
        if document is None:
            raise NotFound("evaluation", evaluation_id)
        return from_document(Evaluation, document)

    def evaluations(self, product_id: str | None, limit: int = 200) -> list[Evaluation]:
        query = {} if product_id is None else {"product_id": product_id}
        documents = self.db.evaluations.find(query).sort("opened_on", -1).limit(limit)
        return [from_document(Evaluation, document) for document in documents]

    def update(self, evaluation_id: str, decide: Decide) -> Evaluation:
        return self.update_entity(self.db.evaluations, evaluation_id, Evaluation, decide)
