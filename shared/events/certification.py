"""Events published by the certification service on `certification.events`."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from shared.events.base import Event
from shared.events.scoring import Level


class CertificateIssued(Event):
    """An OCOP certificate (giấy chứng nhận) was issued, valid 36 months.

    It carries what a catalogue or another government system needs to list the
    product, so subscribers never have to call back.
    """

    event_type: ClassVar[str] = "certificate.issued"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "certification"

    certificate_number: str
    product_id: str
    producer_id: str
    product_name: str
    group: str
    subgroup: str | None = None
    province_code: str
    stars: int
    level: Level
    total: float
    criteria_set: str
    evaluation_id: str
    issued_on: date
    expires_on: date

    def subject(self) -> str:
        return f"product/{self.product_id}"


class CertificateRenewalDue(Event):
    """A certificate expires within the notice period: the product must be re-evaluated."""

    event_type: ClassVar[str] = "certificate.renewal_due"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "certification"

    certificate_number: str
    product_id: str
    producer_id: str
    product_name: str
    group: str
    subgroup: str | None = None
    province_code: str
    stars: int
    expires_on: date

    def subject(self) -> str:
        return f"product/{self.product_id}"
