"""`make run`: the whole platform on this machine, in the foreground, until Ctrl-C.

Starts the embedded store (unless MONGO_URI names one), then the four services as
separate `nameko run` processes, each logging in to the broker as its own user (set up by
`python -m deploy.dev_broker platform`, which `make run` runs first; passwords in
`var/broker/`), each listening on 127.0.0.1 only; prints where each listens and stops them
all on Ctrl-C. Running it again while it runs says so and changes nothing.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from kombu import Connection

from shared.devstack.credentials import DEV_VHOST, dev_amqp_uri, dev_key
from shared.devstack.processes import (
    ROOT,
    SERVICES,
    Process,
    StartupError,
    port_taken,
    start_service,
    start_store,
    stop_all,
    wait_for_store,
    wait_until_healthy,
)

VAR = ROOT / "var"
STORE_PORT = 27017


def main() -> int:
    started = time.monotonic()
    (VAR / "run").mkdir(parents=True, exist_ok=True)
    lock = VAR / "run" / "platform.pid"
    running = _running_pid(lock)
    if running:
        print(
            f"The platform is already running (pid {running}); stop it with Ctrl-C where it runs."
        )
        _print_addresses()
        return 0
    busy = [f"{port} ({name})" for name, port in _ports().items() if port_taken(port)]
    if busy:
        print(f"Cannot start: port {', '.join(busy)} is in use by another program.")
        return 1
    if os.environ.get("AMQP_URI"):
        print(
            "Cannot start: AMQP_URI is set, but each service logs in as its own broker user; "
            "unset it (make run uses the local broker's vhost ocop)."
        )
        return 1
    brokers = {name: dev_amqp_uri(name) for name in SERVICES}
    if not _broker_answers(brokers["registration"]):
        where = _safe(brokers["registration"])
        print(
            f"Cannot start: RabbitMQ does not let registration in at {where} "
            "(run `python -m deploy.dev_broker platform`, as `make run` does)."
        )
        return 1
    lock.write_text(str(os.getpid()))
    processes: list[Process] = []
    try:
        processes += _store()
        services = {
            name: start_service(name, {"AMQP_URI": brokers[name]}, VAR / "log" / f"{name}.log")
            for name in SERVICES
        }
        processes += services.values()
        urls = {name: f"http://127.0.0.1:{port}" for name, port in _ports().items()}
        wait_until_healthy({name: (services[name], urls[name]) for name in services})
        _print_addresses()
        _print_dev_key(dev_key(VAR / "dev-api-key"))
        print(
            f"All four services answer /health (ready in {time.monotonic() - started:.1f}s). "
            f"Logs: {VAR / 'log'}. Ctrl-C stops everything."
        )
        print(
            f"Broker: vhost {DEV_VHOST} on 127.0.0.1:5672, one user per service (passwords in "
            f"{VAR / 'broker'}); outside subscribers: `ocop broker subscriber create`."
        )
        print("In another terminal, `make demo` loads sample OCOP data.")
        _wait_for_stop(processes)
        return 0
    except StartupError as exc:
        print(f"Cannot start: {exc}")
        return 1
    finally:
        print("Stopping…")
        stop_all(processes)
        lock.unlink(missing_ok=True)


def _print_dev_key(key: str) -> None:
    print(
        f"Development API key (every role, every province) in {VAR / 'dev-api-key'}:\n"
        f'  curl -H "Authorization: Bearer $(cat var/dev-api-key)" '
        f"http://127.0.0.1:8001/api/v1/producers/<id>\n"
        "  Public pages and endpoints (catalogue, map, verification, feed) need no key."
    )


def _store() -> list[Process]:
    uri = os.environ.get("MONGO_URI")
    if uri:
        wait_for_store(uri)
        print(f"Using the database at MONGO_URI ({_safe(uri)}).")
        return []
    if port_taken(STORE_PORT):
        wait_for_store(f"mongodb://127.0.0.1:{STORE_PORT}")
        print(f"Using the store already listening on 127.0.0.1:{STORE_PORT}.")
        return []
    (VAR / "mongo").mkdir(parents=True, exist_ok=True)
    (VAR / "log").mkdir(parents=True, exist_ok=True)
    store = start_store(
        STORE_PORT, str(VAR / "mongo"), VAR / "log" / "store.log", VAR / "run" / "nx.pid"
    )
    print(f"Embedded store (nx-27017) on 127.0.0.1:{STORE_PORT}, data in {VAR / 'mongo'}.")
    return [store]


def _ports() -> dict[str, int]:
    ports = {}
    for name, default in SERVICES.items():
        address = os.environ.get(f"{name.upper()}_HTTP", f"127.0.0.1:{default}")
        ports[name] = int(address.rsplit(":", 1)[1])
    return ports


PAGES = {
    "scoring": "/sign-in, then /score?member=member-1  (phone scoring page)",
    "certification": "/verify/<certificate number>  (public verification page)",
}


def _print_addresses() -> None:
    for name, port in _ports().items():
        print(f"  {name:<16} http://127.0.0.1:{port}  (health: /health, API: /api/v1/...)")
    for name, path in PAGES.items():
        print(f"  page             http://127.0.0.1:{_ports()[name]}{path}")


def _broker_answers(uri: str) -> bool:
    try:
        with Connection(uri, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception:
        return False
    return True


def _running_pid(lock: Path) -> int | None:
    """The pid of a `make run` still running, from its lock file (stale files are ignored)."""
    try:
        pid = int(lock.read_text())
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return None
    return pid if pid != os.getpid() and b"shared.devstack.run" in command else None


def _wait_for_stop(processes: list[Process]) -> None:
    stop = {"requested": False}

    def request_stop(signum: int, frame: object) -> None:
        stop["requested"] = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    while not stop["requested"]:
        for process in processes:
            if process.popen.poll() is not None:
                print(
                    f"{process.name} exited with code {process.popen.returncode}; see {process.log}"
                )
                return
        time.sleep(0.5)


def _safe(uri: str) -> str:
    """The URI without its password."""
    if "@" not in uri:
        return uri
    scheme, rest = uri.split("://", 1)
    return f"{scheme}://{rest.split('@', 1)[1]}"


if __name__ == "__main__":
    sys.exit(main())
