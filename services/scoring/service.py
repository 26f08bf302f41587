"""Scoring service: opens an evaluation per submitted dossier; councils score over HTTP."""

from __future__ import annotations

from werkzeug.wrappers import Request

from services.scoring import domain
from services.scoring.councils import council_from_config
from services.scoring.criteria import criteria_from_config, find_set, find_sheet
from services.scoring.schemas import (
    CriteriaSetOut,
    EvaluationOut,
    EvaluationQuery,
    PartScoreOut,
    RankingOut,
    ScoresheetIn,
    ScoresheetOut,
    SheetOut,
)
from services.scoring.storage import ScoringStore
from shared.clock import clock_from_config
from shared.errors import NotFound
from shared.events import DossierSubmitted, Received
from shared.ids import new_id
from shared.messaging.handlers import on_event
from shared.providers import Loaded
from shared.storage import Storage
from shared.web import api, health_response, parse_body, parse_query


class ScoringService:
    name = "scoring"

    store: ScoringStore = Storage(ScoringStore)
    clock = Loaded(clock_from_config)
    criteria_sets = Loaded(criteria_from_config)
    council = Loaded(council_from_config)

    @on_event(DossierSubmitted)
    def open_evaluation(self, event: Received[DossierSubmitted]) -> None:
        evaluation, events = domain.open_evaluation(
            new_id(), event.data, self.criteria_sets, self.council, self.clock.today()
        )
        self.store.open_evaluation(evaluation, events)

    @api("GET", "/api/v1/criteria/<criteria_set>")
    def get_criteria_set(self, request: Request, criteria_set: str) -> CriteriaSetOut:
        found = find_set(self.criteria_sets, criteria_set)
        if found is None:
            raise NotFound("criteria set", criteria_set)
        return CriteriaSetOut.of(found)

    @api("GET", "/api/v1/evaluations")
    def list_evaluations(self, request: Request) -> list[EvaluationOut]:
        query = parse_query(request, EvaluationQuery)
        return [EvaluationOut.of(each) for each in self.store.evaluations(query.product_id)]

    @api("GET", "/api/v1/evaluations/<evaluation_id>")
    def get_evaluation(self, request: Request, evaluation_id: str) -> EvaluationOut:
        return EvaluationOut.of(self.store.evaluation(evaluation_id))

    @api("GET", "/api/v1/evaluations/<evaluation_id>/sheet")
    def get_sheet(self, request: Request, evaluation_id: str) -> SheetOut:
        evaluation = self.store.evaluation(evaluation_id)
        sheet = find_sheet(self.criteria_sets, evaluation.sheet_id)
        return SheetOut.of(sheet, evaluation.provisional_reasons)

    @api("POST", "/api/v1/evaluations/<evaluation_id>/scoresheets")
    def submit_scoresheet(self, request: Request, evaluation_id: str) -> tuple[int, ScoresheetOut]:
        body = parse_body(request, ScoresheetIn)
        sheet = find_sheet(self.criteria_sets, self.store.evaluation(evaluation_id).sheet_id)
        evaluation = self.store.update(
            evaluation_id,
            lambda current: domain.submit_scoresheet(current, sheet, body.member_id, body.answers),
        )
        member_sheet = evaluation.sheet_of(body.member_id)
        assert member_sheet is not None
        parts = domain.part_points(sheet, member_sheet.answer_map())
        return 201, ScoresheetOut(
            evaluation_id=evaluation.id,
            member_id=body.member_id,
            revision=member_sheet.revision,
            total=float(sum(parts.values())),
            parts=[PartScoreOut(code=code, points=float(points)) for code, points in parts.items()],
        )

    @api("POST", "/api/v1/evaluations/<evaluation_id>/close")
    def close_evaluation(self, request: Request, evaluation_id: str) -> RankingOut:
        current = self.store.evaluation(evaluation_id)
        sheet = find_sheet(self.criteria_sets, current.sheet_id)
        criteria_set = find_set(self.criteria_sets, current.criteria_set)
        assert criteria_set is not None
        evaluation = self.store.update(
            evaluation_id,
            lambda each: domain.close_evaluation(each, sheet, criteria_set, self.clock.today()),
        )
        assert evaluation.ranking is not None
        return RankingOut(evaluation_id=evaluation.id, **evaluation.ranking.model_dump())

    @api("GET", "/health")
    def health(self, request: Request) -> tuple[int, dict]:
        return health_response(self.store.probe)
