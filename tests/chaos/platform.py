"""The platform under fault: a private broker, a store on disk (so a stopped store comes
back with its data), the four services as processes, and the means to break each."""

from __future__ import annotations

import os
import signal
import tempfile
from pathlib import Path

from shared.access.api_keys import DEFAULT_DB
from shared.devstack.credentials import all_powers_key
from shared.devstack.processes import (
    SERVICES,
    Process,
    free_port,
    start_service,
    start_store,
    stop_all,
    wait_until_healthy,
)
from tests.chaos.broker import PrivateBroker


class ChaosPlatform:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="ocop-chaos-"))
        self.broker = PrivateBroker()
        self.store_port = free_port()
        self.ports = {name: free_port() for name in SERVICES}
        self.urls = {name: f"http://127.0.0.1:{port}" for name, port in self.ports.items()}
        self.services: dict[str, Process] = {}
        self.store: Process | None = None
        self.key = ""  # an API key holding every role, made once the store runs

    @property
    def bus(self) -> PrivateBroker:
        """Logins: `bus.amqp_uri("scoring")` is scoring's own."""
        return self.broker

    @property
    def store_uri(self) -> str:
        return f"mongodb://127.0.0.1:{self.store_port}"

    def env(self, service: str) -> dict[str, str]:
        return {
            **self.broker.env(),
            "AMQP_URI": self.broker.amqp_uri(service),
            "MONGO_URI": self.store_uri,
            "COUNCIL_MEMBERS": "member-1,member-2,member-3",
            "SIGNING_KEYS_DIR": str(self.folder / "keys"),
            # the flows come from 127.0.0.1 with one key: limits they never reach
            "RATE_LIMIT_WRITES": "1000000/60",
            "RATE_LIMIT_SIGN_IN": "1000000/60",
            "RATE_LIMIT_PUBLIC_READS": "1000000/60",
            **{f"{name.upper()}_HTTP": f"127.0.0.1:{port}" for name, port in self.ports.items()},
        }

    def start(self) -> None:
        self.broker.start()
        self.start_store()
        self.key = all_powers_key(self.store_uri, DEFAULT_DB, client="chaos and bench flows")
        for name in SERVICES:
            self.services[name] = start_service(name, self.env(name), self.log(name))
        self.wait_healthy(list(SERVICES))

    def log(self, name: str) -> Path:
        return self.folder / "logs" / f"{name}.log"

    def wait_healthy(self, names: list[str], timeout: float = 120) -> None:
        wait_until_healthy({n: (self.services[n], self.urls[n]) for n in names}, timeout)

    def kill(self, name: str) -> None:
        """kill -9: no clean-up, unacknowledged messages and unrelayed events stay behind."""
        os.killpg(self.services[name].popen.pid, signal.SIGKILL)
        self.services[name].popen.wait()

    def restart(self, name: str) -> None:
        self.services[name] = start_service(name, self.env(name), self.log(name))
        self.wait_healthy([name])

    def start_store(self) -> None:
        data = self.folder / "store"
        data.mkdir(exist_ok=True)
        self.store = start_store(
            self.store_port, str(data), self.folder / "store.log", self.folder / "store.pid"
        )

    def stop_store(self) -> None:
        if self.store is not None:
            stop_all([self.store], grace=10)
            self.store = None

    def stop(self) -> None:
        stop_all(list(self.services.values()))
        self.stop_store()
        self.broker.halt()
