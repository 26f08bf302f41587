"""HTTP request and response models of the certification API (`/api/v1`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from services.certification.certificate import Certificate, Renewal, Revocation
from services.certification.recognition import Proposal
from services.certification.recognition import Revocation as Revocation_
from shared.access.caller import ACTOR
from shared.events import DecisionDocument
from shared.events.scores import SheetUsed
from shared.text import Name, TypedText

# a product's name as a province's records give it
ProductName = Annotated[str, TypedText(max_length=2000)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CertificateQuery(Request):
    product_id: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None


class VerifyQuery(Request):
    q: Annotated[str, StringConstraints(max_length=4000)] | None = None
    format: Annotated[str, StringConstraints(pattern=r"^(html|json)$")] | None = None


Id = Annotated[str, StringConstraints(min_length=1, max_length=100)]
DecisionNumber = Annotated[str, TypedText(max_length=100)]  # as signed: "1032/QĐ-UBND"
Actor = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None,
    Field(description=ACTOR),
]


class DocumentIn(Request):
    """Where the signed decision is published (the authority's portal or document system)."""

    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2000)]
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None
    media_type: Annotated[str, StringConstraints(pattern=r"^[a-z]+/[a-z0-9.+-]+$")] | None = None


class SignedDecisionIn(Request):
    """The facts of a signed decision (quyết định), as printed on it."""

    number: DecisionNumber
    signed_on: date
    signer: Name
    signer_title: Annotated[str, Field(description="e.g. Phó Chủ tịch")] = ""
    document: DocumentIn


class RevocationIn(Request):
    certificate_number: Id
    reason_code: Annotated[str, Field(description="a code of GET /api/v1/revocation-reasons")]
    note: Annotated[str, TypedText(max_length=2000, lines=True, min_length=0)] = ""


class DecisionIn(SignedDecisionIn):
    """A signed decision recognising the products of proposals (`recognition`), or ending
    certificates (`revocation`): of proposals from failed re-evaluations, or named directly."""

    kind: Literal["recognition", "revocation"] = "recognition"
    level: Literal["province", "central"]
    province_code: Annotated[str, StringConstraints(pattern=r"^\d{2}$")] | None = None
    evaluation_ids: Annotated[list[Id], Field(max_length=1000)] = []
    revocations: Annotated[list[RevocationIn], Field(max_length=1000)] = []
    recorded_by: Actor = None


class RevokeIn(Request):
    """Revoke one certificate by a signed decision, for a reason of the data."""

    revoked_by: Actor = None
    reason_code: Annotated[str, Field(description="a code of GET /api/v1/revocation-reasons")]
    note: Annotated[str, TypedText(max_length=2000, lines=True, min_length=0)] = ""
    decision: SignedDecisionIn


class DecisionOut(BaseModel):
    id: str
    kind: str
    number: str
    signed_on: date
    signer: str
    signer_title: str
    level: str
    province_code: str | None
    issuing_body: str
    evaluation_ids: list[str]
    revocations: list[Revocation_]
    document: DecisionDocument
    recorded_by: str
    recorded_on: date
    certificates: list[str] = []


class ProposalQuery(Request):
    status: Annotated[str, StringConstraints(pattern=r"^(pending|decided)$")] | None = "pending"
    province_code: Annotated[str, StringConstraints(pattern=r"^\d{2}$")] | None = None
    level: Literal["province", "central"] | None = None


class ProposalOut(BaseModel):
    evaluation_id: str
    action: str
    product_id: str
    producer_id: str
    product_name: str
    province_code: str
    level: str
    stars: int | None
    total: float | None
    sheet: SheetUsed | None
    certificate_number: str | None
    reason_code: str | None
    reason_note: str
    proposed_on: date
    status: str
    decision_id: str | None

    @classmethod
    def of(cls, proposal: Proposal) -> ProposalOut:
        ranked = proposal.ranking
        return cls(
            **proposal.model_dump(exclude={"id", "ranking"}),
            evaluation_id=proposal.id,
            stars=ranked.stars if ranked else None,
            total=ranked.total if ranked else None,
            sheet=ranked.sheet if ranked else None,
        )


class ReasonOut(BaseModel):
    code: str
    label: str
    legal_basis: str
    source: str
    source_status: str


class CertificateOut(BaseModel):
    number: str
    product_id: str
    producer_id: str
    product_name: str
    group: str
    subgroup: str | None
    province_code: str
    stars: int
    level: str
    total: float
    criteria_set: str
    sheet: Annotated[
        SheetUsed | None,
        Field(description="the score sheet the council used, and whether it was provisional"),
    ] = None
    evaluation_id: str
    issuing_body: str
    decision_number: str
    decision_id: Annotated[
        str | None, Field(description="the recorded decision (GET /api/v1/decisions/{id})")
    ] = None
    issued_on: date
    expires_on: date
    status: str
    renewals: list[Renewal]
    revocation: Revocation | None
    superseded_by: str | None
    qr_payload: str

    @classmethod
    def of(cls, certificate: Certificate, today: date) -> CertificateOut:
        return cls.model_validate(
            {
                **certificate.model_dump(),
                "number": certificate.number,
                "status": certificate.status_on(today),
                "qr_payload": certificate.payload,
            }
        )


class KeyOut(BaseModel):
    kid: str
    level: str
    alg: str = "Ed25519"
    public_key: str


class KeysOut(BaseModel):
    keys: list[KeyOut]


class SweepOut(BaseModel):
    changed: int


class ImportedCertificateIn(Request):
    """A certificate from a province's records (the number, dates and level it had then)."""

    # the number is a path segment (/certificates/<number>): letters, digits, ".", "_", "-"
    number: Annotated[
        str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{2,59}$")
    ]
    product_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    producer_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    product_name: ProductName
    group: str
    subgroup: str | None = None
    province_code: Annotated[str, StringConstraints(pattern=r"^\d{2}$")]
    stars: Annotated[int, Field(ge=3, le=5)]
    level: Literal["district", "province", "central"]
    total: Annotated[float, Field(ge=0, le=100)] = 0
    criteria_set: Annotated[str, StringConstraints(pattern=r"^\d+-\d{4}$")] = "148-2023"
    issued_on: date
    expires_on: date
    decision_number: Annotated[str, TypedText(max_length=100, min_length=0)] | None = None
    issuing_body: Annotated[str, TypedText(max_length=300, min_length=0)] | None = None

    @field_validator("expires_on")
    @classmethod
    def after_issue(cls, expires_on: date, info: ValidationInfo) -> date:
        issued_on = info.data.get("issued_on")
        if issued_on is not None and expires_on <= issued_on:
            raise ValueError("must come after issued_on")
        return expires_on
