"""The platform's processes: the embedded store and one `nameko run` per service.

Shared by `make run` and the end-to-end tests, so both start the platform the same way.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from pymongo import MongoClient

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"registration": 8001, "scoring": 8002, "certification": 8003, "trade_promotion": 8004}


def service_path(name: str) -> str:
    """`services.<name>.service:<Name>Service`: named, as modules also import mixins."""
    class_name = "".join(part.title() for part in name.split("_")) + "Service"
    return f"services.{name}.service:{class_name}"


class StartupError(Exception):
    """Something the platform needs did not come up; the message says what and where."""


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_taken(port: int, host: str = "127.0.0.1") -> bool:
    """Something answers on the port (a bind test would miss SO_REUSEPORT listeners)."""
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def start_store(port: int, data_dir: str, log: Path, pid_file: Path) -> Process:
    """nx-27017 on `port`; `data_dir` is a folder, or "memory" for a throwaway store."""
    executable = Path(sys.executable).parent / "nx-27017"
    command = [
        str(executable),
        "--host",
        "127.0.0.1",
        "-p",
        str(port),
        "--data-dir",
        data_dir,
        "--pid-file",
        str(pid_file),
        "--log-file",
        str(log),
    ]
    popen = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    process = Process("store", popen, log)
    wait_for_store(f"mongodb://127.0.0.1:{port}", process)
    return process


def wait_for_store(uri: str, process: Process | None = None, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    client: MongoClient = MongoClient(uri, serverSelectionTimeoutMS=500)
    try:
        while time.monotonic() < deadline:
            if process is not None and process.popen.poll() is not None:
                raise StartupError(
                    f"the store exited with code {process.popen.returncode}; see {process.log}"
                )
            try:
                client.admin.command("ping")
                return
            except Exception:
                time.sleep(0.2)
    finally:
        client.close()
    raise StartupError(f"the store at {uri} did not answer within {timeout:.0f}s")


def start_service(name: str, env: dict[str, str], log: Path) -> Process:
    """`nameko run` for one service, its output in `log`."""
    command = [
        sys.executable,
        "-m",
        "nameko",
        "run",
        "--config",
        str(ROOT / "services" / name / "config.yml"),
        service_path(name),
    ]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as output:
        popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Process(name, popen, log)


def wait_until_healthy(processes: dict[str, tuple[Process, str]], timeout: float = 90) -> None:
    """Wait for every service's `/health` to answer 200; StartupError names the laggard."""
    deadline = time.monotonic() + timeout
    pending = dict(processes)
    while pending and time.monotonic() < deadline:
        for name, (process, url) in list(pending.items()):
            if process.popen.poll() is not None:
                raise StartupError(
                    f"{name} exited with code {process.popen.returncode}; see {process.log}"
                )
            try:
                if requests.get(f"{url}/health", timeout=2).status_code == 200:
                    del pending[name]
            except requests.RequestException:
                pass
        time.sleep(0.2)
    if pending:
        raise StartupError(f"not healthy after {timeout:.0f}s: {', '.join(pending)}")


def stop_all(processes: list[Process], grace: float = 15) -> None:
    """SIGTERM (nameko stops gracefully, finishing workers), then SIGKILL after `grace`."""
    for process in processes:
        if process.popen.poll() is None:
            _signal(process, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.popen.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal(process, signal.SIGKILL)
            process.popen.wait()


def _signal(process: Process, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.popen.pid, signum)
