"""One realistic example of every event: shown in the AsyncAPI document and checked against
the schemas, so the documentation's examples are always valid messages."""

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
from shared.events.registration import (
    AddressData,
    DossierSubmitted,
    EvidenceData,
    ProducerIdentified,
    ProducerRegistered,
    ProducerRegisteredV1,
    ProductClassified,
    ProductRegistered,
    PublicAddress,
)
from shared.events.scoring import (
    CapByCriterion,
    Disqualified,
    EvaluationClosed,
    EvaluationOpened,
    EvaluationWaiting,
    PartScore,
    ProductEscalated,
    ProductNotRanked,
    ProductNotRankedV1,
    ProductRanked,
    ResultImported,
    ScoresheetAmended,
    ScoresheetSubmitted,
    SheetUsed,
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

PRODUCER, PRODUCT, DOSSIER = (
    "0b7e3c1e-5a1d-4f0e-9c55-2f1d2a6b7c01",
    "5d0c2f43-8b6e-4c1a-a7f2-9e3b1c0d4e02",
    "d-1",
)
EVALUATION, NUMBER, FAIR = "7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2f03", "OCOP-19-2026-00042", "f-1"
INVITATION = "e1c75aef-2105-58a5-bb7b-355f91b354f5"
ADDRESS = AddressData(
    province_code="19",
    province_name="Thái Nguyên",
    ward_code="01933",
    ward_name="Xã Đồng Phúc",
    legacy_address="Xã Quảng Khê, Huyện Ba Bể, Tỉnh Bắc Kạn",
    latitude=22.3125,
    longitude=105.701,
)
PARTS = (
    PartScore(code="A", points=34),
    PartScore(code="B", points=21),
    PartScore(code="C", points=28),
)
PRODUCT_FIELDS = dict(
    product_id=PRODUCT,
    producer_id=PRODUCER,
    product_name="Rượu ngô men lá Bản Phố",
    group="drinks",
    subgroup="ruou-trang",
    province_code="19",
)
SHEET = SheetUsed(id="148-2023/ruou-trang", title="Rượu trắng", provisional=True)
RESULT = dict(
    evaluation_id=EVALUATION,
    dossier_id=DOSSIER,
    criteria_set="148-2023",
    council_id="province-default",
    sheet=SHEET,
    **PRODUCT_FIELDS,
)
CHANGE = dict(certificate_number=NUMBER, product_id=PRODUCT, producer_id=PRODUCER)
ANSWER = dict(invitation_id=INVITATION, fair_id=FAIR, product_id=PRODUCT, producer_id=PRODUCER)

WHO = dict(producer_id=PRODUCER, name="HTX Chè Đồng Phúc", kind="htx", tax_code="4600123456")

EXAMPLES: tuple[Event, ...] = (
    ProducerRegisteredV1(**WHO, women_led=True, address=ADDRESS),
    ProducerRegistered(
        **{**WHO, "public_name": WHO["name"]},
        women_led=True,
        address=PublicAddress.model_validate(ADDRESS.model_dump()),
    ),
    ProducerIdentified(
        **WHO, province_code="19", ward_code="01933", legacy_address=ADDRESS.legacy_address
    ),
    ProductRegistered(
        product_id=PRODUCT,
        producer_id=PRODUCER,
        name="Rượu ngô men lá Bản Phố",
        group="drinks",
        subgroup="ruou-trang",
        province_code="19",
        ward_code="01933",
    ),
    ProductClassified(
        product_id=PRODUCT,
        producer_id=PRODUCER,
        group="drinks",
        subgroup="ruou-trang",
        previous_subgroup=None,
        province_code="19",
        classified_by="so-nn-thai-nguyen (via provincial-portal)",
    ),
    DossierSubmitted(
        dossier_id=DOSSIER,
        year=2026,
        submitted_on=date(2026, 11, 2),
        evidence=(
            EvidenceData(
                kind="test_report",
                filename="phieu-kiem-nghiem.pdf",
                sha256="ab" * 32,
                size_bytes=1_482_113,
                media_type="application/pdf",
            ),
        ),
        **PRODUCT_FIELDS,
    ),
    EvaluationWaiting(
        evaluation_id=EVALUATION,
        product_id=PRODUCT,
        dossier_id=DOSSIER,
        criteria_set="148-2023",
        group="drinks",
        subgroup=None,
        waiting_for="subgroup",
        reason="Sản phẩm chưa khai báo bộ sản phẩm (phân nhóm) của nhóm drinks; cán bộ tỉnh cần "
        "chọn một trong: ruou-trang, do-uong-co-con-khac, nuoc-khoang-nuoc-tinh-khiet, "
        "do-uong-khong-con-khac",
    ),
    EvaluationOpened(
        evaluation_id=EVALUATION,
        product_id=PRODUCT,
        dossier_id=DOSSIER,
        criteria_set="148-2023",
        sheet_id="148-2023/ruou-trang",
        provisional=True,
        council_id="province-default",
        level="province",
        members=("member-1", "member-2", "member-3"),
        awaiting_precheck=True,
    ),
    ScoresheetSubmitted(
        evaluation_id=EVALUATION,
        product_id=PRODUCT,
        member_id="member-1",
        revision=1,
        total=83,
        parts=PARTS,
    ),
    ScoresheetAmended(
        evaluation_id=EVALUATION,
        product_id=PRODUCT,
        member_id="member-1",
        revision=2,
        previous_total=81,
        total=83,
        parts=PARTS,
    ),
    EvaluationClosed(
        evaluation_id=EVALUATION,
        product_id=PRODUCT,
        outcome="ranked",
        total=83,
        sheets=3,
        closed_by="member-1",
    ),
    ProductRanked(
        total=83,
        parts=PARTS,
        band_stars=4,
        stars=4,
        level="province",
        council_level="province",
        ranked_on=date(2026, 11, 20),
        **RESULT,
    ),
    ProductNotRankedV1(
        reason="mandatory_criteria",
        total=61,
        decided_on=date(2026, 11, 20),
        failed_criteria=(
            CapByCriterion(criterion="9.a", stars=3, required_points=2, average_points=1),
        ),
        **RESULT,
    ),
    ProductNotRanked(
        reason="disqualified",
        total=78.33,
        decided_on=date(2026, 11, 20),
        disqualified_by=(
            Disqualified(
                code="cong-bo-ghi-nhan",
                text="Hồ sơ tự công bố sản phẩm, ghi nhãn sản phẩm không đúng theo quy định",
            ),
        ),
        **RESULT,
    ),
    ProductEscalated(total=94.33, parts=PARTS, escalated_on=date(2026, 11, 20), **RESULT),
    ResultImported(
        total=61.5,
        stars=3,
        scored_at_level="district",
        evaluated_on=date(2024, 9, 12),
        **RESULT,
    ),
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
