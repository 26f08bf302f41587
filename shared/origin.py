"""Where an imported record says its product comes from, checked against what registration
announced (`product.registered`, `producer.registered`) and the importing service kept.

A province's records name a product, its producer and the province. Unchecked, they could
certify or score a product that was never registered, another province's product, or a
product under a producer it does not belong to. A product or producer the service does
not know *yet* may be an event still on its way (a bulk import registers it seconds
before): those problems start with `NOT_KNOWN_YET`, so that a client (`ocop import`) can
tell them from final refusals and send the row again a little later.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from pymongo.database import Database

from shared.documents import insert
from shared.errors import InvalidInput

NOT_KNOWN_YET = "not known (yet)"
Known = Mapping[str, Any]  # what a service kept of a registration event (a document)


class Claim(Protocol):
    """What an import says about its product (its request body)."""

    product_id: str
    producer_id: str
    province_code: str


def check(claim: Claim, product: Known | None, producer: Known | None) -> None:
    """422 unless the product and its producer are known, belong together and are of the
    claimed province."""
    refuse_problems(producer_problems(claim, producer), product_problems(claim, product))


def product_problems(claim: Claim, product: Known | None) -> dict[str, str]:
    """Problems (by field) of the claim about the product."""
    if product is None:
        return {"product_id": f"{NOT_KNOWN_YET}: no product {claim.product_id!r} was registered"}
    if product.get("province_code") != claim.province_code:
        return {"product_id": f"a product of province {product.get('province_code')}"}
    if product.get("producer_id") != claim.producer_id:
        return {"producer_id": f"not the producer of product {claim.product_id!r}"}
    return {}


def producer_problems(claim: Claim, producer: Known | None) -> dict[str, str]:
    """Problems (by field) of the claim about the producer."""
    if producer is None:
        return {"producer_id": f"{NOT_KNOWN_YET}: no producer {claim.producer_id!r} was registered"}
    if producer.get("province_code") != claim.province_code:
        return {"producer_id": f"a producer of province {producer.get('province_code')}"}
    return {}


def refuse_problems(*problems: dict[str, str]) -> None:
    """422 naming every field at fault; a later problem of a field outranks an earlier one
    (give the final ones last: a row that can never pass is not worth waiting for)."""
    fields = {name: problem for each in problems for name, problem in each.items()}
    if fields:
        raise InvalidInput("the product's origin: " + ", ".join(sorted(fields)), fields)


def awaits_events(fields: Mapping[str, Any]) -> bool:
    """Whether a refusal's problems are all about facts not known yet (worth a retry)."""
    return bool(fields) and all(str(each).startswith(NOT_KNOWN_YET) for each in fields.values())


class KnownProducts:
    """A store's products as registration announced them (`product.registered`): what a
    service that imports results or certificates checks them against."""

    db: Database

    def remember_product(
        self, product_id: str, producer_id: str, province_code: str, ward_code: str
    ) -> None:
        """Kept once: a redelivered event finds its `_id` taken (registration never moves
        a product)."""
        document = {"producer_id": producer_id, "province_code": province_code}
        insert(self.db.products, {"_id": product_id, **document, "ward_code": ward_code})

    def product(self, product_id: str) -> dict | None:
        return self.db.products.find_one({"_id": product_id})
