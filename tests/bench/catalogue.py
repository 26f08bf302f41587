"""Catalogue query latency with N listed products (default 15,000; `N=` to change).

Starts a throwaway store, a vhost and the trade_promotion service as a process; pushes N
producers' products and certificates through the real broker as CloudEvents (publisher
confirms); waits until the service has folded them all; then times a mix of catalogue
queries over HTTP two ways:

- closed loop, one query after the other, and the same queries straight against the store
  (the baseline, in the same run): what one query costs;
- open loop at a fixed offered rate (200 requests/s by default), latency from each
  request's due time (tests/bench/openloop.py): what a client sees under that load.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pika
import requests
from pymongo import MongoClient
from pymongo.database import Database

from services.trade_promotion.schemas import CatalogueQuery
from services.trade_promotion.storage import TradePromotionStore
from shared.devstack.processes import free_port, start_service, start_store, stop_all
from shared.devstack.processes import wait_until_healthy as healthy
from tests.bench.catalogue_data import QUERIES, events
from tests.bench.openloop import open_loop
from tests.bench.platform import CpuMeter, Vhost, serving_pid
from tests.bench.progress import percentile
from tests.support.amqp import pika_parameters

PUBLIC_READS_LIMIT = "15000/60"


def publish_all(vhost: Vhost, batch: list[tuple[str, str, dict]]) -> float:
    """Each event as its own service publishes it (its login, its `user_id`)."""
    channels: dict[str, Any] = {}
    started = time.monotonic()
    for service, routing_key, data in batch:
        if service not in channels:
            login = pika_parameters(vhost.amqp_uri(service))
            channels[service] = (pika.BlockingConnection(login).channel(), login)
            channels[service][0].confirm_delivery()
        channel, login = channels[service]
        body = {
            "specversion": "1.0",
            "id": str(uuid.uuid4()),
            "source": f"/ocop/{service}",
            "type": f"vn.ocop.{routing_key}.v1",
            "time": datetime.now(UTC).isoformat(),
            "subject": "bench",
            "datacontenttype": "application/json",
            "data": data,
        }
        channel.basic_publish(
            f"{service}.events",
            routing_key,
            json.dumps(body).encode(),
            pika.BasicProperties(
                content_type="application/cloudevents+json",
                delivery_mode=2,
                user_id=login.credentials.username,
            ),
        )
    for channel, _ in channels.values():
        channel.connection.close()
    return time.monotonic() - started


def time_queries(
    api: str, database: Database, rounds: int, by_kind: dict[str, list[float]]
) -> tuple[list[float], list[float]]:
    """Each query over HTTP, then the same search straight on the store (the baseline)."""
    store = TradePromotionStore(database, outbox=None, probe=None)  # type: ignore[arg-type]
    http, direct = [], []
    session = requests.Session()
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            response = session.get(f"{api}/catalogue", params=query)
            http.append((time.perf_counter() - started) * 1000)
            by_kind.setdefault(json.dumps(query, ensure_ascii=False), []).append(http[-1])
            assert response.status_code == 200, response.text
            parsed = CatalogueQuery.model_validate(query)
            started = time.perf_counter()
            store.search(parsed.filters(), parsed.text(), parsed.sort, None, 51)
            direct.append((time.perf_counter() - started) * 1000)
    return http, direct


def run(n: int, rounds: int = 20, rate: float = 200.0, seconds: float = 30.0) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="ocop-bench-"))
    store_port, http_port = free_port(), free_port()
    with Vhost() as vhost:
        processes = [start_store(store_port, "memory", work / "nx.log", work / "nx.pid")]
        env = {
            **vhost.env(),
            "AMQP_URI": vhost.amqp_uri("trade_promotion"),
            "MONGO_URI": f"mongodb://127.0.0.1:{store_port}",
            "TRADE_PROMOTION_HTTP": f"127.0.0.1:{http_port}",
            "LOG_LEVEL": "WARNING",
            # all from one address: a limit that fits this load (counted, shared, refuses none)
            "RATE_LIMIT_PUBLIC_READS": PUBLIC_READS_LIMIT,
        }
        try:
            processes.append(start_service("trade_promotion", env, work / "service.log"))
            base = f"http://127.0.0.1:{http_port}"
            healthy({"trade_promotion": (processes[-1], base)})
            cpu = CpuMeter(
                {
                    "trade_promotion": serving_pid(processes[1].popen.pid),
                    "nx-27017 (store)": serving_pid(processes[0].popen.pid),
                    "bench (client)": os.getpid(),
                }
            )
            return measure(vhost, store_port, base, n, (rounds, rate, seconds), cpu)
        finally:
            stop_all(processes)


def measure(
    vhost: Vhost, store_port: int, base: str, n: int, load: tuple[int, float, float], cpu: CpuMeter
) -> dict[str, Any]:
    rounds, rate, seconds = load
    batch = events(n)
    print(f"catalogue: publishing {len(batch)} events for {n} products…", file=sys.stderr)
    publish_seconds = publish_all(vhost, batch)
    client: MongoClient = MongoClient(f"mongodb://127.0.0.1:{store_port}")
    database = client["ocop_trade_promotion"]
    started = time.monotonic()
    while (listed := len(list(database.catalogue_index.find({"listed": True}, {"_id": 1})))) < n:
        print(f"\rcatalogue: folded {listed}/{n} listed", end="", file=sys.stderr, flush=True)
        time.sleep(5)
    print(f"\rcatalogue: folded {n}/{n} listed", file=sys.stderr)
    fold_seconds = time.monotonic() - started + publish_seconds
    by_kind: dict[str, list[float]] = {}
    http, direct = time_queries(f"{base}/api/v1", database, rounds, by_kind)
    print(f"catalogue: open loop, {rate:.0f} requests/s for {seconds:.0f} s…", file=sys.stderr)
    cpu.start()
    loop = open_loop(
        lambda i: (f"{base}/api/v1/catalogue", QUERIES[i % len(QUERIES)]), rate, seconds
    )
    cpu_s = cpu.stop()
    return {
        "n": n,
        "ingest_events": len(batch),
        "ingest_s": fold_seconds,
        "closed": {"count": len(http), "kinds": len(QUERIES)},
        "http_p50_ms": percentile(http, 50),
        "http_p99_ms": percentile(http, 99),
        "store_p50_ms": percentile(direct, 50),
        "store_p99_ms": percentile(direct, 99),
        "by_query": {q: (percentile(s, 50), max(s)) for q, s in by_kind.items()},
        "open": {
            "rate": rate,
            "sent": loop.sent,
            "achieved_rate": (loop.sent - loop.unsent) / loop.seconds,
            "errors": loop.errors,
            "unsent": loop.unsent,
            "p50_ms": loop.p(50),
            "p99_ms": loop.p(99),
            "max_ms": loop.p(100),
            "service_p99_ms": loop.p(99, "service_ms"),
            "late_p99_ms": loop.p(99, "late_ms"),
            "seconds": loop.seconds,
            "cpu_s": cpu_s,
        },
    }


def show(r: dict[str, Any]) -> str:
    o = r["open"]
    lines = [
        f"catalogue with {r['n']} listed products",
        f"  ingest: {r['ingest_events']} events in {r['ingest_s']:.1f} s = "
        f"{r['ingest_events'] / r['ingest_s']:.0f} events/s",
        f"  closed loop ({r['closed']['count']} queries of {r['closed']['kinds']} kinds):"
        f"{'p50 ms':>10}{'p99 ms':>10}",
        f"    {'HTTP GET /api/v1/catalogue':40}{r['http_p50_ms']:10.1f}{r['http_p99_ms']:10.1f}",
        f"    {'baseline: same query, store':40}{r['store_p50_ms']:10.1f}{r['store_p99_ms']:10.1f}",
        f"  open loop at {o['rate']:.0f} requests/s ({o['sent']} requests due, "
        f"{o['achieved_rate']:.0f}/s answered, {o['errors']} errors,",
        f"    {o['unsent']} never sent: still queued 30 s after the last was due), "
        "latency from due time:",
        f"    p50 {o['p50_ms']:.1f} ms, p99 {o['p99_ms']:.1f} ms (target < 50), "
        f"max {o['max_ms']:.1f} ms",
        f"    (send to answer p99 {o['service_p99_ms']:.1f} ms; "
        f"sent late p99 {o['late_p99_ms']:.1f} ms)",
        f"    rate limits on: public reads {PUBLIC_READS_LIMIT} per address (a 429 is an error)",
        "    CPU during the open loop (share of one core): "
        + ", ".join(f"{k} {v / o['seconds']:.0%}" for k, v in o["cpu_s"].items()),
        "  closed loop by query (HTTP):",
    ]
    for query, (p50, worst) in r["by_query"].items():
        lines.append(f"    {query:44} p50 {p50:7.1f} ms  max {worst:7.1f} ms")
    return "\n".join(lines)


def main() -> int:
    result = run(int(os.environ.get("N", "15000")), int(os.environ.get("ROUNDS", "20")))
    print(show(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
