"""Malformed request lines and heads whose answer may be anything but a 5xx (unless a
case names its status): a fixed list of nasty request lines, then random bytes; methods a
route does not take; lengths around and past the server's limits."""

from __future__ import annotations

from tests.support.raw_cases import Case, Requests, build, refused, token

NASTY_LINES: list[tuple[bytes, set[int], set[str]]] = [
    (b"GARBAGE\r\n\r\n", {400}, {"request_line"}),
    (b"GET\r\n\r\n", {400}, {"request_line"}),
    (b"GET /health HTTP/1.1 extra\r\n\r\n", {400}, {"request_line"}),
    (b"GET /health HTTP/2.0\r\n\r\n", {400}, {"request_line"}),  # 505 in http.server
    (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", {400}, {"request_line"}),
    (b"GET /health HTTP/1.x\r\n\r\n", {400}, {"request_line"}),
    (b"GET /health http/1.1\r\n\r\n", {400}, {"request_line"}),
    (b"GET /health HTTP/1.10\r\n\r\n", set(), set()),
    (b"GET /health HTTP/999999999999999999999.1\r\n\r\n", {400}, {"request_line"}),
    (b"POST /health\r\n\r\n", {400}, {"request_line"}),  # HTTP/0.9 knows only GET
    (b"GET /health\r\n\r\n", set(), set()),
    (b"GET /health HTTP/1.1\n\n", set(), set()),
    (b"\r\n\r\nGET /health HTTP/1.1\r\n\r\n", set(), set()),
    (b"GET\t/health\tHTTP/1.1\r\n\r\n", set(), set()),
    (b"G\x00T /health HTTP/1.1\r\n\r\n", {400}, {"method"}),
    (b"GET /health HTTP/1.1", set(), set()),
    (b"GET /health HTTP/1.1\r\nHost: x", set(), set()),
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(32)), set(), set()),
    (b"GET http://127.0.0.1/health HTTP/1.1\r\n\r\n", set(), set()),
    (b"OPTIONS * HTTP/1.1\r\n\r\n", set(), set()),
    (b"CONNECT 127.0.0.1:80 HTTP/1.1\r\n\r\n", set(), set()),
    (b"TRACE /health HTTP/1.1\r\n\r\n", set(), set()),
    (b"GET //health HTTP/1.1\r\n\r\n", set(), set()),
    (b"GET /../../etc/passwd HTTP/1.1\r\n\r\n", set(), set()),
    (b"GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n\r\n", set(), set()),
    (b"GET /health?%% HTTP/1.1\r\n\r\n", set(), set()),
    (b"GET /health#frag HTTP/1.1\r\n\r\n", set(), set()),
    (b"GET /api/v1/catalogue?q=%zz&&&==&limit= HTTP/1.1\r\n\r\n", set(), set()),
    (b"GET /health HTTP/1.1\r\n folded-first: x\r\n\r\n", {400}, {"headers"}),
    (b"GET /health HTTP/1.1\r\nFrom nobody\r\n\r\n", {400}, {"headers"}),
    (b"GET /health HTTP/1.1\r\nHost: x\r\nFrom nobody\r\n\r\n", {400}, {"headers"}),
    (b"GET /health HTTP/1.1\r\nHost: .1\r\n\r\n", {400}, {"header:Host"}),
    (b"GET /health HTTP/1.1\r\nHost: a..b\r\n\r\n", {400}, {"header:Host"}),
    (b"GET /health HTTP/1.1\r\nNo colon here\r\n\r\n", {400}, {"headers"}),
    (b"GET /health HTTP/1.1\r\n: no name\r\n\r\n", {400}, {"headers"}),
    (b"GET /health HTTP/1.1\r\nX-A: a\rHost: b\r\n\r\n", {400}, {"headers"}),
    (b"GET /health HTTP/1.1\r\nX-A: a\r\r\nAuthorization: x\r\n\r\n", {400}, {"headers"}),
    (b"GET /health HTTP/1.1\r\nX_Under_Score: x\r\n\r\n", set(), set()),
    (b'GET /score HTTP/1.1\r\nCookie: ocop_session=\xff\xfe; a="b"; ;;\r\n\r\n', set(), set()),
    (
        b"GET /score HTTP/1.1\r\nCookie: " + b"ocop_session=" + b"k" * 8000 + b"\r\n\r\n",
        set(),
        set(),
    ),
    (
        b"POST /sign-in HTTP/1.1\r\nOrigin: http://[\r\nContent-Length: 12\r\n\r\ncredential=x",
        set(),
        set(),
    ),
]


def request_lines(requests: Requests, count: int) -> list[Case]:
    """The fixed nasty list, each to a random service, then random bytes as a request."""
    cases = []
    for line, statuses, naming in NASTY_LINES:
        service, _ = requests.pick()
        cases.append(refused("request line", service, line, statuses, naming))
    for _ in range(count - len(cases)):
        service, _ = requests.pick()
        rng = requests.rng
        noise = bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 200)))
        cases.append(Case("request line", service, noise + b"\r\n\r\n"))
    return cases


def absurd_lengths(requests: Requests, count: int) -> list[Case]:
    """Request lines around eventlet's 8192-byte limit, header lines over it, a header
    section over 64 KiB, over 100 headers, huge query strings, lengths past any body."""
    cases = []
    for n in range(count):
        service, route = requests.pick()
        rng, target = requests.rng, requests.target(route)
        headers = requests.headers(route, None)
        statuses: set[int] = set()
        match n % 6:
            case 0:  # the request line: under the limit, or over it (414 or a closed socket)
                size = rng.choice([rng.randint(7000, 8150), rng.randint(8200, 40000)])
                target += b"?q=" + b"a" * size
                statuses = {414} if size > 8192 else set()
            case 1:  # one header line of 8192 bytes or more
                headers.append((b"X-Big", token(rng, rng.randint(8192, 20000))))
                statuses = {400}
            case 2:  # a header section over 64 KiB, each line under the limit
                headers += [(b"X-Part-%d" % i, token(rng, 7000)) for i in range(10)]
                statuses = {400}
            case 3:  # over 100 headers
                headers += [(b"X-H%d" % i, b"v") for i in range(rng.randint(101, 400))]
                statuses = {431}
            case 4:  # thousands of query parameters
                target += b"?" + b"&".join(b"p%d=%d" % (i, i) for i in range(rng.randint(500, 900)))
            case 5:  # a Content-Length no body ever reaches
                headers.append((b"Content-Length", str(rng.choice([10**7, 10**30])).encode()))
        request = build(route.method.encode(), target, headers)
        cases.append(refused("absurd lengths", service, request, statuses, set(), True))
    return cases


METHODS = [b"HEAD", b"OPTIONS", b"TRACE", b"PATCH", b"PUT", b"DELETE", b"get", b"FOO", b"M" * 300]


def methods(requests: Requests, count: int) -> list[Case]:
    """Every route asked with a method it may not take."""
    cases = []
    for _ in range(count):
        service, route = requests.pick()
        method, body = requests.rng.choice(METHODS), requests.body(route)
        request = build(method, requests.target(route), requests.headers(route, body), body)
        cases.append(Case("methods", service, request))
    return cases
