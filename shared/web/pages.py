"""`@page("GET", "/score")`: a server-rendered HTML entrypoint on the same server as the API.

The method returns a werkzeug Response (see `html`); expected errors render a short page
in Vietnamese with the status they mean, unexpected ones a plain 500 page.
"""

from __future__ import annotations

import html as markup
import logging
from typing import Any
from urllib.parse import urlsplit

from werkzeug.wrappers import Request, Response

from shared.errors import DomainError, Forbidden
from shared.web.client_faults import CLIENT_FAULTS, as_domain_error
from shared.web.guarded import Guarded
from shared.web.server import JsonWebServer

log = logging.getLogger(__name__)

ERROR_PAGE = """<!doctype html><html lang="vi"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lỗi</title><body style="font-family:sans-serif;padding:1rem">
<h1>{title}</h1><p>{message}</p>
<p><a href="javascript:history.back()">Quay lại</a></p></body></html>"""


def html(body: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status=status, headers=headers, mimetype="text/html")


def same_origin(request: Request) -> None:
    """A form must come from this site: its `Origin`, or without one its `Referer`, names
    this host. Neither, or another site, is refused alike: the session cookie is same-site
    already, and this also stops another site signing a member in as someone else."""
    sender = request.headers.get("Origin") or request.headers.get("Referer")
    if not sender:
        raise Forbidden("a form must say where it comes from (Origin or Referer)")
    if origin_host(sender) != request.host:
        raise Forbidden("a form from another site")


def origin_host(origin: str) -> str | None:
    """The host[:port] of an `Origin`; None when it is no URL (`http://[`)."""
    try:
        return urlsplit(origin).netloc
    except ValueError:
        return None


def redirect(location: str) -> Response:
    return Response("", status=303, headers={"Location": location})


class Page(Guarded):
    server = JsonWebServer()
    takes_cookie = True

    def __init__(self, method: str, url: str, **kwargs: Any) -> None:
        kwargs.setdefault("expected_exceptions", (DomainError, *CLIENT_FAULTS))
        super().__init__(method, url, **kwargs)

    def get_entrypoint_parameters(self, request: Request) -> tuple[tuple, dict]:
        if request.method == "POST":
            same_origin(request)
        return super().get_entrypoint_parameters(request)

    def response_from_result(self, result: Any) -> Response:
        return result if isinstance(result, Response) else html(str(result))

    def response_from_exception(self, exc: BaseException) -> Response:
        exc = as_domain_error(exc)
        if isinstance(exc, DomainError):
            title = {
                400: "Yêu cầu không hợp lệ",
                401: "Cần đăng nhập",
                403: "Không có quyền",
                404: "Không tìm thấy",
                409: "Không thực hiện được",
                413: "Dữ liệu quá lớn",
                422: "Dữ liệu chưa hợp lệ",
                429: "Quá nhiều yêu cầu",
            }
            body = ERROR_PAGE.format(
                title=title.get(exc.status, "Lỗi"), message=markup.escape(exc.message)
            )
            if exc.status == 401:  # the scoring pages' sign-in (the only pages that need one)
                body = body.replace("</body>", '<p><a href="/sign-in">Đăng nhập</a></p></body>')
            return html(body, exc.status)
        log.error("unexpected error in %s", self.method_name, exc_info=exc)
        return html(ERROR_PAGE.format(title="Lỗi hệ thống", message="Xin thử lại sau."), 500)


page = Page.decorator
