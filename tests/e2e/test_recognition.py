"""Recognition as the law has it (issue 17), across the four service processes: a province's
evaluation batch (đợt) of three products goes through the commune's assessment, the
province's decision to open each round and its council; one product of 90 points or more
goes to the central council; the province records one signed decision for two of them and
their certificates carry its number and date; a renewal in a second batch that fails ends a
certificate by a revocation decision, delisting it and withdrawing its invitation."""

from __future__ import annotations

import re
import subprocess
from datetime import date, datetime, timedelta

import pytest

from shared.clock import VIETNAM
from tests.e2e.test_happy_path import fair_body
from tests.support.assessment import assess_and_open
from tests.support.province_records import wards_of
from tests.support.sheets import (
    answers_at_ninety_short_of_five_stars,
    answers_for_four_stars,
    worst_answers,
)
from tests.support.waiting import eventually

PROVINCE = "22"  # Quảng Ninh: no other test's flows are there
TODAY = datetime.now(VIETNAM).date()  # the services' today
EVIDENCE = [{"kind": "label", "filename": "nhan.pdf", "sha256": "cd" * 32}]
DOCUMENT = {"url": "https://quangninh.gov.vn/van-ban/qd-3120-ubnd.pdf", "sha256": "ef" * 32}


def vn(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture(scope="module")
def apis(platform) -> dict[str, str]:
    names = ("registration", "scoring", "certification", "trade_promotion")
    return {name: platform.api(name) for name in names}


def open_batch(http, reg: str, number: int, opens_on: date) -> str:
    body = {
        "province_code": PROVINCE,
        "year": TODAY.year,
        "number": number,
        "name": f"Đợt {number} năm {TODAY.year}",
        "opens_on": str(opens_on),
        "closes_on": str(TODAY + timedelta(days=30)),
    }
    answer = http.post(f"{reg}/batches", json=body)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def round_of(http, sco: str, product_id: str, kind: str) -> dict:
    return eventually(
        lambda: [
            each
            for each in http.get(f"{sco}/evaluations", params={"product_id": product_id}).json()
            if each["kind"] == kind
        ]
    )[0]


def score(http, sco: str, evaluation: dict, answers_of) -> dict:
    """Each member's sheet, then the chair closes: the result."""
    url = f"{sco}/evaluations/{evaluation['id']}"
    sheet = http.get(f"{url}/sheet").json()
    for member in evaluation["members"]:
        sent = http.post(
            f"{url}/scoresheets", json={"member_id": member, "answers": answers_of(sheet)}
        )
        assert sent.status_code == 201, sent.text
    closed = http.post(f"{url}/close", json={"closed_by": evaluation["members"][0]})
    assert closed.status_code == 200, closed.text
    return closed.json()


def decision(number: str, evaluation_ids: list[str], **fields) -> dict:
    return {
        "number": number,
        "signed_on": str(TODAY),
        "signer": "Nguyễn Thị Hạnh",
        "signer_title": "Phó Chủ tịch Ủy ban nhân dân tỉnh",
        "level": "province",
        "province_code": PROVINCE,
        "evaluation_ids": evaluation_ids,
        "document": DOCUMENT,
        **fields,
    }


def test_a_batch_from_the_commune_to_a_decision_and_a_failed_renewal(platform, http, apis):
    reg, sco, cer, tra = (apis[name] for name in apis)
    fair = http.post(f"{tra}/trade-fairs", json=fair_body(province_code=PROVINCE)).json()
    first = open_batch(http, reg, 1, TODAY - timedelta(days=10))
    producer = http.post(
        f"{reg}/producers",
        json={
            "name": "HTX Nông sản Vân Đồn",
            "kind": "htx",
            "women_led": True,
            "address": {"province_code": PROVINCE, "ward_code": wards_of(PROVINCE)[0]},
        },
    ).json()
    products = {}
    for name in ("Cam sành Vân Đồn", "Khoai môn Bình Liêu", "Na Đông Triều"):
        product = http.post(
            f"{reg}/products",
            json={
                "producer_id": producer["id"],
                "name": name,
                "group": "food",
                "subgroup": "rau-cu-qua-hat-tuoi",
            },
        ).json()
        sent = http.post(
            f"{reg}/products/{product['id']}/dossiers",
            json={"batch_id": first, "evidence": EVIDENCE},
        )
        assert sent.status_code == 201 and sent.json()["batch_id"] == first, sent.text
        products[name] = product["id"]
    orange, taro, custard = products.values()

    # the commune assesses each dossier and proposes it; the province opens its round
    rounds = {}
    for product_id in products.values():
        waiting = round_of(http, sco, product_id, "new")
        assert waiting["status"] == "awaiting_assessment" and waiting["batch_id"] == first
        opened = assess_and_open(http.post, f"{sco}/evaluations/{waiting['id']}")
        assert opened["assessment"]["verdict"] == "propose"
        rounds[product_id] = waiting
    in_batch = http.get(f"{sco}/evaluations", params={"batch_id": first}).json()
    assert {each["product_id"] for each in in_batch} == set(products.values())

    # the province council: two at 4 stars, one at 90 points or more though a 5-star
    # minimum is missed: it goes to the central council all the same (Decision 1489)
    for product_id in (orange, taro):
        result = score(http, sco, rounds[product_id], answers_for_four_stars)
        assert (result["kind"], result["stars"]) == ("ranked", 4), result
    missed = {}

    def ninety(sheet: dict) -> dict:
        answers, missed["criterion"] = answers_at_ninety_short_of_five_stars(sheet)
        return answers

    escalated = score(http, sco, rounds[custard], ninety)
    assert escalated["kind"] == "escalated" and escalated["total"] >= 90, escalated
    central = round_of(http, sco, custard, "central")
    assert central["level"] == "central" and central["escalated_from"] == rounds[custard]["id"]

    # nothing is certified until the People's Committee's decision is recorded
    pending = eventually(
        lambda: (
            len(found := http.get(f"{cer}/proposals", params={"province_code": PROVINCE}).json())
            == 3
            and found
        )
    )
    assert {p["product_id"] for p in pending} == set(products.values())
    assert http.get(f"{cer}/certificates", params={"product_id": orange}).json() == []
    recorded = http.post(
        f"{cer}/decisions",
        json=decision("3120/QĐ-UBND", [rounds[orange]["id"], rounds[taro]["id"]]),
    )
    assert recorded.status_code == 201, recorded.text
    certificates = {}
    for product_id in (orange, taro):
        certificates[product_id] = eventually(
            lambda product_id=product_id: http.get(
                f"{cer}/certificates", params={"product_id": product_id}
            ).json()
        )[0]
        certificate = certificates[product_id]
        assert certificate["decision_number"] == "3120/QĐ-UBND"
        assert certificate["decision_id"] == recorded.json()["id"]
        assert certificate["issued_on"] == str(TODAY)
        assert certificate["issuing_body"] == "Ủy ban nhân dân tỉnh Quảng Ninh"
    assert http.get(f"{cer}/certificates", params={"product_id": custard}).json() == []
    left = http.get(f"{cer}/proposals", params={"province_code": PROVINCE}).json()
    assert [(p["product_id"], p["stars"]) for p in left] == [(custard, 4)]  # still waiting
    shown = http.get(f"{cer}/decisions/{recorded.json()['id']}").json()
    assert sorted(shown["certificates"]) == sorted(c["number"] for c in certificates.values())

    # the printout: its numbers and texts are the recorded decision's, and nothing else
    text = pdf_text(http, cer, certificates[orange]["number"])
    assert f"Căn cứ Quyết định số 3120/QĐ-UBND ngày {vn(TODAY)}" in text
    assert re.findall(r"Quyết định số (\S+)", text) == ["3120/QĐ-UBND"]
    assert f"Có hiệu lực từ {vn(TODAY)}" in text

    # listed and invited; then a renewal, in a second batch of the year, fails
    listed = f"{tra}/catalogue/{orange}"
    eventually(lambda: http.get(listed).status_code == 200)
    invitations = f"{tra}/trade-fairs/{fair['id']}/invitations"
    eventually(lambda: orange in {i["product_id"] for i in http.get(invitations).json()})
    second = open_batch(http, reg, 2, TODAY)
    number = certificates[orange]["number"]
    renewal = http.post(
        f"{reg}/products/{orange}/dossiers",
        json={"batch_id": second, "renewal_of": number, "carry_over_evidence": True},
    )
    assert renewal.status_code == 201, renewal.text
    assert renewal.json()["evidence"][0]["sha256"] == EVIDENCE[0]["sha256"]  # carried over
    again = round_of(http, sco, orange, "re_evaluation")
    assert again["certificate_number"] == number
    assess_and_open(http.post, f"{sco}/evaluations/{again['id']}")
    failed = score(http, sco, again, worst_answers)
    assert failed["kind"] == "not_ranked", failed
    revoke = eventually(
        lambda: [
            p
            for p in http.get(f"{cer}/proposals", params={"province_code": PROVINCE}).json()
            if p["action"] == "revoke"
        ]
    )[0]
    assert (revoke["certificate_number"], revoke["reason_code"]) == (number, "failed_re_evaluation")
    assert http.get(f"{cer}/certificates/{number}").json()["status"] == "valid"  # until decided
    ended = http.post(
        f"{cer}/decisions",
        json=decision("3388/QĐ-UBND", [again["id"]], kind="revocation"),
    )
    assert ended.status_code == 201, ended.text
    revoked = http.get(f"{cer}/certificates/{number}").json()
    assert revoked["status"] == "revoked"
    assert revoked["revocation"]["reason_code"] == "failed_re_evaluation"
    assert revoked["revocation"]["decision_number"] == "3388/QĐ-UBND"
    eventually(lambda: http.get(listed).status_code == 404)  # delisted
    withdrawn = eventually(
        lambda: [
            i
            for i in http.get(invitations).json()
            if i["product_id"] == orange and i["status"] == "withdrawn"
        ]
    )
    assert number in withdrawn[0]["withdrawn_because"]
    # the other certificate of the decision is untouched
    kept = http.get(f"{cer}/certificates/{certificates[taro]['number']}").json()
    assert kept["status"] == "valid"


def pdf_text(http, cer: str, number: str) -> str:
    answer = http.get(f"{cer}/certificates/{number}.pdf")
    assert answer.status_code == 200, answer.text
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=answer.content, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode("utf-8").split())
