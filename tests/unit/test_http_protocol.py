"""What the HTTP protocol refuses while it reads a request's head (`shared/web/protocol.py`),
how werkzeug's refusals of a body become the platform's errors, and that an expected error
leaves one log line without a traceback."""

from __future__ import annotations

import io
import json
import logging
import sys
from http.client import parse_headers

import pytest
from werkzeug.exceptions import BadRequestKeyError, ClientDisconnected, RequestEntityTooLarge

from shared.errors import InvalidInput, NotFound
from shared.logs import FlowFilter, JsonFormatter
from shared.web.client_faults import MalformedRequest, as_domain_error
from shared.web.protocol import JsonErrorProtocol, framing_problem, header_section_problem


def headers(lines: bytes):
    return parse_headers(io.BytesIO(lines + b"\r\n"))


@pytest.mark.parametrize(
    "lines",
    [
        b"Transfer-Encoding: chunked\r\n",
        b"Transfer-Encoding: gzip, chunked\r\n",
        b"Transfer-Encoding: \r\n",
        b"Content-Length: 2\r\nTransfer-Encoding: identity\r\n",
    ],
)
def test_any_transfer_encoding_is_411(lines):
    assert framing_problem(headers(lines)) == (
        411,
        "header:Transfer-Encoding",
        "not accepted: send the body with Content-Length",
    )


@pytest.mark.parametrize("length", [b"-1", b"+5", b"0x10", b"1_000", b"5 5", b"", b"\xd9\xa1"])
def test_a_content_length_of_anything_but_digits_is_400(length):
    problem = framing_problem(headers(b"Content-Length: " + length + b"\r\n"))
    assert problem == (400, "header:Content-Length", "not a number of bytes (digits only)")


def test_two_content_lengths_are_400_and_one_of_digits_passes():
    assert framing_problem(headers(b"Content-Length: 2\r\nContent-Length: 2\r\n")) == (
        400,
        "header:Content-Length",
        "given more than once",
    )
    assert framing_problem(headers(b"Content-Length: 25\r\n")) is None
    assert framing_problem(headers(b"Host: x\r\n")) is None


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        ([b"X-A: a\rb\r\n"], "a carriage return inside a header line"),
        ([b"Host: x\r\n", b"X-A: a\r\r\n"], "a carriage return inside a header line"),
        ([b" folded\r\n", b"Host: x\r\n"], "a continuation line before any header"),
        ([b"Host: x\r\n", b"no colon\r\n"], "a line that is no 'name: value' header"),
        ([b"From nobody\r\n"], "a line that is no 'name: value' header"),
        ([b"Host: x\r\n", b"From nobody\r\n"], "a line that is no 'name: value' header"),
        ([b": no name\r\n"], "a line that is no 'name: value' header"),
        ([b"Bad Name: x\r\n"], "a line that is no 'name: value' header"),
    ],
)
def test_header_lines_the_parser_would_lose_are_refused(lines, problem):
    assert header_section_problem([*lines, b"\r\n"]) == (400, "headers", f"unreadable: {problem}")


def test_whole_header_sections_pass_folds_included():
    lines = [b"Host: x\r\n", b"X-A: a\r\n", b" b\r\n", b"X_B:c\n", b"\r\n"]
    assert header_section_problem(lines) is None


def test_the_standard_librarys_505_is_a_json_400_with_a_status_line():
    protocol = JsonErrorProtocol.__new__(JsonErrorProtocol)  # no socket: only its answer
    protocol.wfile = io.BytesIO()
    protocol.send_error(505, "Invalid HTTP version (2.0)")
    head, _, body = protocol.wfile.getvalue().partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert b"\r\nConnection: close" in head and b"\r\nX-Correlation-Id: " in head
    assert json.loads(body) == {
        "error": "Invalid HTTP version (2.0)",
        "fields": {"request_line": "Invalid HTTP version (2.0)"},
    }
    assert protocol.close_connection


def test_werkzeugs_refusals_of_a_body_become_the_platforms_errors():
    cut = as_domain_error(ClientDisconnected())
    assert isinstance(cut, MalformedRequest) and cut.status == 400 and set(cut.fields) == {"body"}
    missing = as_domain_error(BadRequestKeyError("credential"))
    assert isinstance(missing, InvalidInput) and missing.fields == {"credential": "missing"}
    assert as_domain_error(RequestEntityTooLarge()).status == 413  # type: ignore[attr-defined]
    other = KeyError("x")
    assert as_domain_error(other) is other


def nameko_line(message: str, exc: Exception) -> dict:
    try:
        raise exc
    except Exception:
        info = sys.exc_info()
    record = logging.LogRecord("nameko.containers", logging.WARNING, "", 1, message, (), info)
    FlowFilter().filter(record)
    return json.loads(JsonFormatter(service="scoring").format(record))


def test_an_expected_error_is_one_line_without_a_traceback():
    expected = nameko_line(
        "(expected) error handling worker <w>: no product", NotFound("product", "p")
    )
    assert "error" not in expected and expected["message"].startswith("(expected)")
    unexpected = nameko_line("error handling worker <w>: boom", ValueError("boom"))
    assert "Traceback" in unexpected["error"]
