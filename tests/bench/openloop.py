"""An open-loop HTTP client: request i is due at start + i / rate, whatever happened to the
ones before it, and its latency runs from that due time, not from when a thread got round
to sending it. A slow answer therefore shows up in every request queued behind it instead
of thinning the load (no coordinated omission)."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

from tests.bench.progress import percentile


@dataclass
class OpenLoopResult:
    rate: float
    sent: int
    seconds: float  # from the first due time to the last answer
    latencies_ms: list[float] = field(default_factory=list)  # from due time to answer
    service_ms: list[float] = field(default_factory=list)  # from send to answer
    late_ms: list[float] = field(default_factory=list)  # send time minus due time
    errors: int = 0
    unsent: int = 0  # still queued at the cut-off: counted with their wait so far (a floor)

    def p(self, q: float, samples: str = "latencies_ms") -> float:
        return percentile(getattr(self, samples), q)


def open_loop(
    url: Callable[[int], tuple[str, dict]],
    rate: float,
    seconds: float,
    threads: int = 32,
    grace: float = 30.0,
) -> OpenLoopResult:
    """`url(i)` gives request i's address and query parameters; GETs at `rate` per second
    for `seconds`, from `threads` threads (enough that none waits at this rate unless the
    server is slow, which is then counted from the due time). A server slower than the
    rate leaves a queue: what is not sent `grace` seconds after the last due time is not
    sent at all, and counts with the time it had waited by then (so p99 is a floor)."""
    total = int(rate * seconds)
    due_order = itertools.count()
    lock = threading.Lock()
    result = OpenLoopResult(rate, total, 0.0)
    start = time.perf_counter() + 0.2
    cutoff = start + seconds + grace
    finished = [start]

    def worker() -> None:
        session = requests.Session()
        while (index := next(due_order)) < total:
            due = start + index / rate
            if (wait := due - time.perf_counter()) > 0:
                time.sleep(wait)
            if time.perf_counter() > cutoff:
                with lock:
                    result.latencies_ms.append((cutoff - due) * 1000)
                    result.unsent += 1
                continue
            address, params = url(index)
            sent = time.perf_counter()
            try:
                ok = session.get(address, params=params, timeout=30).status_code == 200
            except requests.RequestException:
                ok = False
            answered = time.perf_counter()
            with lock:
                result.latencies_ms.append((answered - due) * 1000)
                result.service_ms.append((answered - sent) * 1000)
                result.late_ms.append((sent - due) * 1000)
                result.errors += not ok
                finished[0] = max(finished[0], answered)
        session.close()

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    result.seconds = finished[0] - start
    return result
