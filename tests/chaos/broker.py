"""A RabbitMQ node of the suite's own, so stopping "the broker" stops nobody else's.

Started from the installed rabbitmq-server with its own port, node name, data and logs in
a temporary folder (the machine's config file is not read: it would claim port 5672).
Debian's wrapper runs the node as the `rabbitmq` user, hence the folder's owner. It boots
with the production definitions (deploy/broker.py: vhost `ocop`, one user per service, no
`guest`), an administrator for the suite's own looks, and an outside subscriber
(`chaos-observer`) that reads the public exchanges.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from deploy.provision import platform_definitions, subscriber_rules
from deploy.rabbitmq.with_passwords import password_hash
from shared.devstack.processes import SERVICES, free_port, port_taken

SBIN = Path("/usr/sbin")


class BrokerUnavailable(Exception):
    """This machine cannot start a private RabbitMQ node (not root, or not installed)."""


VHOST = "ocop"
ADMIN = "chaos-admin"
OBSERVER = "chaos-observer"


class PrivateBroker:
    def __init__(self) -> None:
        if os.geteuid() != 0 or not (SBIN / "rabbitmq-server").exists():
            raise BrokerUnavailable(
                "a private RabbitMQ node needs root and rabbitmq-server (make broker installs it)"
            )
        self.port = free_port()
        self.node = f"ocopchaos{self.port}@localhost"
        self.folder = Path(tempfile.mkdtemp(prefix="ocop-chaos-broker-"))
        self.passwords = {name: secrets.token_hex(16) for name in (*SERVICES, ADMIN, OBSERVER)}
        definitions = self.folder / "definitions.json"
        definitions.write_text(json.dumps(self._definitions()))
        (self.folder / "enabled_plugins").write_text("[].\n")
        (self.folder / "rabbitmq.conf").write_text(
            f"listeners.tcp.local = 127.0.0.1:{self.port}\nload_definitions = {definitions}\n"
        )
        (self.folder / "env.conf").write_text(f"NODENAME={self.node}\n")
        shutil.chown(self.folder, "rabbitmq", "rabbitmq")
        for child in self.folder.iterdir():
            shutil.chown(child, "rabbitmq", "rabbitmq")
        self.node_env = {
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

    def amqp_uri(self, name: str) -> str:
        """The login of a service, of `chaos-admin` or of `chaos-observer`."""
        return f"pyamqp://{name}:{quote(self.passwords[name])}@127.0.0.1:{self.port}/{VHOST}"

    def env(self) -> dict[str, str]:
        return {}  # users named after the services, as in production

    def _definitions(self) -> dict:
        services = {name: self.passwords[name] for name in SERVICES}
        definitions = platform_definitions(VHOST, "", services)
        observer = subscriber_rules(OBSERVER, [f"{name}.events" for name in SERVICES])
        for name, tags, rules in (
            (ADMIN, ["administrator"], (".*", ".*", ".*")),
            (OBSERVER, [], observer),
        ):
            definitions["users"].append(
                {
                    "name": name,
                    "password_hash": password_hash(self.passwords[name]),
                    "hashing_algorithm": "rabbit_password_hashing_sha256",
                    "tags": tags,
                }
            )
            configure, write, read = rules
            definitions["permissions"].append(
                {"user": name, "vhost": VHOST, "configure": configure, "write": write, "read": read}
            )
        return definitions

    def start(self) -> None:
        subprocess.run([str(SBIN / "rabbitmq-server"), "-detached"], env=self.node_env, check=True)
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
            env=self.node_env,
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
