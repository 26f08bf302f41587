"""`Idempotency-Key`: a repeated POST returns the first result instead of a second record.

The key names the record to create: its id derives from the route and the key, so a retry
lands on the same document and the unique `_id` refuses a second one, in the same single
write as the creation. The request's fingerprint is stored with the record; the same key
with a different request is a conflict, never a silent overwrite.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass

from pydantic import BaseModel
from werkzeug.wrappers import Request

from shared.errors import InvalidInput

HEADER = "Idempotency-Key"
NAMESPACE = uuid.UUID("3e6c2d35-7c1e-4d53-9d3e-6c8f1f2b9a44")


@dataclass(frozen=True)
class RequestKey:
    entity_id: str
    fingerprint: str


def request_key(request: Request, body: BaseModel) -> RequestKey | None:
    """The key of this request, or None when it carries no `Idempotency-Key`."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 200 or not key.isprintable():
        raise InvalidInput.field(HEADER, "1 to 200 printable characters")
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return RequestKey(
        entity_id=str(uuid.uuid5(NAMESPACE, f"{request.method} {request.path} {key}")),
        fingerprint=hashlib.sha256(f"{request.path} {canonical}".encode()).hexdigest(),
    )


def new_or_keyed_id(key: RequestKey | None) -> str:
    return key.entity_id if key else str(uuid.uuid4())
