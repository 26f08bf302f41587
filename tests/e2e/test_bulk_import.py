"""`ocop import` against the running platform: killed half-way, run again, nothing twice."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import uuid
from collections import Counter
from datetime import date

from pymongo import MongoClient

from shared.access.api_keys import KeyRing
from tests.support.province_records import write_records
from tests.support.waiting import eventually

PRODUCTS = 120
RACING = 8  # products whose certificates follow at once (no results in between)


def province_key(platform, store_uri) -> str:
    """What a province's system holds: an integrator key for its province and the import
    scopes only."""
    with MongoClient(store_uri) as client:
        _, key = KeyRing(client[platform.access_db]).create(
            "Tuyên Quang records office",
            roles=["integrator"],
            provinces=["08"],
            scopes=["registration:write", "results:import", "certificates:import"],
        )
    return key


def start_import(platform, records, log, key):
    command = [sys.executable, "-m", "cli.main", "import", str(records), "--province", "08"]
    command += ["--api-key", key]
    for service in ("registration", "scoring", "certification"):
        command += [f"--{service}", platform.urls[service]]
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)


def test_an_import_killed_half_way_resumes_without_duplicates(platform, store_uri, tmp_path):
    tag = uuid.uuid4().hex[:6].upper()
    records = write_records(tmp_path / "records", PRODUCTS, "08", tag=tag)
    key = province_key(platform, store_uri)
    store = MongoClient(store_uri)
    products = store.ocop_registration.products
    mine = {"name": {"$regex": f"^Sản phẩm {tag}"}}
    with (tmp_path / "first.log").open("w") as log:
        first = start_import(platform, records, log, key)
        eventually(lambda: products.count_documents(mine) >= PRODUCTS // 3, timeout=120)
        os.kill(first.pid, signal.SIGKILL)  # no clean-up, as in a crash
        first.wait(timeout=10)
    assert products.count_documents(mine) < PRODUCTS  # it really stopped half-way
    with (tmp_path / "second.log").open("w") as log:
        second = start_import(platform, records, log, key)
        assert second.wait(timeout=600) == 0, (tmp_path / "second.log").read_text()
    assert "accepted 424 rows" in (tmp_path / "second.log").read_text()

    names = Counter(each["name"] for each in products.find(mine, {"name": 1}))
    assert len(names) == PRODUCTS and set(names.values()) == {1}
    producers = store.ocop_registration.producers.count_documents(
        {"name": {"$regex": f"^Chủ thể {tag}"}}
    )
    assert producers == PRODUCTS * 8 // 15
    numbers = Counter(
        each["_id"]
        for each in store.ocop_certification.certificates.find(
            {"_id": {"$regex": f"^GCN-08-{tag}"}}, {"_id": 1}
        )
    )
    assert len(numbers) == PRODUCTS and set(numbers.values()) == {1}
    results = store.ocop_scoring.imported_results.count_documents(
        {"record_code": {"$regex": f"^KQ{tag}"}}
    )
    assert results == PRODUCTS

    # and every record went out once on the bus (CloudEvents ids unique per record)
    def issued() -> list[dict]:
        found = [
            m["body"]
            for m in platform.tap.messages
            if m["routing_key"] == "certificate.issued"
            and m["body"]["data"]["certificate_number"].startswith(f"GCN-08-{tag}")
        ]
        platform.tap.drain()
        return found if len(found) >= PRODUCTS else []

    events = eventually(issued, timeout=120)
    assert Counter(e["data"]["certificate_number"] for e in events).most_common(1)[0][1] == 1
    store.close()


def test_certificates_sent_right_after_their_products_wait_for_certification_to_know_them(
    platform, store_uri, tmp_path
):
    """With no results between them, each certificate goes out moments after its product
    was registered, before certification has heard of the product from registration's
    events: the importer sends such rows again until certification knows the product."""
    tag = uuid.uuid4().hex[:6].upper()
    records = write_records(tmp_path / "records", RACING, "08", tag=tag)
    results = records / "results.csv"
    results.write_text(results.read_text(encoding="utf-8").splitlines()[0] + "\n", "utf-8")
    with (tmp_path / "import.log").open("w") as log:
        code = start_import(platform, records, log, province_key(platform, store_uri)).wait(120)
    output = (tmp_path / "import.log").read_text()
    assert code == 0, output
    assert f"certificates {RACING}" in output
    certificates = MongoClient(store_uri).ocop_certification.certificates
    assert certificates.count_documents({"_id": {"$regex": f"^GCN-08-{tag}"}}) == RACING


def test_ocop_replay_sends_a_services_history_to_one_new_queue(platform, store_uri, tmp_path):
    import pika

    from tests.support.amqp import pika_parameters

    tag = uuid.uuid4().hex[:6].upper()
    records = write_records(tmp_path / "records", 12, "08", tag=tag)
    key = province_key(platform, store_uri)
    with (tmp_path / "import.log").open("w") as log:
        assert start_import(platform, records, log, key).wait(timeout=300) == 0
    with (records / "certificates.csv").open(encoding="utf-8") as file:
        ended = {
            row["number"] for row in csv.DictReader(file) if row["expires_on"] < str(date.today())
        }
    assert 0 < len(ended) <= 12
    history = MongoClient(store_uri).ocop_certification.event_history
    mine = {"event.data.certificate_number": {"$regex": f"^GCN-08-{tag}"}}
    eventually(lambda: history.count_documents(mine) >= 12 + len(ended), timeout=120)

    subscriber = f"so-khoa-hoc-{tag.lower()}"
    login = platform.bus.subscriber(subscriber, ["certification.events"])
    connection = pika.BlockingConnection(pika_parameters(login))
    channel = connection.channel()
    queue = f"{platform.bus.user(subscriber)}.ocop"
    channel.queue_declare(queue, durable=True)
    channel.queue_bind(queue, "certification.replay", routing_key=queue)
    env = {
        **os.environ,
        **platform.bus.env(),
        "AMQP_URI": platform.bus.amqp_uri("certification"),
        "MONGO_URI": store_uri,
    }
    replay = subprocess.run(
        [
            *(sys.executable, "-m", "cli.main", "replay", "--service", "certification"),
            *("--since", "2020-01-01", "--to-queue", queue, "--type", "certificate.expired"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert replay.returncode == 0, replay.stderr
    received = []
    while (message := channel.basic_get(queue, auto_ack=True))[0] is not None:
        received.append(json.loads(message[2]))
    ours = [
        m["data"]["certificate_number"] for m in received if tag in m["data"]["certificate_number"]
    ]
    assert sorted(ours) == sorted(ended) and {m["type"] for m in received} == {
        "vn.ocop.certificate.expired.v1"
    }
    assert f"replayed {len(received)} events" in replay.stdout
    channel.queue_delete(queue)
    connection.close()
