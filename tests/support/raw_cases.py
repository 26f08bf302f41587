"""Malformed requests, made deterministically: a seeded random stream of each kind of
fault, over the routes each service publishes in its `/openapi.json` (and its HTML pages),
with the platform's all-roles key as a Bearer on about half of them.

A `Case` says what its answer must be beyond the bar every case meets (no 5xx, well-formed
HTTP or a closed connection): the kinds the front check or the protocol refuse must be
answered with one of `statuses` and, when the answer is JSON, name one of `naming` in its
`fields`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from shared.web.front_check import canonical

SEED = 15  # issue 15: the same cases every run
PAGES = {  # the HTML pages: not in the OpenAPI documents (method, path, public)
    "scoring": [
        ("GET", "/sign-in", True),
        ("POST", "/sign-in", True),
        ("GET", "/score", False),
        ("GET", "/score/{evaluation_id}", False),
        ("POST", "/score/{evaluation_id}", False),
    ],
    "certification": [("GET", "/verify/{number}", True)],
    "trade_promotion": [
        ("GET", "/catalogue", True),
        ("GET", "/products/{product_id}", True),
        ("GET", "/map", True),
        ("GET", "/stats", True),
    ],
}
IDS = [b"p1", b"OCOP-19-2024-00001", b"Ch%C3%A8%20b%C3%BAp", b"x"]
# percent-encoded bytes that are never UTF-8: a lone lead byte, a bad continuation, an
# overlong form, a surrogate, a cut sequence, a continuation byte alone
NOT_UTF8 = [b"%ff", b"%fe%ff", b"%c3%28", b"%a0%a1", b"%e2%28%a1", b"%e2%82%28"]
NOT_UTF8 += [b"%f0%28%8c%bc", b"%f8%a1%a1%a1%a1", b"%c0%af", b"%ed%a0%80", b"%c3", b"%80"]
# percent-encoded control characters: C0, DEL, C1 (as UTF-8)
CONTROLS = [b"%00", b"%01", b"%09", b"%0a", b"%0d", b"%1b", b"%1f", b"%7f", b"%c2%80", b"%c2%9f"]
# control characters a header value may not hold (CR and LF alone: see `header_control`)
HEADER_CONTROLS = [bytes([c]) for c in [*range(0, 9), *range(11, 13), *range(14, 32), 127]]
HEADERS = ["X-Correlation-Id", "Idempotency-Key", "Authorization", "User-Agent", "Accept"]
HEADERS += ["Accept-Language", "Cookie", "Referer", "Origin", "X-Forwarded-For", "X-Trace"]
OWN = ["X-Correlation-Id", "Idempotency-Key", "Authorization"]


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # with `{name}` placeholders
    public: bool
    body: bool


@dataclass(frozen=True)
class Case:
    kind: str
    service: str
    request: bytes
    statuses: frozenset[int] = frozenset()  # the answer's status must be one of these
    naming: frozenset[str] = frozenset()  # a JSON answer's `fields` must name one of these
    correlation_id: str | None = None  # what the case sent in X-Correlation-Id
    may_close: bool = False  # the server may close without an answer (eventlet's limits)


def routes_of(service: str, document: dict) -> list[Route]:
    """The service's operations from its OpenAPI document, and its pages."""
    found = [
        Route(method.upper(), path, operation.get("security") == [], "requestBody" in operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]
    return found + [Route(m, p, public, m == "POST") for m, p, public in PAGES.get(service, [])]


class Requests:
    """Builds requests on a random route of a random service, from one seeded random."""

    def __init__(self, routes: dict[str, list[Route]], key: str, seed: int = SEED) -> None:
        self.routes, self.key, self.rng = routes, key.encode(), random.Random(seed)

    def pick(self, body: bool = False) -> tuple[str, Route]:
        """A random service and one of its routes (one that takes a body, if `body`)."""
        service = self.rng.choice(sorted(self.routes))
        return service, self.rng.choice([r for r in self.routes[service] if r.body or not body])

    def target(self, route: Route) -> bytes:
        """The route's path with each placeholder filled with a valid id."""
        parts = route.path.encode().split(b"{")
        filled = [parts[0]] + [self.rng.choice(IDS) + part.split(b"}", 1)[1] for part in parts[1:]]
        return b"".join(filled)

    def headers(self, route: Route, body: bytes | None) -> list[tuple[bytes, bytes]]:
        found = [(b"Host", b"127.0.0.1")]
        # the key on about half the requests to a protected route, a few to public ones
        if (not route.public or self.rng.random() < 0.2) and self.rng.random() < 0.5:
            found.append((b"Authorization", b"Bearer " + self.key))
        if body is not None:
            found += [(b"Content-Type", b"application/json")]
            found += [(b"Content-Length", str(len(body)).encode())]
        return found

    def body(self, route: Route) -> bytes | None:
        return b'{"name": "Ch\xc3\xa8 b\xc3\xbap", "year": 2026}' if route.body else None

    def inject(self, text: bytes, piece: bytes) -> bytes:
        """`piece` put at a random place in `text` (after its first character)."""
        at = self.rng.randint(1, len(text)) if len(text) > 1 else len(text)
        return text[:at] + piece + text[at:]


def build(
    method: bytes,
    target: bytes,
    headers: list[tuple[bytes, bytes]],
    body: bytes | None = None,
    version: bytes = b"HTTP/1.1",
) -> bytes:
    head = b"%s %s %s\r\n" % (method, target, version)
    head += b"".join(name + b": " + value + b"\r\n" for name, value in headers)
    return head + b"\r\n" + (body or b"")


def refused(
    kind: str,
    service: str,
    request: bytes,
    statuses: set[int],
    naming: set[str],
    may_close: bool = False,
) -> Case:
    return Case(kind, service, request, frozenset(statuses), frozenset(naming), None, may_close)


def header_case(
    kind: str, requests: Requests, name: str, value: bytes, naming: set[str] | None = None
) -> Case:
    """A request whose header `name` has `value` (every other part valid)."""
    service, route = requests.pick()
    body = requests.body(route)
    headers = [(n, v) for n, v in requests.headers(route, body) if n.decode() != name]
    headers.insert(requests.rng.randint(1, len(headers)), (name.encode(), value))
    request = build(route.method.encode(), requests.target(route), headers, body)
    fields = {f"header:{canonical(name)}", "headers"} if naming is None else naming
    correlation_id = value.decode("latin-1") if name == "X-Correlation-Id" and fields else None
    statuses = frozenset({400}) if fields else frozenset()
    return Case(kind, service, request, statuses, frozenset(fields), correlation_id)


def token(rng: random.Random, size: int = 12) -> bytes:
    return bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz0123456789-") for _ in range(size))
