"""The certificates a product holds, as registration learns them from certification's
events: enough to check a renewal dossier's `renewal_of`. Pure."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from shared.errors import InvalidInput
from shared.events import (
    CertificateExpired,
    CertificateIssued,
    CertificateRenewed,
    CertificateRevoked,
    CertificateSuperseded,
    Event,
)

CertificateStatus = Literal["valid", "expired", "revoked", "superseded"]
ENDINGS: dict[type[Event], CertificateStatus] = {
    CertificateExpired: "expired",
    CertificateRevoked: "revoked",
    CertificateSuperseded: "superseded",
}


class KnownCertificate(BaseModel):
    """A product's OCOP certificate (giấy chứng nhận): its number, term and whether it ended.
    `expires_on` is None until its issue or renewal is known (an end may arrive first)."""

    model_config = ConfigDict(frozen=True)

    number: str
    product_id: str
    status: CertificateStatus = "valid"
    expires_on: date | None = None

    def valid_on(self, today: date) -> bool:
        return self.status == "valid" and self.expires_on is not None and today <= self.expires_on


def learn(known: KnownCertificate | None, event: Event) -> KnownCertificate:
    """The certificate after one of certification's events, in whatever order they come:
    certification never renews an ended certificate, so an end is final, and the term is
    the latest one heard of."""
    if not isinstance(
        event,
        CertificateIssued
        | CertificateRenewed
        | CertificateExpired
        | CertificateRevoked
        | CertificateSuperseded,
    ):
        raise TypeError(f"not a certificate event: {type(event).__name__}")
    current = known or KnownCertificate(
        number=event.certificate_number, product_id=event.product_id
    )
    if isinstance(event, CertificateIssued | CertificateRenewed):
        terms = [t for t in (current.expires_on, event.expires_on) if t is not None]
        return current.model_copy(update={"expires_on": max(terms)})
    return current.model_copy(update={"status": ENDINGS[type(event)]})


def check_renewal(
    renewal_of: str, certificate: KnownCertificate | None, product_id: str, today: date
) -> str:
    """A renewal dossier re-evaluates a certificate of its own product before it ends."""
    if certificate is None or certificate.product_id != product_id:
        raise InvalidInput.field(
            "renewal_of", f"product {product_id} holds no certificate {renewal_of!r}"
        )
    if not certificate.valid_on(today):
        state = certificate.status if certificate.status != "valid" else "past its term"
        raise InvalidInput.field(
            "renewal_of",
            f"certificate {renewal_of} is {state}: only a valid certificate is renewed; "
            "a new dossier (without renewal_of) applies again",
        )
    return renewal_of
