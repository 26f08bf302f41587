"""The scoring service's evaluation-round entrypoints (mixed into `ScoringService`): the
rounds, the commune's assessment and the province's opening, the members' score sheets,
closing, the round's record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from werkzeug.wrappers import Request

from services.scoring import assessment, closing, scoresheets, sheet_choice
from services.scoring.criteria import set_named
from services.scoring.evaluation import Evaluation
from services.scoring.schemas import (
    AssessmentIn,
    AuditOut,
    CloseIn,
    EvaluationOut,
    EvaluationQuery,
    OpeningIn,
    OutcomeOut,
    ScoresheetIn,
    ScoresheetOut,
    SheetQuery,
)
from services.scoring.sheet_schemas import SheetOut
from services.scoring.storage import Decide
from shared.access.caller import Caller
from shared.access.roles import (
    AUDITOR,
    COMMUNE_OFFICER,
    COUNCIL_MEMBER,
    OFFICERS,
    PRODUCER,
    PROVINCE_OFFICER,
    allow,
)
from shared.errors import Forbidden
from shared.events import Event
from shared.web import api

ROUND = "/api/v1/evaluations/<evaluation_id>"
ROUND_READ = allow(*OFFICERS, COUNCIL_MEMBER, COMMUNE_OFFICER, PRODUCER, scope="evaluations:read")


class RoundsApi:
    store: Any
    clock: Any
    criteria_sets: Any
    procedure: Any

    @api(
        "GET",
        "/api/v1/evaluations",
        access=ROUND_READ,
        query=EvaluationQuery,
        response=list[EvaluationOut],
    )
    def list_evaluations(
        self, request: Request, query: EvaluationQuery, caller: Caller
    ) -> list[EvaluationOut]:
        """Evaluation rounds the caller reaches, by product, member, status or batch."""
        reach = caller.narrowing(
            province="province_code", ward="ward_code", producer="producer_id", members="member_ids"
        )
        rounds = self.store.evaluations(**query.model_dump(), reach=reach)
        return [EvaluationOut.of(each) for each in caller.visible(rounds, lambda e: e.reach())]

    @api("GET", ROUND, access=ROUND_READ, response=EvaluationOut)
    def get_evaluation(self, request: Request, evaluation_id: str, caller: Caller) -> EvaluationOut:
        """An evaluation round by id."""
        return EvaluationOut.of(self._round(evaluation_id, caller))

    @api(
        "GET",
        f"{ROUND}/sheet",
        access=ROUND_READ,
        response=SheetOut,
    )
    def get_sheet(self, request: Request, evaluation_id: str, caller: Caller) -> SheetOut:
        """The score sheet the round uses, and why it is provisional."""
        evaluation = self._round(evaluation_id, caller)
        return SheetOut.of(
            sheet_choice.round_sheet(self.criteria_sets, evaluation), evaluation.provisional_reasons
        )

    @api(
        "POST",
        f"{ROUND}/assessment",
        access=allow(COMMUNE_OFFICER, scope="evaluations:assess"),
        body=AssessmentIn,
        response=EvaluationOut,
    )
    def assess(
        self, request: Request, evaluation_id: str, body: AssessmentIn, caller: Caller
    ) -> EvaluationOut:
        """The commune's assessment of the dossier (Decision 1489/QĐ-TTg): every item met or
        not, the report, and the verdict: `propose` it to the province, or `return` it to
        the producer with `reasons`. Only while the round waits for it."""
        evaluation = self._change(
            evaluation_id,
            caller,
            lambda current: assessment.record_assessment(
                current,
                items={code: (item.met, item.note) for code, item in body.items.items()},
                report=body.report,
                verdict=body.verdict,
                reasons=tuple(body.reasons),
                officer_id=caller.actor(body.officer_id),
                known=self.procedure.assessment_items,
                now=self.clock.now(),
            ),
        )
        return EvaluationOut.of(evaluation)

    @api(
        "POST",
        f"{ROUND}/opening",
        access=allow(PROVINCE_OFFICER, scope="evaluations:open"),
        body=OpeningIn,
        response=EvaluationOut,
    )
    def decide_opening(
        self, request: Request, evaluation_id: str, body: OpeningIn, caller: Caller
    ) -> EvaluationOut:
        """The province's decision on a dossier the commune proposed: `open` the round for
        its council to score, or return the dossier with `reasons`."""
        evaluation = self._change(
            evaluation_id,
            caller,
            lambda current: assessment.decide_opening(
                current,
                open_round=body.open,
                reasons=tuple(body.reasons),
                officer_id=caller.actor(body.officer_id),
                now=self.clock.now(),
            ),
        )
        return EvaluationOut.of(evaluation)

    @api(
        "POST",
        f"{ROUND}/scoresheets",
        access=allow(COUNCIL_MEMBER),
        body=ScoresheetIn,
        response=ScoresheetOut,
        status=201,
    )
    def submit_scoresheet(
        self, request: Request, evaluation_id: str, body: ScoresheetIn, caller: Caller
    ) -> tuple[int, ScoresheetOut]:
        """A member's score sheet; submitting again before close records an amendment."""
        if not caller.is_member(body.member_id):
            raise Forbidden("a member submits only their own sheet", {"member_id": "not you"})
        evaluation = self._change(
            evaluation_id,
            caller,
            lambda current: scoresheets.submit_scoresheet(
                current,
                sheet_choice.round_sheet(self.criteria_sets, current),
                body.member_id,
                body.answers,
                self.clock.now(),
            ),
        )
        own = evaluation.sheet_of(body.member_id)
        assert own is not None  # submitted just now
        return 201, ScoresheetOut.of(evaluation.id, own)

    @api(
        "GET",
        f"{ROUND}/scoresheets",
        access=allow(*OFFICERS, COUNCIL_MEMBER),
        query=SheetQuery,
        response=list[ScoresheetOut],
    )
    def list_scoresheets(
        self, request: Request, evaluation_id: str, query: SheetQuery, caller: Caller
    ) -> list[ScoresheetOut]:
        """Score sheets: before close only the asking member's own, after close all."""
        evaluation = self._round(evaluation_id, caller)
        own = query.member_id is not None and caller.is_member(query.member_id)
        if evaluation.status != "closed" and not (own or AUDITOR in caller.roles):
            raise Forbidden(
                "before close a member sees only their own sheet", {"member_id": "not you"}
            )
        visible = scoresheets.sheets_visible_to(evaluation, query.member_id)
        return [ScoresheetOut.of(evaluation.id, sheet) for sheet in visible]

    @api(
        "POST",
        f"{ROUND}/close",
        access=allow(*OFFICERS, scope="evaluations:close"),
        body=CloseIn,
        response=OutcomeOut,
    )
    def close_evaluation(
        self, request: Request, evaluation_id: str, body: CloseIn, caller: Caller
    ) -> OutcomeOut:
        """Close the round once the quorum is met: ranked, not ranked or escalated."""
        evaluation = self._change(
            evaluation_id,
            caller,
            lambda current: closing.close_evaluation(
                current,
                sheet_choice.round_sheet(self.criteria_sets, current),
                set_named(self.criteria_sets, current.criteria_set),
                caller.actor(body.closed_by),
                self.clock.now(),
                tuple(body.disqualified),
                procedure=self.procedure,
            ),
        )
        assert evaluation.outcome is not None  # closed just now
        return OutcomeOut(evaluation_id=evaluation.id, **evaluation.outcome.model_dump())

    @api("GET", f"{ROUND}/audit", access=allow(*OFFICERS, COUNCIL_MEMBER), response=AuditOut)
    def audit(self, request: Request, evaluation_id: str, caller: Caller) -> AuditOut:
        """The round's append-only record: who did what, when (after close: before, its
        entries would show each member's running total to the others)."""
        evaluation = self._round(evaluation_id, caller)
        if evaluation.status != "closed" and AUDITOR not in caller.roles:
            raise Forbidden("the round's record opens when the round closes")
        return AuditOut(evaluation_id=evaluation.id, entries=list(evaluation.audit))

    def _round(self, evaluation_id: str, caller: Caller) -> Evaluation:
        evaluation = self.store.evaluation(evaluation_id)
        caller.require(evaluation.reach(), "this evaluation round")
        return evaluation

    def _change(
        self,
        evaluation_id: str,
        caller: Caller,
        decide: Decide,
    ) -> Evaluation:
        """`decide` on the stored round, once the caller is seen to reach it: one read of
        the round, in the update itself."""

        def checked(current: Evaluation) -> tuple[Evaluation, Sequence[Event]]:
            caller.require(current.reach(), "this evaluation round")
            return decide(current)

        return self.store.update(evaluation_id, checked)
