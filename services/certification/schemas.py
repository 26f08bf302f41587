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
from shared.events.scores import SheetUsed
from shared.text import FreeText, TypedText

# a product's name as a province's records give it
ProductName = Annotated[str, TypedText(max_length=2000)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CertificateQuery(Request):
    product_id: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None


class VerifyQuery(Request):
    q: Annotated[str, StringConstraints(max_length=4000)] | None = None
    format: Annotated[str, StringConstraints(pattern=r"^(html|json)$")] | None = None


class RevokeIn(Request):
    revoked_by: Annotated[
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
        | None,
        Field(
            description="the officer a system revokes for (recorded beside the API key's "
            "client); an officer signed in with a token is recorded as themselves"
        ),
    ] = None
    reason: FreeText
    legal_basis: FreeText


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
