"""The scoring service's JSON entrypoints (mixed into `ScoringService`)."""

from __future__ import annotations

import uuid
from typing import Any

from werkzeug.wrappers import Request

from services.scoring import closing, imports, scoresheets
from services.scoring.councils import Council, check_council
from services.scoring.criteria import find_set, find_sheet, set_named
from services.scoring.schemas import (
    AuditOut,
    CloseIn,
    CouncilIn,
    CouncilOut,
    EvaluationOut,
    EvaluationQuery,
    ImportedResultIn,
    ImportedResultOut,
    OutcomeOut,
    PrecheckIn,
    ScoresheetIn,
    ScoresheetOut,
    SheetQuery,
)
from services.scoring.sheet_schemas import CriteriaSetOut, CriteriaSetSummary, SheetOut
from shared.errors import NotFound
from shared.events import rfc3339
from shared.idempotency import NAMESPACE, request_key
from shared.ids import new_id
from shared.web import api

ROUND = "/api/v1/evaluations/<evaluation_id>"


class ScoringApi:
    store: Any
    clock: Any
    criteria_sets: Any
    level_ends: Any

    @api("GET", "/api/v1/criteria", response=list[CriteriaSetSummary])
    def list_criteria_sets(self, request: Request) -> list[CriteriaSetSummary]:
        """The criteria sets known, in force or draft."""
        return [CriteriaSetSummary.model_validate(each.model_dump()) for each in self.criteria_sets]

    @api("GET", "/api/v1/criteria/<criteria_set>", response=CriteriaSetOut)
    def get_criteria_set(self, request: Request, criteria_set: str) -> CriteriaSetOut:
        """A criteria set whole: groups, part maxima, star bands, sheets, known issues."""
        found = find_set(self.criteria_sets, criteria_set)
        if found is None:
            raise NotFound("criteria set", criteria_set)
        return CriteriaSetOut.of(found)

    @api("POST", "/api/v1/councils", body=CouncilIn, response=CouncilOut, status=201)
    def register_council(self, request: Request, body: CouncilIn) -> tuple[int, CouncilOut]:
        """Register a province or the central council, with its members and quorum."""
        council = Council(id=new_id(), registered_at=rfc3339(self.clock.now()), **body.model_dump())
        check_council(council)
        self.store.add_council(council)
        return 201, CouncilOut.model_validate(council.model_dump())

    @api("GET", "/api/v1/councils", response=list[CouncilOut])
    def list_councils(self, request: Request) -> list[CouncilOut]:
        """The registered councils."""
        return [CouncilOut.model_validate(each.model_dump()) for each in self.store.councils()]

    @api("GET", "/api/v1/councils/<council_id>", response=CouncilOut)
    def get_council(self, request: Request, council_id: str) -> CouncilOut:
        """A council by id."""
        return CouncilOut.model_validate(self.store.council(council_id).model_dump())

    @api("GET", "/api/v1/evaluations", query=EvaluationQuery, response=list[EvaluationOut])
    def list_evaluations(self, request: Request, query: EvaluationQuery) -> list[EvaluationOut]:
        """Evaluation rounds, by product, member or status."""
        return [EvaluationOut.of(each) for each in self.store.evaluations(**query.model_dump())]

    @api("GET", ROUND, response=EvaluationOut)
    def get_evaluation(self, request: Request, evaluation_id: str) -> EvaluationOut:
        """An evaluation round by id."""
        return EvaluationOut.of(self.store.evaluation(evaluation_id))

    @api("GET", f"{ROUND}/sheet", response=SheetOut)
    def get_sheet(self, request: Request, evaluation_id: str) -> SheetOut:
        """The score sheet the round uses, and why it is provisional."""
        evaluation = self.store.evaluation(evaluation_id)
        return SheetOut.of(
            find_sheet(self.criteria_sets, evaluation.sheet_id), evaluation.provisional_reasons
        )

    @api("POST", f"{ROUND}/precheck", body=PrecheckIn, response=EvaluationOut)
    def precheck(self, request: Request, evaluation_id: str, body: PrecheckIn) -> EvaluationOut:
        """The commune's pre-check of the dossier: local raw materials, local labour."""
        evaluation = self.store.update(
            evaluation_id,
            lambda current: closing.record_precheck(
                current, **body.model_dump(), now=self.clock.now()
            ),
        )
        return EvaluationOut.of(evaluation)

    @api("POST", f"{ROUND}/scoresheets", body=ScoresheetIn, response=ScoresheetOut, status=201)
    def submit_scoresheet(
        self, request: Request, evaluation_id: str, body: ScoresheetIn
    ) -> tuple[int, ScoresheetOut]:
        """A member's score sheet; submitting again before close records an amendment."""
        sheet = find_sheet(self.criteria_sets, self.store.evaluation(evaluation_id).sheet_id)
        evaluation = self.store.update(
            evaluation_id,
            lambda current: scoresheets.submit_scoresheet(
                current, sheet, body.member_id, body.answers, self.clock.now()
            ),
        )
        return 201, ScoresheetOut.of(evaluation.id, evaluation.sheet_of(body.member_id))

    @api("GET", f"{ROUND}/scoresheets", query=SheetQuery, response=list[ScoresheetOut])
    def list_scoresheets(
        self, request: Request, evaluation_id: str, query: SheetQuery
    ) -> list[ScoresheetOut]:
        """Score sheets: before close only the asking member's own, after close all."""
        evaluation = self.store.evaluation(evaluation_id)
        visible = scoresheets.sheets_visible_to(evaluation, query.member_id)
        return [ScoresheetOut.of(evaluation.id, sheet) for sheet in visible]

    @api("POST", f"{ROUND}/close", body=CloseIn, response=OutcomeOut)
    def close_evaluation(self, request: Request, evaluation_id: str, body: CloseIn) -> OutcomeOut:
        """Close the round once the quorum is met: ranked, not ranked or escalated."""
        current = self.store.evaluation(evaluation_id)
        sheet = find_sheet(self.criteria_sets, current.sheet_id)
        criteria_set = set_named(self.criteria_sets, current.criteria_set)
        evaluation = self.store.update(
            evaluation_id,
            lambda each: closing.close_evaluation(
                each, sheet, criteria_set, body.closed_by, self.clock.now()
            ),
        )
        return OutcomeOut(evaluation_id=evaluation.id, **evaluation.outcome.model_dump())

    @api("GET", f"{ROUND}/audit", response=AuditOut)
    def audit(self, request: Request, evaluation_id: str) -> AuditOut:
        """The round's append-only record: who did what, when."""
        evaluation = self.store.evaluation(evaluation_id)
        return AuditOut(evaluation_id=evaluation.id, entries=list(evaluation.audit))

    @api(
        "POST",
        "/api/v1/imports/results",
        body=ImportedResultIn,
        response=ImportedResultOut,
        status=201,
    )
    def import_result(
        self, request: Request, body: ImportedResultIn
    ) -> tuple[int, ImportedResultOut]:
        """Load a past result from a province's records (history: it certifies nothing). The
        record `code` identifies it: loading it again is a 409, or with the same
        `Idempotency-Key` the first answer."""
        fields = body.model_dump(exclude={"code"})
        record_id = str(uuid.uuid5(NAMESPACE, f"result {body.province_code} {body.code}"))
        result, events = imports.import_result(
            imports.ImportedResult(id=record_id, record_code=body.code, **fields),
            self.criteria_sets,
            self.level_ends,
            self.clock.today(),
        )
        stored = self.store.add_imported_result(result, events, request_key(request, body))
        return 201, ImportedResultOut.model_validate(stored.model_dump())
