"""Baseline (a): nameko's own `EventDispatcher`, E events to an `@event_handler`.

Run as `python -m tests.bench.dispatcher E AMQP_URI` (its own process, since nameko needs
eventlet's monkey-patching before anything else is imported); prints one JSON line. Two
services in one `ServiceRunner`: `bench_source` dispatches E events one after the other
in a single worker (each publish waits for its confirm, nameko's default, persistent),
`bench_sink` handles them (its durable queue, max_workers 10, acked after each).
"""

import eventlet  # tests/bench/__init__.py silenced its deprecation notice

eventlet.monkey_patch()

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from eventlet.event import Event  # noqa: E402
from nameko.events import EventDispatcher, event_handler  # noqa: E402
from nameko.runners import ServiceRunner  # noqa: E402
from nameko.testing.services import dummy, entrypoint_hook  # noqa: E402
from nameko.testing.utils import get_container  # noqa: E402

from tests.bench.samples import cloud_event  # noqa: E402

EVENT_TYPE = "producer.registered"
SEEN = {"count": 0, "target": 0, "last": 0.0}
DONE = Event()


class Source:
    name = "bench_source"
    dispatch = EventDispatcher()

    @dummy
    def send(self, payload: dict, count: int) -> tuple[float, float]:
        first = time.monotonic()
        for _ in range(count):
            self.dispatch(EVENT_TYPE, payload)
        return first, time.monotonic()


class Sink:
    name = "bench_sink"

    @event_handler("bench_source", EVENT_TYPE)
    def seen(self, payload: dict) -> None:
        SEEN["count"] += 1
        if SEEN["count"] == SEEN["target"]:
            SEEN["last"] = time.monotonic()
            DONE.send()


def main(count: int, amqp_uri: str) -> dict:
    SEEN["target"] = count
    runner = ServiceRunner({"AMQP_URI": amqp_uri})
    runner.add_service(Source)
    runner.add_service(Sink)
    runner.start()
    try:
        with entrypoint_hook(get_container(runner, Source), "send") as send:
            first, last = send(cloud_event(), count)
        with eventlet.Timeout(600, False):
            DONE.wait()
    finally:
        runner.stop()
    return {
        "events": count,
        "dispatch_s": last - first,
        "end_to_end_s": (SEEN["last"] or time.monotonic()) - first,
        "handled": SEEN["count"],
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), sys.argv[2])), flush=True)
