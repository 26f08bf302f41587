"""Registration's producer and product events, published as registration would, and
waited for until the service under test has kept them (scoring and certification check
imports against what they kept)."""

from __future__ import annotations

from collections.abc import Callable

from pymongo.database import Database

from shared.events import ProducerIdentified
from tests.support.amqp import Logins, cloud_event, publish
from tests.support.waiting import eventually

Announce = Callable[[str, dict, str], None]  # (collection it is kept in, event, id field)


PRIVATE = {"producer.identified"}  # on registration.private, not registration.events
PRIVATE_EXCHANGE = ProducerIdentified.exchange()


def announcer(bus: Logins, kept: Database) -> Announce:
    def announce(collection: str, event: dict, key: str) -> None:
        routing_key = event["type"].removeprefix("vn.ocop.").removesuffix(".v1")
        exchange = PRIVATE_EXCHANGE if routing_key in PRIVATE else None
        publish(bus, "registration", routing_key, event, exchange=exchange)
        eventually(lambda: kept[collection].find_one({"_id": event["data"][key]}))

    return announce


def producer_of(announce: Announce, producer_id: str, province: str) -> None:
    """Who the producer is, as certification learns it (from registration.private)."""
    data = {"producer_id": producer_id, "name": f"HTX {producer_id}", "kind": "htx"}
    data |= {"province_code": province, "ward_code": "00001"}
    event = cloud_event("producer.identified", "registration", data)
    announce("producers", event, "producer_id")


def product_of(announce: Announce, product_id: str, producer_id: str, province: str) -> None:
    data = {"product_id": product_id, "producer_id": producer_id, "name": "Cam sành"}
    data |= {"group": "food", "province_code": province, "ward_code": "00001"}
    announce("products", cloud_event("product.registered", "registration", data), "product_id")
