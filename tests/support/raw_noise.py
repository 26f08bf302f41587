"""Malformed requests whose answer may be anything but a 5xx: odd request lines, absurd
lengths, bodies cut short or not what they say, Expect headers, and valid requests with
random bytes changed. A fixed list of nasty cases first, then the seeded random ones."""

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


def bodies(requests: Requests, count: int) -> list[Case]:
    """Bodies sent with a right Content-Length that are not what their type says, or cut
    short (the client stops sending before the length it announced)."""
    rng = requests.rng
    samples = [b"", b"{", b"null", b"[]", b'"x"', b"\xff\xfe{}", b"\xef\xbb\xbf{}", b"NaN"]
    samples += [b'{"a": 1e999999}', b'{"year": ' + b"9" * 5000 + b"}", b"[" * 50000]
    samples += [b'{"name": "\xc3\x28"}', b'{"a": 1, "a": 2}', "{}".encode("utf-16")]
    samples += [b"credential=%ff%fe&x=\x00", b"--zz\r\nContent-Disposition: form-data\r\n\r\n"]
    multipart = [b"multipart/form-data", b"multipart/form-data; boundary=zz", b"text/plain"]
    multipart += [b"application/x-www-form-urlencoded", b"application/json; charset=latin-1"]
    cases = []
    for _ in range(count):
        service, route = requests.pick(body=True)
        body = rng.choice(samples) if rng.random() < 0.6 else rng.randbytes(rng.randint(1, 3000))
        if rng.random() < 0.1:
            parts = b"".join(
                b'--zz\r\nContent-Disposition: form-data; name="f%d"\r\n\r\nv\r\n' % i
                for i in range(rng.randint(900, 1200))
            )
            body = parts + b"--zz--\r\n"
        headers = [h for h in requests.headers(route, body) if h[0] != b"Content-Type"]
        headers.append((b"Content-Type", rng.choice(multipart)))
        if rng.random() < 0.25:  # cut short: announce more than is sent
            headers = [h for h in headers if h[0] != b"Content-Length"]
            headers.append((b"Content-Length", str(len(body) + rng.randint(1, 5000)).encode()))
        if rng.random() < 0.1:
            headers.append((b"Expect", rng.choice([b"100-continue", b"nonsense"])))
        method = route.method.encode() if rng.random() < 0.9 else rng.choice(METHODS)
        cases.append(Case("bodies", service, build(method, requests.target(route), headers, body)))
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


def pipelined(requests: Requests, samples: list[Case], count: int) -> list[Case]:
    """Two requests in one write on one connection: a malformed one (from `samples`)
    before or after a valid one, so that a refusal meets the connection kept alive."""
    cases = []
    for _ in range(count):
        service, route = requests.pick()
        body = requests.body(route)
        valid = build(
            route.method.encode(), requests.target(route), requests.headers(route, body), body
        )
        other = requests.rng.choice([case for case in samples if case.service == service])
        pair = valid + other.request if requests.rng.random() < 0.5 else other.request + valid
        cases.append(Case("pipelined", service, pair))
    return cases


def mutations(requests: Requests, count: int) -> list[Case]:
    """Valid requests (a Bearer key on about half) with one to four random byte edits."""
    rng, cases = requests.rng, []
    for _ in range(count):
        service, route = requests.pick()
        body = requests.body(route)
        request = bytearray(
            build(
                route.method.encode(), requests.target(route), requests.headers(route, body), body
            )
        )
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(request))
            match rng.randrange(3):
                case 0:
                    request[at] = rng.randint(0, 255)
                case 1:
                    request[at:at] = rng.randbytes(rng.randint(1, 8))
                case 2:
                    del request[at : at + rng.randint(1, 8)]
        cases.append(Case("mutations", service, bytes(request)))
    return cases
