"""Endpoints every service has (mixed into each service class): health and its documents."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, StringConstraints
from werkzeug.wrappers import Request, Response

from shared.events import rfc3339
from shared.replay import replay
from shared.web.api import api
from shared.web.docs_page import render
from shared.web.health import health_response
from shared.web.openapi import document
from shared.web.pages import html


class ReplayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: AwareDatetime
    to_queue: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    types: list[Annotated[str, StringConstraints(pattern=r"^[a-z_]+\.[a-z_]+$")]] = []


class ReplayOut(BaseModel):
    replayed: int


class Operations:
    store: Any

    @api("GET", "/health")
    def health(self, request: Request) -> tuple[int, dict]:
        """200 when the database, the broker and the outbox relay are fine, else 503."""
        return health_response(self.store.probe)

    @api("POST", "/admin/replay", body=ReplayIn, response=ReplayOut)
    def replay(self, request: Request, body: ReplayIn) -> ReplayOut:
        """Republish this service's events since a time to one subscriber's queue, in order."""
        types = tuple(body.types)
        count = replay(
            self.store.db, self.store.probe.amqp_uri, body.to_queue, rfc3339(body.since), types
        )
        return ReplayOut(replayed=count)

    @api("GET", "/openapi.json")
    def openapi(self, request: Request) -> dict:
        """This service's OpenAPI 3.1 document, generated from its code."""
        return document(type(self))

    @api("GET", "/docs", produces="text/html")
    def docs(self, request: Request) -> Response:
        """This service's API, readable in a browser (no scripts, no outside requests)."""
        return html(render(document(type(self))))
