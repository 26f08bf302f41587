"""What a scenario did, counted from the services' databases and the outside subscriber.

Lost: a started flow (its dossier accepted) whose product is not listed and invited to the
fair, or one of whose facts never reached the bus. Duplicated: a fact done twice, in a
database (two rounds for one dossier, two certificates for one product, two invitations)
or on the bus (one fact announced under two event ids; the same id twice is delivery, not
duplication, and subscribers skip it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from pymongo import MongoClient

from tests.chaos.flows import Flow

ONCE_PER_PRODUCT = (
    "product.registered",
    "dossier.submitted",
    "evaluation.opened",
    "product.ranked",
    "recognition.proposed",
    "certificate.issued",
    "catalogue.listed",
    "invitation.sent",
)


@dataclass
class Count:
    flows: int
    events: int
    lost: int
    duplicated: int
    lost_detail: list[str]
    duplicated_detail: list[str]


def completed(store_uri: str, province: str, fair_id: str) -> set[str]:
    """Products of the province that are listed and invited to the scenario's fair."""
    client: MongoClient = MongoClient(store_uri, serverSelectionTimeoutMS=5000)
    try:
        database = client.ocop_trade_promotion
        listed = {
            row["_id"]
            for row in database.catalogue_index.find({"province_code": province}, {"_id": 1})
        }
        invited = {
            row["product_id"]
            for row in database.invitations.find({"fair_id": fair_id}, {"product_id": 1})
        }
        return listed & invited
    finally:
        client.close()


def count(
    store_uri: str, province: str, fair_id: str, flows: list[Flow], events: list[dict]
) -> Count:
    started = {flow.product_id: flow for flow in flows if flow.submitted}
    done = completed(store_uri, province, fair_id)
    lost = [
        f"flow {flow.index}: not listed and invited" for p, flow in started.items() if p not in done
    ]
    ids_by_fact: dict[tuple[str, str], set[str]] = {}
    for event in events:
        product_id = event["data"].get("product_id")
        if product_id in started:
            kind = event["type"].removeprefix("vn.ocop.").rsplit(".v", 1)[0]
            ids_by_fact.setdefault((kind, product_id), set()).add(event["id"])
    for product_id, flow in started.items():
        missing = [kind for kind in ONCE_PER_PRODUCT if (kind, product_id) not in ids_by_fact]
        if missing:
            lost.append(f"flow {flow.index}: never announced {', '.join(missing)}")
    duplicated = [
        f"{kind} of {product_id}: {len(ids)} event ids"
        for (kind, product_id), ids in ids_by_fact.items()
        if kind in ONCE_PER_PRODUCT and len(ids) > 1
    ]
    duplicated += stored_twice(store_uri, province, fair_id, set(started))
    seen = {event["id"] for event in events if event["data"].get("product_id") in started}
    lost_flows = {line.split(":")[0] for line in lost}
    return Count(len(started), len(seen), len(lost_flows), len(duplicated), lost, duplicated)


def stored_twice(store_uri: str, province: str, fair_id: str, products: set[str]) -> list[str]:
    client: MongoClient = MongoClient(store_uri, serverSelectionTimeoutMS=5000)
    try:
        found = []
        rounds = Counter(
            doc["product_id"]
            for doc in client.ocop_scoring.evaluations.find(
                {"province_code": province, "kind": "new"}, {"product_id": 1}
            )
        )
        certificates = Counter(
            doc["product_id"]
            for doc in client.ocop_certification.certificates.find(
                {"province_code": province}, {"product_id": 1}
            )
        )
        invitations = Counter(
            doc["product_id"]
            for doc in client.ocop_trade_promotion.invitations.find(
                {"fair_id": fair_id}, {"product_id": 1}
            )
        )
        names = Counter(
            doc["name"]
            for doc in client.ocop_registration.products.find(
                {"province_code": province}, {"name": 1}
            )
        )
        for what, counter in (
            ("rounds", rounds),
            ("certificates", certificates),
            ("invitations", invitations),
        ):
            found += [
                f"{n} {what} for product {p}" for p, n in counter.items() if n > 1 and p in products
            ]
        found += [f"{n} products named {name!r}" for name, n in names.items() if n > 1]
        return found
    finally:
        client.close()


def as_row(name: str, result: Count, parked: int, drain: float, note: str = "") -> dict[str, Any]:
    return {
        "scenario": name,
        "flows": result.flows,
        "events": result.events,
        "lost": result.lost,
        "duplicated": result.duplicated,
        "parked": parked,
        "drain_s": round(drain, 1),
        "note": note,
    }
