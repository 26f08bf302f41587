"""Events published by the certification service on `certification.events`."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from shared.events.base import Event
from shared.events.scores import SheetUsed
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
    sheet: SheetUsed | None = None  # which sheet, and whether provisional; None on imports
    evaluation_id: str
    issued_on: date
    expires_on: date
    decision_number: str | None = None
    issuing_body: str | None = None
    imported: bool = False  # loaded from a province's records, not issued on a ranking
    historical_level: str | None = None  # e.g. "district": the level that issued it then

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


class CertificateChange(Event):
    """Fields every later change of a certificate carries."""

    certificate_number: str
    product_id: str
    producer_id: str

    def subject(self) -> str:
        return f"product/{self.product_id}"


class CertificateRenewed(CertificateChange):
    """A passed re-evaluation gave the certificate a new 36-month term."""

    event_type: ClassVar[str] = "certificate.renewed"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "certification"

    stars: int
    renewed_on: date
    expires_on: date
    previous_expires_on: date
    evaluation_id: str


class CertificateExpired(CertificateChange):
    """The certificate's term ended without a passed re-evaluation."""

    event_type: ClassVar[str] = "certificate.expired"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "certification"

    expired_on: date


class CertificateRevoked(CertificateChange):
    """An authorised officer revoked the certificate, with the reason and legal basis."""

    event_type: ClassVar[str] = "certificate.revoked"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "certification"

    revoked_on: date
    reason: str
    legal_basis: str
    revoked_by: str


class CertificateSuperseded(CertificateChange):
    """A higher star result replaced the certificate; it is kept, marked superseded."""

    event_type: ClassVar[str] = "certificate.superseded"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "certification"

    superseded_by: str
    superseded_on: date
