"""What anyone may learn about a certificate by its number or its QR payload. Pure.

Public: no personal data. A household business (hộ kinh doanh) is a person; its name is
not shown, only its kind and province.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from services.certification.certificate import Certificate
from services.certification.signing import BadPayload, Checked, check, signed_part
from shared.admin_units import known_province, province_name


class SignatureCheck(BaseModel):
    genuine: bool
    kid: str | None = None
    matches_record: bool | None = None
    problem: str | None = None


class Verification(BaseModel):
    number: str
    status: str  # valid | expired | revoked | superseded | unknown
    product_name: str | None = None
    producer: str | None = None
    province_name: str | None = None
    stars: int | None = None
    level: str | None = None
    issuing_body: str | None = None
    decision_number: str | None = None
    issued_on: date | None = None
    expires_on: date | None = None
    revocation: dict[str, Any] | None = None
    superseded_by: str | None = None
    signature: SignatureCheck | None = None


def province_label(code: str) -> str | None:
    return province_name(code) if known_province(code) else None


def verify(
    number: str,
    certificate: Certificate | None,
    today: date,
    payload: str | None,
    public_keys: dict[str, Any],
) -> Verification:
    signature = check_payload(payload, certificate, public_keys) if payload else None
    if certificate is None:
        return Verification(number=number, status="unknown", signature=signature)
    return Verification(
        number=number,
        status=certificate.status_on(today),
        product_name=certificate.product_name,
        producer=certificate.public_producer(),
        province_name=province_label(certificate.province_code),
        stars=certificate.stars,
        level=certificate.level,
        issuing_body=certificate.issuing_body,
        decision_number=certificate.decision_number,
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        revocation=certificate.revocation.model_dump(mode="json")
        if certificate.revocation
        else None,
        superseded_by=certificate.superseded_by,
        signature=signature,
    )


def check_payload(
    payload: str, certificate: Certificate | None, public_keys: dict[str, Any]
) -> SignatureCheck:
    """Is the printout genuine, and does it still say what the record says (a renewal
    changes the dates, so an older printout is genuine but out of date)?"""
    try:
        checked: Checked = check(payload, public_keys)
    except BadPayload as problem:
        return SignatureCheck(genuine=False, problem=str(problem))
    if not checked.genuine:
        return SignatureCheck(
            genuine=False, kid=checked.kid, problem="signature does not match the printed fields"
        )
    # printouts made before household names were withheld signed the name itself
    matches = certificate is not None and checked.fields in (
        signed_part(certificate.public_facts()),
        signed_part(certificate.facts()),
    )
    return SignatureCheck(genuine=True, kid=checked.kid, matches_record=matches)
