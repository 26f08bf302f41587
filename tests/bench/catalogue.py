"""Catalogue query latency with N listed products (default 15,000; `N=` to change).

Starts a throwaway store, a vhost and the trade_promotion service as a process; pushes N
producers' products and certificates through the real broker as CloudEvents (publisher
confirms); waits until the service has folded them all; then times a mix of catalogue
queries over HTTP, and the same queries straight against the store (the baseline, in the
same run). Prints p50/p99 for each and their ratio.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pika
import requests
from pymongo import MongoClient
from pymongo.database import Database

from services.trade_promotion.schemas import CatalogueQuery
from services.trade_promotion.storage import TradePromotionStore
from shared.devstack.processes import (
    free_port,
    start_service,
    start_store,
    stop_all,
    wait_until_healthy,
)
from tests.support.amqp import pika_parameters

PROVINCES = ["19", "44", "46", "82", "42", "15", "01", "79"]
WORDS = [
    "Chè",
    "Shan",
    "tuyết",
    "Mật",
    "ong",
    "Gạo",
    "nếp",
    "Rượu",
    "Trà",
    "Cà",
    "phê",
    "Miến",
    "dong",
    "Bưởi",
    "Cam",
    "Nước",
    "mắm",
    "Bánh",
    "Kẹo",
    "Dừa",
    "Xoài",
    "Sâm",
    "Tinh",
    "dầu",
    "Quế",
    "Hồi",
]
QUERIES = [
    {},
    {"province_code": "19"},
    {"stars": 4},
    {"min_stars": 4, "group": "food"},
    {"q": "che shan"},
    {"q": "mat ong", "province_code": "44"},
    {"sort": "stars"},
    {"sort": "newest"},
    {"producer_kind": "htx"},
]


def events(n: int) -> list[tuple[str, str, dict]]:
    today, out = date.today(), []
    for i in range(n):
        producer_id, product_id, province = (
            f"pr{i // 3}",
            f"p{i:06d}",
            PROVINCES[i % len(PROVINCES)],
        )
        name = " ".join(random.sample(WORDS, 3))
        if i % 3 == 0:
            out.append(
                (
                    "registration",
                    "producer.registered",
                    {
                        "producer_id": producer_id,
                        "name": f"HTX {name}",
                        "kind": ["htx", "enterprise", "household"][i % 3 and (i // 3) % 3],
                        "women_led": i % 2 == 0,
                        "address": {
                            "province_code": province,
                            "province_name": "x",
                            "ward_code": f"{i % 900:05d}",
                            "ward_name": f"Xã {i % 900}",
                            "latitude": 20.0,
                            "longitude": 105.0,
                        },
                    },
                )
            )
        out.append(
            (
                "registration",
                "product.registered",
                {
                    "product_id": product_id,
                    "producer_id": producer_id,
                    "name": name,
                    "group": ["food", "drinks", "herbs"][i % 3],
                    "province_code": province,
                    "ward_code": f"{i % 900:05d}",
                },
            )
        )
        out.append(
            (
                "certification",
                "certificate.issued",
                {
                    "certificate_number": f"OCOP-{province}-2026-{i:06d}",
                    "product_id": product_id,
                    "producer_id": producer_id,
                    "product_name": name,
                    "group": ["food", "drinks", "herbs"][i % 3],
                    "province_code": province,
                    "stars": 3 + i % 3 // 2,
                    "level": "province",
                    "total": 70.0,
                    "criteria_set": "148-2023",
                    "evaluation_id": f"e{i}",
                    "issued_on": str(today - timedelta(days=i % 700)),
                    "expires_on": str(today + timedelta(days=900)),
                },
            )
        )
    return out


def publish_all(amqp_uri: str, batch: list[tuple[str, str, dict]]) -> float:
    connection = pika.BlockingConnection(pika_parameters(amqp_uri))
    channel = connection.channel()
    channel.confirm_delivery()
    started = time.monotonic()
    for service, routing_key, data in batch:
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
            pika.BasicProperties(content_type="application/cloudevents+json", delivery_mode=2),
        )
    connection.close()
    return time.monotonic() - started


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.99) - 1)]


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


def main() -> int:
    n = int(os.environ.get("N", "15000"))
    work = Path(tempfile.mkdtemp(prefix="ocop-bench-"))
    vhost = f"ocop_bench_{uuid.uuid4().hex[:8]}"
    requests.put(
        f"http://127.0.0.1:15672/api/vhosts/{vhost}", auth=("guest", "guest"), timeout=10
    ).raise_for_status()
    requests.put(
        f"http://127.0.0.1:15672/api/permissions/{vhost}/guest",
        auth=("guest", "guest"),
        json={"configure": ".*", "write": ".*", "read": ".*"},
        timeout=10,
    ).raise_for_status()
    store_port, http_port = free_port(), free_port()
    processes = [start_store(store_port, "memory", work / "nx.log", work / "nx.pid")]
    amqp_uri = f"pyamqp://guest:guest@127.0.0.1:5672/{vhost}"
    try:
        service = start_service(
            "trade_promotion",
            {
                "AMQP_URI": amqp_uri,
                "MONGO_URI": f"mongodb://127.0.0.1:{store_port}",
                "TRADE_PROMOTION_HTTP": f"127.0.0.1:{http_port}",
                "LOG_LEVEL": "WARNING",
            },
            work / "service.log",
        )
        processes.append(service)
        base = f"http://127.0.0.1:{http_port}"
        wait_until_healthy({"trade_promotion": (service, base)})
        batch = events(n)
        print(f"publishing {len(batch)} events for {n} products…", flush=True)
        publish_seconds = publish_all(amqp_uri, batch)
        database = MongoClient(f"mongodb://127.0.0.1:{store_port}")["ocop_trade_promotion"]
        started = time.monotonic()
        while (
            listed := len(list(database.catalogue_index.find({"listed": True}, {"_id": 1})))
        ) < n:
            print(f"  folded {listed}/{n} listed", flush=True)
            time.sleep(10)
        fold_seconds = time.monotonic() - started + publish_seconds
        by_kind: dict[str, list[float]] = {}
        rounds = int(os.environ.get("ROUNDS", "20"))
        http, direct = time_queries(f"{base}/api/v1", database, rounds, by_kind)
        (hp50, hp99), (dp50, dp99) = percentiles(http), percentiles(direct)
        print(f"\ncatalogue with {n} listed products ({len(http)} queries of {len(QUERIES)} kinds)")
        rate = len(batch) / fold_seconds
        print(f"  ingest: {len(batch)} events in {fold_seconds:.1f}s = {rate:.0f} events/s")
        print(f"  {'':28}{'p50 ms':>10}{'p99 ms':>10}")
        print(f"  {'HTTP GET /api/v1/catalogue':28}{hp50:10.1f}{hp99:10.1f}")
        print(f"  {'baseline: same query, store':28}{dp50:10.1f}{dp99:10.1f}")
        print(f"  {'ratio (HTTP / store)':28}{hp50 / dp50:10.2f}{hp99 / dp99:10.2f}")
        print("  by query (HTTP):")
        for query, samples in by_kind.items():
            p50, _ = percentiles(samples)
            print(f"    {query:44} p50 {p50:7.1f} ms  max {max(samples):7.1f} ms")
        return 0
    finally:
        stop_all(processes)
        requests.delete(
            f"http://127.0.0.1:15672/api/vhosts/{vhost}", auth=("guest", "guest"), timeout=10
        )


if __name__ == "__main__":
    sys.exit(main())
