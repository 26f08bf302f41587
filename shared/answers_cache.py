"""Answers to public read queries, kept a few seconds.

The public catalogue is read far more than it changes, and changes arrive by events a
few seconds after the fact anyway; answering a repeated query from memory for up to
`seconds` keeps the store free for the writes (measured: one catalogue query costs the
embedded store ~40 ms of its single core, so without this it answers ~20 queries/s).
Each instance keeps its own; `seconds: 0` turns it off.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class AnswersCache:
    def __init__(self, seconds: float, size: int = 1024) -> None:
        self.seconds = seconds
        self.size = size
        self._answers: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def answer(self, key: str, compute: Callable[[], T]) -> T:
        """The answer kept for `key` if still fresh, else `compute()`'s (then kept)."""
        now = time.monotonic()
        with self._lock:
            kept = self._answers.get(key)
            if kept is not None and now - kept[0] < self.seconds:
                self._answers.move_to_end(key)
                self.hits += 1
                return kept[1]
            self.misses += 1
        fresh = compute()
        if self.seconds > 0:
            with self._lock:
                self._answers[key] = (now, fresh)
                self._answers.move_to_end(key)
                while len(self._answers) > self.size:
                    self._answers.popitem(last=False)
        return fresh


def cache_from_config(config: dict) -> AnswersCache:
    return AnswersCache(float(config.get("PUBLIC_CACHE_SECONDS") or 0))
