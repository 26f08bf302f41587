"""Fixtures for the deployment files' tests: the committed files, and the committed broker
definitions loaded into a vhost of their own on the test broker."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.deploy.broker_sandbox import Sandbox, isolate, load, remove

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
K8S = DEPLOY / "k8s"


def yaml_documents(path: Path) -> list[dict]:
    return [document for document in yaml.safe_load_all(path.read_text()) if document]


@pytest.fixture(scope="session")
def committed_definitions() -> dict:
    return json.loads((DEPLOY / "rabbitmq" / "definitions.json").read_text())


@pytest.fixture(scope="session")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


@pytest.fixture(scope="session")
def k8s_documents() -> dict[str, list[dict]]:
    """Every manifest in deploy/k8s, by file name (kustomization.yaml included)."""
    return {path.name: yaml_documents(path) for path in sorted(K8S.glob("*.yaml"))}


@pytest.fixture(scope="module")
def sandbox(committed_definitions: dict) -> Iterator[Sandbox]:
    renamed, sandbox = isolate(committed_definitions)
    try:
        load(renamed, sandbox)
        yield sandbox
    finally:
        remove(sandbox)
