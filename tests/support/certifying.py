"""Driving a product through the platform as its users would: registered, its dossier
submitted in its province's batch, assessed by the commune and opened by the province,
scored by the council and closed, recognised by a recorded decision, until certification
issues it."""

from __future__ import annotations

from datetime import date, datetime

import requests

from shared.clock import VIETNAM
from tests.support.assessment import assess_and_open
from tests.support.batches import open_batch
from tests.support.sheets import answers_for_four_stars
from tests.support.waiting import eventually

SHA = "ab" * 32


def certify(http: requests.Session, platform, producer_body: dict, product_name: str) -> dict:
    """A producer and its product, through dossier, council and ranking, to a certificate."""
    reg, sco, cer = (platform.api(s) for s in ("registration", "scoring", "certification"))
    producer = http.post(f"{reg}/producers", json=producer_body)
    assert producer.status_code == 201, producer.text
    product = http.post(
        f"{reg}/products",
        json={
            "producer_id": producer.json()["id"],
            "name": product_name,
            "group": "food",
            "subgroup": "rau-cu-qua-hat-tuoi",
        },
    ).json()
    evidence = {
        "kind": "label",
        "filename": "nhan.pdf",
        "sha256": SHA,
        "size_bytes": 48_213,
        "media_type": "application/pdf",
    }
    batch = open_batch(http, reg, product["province_code"])
    dossier = http.post(
        f"{reg}/products/{product['id']}/dossiers",
        json={"batch_id": batch, "year": date.today().year, "evidence": [evidence]},
    )
    assert dossier.status_code == 201, dossier.text
    assert dossier.json()["evidence"] == [evidence]
    evaluation = eventually(
        lambda: http.get(f"{sco}/evaluations", params={"product_id": product["id"]}).json()
    )[0]
    assert evaluation["evidence"] == [evidence]  # carried by dossier.submitted
    opened = f"{sco}/evaluations/{evaluation['id']}"
    assess_and_open(http.post, opened)
    answers = answers_for_four_stars(http.get(f"{opened}/sheet").json())
    for member in evaluation["members"]:
        sheet = http.post(f"{opened}/scoresheets", json={"member_id": member, "answers": answers})
        assert sheet.status_code == 201, sheet.text
    assert http.post(f"{opened}/close", json={"closed_by": "member-1"}).json()["stars"] == 4
    recognise(http, cer, [evaluation["id"]])
    certificate = eventually(
        lambda: http.get(f"{cer}/certificates", params={"product_id": product["id"]}).json()
    )[0]
    return {"producer": producer.json(), "product": product, "certificate": certificate}


def recognise(http, cer: str, evaluation_ids: list[str], correlation_id: str = "") -> dict:
    """The province records its People's Committee's signed decision for these results,
    once certification proposes them."""
    eventually(
        lambda: (
            {p["evaluation_id"] for p in http.get(f"{cer}/proposals").json()} >= set(evaluation_ids)
        )
    )
    answer = http.post(
        f"{cer}/decisions",
        json={
            "number": f"{evaluation_ids[0][:8]}/QĐ-UBND",  # unique in a test run
            "signed_on": datetime.now(VIETNAM).date().isoformat(),  # the services' today
            "signer": "Nguyễn Văn An",
            "signer_title": "Phó Chủ tịch UBND tỉnh",
            "level": "province",
            "province_code": "19",
            "evaluation_ids": evaluation_ids,
            "document": {"url": "https://thainguyen.gov.vn/van-ban/qd-ocop.pdf"},
        },
        headers={"X-Correlation-Id": correlation_id} if correlation_id else {},
    )
    assert answer.status_code == 201, answer.text
    return answer.json()
