"""Two credentials of one province, the same `Idempotency-Key`: against the running
platform, each caller gets its own records and only its own answers."""

from __future__ import annotations

import uuid

import requests
from pymongo import MongoClient

from shared.access.api_keys import KeyRing
from tests.e2e.personas import known_to_importers
from tests.support.auth import bearer, token

PROVINCE, WARD = "19", "01933"  # Thái Nguyên, Xã Đồng Phúc


def province_system(platform, store_uri) -> dict[str, str]:
    """The province's own system: an integrator key for its province."""
    with MongoClient(store_uri) as client:
        _, key = KeyRing(client[platform.access_db]).create(
            "Sở NN&MT Thái Nguyên",
            roles=["integrator"],
            provinces=[PROVINCE],
            scopes=["registration:write", "certificates:import"],
        )
    return bearer(key)


def post(url: str, body: dict, caller: dict[str, str], key: str) -> requests.Response:
    return requests.post(url, json=body, headers={**caller, "Idempotency-Key": key}, timeout=30)


def test_two_callers_with_one_key_each_get_their_own_records(platform, store_uri):
    tag = uuid.uuid4().hex[:8]
    system = province_system(platform, store_uri)
    officer = bearer(token(f"can-bo-{tag}", roles=["province_officer"], provinces=[PROVINCE]))
    reg, cer = platform.api("registration"), platform.api("certification")
    body = {
        "name": f"HTX Chè {tag}",
        "kind": "htx",
        "women_led": False,
        "address": {"province_code": PROVINCE, "ward_code": WARD},
    }
    key = f"so-19/chu-the/{tag}"
    made = {
        name: post(f"{reg}/producers", body, who, key)
        for name, who in (("system", system), ("officer", officer))
    }
    assert [answer.status_code for answer in made.values()] == [201, 201]
    assert made["system"].json()["id"] != made["officer"].json()["id"]
    for name, who in (("system", system), ("officer", officer)):
        assert post(f"{reg}/producers", body, who, key).json() == made[name].json()
    changed = post(f"{reg}/producers", {**body, "name": "HTX khác"}, officer, key)
    assert changed.status_code == 409 and "Idempotency-Key" in changed.json()["fields"]

    producer = made["system"].json()
    product_body = {
        "producer_id": producer["id"],
        "name": f"Chè {tag}",
        "group": "food",
        "subgroup": "che-tuoi-che-che-bien",
    }
    product = post(f"{reg}/products", product_body, system, f"so-19/san-pham/{tag}").json()
    known_to_importers(store_uri, product["id"], producer["id"])
    certificate = {
        "number": f"GCN-19-{tag}",
        "product_id": product["id"],
        "producer_id": producer["id"],
        "product_name": product["name"],
        "group": "food",
        "province_code": PROVINCE,
        "stars": 3,
        "level": "province",
        "issued_on": "2025-10-01",
        "expires_on": "2028-09-30",
    }
    imported = post(f"{cer}/imports/certificates", certificate, system, f"gcn/{tag}")
    assert imported.status_code == 201, imported.text
    assert post(f"{cer}/imports/certificates", certificate, system, f"gcn/{tag}").json() == (
        imported.json()
    )
    theirs = post(f"{cer}/imports/certificates", certificate, officer, f"gcn/{tag}")
    assert theirs.status_code == 409 and theirs.json()["fields"] == {"number": "taken"}
