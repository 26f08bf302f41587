"""Driving a product through the platform as its users would: registered, its dossier
submitted, pre-checked, scored by the council and closed, until certification issues it."""

from __future__ import annotations

from datetime import date

import requests

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
    dossier = http.post(
        f"{reg}/products/{product['id']}/dossiers",
        json={"year": date.today().year, "evidence": [evidence]},
    )
    assert dossier.status_code == 201, dossier.text
    assert dossier.json()["evidence"] == [evidence]
    evaluation = eventually(
        lambda: http.get(f"{sco}/evaluations", params={"product_id": product["id"]}).json()
    )[0]
    assert evaluation["evidence"] == [evidence]  # carried by dossier.submitted
    opened = f"{sco}/evaluations/{evaluation['id']}"
    http.post(
        f"{opened}/precheck",
        json={"officer_id": "xa-tan-cuong", "local_raw_materials": True, "local_labour": True},
    )
    answers = answers_for_four_stars(http.get(f"{opened}/sheet").json())
    for member in evaluation["members"]:
        sheet = http.post(f"{opened}/scoresheets", json={"member_id": member, "answers": answers})
        assert sheet.status_code == 201, sheet.text
    assert http.post(f"{opened}/close", json={"closed_by": "member-1"}).json()["stars"] == 4
    certificate = eventually(
        lambda: http.get(f"{cer}/certificates", params={"product_id": product["id"]}).json()
    )[0]
    return {"producer": producer.json(), "product": product, "certificate": certificate}
