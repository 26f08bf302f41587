"""The gate every HTTP entrypoint passes: who is calling (`Authorization: Bearer` with a
signed token or an API key; the scoring pages also take the same credential from their
sign-in cookie), whether the entrypoint's declared access admits them, and the audit line
of every write."""

from __future__ import annotations

import jwt
from nameko.extensions import SharedExtension
from werkzeug.wrappers import Request, Response

from shared.access.api_keys import DEFAULT_DB, PREFIX, KeyRing
from shared.access.audit import AuditTrail
from shared.access.caller import ANONYMOUS, Caller
from shared.access.roles import Access
from shared.access.tokens import TokenVerifier
from shared.errors import Forbidden, Unauthorized
from shared.storage import DEFAULT_MONGO_URI, mongo_client

READING = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_COOKIE = "ocop_session"
CALLER_ENVIRON = "ocop.caller"
UNVERIFIED_ENVIRON = "ocop.unverified"


class Gate(SharedExtension):
    def setup(self) -> None:
        config = self.container.config
        self.tokens = TokenVerifier.from_config(config)
        self.client = mongo_client(config.get("MONGO_URI") or DEFAULT_MONGO_URI)
        self.keys = KeyRing(self.client[config.get("ACCESS_DB") or DEFAULT_DB])
        self.trail = AuditTrail(self.client[config["MONGO_DB"]])

    def stop(self) -> None:
        self.client.close()

    def admit(
        self,
        request: Request,
        access: Access,
        *,
        cookie: bool = False,
        form_field: str | None = None,
    ) -> Caller:
        """The caller, narrowed to the roles `access` lets it use; 401 or 403 otherwise.
        Only pages take the sign-in cookie: the JSON API is not reachable by a cross-site form."""
        if access.public:
            return ANONYMOUS
        submitted = request.form.get(form_field, "").strip() if form_field else ""
        credential = submitted or credential_of(request, cookie)
        try:
            caller = self.authenticate(credential)
        except Unauthorized:
            request.environ[UNVERIFIED_ENVIRON] = unverified(credential)
            raise
        request.environ[CALLER_ENVIRON] = caller  # the audit names refused callers too
        reading = request.method in READING
        acting = caller.acting_under(access, reading)
        if acting is None:
            raise Forbidden(f"this needs one of: {access.describe(reading)}")
        request.environ[CALLER_ENVIRON] = acting
        return acting

    def authenticate(self, credential: str) -> Caller:
        if credential.startswith(PREFIX):
            return self.keys.caller(credential)
        return self.tokens.caller(credential)

    def audit(self, request: Request, route: str, answer: Response) -> None:
        if request.method not in READING:
            caller = request.environ.get(CALLER_ENVIRON)
            claimed = request.environ.get(UNVERIFIED_ENVIRON)
            self.trail.record(request, route, caller, answer, claimed)


def credential_of(request: Request, cookie: bool) -> str:
    header = request.headers.get("Authorization", "")
    if not header:
        if cookie and request.cookies.get(SESSION_COOKIE):
            return request.cookies[SESSION_COOKIE]
        raise Unauthorized("credentials needed: Authorization: Bearer <token or API key>")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise Unauthorized("use Authorization: Bearer <token or API key>")
    return credential.strip()


def unverified(credential: str) -> dict[str, str]:
    """Who a refused credential claims to be, for the audit trail only (never trusted)."""
    if credential.startswith(PREFIX):
        return {"key_id": credential[len(PREFIX) :].split("_", 1)[0][:40]}
    try:
        claims = jwt.decode(credential, options={"verify_signature": False})
    except jwt.PyJWTError:
        return {}
    return {"subject": str(claims.get("sub", ""))[:200]} if isinstance(claims, dict) else {}
