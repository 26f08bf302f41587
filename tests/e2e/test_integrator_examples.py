"""The examples integrators copy, run against the live platform."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

from pymongo import MongoClient

from shared.access.api_keys import KeyRing
from shared.events import envelope
from shared.events.examples import EXAMPLES
from tests.support.amqp import publish
from tests.support.batches import open_batch
from tests.support.waiting import eventually

ROOT = Path(__file__).resolve().parents[2]


def certificate_event() -> dict:
    """A certificate.issued as certification publishes it (the documented example)."""
    example = next(e for e in EXAMPLES if e.event_type == "certificate.issued")
    return envelope(
        example, event_id=str(uuid.uuid4()), now=datetime.now(UTC), correlation_id=str(uuid.uuid4())
    )


def test_the_example_subscriber_handles_each_event_once(platform, http, tmp_path):
    """It binds a durable queue with its own broker user, gets the flow's events, skips a
    redelivered one and rejects one its source's service did not send."""
    bus = platform.bus
    url = bus.subscriber("example", ["certification.events", "trade_promotion.events"])
    url = url.replace("pyamqp://", "amqp://")
    queue = f"{bus.user('example')}.{uuid.uuid4().hex[:6]}"
    command = [
        sys.executable,
        str(ROOT / "examples" / "subscriber.py"),
        "--url",
        url,
        "--queue",
        queue,
        "--bind",
        "certification.events:certificate.*",
        "--bind",
        "trade_promotion.events:catalogue.listed",
        "--seen",
        str(tmp_path / "seen.sqlite3"),
        "--idle-exit",
        "4",
        "--publisher-prefix",
        bus.prefix,
    ]
    subscriber = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    eventually(lambda: bus.admin.call("GET", f"queues/{bus.vhost}/{queue}", ok=[404]).get("name"))
    first, second, fake = certificate_event(), certificate_event(), certificate_event()
    # what `guest` could do on a default broker: write to the exchange, as itself
    publish(bus.administrator(), "certification", "certificate.issued", fake)
    for event in (first, first, second):  # the second `first` is a redelivery
        publish(bus, "certification", "certificate.issued", event)
    output, _ = subscriber.communicate(timeout=60)
    lines = [json.loads(line) for line in output.splitlines()]
    ours = (first["id"], second["id"])
    assert [line["id"] for line in lines if "handled" in line and line["id"] in ours] == list(ours)
    assert [line["duplicate"] for line in lines if "duplicate" in line] == [first["id"]]
    (rejected,) = [line for line in lines if "rejected" in line]
    assert rejected["rejected"] == fake["id"] and bus.user("admin") in rejected["reason"]


def test_the_provincial_push_creates_each_record_once_even_when_run_twice(
    platform, http, store_uri, tmp_path
):
    rows = tmp_path / "province.csv"
    rows.write_text(
        "row,producer_name,producer_kind,women_led,tax_code,province_code,ward_code,legacy_address,"
        "product_name,group,subgroup,dossier_year,evidence\n"
        'r1,HTX Mật ong Ba Bể,htx,yes,4700000001,,,"Xã Quảng Khê, Huyện Ba Bể, Tỉnh Bắc Kạn",'
        "Mật ong bạc hà,food,mat-ong-nong-san-khac,2026,nhan.pdf;phieu-kiem-nghiem.pdf\n"
        'r2,HTX Mật ong Ba Bể,htx,yes,4700000001,,,"Xã Quảng Khê, Huyện Ba Bể, Tỉnh Bắc Kạn",'
        "Mật ong hoa rừng,food,mat-ong-nong-san-khac,2026,nhan.pdf\n"
        "r3,Bad row,farm,no,,19,01933,,Chè,food,,2026,\n",
        encoding="utf-8",
    )
    command = [
        sys.executable,
        str(ROOT / "examples" / "provincial_push.py"),
        str(rows),
        "--registration",
        platform.urls["registration"],
        "--batch",
        open_batch(http, platform.api("registration"), "19"),
    ]
    with MongoClient(store_uri) as client:  # Bắc Kạn is part of Thái Nguyên (19) since 2025
        _, key = KeyRing(client[platform.access_db]).create(
            "Thái Nguyên OCOP office",
            roles=["integrator"],
            provinces=["19"],
            scopes=["registration:write"],
        )
    env = {**os.environ, "OCOP_API_KEY": key}
    first = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    second = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert first.returncode == second.returncode == 1  # the bad row is reported, the others pushed
    assert "line 4:" in first.stderr and "kind" in first.stderr
    products = [line.rsplit(" ", 1)[1] for line in first.stdout.splitlines()]
    assert (
        products == [line.rsplit(" ", 1)[1] for line in second.stdout.splitlines()]
        and len(products) == 2
    )
    registration = platform.api("registration")
    owners = {
        http.get(f"{registration}/products/{product}").json()["producer_id"] for product in products
    }
    assert len(owners) == 1  # one producer for both rows
