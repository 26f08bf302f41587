"""The audit trail of writes: every request that may change state, with who made it (or
tried to), what it asked and how it was answered, in the service's own database."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from pymongo import DESCENDING
from pymongo.database import Database
from pymongo.errors import PyMongoError
from werkzeug.wrappers import Request, Response

from shared.access.caller import Caller
from shared.events.envelope import rfc3339
from shared.idempotency import HEADER

COLLECTION = "audit_trail"
log = logging.getLogger(__name__)


class AuditTrail:
    def __init__(self, database: Database) -> None:
        self.entries = database[COLLECTION]

    def record(
        self,
        request: Request,
        route: str,
        caller: Caller | None,
        answer: Response,
        claimed: dict[str, str] | None = None,
    ) -> None:
        entry = {
            "at": rfc3339(datetime.now(UTC)),
            "method": request.method,
            "route": route,
            "path": request.path,
            "query": request.query_string.decode("latin-1")[:2000],
            "idempotency_key": request.headers.get(HEADER),
            "status": answer.status_code,
            "correlation_id": request.headers.get("X-Correlation-Id", ""),
            "caller": caller.identity() if caller else None,
            "claimed": claimed,  # what a refused credential said it was (unverified)
            "remote_addr": request.remote_addr,
            # as the proxies in front said it (a client can write this header too)
            "forwarded_for": request.headers.get("X-Forwarded-For"),
        }
        try:
            self.entries.insert_one(entry)
        except PyMongoError:
            # the answer is already decided; losing its audit line must be loud, not fatal
            log.error("audit trail not written: %s", entry)

    def read(self, since: str | None, subject: str | None, limit: int) -> list[dict[str, Any]]:
        filters: dict[str, Any] = {}
        if since:
            filters["at"] = {"$gte": since}
        if subject:
            filters["caller.subject"] = subject
        found = self.entries.find(filters, {"_id": False}, sort=[("at", DESCENDING)], limit=limit)
        return list(found)
