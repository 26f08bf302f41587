"""nameko's HTTP protocol (eventlet.wsgi on http.server), changed where a malformed request
would get an answer that is not ours or framing that is not sure.

- The standard library's own error answers (an unparseable request line, HTTP/2 or later
  in it, over 100 headers) are the platform's JSON error with a status line, never an
  HTML page, never a bare body (it skips the status line when the request line could not
  be read), never a 5xx (it answers 505 to `HTTP/2.0`: here a 400).
- A header section the parser would not read whole is refused: it drops lines silently
  (after a line that is no `name: value` header, a lone carriage return, a `From ` line),
  and an `Authorization` or a `Content-Length` may be among them.
- The body's length must be certain before anything reads it: one `Content-Length` of
  digits only, and no `Transfer-Encoding` (411: eventlet reads only exactly `chunked`, and
  the JSON API would read a chunked body as empty, so a body is always sent with its
  length). Anything else would leave the rest of the bytes to be read as a next request.
- The header lines as received go into the environ for the front check
  (`shared.web.front_check`).

Each of these answers closes the connection. What eventlet answers by itself, before this
code runs, stays its own (bodyless, `HTTP/1.0`): 414 for a request line of 8192 bytes or
more, 400 for a header line of 8192 bytes or more or a header section over 64 KiB.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from http import HTTPStatus
from typing import Any

from nameko.web.server import HttpOnlyProtocol

from shared.web.front_check import RAW_HEADERS_ENVIRON

DIGITS = re.compile(r"[0-9]+")
# a header line's start as the parser reads it (email.feedparser), less an empty name
HEADER_NAME = re.compile(rb"[\x21-\x39\x3b-\x7e]+:")
KNOWN_CLIENT_ERRORS = {status.value for status in HTTPStatus if 400 <= status.value < 500}
access_log = logging.getLogger("ocop.http")


class LineRecorder:
    """The lines read through it, as received: the parser hides some of them."""

    def __init__(self, rfile: Any) -> None:
        self.rfile = rfile
        self.lines: list[bytes] = []

    def readline(self, size: int = -1) -> bytes:
        line = self.rfile.readline(size)
        self.lines.append(line)
        return line


class JsonErrorProtocol(HttpOnlyProtocol):
    rfile: Any

    def parse_request(self) -> bool:
        recorder = self.rfile = LineRecorder(self.rfile)
        try:
            if not super().parse_request():
                return False
        finally:
            self.rfile = recorder.rfile
        refused = header_section_problem(recorder.lines) or framing_problem(self.headers)
        if refused is None:
            return True
        status, field, problem = refused
        self.send_error(status, f"{field}: {problem}", fields={field: problem})
        return False

    def get_environ(self) -> dict:
        environ = super().get_environ()
        environ[RAW_HEADERS_ENVIRON] = tuple(self.headers.raw_items())
        return environ

    def send_error(
        self,
        code: int,
        message: str | None = None,
        explain: str | None = None,
        fields: dict[str, str] | None = None,
    ) -> None:
        """The answer to a request refused while its head is read, in the JSON error
        format; a 5xx of the standard library (505) is the client's fault here: 400."""
        status = HTTPStatus(code) if code in KNOWN_CLIENT_ERRORS else HTTPStatus.BAD_REQUEST
        error = message or status.phrase
        where = "headers" if status.value == 431 else "request_line"  # too many, or too long
        body = json.dumps({"error": error, "fields": fields or {where: error}}).encode()
        correlation_id = str(uuid.uuid4())
        head = [
            f"HTTP/1.1 {status.value} {status.phrase}",
            "Content-Type: application/json",
            f"Content-Length: {len(body)}",
            f"X-Correlation-Id: {correlation_id}",
            "Connection: close",
        ]
        self.close_connection = True
        self.wfile.write("\r\n".join(head).encode("latin-1") + b"\r\n\r\n" + body)
        access_log.info(
            "refused while reading the request: %d %s",
            status.value,
            error,
            extra={"correlation_id": correlation_id},
        )

    def log_message(self, format: str, *args: Any) -> None:
        """http.server writes these to stderr; the answers above are logged already."""


def framing_problem(headers: Any) -> tuple[int, str, str] | None:
    """(status, field, problem) when the body's length is not certain, else None."""
    if headers.get_all("Transfer-Encoding"):
        return 411, "header:Transfer-Encoding", "not accepted: send the body with Content-Length"
    lengths = headers.get_all("Content-Length") or []
    if len(lengths) > 1:
        return 400, "header:Content-Length", "given more than once"
    if lengths and not DIGITS.fullmatch(lengths[0].strip(" \t")):
        return 400, "header:Content-Length", "not a number of bytes (digits only)"
    return None


def header_section_problem(lines: list[bytes]) -> tuple[int, str, str] | None:
    """Header lines the parser would lose, silently: it reads a lone carriage return as a
    line break, takes a `From ` line for a mail envelope, and after a line that is no
    `name: value` header takes every line as body."""
    for number, line in enumerate(lines):
        text = line.removesuffix(b"\n").removesuffix(b"\r")
        if not text:
            continue  # the blank line that ends the section
        if b"\r" in text:
            return 400, "headers", "unreadable: a carriage return inside a header line"
        if text[:1] in (b" ", b"\t"):
            if number == 0:
                return 400, "headers", "unreadable: a continuation line before any header"
        elif not HEADER_NAME.match(text):
            return 400, "headers", "unreadable: a line that is no 'name: value' header"
    return None
