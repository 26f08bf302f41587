"""The whole platform as separate processes, as `make run` starts it, on a vhost, broker
users and a store of this test session's own (each service logs in as its own user), watched
by a plain pika subscriber with a subscriber's user."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.support.broker import Sandbox

SERVICES = ("registration", "scoring", "certification", "trade_promotion")


@dataclass
class Platform:
    urls: dict[str, str]
    bus: Sandbox  # the vhost and its users: `bus.amqp_uri("scoring")` is scoring's login
    tap: object
    logs: Path
    key: str  # an API key holding every role (tests of access use narrower ones)
    access_db: str

    def api(self, service: str) -> str:
        return f"{self.urls[service]}/api/v1"


@pytest.fixture(scope="session")
def bus() -> Iterator[Sandbox]:
    """The production broker definitions in a vhost of this session's own."""
    sandbox = Sandbox("e2e").platform()
    yield sandbox
    sandbox.remove()


@pytest.fixture(scope="session")
def platform(bus, store_uri, tmp_path_factory) -> Iterator[Platform]:
    from shared.devstack.credentials import all_powers_key
    from shared.devstack.processes import free_port, start_service, stop_all, wait_until_healthy
    from tests.support.amqp import EventTap
    from tests.support.auth import public_key_file

    public = [f"{service}.events" for service in SERVICES]
    tap = EventTap(bus.subscriber("tap", public), SERVICES)  # bound before anything is sent
    logs = tmp_path_factory.mktemp("logs")
    ports = {name: free_port() for name in SERVICES}
    env = {
        **bus.env(),
        "MONGO_URI": store_uri,
        "COUNCIL_MEMBERS": "member-1,member-2,member-3",
        "SIGNING_KEYS_DIR": str(logs.parent / "keys"),
        "ACCESS_DB": f"{bus.vhost}_access",
        "AUTH_JWT_PUBLIC_KEYS": public_key_file(),
        # every test calls from 127.0.0.1, mostly with one key: limits it never reaches
        "RATE_LIMIT_WRITES": "1000000/60",
        "RATE_LIMIT_SIGN_IN": "1000000/60",
        "RATE_LIMIT_PUBLIC_READS": "1000000/60",
        **{f"{name.upper()}_HTTP": f"127.0.0.1:{port}" for name, port in ports.items()},
    }
    processes = {
        name: start_service(name, {**env, "AMQP_URI": bus.amqp_uri(name)}, logs / f"{name}.log")
        for name in SERVICES
    }
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    try:
        wait_until_healthy({name: (processes[name], urls[name]) for name in SERVICES})
        key = all_powers_key(store_uri, env["ACCESS_DB"], client="e2e tests")
        yield Platform(urls, bus, tap, logs, key, env["ACCESS_DB"])
    finally:
        stop_all(list(processes.values()))
        tap.close()


@pytest.fixture
def http(platform) -> Iterator[requests.Session]:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {platform.key}"
    yield session
    session.close()
