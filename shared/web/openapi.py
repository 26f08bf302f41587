"""The OpenAPI 3.1 document of a service, generated from its `@api` declarations.

Paths come from the routes; request bodies, query parameters and responses from the
pydantic models each entrypoint declares (the same models that parse the request); the
error format is documented once. Nothing here is written by hand, so the document says
what the code does.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from eventlet.wsgi import MAX_REQUEST_LINE
from pydantic import BaseModel, TypeAdapter

from shared.web.api import MAX_BODY_BYTES, Api

REF = "#/components/schemas/{model}"
ERROR = {
    "type": "object",
    "required": ["error", "fields"],
    "properties": {
        "error": {"type": "string", "description": "what went wrong, in one sentence"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "the fields at fault (path -> problem), e.g. `address.ward_code`",
        },
    },
}
ERRORS = {
    "400": "a malformed request, refused before it is read further: the path or query not "
    "UTF-8, a control character or a folded line in a header, a header section or a body "
    "length that cannot be read (named in `fields`, e.g. `header:X-Correlation-Id`)",
    "401": "no credentials, or expired, forged or revoked ones (`WWW-Authenticate: Bearer`)",
    "403": "the caller's roles do not allow this, or not for this record",
    "404": "unknown id or route",
    "409": "the resource's state does not allow it",
    "422": "a field is missing or wrong (named in `fields`)",
    "503": "the database is unreachable",
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "your name for this creation (1 to 200 printable characters): the same "
    "key and body again answer with the first record; the same key with another body is a 409",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[ -~]+$"},
}
BEARER = {
    "type": "http",
    "scheme": "bearer",
    "description": "`Authorization: Bearer <credential>`: a signed token (JWT, EdDSA or "
    "RS256, from the province's sign-in service) or an API key `ocop_<id>_<secret>` "
    "(see docs/access.md). Each operation names the roles and the API scope it admits.",
}
TOO_MANY = "over a rate limit of this client or credential (docs/access.md): try again later"
RETRY_AFTER = {
    "description": "seconds until the limit's window ends",
    "schema": {"type": "integer", "minimum": 1},
}
AUTH_ERRORS = ("401", "403")  # a public operation never answers these
# answered by the HTTP server before the request reaches the code, without a body
URL_TOO_LONG = {"description": f"the request line is over {MAX_REQUEST_LINE} bytes"}
BODY_TOO_LARGE = f"the request body is over {MAX_BODY_BYTES} bytes"
LENGTH_REQUIRED = "the body came without `Content-Length` (`Transfer-Encoding` is refused)"


def entrypoints(service: type) -> list[tuple[str, Api]]:
    found = []
    for name, member in inspect.getmembers(service, inspect.isfunction):
        for entrypoint in getattr(member, "nameko_entrypoints", ()):
            if isinstance(entrypoint, Api):
                found.append((name, entrypoint))
    return sorted(found, key=lambda item: (item[1].url, item[1].method))


def document(service: type, version: str = "1.0.0") -> dict[str, Any]:
    name_of_service = str(getattr(service, "name", service.__name__))
    schemas: dict[str, Any] = {"Error": ERROR}
    paths: dict[str, Any] = {}
    for name, entrypoint in entrypoints(service):
        path, parameters = openapi_path(entrypoint.url)
        function = getattr(service, name)
        paths.setdefault(path, {})[entrypoint.method.lower()] = operation(
            name, function, entrypoint, parameters, name_of_service, schemas
        )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"OCOP {name_of_service} service",
            "version": version,
            "description": inspect.getdoc(service) or "",
        },
        "paths": paths,
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {"bearer": BEARER},
        },
    }


def openapi_path(url: str) -> tuple[str, list[dict[str, Any]]]:
    """`/a/<id>.pdf` -> (`/a/{id}.pdf`, [the `id` path parameter])."""
    names = re.findall(r"<(?:[^:>]+:)?([^>]+)>", url)
    path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", url)
    return path, [
        {"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in names
    ]


def operation(
    name: str,
    function: Any,
    entrypoint: Api,
    parameters: list[dict[str, Any]],
    tag: str,
    schemas: dict[str, Any],
) -> dict[str, Any]:
    doc = inspect.getdoc(function) or ""
    access = entrypoint.access
    result: dict[str, Any] = {
        "operationId": name,
        "tags": [tag],
        "summary": doc.split("\n")[0],
        "description": f"{doc}\n\n{access.describe(entrypoint.method == 'GET')}".strip(),
        "security": [] if access.public else [{"bearer": []}],
        "x-ocop-access": {
            "public": access.public,
            "roles": sorted(access.roles),
            "scope": access.scope,
        },
    }
    if entrypoint.query is not None:
        parameters = parameters + query_parameters(entrypoint.query, schemas)
    if entrypoint.idempotent:
        parameters = [*parameters, IDEMPOTENCY_KEY]
    if parameters:
        result["parameters"] = parameters
    if entrypoint.body is not None:
        result["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schema_of(entrypoint.body, schemas)}},
        }
    result["responses"] = {
        str(entrypoint.status): success_response(entrypoint, schemas),
        **error_responses(entrypoint),
    }
    return result


def success_response(entrypoint: Api, schemas: dict[str, Any]) -> dict[str, Any]:
    success: dict[str, Any] = {"description": "OK" if entrypoint.status < 300 else "Created"}
    if entrypoint.response is not None:
        success["content"] = {
            entrypoint.produces: {"schema": schema_of(entrypoint.response, schemas)}
        }
    elif entrypoint.produces != "application/json":
        # a JSON-family body (`application/geo+json`) is a JSON value, not one string
        schema = {} if entrypoint.produces.endswith("+json") else {"type": "string"}
        success["content"] = {entrypoint.produces: {"schema": schema}}
    return success


def error_responses(entrypoint: Api) -> dict[str, Any]:
    with_body = {"411": LENGTH_REQUIRED, "413": BODY_TOO_LARGE}
    errors = dict(ERRORS, **(with_body if entrypoint.body is not None else {}))
    if entrypoint.limited:  # every operation but the probes and /metrics
        errors["429"] = TOO_MANY
    if entrypoint.access.public:
        errors = {code: text for code, text in errors.items() if code not in AUTH_ERRORS}
    documented: dict[str, Any] = {
        code: {
            "description": text,
            "content": {"application/json": {"schema": {"$ref": REF.format(model="Error")}}},
            **({"headers": {"Retry-After": RETRY_AFTER}} if code == "429" else {}),
        }
        for code, text in errors.items()
    }
    return dict(sorted({**documented, "414": URL_TOO_LONG}.items()))


def schema_of(model: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    """A reference to `model`'s schema, adding it (and what it uses) to the components."""
    if isinstance(model, type) and issubclass(model, BaseModel):
        schema = model.model_json_schema(ref_template=REF, mode="serialization")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
        return {"$ref": REF.format(model=model.__name__)}
    schema = TypeAdapter(model).json_schema(ref_template=REF, mode="serialization")
    schemas.update(schema.pop("$defs", {}))
    return schema


def query_parameters(model: type[BaseModel], schemas: dict[str, Any]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template=REF)
    schemas.update(schema.pop("$defs", {}))
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": field_schema,
            **(
                {"description": field_schema["description"]}
                if "description" in field_schema
                else {}
            ),
        }
        for name, field_schema in schema.get("properties", {}).items()
    ]
