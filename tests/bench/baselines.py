"""Three ways to publish E events with publisher confirms, on one vhost of the shared broker:

(a) nameko's `EventDispatcher` to an `@event_handler` (tests/bench/dispatcher.py);
(b) plain pika, `confirm_delivery()`, one publish and its confirm per message;
(c) the platform's outbox relay, built by `Storage.setup` itself, draining E outbox
    entries from a fresh nx-27017 database (store on disk, as the platform runs it).

Every event is the same real `producer.registered` CloudEvent, persistent, routed to a
durable queue that a consumer drains, so the broker does the same work in each. Rates are
first publish to last publish returning; end to end is until the consumer saw all E.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pika
from nameko.containers import ServiceContainer
from nameko.testing.utils import get_extension

from services.registration.storage import RegistrationStore
from shared.devstack.processes import free_port, start_store, stop_all
from shared.documents import insert
from shared.outbox import OutboxWriter
from shared.storage import Storage
from tests.bench.platform import Vhost
from tests.bench.samples import PROVINCE, cloud_event, producer
from tests.chaos.broker import ADMIN
from tests.support.amqp import pika_parameters
from tests.support.province_records import wards_of

DEFAULT_EVENTS = 20_000


def events_exchange(channel: Any, service: str) -> str:
    """Declared (the bench's administrator may), so a baseline's own exchange exists too."""
    channel.exchange_declare(f"{service}.events", exchange_type="topic", durable=True)
    return f"{service}.events"


class Sink(threading.Thread):
    """Counts what reaches a durable queue bound with `#` to `<service>.events`."""

    def __init__(self, amqp_uri: str, service: str, expected: int) -> None:
        super().__init__(daemon=True, name="bench-sink")
        self.connection = pika.BlockingConnection(pika_parameters(amqp_uri))
        channel = self.connection.channel()
        channel.queue_declare("bench-sink", durable=True)
        channel.queue_bind("bench-sink", events_exchange(channel, service), "#")
        channel.basic_consume("bench-sink", self._seen, auto_ack=True)
        self.expected, self.count, self.last = expected, 0, 0.0
        self.done = threading.Event()

    def _seen(self, *_: object) -> None:
        self.count += 1
        if self.count >= self.expected:
            self.last = time.monotonic()
            self.done.set()

    def run(self) -> None:
        while not self.done.is_set():
            self.connection.process_data_events(time_limit=0.2)
        self.connection.close()

    def wait(self, timeout: float = 600) -> float:
        self.done.wait(timeout)
        return self.last or time.monotonic()


def nameko_dispatcher(vhost: Vhost, count: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "tests.bench.dispatcher", str(count), vhost.amqp_uri(ADMIN)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"the nameko baseline failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def pika_confirms(vhost: Vhost, count: int) -> dict[str, Any]:
    login = vhost.amqp_uri(ADMIN)
    sink = Sink(login, "bench", count)
    sink.start()
    connection = pika.BlockingConnection(pika_parameters(login))
    channel = connection.channel()
    channel.confirm_delivery()
    exchange = events_exchange(channel, "bench")
    body = json.dumps(cloud_event()).encode()
    properties = pika.BasicProperties(
        content_type="application/cloudevents+json",
        delivery_mode=2,
        user_id=pika_parameters(login).credentials.username,  # as the relay sends it
    )
    first = time.monotonic()
    for _ in range(count):
        channel.basic_publish(exchange, "producer.registered", body, properties)
    last = time.monotonic()
    seen = sink.wait()
    connection.close()
    return {"events": count, "dispatch_s": last - first, "end_to_end_s": seen - first}


class RelayHost:
    """A service that only holds registration's storage: the container binds it."""

    name = "registration"
    store = Storage(RegistrationStore)


def outbox_relay(vhost: Vhost, count: int) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="ocop-bench-relay-"))
    (folder / "store").mkdir()
    port = free_port()
    store = start_store(port, str(folder / "store"), folder / "store.log", folder / "store.pid")
    config = {
        **vhost.env(),
        "AMQP_URI": vhost.amqp_uri("registration"),
        "MONGO_URI": f"mongodb://127.0.0.1:{port}",
    }
    container = ServiceContainer(RelayHost, {**config, "MONGO_DB": "ocop_bench_relay"})
    storage = get_extension(container, Storage)  # bound as in a running service
    try:
        storage.setup()  # the client, publisher and relay exactly as a service gets them
        writer, wards = OutboxWriter(storage.clock, "bench"), wards_of(PROVINCE)
        filled = time.monotonic()
        for index in range(count):
            document, event = producer(index, wards[index % len(wards)])
            insert(storage.database.producers, document, writer.entries([event]))
        fill_s = time.monotonic() - filled
        sink = Sink(vhost.amqp_uri(ADMIN), "registration", count)
        sink.start()
        first, published = time.monotonic(), 0
        while sent := storage.relay.relay_pending():
            published += sent
        last = time.monotonic()
        seen = sink.wait()
        return {
            "events": published,
            "fill_s": fill_s,
            "dispatch_s": last - first,
            "end_to_end_s": seen - first,
        }
    finally:
        with contextlib.suppress(Exception):  # also when setup failed half-way
            storage.stop()
        stop_all([store], grace=10)
        shutil.rmtree(folder, ignore_errors=True)


def run(count: int = DEFAULT_EVENTS) -> dict[str, Any]:
    """Each baseline on a fresh vhost of the same broker, one after the other."""
    results: dict[str, Any] = {"events": count}
    for name, baseline in (
        ("nameko", nameko_dispatcher),
        ("pika", pika_confirms),
        ("relay", outbox_relay),
    ):
        print(f"baseline {name}: {count} events…", file=sys.stderr, flush=True)
        with Vhost() as vhost:
            result = baseline(vhost, count)
        result["rate"] = result["events"] / result["dispatch_s"]
        result["end_to_end_rate"] = result["events"] / result["end_to_end_s"]
        results[name] = result
    results["relay_vs_nameko"] = results["relay"]["rate"] / results["nameko"]["rate"]
    results["relay_vs_pika"] = results["relay"]["rate"] / results["pika"]["rate"]
    return results


def show(r: dict[str, Any]) -> str:
    lines = [
        f"publishing baselines: E={r['events']} events each",
        f"  {'':44}{'events/s':>10}{'end to end/s':>14}",
    ]
    for key, label in (
        ("nameko", "(a) nameko EventDispatcher → @event_handler"),
        ("pika", "(b) pika, confirm per message"),
        ("relay", "(c) outbox relay (relay_pending until 0)"),
    ):
        lines.append(f"  {label:44}{r[key]['rate']:10.0f}{r[key]['end_to_end_rate']:14.0f}")
    lines.append(f"  relay ÷ nameko dispatcher: {r['relay_vs_nameko']:.2f} (target ≥ 2)")
    lines.append(f"  relay ÷ pika confirm-per-message: {r['relay_vs_pika']:.2f}")
    lines.append(f"  (filling the relay's outbox took {r['relay']['fill_s']:.1f} s)")
    return "\n".join(lines)
