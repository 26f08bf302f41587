"""The front check on environs made as eventlet makes them from raw bytes: each rule's
refusal names its field, and valid requests (Vietnamese names in the path and query,
percent-encoded or raw UTF-8) pass."""

from __future__ import annotations

import io
from http.client import parse_headers
from urllib.parse import unquote

import pytest

from shared.web.front_check import RAW_HEADERS_ENVIRON, refusal

TEA = "/api/v1/catalogue/Ch%C3%A8%20Shan%20tuy%E1%BA%BFt%20T%C3%A2n%20C%C6%B0%C6%A1ng"


def environ(target: bytes, headers: bytes = b"", method: str = "GET") -> dict:
    """What eventlet.wsgi (with `shared.web.protocol`) puts in the environ for this request
    line and these header lines."""
    path, _, query = target.decode("latin-1").partition("?")
    parsed = parse_headers(io.BytesIO(b"Host: 127.0.0.1\r\n" + headers + b"\r\n"))
    return {
        "REQUEST_METHOD": method,
        "RAW_PATH_INFO": path,
        "PATH_INFO": unquote(path, encoding="latin1"),
        "QUERY_STRING": query,
        RAW_HEADERS_ENVIRON: tuple(parsed.raw_items()),
        "headers_raw": tuple((k, v.strip(" \t\r\n")) for k, v in parsed.items()),
    }


@pytest.mark.parametrize(
    "target",
    [
        TEA.encode(),
        "/api/v1/catalogue/Chè Shan tuyết".replace(" ", "%20").encode(),  # raw UTF-8 bytes
        b"/api/v1/catalogue?q=che+shan+tuy%E1%BA%BFt&province_code=19",
        "/api/v1/catalogue?q=Mận hậu".replace(" ", "+").encode(),
        b"/api/v1/catalogue?q=%zz&&=&limit=",  # not percent-encoding at all: the models judge
        b"/api/v1/catalogue?q=%00%0a",  # control characters in a query: the models judge
        b"/health",
    ],
)
def test_valid_utf8_paths_and_queries_pass(target):
    assert refusal(environ(target)) == {}


@pytest.mark.parametrize(
    ("target", "field", "problem"),
    [
        (b"/api/v1/products/\xff", "path", "not UTF-8"),
        (b"/api/v1/products/Ch\xe8", "path", "not UTF-8"),  # latin-1, not UTF-8
        (b"/api/v1/products/%ff", "path", "not UTF-8 once percent-decoded"),
        (b"/api/v1/products/%c3%28", "path", "not UTF-8 once percent-decoded"),
        (b"/api/v1/products/%ed%a0%80", "path", "not UTF-8 once percent-decoded"),  # surrogate
        (b"/api/v1/products/%c0%af", "path", "not UTF-8 once percent-decoded"),  # overlong
        (b"/api/v1/products/p%00", "path", "control character 0x00 once percent-decoded"),
        (b"/api/v1/products/p%0a", "path", "control character 0x0a once percent-decoded"),
        (b"/api/v1/products/p%7f", "path", "control character 0x7f once percent-decoded"),
        (b"/api/v1/products/p%c2%85", "path", "control character 0x85 once percent-decoded"),
        (b"/api/v1/catalogue?q=\xff", "query", "parameter 'q': not UTF-8"),
        (b"/api/v1/catalogue?x=1&q=%ff", "query", "parameter 'q': not UTF-8 once percent-decoded"),
        (b"/api/v1/catalogue?%ff=1", "query", "parameter '\\xff': not UTF-8 once percent-decoded"),
    ],
)
def test_a_path_or_query_that_is_not_utf8_is_refused_naming_it(target, field, problem):
    assert refusal(environ(target)) == {field: problem}


def test_a_method_that_is_no_token_is_refused():
    assert refusal(environ(b"/health", method="G\x01T")) == {"method": "not an HTTP method token"}
    assert refusal(environ(b"/health", method="PROPFIND")) == {}


@pytest.mark.parametrize("control", [b"\x00", b"\x01", b"\x08", b"\x0b", b"\x1b", b"\x7f"])
@pytest.mark.parametrize("name", [b"X-Correlation-Id", b"Idempotency-Key", b"User-Agent"])
def test_a_control_character_in_any_header_is_refused_naming_the_header(name, control):
    found = refusal(environ(b"/health", name + b": ab" + control + b"cd\r\n"))
    assert found == {f"header:{name.decode()}": f"control character 0x{control[0]:02x}"}


@pytest.mark.parametrize(
    "line",
    [
        b"x-correlation-id: abc\r\n def\r\n",
        b"X-Correlation-Id: abc\r\n\tdef\r\n",
        b"X-Correlation-Id: abc\n def\r\n",  # a bare LF fold
        b"X-Correlation-Id:\r\n abc\r\n",  # eventlet's `headers_raw` strips this one away
    ],
)
def test_a_folded_header_is_refused(line):
    assert refusal(environ(b"/health", line)) == {
        "header:X-Correlation-Id": "folded over several lines (obs-fold): send it on one line"
    }


def test_a_tab_inside_a_value_is_no_control_character():
    assert refusal(environ(b"/health", b"User-Agent: a\tb\r\nX-Correlation-Id: a\tb\r\n")) == {
        "header:X-Correlation-Id": "character 0x09: visible ASCII only"
    }


@pytest.mark.parametrize("name", [b"X-Correlation-Id", b"Idempotency-Key", b"Authorization"])
def test_the_platforms_own_headers_take_visible_ascii_only(name):
    found = refusal(environ(b"/health", name + b": kh\xf3a\r\n"))
    assert found == {f"header:{name.decode()}": "character 0xf3: visible ASCII only"}


@pytest.mark.parametrize("name", [b"User-Agent", b"Cookie", b"Accept-Language", b"Referer"])
def test_other_headers_may_carry_bytes_over_0x7f(name):
    assert refusal(environ(b"/health", name + b": Tr\xecnh duy\xeat\r\n")) == {}


def test_a_correlation_id_is_200_characters_at_most():
    assert refusal(environ(b"/health", b"X-Correlation-Id: " + b"c" * 200 + b"\r\n")) == {}
    assert refusal(environ(b"/health", b"X-Correlation-Id: " + b"c" * 201 + b"\r\n")) == {
        "header:X-Correlation-Id": "over 200 characters"
    }


def test_every_field_at_fault_is_named():
    found = refusal(
        environ(b"/p/%ff?q=%ff", b"X-Correlation-Id: a\x00\r\nIdempotency-Key: \xe9\r\n", "G T")
    )
    assert set(found) == {
        "method",
        "path",
        "query",
        "header:X-Correlation-Id",
        "header:Idempotency-Key",
    }


def test_without_the_raw_headers_the_environs_own_are_checked():
    """Another WSGI server (or werkzeug's test client) gives only `HTTP_*` keys."""
    plain = {"REQUEST_METHOD": "GET", "PATH_INFO": "/health", "HTTP_X_CORRELATION_ID": "a\x01"}
    assert refusal(plain) == {"header:X-Correlation-Id": "control character 0x01"}
