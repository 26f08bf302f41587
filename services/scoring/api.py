"""The scoring service's JSON entrypoints (mixed into `ScoringService`)."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request

from services.scoring import closing, scoresheets
from services.scoring.councils import Council, check_council
from services.scoring.criteria import find_set, find_sheet, set_named
from services.scoring.schemas import (
    AuditOut,
    CloseIn,
    CouncilIn,
    CouncilOut,
    CriteriaSetOut,
    EvaluationOut,
    EvaluationQuery,
    OutcomeOut,
    PrecheckIn,
    ScoresheetIn,
    ScoresheetOut,
    SheetOut,
    SheetQuery,
)
from shared.errors import NotFound
from shared.events import rfc3339
from shared.ids import new_id
from shared.web import api, health_response, parse_body, parse_query


class ScoringApi:
    store: Any
    clock: Any
    criteria_sets: Any

    @api("GET", "/api/v1/criteria")
    def list_criteria_sets(self, request: Request) -> list[dict]:
        return [
            {
                "code": each.code,
                "decision": each.decision,
                "status": each.status,
                "applies_from": str(each.applies_from),
            }
            for each in self.criteria_sets
        ]

    @api("GET", "/api/v1/criteria/<criteria_set>")
    def get_criteria_set(self, request: Request, criteria_set: str) -> CriteriaSetOut:
        found = find_set(self.criteria_sets, criteria_set)
        if found is None:
            raise NotFound("criteria set", criteria_set)
        return CriteriaSetOut.of(found)

    @api("POST", "/api/v1/councils")
    def register_council(self, request: Request) -> tuple[int, CouncilOut]:
        body = parse_body(request, CouncilIn)
        council = Council(id=new_id(), registered_at=rfc3339(self.clock.now()), **body.model_dump())
        check_council(council)
        self.store.add_council(council)
        return 201, CouncilOut.model_validate(council.model_dump())

    @api("GET", "/api/v1/councils")
    def list_councils(self, request: Request) -> list[CouncilOut]:
        return [CouncilOut.model_validate(each.model_dump()) for each in self.store.councils()]

    @api("GET", "/api/v1/councils/<council_id>")
    def get_council(self, request: Request, council_id: str) -> CouncilOut:
        return CouncilOut.model_validate(self.store.council(council_id).model_dump())

    @api("GET", "/api/v1/evaluations")
    def list_evaluations(self, request: Request) -> list[EvaluationOut]:
        query = parse_query(request, EvaluationQuery)
        return [EvaluationOut.of(each) for each in self.store.evaluations(**query.model_dump())]

    @api("GET", "/api/v1/evaluations/<evaluation_id>")
    def get_evaluation(self, request: Request, evaluation_id: str) -> EvaluationOut:
        return EvaluationOut.of(self.store.evaluation(evaluation_id))

    @api("GET", "/api/v1/evaluations/<evaluation_id>/sheet")
    def get_sheet(self, request: Request, evaluation_id: str) -> SheetOut:
        evaluation = self.store.evaluation(evaluation_id)
        return SheetOut.of(
            find_sheet(self.criteria_sets, evaluation.sheet_id), evaluation.provisional_reasons
        )

    @api("POST", "/api/v1/evaluations/<evaluation_id>/precheck")
    def precheck(self, request: Request, evaluation_id: str) -> EvaluationOut:
        body = parse_body(request, PrecheckIn)
        evaluation = self.store.update(
            evaluation_id,
            lambda current: closing.record_precheck(
                current, **body.model_dump(), now=self.clock.now()
            ),
        )
        return EvaluationOut.of(evaluation)

    @api("POST", "/api/v1/evaluations/<evaluation_id>/scoresheets")
    def submit_scoresheet(self, request: Request, evaluation_id: str) -> tuple[int, ScoresheetOut]:
        body = parse_body(request, ScoresheetIn)
        sheet = find_sheet(self.criteria_sets, self.store.evaluation(evaluation_id).sheet_id)
        evaluation = self.store.update(
            evaluation_id,
            lambda current: scoresheets.submit_scoresheet(
                current, sheet, body.member_id, body.answers, self.clock.now()
            ),
        )
        return 201, ScoresheetOut.of(evaluation.id, evaluation.sheet_of(body.member_id))

    @api("GET", "/api/v1/evaluations/<evaluation_id>/scoresheets")
    def list_scoresheets(self, request: Request, evaluation_id: str) -> list[ScoresheetOut]:
        query = parse_query(request, SheetQuery)
        evaluation = self.store.evaluation(evaluation_id)
        visible = scoresheets.sheets_visible_to(evaluation, query.member_id)
        return [ScoresheetOut.of(evaluation.id, sheet) for sheet in visible]

    @api("POST", "/api/v1/evaluations/<evaluation_id>/close")
    def close_evaluation(self, request: Request, evaluation_id: str) -> OutcomeOut:
        body = parse_body(request, CloseIn) if request.get_data() else CloseIn()
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

    @api("GET", "/api/v1/evaluations/<evaluation_id>/audit")
    def audit(self, request: Request, evaluation_id: str) -> AuditOut:
        evaluation = self.store.evaluation(evaluation_id)
        return AuditOut(evaluation_id=evaluation.id, entries=list(evaluation.audit))

    @api("GET", "/health")
    def health(self, request: Request) -> tuple[int, dict]:
        return health_response(self.store.probe)
