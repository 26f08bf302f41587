"""Display and sales points (điểm giới thiệu và bán sản phẩm OCOP) and what they carry. Pure."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from shared.errors import InvalidInput
from shared.events import Event, SalesPointProductAdded, SalesPointProductRemoved

Kind = Literal["display_counter", "shop", "supermarket", "tourist_site"]


class SalesPoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    kind: Kind
    operator: str
    province_code: str
    province_name: str
    ward_code: str
    ward_name: str
    street: str | None = None
    products: tuple[str, ...] = ()


def carry(point: SalesPoint, product_id: str, listed: bool) -> tuple[SalesPoint, list[Event]]:
    """Only products listed in the catalogue (a valid certificate) can be carried."""
    if not listed:
        raise InvalidInput.field("product_id", f"{product_id} is not a listed OCOP product")
    if product_id in point.products:
        return point, []
    return point.model_copy(update={"products": (*point.products, product_id)}), [
        SalesPointProductAdded(sales_point_id=point.id, product_id=product_id)
    ]


def drop(
    point: SalesPoint, product_id: str, reason: Literal["operator", "delisted"]
) -> tuple[SalesPoint, list[Event]]:
    if product_id not in point.products:
        return point, []
    return point.model_copy(
        update={"products": tuple(p for p in point.products if p != product_id)}
    ), [SalesPointProductRemoved(sales_point_id=point.id, product_id=product_id, reason=reason)]
