"""HTTP request and response models of the registration API (`/api/v1`)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from services.registration.domain import Dossier, Producer, ProducerKind, Product

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Code = Annotated[
    str,
    BeforeValidator(lambda value: str(value) if type(value) is int else value),
    StringConstraints(strip_whitespace=True, pattern=r"^\d{1,5}$"),
]
EvidenceKind = Literal[
    "business_registration",
    "food_safety_certificate",
    "product_standard",
    "test_report",
    "label",
    "product_story",
    "photo",
    "other",
]
_UNSAFE_FILENAME = re.compile(r"[/\\\x00-\x1f]|^\.+$")


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AddressIn(Request):
    """Today's codes; numbers are accepted for strings of digits."""

    province_code: Code
    ward_code: Code


class ProducerIn(Request):
    name: Name
    kind: ProducerKind
    women_led: bool
    tax_code: Annotated[str, StringConstraints(pattern=r"^\d{10}(-\d{3})?$")] | None = None
    address: AddressIn | None = None
    legacy_address: Annotated[str, StringConstraints(min_length=3, max_length=500)] | None = None

    def address_codes(self) -> tuple[str, str] | None:
        if self.address is None:
            return None
        return self.address.province_code, self.address.ward_code


class AddressOut(BaseModel):
    province_code: str
    province_name: str
    ward_code: str
    ward_name: str
    legacy_address: str | None = None


class ProducerOut(BaseModel):
    id: str
    name: str
    kind: ProducerKind
    women_led: bool
    tax_code: str | None
    address: AddressOut

    @classmethod
    def of(cls, producer: Producer) -> ProducerOut:
        return cls.model_validate(producer.model_dump())


class ProductIn(Request):
    producer_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    name: Name
    group: str
    subgroup: str | None = None


class ProductOut(BaseModel):
    id: str
    producer_id: str
    name: str
    group: str
    subgroup: str | None
    province_code: str
    ward_code: str

    @classmethod
    def of(cls, product: Product) -> ProductOut:
        return cls.model_validate(product.model_dump())


class EvidenceIn(Request):
    kind: EvidenceKind
    filename: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]

    @field_validator("filename")
    @classmethod
    def plain_filename(cls, value: str) -> str:
        if _UNSAFE_FILENAME.search(value):
            raise ValueError("must be a plain file name, without directories or control characters")
        return value


class DossierIn(Request):
    year: Annotated[int, Field(ge=2019)]
    evidence: Annotated[list[EvidenceIn], Field(min_length=1, max_length=200)]


class DossierOut(BaseModel):
    id: str
    product_id: str
    producer_id: str
    year: int
    status: str
    submitted_on: str
    evidence: list[EvidenceIn]

    @classmethod
    def of(cls, dossier: Dossier) -> DossierOut:
        return cls.model_validate(dossier.model_dump(mode="json"))
