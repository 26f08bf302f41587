"""A RabbitMQ node of the suite's own, so stopping "the broker" stops nobody else's.

Started from the installed rabbitmq-server with its own port, node name, data and logs in
a temporary folder (the machine's config file is not read: it would claim port 5672).
Debian's wrapper runs the node as the `rabbitmq` user, hence the folder's owner.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from shared.devstack.processes import free_port, port_taken

SBIN = Path("/usr/sbin")


class BrokerUnavailable(Exception):
    """This machine cannot start a private RabbitMQ node (not root, or not installed)."""


class PrivateBroker:
    def __init__(self) -> None:
        if os.geteuid() != 0 or not (SBIN / "rabbitmq-server").exists():
            raise BrokerUnavailable(
                "a private RabbitMQ node needs root and rabbitmq-server (make broker installs it)"
            )
        self.port = free_port()
        self.node = f"ocopchaos{self.port}@localhost"
        self.folder = Path(tempfile.mkdtemp(prefix="ocop-chaos-broker-"))
        (self.folder / "enabled_plugins").write_text("[].\n")
        (self.folder / "rabbitmq.conf").write_text(f"listeners.tcp.local = 127.0.0.1:{self.port}\n")
        (self.folder / "env.conf").write_text(f"NODENAME={self.node}\n")
        shutil.chown(self.folder, "rabbitmq", "rabbitmq")
        for child in self.folder.iterdir():
            shutil.chown(child, "rabbitmq", "rabbitmq")
        self.env = {
            **os.environ,
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_CONF_ENV_FILE": str(self.folder / "env.conf"),
            "RABBITMQ_CONFIG_FILE": str(self.folder / "rabbitmq.conf"),
            "RABBITMQ_DIST_PORT": str(free_port()),
            "RABBITMQ_MNESIA_BASE": str(self.folder / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.folder / "log"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.folder / "enabled_plugins"),
            "RABBITMQ_PID_FILE": str(self.folder / "pid"),
        }

    @property
    def amqp_uri(self) -> str:
        return f"pyamqp://guest:guest@127.0.0.1:{self.port}/"

    def start(self) -> None:
        subprocess.run([str(SBIN / "rabbitmq-server"), "-detached"], env=self.env, check=True)
        self._wait(up=True, seconds=120)

    def stop_app(self) -> None:
        """RabbitMQ stops (every connection drops); the node keeps its data."""
        self._ctl("stop_app")
        self._wait(up=False, seconds=30)

    def start_app(self) -> None:
        self._ctl("start_app")
        self._wait(up=True, seconds=60)

    def halt(self) -> None:
        self._ctl("stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _ctl(self, command: str, check: bool = True) -> None:
        subprocess.run(
            [str(SBIN / "rabbitmqctl"), "-n", self.node, command],
            env=self.env,
            check=check,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=120,
        )

    def _wait(self, *, up: bool, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while port_taken(self.port) != up:
            if time.monotonic() > deadline:
                state = "answer" if up else "stop"
                raise BrokerUnavailable(f"the private broker did not {state} within {seconds} s")
            time.sleep(0.2)
