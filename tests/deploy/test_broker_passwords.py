"""deploy/rabbitmq/with_passwords.py, as compose runs it: in a bare Python, passwords from
the environment, hashes RabbitMQ accepts (the broker tests log in with them)."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys

from tests.deploy.conftest import DEPLOY

SCRIPT = DEPLOY / "rabbitmq" / "with_passwords.py"


def matches(password_hash: str, password: str) -> bool:
    raw = base64.b64decode(password_hash)
    salt, digest = raw[:4], raw[4:]
    return hashlib.sha256(salt + password.encode()).digest() == digest


def test_renders_hashes_from_the_environment_without_any_installed_package(tmp_path):
    target = tmp_path / "definitions.json"
    environment = {
        "OCOP_BROKER_PASSWORD_TRADE_PROMOTION": "s3cret-tp",
        "OCOP_BROKER_PASSWORD_OCOP_ADMIN": "s3cret-admin",
    }
    # -I -S: no site-packages, no PYTHON* variables: only the standard library
    finished = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            str(SCRIPT),
            str(DEPLOY / "rabbitmq" / "definitions.json"),
            str(target),
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    users = {user["name"]: user for user in json.loads(target.read_text())["users"]}
    assert matches(users["trade_promotion"]["password_hash"], "s3cret-tp")
    assert matches(users["ocop-admin"]["password_hash"], "s3cret-admin")
    assert not matches(users["ocop-admin"]["password_hash"], "s3cret-tp")
    assert users["scoring"]["password_hash"] == ""  # no password given: cannot log in
    assert "OCOP_BROKER_PASSWORD_SCORING" in finished.stderr


def test_committed_definitions_hold_no_password(committed_definitions):
    for user in committed_definitions["users"]:
        assert user["password_hash"] == "", user["name"]
        assert "password" not in user
