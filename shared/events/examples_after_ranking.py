"""Examples of what follows a ranking: the certificate's life, the catalogue, fairs and
sales points (the rest, and the common facts, in `examples.py` and `example_facts.py`)."""

from __future__ import annotations

from datetime import date

from shared.events.base import Event
from shared.events.certification import (
    CertificateExpired,
    CertificateIssued,
    CertificateRenewalDue,
    CertificateRenewed,
    CertificateRevoked,
    CertificateSuperseded,
)
from shared.events.example_facts import (
    ANSWER,
    CHANGE,
    EVALUATION,
    FAIR,
    NUMBER,
    PRODUCT,
    PRODUCT_FIELDS,
    SHEET,
)
from shared.events.trade_promotion import (
    CatalogueDelisted,
    CatalogueListed,
    InvitationAccepted,
    InvitationDeclined,
    InvitationSent,
    InvitationWithdrawn,
    SalesPointProductAdded,
    SalesPointProductRemoved,
    TradeFairCreated,
)

AFTER_RANKING: tuple[Event, ...] = (
    CertificateIssued(
        certificate_number=NUMBER,
        stars=4,
        level="province",
        total=83,
        evaluation_id=EVALUATION,
        issued_on=date(2026, 11, 28),
        expires_on=date(2029, 11, 28),
        decision_number="42/QĐ-UBND",
        issuing_body="Ủy ban nhân dân tỉnh Thái Nguyên",
        criteria_set="148-2023",
        sheet=SHEET,
        **PRODUCT_FIELDS,
    ),
    CertificateRenewalDue(
        certificate_number=NUMBER, stars=4, expires_on=date(2029, 11, 28), **PRODUCT_FIELDS
    ),
    CertificateRenewed(
        stars=4,
        renewed_on=date(2029, 11, 10),
        expires_on=date(2032, 11, 10),
        previous_expires_on=date(2029, 11, 28),
        evaluation_id=EVALUATION,
        **CHANGE,
    ),
    CertificateExpired(expired_on=date(2029, 11, 28), **CHANGE),
    CertificateRevoked(
        revoked_on=date(2027, 5, 4),
        reason="Vi phạm chất lượng sản phẩm",
        legal_basis="Quyết định 148/QĐ-TTg",
        revoked_by="so-nnmt-19",
        **CHANGE,
    ),
    CertificateSuperseded(
        superseded_by="OCOP-TW-2027-00003", superseded_on=date(2027, 9, 1), **CHANGE
    ),
    CatalogueListed(
        product_id=PRODUCT, certificate_number=NUMBER, stars=4, group="drinks", province_code="19"
    ),
    CatalogueDelisted(product_id=PRODUCT, certificate_number=NUMBER, reason="revoked"),
    TradeFairCreated(
        fair_id=FAIR,
        name="Hội chợ OCOP Thái Nguyên 2027",
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 3, 5),
        province_code="19",
        provinces=("19",),
        min_stars=3,
        groups=("drinks",),
        place="Quảng trường Độc Lập, Thái Nguyên",
        organiser="Sở Công Thương Thái Nguyên",
        capacity=120,
    ),
    InvitationSent(**ANSWER),
    InvitationAccepted(**ANSWER),
    InvitationDeclined(**ANSWER),
    InvitationWithdrawn(reason=f"certificate {NUMBER} revoked", **ANSWER),
    SalesPointProductAdded(sales_point_id="sp-1", product_id=PRODUCT),
    SalesPointProductRemoved(sales_point_id="sp-1", product_id=PRODUCT, reason="delisted"),
)
