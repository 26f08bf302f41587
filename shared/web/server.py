"""nameko's web server, changed where it bites operations.

- It refuses to start on a port another process holds: eventlet sets SO_REUSEPORT by
  default, so a second `nameko run` would silently share the port and take half the
  requests.
- A malformed request (bytes that are not UTF-8 in its path or query, control characters
  or folded lines in a header...: `shared.web.front_check`) is refused with a 400 before
  routing, the access gate, the audit trail or any handler; one whose head cannot be read,
  or whose body length is not certain, is refused while it is read
  (`shared.web.protocol`).
- Unknown routes and wrong methods answer in the platform's JSON error format.
- The correlation id of a request comes from `X-Correlation-Id` or is made up here, and is
  sent back in the answer's `X-Correlation-Id`; a refused request's id is always made up
  here, never one that failed the check.
- Every request is timed (`ocop_http_request_duration_seconds`) and logged.
- Answers are not held back by Nagle's algorithm (TCP_NODELAY).
"""

from __future__ import annotations

import json
import logging
import socket
import uuid
from typing import Any

import eventlet
from nameko.web.server import WebServer, WsgiApp
from werkzeug.exceptions import BadHost, HTTPException
from werkzeug.wrappers import Request, Response

from shared.metrics import Stopwatch, observe_request
from shared.web.front_check import refusal
from shared.web.protocol import JsonErrorProtocol

CORRELATION_HEADER = "X-Correlation-Id"
CORRELATION_ENVIRON = "HTTP_X_CORRELATION_ID"  # the header as WSGI presents it
QUIET_ROUTES = {"/health", "/health/live", "/health/ready", "/metrics"}  # polled: debug only
# a metric label per method: any other token a client sends is one label, not a new series
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
access_log = logging.getLogger("ocop.http")


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(payload, ensure_ascii=False),
        status=status,
        headers=headers,
        mimetype="application/json",
    )


class JsonWsgiApp(WsgiApp):
    def __call__(self, environ: dict, start_response: Any) -> Any:
        watch = Stopwatch()
        refused = refusal(environ)
        sent_id = "" if refused else environ.get(CORRELATION_ENVIRON, "").strip()
        correlation_id = sent_id or str(uuid.uuid4())
        environ[CORRELATION_ENVIRON] = correlation_id
        request = Request(environ, shallow=True)
        if refused:
            route = "refused"
            response = json_response(400, {"error": malformed(refused), "fields": refused})
        else:
            route, response = self.route(request, environ)
        response.headers[CORRELATION_HEADER] = correlation_id
        seconds = watch.seconds()
        service = self.server.container.service_name
        method = request.method if request.method in METHODS else "OTHER"
        observe_request(service, method, route, response.status_code, seconds)
        access_log.log(
            logging.DEBUG if route in QUIET_ROUTES else logging.INFO,
            "%s %s %d %.1f ms",
            request.method,
            request.path,
            response.status_code,
            seconds * 1000,
            extra={"correlation_id": correlation_id},
        )
        return response(environ, start_response)

    def route(self, request: Request, environ: dict) -> tuple[str, Response]:
        """(the route's rule, its answer); "unmatched" for every unknown path, one metric
        label for all of them."""
        try:
            adapter = self.url_map.bind_to_environ(environ)
        except BadHost:  # werkzeug could not read the Host header as a host name
            problem = {"header:Host": "not a host name"}
            return "refused", json_response(400, {"error": malformed(problem), "fields": problem})
        try:
            rule, values = adapter.match(return_rule=True)
            request.path_values = values  # type: ignore[attr-defined]
            return rule.rule, rule.endpoint.handle_request(request)
        except HTTPException as exc:
            response = json_response(exc.code or 500, {"error": exc.description, "fields": {}})
            if exc.code == 405:
                response.headers["Allow"] = ", ".join(exc.valid_methods or [])  # type: ignore[attr-defined]
            return "unmatched", response


def malformed(fields: dict[str, str]) -> str:
    return "malformed request: " + "; ".join(f"{name}: {why}" for name, why in fields.items())


class JsonWebServer(WebServer):
    _starting: bool

    def start(self) -> None:
        if not self._starting:
            self._starting = True
            self._sock = eventlet.listen(self.bind_addr, reuse_port=False)
            self._sock.settimeout(None)
            # answers go out as headers then body: without this, Nagle's algorithm meets the
            # client's delayed ACK and a larger answer waits ~40 ms (measured on /catalogue)
            self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._serv = self.get_wsgi_server(self._sock, self.get_wsgi_app())
            self._gt = self.container.spawn_managed_thread(self.run)

    def get_wsgi_server(self, sock: Any, wsgi_app: Any, **kwargs: Any) -> Any:
        return super().get_wsgi_server(sock, wsgi_app, protocol=JsonErrorProtocol)

    def get_wsgi_app(self) -> JsonWsgiApp:
        return JsonWsgiApp(self)

    def context_data_from_headers(self, request: Request) -> dict[str, str]:
        # the app above made sure there is one, so the answer's header and the events agree
        return {"correlation_id": request.environ[CORRELATION_ENVIRON]}
