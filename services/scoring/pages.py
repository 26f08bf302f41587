"""The phone scoring page: a council member's open rounds and the score sheet form.

Server-rendered (Jinja2), Vietnamese, one column for a 360 px screen; a few lines of plain
JavaScript keep the running totals. A member signs in once (`/sign-in`: the token their
province's sign-in service gave them); the browser then holds only a random session id, in
an HttpOnly, SameSite=Strict cookie (shared/access/sessions.py), until `/sign-out`. The
member is the token's `member_id` (`?member=` names one only for a credential that holds
every member).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from werkzeug.wrappers import Request, Response

from services.scoring import scoresheets, sheet_choice
from services.scoring.criteria import coverage
from services.scoring.evaluation import Evaluation
from shared.access.caller import Caller
from shared.access.credentials import SESSION_COOKIE
from shared.access.gate import Gate, SignIns
from shared.access.roles import ANY, COUNCIL_MEMBER, PUBLIC, allow
from shared.errors import Forbidden, InvalidInput
from shared.web.pages import html, page, redirect

SIGN_IN_FORM = """<!doctype html><html lang="vi"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Đăng nhập</title>
<body style="font-family:sans-serif;padding:1rem"><h1>Đăng nhập chấm điểm</h1>
<form method="post" action="/sign-in"><label>Mã đăng nhập (token)<br>
<textarea name="credential" rows="6" style="width:100%" required></textarea></label>
<p><button type="submit">Đăng nhập</button></p></form></body></html>"""


def member_of(request: Request, caller: Caller, evaluation: Evaluation | None = None) -> str:
    asked = (request.args.get("member") or "").strip()
    member = asked if caller.member_id == ANY else caller.member_id or ""
    if caller.member_id == ANY and not asked:
        raise InvalidInput.field("member", "this credential holds every member: add ?member=")
    if not member:  # an auditor reads every record through the API, not as a member here
        raise Forbidden("these pages are for council members, signed in with their own token")
    if asked and asked != member:
        raise Forbidden("a member sees only their own rounds", {"member": "not you"})
    if evaluation is not None and member not in evaluation.member_ids:
        raise Forbidden(f"{member} does not sit on this council", {"member": "not on it"})
    return member


MEMBERS = allow(COUNCIL_MEMBER)


def cookie_settings(request: Request) -> dict[str, Any]:
    """Strict: no other site's link or form carries the session (a member following a link
    from elsewhere signs in again, a small price for a sheet whose totals are secret until
    the round closes). Secure over HTTPS; behind a TLS-terminating proxy the request
    itself is plain HTTP, so its `X-Forwarded-Proto` says so."""
    secure = request.is_secure or request.headers.get("X-Forwarded-Proto") == "https"
    return {"httponly": True, "samesite": "Strict", "secure": secure, "path": "/"}


class ScoringPages:
    sign_ins: Gate = SignIns()
    store: Any
    clock: Any
    criteria_sets: Any
    templates: Any

    @page("GET", "/sign-in", access=PUBLIC)
    def sign_in_form(self, request: Request) -> Response:
        return html(SIGN_IN_FORM)

    @page("POST", "/sign-in", access=MEMBERS, credential_field="credential")
    def sign_in(self, request: Request) -> Response:
        """Opens a session for a council member's credential (checked by the gate like a
        header); the cookie holds the session's random id, never the credential."""
        opened = self.sign_ins.open_session(request.form["credential"].strip())
        answer = redirect("/score")
        answer.set_cookie(
            SESSION_COOKIE, opened.session_id, max_age=opened.seconds, **cookie_settings(request)
        )
        return answer

    @page("POST", "/sign-out", access=MEMBERS)
    def sign_out(self, request: Request) -> Response:
        """Ends the session the cookie names (on every instance: it is deleted) and clears
        the cookie."""
        self.sign_ins.close_session(request.cookies.get(SESSION_COOKIE, ""))
        answer = redirect("/sign-in")
        answer.delete_cookie(SESSION_COOKIE, **cookie_settings(request))
        return answer

    @page("GET", "/criteria", access=PUBLIC)
    def criteria_coverage(self, request: Request) -> Response:
        """Every product set's sheet and whether it is used, so a province sees coverage."""
        body = self.templates.get_template("criteria.html").render(
            sets=self.criteria_sets, coverage=coverage
        )
        return html(body)

    @page("GET", "/score", access=MEMBERS)
    def my_rounds(self, request: Request, caller: Caller) -> Response:
        member = member_of(request, caller)
        rounds = self.store.evaluations(member_id=member)
        body = self.templates.get_template("rounds.html").render(member=member, rounds=rounds)
        return html(body)

    @page("GET", "/score/<evaluation_id>", access=MEMBERS)
    def score_form(self, request: Request, evaluation_id: str, caller: Caller) -> Response:
        evaluation = self.store.evaluation(evaluation_id)
        member = member_of(request, caller, evaluation)
        if evaluation.sheet_id is None:
            template = self.templates.get_template("waiting.html")
            return html(template.render(evaluation=evaluation), 409)
        own = evaluation.sheet_of(member)
        chosen = own.current.answer_map() if own else {}
        return self._form(evaluation, member, chosen, {}, saved=request.args.get("saved") == "1")

    @page("POST", "/score/<evaluation_id>", access=MEMBERS)
    def submit_form(self, request: Request, evaluation_id: str, caller: Caller) -> Response:
        evaluation = self.store.evaluation(evaluation_id)
        member = member_of(request, caller, evaluation)
        sheet = sheet_choice.round_sheet(self.criteria_sets, evaluation)
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
        sheet = sheet_choice.round_sheet(self.criteria_sets, evaluation)
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
