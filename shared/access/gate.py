"""The gate every HTTP entrypoint passes: who is calling (`Authorization: Bearer` with a
signed token or an API key; the scoring pages also take the session their sign-in cookie
names), whether the entrypoint's declared access admits them, and the audit line of every
write. It also opens and closes the sign-in sessions (`sessions.py`)."""

from __future__ import annotations

from typing import Any

from nameko.extensions import DependencyProvider, SharedExtension
from werkzeug.wrappers import Request, Response

from shared.access.api_keys import DEFAULT_DB, PREFIX, KeyRing
from shared.access.audit import AuditTrail
from shared.access.caller import ANONYMOUS, Caller
from shared.access.credentials import UNVERIFIED_ENVIRON, Presented, presented
from shared.access.roles import Access
from shared.access.sessions import DEFAULT_IDLE_MINUTES, Opened, Sessions
from shared.access.tokens import TokenVerifier
from shared.errors import Forbidden, Unauthorized
from shared.storage import DEFAULT_MONGO_URI, mongo_client

READING = frozenset({"GET", "HEAD", "OPTIONS"})
CALLER_ENVIRON = "ocop.caller"


class Gate(SharedExtension):
    def setup(self) -> None:
        config = self.container.config
        self.tokens = TokenVerifier.from_config(config)
        self.client = mongo_client(config.get("MONGO_URI") or DEFAULT_MONGO_URI)
        access_db = self.client[config.get("ACCESS_DB") or DEFAULT_DB]
        self.keys = KeyRing(access_db)
        idle_minutes = float(config.get("SESSION_IDLE_MINUTES") or DEFAULT_IDLE_MINUTES)
        self.sessions = Sessions(access_db, self.keys, idle_minutes * 60)
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
        """The caller, narrowed to the roles `access` lets it use; 401 or 403 otherwise."""
        if access.public:
            return ANONYMOUS
        credential = presented(request, cookie=cookie, form_field=form_field)
        try:
            caller = self.authenticate(credential)
        except Unauthorized:
            request.environ[UNVERIFIED_ENVIRON] = credential.claims()
            raise
        request.environ[CALLER_ENVIRON] = caller  # the audit names refused callers too
        reading = request.method in READING
        acting = caller.acting_under(access, reading)
        if acting is None:
            raise Forbidden(f"this needs one of: {access.describe(reading)}")
        request.environ[CALLER_ENVIRON] = acting
        return acting

    def authenticate(self, credential: Presented) -> Caller:
        if credential.session:
            return self.sessions.caller(credential.value)
        if credential.value.startswith(PREFIX):
            return self.keys.caller(credential.value)
        return self.tokens.caller(credential.value)

    def open_session(self, credential: str) -> Opened:
        """A session for a credential (checked again here: what is stored comes from the
        check, never from the credential as sent)."""
        if credential.startswith(PREFIX):
            key_id = self.keys.caller(credential).key_id
            assert key_id is not None  # a key's caller always names it
            return self.sessions.open_for_key(key_id)
        return self.sessions.open_for_token(self.tokens.verified(credential))

    def close_session(self, session_id: str) -> None:
        if session_id:
            self.sessions.close(session_id)

    def audit(self, request: Request, route: str, answer: Response) -> None:
        if request.method not in READING:
            caller = request.environ.get(CALLER_ENVIRON)
            claimed = request.environ.get(UNVERIFIED_ENVIRON)
            self.trail.record(request, route, caller, answer, claimed)


class SignIns(DependencyProvider):
    """`sign_ins = SignIns()`: the sign-in pages' way to open and close sessions (the
    gate's own, shared with every entrypoint of the service)."""

    gate = Gate()

    def get_dependency(self, worker_ctx: Any) -> Gate:
        return self.gate
