"""The faults the front check and the protocol refuse, each kind a function of the seeded
`Requests` and how many cases to make: bytes that are not UTF-8 (or control characters)
in the path and the query, control characters, folds and non-ASCII bytes in headers,
uncertain body lengths."""

from __future__ import annotations

from tests.support.raw_cases import (
    CONTROLS,
    HEADER_CONTROLS,
    HEADERS,
    NOT_UTF8,
    OWN,
    Case,
    Requests,
    build,
    header_case,
    refused,
    token,
)


def bad_piece(requests: Requests, controls: bool = True) -> bytes:
    """Bytes that make the text around them not UTF-8 (or a control character): percent-
    encoded mostly, sometimes raw (a byte 0x80-0xff alone before ASCII is never UTF-8)."""
    rng = requests.rng
    if rng.random() < 0.25:
        return bytes([rng.randint(0x80, 0xFF)])
    return rng.choice(NOT_UTF8 + (CONTROLS if controls else []))


def path_not_utf8(requests: Requests, count: int) -> list[Case]:
    cases = []
    for _ in range(count):
        service, route = requests.pick()
        target = requests.target(route)
        # right after a `/`: never beside another percent-encoded sequence it could complete
        slashes = [at + 1 for at, char in enumerate(target) if char == ord("/")]
        at = requests.rng.choice(slashes)
        target = target[:at] + bad_piece(requests) + target[at:]
        body = requests.body(route)
        request = build(route.method.encode(), target, requests.headers(route, body), body)
        cases.append(refused("path bytes", service, request, {400}, {"path", "request_line"}))
    return cases


def query_not_utf8(requests: Requests, count: int) -> list[Case]:
    cases = []
    for _ in range(count):
        service, route = requests.pick()
        rng = requests.rng
        good = [b"q=Ch%C3%A8+b%C3%BAp", b"limit=5", b"province_code=19", b"min_stars=3"]
        params = rng.sample(good, rng.randint(0, 3))
        # control characters in a query are its parameters' to judge (422, or fine)
        bad = rng.choice([b"q=", b"cursor=", b"", b"product_id="]) + bad_piece(requests, False)
        params.insert(rng.randint(0, len(params)), bad + b"x")
        target = requests.target(route) + b"?" + b"&".join(params)
        body = requests.body(route)
        request = build(route.method.encode(), target, requests.headers(route, body), body)
        cases.append(refused("query bytes", service, request, {400}, {"query", "request_line"}))
    return cases


def header_control(requests: Requests, count: int) -> list[Case]:
    """A control character in a header's value; CR or LF alone only inside it (at the end
    they would end the header section, and what follows would be the body)."""
    cases = []
    for _ in range(count):
        rng = requests.rng
        name, value = rng.choice(HEADERS), token(rng)
        if rng.random() < 0.2:
            at = rng.randint(1, len(value) - 1)
            value = value[:at] + rng.choice([b"\r", b"\n"]) + value[at:]
        else:
            value = requests.inject(value, rng.choice(HEADER_CONTROLS))
        cases.append(header_case("header control", requests, name, value))
    return cases


def header_fold(requests: Requests, count: int) -> list[Case]:
    cases = []
    for _ in range(count):
        rng = requests.rng
        name, first, rest = rng.choice(HEADERS), token(rng, rng.randint(0, 8)), token(rng)
        fold = rng.choice([b"\r\n ", b"\r\n\t", b"\n ", b"\r\n  \t"])
        cases.append(header_case("header fold", requests, name, first + fold + rest))
    return cases


def header_not_ascii(requests: Requests, count: int) -> list[Case]:
    """Bytes 0x80-0xff in the platform's own headers (refused) and in others (let be), and
    correlation ids over 200 characters (refused)."""
    cases = []
    for _ in range(count):
        rng = requests.rng
        name = rng.choice(HEADERS)
        if rng.random() < 0.15:
            value, name = token(rng, rng.randint(201, 7000)), "X-Correlation-Id"
        else:
            value = requests.inject(token(rng), bytes([rng.randint(0x80, 0xFF)]))
        naming = None if name in OWN else set()
        cases.append(header_case("header non-ascii", requests, name, value, naming))
    return cases


TRANSFER_ENCODINGS = [b"chunked", b"Chunked", b" chunked", b"chunked, chunked", b"gzip, chunked"]
TRANSFER_ENCODINGS += [b"identity", b"", b"xchunked", b"chunked;q=1"]
CHUNKED_BODIES = [b"2\r\n{}\r\n0\r\n\r\n", b"zz\r\n{}\r\n0\r\n\r\n", b"-2\r\n{}\r\n0\r\n\r\n"]
CHUNKED_BODIES += [
    b"ffffffffffffffffffff\r\n{}",
    b"10\r\n{}",
    b"2;ext=1\r\n{}\r\n0\r\nX: y\r\n\r\n",
]
BAD_LENGTHS = [b"-1", b"+5", b"0x10", b"1e3", b"5 5", b"", b"5,5", b"\xd9\xa1", b"five", b"5.0"]


def framing(requests: Requests, count: int) -> list[Case]:
    """A body whose length is not one Content-Length of digits: 411 for any
    Transfer-Encoding, 400 naming Content-Length otherwise."""
    cases = []
    for n in range(count):
        service, route = requests.pick()
        rng = requests.rng
        headers = [(name, value) for name, value in requests.headers(route, None)]
        if n % 2:
            headers.append((b"Transfer-Encoding", rng.choice(TRANSFER_ENCODINGS)))
            if rng.random() < 0.3:
                headers.append((b"Content-Length", b"2"))
            body, statuses, naming = rng.choice(CHUNKED_BODIES), {411}, "Transfer-Encoding"
        else:
            lengths = [rng.choice(BAD_LENGTHS)] if rng.random() < 0.7 else [b"2", b"2"]
            headers += [(b"Content-Length", length) for length in lengths]
            body, statuses, naming = b"{}", {400}, "Content-Length"
        request = build(route.method.encode(), requests.target(route), headers, body)
        cases.append(refused("framing", service, request, statuses, {f"header:{naming}"}))
    return cases
