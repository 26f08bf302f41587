"""A plain-text progress line on stderr (`\\r`, no dependency), redrawn from a thread."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile (`q` in 0..100); 0 for no samples."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n * q / 100)
    return ordered[int(rank) - 1]


class Progress(threading.Thread):
    """`state()` returns (done, total, detail); redrawn every `every` seconds until stop()."""

    def __init__(self, label: str, state: Callable[[], tuple[int, int, str]], every: float = 1.0):
        super().__init__(daemon=True, name="bench-progress")
        self.label, self.state, self.every = label, state, every
        self.started = time.monotonic()
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(self.every):
            self.draw()

    def draw(self) -> None:
        done, total, detail = self.state()
        share = done / total if total else 0.0
        bar = "#" * int(share * 30)
        elapsed = int(time.monotonic() - self.started)
        line = (
            f"\r{self.label} [{bar:<30}] {done}/{total} {detail} {elapsed // 60}:{elapsed % 60:02d}"
        )
        sys.stderr.write(line.ljust(110))
        sys.stderr.flush()

    def stop(self) -> None:
        self.stopping.set()
        self.join()
        self.draw()
        sys.stderr.write("\n")
        sys.stderr.flush()
