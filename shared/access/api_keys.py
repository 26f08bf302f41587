"""API keys of provincial systems and other integrators: `ocop_<key id>_<secret>`.

Only the key's SHA-256 is stored (database `ACCESS_DB`, default `ocop_access`, on
`MONGO_URI`), with its client, provinces, roles, scopes and, once revoked, when. Every
request looks the key up, so a revocation holds from the next request on every instance.
`ocop keys create|list|revoke` manages them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pymongo.database import Database

from shared.access.caller import Caller
from shared.errors import NotFound, Unauthorized

PREFIX = "ocop_"
COLLECTION = "api_keys"
DEFAULT_DB = "ocop_access"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class KeyRing:
    def __init__(self, database: Database) -> None:
        self.keys = database[COLLECTION]

    def create(
        self,
        client: str,
        *,
        roles: Iterable[str],
        provinces: Iterable[str],
        scopes: Iterable[str] = (),
        wards: Iterable[str] = (),
        producer_ids: Iterable[str] = (),
        member_id: str | None = None,
        note: str = "",
    ) -> tuple[str, str]:
        """A new key: (key id, the key itself, shown this once)."""
        key_id = secrets.token_hex(6)
        key = f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
        self.keys.insert_one(
            {
                "_id": key_id,
                "sha256": digest(key),
                "client": client,
                "roles": sorted(roles),
                "provinces": sorted(provinces),
                "scopes": sorted(scopes),
                "wards": sorted(wards),
                "producer_ids": sorted(producer_ids),
                "member_id": member_id,
                "note": note,
                "created_at": datetime.now(UTC).isoformat(),
                "revoked_at": None,
            }
        )
        return key_id, key

    def revoke(self, key_id: str) -> dict[str, Any]:
        found = self.keys.find_one({"_id": key_id})
        if found is None:
            raise NotFound("API key", key_id)
        if found["revoked_at"] is None:
            found["revoked_at"] = datetime.now(UTC).isoformat()
            self.keys.update_one({"_id": key_id}, {"$set": {"revoked_at": found["revoked_at"]}})
        return found

    def listed(self) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in each.items() if k != "sha256"}
            for each in self.keys.find({}, sort=[("created_at", 1)])
        ]

    def caller(self, key: str) -> Caller:
        key_id = key[len(PREFIX) :].split("_", 1)[0]
        found = self.keys.find_one({"_id": key_id})
        if found is None or not hmac.compare_digest(found["sha256"], digest(key)):
            raise Unauthorized("unknown API key")
        return self._caller(found)

    def caller_by_id(self, key_id: str) -> Caller:
        """The caller of a key already verified once (a session opened with it): looked up
        again, so a revocation holds from the next request here too."""
        found = self.keys.find_one({"_id": key_id})
        if found is None:
            raise Unauthorized("unknown API key")
        return self._caller(found)

    def _caller(self, found: dict[str, Any]) -> Caller:
        key_id = found["_id"]
        if found["revoked_at"] is not None:
            raise Unauthorized(f"API key {key_id} was revoked at {found['revoked_at']}")
        return Caller(
            subject=found["client"],
            name="",  # the client is the subject; the note is for operators
            via="api_key",
            key_id=key_id,
            roles=frozenset(found["roles"]),
            provinces=frozenset(found["provinces"]),
            wards=frozenset(found.get("wards", ())),
            producer_ids=frozenset(found.get("producer_ids", ())),
            member_id=found.get("member_id"),
            scopes=frozenset(found["scopes"]),
        )
