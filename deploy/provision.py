"""Set a running RabbitMQ up for the platform through its management API.

The same definitions as production (`broker.py`): one vhost, every exchange and queue, one
user per service allowed only its own resources. Used by `make run` (vhost `ocop`, users
named after the services), by the test suites (a vhost and user names of their own, so
test runs never meet each other or `make run`) and by operators for outside subscribers
(`ocop broker subscriber ...`): a user that may read the exchanges it is allowed, and
declare, bind and consume only queues named `<subscriber>.<anything>` (plus the
server-named `amq.gen-*` queues a client makes for itself).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

import requests

from deploy.broker import ADMIN_USER, KEDA_USER, definitions
from deploy.rabbitmq.with_passwords import with_passwords
from deploy.topology import SERVICES, event_exchanges
from shared.events import ProducerIdentified

SUBSCRIBER_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
PERSONAL = ProducerIdentified.exchange()  # only with allow_personal_data
RESERVED = {*SERVICES, ADMIN_USER, KEDA_USER, "guest"}


class ProvisioningError(Exception):
    """The broker refused, or was asked something that must not be done; says what."""


@dataclass(frozen=True)
class Management:
    """An administrator's access to the management API."""

    url: str  # e.g. http://127.0.0.1:15672
    user: str
    password: str

    def call(self, method: str, path: str, body: object = None, ok: Iterable[int] = ()) -> dict:
        response = requests.request(
            method,
            f"{self.url.rstrip('/')}/api/{path}",
            json=body,
            auth=(self.user, self.password),
            timeout=60,
        )
        if response.status_code >= 300 and response.status_code not in set(ok):
            raise ProvisioningError(
                f"{method} /api/{path}: {response.status_code} {response.text[:300]}"
            )
        return response.json() if response.content else {}

    def answers(self) -> bool:
        try:
            self.call("GET", "whoami")
        except (ProvisioningError, requests.RequestException):
            return False
        return True


def platform_definitions(vhost: str, prefix: str, passwords: Mapping[str, str]) -> dict:
    """The production definitions in `vhost`, with the services' users `prefix + name` and
    their passwords; without the `keda` and administrator users (the caller has its own)."""
    renamed = copy.deepcopy(definitions())
    users = {service: f"{prefix}{service}" for service in SERVICES}
    renamed["users"] = [user for user in renamed["users"] if user["name"] in users]
    renamed["permissions"] = [entry for entry in renamed["permissions"] if entry["user"] in users]
    for user in renamed["users"]:
        user["name"] = users[user["name"]]
    for entry in renamed["permissions"]:
        entry["user"] = users[entry["user"]]
    renamed["vhosts"] = [{"name": vhost}]
    for section in ("permissions", "policies", "queues", "exchanges", "bindings"):
        for entry in renamed[section]:
            entry["vhost"] = vhost
    filled, missing = with_passwords(renamed, {users[s]: passwords[s] for s in passwords})
    if missing:
        raise ProvisioningError(f"no password for {', '.join(missing)}")
    return filled


def provision(
    admin: Management, vhost: str, passwords: Mapping[str, str], prefix: str = ""
) -> None:
    """Create or bring up to date the vhost, its topology and the services' users."""
    admin.call("POST", "definitions", platform_definitions(vhost, prefix, passwords))


def subscriber_rules(
    name: str, exchanges: Iterable[str], *, allow_personal_data: bool = False
) -> tuple[str, str, str]:
    """(configure, write, read) of an outside subscriber that reads `exchanges`."""
    if not SUBSCRIBER_NAME.fullmatch(name) or name in RESERVED:
        raise ProvisioningError(
            f"subscriber name {name!r}: 2-63 of a-z, 0-9 and '-', not a service's or "
            "the broker's own user"
        )
    readable = sorted(set(exchanges))
    known = {e.name for service in SERVICES for e in event_exchanges(service)}
    unknown = [exchange for exchange in readable if exchange not in known]
    if unknown or not readable:
        raise ProvisioningError(f"exchanges to read: some of {sorted(known)}; not {unknown}")
    if PERSONAL in readable and not allow_personal_data:
        raise ProvisioningError(f"{PERSONAL} carries personal data: allow it explicitly")
    replays = [e.removesuffix(".events") + ".replay" for e in readable if e.endswith(".events")]
    own = rf"{re.escape(name)}\..+|amq\.gen-.+"
    read = "^(" + "|".join([own, *map(re.escape, readable + replays)]) + ")$"
    return f"^({own})$", f"^({own})$", read


def add_subscriber(
    admin: Management,
    vhost: str,
    name: str,
    exchanges: Iterable[str],
    password: str,
    *,
    allow_personal_data: bool = False,
) -> tuple[str, str, str]:
    """A user for an outside system that reads the given exchanges; its permissions."""
    configure, write, read = subscriber_rules(
        name, exchanges, allow_personal_data=allow_personal_data
    )
    admin.call("PUT", f"users/{quote(name, safe='')}", {"password": password, "tags": ""})
    admin.call(
        "PUT",
        f"permissions/{quote(vhost, safe='')}/{quote(name, safe='')}",
        {"configure": configure, "write": write, "read": read},
    )
    return configure, write, read


def remove_user(admin: Management, name: str) -> None:
    admin.call("DELETE", f"users/{quote(name, safe='')}", ok=[404])


def remove_vhost(admin: Management, vhost: str) -> None:
    admin.call("DELETE", f"vhosts/{quote(vhost, safe='')}", ok=[404])


def subscribers(admin: Management, vhost: str) -> list[dict]:
    """The users with permissions in `vhost` that are not the platform's own."""
    entries = admin.call("GET", f"vhosts/{quote(vhost, safe='')}/permissions")
    return [
        {key: entry[key] for key in ("user", "configure", "write", "read")}
        for entry in entries
        if entry["user"] not in RESERVED
    ]
