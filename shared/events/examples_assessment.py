"""Examples of the commune's assessment and a returned dossier, and of the earlier
`evaluation.closed` (the rest, and the common facts, in `examples.py` and
`example_facts.py`)."""

from __future__ import annotations

from datetime import date

from shared.events.base import Event
from shared.events.dossiers import DossierAssessed, DossierReturned
from shared.events.example_facts import DOSSIER, EVALUATION, PRODUCER, PRODUCT
from shared.events.scores import AssessedItem
from shared.events.scoring_versions import EvaluationClosedV1

ITEMS = (
    AssessedItem(
        code="local_raw_materials",
        label="Nguồn gốc sản phẩm/nguyên liệu địa phương",
        met=True,
        note="Ngô nếp từ vùng trồng của HTX tại xã",
    ),
    AssessedItem(code="local_labour", label="Sử dụng lao động địa phương", met=True),
    AssessedItem(code="product_idea_origin", label="Nguồn gốc ý tưởng sản phẩm", met=True),
    AssessedItem(
        code="local_identity",
        label="Tính đặc trưng, bản sắc, giá trị văn hóa địa phương của sản phẩm",
        met=True,
        note="Men lá truyền thống của người Tày",
    ),
)
PLACE = dict(province_code="19", ward_code="01933")

ASSESSMENT: tuple[Event, ...] = (
    DossierAssessed(
        evaluation_id=EVALUATION,
        dossier_id=DOSSIER,
        product_id=PRODUCT,
        producer_id=PRODUCER,
        items=ITEMS,
        report="Hồ sơ đầy đủ; sản phẩm đáp ứng các nội dung đánh giá của xã.",
        verdict="propose",
        assessed_by="xa-dong-phuc",
        assessed_on=date(2026, 11, 5),
        **PLACE,
    ),
    DossierReturned(
        dossier_id=DOSSIER,
        product_id=PRODUCT,
        producer_id=PRODUCER,
        evaluation_id=EVALUATION,
        province_code="19",
        returned_by_level="province",
        returned_by="can-bo-tinh-19",
        reasons=("Thiếu phiếu kết quả kiểm nghiệm chỉ tiêu an toàn thực phẩm",),
        returned_on=date(2026, 11, 8),
    ),
    EvaluationClosedV1(
        evaluation_id=EVALUATION,
        product_id=PRODUCT,
        outcome="precheck_failed",
        total=None,
        sheets=0,
        closed_by="xa-dong-phuc",
    ),
)
