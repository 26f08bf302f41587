"""Endpoints every service has (mixed into each service class): health, metrics, its
documents, and the operators' endpoints of `admin.py`."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response

from shared.access.roles import PUBLIC
from shared.logs import WorkerLogContext
from shared.metrics import exposition
from shared.web.admin import Admin
from shared.web.api import api
from shared.web.docs_page import render
from shared.web.health import health_response
from shared.web.openapi import document
from shared.web.pages import html


class Operations(Admin):
    store: Any
    log_context = WorkerLogContext()  # every worker's log lines carry its flow's ids

    @api("GET", "/health", access=PUBLIC)
    def health(self, request: Request) -> tuple[int, dict]:
        """Readiness, as `/health/ready` (kept for clients of the first release)."""
        return health_response(self.store.probe)

    @api("GET", "/health/ready", access=PUBLIC)
    def ready(self, request: Request) -> tuple[int, dict]:
        """200 when the database and the broker are reachable and the outbox relay runs,
        else 503 naming what is wrong: take the instance out of load balancing."""
        return health_response(self.store.probe)

    @api("GET", "/health/live", access=PUBLIC)
    def live(self, request: Request) -> dict:
        """200 while the process serves requests, whatever its dependencies say: restart
        the instance only when this fails (a broker outage is not cured by a restart)."""
        return {"status": "ok"}

    @api("GET", "/metrics", access=PUBLIC, produces="text/plain")
    def metrics(self, request: Request) -> Response:
        """Prometheus metrics of this process, in the text exposition format."""
        body, content_type = exposition()
        return Response(body, status=200, content_type=content_type)

    @api("GET", "/openapi.json", access=PUBLIC)
    def openapi(self, request: Request) -> dict:
        """This service's OpenAPI 3.1 document, generated from its code."""
        return document(type(self))

    @api("GET", "/docs", access=PUBLIC, produces="text/html")
    def docs(self, request: Request) -> Response:
        """This service's API, readable in a browser (no scripts, no outside requests)."""
        return html(render(document(type(self))))
