"""The phone scoring page: a council member's open rounds and the score sheet form.

Server-rendered (Jinja2), Vietnamese, one column for a 360 px screen; a few lines of plain
JavaScript keep the running totals. A member is named by `?member=` until sign-in exists.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from werkzeug.wrappers import Request, Response

from services.scoring import scoresheets
from services.scoring.criteria import find_sheet
from services.scoring.evaluation import Evaluation
from shared.errors import InvalidInput
from shared.web.pages import html, page, redirect


def member_of(request: Request, evaluation: Evaluation | None = None) -> str:
    member = (request.args.get("member") or "").strip()
    if not member:
        raise InvalidInput.field("member", "open this page from your own link (?member=...)")
    if evaluation is not None and member not in evaluation.member_ids:
        raise InvalidInput.field("member", f"{member} does not score in this council")
    return member


class ScoringPages:
    store: Any
    clock: Any
    criteria_sets: Any
    templates: Any

    @page("GET", "/score")
    def my_rounds(self, request: Request) -> Response:
        member = member_of(request)
        rounds = self.store.evaluations(member_id=member)
        body = self.templates.get_template("rounds.html").render(member=member, rounds=rounds)
        return html(body)

    @page("GET", "/score/<evaluation_id>")
    def score_form(self, request: Request, evaluation_id: str) -> Response:
        evaluation = self.store.evaluation(evaluation_id)
        member = member_of(request, evaluation)
        own = evaluation.sheet_of(member)
        chosen = own.current.answer_map() if own else {}
        return self._form(evaluation, member, chosen, {}, saved=request.args.get("saved") == "1")

    @page("POST", "/score/<evaluation_id>")
    def submit_form(self, request: Request, evaluation_id: str) -> Response:
        evaluation = self.store.evaluation(evaluation_id)
        member = member_of(request, evaluation)
        sheet = find_sheet(self.criteria_sets, evaluation.sheet_id)
        answers = {code: request.form[code] for code in sheet.criteria() if request.form.get(code)}
        try:
            self.store.update(
                evaluation_id,
                lambda current: scoresheets.submit_scoresheet(
                    current, sheet, member, answers, self.clock.now()
                ),
            )
        except InvalidInput as problem:
            return self._form(evaluation, member, answers, problem.fields, status=422)
        return redirect(f"/score/{quote(evaluation_id)}?member={quote(member)}&saved=1")

    def _form(
        self,
        evaluation: Evaluation,
        member: str,
        chosen: dict[str, str],
        errors: dict[str, str],
        saved: bool = False,
        status: int = 200,
    ) -> Response:
        sheet = find_sheet(self.criteria_sets, evaluation.sheet_id)
        body = self.templates.get_template("sheet.html").render(
            evaluation=evaluation,
            sheet=sheet,
            member=member,
            chosen=chosen,
            errors=errors,
            saved=saved,
            own=evaluation.sheet_of(member),
        )
        return html(body, status)
