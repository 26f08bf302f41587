"""`Idempotency-Key`: a repeated POST returns the first result instead of a second record.

A key belongs to its caller. The record it names derives from who calls (an API key's own
id, or a person: the token's issuer and subject), the request's path and the key, so
another caller sending the same key makes a record of its own: it is never answered with
the first caller's record, nor refused because of it. A retry by the same caller lands on
the same document and the unique `_id` refuses a second one, in the same single write as
the creation. The stored record carries the key's id and the request's fingerprint; the
same key with a different request is a conflict, never a silent overwrite.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from werkzeug.wrappers import Request

from shared.access.caller import Caller
from shared.errors import InvalidInput

HEADER = "Idempotency-Key"
NAMESPACE = uuid.UUID("3e6c2d35-7c1e-4d53-9d3e-6c8f1f2b9a44")
KEY_FIELD = "request_key"  # stored: the scoped key's id, whose record this is
FINGERPRINT_FIELD = "request_fingerprint"  # stored: what the request asked for


@dataclass(frozen=True)
class RequestKey:
    entity_id: str  # the caller's key on this path, as an id (a keyed record's own id)
    fingerprint: str

    def stamp(self) -> dict[str, str]:
        """What a record created with this key stores about it."""
        return {KEY_FIELD: self.entity_id, FINGERPRINT_FIELD: self.fingerprint}

    def made(self, document: Mapping[str, Any]) -> bool:
        """Whether this caller's key created `document` (with whatever request)."""
        return document.get(KEY_FIELD) == self.entity_id

    def repeats(self, document: Mapping[str, Any]) -> bool:
        """Whether `document` is what this very request created before."""
        return self.made(document) and document.get(FINGERPRINT_FIELD) == self.fingerprint


def request_key(request: Request, body: BaseModel, caller: Caller) -> RequestKey | None:
    """The caller's key of this request, or None when it carries no `Idempotency-Key`."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 200 or not key.isprintable():
        raise InvalidInput.field(HEADER, "1 to 200 printable characters")
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    # a JSON list: no subject, path or key can be crafted to read as another caller's
    name = json.dumps([*key_owner(caller), request.method, request.path, key])
    return RequestKey(
        entity_id=str(uuid.uuid5(NAMESPACE, name)),
        fingerprint=hashlib.sha256(f"{request.path} {canonical}".encode()).hexdigest(),
    )


def key_owner(caller: Caller) -> list[str]:
    """Whose keys these are. An API key: its own id, which only its secret proves (the
    client is a label an operator types, and two keys may carry the same one). A person:
    the token's subject, which is unique only within its issuer."""
    if caller.via == "api_key":
        return ["api_key", caller.key_id or ""]
    return [caller.via, caller.issuer or "", caller.subject]


def new_or_keyed_id(key: RequestKey | None) -> str:
    return key.entity_id if key else str(uuid.uuid4())
