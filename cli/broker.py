"""`ocop broker subscriber create|list|delete`: broker users for outside systems.

    ocop broker subscriber create so-cong-thuong --read certification.events \\
        --read trade_promotion.events [--password-file FILE]
    ocop broker subscriber list
    ocop broker subscriber delete so-cong-thuong

A subscriber may read the exchanges it is given (and their `.replay` twins, for
replays to its own queues), and declare, bind and consume only queues named
`<name>.<anything>` (and the server-named `amq.gen-*` queues a client makes for itself). It
can write to no platform exchange. `registration.private` (personal data) needs
`--allow-personal-data`. The password is generated and written to `--password-file`
(mode 600; default `var/broker/<name>.password`), never printed.

The broker administrator comes from RABBITMQ_MANAGEMENT_URL (default
http://127.0.0.1:15672), RABBITMQ_ADMIN_USER and RABBITMQ_ADMIN_PASSWORD (default: the
development `ocop-admin` that `make run` made) and the vhost from OCOP_VHOST (`ocop`).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cli.exits import DONE, UNUSABLE

if TYPE_CHECKING:
    from deploy.provision import Management

ACTIONS = ("create", "list", "delete")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=("subscriber",))
    parser.add_argument("action", choices=ACTIONS)
    parser.add_argument("name", nargs="?", help="the subscriber (also its queues' prefix)")
    parser.add_argument("--read", action="append", default=[], help="an exchange it may read")
    parser.add_argument("--allow-personal-data", action="store_true")
    parser.add_argument("--password-file", type=Path, help="where its password is written")


def run(arguments: argparse.Namespace) -> int:
    from deploy.provision import ProvisioningError, add_subscriber, remove_user, subscribers
    from shared.devstack.credentials import BROKER_DIR, DEV_VHOST, write_secret

    vhost = os.environ.get("OCOP_VHOST") or DEV_VHOST
    try:
        admin = _admin()
        if arguments.action == "list":
            for entry in subscribers(admin, vhost):
                print(json.dumps(entry, ensure_ascii=False))
            return DONE
        if not arguments.name:
            print(f"{arguments.action}: name the subscriber", file=sys.stderr)
            return UNUSABLE
        if arguments.action == "delete":
            remove_user(admin, arguments.name)
            print(f"deleted broker user {arguments.name}")
            return DONE
        target = arguments.password_file or BROKER_DIR / f"{arguments.name}.password"
        if target.exists():
            print(f"{target} exists: delete it or give --password-file", file=sys.stderr)
            return UNUSABLE
        password = secrets.token_urlsafe(24)
        configure, _, read = add_subscriber(
            admin,
            vhost,
            arguments.name,
            arguments.read,
            password,
            allow_personal_data=arguments.allow_personal_data,
        )
        write_secret(target, password)
    except ProvisioningError as problem:
        print(str(problem), file=sys.stderr)
        return UNUSABLE
    print(f"broker user {arguments.name} in vhost {vhost}; password in {target}")
    print(f"  may read {read}\n  may declare and consume {configure}")
    return DONE


def _admin() -> Management:
    from deploy.broker import ADMIN_USER
    from deploy.dev_broker import MANAGEMENT_URL, dev_admin

    password = os.environ.get("RABBITMQ_ADMIN_PASSWORD")
    if password is None:
        return dev_admin()
    from deploy.provision import Management

    return Management(MANAGEMENT_URL, os.environ.get("RABBITMQ_ADMIN_USER", ADMIN_USER), password)
