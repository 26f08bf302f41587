"""What `@api` and `@page` entrypoints share about access: each declares its `access`; the
rate limits come first (so guessing credentials is throttled too), then the gate admits
the caller before anything else is read; the method gets `caller` when its signature asks
for it; writes leave an audit line whatever their answer."""

from __future__ import annotations

import inspect
from typing import Any

from nameko.web.handlers import HttpRequestHandler
from werkzeug.wrappers import Request, Response

from shared.access.gate import Gate
from shared.access.roles import Access
from shared.access.throttle import Throttle
from shared.web.server import QUIET_ROUTES

# probes and scrapes poll these: a 429 would take a healthy instance out of service
UNLIMITED_ROUTES = QUIET_ROUTES


class Guarded(HttpRequestHandler):
    gate = Gate()
    throttle = Throttle()
    takes_cookie = False  # only pages take the sign-in cookie

    def __init__(
        self,
        method: str,
        url: str,
        *,
        access: Access,
        credential_field: str | None = None,  # a sign-in page's form field for it
        **kwargs: Any,
    ) -> None:
        self.access = access
        self.credential_field = credential_field
        self.limited = url not in UNLIMITED_ROUTES
        super().__init__(method, url, **kwargs)

    def setup(self) -> None:
        super().setup()
        method = getattr(self.container.service_cls, self.method_name)
        self.wants_caller = "caller" in inspect.signature(method).parameters

    def handle_request(self, request: Request) -> Response:
        answer = super().handle_request(request)
        if self.limited:
            self.throttle.answered(request, answer, signs_in=self.credential_field is not None)
        if not self.access.public:
            self.gate.audit(request, self.url, answer)
        return answer

    def get_entrypoint_parameters(self, request: Request) -> tuple[tuple, dict]:
        if self.limited:
            self.throttle.before(
                request,
                self.access,
                signs_in=self.credential_field is not None,
                cookie=self.takes_cookie,
                form=self.credential_field,
            )
        caller = self.gate.admit(
            request, self.access, cookie=self.takes_cookie, form_field=self.credential_field
        )
        if self.limited:
            self.throttle.admitted(request, caller)
        args, kwargs = super().get_entrypoint_parameters(request)
        extra: dict[str, Any] = {"caller": caller} if self.wants_caller else {}
        return args, {**kwargs, **extra}
