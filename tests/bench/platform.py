"""Where the benchmarks run: a vhost and broker users of their own on the machine's RabbitMQ
(the production definitions, tests/support/broker.py), and the chaos suite's platform
(store on disk, four `nameko run` processes on free ports) on that vhost instead of a
private broker node."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from shared.devstack.processes import SERVICES, Process, free_port
from tests.chaos.broker import ADMIN, OBSERVER
from tests.chaos.platform import ChaosPlatform
from tests.support.broker import Sandbox, test_admin


class Vhost:
    """A sandbox created for one run and deleted after it; it stands where the chaos suite
    has its `PrivateBroker` (`amqp_uri(name)`, `env`, `start`, `halt`), with the same names:
    the services, `chaos-admin` (everything in the vhost, for the baselines and looks) and
    `chaos-observer` (an outside subscriber of the public exchanges)."""

    def __init__(self, label: str = "bench") -> None:
        self.sandbox = Sandbox(label)

    def amqp_uri(self, name: str) -> str:
        return self.sandbox.amqp_uri(name)

    def env(self) -> dict[str, str]:
        return self.sandbox.env()

    def start(self) -> None:
        self.sandbox.platform()
        self.sandbox.administrator(ADMIN)
        self.sandbox.subscriber(OBSERVER, [f"{service}.events" for service in SERVICES])

    def halt(self) -> None:
        self.sandbox.remove()

    def __enter__(self) -> Vhost:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.halt()


def rabbitmq_version() -> str:
    try:
        overview = test_admin().call("GET", "overview")
        return f"{overview['rabbitmq_version']} (Erlang {overview['erlang_version']})"
    except Exception:  # a figure for the report, never a reason to stop
        return "unknown"


class BenchPlatform(ChaosPlatform):
    """ChaosPlatform's start, env and stop, on a vhost of the shared broker."""

    def __init__(self) -> None:  # ChaosPlatform's fields, without building a broker node
        self.folder = Path(tempfile.mkdtemp(prefix="ocop-bench-"))
        self.broker = Vhost()  # type: ignore[assignment]
        self.store_port = free_port()
        self.ports = {name: free_port() for name in SERVICES}
        self.urls = {name: f"http://127.0.0.1:{port}" for name, port in self.ports.items()}
        self.services: dict[str, Process] = {}
        self.store: Process | None = None

    def pids(self) -> dict[str, int]:
        """Each service's serving process, and the store's."""
        processes = {**self.services, **({"nx-27017 (store)": self.store} if self.store else {})}
        return {name: serving_pid(p.popen.pid) for name, p in processes.items()}

    def peak_memory(self) -> dict[str, int]:
        """VmHWM (kB) of each service's process, and of the store's."""
        return {name: vm_hwm(pid) for name, pid in self.pids().items()}

    def cpu_meter(self) -> CpuMeter:
        """CPU of the platform's processes, the bench's own, and the broker node's."""
        others = {"bench (clients, subscriber)": os.getpid(), "RabbitMQ node": broker_pid()}
        return CpuMeter({**self.pids(), **others})


def serving_pid(pid: int) -> int:
    """The process that does the work: `pid`, or its only descendant if it forked one (a
    launcher that runs the service in a child); `nameko run` 2.14 serves in-process."""
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        children += [int(child) for child in text.split()]
    return serving_pid(children[0]) if len(children) == 1 else pid


def vm_hwm(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process (all its threads) so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def broker_pid() -> int | None:
    """The local RabbitMQ node's pid (read only: it serves other vhosts too)."""
    for status in Path("/proc").glob("[0-9]*/comm"):
        try:
            if status.read_text().strip() == "beam.smp":
                return int(status.parent.name)
        except OSError:
            continue
    return None


class CpuMeter:
    """CPU seconds each named process spent between `start()` and `stop()`."""

    def __init__(self, pids: dict[str, int | None]) -> None:
        self.pids = {name: pid for name, pid in pids.items() if pid}
        self.before: dict[str, float] = {}

    def start(self) -> CpuMeter:
        self.before = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        return self

    def stop(self) -> dict[str, float]:
        return {name: cpu_seconds(pid) - self.before[name] for name, pid in self.pids.items()}
