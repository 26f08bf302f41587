"""Registration: producers (chủ thể OCOP) and their products (dossiers: dossiers.py,
batches: batches.py).

Pure: every function takes what it needs (ids, today's date, resolved addresses) and
returns the new state with the events it causes.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from shared.access.caller import Reach
from shared.admin_units import Address, address_from_codes, address_from_legacy
from shared.errors import InvalidInput
from shared.events import (
    Event,
    ProducerIdentified,
    ProducerRegistered,
    ProductClassified,
    ProductRegistered,
    PublicAddress,
    public_producer_name,
)
from shared.product_groups import check_classification, subgroups_of

ProducerKind = Literal["htx", "enterprise", "household", "coop_group"]


class Producer(BaseModel):
    """Chủ thể OCOP: a cooperative (HTX), enterprise, household business or cooperative group."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    kind: ProducerKind
    women_led: bool
    tax_code: str | None
    address: Address

    def reach(self) -> Reach:
        return Reach(
            province=self.address.province_code,
            ward=self.address.ward_code,
            producer_id=self.id,
        )


class Product(BaseModel):
    """A product a producer enters into OCOP; `subgroup` is its product set (bộ sản phẩm)."""

    model_config = ConfigDict(frozen=True)

    id: str
    producer_id: str
    name: str
    group: str
    subgroup: str | None
    province_code: str
    ward_code: str

    def reach(self) -> Reach:
        return Reach(province=self.province_code, ward=self.ward_code, producer_id=self.producer_id)


def locate(codes: tuple[str, str] | None, legacy_address: str | None) -> Address:
    """Today's address from codes, or converted from a pre-2025 address in words."""
    if codes is not None and legacy_address is not None:
        raise InvalidInput.field(
            "legacy_address", "give either address codes or legacy_address, not both"
        )
    if codes is not None:
        return address_from_codes(*codes)
    if legacy_address is not None:
        return address_from_legacy(legacy_address)
    raise InvalidInput.field("address", "give address codes or a legacy_address")


def register_producer(
    producer_id: str,
    *,
    name: str,
    kind: ProducerKind,
    women_led: bool,
    tax_code: str | None,
    address: Address,
) -> tuple[Producer, list[Event]]:
    """The producer, what anyone may know of it (`producer.registered`), and who it is
    (`producer.identified`, on the exchange for personal data only)."""
    producer = Producer(
        id=producer_id,
        name=name,
        kind=kind,
        women_led=women_led,
        tax_code=tax_code,
        address=address,
    )
    public = ProducerRegistered(
        producer_id=producer.id,
        public_name=public_producer_name(kind, name, address.ward_name),
        kind=kind,
        women_led=women_led,
        address=PublicAddress.model_validate(address.model_dump()),
    )
    identified = ProducerIdentified(
        producer_id=producer.id,
        name=name,
        kind=kind,
        tax_code=tax_code,
        province_code=address.province_code,
        ward_code=address.ward_code,
        legacy_address=address.legacy_address,
    )
    return producer, [public, identified]


def register_product(
    product_id: str,
    producer: Producer,
    *,
    name: str,
    group: str,
    subgroup: str | None,
    imported: bool = False,
) -> tuple[Product, list[ProductRegistered]]:
    """A new product names its product set; one from a province's records may not yet."""
    check_classification(group, None)
    if subgroup is None and not imported:
        raise InvalidInput.field(
            "subgroup",
            f"a product names its product set (bộ sản phẩm) of {group}: "
            f"one of {subgroups_of(group)}",
        )
    check_classification(group, subgroup)
    product = Product(
        id=product_id,
        producer_id=producer.id,
        name=name,
        group=group,
        subgroup=subgroup,
        province_code=producer.address.province_code,
        ward_code=producer.address.ward_code,
    )
    event = ProductRegistered(product_id=product.id, **product.model_dump(exclude={"id"}))
    return product, [event]


def classify_product(
    product: Product, *, subgroup: str, group: str | None, officer: str
) -> tuple[Product, list[ProductClassified]]:
    """An officer sets (or corrects) a product's sub-group: older records and imports may
    have none, and no product is scored until it has one."""
    group = group or product.group
    check_classification(group, subgroup)
    if (group, subgroup) == (product.group, product.subgroup):
        return product, []
    classified = product.model_copy(update={"group": group, "subgroup": subgroup})
    event = ProductClassified(
        product_id=product.id,
        producer_id=product.producer_id,
        group=group,
        subgroup=subgroup,
        previous_subgroup=product.subgroup,
        province_code=product.province_code,
        classified_by=officer,
    )
    return classified, [event]
