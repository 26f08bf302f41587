"""Development credentials `make run` makes, kept under `var/` readable by their owner only.

- The API key holding every role, every province, every scope: in the local store
  (`ACCESS_DB` on `MONGO_URI`) and in `var/dev-api-key`; no deployment manifest or
  configuration file carries one. Tests use the same function for a key of their own store.
- The broker passwords of the services' own users and of the broker administrator
  `ocop-admin`: generated once, in `var/broker/<user>.password` (`deploy/dev_broker.py`
  sets the broker up with them).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import quote

from shared.access.api_keys import DEFAULT_DB, KeyRing
from shared.access.roles import ANY, ROLES
from shared.devstack.processes import ROOT
from shared.errors import Unauthorized
from shared.storage import DEFAULT_MONGO_URI, mongo_client

DEV_CLIENT = "development (make run)"
BROKER_DIR = ROOT / "var" / "broker"
DEV_VHOST = "ocop"
DEV_BROKER = "127.0.0.1:5672"


def all_powers_key(mongo_uri: str, access_db: str, client: str = DEV_CLIENT) -> str:
    """A new key holding every role for every province, ward, producer and member."""
    with mongo_client(mongo_uri) as connection:
        _, key = KeyRing(connection[access_db]).create(
            client,
            roles=ROLES,
            provinces=[ANY],
            scopes=[ANY],
            wards=[ANY],
            producer_ids=[ANY],
            member_id=ANY,
            note="every role, every province: for local development and tests only",
        )
    return key


def dev_key(path: Path) -> str:
    """The key in `path` if the store still knows it, else a new one written there."""
    mongo_uri = os.environ.get("MONGO_URI") or DEFAULT_MONGO_URI
    access_db = os.environ.get("ACCESS_DB") or DEFAULT_DB
    if path.exists():
        key = path.read_text().strip()
        with mongo_client(mongo_uri) as connection:
            try:
                KeyRing(connection[access_db]).caller(key)
                return key
            except Unauthorized:  # unknown or revoked: make a new one
                pass
    key = all_powers_key(mongo_uri, access_db)
    path.unlink(missing_ok=True)
    write_secret(path, key)
    return key


def write_secret(path: Path, value: str) -> None:
    """Created readable by its owner only: never a moment when others could read it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
        out.write(value + "\n")


def broker_password(user: str, *, renew: bool = False) -> str:
    """The development broker password of `user`, made on first use."""
    path = BROKER_DIR / f"{user}.password"
    if path.exists() and not renew:
        return path.read_text().strip()
    path.unlink(missing_ok=True)
    password = secrets.token_urlsafe(24)
    write_secret(path, password)
    return password


def dev_amqp_uri(service: str) -> str:
    """Where a service (or an operator's command for it) logs in to the development broker:
    as the service's own user, in the vhost `make run` set up."""
    user = quote(service, safe="")
    password = quote(broker_password(service), safe="")
    return f"pyamqp://{user}:{password}@{DEV_BROKER}/{DEV_VHOST}"


def local_key() -> str | None:
    """The key a local client uses: `OCOP_API_KEY`, else the one `make run` wrote."""
    path = ROOT / "var" / "dev-api-key"
    found = os.environ.get("OCOP_API_KEY") or (path.read_text() if path.exists() else "")
    return found.strip() or None
