"""The credential a request presents, before anything is verified: from a sign-in form's
field, from `Authorization: Bearer`, or (pages only) the session id in the sign-in cookie;
and who it claims to be, for the audit trail and the rate limits (never trusted)."""

from __future__ import annotations

from dataclasses import dataclass

import jwt
from werkzeug.wrappers import Request

from shared.access.api_keys import PREFIX
from shared.errors import Unauthorized

SESSION_COOKIE = "ocop_session"
UNVERIFIED_ENVIRON = "ocop.unverified"  # who a refused credential claimed: for the audit


@dataclass(frozen=True)
class Presented:
    """A credential as the request carries it: a token or an API key, or a session id."""

    value: str
    session: bool = False

    def claims(self) -> dict[str, str]:
        """Who it says it is: `{"key_id": ...}` or `{"subject": ...}`; `{}` for a session
        id or an unreadable token. Unverified: for the record and the limits only."""
        return {} if self.session else unverified(self.value)

    def identity(self) -> str | None:
        return identity_of(self.claims())


def presented(request: Request, *, cookie: bool, form_field: str | None) -> Presented:
    """The credential, or 401 if there is none. A sign-in form's field is the only place a
    sign-in takes it from; only pages take the cookie (a cross-site form cannot reach the
    JSON API with it)."""
    if form_field:
        submitted = request.form.get(form_field, "").strip()
        if not submitted:
            raise Unauthorized(f"credentials needed: the {form_field} field")
        return Presented(submitted)
    header = request.headers.get("Authorization", "")
    if not header:
        if cookie and request.cookies.get(SESSION_COOKIE):
            return Presented(request.cookies[SESSION_COOKIE], session=True)
        raise Unauthorized("credentials needed: Authorization: Bearer <token or API key>")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise Unauthorized("use Authorization: Bearer <token or API key>")
    return Presented(credential.strip())


def presented_if_any(request: Request, cookie: bool, form_field: str | None) -> Presented | None:
    """As `presented`, or None where the gate will answer 401 (none, or malformed)."""
    try:
        return presented(request, cookie=cookie, form_field=form_field)
    except Unauthorized:
        return None


def identity_of(claims: dict[str, str]) -> str | None:
    """A claimed identity as the rate limits name it: `key:<id>` or `sub:<subject>`."""
    if claims.get("key_id"):
        return f"key:{claims['key_id']}"
    return f"sub:{claims['subject']}" if claims.get("subject") else None


def unverified(credential: str) -> dict[str, str]:
    """Who a credential claims to be, read without checking it."""
    if credential.startswith(PREFIX):
        return {"key_id": credential[len(PREFIX) :].split("_", 1)[0][:40]}
    try:
        claims = jwt.decode(credential, options={"verify_signature": False})
    except jwt.PyJWTError:
        return {}
    return {"subject": str(claims.get("sub", ""))[:200]} if isinstance(claims, dict) else {}
