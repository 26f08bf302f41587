"""The front check: a request whose path, query string or header values are malformed is
refused (400) before routing, the access gate, the audit trail or any handler sees it.

WSGI hands the request line and headers over as latin-1 strings (PEP 3333): each char is
one byte as the client sent it. The rules, on those bytes:

- the method is an HTTP token (RFC 9110 5.6.2);
- the path, and the query string, are UTF-8 as sent and still UTF-8 once percent-decoded;
  the decoded path has no control characters (ids and names never carry them, and a path
  is written to the logs);
- no header value holds a control character (anything below 0x20 but tab, and DEL) or is
  folded over several lines (obs-fold, RFC 9112 5.2);
- the platform's own headers (`X-Correlation-Id`, `Idempotency-Key`, `Authorization`)
  are visible ASCII and spaces, and a correlation id is at most 200 characters (an empty
  one is as none). Other headers may carry bytes 0x80-0xff (obs-text, RFC 9110 5.5): the
  platform reads none of them as text, and a browser may send a cookie that another site
  on the same host set.

`refusal(environ)` names every field at fault (`{"path": ..., "header:X-Correlation-Id":
...}`); an empty answer lets the request go on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import unquote_to_bytes

# what `shared.web.protocol` adds to the environ: the header lines as received (eventlet's
# `headers_raw` strips them, which hides a fold right after the colon)
RAW_HEADERS_ENVIRON = "ocop.raw_headers"
OWN_HEADERS = {"x-correlation-id", "idempotency-key", "authorization"}
CORRELATION_ID_MAX = 200
TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
FOLD = re.compile(r"\r?\n[ \t]")
HEADER_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
PATH_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0, DEL and C1 (decoded text)
NOT_VISIBLE_ASCII = re.compile(r"[^\x20-\x7e]")


def refusal(environ: dict) -> dict[str, str]:
    """Every field at fault and its problem; empty when the request may go on."""
    fields: dict[str, str] = {}
    method = environ.get("REQUEST_METHOD", "")
    if not TOKEN.fullmatch(method):
        fields["method"] = "not an HTTP method token"
    if problem := path_problem(environ):
        fields["path"] = problem
    if problem := query_problem(environ.get("QUERY_STRING", "")):
        fields["query"] = problem
    for name, problem in header_problems(environ):
        fields.setdefault(name, problem)
    return fields


def as_bytes(text: str) -> bytes | None:
    """The bytes a WSGI string stands for; None if it is not a latin-1 string at all."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return None


def utf8(data: bytes | None) -> str | None:
    try:
        return data.decode("utf-8") if data is not None else None
    except UnicodeDecodeError:
        return None


def path_problem(environ: dict) -> str | None:
    raw = environ.get("RAW_PATH_INFO")  # eventlet's: the path as sent, still %-encoded
    if raw is not None and utf8(as_bytes(raw)) is None:
        return "not UTF-8"
    decoded = utf8(as_bytes(environ.get("PATH_INFO", "")))
    if decoded is None:
        return "not UTF-8 once percent-decoded"
    if found := PATH_CONTROL.search(decoded):
        return f"control character {describe(found.group())} once percent-decoded"
    return None


def query_problem(query: str) -> str | None:
    for part in query.split("&"):
        name, raw = part.split("=", 1)[0], as_bytes(part)
        if raw is None or utf8(raw) is None:
            return f"parameter {shown(name)}: not UTF-8"
        if utf8(unquote_to_bytes(raw)) is None:
            return f"parameter {shown(name)}: not UTF-8 once percent-decoded"
    return None


def header_problems(environ: dict) -> Iterator[tuple[str, str]]:
    for name, value in received_headers(environ):
        if problem := header_problem(name.lower(), value):
            yield f"header:{canonical(name)}", problem


def header_problem(name: str, value: str) -> str | None:
    if FOLD.search(value):
        return "folded over several lines (obs-fold): send it on one line"
    if found := HEADER_CONTROL.search(value):
        return f"control character {describe(found.group())}"
    if name not in OWN_HEADERS:
        return None
    if found := NOT_VISIBLE_ASCII.search(value):
        return f"character {describe(found.group())}: visible ASCII only"
    if name == "x-correlation-id" and len(value.strip()) > CORRELATION_ID_MAX:
        return f"over {CORRELATION_ID_MAX} characters"
    return None


def received_headers(environ: dict) -> Iterable[tuple[str, str]]:
    """The headers as the server received them, or as the environ has them."""
    for key in (RAW_HEADERS_ENVIRON, "headers_raw"):
        if key in environ:
            return environ[key]
    return [
        (key[5:].replace("_", "-"), value)
        for key, value in environ.items()
        if key.startswith("HTTP_") and isinstance(value, str)
    ]


def canonical(name: str) -> str:
    """`x-correlation-id` -> `X-Correlation-Id`: one spelling in the error's field names."""
    return "-".join(part.capitalize() for part in name.split("-"))


def describe(char: str) -> str:
    return f"0x{ord(char):02x}"


def shown(name: str) -> str:
    """A parameter name fit for a message: what is not UTF-8 shown as escapes."""
    raw = as_bytes(name) or b""
    return "'" + unquote_to_bytes(raw).decode("utf-8", "backslashreplace") + "'"
