"""Registration's producer and product events, published as registration would, and
waited for until the service under test has kept them (scoring and certification check
imports against what they kept)."""

from __future__ import annotations

from collections.abc import Callable

from pymongo.database import Database

from tests.support.amqp import cloud_event, publish
from tests.support.waiting import eventually

Announce = Callable[[str, dict, str], None]  # (collection it is kept in, event, id field)


def announcer(amqp_uri: str, kept: Database) -> Announce:
    def announce(collection: str, event: dict, key: str) -> None:
        routing_key = event["type"].removeprefix("vn.ocop.").removesuffix(".v1")
        publish(amqp_uri, "registration", routing_key, event)
        eventually(lambda: kept[collection].find_one({"_id": event["data"][key]}))

    return announce


def producer_of(announce: Announce, producer_id: str, province: str) -> None:
    address = {"province_code": province, "province_name": f"Tỉnh {province}"}
    address |= {"ward_code": "00001", "ward_name": "Xã Một"}
    data = {"producer_id": producer_id, "name": f"HTX {producer_id}", "kind": "htx"}
    data |= {"women_led": False, "address": address}
    announce("producers", cloud_event("producer.registered", "registration", data), "producer_id")


def product_of(announce: Announce, product_id: str, producer_id: str, province: str) -> None:
    data = {"product_id": product_id, "producer_id": producer_id, "name": "Cam sành"}
    data |= {"group": "food", "province_code": province, "ward_code": "00001"}
    announce("products", cloud_event("product.registered", "registration", data), "product_id")
