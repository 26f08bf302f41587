"""The platform's broker definitions loaded into the shared test broker, isolated.

The vhost gets a unique suffix and every user a unique prefix (the test broker is shared
with other test runs; the services find each other's users as BROKER_USER_PREFIX + name),
each user gets a throwaway password, and everything is deleted afterwards. The broker's
administrator is the development `ocop-admin` (never `guest`).
"""

from __future__ import annotations

import copy
import secrets
import uuid
from dataclasses import dataclass, field
from urllib.parse import quote

import requests

from deploy.rabbitmq.with_passwords import with_passwords
from tests.support.broker import test_admin

MANAGEMENT = "http://127.0.0.1:15672/api"
AMQP_HOST = "127.0.0.1:5672"


def admin_auth() -> tuple[str, str]:
    admin = test_admin()
    return admin.user, admin.password


@dataclass
class Sandbox:
    vhost: str
    prefix: str  # the services' BROKER_USER_PREFIX
    users: dict[str, str]  # name in the definitions -> name in the sandbox
    passwords: dict[str, str] = field(default_factory=dict)  # sandbox name -> password

    def amqp_uri(self, user: str) -> str:
        name = self.users[user]
        return f"pyamqp://{name}:{self.passwords[name]}@{AMQP_HOST}/{quote(self.vhost, safe='')}"


def isolate(definitions: dict) -> tuple[dict, Sandbox]:
    """The definitions renamed into a vhost and users of their own."""
    suffix = uuid.uuid4().hex[:10]
    renamed = copy.deepcopy(definitions)
    (original_vhost,) = [vhost["name"] for vhost in renamed["vhosts"]]
    prefix = f"t{suffix}-"
    sandbox = Sandbox(
        vhost=f"{original_vhost}_test_{suffix}",
        prefix=prefix,
        users={user["name"]: f"{prefix}{user['name']}" for user in renamed["users"]},
    )
    renamed["vhosts"] = [{"name": sandbox.vhost}]
    for user in renamed["users"]:
        user["name"] = sandbox.users[user["name"]]
    for section in ("permissions", "topic_permissions"):
        for entry in renamed.get(section, []):
            entry["user"] = sandbox.users[entry["user"]]
    for section in ("permissions", "topic_permissions", "policies", "queues", "exchanges"):
        for entry in renamed.get(section, []):
            entry["vhost"] = sandbox.vhost
    for entry in renamed.get("bindings", []):
        entry["vhost"] = sandbox.vhost
    return renamed, sandbox


def load(definitions: dict, sandbox: Sandbox) -> None:
    """Give every user a password (hashed as compose does it), import through the
    management API."""
    sandbox.passwords.update({user["name"]: secrets.token_hex(16) for user in definitions["users"]})
    hashed, missing = with_passwords(definitions, sandbox.passwords)
    assert not missing
    response = requests.post(
        f"{MANAGEMENT}/definitions", json=hashed, auth=admin_auth(), timeout=30
    )
    response.raise_for_status()


def remove(sandbox: Sandbox) -> None:
    """Delete the vhost (its queues, exchanges, policies and permissions go with it) and
    the users; what is already gone is fine."""
    auth = admin_auth()
    requests.delete(f"{MANAGEMENT}/vhosts/{quote(sandbox.vhost, safe='')}", auth=auth, timeout=30)
    for name in sandbox.users.values():
        requests.delete(f"{MANAGEMENT}/users/{quote(name, safe='')}", auth=auth, timeout=10)


def management(path: str) -> dict:
    response = requests.get(f"{MANAGEMENT}/{path}", auth=admin_auth(), timeout=10)
    response.raise_for_status()
    return response.json()
