"""`@api("POST", "/api/v1/producers", body=ProducerIn, response=ProducerOut, status=201)`:
a JSON HTTP entrypoint that declares its models.

The declarations serve twice: the request body (`body=`) and query string (`query=`) are
parsed into their models and passed to the method as `body` and `query`; and the service's
OpenAPI document is generated from them (`shared/web/openapi.py`), so what is documented
is what is parsed. The method returns `(status, payload)` or a payload; payloads are
pydantic models, dicts or lists. Errors: `{"error": message, "fields": {path: problem}}`
with 422 for bad input (naming the field), 404 for unknown ids, 409 for a state conflict,
503 when the database is unreachable, 500 (with no internals) for anything unexpected.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pymongo.errors import AutoReconnect, ServerSelectionTimeoutError
from werkzeug.wrappers import Request, Response

from shared.errors import DomainError, InvalidInput, PayloadTooLarge, Unauthorized
from shared.web.client_faults import CLIENT_FAULTS, as_domain_error
from shared.web.guarded import Guarded
from shared.web.server import JsonWebServer, json_response

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)
MAX_BODY_BYTES = 1_000_000


class Api(Guarded):
    server = JsonWebServer()

    def __init__(
        self,
        method: str,
        url: str,
        *,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        response: Any = None,
        status: int = 200,
        produces: str = "application/json",
        idempotent: bool = False,
        **kwargs: Any,
    ) -> None:
        self.body, self.query, self.response = body, query, response
        self.status, self.produces = status, produces
        self.idempotent = idempotent  # honours `Idempotency-Key` (documented as a header)
        # expected errors are logged by nameko as one warning line, not a traceback
        kwargs.setdefault("expected_exceptions", (DomainError, *CLIENT_FAULTS))
        super().__init__(method, url, **kwargs)

    def get_entrypoint_parameters(self, request: Request) -> tuple[tuple, dict]:
        args, kwargs = super().get_entrypoint_parameters(request)
        if self.body is not None:
            kwargs = {**kwargs, "body": parse_body(request, self.body)}
        if self.query is not None:
            kwargs = {**kwargs, "query": parse_query(request, self.query)}
        return args, kwargs

    def response_from_result(self, result: Any) -> Response:
        if isinstance(result, Response):
            return result
        status, payload = result if isinstance(result, tuple) else (200, result)
        return json_response(status, to_json(payload))

    def response_from_exception(self, exc: BaseException) -> Response:
        exc = as_domain_error(exc)
        if isinstance(exc, DomainError):
            headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
            return json_response(exc.status, {"error": exc.message, "fields": exc.fields}, headers)
        if isinstance(exc, ServerSelectionTimeoutError | AutoReconnect):
            log.warning("database unreachable: %s", exc)
            return json_response(503, {"error": "storage unavailable, try again", "fields": {}})
        log.error("unexpected error in %s", self.method_name, exc_info=exc)
        return json_response(500, {"error": "internal error", "fields": {}})


api = Api.decorator


def to_json(payload: Any) -> Any:
    if isinstance(payload, BaseModel):
        return payload.model_dump(mode="json")
    if isinstance(payload, list | tuple):
        return [to_json(item) for item in payload]
    return payload


def parse_body(request: Request, model: type[M]) -> M:
    """The JSON body as `model`, or InvalidInput naming every field at fault."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"request body over {MAX_BODY_BYTES} bytes")
    try:
        body = json.loads(request.get_data() or b"{}")  # no body: every field at its default
    except ValueError as exc:
        raise InvalidInput.field("body", f"not valid JSON ({exc})") from exc
    except RecursionError:
        raise InvalidInput.field("body", "nested too deeply") from None
    if not isinstance(body, dict):
        raise InvalidInput.field("body", "must be a JSON object")
    return validate(model, body)


def parse_query(request: Request, model: type[M]) -> M:
    """The query string as `model` (repeated keys become lists)."""
    args: Mapping[str, Any] = {
        key: values if len(values) > 1 else values[0] for key, values in request.args.lists()
    }
    return validate(model, dict(args))


def validate(model: type[M], data: dict) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = {
            ".".join(str(part) for part in error["loc"]) or "body": error["msg"]
            for error in exc.errors()
        }
        raise InvalidInput("invalid input: " + ", ".join(sorted(fields)), fields) from exc
