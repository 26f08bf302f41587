"""Malformed requests whose answer may be anything but a 5xx: bodies cut short or not what
they say (fixed forms to the sign-in page first), Expect headers, pipelined pairs, and
valid requests with random bytes changed."""

from __future__ import annotations

from tests.support.raw_cases import Case, Requests, build
from tests.support.raw_lines import METHODS

PART = b'--zz\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
SIGN_IN_FORMS = [  # multipart bodies to the sign-in page (its form is urlencoded)
    (b"multipart/form-data; boundary=zz", PART % (b"credential", b"abc") + b"--zz--\r\n"),
    (b"multipart/form-data; boundary=zz", PART % (b"credential", b"abc")),  # unterminated
    (b"multipart/form-data", PART % (b"credential", b"abc") + b"--zz--\r\n"),  # no boundary
    (b"multipart/form-data; boundary=", b"----\r\n\r\n"),
    (b"multipart/form-data; boundary=zz", PART % (b"cr\xffd", b"\xfe\x00") + b"--zz--\r\n"),
    (b"multipart/form-data; boundary=zz", b"--zz\r\nX: " + b"h" * 9000 + b"\r\n\r\nv\r\n--zz--"),
    (b"multipart/form-data; boundary=zz", b"".join(PART % (b"f%d" % i, b"v") for i in range(1500))),
    (b"multipart/form-data; boundary=zz", PART % (b"credential", b"x" * 600_000)),
    (b"application/x-www-form-urlencoded", b"credential=" + b"%ff" * 3000),
    (b"application/x-www-form-urlencoded", b"&".join(b"f%d=v" % i for i in range(1500))),
]


def sign_in_forms(requests: Requests) -> list[Case]:
    cases = []
    for content_type, body in SIGN_IN_FORMS:
        headers = [(b"Host", b"127.0.0.1"), (b"Content-Type", content_type)]
        headers.append((b"Content-Length", str(len(body)).encode()))
        cases.append(Case("bodies", "scoring", build(b"POST", b"/sign-in", headers, body)))
    return cases


def bodies(requests: Requests, count: int) -> list[Case]:
    """Bodies sent with a right Content-Length that are not what their type says, or cut
    short (the client stops sending before the length it announced); the fixed forms to
    the sign-in page first."""
    rng = requests.rng
    samples = [b"", b"{", b"null", b"[]", b'"x"', b"\xff\xfe{}", b"\xef\xbb\xbf{}", b"NaN"]
    samples += [b'{"a": 1e999999}', b'{"year": ' + b"9" * 5000 + b"}", b"[" * 50000]
    samples += [b'{"name": "\xc3\x28"}', b'{"a": 1, "a": 2}', "{}".encode("utf-16")]
    samples += [b"credential=%ff%fe&x=\x00", b"--zz\r\nContent-Disposition: form-data\r\n\r\n"]
    multipart = [b"multipart/form-data", b"multipart/form-data; boundary=zz", b"text/plain"]
    multipart += [b"application/x-www-form-urlencoded", b"application/json; charset=latin-1"]
    cases = sign_in_forms(requests)
    for _ in range(count - len(cases)):
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
