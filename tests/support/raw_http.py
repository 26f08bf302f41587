"""HTTP over a plain socket, for requests no HTTP library would send, and a strict reader
of what comes back.

`exchange` sends the bytes as they are, closes its sending side (so a server waiting for
more learns there is none) and reads until the server closes. `read_answers` splits what
came back into responses and says what is wrong with them: a status line, header lines
of `name: value` with no control characters (a header the server let a client inject
would show here), and a body as long as the response says.
"""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass, field

STATUS_LINE = re.compile(rb"HTTP/1\.[01] ([0-9]{3})(?: [^\r\n]*)?\r\n")
HEADER_LINE = re.compile(rb"([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*([^\x00-\x08\x0a-\x1f\x7f]*)")
BODYLESS = {204, 304}


@dataclass(frozen=True)
class Exchange:
    """What came back for one request, and how the connection ended."""

    data: bytes
    reset: bool = False  # the server closed with our bytes unread (a TCP reset)
    timed_out: bool = False


@dataclass
class Response:
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""


class Malformed(Exception):
    """The bytes are not well-formed HTTP/1.x responses."""


def exchange(port: int, request: bytes, timeout: float = 10.0) -> Exchange:
    data, reset = bytearray(), False
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        try:
            connection.sendall(request)
            connection.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            reset = True  # answered (and closed) before it read all we sent
        try:
            while chunk := connection.recv(65536):
                data += chunk
        except ConnectionResetError:
            reset = True
        except TimeoutError:
            return Exchange(bytes(data), reset, timed_out=True)
    return Exchange(bytes(data), reset)


def read_answers(exchanged: Exchange, head: bool = False) -> list[Response]:
    """Every response in what came back; Malformed says what is wrong. After a reset the
    last response may be cut short (the kernel drops what it had not handed over yet):
    a cut that starts like a response is let go, and the complete ones are returned."""
    data, responses = exchanged.data, []
    while data:
        try:
            response, data = read_one(data, head)
        except Malformed:
            if exchanged.reset and (data.startswith(b"HTTP/1.") or b"HTTP/1.".startswith(data)):
                break
            raise
        responses.append(response)
    return responses


def read_one(data: bytes, head: bool) -> tuple[Response, bytes]:
    """The first response in `data`, and what follows it."""
    status_line = STATUS_LINE.match(data)
    if not status_line:
        raise Malformed(f"no status line: {data[:80]!r}")
    response = Response(int(status_line.group(1)))
    end = data.find(b"\r\n\r\n", status_line.end() - 2)
    if end < 0:
        raise Malformed(f"header section not terminated: {data[:200]!r}")
    for line in data[status_line.end() : end].split(b"\r\n") if end > status_line.end() else []:
        header = HEADER_LINE.fullmatch(line)
        if not header:
            raise Malformed(f"not a header line: {line[:120]!r}")
        name = header.group(1).decode().lower()
        response.headers[name] = header.group(2).decode("latin-1").strip()
    rest = data[end + 4 :]
    if response.status < 200 or response.status in BODYLESS or head:
        return response, rest
    return read_body(response, rest)


def read_body(response: Response, rest: bytes) -> tuple[Response, bytes]:
    if response.headers.get("transfer-encoding", "").lower() == "chunked":
        return read_chunks(response, rest)
    length = response.headers.get("content-length")
    if length is None:  # delimited by the connection's close
        response.body = rest
        return response, b""
    if not length.isdigit():
        raise Malformed(f"Content-Length {length!r}")
    if len(rest) < int(length):
        raise Malformed(f"body of {len(rest)} bytes, Content-Length {length}")
    response.body = rest[: int(length)]
    return response, rest[int(length) :]


def read_chunks(response: Response, rest: bytes) -> tuple[Response, bytes]:
    body = bytearray()
    while True:
        line_end = rest.find(b"\r\n")
        size_field = rest[:line_end].split(b";")[0].strip() if line_end >= 0 else b""
        if not re.fullmatch(rb"[0-9A-Fa-f]+", size_field):
            raise Malformed(f"chunk size {rest[:20]!r}")
        size, rest = int(size_field, 16), rest[line_end + 2 :]
        if size == 0:
            trailer_end = rest.find(b"\r\n")
            if trailer_end < 0:
                raise Malformed("chunked body not terminated")
            response.body = bytes(body)
            return response, rest[trailer_end + 2 :]
        if len(rest) < size + 2 or rest[size : size + 2] != b"\r\n":
            raise Malformed("chunk shorter than its size")
        body += rest[:size]
        rest = rest[size + 2 :]
