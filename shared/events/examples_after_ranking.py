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
    DecisionDocument,
    RecognitionDecided,
    RecognitionProposed,
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

DECISION = "3c9d1a2e-6f4b-4c8d-9e1f-2a3b4c5d6e07"
SIGNED = dict(
    decision_number="1032/QĐ-UBND",
    signed_on=date(2026, 12, 1),
    signer="Nguyễn Văn An",
    signer_title="Phó Chủ tịch",
    issuing_body="Ủy ban nhân dân tỉnh Thái Nguyên",
    document=DecisionDocument(
        url="https://thainguyen.gov.vn/van-ban/1032-qd-ubnd.pdf",
        sha256="9f2c" * 16,
        media_type="application/pdf",
    ),
    recorded_by="so-nnmt-19",
)

AFTER_RANKING: tuple[Event, ...] = (
    RecognitionProposed(
        evaluation_id=EVALUATION,
        action="recognise",
        level="province",
        stars=4,
        total=83,
        sheet=SHEET,
        proposed_on=date(2026, 11, 28),
        **PRODUCT_FIELDS,
    ),
    RecognitionProposed(
        evaluation_id="8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c08",
        action="revoke",
        level="province",
        certificate_number=NUMBER,
        reason_code="failed_re_evaluation",
        proposed_on=date(2029, 10, 20),
        **PRODUCT_FIELDS,
    ),
    RecognitionDecided(
        decision_id=DECISION,
        kind="recognition",
        level="province",
        province_code="19",
        evaluation_ids=(EVALUATION,),
        product_ids=(PRODUCT,),
        **SIGNED,
    ),
    CertificateIssued(
        certificate_number=NUMBER,
        stars=4,
        level="province",
        total=83,
        evaluation_id=EVALUATION,
        issued_on=date(2026, 12, 1),
        expires_on=date(2029, 12, 1),
        decision_number="1032/QĐ-UBND",
        decision_id=DECISION,
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
        decision_number="2210/QĐ-UBND",
        decision_id="4d0e2b3f-7a5c-4d9e-8f2a-3b4c5d6e7f18",
        **CHANGE,
    ),
    CertificateExpired(expired_on=date(2029, 11, 28), **CHANGE),
    CertificateRevoked(
        revoked_on=date(2027, 5, 4),
        reason="Vi phạm quy định về an toàn thực phẩm, chất lượng sản phẩm. Mẫu kiểm nghiệm "
        "tháng 4/2027 vượt ngưỡng vi sinh",
        reason_code="food_safety_violation",
        legal_basis="Luật An toàn thực phẩm số 55/2010/QH12",
        revoked_by="so-nnmt-19",
        decision_number="611/QĐ-UBND",
        decision_id="5e1f3c4a-8b6d-4e0f-9a3b-4c5d6e7f8a29",
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
