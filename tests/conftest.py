"""Fixtures every layer may use. Imports stay inside fixtures: the integration layer
monkey-patches eventlet in its own conftest before anything imports sockets or threads."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def store_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throwaway nx-27017 (in memory) on a free port, for this test session."""
    from shared.devstack.processes import free_port, start_store, stop_all

    folder: Path = tmp_path_factory.mktemp("store")
    port = free_port()
    store = start_store(port, "memory", folder / "nx.log", folder / "nx.pid")
    yield f"mongodb://127.0.0.1:{port}"
    stop_all([store], grace=5)


@pytest.fixture
def database_name() -> str:
    """A database of this test's own."""
    return f"test_{uuid.uuid4().hex[:12]}"
