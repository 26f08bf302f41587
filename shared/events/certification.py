"""Events published by the certification service on `certification.events`."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from shared.events.base import Event
from shared.events.scores import SheetUsed
from shared.events.scoring import Level

ProposalAction = Literal["recognise", "revoke"]


class DecisionDocument(BaseModel):
    """Where the signed decision can be read: the authority's own publication (URL) and,
    where known, the SHA-256 of the signed PDF, so a copy can be checked against it."""

    model_config = ConfigDict(frozen=True)

    url: str
    sha256: str | None = None
    media_type: str | None = None


class RecognitionProposed(Event):
    """A council result waits for the competent authority's decision: recognition of a
    ranked product (`recognise`), or the end of a certificate whose re-evaluation failed
    (`revoke`). Nothing is certified or revoked until a decision is recorded."""

    event_type: ClassVar[str] = "recognition.proposed"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "certification"

    evaluation_id: str
    action: ProposalAction
    product_id: str
    producer_id: str
    product_name: str
    group: str
    subgroup: str | None = None
    province_code: str
    level: Level  # whose decision: the province's People's Committee, or the ministry
    stars: int | None = None  # recognise: the stars the council gave
    total: float | None = None
    sheet: SheetUsed | None = None
    certificate_number: str | None = None  # the certificate re-evaluated, or to revoke
    reason_code: str | None = None  # revoke: a code of data/revocation-reasons.yaml
    proposed_on: date

    def subject(self) -> str:
        return f"product/{self.product_id}"


class RecognitionDecided(Event):
    """The competent authority signed a decision (quyết định) recognising products, or
    revoking certificates; every certificate it makes or ends names it."""

    event_type: ClassVar[str] = "recognition.decided"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "certification"

    decision_id: str
    kind: Literal["recognition", "revocation"]
    decision_number: str
    signed_on: date
    signer: str
    signer_title: str
    level: Level
    province_code: str | None = None
    issuing_body: str
    evaluation_ids: tuple[str, ...]  # the proposals it decides
    product_ids: tuple[str, ...]
    certificate_numbers: tuple[str, ...] = ()  # certificates a revocation ends directly
    document: DecisionDocument
    recorded_by: str

    def subject(self) -> str:
        return f"decision/{self.decision_id}"


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
    decision_id: str | None = None  # the recorded decision it was issued from
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
    decision_number: str | None = None  # the decision that recognised the re-evaluation
    decision_id: str | None = None


class CertificateExpired(CertificateChange):
    """The certificate's term ended without a passed re-evaluation."""

    event_type: ClassVar[str] = "certificate.expired"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "certification"

    expired_on: date


class CertificateRevoked(CertificateChange):
    """The competent authority revoked the certificate by a decision, with the reason (a
    code of the revocation reasons, its legal basis, and a note) and the officer who
    recorded it."""

    event_type: ClassVar[str] = "certificate.revoked"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "certification"

    revoked_on: date
    reason: str
    legal_basis: str
    revoked_by: str
    reason_code: str | None = None  # None only on revocations recorded before codes
    decision_number: str | None = None
    decision_id: str | None = None


class CertificateSuperseded(CertificateChange):
    """A higher star result replaced the certificate; it is kept, marked superseded."""

    event_type: ClassVar[str] = "certificate.superseded"
    version: ClassVar[int] = 1
    source_service: ClassVar[str] = "certification"

    superseded_by: str
    superseded_on: date
