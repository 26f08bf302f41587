"""Business flows driven over HTTP the way a careful client would: every creating POST
with an `Idempotency-Key`, every failure (refused connection, timeout, 5xx) retried with
back-off, so that a fault costs time, never a flow. The province office records decisions
for the council's results (deciding.py); the services do the rest by events: certificate,
catalogue listing, fair invitation."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import requests

from tests.support.assessment import assessment, opening
from tests.support.batches import batch_body
from tests.support.province_records import wards_of
from tests.support.sheets import answers_for_four_stars

PATIENCE = 300.0  # seconds a step may take while a fault lasts
EVIDENCE = [{"kind": "label", "filename": "nhan.pdf", "sha256": "ab" * 32}]


class FlowFailed(Exception):
    pass


@dataclass
class Calls:
    """Every HTTP answer's time and status, to tell what clients saw during a fault."""

    seen: list[tuple[float, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int) -> None:
        with self.lock:
            self.seen.append((time.monotonic(), status))

    def between(self, start: float, end: float) -> list[int]:
        return [status for moment, status in self.seen if start <= moment <= end]


class Client:
    def __init__(self, urls: dict[str, str], calls: Calls, api_key: str) -> None:
        self.urls = urls
        self.calls = calls
        self.authorization = {"Authorization": f"Bearer {api_key}"}
        self.local = threading.local()

    def call(self, method: str, service: str, path: str, body: Any = None, key: str = "") -> Any:
        headers = {**self.authorization, **({"Idempotency-Key": key} if key else {})}
        deadline, delay = time.monotonic() + PATIENCE, 0.2
        while True:
            try:
                response = self._session().request(
                    method, self.urls[service] + path, json=body, headers=headers, timeout=15
                )
            except requests.RequestException:
                self.calls.record(0)  # no answer at all
            else:
                self.calls.record(response.status_code)
                if response.status_code < 500:
                    return response
            if time.monotonic() > deadline:
                raise FlowFailed(f"{method} {service}{path}: no answer for {PATIENCE:.0f} s")
            time.sleep(delay)
            delay = min(delay * 2, 3)

    def ok(self, method: str, service: str, path: str, body: Any = None, key: str = "") -> Any:
        response = self.call(method, service, path, body, key)
        if response.status_code >= 400:
            raise FlowFailed(f"{method} {service}{path}: {response.status_code} {response.text}")
        return response.json()

    def _session(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session


@dataclass
class Flow:
    index: int
    producer_id: str = ""
    product_id: str = ""
    evaluation_id: str = ""
    submitted: bool = False  # the dossier was accepted: the flow has started
    closed: bool = False  # the council's round was closed: its result waits for a decision
    error: str = ""


def create_fair(client: Client, province: str, tag: str) -> str:
    starts = date.today() + timedelta(days=60)
    body = {
        "name": f"Hội chợ OCOP {tag}",
        "starts_on": str(starts),
        "ends_on": str(starts + timedelta(days=4)),
        "province_code": province,
        "min_stars": 3,
        "groups": ["food"],
    }
    return str(
        client.ok("POST", "trade_promotion", "/api/v1/trade-fairs", body, f"{tag}/fair")["id"]
    )


def run_flows(
    client: Client,
    count: int,
    province: str,
    tag: str,
    concurrency: int,
    started: Callable[[int], None],
    pace: float = 0.0,
) -> list[Flow]:
    """`count` flows, `concurrency` at a time, one starting every `pace` seconds at most
    (a steady stream, so that faults land in its middle); `started(n)` after each
    dossier accepted."""
    wards = wards_of(province)
    batch = open_batch(client, province, tag)
    flows = [Flow(index) for index in range(count)]
    lock, submitted = threading.Lock(), [0]
    begin = time.monotonic()

    def one(flow: Flow) -> None:
        time.sleep(max(0.0, begin + flow.index * pace - time.monotonic()))
        try:
            register(client, flow, province, wards[flow.index % len(wards)], tag, batch)
            with lock:
                submitted[0] += 1
                started(submitted[0])
            score(client, flow)
        except FlowFailed as failure:
            flow.error = str(failure)

    from tests.chaos.deciding import Decider  # it drives flows' clients: imported late

    with Decider(client, province, tag) as decider:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            list(pool.map(one, flows))
        closed = {flow.evaluation_id for flow in flows if flow.closed}
        try:
            decider.wait_for(closed, PATIENCE)
        except FlowFailed as failure:
            for flow in flows:
                if flow.closed and flow.evaluation_id not in decider.decided:
                    flow.error = flow.error or str(failure)
    return flows


def open_batch(client: Client, province: str, tag: str) -> str:
    """The province's evaluation batch of this year (đợt 1, open all year): opened by the
    first run in a platform, found by the next (409: its number is taken)."""
    body = batch_body(province)
    response = client.call("POST", "registration", "/api/v1/batches", body, f"{tag}/batch")
    if response.status_code == 201:
        return str(response.json()["id"])
    if response.status_code != 409:
        raise FlowFailed(f"opening the batch: {response.status_code} {response.text}")
    path = f"/api/v1/batches?province_code={province}&year={body['year']}"
    found = client.ok("GET", "registration", path)
    return next(str(b["id"]) for b in found if b["number"] == body["number"])


def register(client: Client, flow: Flow, province: str, ward: str, tag: str, batch: str) -> None:
    key = f"{tag}/{flow.index}"
    producer = {
        "name": f"HTX {tag} {flow.index}",
        "kind": "htx",
        "women_led": flow.index % 2 == 0,
        "address": {"province_code": province, "ward_code": ward},
    }
    flow.producer_id = client.ok("POST", "registration", "/api/v1/producers", producer, key)["id"]
    product = {
        "producer_id": flow.producer_id,
        "name": f"Cam sành {tag} {flow.index}",
        "group": "food",
    }
    product["subgroup"] = "rau-cu-qua-hat-tuoi"
    flow.product_id = client.ok("POST", "registration", "/api/v1/products", product, key)["id"]
    dossier = {"batch_id": batch, "year": date.today().year, "evidence": EVIDENCE}
    path = f"/api/v1/products/{flow.product_id}/dossiers"
    client.ok("POST", "registration", path, dossier, key)
    flow.submitted = True


def score(client: Client, flow: Flow) -> None:
    evaluation = wait_for_round(client, flow.product_id)
    flow.evaluation_id = evaluation["id"]
    path = f"/api/v1/evaluations/{evaluation['id']}"
    # the commune proposes the dossier, the province opens the round (Decision 1489/QĐ-TTg)
    before = ("awaiting_assessment", "awaiting_opening")
    for step, body, waits in (
        ("assessment", assessment(officer_id="can-bo-xa"), before),
        ("opening", opening(), before[1:]),
    ):
        if evaluation["status"] not in waits:
            continue
        response = client.call("POST", "scoring", f"{path}/{step}", body)
        if response.status_code == 409:  # an earlier try went through; the round says so
            evaluation = client.ok("GET", "scoring", path)
            if evaluation["status"] == waits[0]:
                raise FlowFailed(f"{step} refused: {response.text}")
        elif response.status_code >= 400:
            raise FlowFailed(f"{step}: {response.status_code} {response.text}")
        else:
            evaluation = response.json()
    answers = answers_for_four_stars(client.ok("GET", "scoring", f"{path}/sheet"))
    for member in evaluation["members"]:
        sheet = {"member_id": member, "answers": answers}
        client.ok("POST", "scoring", f"{path}/scoresheets", sheet)
    client.ok("POST", "scoring", f"{path}/close", {"closed_by": evaluation["members"][0]})
    flow.closed = True


def wait_for_round(client: Client, product_id: str) -> dict:
    deadline = time.monotonic() + PATIENCE
    path = f"/api/v1/evaluations?product_id={product_id}"
    while time.monotonic() < deadline:
        rounds = [e for e in client.ok("GET", "scoring", path) if e["kind"] == "new"]
        if rounds:
            return dict(rounds[0])
        time.sleep(0.3)
    raise FlowFailed(f"no round opened for product {product_id} in {PATIENCE:.0f} s")
