"""Sign-in sessions: what the browser's `ocop_session` cookie stands for.

The cookie holds a random id (256 bits); the collection `sessions` of the access database
holds only its SHA-256, with what it stands for: the verified caller, never the
credential. For an API key, the key's id (the key is looked up again on every request, so
a revocation holds at once); for a token, its claims (the token's signature was checked
when the session opened). A session ends at the sooner of 12 hours and the token's own
expiry, after `SESSION_IDLE_MINUTES` without use, or at sign-out. `Sessions.caller` is
the one place a session becomes a Caller (issue 19 will add people's own accounts here).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pymongo.database import Database

from shared.access.api_keys import KeyRing
from shared.access.caller import Caller
from shared.access.tokens import Claims, caller_from_claims
from shared.errors import Unauthorized

COLLECTION = "sessions"
LONGEST_SECONDS = 12 * 3600  # a council's sitting: a stolen cookie is not good for long
DEFAULT_IDLE_MINUTES = 30
TOUCH_SECONDS = 60  # `seen_at` is rewritten at most this often: a page costs no write


@dataclass(frozen=True)
class Opened:
    """A new session: its id (for the cookie, shown this once) and its lifetime."""

    session_id: str
    seconds: int


def digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class Sessions:
    def __init__(
        self,
        database: Database,
        keys: KeyRing,
        idle_seconds: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.sessions = database[COLLECTION]
        self.keys, self.idle_seconds, self.clock = keys, idle_seconds, clock

    def open_for_key(self, key_id: str) -> Opened:
        return self._open({"via": "api_key", "key_id": key_id}, LONGEST_SECONDS)

    def open_for_token(self, claims: Claims) -> Opened:
        lifetime = min(LONGEST_SECONDS, int(claims.exp - self.clock()))
        if lifetime <= 0:
            raise Unauthorized("token expired")
        return self._open({"via": "token", "claims": claims.model_dump()}, lifetime)

    def caller(self, session_id: str) -> Caller:
        """Who the session stands for, now; 401 when it has ended or never was."""
        now = self.clock()
        found = self.sessions.find_one({"_id": digest(session_id)})
        if found is None or not self._alive(found, now):
            raise Unauthorized("signed out or session ended: sign in again")
        if now - found["seen_at"] >= min(TOUCH_SECONDS, self.idle_seconds / 4):
            self.sessions.update_one({"_id": found["_id"]}, {"$set": {"seen_at": now}})
        if found["via"] == "api_key":
            return self.keys.caller_by_id(found["key_id"])
        return caller_from_claims(Claims.model_validate(found["claims"]))

    def close(self, session_id: str) -> None:
        self.sessions.delete_one({"_id": digest(session_id)})

    def _open(self, stands_for: dict[str, Any], lifetime: int) -> Opened:
        now = self.clock()
        self.forget_ended(now)
        session_id = secrets.token_urlsafe(32)  # 256 random bits
        self.sessions.insert_one(
            {
                "_id": digest(session_id),
                **stands_for,
                "opened_at": now,
                "seen_at": now,
                "expires_at": now + lifetime,
            }
        )
        return Opened(session_id, lifetime)

    def _alive(self, found: dict[str, Any], now: float) -> bool:
        return now < found["expires_at"] and now - found["seen_at"] < self.idle_seconds

    def forget_ended(self, now: float) -> None:
        """Sessions past their end (run at each sign-in: no timer needed)."""
        idle_since = now - self.idle_seconds
        self.sessions.delete_many(
            {"$or": [{"expires_at": {"$lte": now}}, {"seen_at": {"$lte": idle_since}}]}
        )
