"""The demo's client: the four services over one HTTP session, and waiting for what their
events make; anything that does not happen becomes a DemoError saying what."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import requests

T = TypeVar("T")
Json = Any


class DemoError(Exception):
    """Something the demo needs did not happen; the message says what, in one sentence."""


class Api:
    """The four services over one HTTP session; any failure becomes a DemoError."""

    def __init__(self, host: str, ports: dict[str, int], key: str) -> None:
        self.base = {name: f"http://{host}:{port}" for name, port in ports.items()}
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {key}"

    def get(self, service: str, path: str, **params: Any) -> Json:
        return self.call("GET", service, f"/api/v1{path}", params=params)

    def post(self, service: str, path: str, body: Json) -> Json:
        return self.call("POST", service, f"/api/v1{path}", json=body)

    def call(self, method: str, service: str, path: str, **kwargs: Any) -> Json:
        url = self.base[service]
        try:
            response = self.http.request(method, url + path, timeout=10, **kwargs)
        except requests.RequestException:
            problem = f"{service} does not answer at {url}"
            raise DemoError(f"{problem}: start the platform first with `make run`.") from None
        if response.status_code >= 400:
            raise DemoError(f"{method} {url}{path}: {response.status_code} {response.text[:300]}")
        return response.json()


def wait_for(probe: Callable[[], T], what: str, timeout: float = 20) -> T:
    """`probe()`'s first truthy result, polled until a deadline (events take milliseconds)."""
    deadline = time.monotonic() + timeout
    while not (result := probe()):
        if time.monotonic() > deadline:
            raise DemoError(f"Gave up after {timeout:.0f}s waiting for {what}.")
        time.sleep(0.05)
    return result
