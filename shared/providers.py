"""`Loaded(load)`: something built once from the service's configuration when it starts.

For data that must be valid before the first request (criteria sets, councils, the
clock): `load(config)` runs in `setup`, so a bad file stops the service at start, with
the loader's message, instead of failing a request later.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nameko.extensions import DependencyProvider


class Loaded(DependencyProvider):
    def __init__(self, load: Callable[[dict], Any], **kwargs: Any) -> None:
        self.load = load
        super().__init__(**kwargs)

    def setup(self) -> None:
        self.value = self.load(self.container.config)

    def get_dependency(self, worker_ctx: object) -> Any:
        return self.value
