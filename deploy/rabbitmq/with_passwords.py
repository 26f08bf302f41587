"""Fill the broker users' password hashes into a copy of definitions.json.

    OCOP_BROKER_PASSWORD_REGISTRATION=... python with_passwords.py definitions.json out.json

The password of user `trade_promotion` comes from OCOP_BROKER_PASSWORD_TRADE_PROMOTION,
of `ocop-admin` from OCOP_BROKER_PASSWORD_OCOP_ADMIN, and so on. A user without one keeps
an empty hash, which no password matches. Plain Python with no dependencies, so it runs
in a bare python image before RabbitMQ starts; the passwords never reach a file.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import secrets
import sys
from collections.abc import Mapping

PREFIX = "OCOP_BROKER_PASSWORD_"


def password_hash(password: str, salt: bytes | None = None) -> str:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password))."""
    salt = secrets.token_bytes(4) if salt is None else salt
    digest = hashlib.sha256(salt + password.encode("utf-8")).digest()
    return base64.b64encode(salt + digest).decode("ascii")


def variable_for(user: str) -> str:
    return PREFIX + re.sub(r"[^A-Z0-9]", "_", user.upper())


def with_passwords(definitions: dict, passwords: Mapping[str, str]) -> tuple[dict, list[str]]:
    """A copy with hashes for the users in `passwords`; also the users left without one."""
    filled = json.loads(json.dumps(definitions))
    missing = []
    for user in filled["users"]:
        password = passwords.get(user["name"])
        if password:
            user["password_hash"] = password_hash(password)
            user["hashing_algorithm"] = "rabbit_password_hashing_sha256"
        else:
            missing.append(user["name"])
    return filled, missing


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    source, target = argv
    with open(source, encoding="utf-8") as file:
        definitions = json.load(file)
    passwords = {
        user["name"]: os.environ.get(variable_for(user["name"]), "")
        for user in definitions["users"]
    }
    filled, missing = with_passwords(definitions, passwords)
    for name in missing:
        print(f"no {variable_for(name)}: user {name} cannot log in", file=sys.stderr)
    with open(target, "w", encoding="utf-8") as file:
        json.dump(filled, file, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
