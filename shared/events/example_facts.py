"""The one product, producer, dossier, round and certificate the event examples
(`examples.py`) are all about, so that they tell one story."""

from __future__ import annotations

from shared.events.registration import AddressData
from shared.events.scores import PartScore, SheetUsed

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
