"""Endpoints every service has (mixed into each service class): health and its documents."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response

from shared.web.api import api
from shared.web.docs_page import render
from shared.web.health import health_response
from shared.web.openapi import document
from shared.web.pages import html


class Operations:
    store: Any

    @api("GET", "/health")
    def health(self, request: Request) -> tuple[int, dict]:
        """200 when the database, the broker and the outbox relay are fine, else 503."""
        return health_response(self.store.probe)

    @api("GET", "/openapi.json")
    def openapi(self, request: Request) -> dict:
        """This service's OpenAPI 3.1 document, generated from its code."""
        return document(type(self))

    @api("GET", "/docs", produces="text/html")
    def docs(self, request: Request) -> Response:
        """This service's API, readable in a browser (no scripts, no outside requests)."""
        return html(render(document(type(self))))
