"""The development broker: its administrator, and the platform's vhost for `make run`.

    python -m deploy.dev_broker admin      # make sure `ocop-admin` works (make test, make run)
    python -m deploy.dev_broker platform   # and the vhost `ocop` with the services' users

Nothing the project starts logs in as `guest`. The administrator `ocop-admin` gets a
generated password kept in `var/broker/ocop-admin.password` (mode 600); as root it is made
with `rabbitmqctl` (a definitions file holding only its salted hash, removed at once),
otherwise through the management API with the broker's bootstrap administrator
(`RABBITMQ_BOOTSTRAP_ADMIN`, `user:password`, RabbitMQ's `guest:guest` by default, which
RabbitMQ admits from localhost only). Each service's user gets its own generated password
in `var/broker/<service>.password`; `make run` hands each service only its own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from deploy.broker import ADMIN_USER
from deploy.provision import Management, ProvisioningError, provision
from deploy.rabbitmq.with_passwords import password_hash
from deploy.topology import SERVICES
from shared.devstack.credentials import DEV_VHOST, broker_password

MANAGEMENT_URL = os.environ.get("RABBITMQ_MANAGEMENT_URL", "http://127.0.0.1:15672")


def dev_admin() -> Management:
    """The development administrator, made (or its password reset) when it does not work."""
    admin = Management(MANAGEMENT_URL, ADMIN_USER, broker_password(ADMIN_USER))
    if admin.answers():
        return admin
    admin = Management(MANAGEMENT_URL, ADMIN_USER, broker_password(ADMIN_USER, renew=True))
    if not (_made_with_rabbitmqctl(admin.password) or _made_with_bootstrap(admin.password)):
        raise ProvisioningError(
            "could not create the broker administrator ocop-admin: run as root (rabbitmqctl), "
            "or set RABBITMQ_BOOTSTRAP_ADMIN=user:password of an administrator"
        )
    deadline = time.monotonic() + 30
    while not admin.answers():
        if time.monotonic() > deadline:
            raise ProvisioningError("ocop-admin was created but cannot log in")
        time.sleep(0.5)
    return admin


def _made_with_rabbitmqctl(password: str) -> bool:
    rabbitmqctl = shutil.which("rabbitmqctl") or "/usr/sbin/rabbitmqctl"
    if os.geteuid() != 0 or not os.path.exists(rabbitmqctl):
        return False
    user = {"name": ADMIN_USER, "password_hash": password_hash(password), "tags": ["administrator"]}
    user["hashing_algorithm"] = "rabbit_password_hashing_sha256"
    with tempfile.NamedTemporaryFile("w", suffix=".json") as definitions:  # mode 600
        json.dump({"users": [user]}, definitions)
        definitions.flush()
        done = subprocess.run(
            [rabbitmqctl, "import_definitions", definitions.name], capture_output=True, text=True
        )
    return done.returncode == 0


def _made_with_bootstrap(password: str) -> bool:
    user, _, secret = os.environ.get("RABBITMQ_BOOTSTRAP_ADMIN", "guest:guest").partition(":")
    bootstrap = Management(MANAGEMENT_URL, user, secret)
    try:
        bootstrap.call(
            "PUT", f"users/{ADMIN_USER}", {"password": password, "tags": "administrator"}
        )
    except ProvisioningError:
        return False
    return True


def dev_platform() -> None:
    """The vhost `ocop` as production defines it, with the services' development users."""
    passwords = {service: broker_password(service) for service in SERVICES}
    provision(dev_admin(), DEV_VHOST, passwords)


def main(argv: list[str]) -> int:
    if argv not in (["admin"], ["platform"]):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        if argv == ["admin"]:
            dev_admin()
        else:
            dev_platform()
    except (ProvisioningError, OSError) as exc:
        print(f"RabbitMQ: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
