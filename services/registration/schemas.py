"""HTTP request and response models of the registration API (`/api/v1`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from services.registration.batches import Batch
from services.registration.domain import Producer, ProducerKind, Product
from services.registration.dossiers import MAX_EVIDENCE, Dossier
from services.registration.evidence import EvidenceIn, EvidenceOut
from shared.access.caller import ACTOR
from shared.text import Name, TypedText

Code = Annotated[
    str,
    BeforeValidator(lambda value: str(value) if type(value) is int else value),
    StringConstraints(strip_whitespace=True, pattern=r"^\d{1,5}$"),
]
# An organisation's tax code: 10 digits, or 10-3 for a branch. Since 1 July 2025 a household
# business's tax code is its representative's 12-digit personal identification number
# (số định danh cá nhân): Thông tư 86/2024/TT-BTC, Điều 5 khoản 1 điểm b and khoản 5.
# Codes issued to households before then (10 digits) are still accepted.
TAX_CODE = r"^(\d{10}(-\d{3})?|\d{12})$"
PERSONAL_NUMBER_DIGITS = 12
Id = Annotated[str, StringConstraints(min_length=1, max_length=100)]


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
    tax_code: Annotated[str, StringConstraints(pattern=TAX_CODE)] | None = None
    address: AddressIn | None = None
    legacy_address: Annotated[str, TypedText(min_length=3, max_length=500)] | None = None

    @field_validator("tax_code")
    @classmethod
    def personal_number_only_for_a_household(
        cls, value: str | None, info: ValidationInfo
    ) -> str | None:
        kind = info.data.get("kind")  # absent when the kind itself was refused
        if value is not None and len(value) == PERSONAL_NUMBER_DIGITS and kind != "household":
            raise ValueError(
                "a 12-digit personal identification number is the tax code of a household"
                " business only; an organisation's has 10 digits, or 10-3 for a branch"
            )
        return value

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
    subgroup: Annotated[
        str | None,
        Field(
            description="the product set (bộ sản phẩm, Decision 148 Phụ lục I) whose sheet the "
            "product is scored on; required for a new product (422 naming `subgroup` lists the "
            "codes of its group); may be left out only with `imported`"
        ),
    ] = None
    imported: Annotated[
        bool,
        Field(
            description="a product from a province's records (certified before the platform, "
            "`ocop import`): it may lack `subgroup`, and its rounds wait until an officer sets "
            "one (PUT /api/v1/products/{id}/subgroup)"
        ),
    ] = False


class ClassificationIn(Request):
    subgroup: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    group: Annotated[
        str | None, Field(description="a corrected group; the product's own if left out")
    ] = None
    officer_id: Annotated[str | None, Field(description=ACTOR)] = None


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


class DossierIn(Request):
    batch_id: Annotated[
        Id | None,
        Field(
            description="the evaluation batch (đợt) of the product's province, open today; "
            "if left out, the province's one batch open today (422 naming `batch_id` when "
            "there is none, or several)"
        ),
    ] = None
    year: Annotated[
        Annotated[int, Field(ge=2019)] | None,
        Field(description="the batch's year, which the dossier takes; if given, it must be it"),
    ] = None
    evidence: Annotated[list[EvidenceIn], Field(max_length=MAX_EVIDENCE)] = []
    carry_over_evidence: Annotated[
        bool,
        Field(
            description="copy the documents of the product's latest dossier into this one "
            "(a renewal, or a dossier sent again after it was returned); `evidence` adds to them"
        ),
    ] = False
    renewal_of: Annotated[
        Id | None,
        Field(
            description="a renewal (re-evaluation) dossier: the number of the product's valid "
            "certificate it renews, before the certificate ends"
        ),
    ] = None


class ReturnedOut(BaseModel):
    evaluation_id: str
    by_level: str
    by: str
    reasons: list[str]
    on: str


class EvaluatedOut(BaseModel):
    evaluation_id: str
    outcome: str
    stars: int | None
    on: str


class DossierOut(BaseModel):
    id: str
    product_id: str
    producer_id: str
    batch_id: str | None
    year: int
    status: str
    submitted_on: str
    evidence: list[EvidenceOut]
    renewal_of: str | None
    returned: Annotated[
        ReturnedOut | None,
        Field(description="why and by whom the dossier was returned (status `returned`)"),
    ]
    evaluated: Annotated[
        EvaluatedOut | None,
        Field(description="the council's result once its round ended (status `evaluated`)"),
    ] = None

    @classmethod
    def of(cls, dossier: Dossier) -> DossierOut:
        return cls.model_validate(dossier.model_dump(mode="json"))


class BatchIn(Request):
    province_code: Code
    year: Annotated[int, Field(ge=2019, le=2100)]
    number: Annotated[int, Field(ge=1, le=99, description="đợt số: unique in the province's year")]
    name: Annotated[str, TypedText(max_length=200)] | None = None
    opens_on: date
    closes_on: Annotated[date, Field(description="the last day dossiers are received")]
    officer_id: Annotated[str | None, Field(description=ACTOR)] = None


class BatchQuery(Request):
    province_code: Code | None = None
    year: Annotated[int, Field(ge=2019, le=2100)] | None = None


class BatchOut(BaseModel):
    """A batch as anyone may read it (who opened it is not shown)."""

    id: str
    province_code: str
    year: int
    number: int
    name: str | None
    opens_on: str
    closes_on: str
    open_today: bool

    @classmethod
    def of(cls, batch: Batch, today: date) -> BatchOut:
        shown = batch.model_dump(mode="json", exclude={"opened_by"})
        return cls.model_validate({**shown, "open_today": batch.is_open(today)})
