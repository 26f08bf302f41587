"""A broker set up for a test run as `make run` and deploy/ set it up: a vhost of its own,
one user per service allowed only its own resources, outside subscribers that may only
read. User names carry the run's prefix (the services get it as BROKER_USER_PREFIX), so
runs never meet each other or `make run`; nothing logs in as `guest`.

- `Sandbox.platform()`: the production definitions (deploy/broker.py) in the vhost.
- `Sandbox.bare()`: an empty vhost with the platform's exchanges, for one service at a time
  (integration tests), whose user `service()` makes from the service class itself.
"""

from __future__ import annotations

import secrets
import uuid
from functools import cache
from typing import Any
from urllib.parse import quote

import pika

from deploy.broker import permission_rules
from deploy.dev_broker import dev_admin
from deploy.provision import (
    Management,
    add_subscriber,
    platform_definitions,
    remove_user,
    remove_vhost,
)
from deploy.topology import SERVICES, event_exchanges, handler_queues_of
from shared.messaging.topology import replay_exchange

AMQP_HOST = "127.0.0.1:5672"


@cache
def test_admin() -> Management:
    """The development administrator (`make broker` made it; made here if not)."""
    return dev_admin()


class Sandbox:
    def __init__(self, label: str = "test", admin: Management | None = None) -> None:
        suffix = uuid.uuid4().hex[:10]
        self.admin = admin or test_admin()
        self.vhost = f"ocop_{label}_{suffix}"
        self.prefix = f"t{suffix}-"
        self.passwords: dict[str, str] = {}  # user (with prefix) -> password

    # -- logins --------------------------------------------------------------------------
    def user(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def amqp_uri(self, name: str) -> str:
        """The login of `name` (a service, or a user made here) in this vhost; a platform
        service's user is made on first use."""
        user = self.user(name)
        if user not in self.passwords and name in SERVICES:
            return self.service(name)
        if user not in self.passwords:
            raise KeyError(f"no broker user {name!r} in this sandbox")
        login = f"{quote(user, safe='')}:{quote(self.passwords[user], safe='')}"
        return f"pyamqp://{login}@{AMQP_HOST}/{quote(self.vhost, safe='')}"

    def env(self) -> dict[str, str]:
        """What a service of this sandbox needs besides its AMQP_URI."""
        return {"BROKER_USER_PREFIX": self.prefix}

    # -- setting up ----------------------------------------------------------------------
    def platform(self) -> Sandbox:
        passwords = {service: self._password(service) for service in SERVICES}
        definitions = platform_definitions(self.vhost, self.prefix, passwords)
        self.admin.call("POST", "definitions", definitions)
        return self

    def bare(self) -> Sandbox:
        self.admin.call("PUT", f"vhosts/{quote(self.vhost, safe='')}")
        self._as_admin(self._declare_platform_exchanges)
        return self

    def service(self, service: type | str) -> str:
        """A user for a service class (also a test's own), allowed what production allows a
        service: its own exchanges and queues, reading its sources."""
        name = service if isinstance(service, str) else service.name  # type: ignore[attr-defined]
        handlers = None if isinstance(service, str) else handler_queues_of(service)
        configure, write, read = permission_rules(name, handlers)
        self._grant(name, configure, write, read)
        return self.amqp_uri(name)

    def subscriber(self, name: str, exchanges: list[str], personal: bool = False) -> str:
        """An outside system that may read `exchanges`, as `ocop broker subscriber` makes it."""
        password = self._password(name)
        add_subscriber(
            self.admin, self.vhost, self.user(name), exchanges, password,
            allow_personal_data=personal,
        )  # fmt: skip
        return self.amqp_uri(name)

    def administrator(self, name: str = "admin") -> str:
        """A user allowed everything in the vhost (what `guest` is on a default broker)."""
        self._grant(name, ".*", ".*", ".*")
        return self.amqp_uri(name)

    def remove(self) -> None:
        remove_vhost(self.admin, self.vhost)
        for user in self.passwords:
            remove_user(self.admin, user)

    # -- helpers -------------------------------------------------------------------------
    def _password(self, name: str) -> str:
        return self.passwords.setdefault(self.user(name), secrets.token_hex(16))

    def _grant(self, name: str, configure: str, write: str, read: str) -> None:
        user, password = self.user(name), self._password(name)
        self.admin.call("PUT", f"users/{quote(user, safe='')}", {"password": password, "tags": ""})
        rules = {"configure": configure, "write": write, "read": read}
        path = f"permissions/{quote(self.vhost, safe='')}/{quote(user, safe='')}"
        self.admin.call("PUT", path, rules)

    def _as_admin(self, work: Any) -> None:
        login = f"{quote(self.admin.user, safe='')}:{quote(self.admin.password, safe='')}"
        uri = f"amqp://{login}@{AMQP_HOST}/{quote(self.vhost, safe='')}"
        connection = pika.BlockingConnection(pika.URLParameters(uri))
        try:
            work(connection.channel())
        finally:
            connection.close()

    @staticmethod
    def _declare_platform_exchanges(channel: Any) -> None:
        for service in SERVICES:
            for exchange in event_exchanges(service):
                channel.exchange_declare(exchange.name, exchange_type="topic", durable=True)
            replay = replay_exchange(service)
            channel.exchange_declare(replay.name, exchange_type="direct", durable=True)
