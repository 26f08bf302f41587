"""Two instances of every service, as an operations team scales them: the consumers share
each queue's work, one relay per service publishes, and no effect happens twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from shared.access.api_keys import DEFAULT_DB
from shared.devstack.credentials import all_powers_key
from shared.devstack.processes import (
    SERVICES,
    Process,
    free_port,
    start_service,
    start_store,
    stop_all,
    wait_until_healthy,
)
from tests.chaos.counting import completed, count
from tests.chaos.flows import Calls, Client, create_fair, run_flows
from tests.support.amqp import EventTap
from tests.support.broker import Sandbox
from tests.support.waiting import eventually

FLOWS = 24
PROVINCE = "19"
CONSUMERS = ("scoring", "certification", "trade_promotion")


@pytest.fixture
def doubled(tmp_path: Path) -> Iterator[dict]:
    """A vhost, broker users and a store of the test's own; two processes per service."""
    bus = Sandbox("pair").platform()
    store_port = free_port()
    store = start_store(store_port, "memory", tmp_path / "store.log", tmp_path / "store.pid")
    store_uri = f"mongodb://127.0.0.1:{store_port}"
    tap = EventTap(bus.subscriber("tap", [f"{s}.events" for s in SERVICES]), SERVICES)
    processes: list[Process] = []
    urls: list[dict[str, str]] = [{}, {}]
    try:
        for instance in (0, 1):
            ports = {name: free_port() for name in SERVICES}
            env = {
                **bus.env(),
                "MONGO_URI": store_uri,
                "COUNCIL_MEMBERS": "member-1,member-2,member-3",
                "SIGNING_KEYS_DIR": str(tmp_path / "keys"),
                **{f"{name.upper()}_HTTP": f"127.0.0.1:{port}" for name, port in ports.items()},
            }
            for name in SERVICES:
                log = tmp_path / f"{name}-{instance}.log"
                process = start_service(name, {**env, "AMQP_URI": bus.amqp_uri(name)}, log)
                processes.append(process)
                urls[instance][name] = f"http://127.0.0.1:{ports[name]}"
                wait_until_healthy({name: (process, urls[instance][name])})
        key = all_powers_key(store_uri, DEFAULT_DB, client="two instances")
        yield {"urls": urls, "store_uri": store_uri, "tap": tap, "key": key}
    finally:
        stop_all(processes)
        stop_all([store])
        tap.close()
        bus.remove()


def announces(message: dict, products: set[str]) -> bool:
    """The last two events of a flow: listed in the catalogue, invited to the fair."""
    body = message["body"] or {}
    return message["routing_key"] in ("catalogue.listed", "invitation.sent") and (
        body.get("data", {}).get("product_id") in products
    )


def consumed(url: str) -> float:
    text = requests.get(f"{url}/metrics", timeout=10).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "ocop_events_consumed_total" and sample.labels["outcome"] == "ok"
    )


def test_two_instances_share_the_work_and_do_nothing_twice(doubled):
    urls, store_uri, tap = doubled["urls"], doubled["store_uri"], doubled["tap"]
    calls = Calls()
    clients = [Client(instance, calls, doubled["key"]) for instance in urls]
    fair_id = create_fair(clients[0], PROVINCE, "pair")
    flows = []
    for index, client in enumerate(clients):  # half the producers talk to each instance
        flows += run_flows(client, FLOWS // 2, PROVINCE, f"pair-{index}", 4, lambda n: None)
    assert not [flow.error for flow in flows if flow.error]
    products = {flow.product_id for flow in flows}
    eventually(lambda: products <= completed(store_uri, PROVINCE, fair_id), timeout=120)
    # the store shows the effect before the relay has published its events: wait for them
    tap.wait_for(lambda m: announces(m, products), count=2 * len(products), timeout=60)

    events = [message["body"] for message in tap.drain() if message["body"]]
    result = count(store_uri, PROVINCE, fair_id, flows, events)
    assert (result.flows, result.lost, result.duplicated) == (FLOWS, 0, 0), (
        result.lost_detail + result.duplicated_detail
    )
    # one relay per service published: no event went out twice under its id
    assert [i for i, n in Counter(e["id"] for e in events).items() if n > 1] == []
    for name in CONSUMERS:
        shares = [consumed(instance[name]) for instance in urls]
        assert all(share > 0 for share in shares), f"{name} instances handled {shares}"
