"""Events published by the registration service.

On `registration.events`, readable by any subscriber allowed it: nothing personal. A
household business (hộ kinh doanh) is a person: its name is its owner's, its tax code since
1 July 2025 the owner's 12-digit personal identification number (Thông tư 86/2024/TT-BTC),
its full address a home. Those go only on `registration.private` (`producer.identified`),
which only users allowed personal data can read (certification, to print the certificate).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from shared.events.base import Event


class PublicAddress(BaseModel):
    """Where a producer is, to the ward (the map shows the ward's centre): no street or house."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    province_code: str
    province_name: str
    ward_code: str
    ward_name: str
    latitude: float | None = None
    longitude: float | None = None


class AddressData(PublicAddress):
    """A producer's address in today's two-tier units (34 provinces, wards; since 1/7/2025),
    with the words it was converted from (a home address, for a household)."""

    legacy_address: str | None = None


HOUSEHOLD = "household"


def public_producer_name(kind: str, name: str, ward_name: str | None) -> str:
    """The name anyone may read: an organisation's own; for a household business, which is
    a person, where it is (its ward), never who."""
    if kind != HOUSEHOLD:
        return name
    return f"Hộ kinh doanh tại {ward_name}" if ward_name else "Hộ kinh doanh"


class ProducerRegisteredV1(Event):
    """Version 1, until issue 15: it carried the name, tax code and full address (personal
    data for a household); read only to upcast events published then."""

    event_type: ClassVar[str] = "producer.registered"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "registration"

    producer_id: str
    name: str
    kind: str
    women_led: bool
    tax_code: str | None = None
    address: AddressData

    def subject(self) -> str:
        return f"producer/{self.producer_id}"


class ProducerRegistered(Event):
    """A producer (chủ thể OCOP: HTX, enterprise, household business, cooperative group)
    joined: what any subscriber may know of it."""

    event_type: ClassVar[str] = "producer.registered"
    version: ClassVar[int] = 2
    source_service: ClassVar[str] = "registration"

    producer_id: str
    public_name: str
    kind: str
    women_led: bool
    address: PublicAddress

    def subject(self) -> str:
        return f"producer/{self.producer_id}"


def producer_registered_v1_to_v2(data: dict) -> dict:
    address = data.get("address") or {}
    return {
        "producer_id": data["producer_id"],
        "public_name": public_producer_name(data["kind"], data["name"], address.get("ward_name")),
        "kind": data["kind"],
        "women_led": data["women_led"],
        "address": {key: value for key, value in address.items() if key != "legacy_address"},
    }


class ProducerIdentified(Event):
    """Who a producer is, for the services and systems allowed personal data (on
    `registration.private`): its legal name (a household's is its owner's), tax code (a
    household's may be its owner's personal identification number) and full address."""

    event_type: ClassVar[str] = "producer.identified"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "registration"
    exchange_kind: ClassVar[str] = "private"

    producer_id: str
    name: str
    kind: str
    tax_code: str | None = None
    province_code: str
    ward_code: str
    legacy_address: str | None = None

    def subject(self) -> str:
        return f"producer/{self.producer_id}"


class ProductRegistered(Event):
    """A producer registered a product (or product idea) for the OCOP programme."""

    event_type: ClassVar[str] = "product.registered"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "registration"

    product_id: str
    producer_id: str
    name: str
    group: str
    subgroup: str | None = None
    province_code: str
    ward_code: str

    def subject(self) -> str:
        return f"product/{self.product_id}"


class ProductClassified(Event):
    """An officer set (or corrected) a product's sub-group: the product set (bộ sản phẩm)
    whose sheet it is scored on. Rounds waiting for it (`evaluation.waiting`) then open."""

    event_type: ClassVar[str] = "product.classified"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "registration"

    product_id: str
    producer_id: str
    group: str
    subgroup: str
    previous_subgroup: str | None = None
    province_code: str
    classified_by: str

    def subject(self) -> str:
        return f"product/{self.product_id}"


class EvidenceData(BaseModel):
    """One document of a dossier, identified by its content hash.

    `size_bytes` and `media_type` were added to version 1 as optional fields: dossiers sent
    before them, or by clients that leave them out, carry None.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    kind: str
    filename: str
    sha256: str
    size_bytes: int | None = None
    media_type: str | None = None


class DossierSubmitted(Event):
    """A product's dossier (hồ sơ) was submitted in one of its province's evaluation
    batches (`year` is the batch's); a renewal dossier names the certificate it renews.

    It carries what scoring needs to pick the criteria sheet (group, subgroup) so that
    scoring never has to ask registration.
    """

    event_type: ClassVar[str] = "dossier.submitted"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "registration"

    dossier_id: str
    product_id: str
    producer_id: str
    product_name: str
    group: str
    subgroup: str | None = None
    province_code: str
    ward_code: str | None = None  # the commune whose officer pre-checks; optional, so v1
    year: int
    submitted_on: date
    evidence: tuple[EvidenceData, ...] = ()
    # added to version 1 as optional fields (issue 17): the evaluation batch (đợt) it was
    # submitted in, and the certificate a renewal dossier re-evaluates; None on dossiers
    # sent before batches, and on first dossiers
    batch_id: str | None = None
    renewal_of: str | None = None

    def subject(self) -> str:
        return f"product/{self.product_id}"


class BatchOpened(Event):
    """A province opened an evaluation batch (đợt đánh giá, phân hạng): dossiers of its
    products are received from `opens_on` to `closes_on`, both days included. A province
    holds one or more a year, numbered from 1 (đợt 1, đợt 2, ...)."""

    event_type: ClassVar[str] = "batch.opened"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "registration"

    batch_id: str
    province_code: str
    year: int
    number: int
    name: str | None = None
    opens_on: date
    closes_on: date
    opened_by: str

    def subject(self) -> str:
        return f"batch/{self.batch_id}"
