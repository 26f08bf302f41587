"""One realistic example of every event: shown in the AsyncAPI document and checked against
the schemas, so the documentation's examples are always valid messages."""

from __future__ import annotations

from datetime import date

from shared.events.base import Event
from shared.events.example_facts import (
    ADDRESS,
    DOSSIER,
    EVALUATION,
    PARTS,
    PRODUCER,
    PRODUCT,
    PRODUCT_FIELDS,
    RESULT,
    WHO,
)
from shared.events.examples_after_ranking import AFTER_RANKING
from shared.events.examples_assessment import ASSESSMENT
from shared.events.registration import (
    BatchOpened,
    DossierSubmitted,
    EvidenceData,
    ProducerIdentified,
    ProducerRegistered,
    ProducerRegisteredV1,
    ProductClassified,
    ProductRegistered,
    PublicAddress,
)
from shared.events.scores import CapByCriterion, Disqualified
from shared.events.scoring import (
    EvaluationClosed,
    EvaluationOpened,
    EvaluationWaiting,
    ProductEscalated,
    ProductNotRanked,
    ProductRanked,
    ResultImported,
    ScoresheetAmended,
    ScoresheetSubmitted,
)
from shared.events.scoring_versions import ProductNotRankedV1

BATCH = "b-19-2026-2"
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
    BatchOpened(
        batch_id=BATCH,
        province_code="19",
        year=2026,
        number=2,
        name="Đợt 2 năm 2026",
        opens_on=date(2026, 10, 1),
        closes_on=date(2026, 11, 30),
        opened_by="so-nn-thai-nguyen (via provincial-portal)",
    ),
    DossierSubmitted(
        dossier_id=DOSSIER,
        batch_id=BATCH,
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
        awaiting_assessment=True,
        batch_id=BATCH,
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
    *AFTER_RANKING,
    *ASSESSMENT,
)
