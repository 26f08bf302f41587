"""Events published by the registration service on `registration.events`."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from shared.events.base import Event


class AddressData(BaseModel):
    """A producer's address in today's two-tier units (34 provinces, wards; since 1/7/2025)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    province_code: str
    province_name: str
    ward_code: str
    ward_name: str
    legacy_address: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class ProducerRegistered(Event):
    """A producer (chủ thể OCOP: HTX, enterprise, household business, cooperative group) joined."""

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
    """A product's dossier (hồ sơ) for a year's evaluation was submitted.

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

    def subject(self) -> str:
        return f"product/{self.product_id}"
