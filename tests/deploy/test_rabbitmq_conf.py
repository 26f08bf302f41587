"""deploy/rabbitmq/rabbitmq.conf and enabled_plugins name only what RabbitMQ 3.10 knows:
each key is checked against the configuration schemas of the installed test broker (a
misspelt key would stop the compose broker from booting)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.deploy.conftest import DEPLOY

INSTALLED = sorted(Path("/usr/lib/rabbitmq/lib").glob("rabbitmq_server-3.10.*"))

pytestmark = pytest.mark.skipif(not INSTALLED, reason="no RabbitMQ 3.10 installed here")


def known_keys() -> list[re.Pattern]:
    patterns = []
    for schema in INSTALLED[-1].glob("plugins/*/priv/schema/*.schema"):
        for key in re.findall(r'\{mapping,\s*"([^"]+)"', schema.read_text(errors="replace")):
            # `$name` stands for any one segment
            regex = r"\.".join(
                "[^.]+" if part.startswith("$") else re.escape(part) for part in key.split(".")
            )
            patterns.append(re.compile(regex))
    return patterns


def test_every_configuration_key_is_known_to_rabbitmq_310():
    lines = (DEPLOY / "rabbitmq" / "rabbitmq.conf").read_text().splitlines()
    keys = [line.split("=")[0].strip() for line in lines if line.strip() and line[0] != "#"]
    patterns = known_keys()
    assert "load_definitions" in keys
    for key in keys:
        assert any(pattern.fullmatch(key) for pattern in patterns), f"unknown key {key}"
    assert not any(pattern.fullmatch("load_definition") for pattern in patterns)


def test_enabled_plugins_exist_in_rabbitmq_310():
    text = (DEPLOY / "rabbitmq" / "enabled_plugins").read_text()
    plugins = re.findall(r"[a-z_]+", text)
    available = {path.name.rsplit("-", 1)[0] for path in (INSTALLED[-1] / "plugins").iterdir()}
    assert plugins and set(plugins) <= available
