"""POSTs to the platform with an `Idempotency-Key`, retried until they get an answer.

A retry is always safe: the key makes the service return the first record instead of
storing a second one. Answers that will not change on retry (4xx) are returned at once.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from typing import Any

import requests

RETRIED_STATUSES = {429, 502, 503, 504}
ATTEMPTS = 8


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


def idempotency_key(province: str, kind: str, code: str) -> str:
    """The same row of the same province always gets the same key (so a rerun resumes)."""
    key = f"ocop-import/{province}/{kind}/{code}"
    if len(key) <= 200 and key.isprintable():
        return key
    return f"ocop-import/{province}/{kind}/sha256-{hashlib.sha256(code.encode()).hexdigest()}"


class Client:
    def __init__(self, api_key: str, timeout: float = 30) -> None:
        self.timeout = timeout
        self.authorization = f"Bearer {api_key}"
        self.local = threading.local()  # a requests.Session is not shared between threads

    def post(self, url: str, body: dict[str, Any], key: str) -> Answer:
        delay = 0.2
        for attempt in range(1, ATTEMPTS + 1):
            try:
                response = self._session().post(
                    url,
                    json=body,
                    headers={"Idempotency-Key": key, "Authorization": self.authorization},
                    timeout=self.timeout,
                )
            except requests.RequestException:
                if attempt == ATTEMPTS:
                    raise
            else:
                if response.status_code < 500 and response.status_code not in RETRIED_STATUSES:
                    return Answer(response.status_code, _json(response))
                if attempt == ATTEMPTS:
                    return Answer(response.status_code, _json(response))
            time.sleep(delay)
            delay = min(delay * 2, 5)
        raise AssertionError("unreachable")

    def _session(self) -> requests.Session:
        session = getattr(self.local, "session", None)
        if session is None:
            session = self.local.session = requests.Session()
        return session


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {"error": response.text[:300]}
    return body if isinstance(body, dict) else {"value": body}
