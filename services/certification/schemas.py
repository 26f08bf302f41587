"""HTTP request and response models of the certification API (`/api/v1`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from services.certification.domain import Certificate


class CertificateQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None


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
    evaluation_id: str
    issued_on: date
    expires_on: date
    status: str

    @classmethod
    def of(cls, certificate: Certificate) -> CertificateOut:
        return cls.model_validate({**certificate.model_dump(), "number": certificate.number})
