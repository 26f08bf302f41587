"""Certification: OCOP certificates issued on a council's ranking, valid 36 months.

Pure. The rules (validity, which level recognises which stars, numbering) are data; see
`rules.py` and its data file for their sources.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from services.certification.rules import CertificateRules
from shared.events import CertificateIssued, ProductRanked


class Certificate(BaseModel):
    """Giấy chứng nhận sản phẩm OCOP."""

    model_config = ConfigDict(frozen=True)

    id: str  # the certificate number
    product_id: str
    producer_id: str
    product_name: str
    group: str
    subgroup: str | None
    province_code: str
    stars: int
    level: Literal["province", "central"]
    total: float
    criteria_set: str
    evaluation_id: str
    issued_on: date
    expires_on: date
    status: Literal["valid"] = "valid"

    @property
    def number(self) -> str:
        return self.id


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; a day the target month lacks becomes its last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry(issued_on: date, rules: CertificateRules) -> date:
    return add_months(issued_on, rules.validity_months)


LEVEL_RANK = {"province": 1, "central": 2}


def recognises(ranked: ProductRanked, rules: CertificateRules) -> bool:
    """Whether these stars are recognised at the ranking's level, by a council of that
    level or above (a province council never recognises 5 stars; the central council's
    4-star result is recognised at province level)."""
    return ranked.stars in rules.stars_by_level.get(ranked.level, ()) and (
        LEVEL_RANK[ranked.council_level] >= LEVEL_RANK[ranked.level]
    )


def issuer(ranked: ProductRanked, rules: CertificateRules) -> str:
    return rules.central_issuer if ranked.level == "central" else ranked.province_code


def certificate_number(issuer_code: str, year: int, sequence: int, rules: CertificateRules) -> str:
    return f"OCOP-{issuer_code}-{year}-{sequence:0{rules.sequence_digits}d}"


def issue_certificate(
    ranked: ProductRanked, number: str, today: date, rules: CertificateRules
) -> tuple[Certificate, list[CertificateIssued]]:
    certificate = Certificate(
        id=number,
        product_id=ranked.product_id,
        producer_id=ranked.producer_id,
        product_name=ranked.product_name,
        group=ranked.group,
        subgroup=ranked.subgroup,
        province_code=ranked.province_code,
        stars=ranked.stars,
        level=ranked.level,
        total=ranked.total,
        criteria_set=ranked.criteria_set,
        evaluation_id=ranked.evaluation_id,
        issued_on=today,
        expires_on=expiry(today, rules),
    )
    event = CertificateIssued(
        certificate_number=certificate.number,
        **certificate.model_dump(exclude={"id", "status"}),
    )
    return certificate, [event]
